"""Speed of ``scorer.analyse`` on the 612 articles of articlecomparisons-helsinki, in one process.

Reports articles per second of wall time in one process (target >= 800,
issue 12; moonshot 1,000), articles per CPU second (per core: the fairer
figure on a shared, busy machine), characters per second, and the machine's
state around the run (:mod:`benchmarks._machine`): load average and a fixed
reference workload timed in the same process, with
``articles_per_reference`` = articles analysed in the reference workload's
time, which moves much less with load than articles/s. Texts are read first
and only the analysis is timed; the best of three passes is kept (CI mode:
200 articles, one pass). Report-only: it has no baseline file, so it never
fails CI on a slow machine.
"""

from __future__ import annotations

import json
import time

import scorer
from benchmarks._common import require_shared, run_cli
from benchmarks._machine import bracket, machine_state

NAME = "analyse_speed"


def load_texts(full: bool) -> list[str]:
    """The Helsinki article texts (the first 200 in CI mode)."""
    path = require_shared() / "data" / "corpora" / "articlecomparisons-helsinki" / "articles.jsonl"
    texts = [json.loads(line)["text"] or "" for line in path.open(encoding="utf-8") if line.strip()]
    return texts if full else texts[:200]


def measure(full: bool = False) -> dict[str, float]:
    """Articles/s (wall, one process), articles per CPU second and chars/s of analyse, with the machine's state."""
    texts = load_texts(full)
    scorer.analyse("Warm-up: the model files load once, officials said.")
    before = machine_state()
    best = best_cpu = float("inf")
    for _ in range(3 if full else 1):
        t0, c0 = time.perf_counter(), time.process_time()
        for text in texts:
            scorer.analyse(text)
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    machine = bracket(before, machine_state())
    chars = sum(len(t) for t in texts)
    rate = len(texts) / best
    return {"articles": float(len(texts)), "seconds": round(best, 3),
            "articles_per_s": round(rate, 1), "chars_per_s": round(chars / best, 0),
            "articles_per_cpu_s": round(len(texts) / max(best_cpu, 1e-9), 1),
            "articles_per_reference": round(rate * machine["reference_s"], 2), **machine}


if __name__ == "__main__":
    run_cli(NAME, measure, __doc__.splitlines()[0])
