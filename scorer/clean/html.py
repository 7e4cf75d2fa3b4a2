"""``clean_html``: the body of an HTML page (its blocks, then the text cleaner on them)."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from scorer.spans import Span
from scorer.clean.metadata import _date_line
from scorer.clean.text import Cleaned, Removed, clean_text
from scorer.clean.units import _Unit, _bare_byline, _byline_names, _furniture_kind, _marker


# ---------------------------------------------------------------- HTML

_HTML_SKIP = re.compile(r"<!--.*?-->|<(script|style|noscript|template|head|svg|iframe|textarea|select)\b.*?</\1\s*>",
                        re.S | re.I)
_HTML_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*>|<![^>]*>|<\?[^>]*>", re.S)
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body br dd details div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr html li main nav ol p pre section summary table tbody td tfoot th thead time tr ul button label "
    "option caption".split())


@dataclass
class _Block:
    """A run of visible text between block-level tags, and where its HTML source lies."""

    start: int
    end: int
    text: str


def _html_blocks(raw: str) -> list[_Block]:
    """Visible text blocks of an HTML page in document order, with raw-HTML spans.

    A light scanner rather than a DOM: it keeps character positions, which a
    parsed tree loses, so every removed block can point back into the page.
    """
    import html as _html

    blocks: list[_Block] = []
    pieces: list[tuple[int, int, str]] = []

    def flush() -> None:
        if pieces:
            text = " ".join(" ".join(p[2] for p in pieces).split())
            if text:
                blocks.append(_Block(pieces[0][0], pieces[-1][1], text))
            pieces.clear()

    def text_piece(a: int, b: int) -> None:
        chunk = raw[a:b]
        if not chunk.strip():
            if pieces:
                pieces.append((pieces[-1][0], pieces[-1][1], " "))
            return
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk.rstrip())
        pieces.append((a + lead, a + trail, _html.unescape(chunk)))

    pos = 0
    skips = [(m.start(), m.end()) for m in _HTML_SKIP.finditer(raw)]
    for a, b in skips + [(len(raw), len(raw))]:
        for m in _HTML_TAG.finditer(raw, pos, a):
            text_piece(pos, m.start())
            if m.group(2) and m.group(2).lower() in _BLOCK_TAGS:
                flush()
            pos = m.end()
        text_piece(pos, a)
        flush()
        pos = b
    return blocks


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def clean_html(raw: str) -> Cleaned:
    """Extract the main content and metadata of an HTML page with trafilatura.

    trafilatura picks the article's blocks; the scraped-text rules then take the
    headline, byline and date lines and in-body furniture out of them. Every other
    visible block of the page is reported in ``removed`` (kind from its position
    and section markers: navigation, related, comments, footer, boilerplate), with
    spans into the HTML source; ``body_map`` maps each body paragraph to the HTML
    span of its block (tags included, so the two spans differ in length).
    """
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False,
                                          include_tables=False, favor_precision=True,
                                          date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception:  # noqa: BLE001 - the extractor fails on malformed pages; the fallback below still reads them
        doc = None
    get = (lambda k: None) if doc is None else \
        ((lambda k: getattr(doc, k, None)) if not isinstance(doc, dict) else doc.get)
    extracted = get("text") or ""
    lines = {_norm(line) for line in extracted.splitlines() if line.strip()}
    full = _norm(extracted)

    blocks = _html_blocks(raw)
    kept_idx = [i for i, b in enumerate(blocks)
                if _norm(b.text) in lines or (len(b.text) >= 40 and _norm(b.text) in full)]
    if not extracted.strip() or not kept_idx:
        # the extractor found nothing, or text we cannot place on the page: the text rules decide over every block
        kept_idx = list(range(len(blocks)))
    kept = set(kept_idx)

    # second pass: the text rules over the kept blocks (headline, byline, ads, teasers)
    kept_blocks = [blocks[i] for i in kept_idx]
    synthetic, offsets = _join_blocks(kept_blocks)
    inner = clean_text(synthetic)

    starts = [a for a, _ in offsets]

    def raw_span(span: Span) -> Span:
        """HTML span of the kept block holding ``span.start`` in the joined text.

        The block intervals ``[a, b + 1)`` are sorted and disjoint (blocks are
        joined by two characters), so a bisection finds the one block, if any:
        logarithmic per span, where a scan was quadratic over a page.
        """
        k = bisect_right(starts, span.start) - 1
        if k >= 0 and span.start < offsets[k][1] + 1:
            blk = kept_blocks[k]
            return Span(blk.start, blk.end)
        return Span(0, 0)

    body_map = [(text, raw_span(src)) for text, src in inner.body_map]
    removed = [Removed(r.kind, r.text, raw_span(r.span)) for r in inner.removed]
    body_starts = [raw_span(src).start for _, src in inner.body_map]
    body_first = min(body_starts, default=len(raw))
    body_last = max(body_starts, default=-1)
    title = get("title") or inner.title
    section = "boilerplate"
    for i, b in enumerate(blocks):
        if i in kept:
            continue
        u = _Unit(b.start, b.end, b.text)
        if b.start > body_last:
            mk = _marker(u)
            section = mk[0] if mk is not None else section
            kind = _furniture_kind(u) or section
        elif b.start < body_first:
            kind = _furniture_kind(u) or _header_kind(u, title)
        else:
            kind = _furniture_kind(u) or "boilerplate"
        removed.append(Removed(kind, b.text, Span(b.start, b.end)))
    removed.sort(key=lambda r: r.span.start)

    author = get("author")
    authors = [a.strip() for a in re.split(r";|\band\b", author) if a.strip()] if author else list(inner.authors)
    date = get("date")
    return Cleaned(
        text=inner.text,
        title=get("title") or inner.title,
        authors=authors,
        date=date[:10] if isinstance(date, str) and re.match(r"\d{4}-\d{2}-\d{2}", date) else inner.date,
        outlet=get("sitename") or inner.outlet,
        url=get("url") or inner.url,
        removed=removed,
        body_map=body_map,
    )


def _header_kind(u: _Unit, title: str | None) -> str:
    """Kind of a page block above the article that the extractor left out."""
    if title and _norm(u.core) == _norm(title):
        return "title"
    if _byline_names(u) or _bare_byline(u):
        return "byline"
    if _date_line(u):
        return "date"
    return "teaser" if u.prose else "navigation"


def _join_blocks(blocks: list[_Block]) -> tuple[str, list[tuple[int, int]]]:
    """Block texts joined by blank lines, and the (start, end) of each in the joined text."""
    parts, offsets, pos = [], [], 0
    for b in blocks:
        if parts:
            parts.append("\n\n")
            pos += 2
        parts.append(b.text)
        offsets.append((pos, pos + len(b.text)))
        pos += len(b.text)
    return "".join(parts), offsets
