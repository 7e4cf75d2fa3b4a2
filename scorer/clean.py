"""Separate an article's body from the page furniture around it.

Two entry points, one per kind of input:

* ``clean_text(raw)`` for scraped page text (what a copy-paste or a text dump of
  a web page gives): navigation menus, repeated headline/teaser blocks,
  "READ NEXT"/"Related" lists, comment widgets, footers, author bios, image URLs.
* ``clean_html(raw)`` for HTML, through trafilatura's main-content extractor.

Both return a :class:`Cleaned`: the body text, metadata the page states
(title, byline, date, outlet, URL), every removed block with its reason, and a
map from body offsets back to raw-page offsets (used to measure extraction
against hand-marked boundaries).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scorer.spans import Span


@dataclass
class Cleaned:
    """Result of cleaning one page."""

    text: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    outlet: str | None = None
    url: str | None = None
    removed: list = field(default_factory=list)  # list[scorer.article.Removed]
    body_map: list[tuple[Span, Span]] = field(default_factory=list)

    def raw_body_spans(self) -> list[Span]:
        """Raw-page spans kept as body (for character-level extraction metrics)."""
        return [raw for _, raw in self.body_map]


def clean_text(raw: str) -> Cleaned:
    """Clean scraped page text. (Interim: keeps everything; see issue on cleaning.)"""
    return Cleaned(text=raw, body_map=[(Span(0, len(raw)), Span(0, len(raw)))])


def clean_html(raw: str) -> Cleaned:
    """Extract the main content and metadata of an HTML page with trafilatura."""
    import trafilatura

    doc = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True)
    if doc is None:
        return Cleaned(text="")
    get = (lambda k: getattr(doc, k, None)) if not isinstance(doc, dict) else doc.get
    author = get("author")
    authors = [a.strip() for a in author.split(";")] if author else []
    return Cleaned(
        text=get("text") or "",
        title=get("title"),
        authors=[a for a in authors if a],
        date=get("date"),
        outlet=get("sitename"),
        url=get("url"),
    )
