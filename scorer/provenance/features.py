"""Per-article provenance features (catalogue group ``provenance``) from a corpus run.

These need the other articles of a corpus, so they come from a
:class:`~scorer.provenance.report.ReuseReport`, not from one article's analysis.
Articles with no reuse get zeros: what an article says about its own origin on its
own is the ``origin`` feature group, computed per article.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from scorer.provenance.clusters import REUSE_KINDS
from scorer.provenance.report import ReuseReport

if TYPE_CHECKING:
    import pandas as pd

#: Column names, as in ``scorer/data/features.csv`` (group ``provenance``).
FEATURES = (
    "provenance_reused_share",
    "provenance_max_origin_share",
    "provenance_is_derived",
    "provenance_undisclosed_reuse",
    "provenance_reused_by",
    "provenance_wire_copy",
)


def _one(report: ReuseReport, article_id: str, wires: frozenset[str]) -> dict[str, float]:
    """Feature values of one article."""
    meta = report.meta.get(article_id)
    pairs = [p for p in report.pairs_of(article_id) if p.kind in REUSE_KINDS]
    free = report.free_chars.get(article_id, 0)
    reused = sum(report.reused_sentences.get(article_id, {}).values())
    reused_share = min(1.0, reused / free) if free else 0.0
    max_share = 0.0
    derived = bool(pairs) and bool(meta and meta.derived_from)
    reused_by = 0
    source_here = False
    for p in pairs:
        here_a = p.a == article_id
        max_share = max(max_share, p.a_share if here_a else p.b_share)
        if p.direction == "common_source" or p.direction == ("a_from_b" if here_a else "b_from_a"):
            derived = True
        elif p.direction == ("b_from_a" if here_a else "a_from_b"):
            reused_by += 1
            source_here = True
    undisclosed = bool(pairs) and not (meta and meta.discloses) and not (source_here and not derived)
    cluster = report.cluster_of(article_id) if pairs else None
    wire = bool(pairs) and (bool(meta and any(o in wires for o in meta.derived_from)) or bool(
        cluster and cluster.wire and cluster.origin_id != article_id))
    return {
        "provenance_reused_share": round(reused_share, 4),
        "provenance_max_origin_share": round(max_share, 4),
        "provenance_is_derived": float(derived),
        "provenance_undisclosed_reuse": float(undisclosed),
        "provenance_reused_by": float(reused_by),
        "provenance_wire_copy": float(wire),
    }


def feature_values(report: ReuseReport, article_id: str) -> dict[str, float]:
    """The ``provenance`` catalogue values of one article, as a plain dict (no pandas import)."""
    from scorer.signals.origin import outlet_names

    return _one(report, article_id, outlet_names().wires)


def article_features(report: ReuseReport, ids: Iterable[str]) -> "pd.DataFrame":
    """A DataFrame indexed by article id with exactly the ``provenance`` catalogue columns."""
    import pandas as pd

    from scorer.signals.origin import outlet_names

    wires = outlet_names().wires
    ids = list(ids)
    rows = [_one(report, i, wires) for i in ids]
    frame = pd.DataFrame(rows, index=pd.Index(ids, name="id"), columns=list(FEATURES))
    return frame.fillna(0.0).astype(float)
