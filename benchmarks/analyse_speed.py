"""Speed of ``scorer.analyse`` on the 612 articles of articlecomparisons-helsinki, in one process.

Reports articles per second of wall time in one process (target >= 800,
issue 12; moonshot 1,000), articles per CPU second (per core: the fairer
figure on a shared, busy machine), characters per second, and the machine's
state around the run (:mod:`benchmarks._machine`): load average and a fixed
reference workload timed in the same process, with
``articles_per_reference`` = articles analysed in the reference workload's
time, which moves much less with load than articles/s. Texts are read first
and only the analysis is timed; the best of three passes is kept (CI mode:
200 articles, one pass). A separate pass gives the per-article CPU time of
each step (``ms_segment``, ``ms_tokens``, then ``ms_<signal>`` for every
signal in run order), to show where the time goes. Report-only: it has no baseline
file, so it never fails CI on a slow machine.
"""

from __future__ import annotations

import json
import time

import scorer
from scorer import segment
from scorer.analysis import Analysis
from scorer.pipeline import SIGNALS
from benchmarks._common import require_shared, run_cli
from benchmarks._machine import bracket, machine_state

NAME = "analyse_speed"


def load_texts(full: bool) -> list[str]:
    """The Helsinki article texts (the first 200 in CI mode)."""
    path = require_shared() / "data" / "corpora" / "articlecomparisons-helsinki" / "articles.jsonl"
    texts = [json.loads(line)["text"] or "" for line in path.open(encoding="utf-8") if line.strip()]
    return texts if full else texts[:200]


def step_ms(texts: list[str]) -> dict[str, float]:
    """CPU milliseconds per article of each analysis step: segmenting, tokenising, then each signal's ``find``.

    Runs the steps of :func:`scorer.pipeline.analyse` one by one (tokens are
    computed on their own first, so no signal is charged for them); a signal
    that raises is charged for the time it took, as in ``analyse``. CPU time,
    not wall time, so other work on a busy machine does not count.
    """
    totals = dict.fromkeys(["segment", "tokens", *(s.name for s in SIGNALS if s.find is not None)], 0.0)
    for text in texts:
        t0 = time.process_time()
        paragraphs, sentences = segment.segment(text)
        result = Analysis(text=text, paragraphs=paragraphs, sentences=sentences)
        t1 = time.process_time()
        result.tokens
        totals["segment"] += t1 - t0
        totals["tokens"] += time.process_time() - t1
        for signal in SIGNALS:
            if signal.find is None:
                continue
            t0 = time.process_time()
            try:
                result.findings[signal.name] = signal.find(result)
            except Exception:  # noqa: BLE001 - timing only; analyse records the problem
                result.findings[signal.name] = []
            totals[signal.name] += time.process_time() - t0
    return {f"ms_{name}": round(1000 * total / max(len(texts), 1), 3) for name, total in totals.items()}


def measure(full: bool = False) -> dict[str, float]:
    """Articles/s (wall, one process), articles per CPU second and chars/s of analyse, the machine's state,
    and the per-article milliseconds of each step (:func:`step_ms`)."""
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
            "articles_per_reference": round(rate * machine["reference_s"], 2), **machine, **step_ms(texts)}


if __name__ == "__main__":
    run_cli(NAME, measure, __doc__.splitlines()[0])
