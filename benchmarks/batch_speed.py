"""End-to-end batch speed: read, analyse, score and explain a 5,000-article .jsonl on 2 cores.

Report-only (no baseline file, so not gated): timing depends on the machine.
The corpus is written to a temporary directory from the shared corpora
(cycling through their articles; median length ~500 words) and deleted
afterwards; nothing is kept in the repository. Without ``--full`` it uses
1,000 articles.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from benchmarks._common import require_shared, run_cli

NAME = "batch_speed"
CORPORA = ("fakehealth", "misinfotext-sfu", "fakenewsnet-v1")


def _write_corpus(path: Path, n: int) -> None:
    """``n`` records cycled from the shared corpora (ids made unique)."""
    root = require_shared()
    records = []
    for name in CORPORA:
        with open(root / "data" / "corpora" / name / "articles.jsonl", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if isinstance(rec.get("text"), str) and rec["text"].strip():
                    records.append({k: rec.get(k) for k in ("id", "text", "title", "url", "domain", "label")})
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            rec = dict(records[i % len(records)])
            rec["id"] = f"{i}:{rec['id']}"
            out.write(json.dumps(rec) + "\n")


def measure(full: bool = False, jobs: int = 2) -> dict[str, float]:
    """Articles per second end to end (``scorer batch`` path), plus words per second."""
    from scorer.batch import score_corpus

    n = 5000 if full else 1000
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        _write_corpus(corpus, n)
        words = sum(len(json.loads(line)["text"].split()) for line in open(corpus, encoding="utf-8"))
        start = time.perf_counter()
        run = score_corpus(corpus, Path(tmp) / "preds.jsonl", jobs=jobs)
        elapsed = time.perf_counter() - start
    return {"articles": float(n), "seconds": round(elapsed, 2), "articles_per_s": round(n / elapsed, 1),
            "words_per_s": round(words / elapsed, 0), "failed": float(run.failed)}


if __name__ == "__main__":
    run_cli(NAME, measure, __doc__.splitlines()[0])
