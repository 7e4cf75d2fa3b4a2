"""Per-article inputs of provenance: outlet, date and disclosed origin, the sketch, the alignment detail.

Pure functions of one article, used by a corpus run (:func:`scorer.provenance.find_reuse`)
and by the archive index (:mod:`scorer.archive`) alike, so both see an article the same way.
"""

from __future__ import annotations

from scorer.analysis import Analysis
from scorer.article import Article
from scorer.provenance.direction import ArticleMeta, parse_date
from scorer.provenance.fingerprint import Detail, Sketch, detail, sketch
from scorer.segment import segment
from scorer.signals.origin import aggregator_of, derived_from, find_origin, outlet_names
from scorer.signals.quotes import find_quotes


def article_meta(article: Article) -> ArticleMeta:
    """Outlet, date and disclosed origin of one article (origin statements found in its own text)."""
    names = outlet_names()
    raw_outlet = article.outlet or article.domain
    outlet = names.canonical(raw_outlet) or (raw_outlet.strip() if raw_outlet else None)
    origin = find_origin(Analysis(text=article.text, paragraphs=[], sentences=[], article=article))
    if any(o.kind == "aggregator" for o in origin):  # the page is the aggregator's, not the publisher's
        outlet = aggregator_of([article.text] + [r.text for r in article.removed]) or outlet
    derived = [o for o in derived_from(origin) if o != outlet]
    return ArticleMeta(article.id, outlet, parse_date(article.date), origin, derived, article.title, article.url)


def prepare(article: Article) -> tuple[Sketch, ArticleMeta]:
    """Step 1 for one article: its sketch and its metadata (pure, picklable)."""
    return sketch(article.id, article.text), article_meta(article)


def article_detail(article_id: str, text: str) -> Detail:
    """Step 3a for one article: sentence fingerprint with direct quotes marked."""
    _, sentences = segment(text)
    return detail(article_id, text, sentences, [q.span for q in find_quotes(text)])
