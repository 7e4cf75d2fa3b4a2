"""Split text into paragraphs and sentences, keeping character offsets."""

from __future__ import annotations

import re

from scorer.spans import Span

_PARA = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*")
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


def segment(text: str) -> tuple[list[Span], list[Span]]:
    """Paragraph spans and sentence spans of ``text`` (interim splitter)."""
    paragraphs = [Span(m.start(), m.end()) for m in _PARA.finditer(text) if m.group().strip()]
    sentences: list[Span] = []
    for para in paragraphs:
        start = para.start
        for m in _SENT_END.finditer(text, para.start, para.end):
            sentences.append(Span(start, m.start()))
            start = m.end()
        if start < para.end:
            sentences.append(Span(start, para.end))
    return paragraphs, sentences
