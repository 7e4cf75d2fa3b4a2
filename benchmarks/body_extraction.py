"""Body extraction on the seeds: character-level precision, recall and F1 against hand-marked bodies.

Gold: ``tests/fixtures/seed_bodies.json`` holds, for each seed in ``seeds/``, the
character offsets of the article's paragraphs in the raw page text (marked by
hand; convention in ``docs/cleaning.md``). Prediction: the raw spans that
``scorer.clean.clean_text`` kept, through its ``body_map``. Both are compared
as sets of non-whitespace character positions, per seed and micro-averaged
over all seeds. Needs only the repository (no ../shared).

    python -m benchmarks.body_extraction
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from benchmarks._common import run_cli
from scorer.clean import clean_text
from scorer.paths import REPO

NAME = "body_extraction"
NEEDS_SHARED = False
GOLD = REPO / "tests" / "fixtures" / "seed_bodies.json"
SEEDS = REPO / "seeds"


def load_gold(path: Path = GOLD) -> dict[str, list[tuple[int, int]]]:
    """Hand-marked body spans per seed id, checked against the seed text (a changed seed fails loudly)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    gold: dict[str, list[tuple[int, int]]] = {}
    for sid, spans in data["bodies"].items():
        raw = (SEEDS / f"{sid}.txt").read_bytes().decode("utf-8")
        for (s, e), digest in zip(spans, data["sha1"][sid]):
            got = hashlib.sha1(raw[s:e].encode("utf-8")).hexdigest()[:12]
            if got != digest:
                raise ValueError(f"{path}: span [{s}, {e}] of seed {sid} no longer matches the seed text")
        gold[sid] = [(s, e) for s, e in spans]
    return gold


def char_set(raw: str, spans: list[tuple[int, int]]) -> set[int]:
    """Positions of the non-whitespace characters of ``raw`` inside ``spans``."""
    return {i for s, e in spans for i in range(s, e) if not raw[i].isspace()}


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (1.0 for empty-vs-empty)."""
    p = tp / n_pred if n_pred else float(n_gold == 0)
    r = tp / n_gold if n_gold else float(n_pred == 0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def measure(full: bool = False) -> dict[str, float]:
    """Per-seed and micro-averaged P/R/F1 of body extraction (the seeds are few, so CI runs them all)."""
    results: dict[str, float] = {}
    tp = n_pred = n_gold = 0
    for sid, spans in sorted(load_gold().items()):
        raw = (SEEDS / f"{sid}.txt").read_bytes().decode("utf-8")
        cleaned = clean_text(raw)
        pred = char_set(raw, [(r.start, r.end) for r in cleaned.raw_body_spans()])
        gold = char_set(raw, spans)
        hit = len(pred & gold)
        p, r, f = prf(hit, len(pred), len(gold))
        short = sid.split("_")[0]
        results[f"seed_{short}_precision"] = round(p, 4)
        results[f"seed_{short}_recall"] = round(r, 4)
        results[f"seed_{short}_f1"] = round(f, 4)
        tp, n_pred, n_gold = tp + hit, n_pred + len(pred), n_gold + len(gold)
    p, r, f = prf(tp, n_pred, n_gold)
    results.update(precision=round(p, 4), recall=round(r, 4), f1=round(f, 4))
    return results


if __name__ == "__main__":
    run_cli(NAME, measure, "Character-level precision/recall of body extraction on the hand-marked seeds.")
