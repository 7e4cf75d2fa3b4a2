"""End-to-end batch speed: read, analyse, score and explain a 5,000-article .jsonl with 2 jobs.

Times ``score_corpus`` (the ``scorer batch`` path: worker start-up, model
load, reading, analysis, scoring, top-5 evidence, writing the JSONL output)
on a corpus written to a temporary directory from the shared corpora
(their articles in a fixed shuffled order, cycled, so the CI sample mixes
the corpora like the full run; median length ~500 words) and deleted
afterwards; nothing is kept in the repository. Reports articles/s overall
(target >= 500, issue 12) and per worker process, words/s, and the
machine's state around the run (:mod:`benchmarks._machine`) with
``articles_per_reference``, which moves much less with load. CI mode: 1,000
articles. Report-only (no baseline file): timing depends on the machine.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from pathlib import Path

from benchmarks._common import run_cli, shared_records
from benchmarks._machine import bracket, machine_state

NAME = "batch_speed"
CORPORA = ("fakehealth", "misinfotext-sfu", "fakenewsnet-v1")


def _write_corpus(path: Path, n: int) -> None:
    """``n`` records cycled from the shared corpora in a fixed shuffled order (ids made unique)."""
    records = shared_records(CORPORA, ("id", "text", "title", "url", "domain", "label"))
    random.Random(0).shuffle(records)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            rec = dict(records[i % len(records)])
            rec["id"] = f"{i}:{rec['id']}"
            out.write(json.dumps(rec) + "\n")


def measure(full: bool = False, jobs: int = 2) -> dict[str, float]:
    """Articles per second end to end (``scorer batch`` path), per process, and words per second."""
    from scorer.batch import score_corpus

    n = 5000 if full else 1000
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        _write_corpus(corpus, n)
        words = sum(len(json.loads(line)["text"].split()) for line in open(corpus, encoding="utf-8"))
        before = machine_state()
        start = time.perf_counter()
        run = score_corpus(corpus, Path(tmp) / "preds.jsonl", jobs=jobs)
        elapsed = time.perf_counter() - start
        machine = bracket(before, machine_state())
    rate = n / elapsed
    return {"articles": float(n), "jobs": float(jobs), "seconds": round(elapsed, 2), "articles_per_s": round(rate, 1),
            "articles_per_s_per_process": round(rate / jobs, 1), "words_per_s": round(words / elapsed, 0),
            "failed": float(run.failed), "articles_per_reference": round(rate * machine["reference_s"], 2), **machine}


if __name__ == "__main__":
    run_cli(NAME, measure, __doc__.splitlines()[0])
