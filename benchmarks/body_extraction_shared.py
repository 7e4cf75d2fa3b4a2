"""Body extraction on held-out scraped pages from ../shared: character-level precision, recall, F1.

The seeds (``benchmarks/body_extraction.py``) are the pages the cleaning rules
were developed on, so their figures are in-sample. This benchmark measures the
same thing on pages of ``articlecomparisons-helsinki`` (scraped news pages from
many outlets) whose bodies were hand-marked after the rules were written
(``tests/fixtures/shared_page_bodies.json``: offsets only, no corpus text):
ten pages that were then used to fix errors (``tuned``: plain metric names),
eight more, one per outlet, also used to fix errors (``dev_*``), and ten, one per
outlet, never used to change the cleaner (``untouched_*``).
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


def load_pages(which: str | None = None) -> list[tuple[str, str, list[tuple[int, int]]]]:
    """(id, text, gold spans) of the hand-marked pages of set ``which`` (all when None), checked against the corpus."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    path = require_shared() / "data" / "corpora" / gold["corpus"] / "articles.jsonl"
    wanted = set(gold["sets"][which]) if which else set(gold["bodies"])
    texts: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("id") in wanted:
                texts[rec["id"]] = rec["text"]
    pages = []
    for rid, spans in gold["bodies"].items():
        if rid not in wanted:
            continue
        text = texts[rid]
        for (s, e), digest in zip(spans, gold["sha1"][rid]):
            if hashlib.sha1(text[s:e].encode("utf-8")).hexdigest()[:12] != digest:
                raise ValueError(f"{GOLD}: span [{s}, {e}] of {rid} no longer matches the corpus text")
        pages.append((rid, text, [(s, e) for s, e in spans]))
    return pages


def _score(pages: list[tuple[str, str, list[tuple[int, int]]]]) -> tuple[float, float, float, float]:
    """Micro-averaged precision, recall, F1, and the worst page's F1."""
    tp = n_pred = n_gold = 0
    worst = 1.0
    for _, text, spans in pages:
        cleaned = clean_text(text)
        pred = char_set(text, [(r.start, r.end) for r in cleaned.raw_body_spans()])
        gold = char_set(text, spans)
        hit = len(pred & gold)
        worst = min(worst, prf(hit, len(pred), len(gold))[2])
        tp, n_pred, n_gold = tp + hit, n_pred + len(pred), n_gold + len(gold)
    p, r, f = prf(tp, n_pred, n_gold)
    return p, r, f, worst


def measure(full: bool = False) -> dict[str, float]:
    """P/R/F1 per set: 'tuned' (plain keys), 'dev' (``dev_*``), 'untouched' (``untouched_*``); all pages, they are few."""
    results: dict[str, float] = {}
    for which, prefix in (("tuned", ""), ("dev", "dev_"), ("untouched", "untouched_")):
        p, r, f, worst = _score(load_pages(which))
        results.update({f"{prefix}precision": round(p, 4), f"{prefix}recall": round(r, 4), f"{prefix}f1": round(f, 4),
                        f"{prefix}worst_page_f1": round(worst, 4)})
    return results


if __name__ == "__main__":
    run_cli(NAME, measure, "Body extraction on held-out hand-marked pages from ../shared.")
