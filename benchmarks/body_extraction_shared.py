"""Body extraction on held-out scraped pages from ../shared: character-level precision, recall, F1.

The seeds (``benchmarks/body_extraction.py``) are the pages the cleaning rules
were developed on, so their figures are in-sample. This benchmark measures the
same thing on pages of ``articlecomparisons-helsinki`` (scraped news pages from
many outlets) whose bodies were hand-marked after the rules were written
(``tests/fixtures/shared_page_bodies.json``: offsets only, no corpus text).
Skipped when ../shared is absent.

    python -m benchmarks.body_extraction_shared
"""

from __future__ import annotations

import hashlib
import json

from benchmarks._common import require_shared, run_cli
from benchmarks.body_extraction import char_set, prf
from scorer.clean import clean_text
from scorer.paths import REPO

NAME = "body_extraction_shared"
NEEDS_SHARED = True
GOLD = REPO / "tests" / "fixtures" / "shared_page_bodies.json"


def load_pages() -> list[tuple[str, str, list[tuple[int, int]]]]:
    """(id, text, gold spans) of every hand-marked page, checked against the corpus text."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    path = require_shared() / "data" / "corpora" / gold["corpus"] / "articles.jsonl"
    wanted = set(gold["bodies"])
    texts: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("id") in wanted:
                texts[rec["id"]] = rec["text"]
    pages = []
    for rid, spans in gold["bodies"].items():
        text = texts[rid]
        for (s, e), digest in zip(spans, gold["sha1"][rid]):
            if hashlib.sha1(text[s:e].encode("utf-8")).hexdigest()[:12] != digest:
                raise ValueError(f"{GOLD}: span [{s}, {e}] of {rid} no longer matches the corpus text")
        pages.append((rid, text, [(s, e) for s, e in spans]))
    return pages


def measure(full: bool = False) -> dict[str, float]:
    """Micro-averaged P/R/F1 over the hand-marked pages, plus the worst page's F1 (all pages: they are few)."""
    tp = n_pred = n_gold = 0
    worst = 1.0
    for _, text, spans in load_pages():
        cleaned = clean_text(text)
        pred = char_set(text, [(r.start, r.end) for r in cleaned.raw_body_spans()])
        gold = char_set(text, spans)
        hit = len(pred & gold)
        worst = min(worst, prf(hit, len(pred), len(gold))[2])
        tp, n_pred, n_gold = tp + hit, n_pred + len(pred), n_gold + len(gold)
    p, r, f = prf(tp, n_pred, n_gold)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "worst_page_f1": round(worst, 4)}


if __name__ == "__main__":
    run_cli(NAME, measure, "Body extraction on held-out hand-marked pages from ../shared.")
