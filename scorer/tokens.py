"""Tokens: the one tokenisation every signal shares.

The whole text is tokenised in one pass (:func:`sentence_tokens`) and cut at
sentence bounds; :class:`~scorer.analysis.Analysis` keeps the result, so no
signal tokenises again. A token is a dotted abbreviation ("U.S."), a word with
inner apostrophes, dots or hyphens ("don't", "al-Assad"), or one symbol.
:func:`window`, :func:`shape` and :func:`stem` are the context the small
token classifiers (attribution cues, hedges) read, shared by their training
and their inference so the shipped weights apply.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import NamedTuple, Sequence

from scorer.spans import Span

#: Dotted abbreviations ("U.S."), words with inner apostrophes/dots/hyphens, single symbols.
TOKEN = re.compile(r"(?:[A-Z]\.){2,}|\w+(?:[’'.\-]\w+)*|[^\w\s]")
#: Characters that open or close a quotation.
QUOTE_CHARS = frozenset("\"“”„«»‘’'")
_PUNCT_SHAPES = {",": ",", ":": ":", ";": ";", ".": ".", "(": "(", ")": ")", "—": "-", "–": "-", "-": "-"}


@dataclass
class Tokens:
    """The tokens of one sentence: character offsets, surface forms and lower-case forms."""

    starts: list[int]
    ends: list[int]
    texts: list[str]
    lows: list[str]

    def __len__(self) -> int:
        return len(self.texts)

    def span(self, i: int, j: int) -> Span:
        """Character span from token ``i`` to token ``j`` inclusive."""
        return Span(self.starts[i], self.ends[j])


def tokenize(text: str, start: int = 0, end: int | None = None) -> Tokens:
    """Tokens of ``text[start:end]`` with absolute offsets."""
    matches = list(TOKEN.finditer(text, start, len(text) if end is None else end))
    texts = list(map(re.Match.group, matches))  # map over the unbound methods: no Python frame per token
    return Tokens(list(map(re.Match.start, matches)), list(map(re.Match.end, matches)), texts,
                  list(map(str.lower, texts)))


def words(text: str) -> list[str]:
    """The token strings of ``text`` (for short phrases such as a source's words)."""
    return TOKEN.findall(text)


def sentence_tokens(text: str, sentences: Sequence[Span]) -> list[Tokens]:
    """Tokens of every sentence, from one pass over the whole text.

    Sentence bounds always fall on white space, so cutting the whole text's
    tokens at them gives the same tokens as tokenising each sentence.
    """
    whole = tokenize(text)
    out = []
    for sent in sentences:
        i = bisect.bisect_left(whole.starts, sent.start)
        j = bisect.bisect_left(whole.starts, sent.end)
        out.append(Tokens(whole.starts[i:j], whole.ends[i:j], whole.texts[i:j], whole.lows[i:j]))
    return out


def stem(word: str) -> str:
    """Crude suffix stripping so "says", "said", "saying" share evidence with their siblings."""
    for suf in ("ing", "ed", "es", "s"):
        if len(word) > len(suf) + 2 and word.endswith(suf):
            return word[: -len(suf)]
    return word


_SHAPES: dict[str, str] = {}


def shape(tok: str) -> str:
    """Coarse shape of a token, for features: Cap, low, num, Q (quote), sym or the punctuation itself (memoised)."""
    found = _SHAPES.get(tok)
    if found is None:
        found = _compute_shape(tok)
        if len(_SHAPES) < 200_000:
            _SHAPES[tok] = found
    return found


def _compute_shape(tok: str) -> str:
    if not tok:
        return "NONE"
    c = tok[0]
    if c in QUOTE_CHARS:
        return "Q"
    if c in _PUNCT_SHAPES:
        return _PUNCT_SHAPES[c]
    if c.isdigit():
        return "num"
    if c.isupper():
        return "Cap"
    if c.isalpha():
        return "low"
    return "sym"


class Window(NamedTuple):
    """Token ``i`` of a sentence in context: the word, two words either side, the neighbours' shapes."""

    w: str
    p1: str
    p2: str
    n1: str
    n2: str
    s_p1: str
    s_n1: str


def window(toks: Tokens, i: int) -> Window:
    """The context window of token ``i`` (lower-cased words, padded with <s> and </s>)."""
    lows = toks.lows
    n = len(lows)
    return Window(
        w=lows[i],
        p1=lows[i - 1] if i >= 1 else "<s>",
        p2=lows[i - 2] if i >= 2 else "<s>",
        n1=lows[i + 1] if i + 1 < n else "</s>",
        n2=lows[i + 2] if i + 2 < n else "</s>",
        s_p1=shape(toks.texts[i - 1]) if i >= 1 else "<s>",
        s_n1=shape(toks.texts[i + 1]) if i + 1 < n else "</s>",
    )
