"""Character spans: the currency of evidence.

Every finding the tool reports points back into the exact text it was given as
``(start, end)`` character offsets, so callers can compare against gold
annotations and highlight evidence without re-searching the text.
"""

from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    """Half-open character range ``[start, end)`` into one text."""

    start: int
    end: int

    def of(self, text: str) -> str:
        """The substring of ``text`` this span covers."""
        return text[self.start : self.end]

    @property
    def length(self) -> int:
        """Number of characters covered (0 for an empty or inverted span)."""
        return max(0, self.end - self.start)

    def overlaps(self, other: "Span") -> bool:
        """True when the two spans share at least one character."""
        return self.start < other.end and other.start < self.end

    def contains(self, other: "Span") -> bool:
        """True when ``other`` lies entirely inside this span."""
        return self.start <= other.start and other.end <= self.end
