"""Attribution: cues, sources and content (interim; see issue on sourcing signals)."""

from __future__ import annotations

from scorer.analysis import Analysis, Attribution


def find_attributions(analysis: Analysis) -> list[Attribution]:
    """Not implemented yet: returns no attributions."""
    return []
