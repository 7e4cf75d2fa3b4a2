"""Split text into paragraphs and sentences, keeping exact character offsets.

Paragraphs are blocks separated by blank lines. Sentences end at ``.``, ``!``,
``?`` or ``…`` (plus any closing quote marks or brackets) followed by space and
a capital, digit or opening quote; at a line break unless the next line
continues in lower case; and never after a title or date abbreviation ("Mr.",
"Gen.", "Jan."), an initial ("John F. Kennedy"), or an ambiguous abbreviation
("U.S.", "Inc.") unless the next word is a common sentence opener. Spans are
trimmed of surrounding white space and index into the exact text passed in.

No sentence is longer than :data:`MAX_SENTENCE_CHARS`: a longer run of text
(a page with no punctuation, a list pasted as one line) is cut at white space,
after a comma or semicolon where there is one. The signals do work per
sentence that grows faster than its length, so this bound is what keeps the
analysis linear in the length of any text (issue 13: 1.6 MB without a full
stop took 49 s, and 5 MB did not finish).

This module also holds :func:`load_lexicon`, the one loader of the word lists
under ``scorer/data/lexicons/`` used by every sourcing signal.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from scorer.spans import Span

LEXICON_DIR = Path(__file__).resolve().parent / "data" / "lexicons"


@lru_cache(maxsize=None)
def load_lexicon(name: str) -> tuple[str, ...]:
    """Entries of ``scorer/data/lexicons/<name>.txt``: one per line, ``#`` starts a comment.

    Loaded once and cached, so signals can call it on every article for free.
    """
    path = LEXICON_DIR / f"{name}.txt"
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            entries.append(line)
    return tuple(entries)


@lru_cache(maxsize=None)
def _abbrev_sets() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """(never-final, numeric, ambiguous abbreviations, sentence openers), loaded once."""
    return (frozenset(load_lexicon("abbreviations")), frozenset(load_lexicon("numeric_abbreviations")),
            frozenset(load_lexicon("ambiguous_abbreviations")), frozenset(load_lexicon("sentence_openers")))


_PARA = re.compile(r"[^\n]+(?:\n(?![ \t\r\f\v]*\n)[^\n]*)*")
# A line break inside a paragraph ends a sentence unless the next line starts in lower case.
_LINE_BREAK = re.compile(r"[ \t\r]*\n[ \t\r]*(?![a-z])")
# Candidate sentence end: terminal punctuation, closing marks, space, then an opener.
# The lookbehind lets a match start only where a run of terminal punctuation starts:
# a match inside a run would end where the match from the run's start ends, so the
# splits are the same, but a long run ("....") is no longer retried from every one
# of its characters (quadratic backtracking on hostile input).
_SENT_END = re.compile(
    r"(?<![.!?…])([.!?…]+)[\"'”’»)\]]{0,3}[ \t\u00a0]+(?=[\"'“‘«(\[]{0,2}[A-Z0-9\u00c0-\u00de])"
)
#: Longest sentence span; real news sentences are far shorter (the longest seed sentence has 439 characters).
MAX_SENTENCE_CHARS = 2_000
_SOFT_BREAK = re.compile(r"[,;:]\s")
_TOKEN_BEFORE = re.compile(r"(\S{1,40})$")
_NEXT_WORD = re.compile(r"[\"'“‘«(\[]{0,2}([A-Za-z]+)")
_DOTTED = re.compile(r"^(?:[A-Za-z]\.){1,4}[A-Za-z]$")


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    """Whether a candidate end (a period after some token) really ends the sentence."""
    punct = match.group(1)
    if punct != ".":
        return True
    before = _TOKEN_BEFORE.search(text, max(0, match.start(1) - 40), match.start(1))
    if before is None:
        return True
    token = before.group(1).lstrip("\"'“‘«([")
    always, numeric, ambiguous, openers = _abbrev_sets()
    if token in always:
        return False
    if token in numeric and text[match.end():match.end() + 1].isdigit():
        return False
    if len(token) == 1 and token.isupper():  # an initial: "John F. Kennedy"
        return False
    if token in ambiguous or _DOTTED.match(token):
        nxt = _NEXT_WORD.match(text, match.end())
        return bool(nxt and nxt.group(1) in openers)
    return True


def _trimmed(text: str, start: int, end: int) -> Span | None:
    """The span ``[start, end)`` without surrounding white space, or None when blank."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None


def _bounded(text: str, span: Span, limit: int = MAX_SENTENCE_CHARS) -> list[Span]:
    """``span`` cut into pieces of at most ``limit`` characters, each cut made at white space.

    A cut goes after the last comma, semicolon or colon in the second half of
    the window, else at its last white space, else (one endless word) at the limit.
    """
    if span.end - span.start <= limit:
        return [span]
    out: list[Span] = []
    start = span.start
    while span.end - start > limit:
        window_end = start + limit
        half = start + limit // 2
        cut = None
        for m in _SOFT_BREAK.finditer(text, half, window_end):
            cut = m.start() + 1
        if cut is None:
            space = max(text.rfind(" ", half, window_end), text.rfind("\n", half, window_end),
                        text.rfind("\t", half, window_end))
            cut = space if space > start else window_end
        piece = _trimmed(text, start, cut)
        if piece:
            out.append(piece)
        start = cut
    piece = _trimmed(text, start, span.end)
    if piece:
        out.append(piece)
    return out


def split_sentences(text: str, start: int, end: int) -> list[Span]:
    """Sentence spans of ``text[start:end]`` (one paragraph or any other block), none over the length bound."""
    return [piece for span in _split_sentences(text, start, end) for piece in _bounded(text, span)]


def _split_sentences(text: str, start: int, end: int) -> list[Span]:
    """Sentence spans of ``text[start:end]`` at sentence ends and line breaks, however long."""
    out: list[Span] = []
    line_start = start
    line_ends = [m for m in _LINE_BREAK.finditer(text, start, end)]
    bounds = [(m.start(), m.end()) for m in line_ends] + [(end, end)]
    for line_end, next_start in bounds:
        sent_start = line_start
        for m in _SENT_END.finditer(text, line_start, line_end):
            if _is_boundary(text, m):
                cut = m.end()
                span = _trimmed(text, sent_start, cut)
                if span:
                    out.append(span)
                sent_start = cut
        span = _trimmed(text, sent_start, line_end)
        if span:
            out.append(span)
        line_start = next_start
    return out


def segment(text: str) -> tuple[list[Span], list[Span]]:
    """Paragraph spans and sentence spans of ``text``; both trimmed of white space."""
    paragraphs: list[Span] = []
    for m in _PARA.finditer(text):
        span = _trimmed(text, m.start(), m.end())
        if span:
            paragraphs.append(span)
    sentences: list[Span] = []
    for para in paragraphs:
        sentences.extend(split_sentences(text, para.start, para.end))
    return paragraphs, sentences
