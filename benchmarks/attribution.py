"""Attribution against PolNeAR dev: cue, source and attribution-bearing sentence P/R/F1.

Gold: ../shared/data/gold/polnear (brat standoff; first annotator per article).
Cue and source spans are scored with overlap matching (a predicted span is
right when it overlaps a gold span of the same role; a gold span is found when
a predicted span overlaps it), sources also with exact matching. A sentence is
attribution-bearing when it overlaps a gold cue, and predicted so when it holds
a predicted cue (the PolNeAR SOURCE.md baseline: a reporting-verb regex reaches
sentence F1 0.652 on dev). Content spans are scored with overlap matching too
(reported, not gated). The cue model is trained on train only.
"""

from __future__ import annotations

import bisect

import scorer
from benchmarks._common import require_shared, run_cli
from scorer.signals.train_attribution import load_polnear
from scorer.spans import Span

NAME = "attribution"


def _prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> tuple[float, float, float]:
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


class _Index:
    """Sorted spans for fast overlap look-ups."""

    def __init__(self, spans: list[Span]) -> None:
        self.spans = sorted(spans)
        self.starts = [s.start for s in self.spans]

    def any_overlap(self, span: Span) -> bool:
        k = bisect.bisect_left(self.starts, span.end)
        for j in range(k - 1, max(-1, k - 40), -1):
            if self.spans[j].overlaps(span):
                return True
        return False


def score_overlap(pred: list[Span], gold: list[list[Span]]) -> tuple[int, int, int, int]:
    """(pred matched, pred total, gold matched, gold total) under overlap matching."""
    gold_frags = _Index([f for g in gold for f in g])
    pred_idx = _Index(pred)
    tp_pred = sum(gold_frags.any_overlap(p) for p in pred)
    tp_gold = sum(any(pred_idx.any_overlap(f) for f in g) for g in gold)
    return tp_pred, len(pred), tp_gold, len(gold)


def score_exact(pred: list[Span], gold: list[list[Span]]) -> tuple[int, int, int, int]:
    """(pred matched, pred total, gold matched, gold total) under exact matching (whole extent)."""
    gold_set = {Span(g[0].start, g[-1].end) for g in gold} | {f for g in gold for f in g}
    pred_set = set(pred)
    tp_pred = sum(p in gold_set for p in pred)
    tp_gold = sum(Span(g[0].start, g[-1].end) in pred_set or any(f in pred_set for f in g) for g in gold)
    return tp_pred, len(pred), tp_gold, len(gold)


def evaluate(split: str = "dev", part: slice = slice(None)) -> dict[str, float]:
    """All attribution figures on (a slice of) a PolNeAR split; development uses the tail of train."""
    arts = load_polnear(split)[part]
    tot = {k: [0, 0, 0, 0] for k in ("cue", "source", "source_exact", "content", "sentence")}
    for art in arts:
        a = scorer.analyse(art.text)
        cues = [x.cue for x in a.attributions if x.cue is not None]
        sources = [x.source for x in a.attributions if x.source is not None]
        gold_cues = art.spans.get("Cue", [])
        gold_src = art.spans.get("Source", [])
        contents = [x.content for x in a.attributions if x.content is not None]
        for key, res in (("cue", score_overlap(cues, gold_cues)), ("source", score_overlap(sources, gold_src)),
                         ("source_exact", score_exact(sources, gold_src)),
                         ("content", score_overlap(contents, art.spans.get("Content", [])))):
            for i in range(4):
                tot[key][i] += res[i]
        gold_idx = _Index([f for g in gold_cues for f in g])
        cue_idx = _Index(cues)
        for sent in a.sentences:
            g = gold_idx.any_overlap(sent)
            p = cue_idx.any_overlap(sent)
            tot["sentence"][0] += int(g and p)
            tot["sentence"][1] += int(p)
            tot["sentence"][2] += int(g and p)
            tot["sentence"][3] += int(g)
    out: dict[str, float] = {}
    for key, (tpp, npred, tpg, ngold) in tot.items():
        p, r, f = _prf(tpp, npred, tpg, ngold)
        out[f"{key}_p"], out[f"{key}_r"], out[f"{key}_f1"] = round(p, 4), round(r, 4), round(f, 4)
    out["articles"] = float(len(arts))
    return out


def measure(full: bool = False) -> dict[str, float]:
    """PolNeAR dev figures (the whole dev split is small enough for CI too)."""
    require_shared()
    return evaluate("dev")


if __name__ == "__main__":
    run_cli(NAME, measure, __doc__.splitlines()[0])
