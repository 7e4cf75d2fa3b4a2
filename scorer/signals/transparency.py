"""Transparency: does the article say who wrote it and when (from its metadata, not its body).

Both rest on the Trust Project's indicators "Author/Reporter" (who made the
story) and dates (when it was published); an article read from plain text
with no metadata has neither.
"""

from __future__ import annotations

from scorer.analysis import Analysis
from scorer.signals.spec import FeatureSpec, Signal


def _byline(analysis: Analysis) -> float:
    art = analysis.article
    return 1.0 if art is not None and any(a.strip() for a in art.authors) else 0.0


def _dated(analysis: Analysis) -> float:
    art = analysis.article
    return 1.0 if art is not None and bool(art.date) else 0.0


FEATURES: tuple[FeatureSpec, ...] = (
    FeatureSpec("byline_present", "transparency", "1 when the article names its author(s)", "flag", 1,
                "Trust Project indicator 'Author/Reporter': the story says who made it", value=_byline),
    FeatureSpec("date_present", "transparency", "1 when the article carries a publication date", "flag", 1,
                "Trust Project indicators: a story shows when it was published and updated", value=_dated),
)

SIGNAL = Signal("transparency", "Transparency", features=FEATURES)
