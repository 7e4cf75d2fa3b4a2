"""The one shared analysis of an article, computed once and used by every signal.

``analyse(text_or_article)`` segments the text and runs each signal family
(quotes, attribution and sourcing, hedging, disclosed origin). Every finding
carries :class:`~scorer.spans.Span` offsets into the exact text passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from scorer.article import Article
from scorer.spans import Span

#: Allowed values of ``Attribution.source_type``.
SOURCE_TYPES = ("named_person", "named_organization", "document_or_outlet",
                "unnamed_group", "anonymous_person", "none")


@dataclass(frozen=True)
class Quote:
    """A direct quotation: ``span`` includes the quote marks, ``inner`` does not."""

    span: Span
    inner: Span
    closed: bool = True  # False when the closing mark was missing (scraped text)
    mark: str = "double"  # "double" (“ ” " „ «) or "single" (‘ ’ ')


@dataclass
class Attribution:
    """Who is said to have said (or believed) what."""

    cue: Span | None
    source: Span | None
    content: Span | None
    source_type: str
    direct: bool
    sentence: Span
    anonymity_reason: Span | None = None
    #: The name the source resolves to ("Kirby" for "he" or "the spokesman"), when known.
    resolved_source: str | None = None


@dataclass
class Hedge:
    """An epistemic hedge cue and the sentence it qualifies."""

    cue: Span
    sentence: Span
    kind: str = ""  # lexicon entry or category, e.g. "reportedly", "modal_possibility"


@dataclass
class OriginStatement:
    """A statement of where the article's text came from ("By Associated Press", "Credits – SF Chronicle")."""

    span: Span
    kind: str  # e.g. "wire_byline", "contributed", "originally_appeared", "credits", "citation", "aggregator"
    outlet: str | None = None
    #: The statement as the page wrote it when it stands outside the body (in furniture the
    #: cleaner removed); ``span`` is then the zero-length point where that block stood.
    text: str | None = None

    def quote(self, body: str) -> str:
        """The statement's words: from the body, or from the removed block it stood in."""
        return self.text if self.text is not None else self.span.of(body)


@dataclass
class Analysis:
    """Everything found in one text; spans index into ``text``."""

    text: str
    paragraphs: list[Span]
    sentences: list[Span]
    quotes: list[Quote] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    hedges: list[Hedge] = field(default_factory=list)
    origin: list[OriginStatement] = field(default_factory=list)
    article: Article | None = None

    @property
    def word_count(self) -> int:
        """Whitespace-separated tokens in the text (the unit of per-100-word rates)."""
        return len(self.text.split())

    def to_dict(self) -> dict[str, Any]:
        """Findings as plain JSON-ready data; each span also carries the text it covers."""
        return {
            "words": self.word_count,
            "sentences": len(self.sentences),
            "quotes": [_jsonable(q, self.text) for q in self.quotes],
            "attributions": [_jsonable(a, self.text) for a in self.attributions],
            "hedges": [_jsonable(h, self.text) for h in self.hedges],
            "origin": [_jsonable(o, self.text) for o in self.origin],
        }


def _jsonable(value: Any, text: str) -> Any:
    """Recursively turn findings into dicts, spelling out each Span's text."""
    if isinstance(value, Span):
        return {"start": value.start, "end": value.end, "text": value.of(text)}
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name), text) for f in fields(value)}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, text) for v in value]
    return value


def analyse(text_or_article: str | Article) -> Analysis:
    """Analyse a text or an Article once; every signal reads from the result."""
    from scorer import segment
    from scorer.signals import attribution, hedging, origin, quotes

    article = text_or_article if isinstance(text_or_article, Article) else None
    text = article.text if article is not None else str(text_or_article)
    paragraphs, sentences = segment.segment(text)
    found_quotes = quotes.find_quotes(text)
    result = Analysis(text=text, paragraphs=paragraphs, sentences=sentences,
                      quotes=found_quotes, article=article)
    result.attributions = attribution.find_attributions(result)
    result.hedges = hedging.find_hedges(result)
    result.origin = origin.find_origin(result)
    return result
