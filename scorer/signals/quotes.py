"""Direct quotation spans (interim; see issue on sourcing signals)."""

from __future__ import annotations

import re

from scorer.analysis import Quote
from scorer.spans import Span

_QUOTE = re.compile(r"[“\"]([^“”\"\n]{1,2000})[”\"]")


def find_quotes(text: str) -> list[Quote]:
    """Balanced double-quoted spans within one paragraph."""
    return [Quote(Span(m.start(), m.end()), Span(m.start(1), m.end(1))) for m in _QUOTE.finditer(text)]
