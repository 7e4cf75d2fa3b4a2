"""The one shared analysis of an article: its text, sentences, tokens and every signal's findings.

An :class:`Analysis` is made once per article by :func:`scorer.pipeline.analyse`
and read by every signal, feature, explanation and view. It knows no signal:
each signal module defines its own finding type and stores its findings under
its name (``analysis.findings["hedges"]``, also readable as ``analysis.hedges``).
Every finding carries :class:`~scorer.spans.Span` offsets into the exact text
analysed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Callable, TypeVar

from scorer import tokens
from scorer.article import Article
from scorer.spans import Span

T = TypeVar("T")


@dataclass
class Analysis:
    """Everything found in one text; spans index into ``text``.

    Attributes:
        text: the text analysed (the article body).
        paragraphs, sentences: trimmed spans, in order.
        article: the article the text came from (metadata, removed furniture), if any.
        findings: each signal's findings by signal name, in the order the signals ran.
        problems: signals that failed on this text ("hedges: ValueError: ..."); their findings are empty.
    """

    text: str
    paragraphs: list[Span]
    sentences: list[Span]
    article: Article | None = None
    findings: dict[str, list[Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __getattr__(self, name: str) -> list[Any]:
        """A signal's findings as an attribute (``analysis.attributions``)."""
        found = self.__dict__.get("findings")
        if found is not None and name in found:
            return found[name]
        raise AttributeError(f"no findings named {name!r} in this analysis (have: {', '.join(found or {}) or 'none'})")

    def found(self, name: str) -> list[Any]:
        """A signal's findings, or an empty list when that signal has not run on this text."""
        return self.findings.get(name, [])

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()`` once per analysis: values several features or signals share (tokens, sentence sets)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def tokens(self) -> list[tokens.Tokens]:
        """Tokens of every sentence, computed once and shared by all signals."""
        return self.memo("tokens", lambda: tokens.sentence_tokens(self.text, self.sentences))

    @property
    def word_count(self) -> int:
        """Whitespace-separated tokens in the text (the unit of per-100-word rates)."""
        return self.memo("word_count", lambda: len(self.text.split()))

    def to_dict(self) -> dict[str, Any]:
        """Findings as plain JSON-ready data; each span also carries the text it covers."""
        out: dict[str, Any] = {"words": self.word_count, "sentences": len(self.sentences)}
        for name, items in self.findings.items():
            out[name] = [jsonable(item, self.text) for item in items]
        if self.problems:
            out["problems"] = list(self.problems)
        return out


def jsonable(value: Any, text: str) -> Any:
    """Recursively turn findings into dicts, spelling out each Span's text."""
    if isinstance(value, Span):
        return {"start": value.start, "end": value.end, "text": value.of(text)}
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name), text) for f in fields(value)}
    if isinstance(value, (list, tuple)):
        return [jsonable(v, text) for v in value]
    return value
