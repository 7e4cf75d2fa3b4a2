"""Hedging against the Szeged uncertainty corpus, FactBank news dev half: sentence-level "uncertain" F1.

Gold: ../shared/data/gold/szeged-uncertainty/factbank_dev.xml. A gold sentence
is uncertain when it holds any ``<ccue>`` (epistemic, doxastic, condition,
investigation); it is predicted uncertain when a hedge cue found by
``scorer.analyse`` on the whole document starts inside it. Cue-level overlap
P/R/F1 is reported too. Published lexicons reach sentence F1 0.56-0.63 here;
the hedge model is trained on WikiWeasel and BioScope only, never on FactBank.

``python -m benchmarks.hedging --cv 4 --thresholds 0.35,0.4,0.45,0.5,0.55``
runs document-fold cross-validation on the training parts instead (wiki,
bio_bmc, bio_fly; FactBank untouched): it is how features and the threshold
were chosen (see docs/signals.md).
"""

from __future__ import annotations

import argparse
import bisect
import json
import sys
import tempfile
from pathlib import Path

import scorer
from benchmarks._common import require_shared, run_cli
from scorer.training.train_hedging import GoldDoc, load_szeged

NAME = "hedging"


def _f(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(docs: list[GoldDoc]) -> dict[str, float]:
    """Sentence-level and cue-level figures over ``docs``."""
    tp = fp = fn = 0
    cue_tp_pred = cue_pred = cue_tp_gold = cue_gold = 0
    for doc in docs:
        a = scorer.analyse(doc.text)
        starts = [s.start for s in doc.sentences]
        predicted = set()
        for h in a.hedges:
            k = bisect.bisect_right(starts, h.cue.start) - 1
            if k >= 0 and h.cue.start < doc.sentences[k].end:
                predicted.add(k)
        gold = set()
        for c, _ in doc.cues:
            k = bisect.bisect_right(starts, c.start) - 1
            if k >= 0:
                gold.add(k)
        tp += len(predicted & gold)
        fp += len(predicted - gold)
        fn += len(gold - predicted)
        gold_cues = [c for c, _ in doc.cues]
        cue_pred += len(a.hedges)
        cue_gold += len(gold_cues)
        cue_tp_pred += sum(any(h.cue.overlaps(c) for c in gold_cues) for h in a.hedges)
        cue_tp_gold += sum(any(h.cue.overlaps(c) for h in a.hedges) for c in gold_cues)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    cp = cue_tp_pred / cue_pred if cue_pred else 0.0
    cr = cue_tp_gold / cue_gold if cue_gold else 0.0
    return {"sentence_p": round(p, 4), "sentence_r": round(r, 4), "sentence_f1": round(_f(p, r), 4),
            "cue_p": round(cp, 4), "cue_r": round(cr, 4), "cue_f1": round(_f(cp, cr), 4),
            "documents": float(len(docs))}


def measure(full: bool = False) -> dict[str, float]:
    """FactBank dev figures (104 documents; fast enough for CI)."""
    require_shared()
    return evaluate(load_szeged("factbank_dev"))


def crossval(k: int = 4, thresholds: tuple[float, ...] = (0.4,),
             parts: tuple[str, ...] = ("wiki", "bio_bmc", "bio_fly")) -> dict[str, float]:
    """Mean per-fold sentence and cue F1 of the whole detector on ``k`` document folds of the training parts.

    Fold ``f`` holds out every ``k``-th document of each part; the model is
    retrained on the rest with :func:`scorer.training.train_hedging.train_docs`
    and scored at each threshold. The shipped model file is never touched.
    """
    from scorer.signals import hedging
    from scorer.training.train_hedging import train_docs

    require_shared()
    data = {part: load_szeged(part) for part in parts}
    sums: dict[str, float] = {}
    shipped = hedging.MODEL_PATH
    try:
        for fold in range(k):
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "hedge_cue_model.json"
                train_docs(path, [d for ds in data.values() for i, d in enumerate(ds) if i % k != fold])
                model = json.loads(path.read_text(encoding="utf-8"))
                hedging.MODEL_PATH = path
                for t in thresholds:
                    path.write_text(json.dumps({**model, "threshold": t}), encoding="utf-8")
                    hedging._model.cache_clear()
                    for part, ds in data.items():
                        r = evaluate([d for i, d in enumerate(ds) if i % k == fold])
                        for metric in ("sentence_p", "sentence_r", "sentence_f1", "cue_f1"):
                            key = f"{t}.{part}.{metric}"
                            sums[key] = sums.get(key, 0.0) + r[metric] / k
    finally:
        hedging.MODEL_PATH = shipped
        hedging._model.cache_clear()
    return {key: round(v, 4) for key, v in sums.items()}


if __name__ == "__main__":
    if "--cv" in sys.argv:
        parser = argparse.ArgumentParser(prog="python -m benchmarks.hedging --cv")
        parser.add_argument("--cv", type=int, default=4, help="number of document folds")
        parser.add_argument("--thresholds", default="0.4")
        args = parser.parse_args()
        cv = crossval(args.cv, tuple(float(t) for t in args.thresholds.split(",")))
        print(json.dumps(cv, indent=2, sort_keys=True))
    else:
        run_cli(NAME, measure, __doc__.splitlines()[0])
