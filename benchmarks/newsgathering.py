"""Newsgathering and aggregation statements against hand-labelled sentences.

Gold: ``labels/newsgathering_sentences.csv`` (corpus, article id, character
offsets of a sentence in the record's raw ``text``, its kinds), labelled from
``../shared`` corpora before the rules in
``scorer/data/lexicons/newsgathering.tsv`` were measured on them (guideline:
``labels/guidelines/newsgathering.md``). Half the sentences were drawn at
random and half through deliberately broad keyword nets, so both precision and
recall mean something. Each gold sentence is matched to the findings whose span
overlaps it (the detector's own sentence splitting may differ). Reported per
family (``gathered``: told this outlet, interview, email or call, right of
reply, documents, dateline, contributor line; ``relayed``: another outlet's
report, first reported by, media reports, credit lines): precision, recall, F1
over sentences, plus ``right_of_reply`` alone (the one newsgathering probe that
has earned a weight before).

One known disagreement by design: the guideline labels every "told <outlet>"
as newsgathering, while the signal counts "told CNN" in a story that is not
CNN's as relayed (the article passes on CNN's interview).
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict

import scorer
from benchmarks._common import require_shared, run_cli
from scorer.article import Article
from scorer.paths import REPO
from scorer.spans import Span

NAME = "newsgathering"
GOLD = REPO / "labels" / "newsgathering_sentences.csv"
GATHERED = frozenset({"told_outlet", "interview", "direct_contact", "right_of_reply", "documents", "dateline",
                      "contributor_line"})
RELAYED = frozenset({"outlet_report", "first_reported", "media_reports", "credit_line"})


def load_gold() -> dict[tuple[str, str], list[tuple[Span, frozenset[str]]]]:
    """Gold sentences grouped by (corpus, article id)."""
    out: dict[tuple[str, str], list[tuple[Span, frozenset[str]]]] = defaultdict(list)
    with GOLD.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            kinds = frozenset(k for k in row["kinds"].split("|") if k and k != "none")
            out[(row["corpus"], row["article"])].append((Span(int(row["start"]), int(row["end"])), kinds))
    return out


def _records(wanted: set[tuple[str, str]]) -> dict[tuple[str, str], dict]:
    """The raw corpus records of the wanted articles."""
    root = require_shared() / "data" / "corpora"
    corpora = {c for c, _ in wanted}
    out = {}
    for corpus in sorted(corpora):
        with (root / corpus / "articles.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                key = (corpus, str(rec["id"]))
                if key in wanted:
                    out[key] = rec
    return out


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def measure(full: bool = False) -> dict[str, float]:
    """Sentence-level P/R/F1 per family on the gold sentences (all of them in CI too: about 20 s)."""
    gold = load_gold()
    keys = sorted(gold)
    records = _records(set(keys))
    counts: dict[str, list[int]] = {name: [0, 0, 0] for name in ("gathered", "relayed", "right_of_reply")}
    sentences = 0
    for key in keys:
        rec = records.get(key)
        if rec is None:
            continue
        article = Article(id=str(rec["id"]), text=rec.get("text") or "",
                          outlet=rec.get("source_name") or rec.get("domain"), url=rec.get("url"))
        found = scorer.analyse(article).found("reporting")
        for span, kinds in gold[key]:
            sentences += 1
            here = [r for r in found if r.span.overlaps(span)]
            predicted = {
                "gathered": any(r.family == "gathered" for r in here),
                "relayed": any(r.family == "relayed" for r in here),
                "right_of_reply": any(r.kind == "right_of_reply" for r in here),
            }
            truth = {"gathered": bool(kinds & GATHERED), "relayed": bool(kinds & RELAYED),
                     "right_of_reply": "right_of_reply" in kinds}
            for name in counts:
                tp, fp, fn = counts[name]
                counts[name] = [tp + (predicted[name] and truth[name]), fp + (predicted[name] and not truth[name]),
                                fn + (truth[name] and not predicted[name])]
    out: dict[str, float] = {"sentences": float(sentences)}
    for name, (tp, fp, fn) in counts.items():
        p, r, f = _prf(tp, fp, fn)
        out.update({f"{name}_precision": round(p, 4), f"{name}_recall": round(r, 4), f"{name}_f1": round(f, 4),
                    f"{name}_gold": float(tp + fn)})
    return out


def main() -> None:
    run_cli(NAME, measure, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
