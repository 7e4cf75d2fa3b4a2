"""Attribution against PolNeAR dev: cue, source and attribution-bearing sentence P/R/F1.

Gold: ../shared/data/gold/polnear (brat standoff; first annotator per article).
Cue and source spans are scored with one-to-one overlap matching: identical
predicted spans count once (two cues sharing one source predict that source
once, as the gold annotates it once), then a maximum matching pairs predicted
and gold spans that overlap, each used at most once, so one long predicted
span cannot find two gold cues and two predictions inside one gold cue count
one hit. Sources are also scored with exact matching. A sentence is
attribution-bearing when it overlaps a gold cue, and predicted so when it holds
a predicted cue (the PolNeAR SOURCE.md baseline: a reporting-verb regex reaches
sentence F1 0.652 on dev). Content spans are scored with overlap matching too
(reported, not gated). The cue model is trained on train only.
"""

from __future__ import annotations

import bisect

import scorer
from benchmarks._common import require_shared, run_cli
from scorer.training.train_attribution import load_polnear
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


def _max_matching(adj: list[list[int]]) -> int:
    """Size of a maximum bipartite matching; ``adj[i]`` lists the gold indices prediction ``i`` may take."""
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for g in adj[i]:
            if g in seen:
                continue
            seen.add(g)
            if g not in owner or augment(owner[g], seen):
                owner[g] = i
                return True
        return False

    return sum(augment(i, set()) for i in range(len(adj)))


def score_overlap(pred: list[Span], gold: list[list[Span]]) -> tuple[int, int, int, int]:
    """(pred matched, pred total, gold matched, gold total) under one-to-one overlap matching.

    Identical predicted spans are merged first; a gold span with several
    fragments is matched through any of them.
    """
    pred = sorted(set(pred))
    frags = sorted((f, gi) for gi, g in enumerate(gold) for f in g)
    starts = [f.start for f, _ in frags]
    adj = []
    for p in pred:
        k = bisect.bisect_left(starts, p.end)
        adj.append(sorted({gi for f, gi in frags[max(0, k - 40):k] if f.overlaps(p)}))
    matched = _max_matching(adj)
    return matched, len(pred), matched, len(gold)


def score_exact(pred: list[Span], gold: list[list[Span]]) -> tuple[int, int, int, int]:
    """(pred matched, pred total, gold matched, gold total) under exact matching (whole extent)."""
    gold_set = {Span(g[0].start, g[-1].end) for g in gold} | {f for g in gold for f in g}
    pred_set = set(pred)
    tp_pred = sum(p in gold_set for p in pred_set)
    tp_gold = sum(Span(g[0].start, g[-1].end) in pred_set or any(f in pred_set for f in g) for g in gold)
    return tp_pred, len(pred_set), tp_gold, len(gold)


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
