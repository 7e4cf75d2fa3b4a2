"""Routing: precision and recall of the health-scope rule against hand-labelled articles.

HealthNewsReview.org's criteria apply to stories about a medical treatment,
test, product or procedure. ``labels/health_scope.csv`` (corpus, article,
in_scope, ...) marks hand-labelled articles from several corpora in or out of
that scope; this benchmark reads each labelled article from ``../shared`` and
compares :func:`scorer.domain.domain_of` with the label, for the shipped scope
rule (``scorer/data/model/health_scope.json``) and the earlier rule (generic
medical vocabulary, ``domains.json``). The rules were written before the
labels were read; nothing is tuned on them.

``python -m benchmarks.health_scope [--full]`` (the labels are few, so both
modes read them all). ``SCORER_HEALTH_SCOPE`` may point at another copy of the
label file; without a label file the benchmark exits with a message.
"""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

from benchmarks._common import require_shared, run_cli
from scorer.paths import REPO

NAME = "health_scope"
LABELS = REPO / "labels" / "health_scope.csv"


def label_path() -> Path:
    """The label file (``SCORER_HEALTH_SCOPE`` overrides the committed one)."""
    return Path(os.environ.get("SCORER_HEALTH_SCOPE") or LABELS)


def precision_recall(pred: list[bool], gold: list[bool]) -> dict[str, float]:
    """Precision, recall and F1 of ``pred`` against ``gold`` (NaN where undefined)."""
    tp = sum(p and g for p, g in zip(pred, gold))
    fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum(g and not p for p, g in zip(pred, gold))
    prec = tp / (tp + fp) if tp + fp else float("nan")
    rec = tp / (tp + fn) if tp + fn else float("nan")
    f1 = 2 * prec * rec / (prec + rec) if tp else 0.0
    return {"precision": prec, "recall": rec, "f1": f1}


def measure(full: bool = False) -> dict[str, float]:
    """P/R/F1 of the scope rule and of the earlier rule, overall and per corpus."""
    root = require_shared()
    import scorer
    from scorer.domain import LEGACY_RULE_PATH, RULE_PATH, domain_of, load_rule
    from scorer.training_data import corpus_path

    path = label_path()
    if not path.is_file():
        sys.exit(f"{path}: no health-scope label file")
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("in_scope") in ("0", "1")]
    wanted = {(r["corpus"], r["article"]) for r in rows}
    texts: dict[tuple[str, str], str] = {}
    for corpus in sorted({c for c, _ in wanted}):
        for art in scorer.read_corpus(corpus_path(corpus, root), on_error=lambda e: None):
            if (corpus, art.id) in wanted:
                texts[(corpus, art.id)] = art.text
    rows = [r for r in rows if (r["corpus"], r["article"]) in texts]
    gold = [r["in_scope"] == "1" for r in rows]
    out: dict[str, float] = {"articles": float(len(rows)), "in_scope": float(sum(gold))}
    for name, rule_path in (("scope", RULE_PATH), ("legacy", LEGACY_RULE_PATH)):
        rule = load_rule(rule_path)
        pred = [domain_of(texts[(r["corpus"], r["article"])], rule) != "general" for r in rows]
        out.update({f"{name}.{k}": v for k, v in precision_recall(pred, gold).items()})
        for corpus in sorted({r["corpus"] for r in rows}):
            idx = [i for i, r in enumerate(rows) if r["corpus"] == corpus]
            pr = precision_recall([pred[i] for i in idx], [gold[i] for i in idx])
            out[f"{name}.{corpus}.routed_share"] = sum(pred[i] for i in idx) / len(idx)
            out[f"{name}.{corpus}.recall"] = pr["recall"]
            out[f"{name}.{corpus}.precision"] = pr["precision"]
    return {k: round(v, 4) for k, v in out.items()}


if __name__ == "__main__":
    run_cli(NAME, measure, __doc__.splitlines()[0])
