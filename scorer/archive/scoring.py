"""Provenance of one article against an archive: its feature values and the evidence behind them.

``scorer.score(item, index=...)`` and ``scorer score FILE --index PATH`` use this: the
article is run through :func:`scorer.provenance.find_reuse` with the archive, so its
``provenance_*`` features are real instead of 0, and each non-zero one carries the
reused passages as evidence: the sentence here, and in the note the archived article
(id, outlet, title, url, date), the relation, and its aligned sentence.
"""

from __future__ import annotations

import os
from typing import Any

from scorer.archive.query import archived_texts
from scorer.archive.store import Archive
from scorer.article import Article
from scorer.features import Evidence
from scorer.provenance.clusters import REUSE_KINDS
from scorer.provenance.direction import ArticleMeta
from scorer.provenance.report import ReusePair, ReuseReport

#: Longest piece of the archived article's passage quoted in an evidence note.
OTHER_CHARS = 160


def open_index(index: Any) -> tuple[Archive, bool]:
    """(archive, opened here) for an :class:`Archive` or a path to one."""
    if isinstance(index, Archive):
        return index, False
    if isinstance(index, (str, os.PathLike)):
        return Archive(index), True
    raise TypeError(f"index must be an Archive or a path, not {type(index).__name__}")


def describe(meta: ArticleMeta | None, other_id: str) -> str:
    """One line naming an article: id, outlet, title, url, date (what is known)."""
    if meta is None:
        return other_id
    parts = [p for p in (meta.outlet, f"“{meta.title}”" if meta.title else None, meta.url,
                         meta.date.isoformat() if meta.date else None) if p]
    where = "archived " if meta.archived else ""
    return f"{where}{other_id}" + (f" ({', '.join(parts)})" if parts else "")


def relation(pair: ReusePair, here: str) -> str:
    """How the article ``here`` relates to the other article of a pair, in words."""
    here_a = pair.a == here
    if pair.direction == ("a_from_b" if here_a else "b_from_a"):
        return "copied from"
    if pair.direction == ("b_from_a" if here_a else "a_from_b"):
        return "copied by"
    if pair.direction == "common_source":
        return "shares a common source with"
    return "shares text with (direction unknown)"


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"


def pair_evidence(report: ReuseReport, article_id: str, text: str, texts: dict[str, str]) -> list[Evidence]:
    """Evidence items of one article's reuse pairs: each aligned passage, with the other article named."""
    out: list[Evidence] = []
    for p in report.pairs_of(article_id):
        if p.kind not in REUSE_KINDS:
            continue
        here_a = p.a == article_id
        other = p.b if here_a else p.a
        head = f"{p.kind}, {relation(p, article_id)} {describe(report.meta.get(other), other)}"
        for ps in p.passages:
            if ps.quoted:
                continue
            span, other_span = (ps.a, ps.b) if here_a else (ps.b, ps.a)
            there = _short(other_span.of(texts[other]), OTHER_CHARS) if other in texts else ""
            out.append(Evidence(span, span.of(text), f"{head}; sim {ps.similarity:.2f}: “{there}”"))
    return out


def archive_reuse(article: Article, index: Any) -> tuple[dict[str, float], list[Evidence], ReuseReport]:
    """Provenance feature values of one article checked against an archive, their evidence, and the report."""
    from scorer.provenance import find_reuse
    from scorer.provenance.features import feature_values

    archive, opened = open_index(index)
    try:
        report = find_reuse([article], index=archive)
        texts = {article.id: article.text, **archived_texts(archive, report)}
    finally:
        if opened:
            archive.close()
    values = feature_values(report, article.id)
    return values, pair_evidence(report, article.id, article.text, texts), report
