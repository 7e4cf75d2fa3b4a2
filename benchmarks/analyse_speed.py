"""Speed of ``scorer.analyse`` on the 612 articles of articlecomparisons-helsinki, one process.

Reports articles per second of wall time (target >= 300), characters per
second, and articles per second of CPU time (the fairer figure on a shared,
busy machine). Texts are read first and only the analysis is timed; the best
of three passes is kept. Report-only: it has no
baseline file, so it never fails CI on a slow machine.
"""

from __future__ import annotations

import json
import time

import scorer
from benchmarks._common import require_shared, run_cli

NAME = "analyse_speed"


def measure(full: bool = False) -> dict[str, float]:
    """Articles/s and chars/s of analyse over the corpus (CI mode: 200 articles, one pass)."""
    root = require_shared()
    path = root / "data" / "corpora" / "articlecomparisons-helsinki" / "articles.jsonl"
    texts = [json.loads(line)["text"] or "" for line in path.open(encoding="utf-8") if line.strip()]
    if not full:
        texts = texts[:200]
    scorer.analyse("Warm-up: the model files load once, officials said.")
    best = best_cpu = float("inf")
    for _ in range(3 if full else 1):
        t0, c0 = time.perf_counter(), time.process_time()
        for text in texts:
            scorer.analyse(text)
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    chars = sum(len(t) for t in texts)
    return {"articles": float(len(texts)), "seconds": round(best, 3),
            "articles_per_s": round(len(texts) / best, 1), "chars_per_s": round(chars / best, 0),
            "articles_per_cpu_s": round(len(texts) / max(best_cpu, 1e-9), 1)}


if __name__ == "__main__":
    run_cli(NAME, measure, __doc__.splitlines()[0])
