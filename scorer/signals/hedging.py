"""Hedging cues (interim; see issue on sourcing signals)."""

from __future__ import annotations

from scorer.analysis import Analysis, Hedge


def find_hedges(analysis: Analysis) -> list[Hedge]:
    """Not implemented yet: returns no hedges."""
    return []
