"""Direct quotation spans, robust to the quote marks of scraped text.

Double quotes (curly “ ”, straight ", low „, guillemets « ») are paired by one
left-to-right scan:

* a curly or low opening mark always opens, a curly closing mark always closes;
  a straight ``"`` opens or closes by its neighbours (space before and a word
  after opens; a word or punctuation before and space after closes) and by
  whether a quote is open;
* a quote still open at the end of a paragraph continues into the next paragraph
  when that paragraph begins with an opening mark (the newspaper convention for
  multi-paragraph quotes); otherwise it ends there, marked ``closed=False``;
* a second opening mark while a quote is open ends the first, unclosed, just
  before it, so one stray mark cannot swallow the rest of the article.

Single-quoted spans (scare quotes, headline quotes, quotes inside quotes) are
found outside double quotes only, and an apostrophe between letters ("don’t",
"Russia’s") never opens or closes one. ``Quote.span`` includes the marks,
``Quote.inner`` does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scorer.signals.spec import Signal
from scorer.spans import Span


@dataclass(frozen=True)
class Quote:
    """A direct quotation: ``span`` includes the quote marks, ``inner`` does not."""

    span: Span
    inner: Span
    closed: bool = True  # False when the closing mark was missing (scraped text)
    mark: str = "double"  # "double" (“ ” " „ «) or "single" (‘ ’ ')


_OPEN_ONLY = "“„«‟"
_CLOSE_ONLY = "”»"
_STRAIGHT = '"'
_MARKS = re.compile(r"[“„«‟”»\"]|\n[ \t\r\f\v]*\n")
# Single-quoted span: opening mark not after a letter/digit, 1-600 characters of
# content that may hold apostrophes before a letter/digit, closing mark after a
# non-space and not before a letter/digit. Whether a character may be content
# depends on it and its successor only, so the content after an opening mark runs
# to the end of the maximal run of content characters, which every opening mark
# inside that run shares: one left-to-right scan finds each run once.
_SINGLE_OPEN = re.compile(r"(?<![\w’'])[‘'](?=[^\s’'])")
_SINGLE_CONTENT = re.compile(r"(?:[^‘’'\n“”\"]|[’'](?=\w))*")
_SINGLE_CLOSE = re.compile(r"(?<=\S)[’'](?![\w’'])")
_MAX_SINGLE_CHARS = 600
_MAX_QUOTE_CHARS = 20_000


def _straight_opens(text: str, i: int, is_open: bool) -> bool:
    """Whether a straight ``"`` at ``i`` opens a quote (else it closes one)."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isspace() or before in "([{—–-/":
        if not after.isspace():
            return True  # ' "word'
    if after.isspace() or after in ".,;:!?)]}—–-":
        return False  # 'word" ' or '."'
    return not is_open


def _next_para_opens(text: str, pos: int) -> int | None:
    """Index of the opening mark that starts the paragraph at ``pos`` (after white space), if any."""
    n = len(text)
    while pos < n and text[pos].isspace():
        pos += 1
    if pos < n and (text[pos] in _OPEN_ONLY or text[pos] == _STRAIGHT):
        return pos
    return None


def _double_quotes(text: str) -> list[Quote]:
    """Pair double quote marks in one scan (see the module docstring)."""
    out: list[Quote] = []
    open_at: int | None = None
    skip_until = -1
    for m in _MARKS.finditer(text):
        i = m.start()
        if i < skip_until:
            continue
        ch = text[i]
        if ch == "\n":  # paragraph break
            if open_at is None:
                continue
            cont = _next_para_opens(text, m.end())
            if cont is not None and cont - open_at < _MAX_QUOTE_CHARS:
                skip_until = cont + 1  # the continuation mark belongs to the same quote
                continue
            end = i
            while end > open_at + 1 and text[end - 1].isspace():
                end -= 1
            out.append(Quote(Span(open_at, end), Span(open_at + 1, end), closed=False))
            open_at = None
            continue
        if ch in _OPEN_ONLY:
            opens = True
        elif ch in _CLOSE_ONLY:
            opens = False
        else:
            opens = _straight_opens(text, i, open_at is not None)
        if opens:
            if open_at is not None:
                end = i
                while end > open_at + 1 and text[end - 1].isspace():
                    end -= 1
                out.append(Quote(Span(open_at, end), Span(open_at + 1, end), closed=False))
            open_at = i
        elif open_at is not None:
            out.append(Quote(Span(open_at, i + 1), Span(open_at + 1, i), closed=True))
            open_at = None
        # a closing mark with nothing open is a stray: ignored
    if open_at is not None:
        end = len(text)
        while end > open_at + 1 and text[end - 1].isspace():
            end -= 1
        out.append(Quote(Span(open_at, end), Span(open_at + 1, end), closed=False))
    return [q for q in out if q.inner.length > 0]


def _single_spans(text: str) -> list[tuple[int, int]]:
    """(open, close) indices of the marks of every single-quoted span, left to right.

    Linear time: the end of the content run after an opening mark is computed once
    per run and reused by every later opening mark inside it (text like
    `` 'a 'a 'a`` holds one run with an opening mark every three characters).
    """
    out: list[tuple[int, int]] = []
    run_end = -1  # end of the last content run computed
    resume = 0  # the previous span's end: spans never overlap
    for m in _SINGLE_OPEN.finditer(text):
        i = m.start()
        if i < resume:
            continue
        if i + 1 >= run_end:
            run_end = _SINGLE_CONTENT.match(text, i + 1).end()
        j = run_end  # the closing mark, if any, is the first character that cannot be content
        if 0 < j - (i + 1) <= _MAX_SINGLE_CHARS and _SINGLE_CLOSE.match(text, j):
            out.append((i, j))
            resume = j + 1
    return out


def _single_quotes(text: str, doubles: list[Quote]) -> list[Quote]:
    """Single-quoted spans lying outside every double-quoted span."""
    out: list[Quote] = []
    k = 0
    for i, j in _single_spans(text):
        span = Span(i, j + 1)
        while k < len(doubles) and doubles[k].span.end <= span.start:
            k += 1
        if k < len(doubles) and doubles[k].span.overlaps(span):
            continue
        out.append(Quote(span, Span(i + 1, j), closed=True, mark="single"))
    return out


def find_quotes(text: str) -> list[Quote]:
    """All direct quotation spans of ``text`` in order of position; never raises on odd marks."""
    doubles = _double_quotes(text)
    singles = _single_quotes(text, doubles)
    if not singles:
        return doubles
    return sorted(doubles + singles, key=lambda q: q.span.start)


SIGNAL = Signal("quotes", "Quotes", find=lambda analysis: find_quotes(analysis.text))
