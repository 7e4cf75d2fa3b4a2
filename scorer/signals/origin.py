"""Disclosed-origin statements (interim; see issue on provenance)."""

from __future__ import annotations

from scorer.analysis import Analysis, OriginStatement


def find_origin(analysis: Analysis) -> list[OriginStatement]:
    """Not implemented yet: returns no statements."""
    return []
