"""Provenance: who copied, rewrote or syndicated whom across a corpus.

::

    import scorer
    from scorer.provenance import find_reuse, article_features
    report = find_reuse(scorer.read_corpus("seeds"))
    for pair in report.pairs:
        print(pair.a, pair.b, pair.kind, pair.direction)
    table = article_features(report, report.meta)

Steps, each a pure function over one article or one pair so that they can run on
Dask or Spark partitions (docs/provenance.md):

1. ``prepare``: per article, the corpus sketch (index keys, MinHash) and metadata
   (outlet, date, disclosed origin statements);
2. ``candidate_pairs``: bucket joins on the sketches (no all-pairs comparison);
3. ``detail`` + ``align``: sentence alignment of each candidate pair, quotes masked;
4. direction, clusters and per-article features.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from typing import Iterable, Iterator

from scorer.article import Article
from scorer.provenance.align import Alignment, align
from scorer.provenance.clusters import REUSE_KINDS, Cluster, build_clusters
from scorer.provenance.direction import ArticleMeta, direction, parse_date
from scorer.provenance.features import FEATURES, article_features
from scorer.provenance.fingerprint import Detail, Sketch, detail, sketch
from scorer.provenance.index import candidate_pairs
from scorer.provenance.report import Evidence, ReusePair, ReuseReport, html_report, write_pairs

__all__ = ["Evidence", "FEATURES", "ReusePair", "ReuseReport", "Cluster", "article_features", "find_reuse",
           "prepare", "article_detail", "html_report", "write_pairs"]


def article_meta(article: Article) -> ArticleMeta:
    """Outlet, date and disclosed origin of one article (origin statements found in its own text)."""
    from scorer.analysis import Analysis
    from scorer.signals.origin import aggregator_of, derived_from, find_origin, outlet_names

    names = outlet_names()
    raw_outlet = article.outlet or article.domain
    outlet = names.canonical(raw_outlet) or (raw_outlet.strip() if raw_outlet else None)
    origin = find_origin(Analysis(text=article.text, paragraphs=[], sentences=[], article=article))
    if any(o.kind == "aggregator" for o in origin):  # the page is the aggregator's, not the publisher's
        outlet = aggregator_of([article.text] + [r.text for r in article.removed]) or outlet
    derived = [o for o in derived_from(origin) if o != outlet]
    return ArticleMeta(article.id, outlet, parse_date(article.date), origin, derived, article.title)


def prepare(article: Article) -> tuple[Sketch, ArticleMeta]:
    """Step 1 for one article: its sketch and its metadata (pure, picklable)."""
    return sketch(article.id, article.text), article_meta(article)


def article_detail(article_id: str, text: str) -> Detail:
    """Step 3a for one article: sentence fingerprint with direct quotes marked."""
    from scorer.segment import segment
    from scorer.signals.quotes import find_quotes

    _, sentences = segment(text)
    return detail(article_id, text, sentences, [q.span for q in find_quotes(text)])


def _prepare_text(item: tuple[str, str]) -> Sketch:
    return sketch(*item)


def _align_chunk(chunk: list[tuple[str, str, str, str]]) -> list[Alignment]:
    """Align a chunk of pairs given as (id_a, text_a, id_b, text_b), caching details in the worker."""
    cache: dict[str, Detail] = {}
    out = []
    for ia, ta, ib, tb in chunk:
        da = cache.get(ia) or cache.setdefault(ia, article_detail(ia, ta))
        db = cache.get(ib) or cache.setdefault(ib, article_detail(ib, tb))
        res = align(da, db)
        if res.kind is not None:
            out.append(res)
    return out


def _progress(iterable: Iterable, total: int, desc: str, show: bool) -> Iterator:
    if not show:
        return iter(iterable)
    from tqdm import tqdm

    return iter(tqdm(iterable, total=total, desc=desc, unit="", leave=False, mininterval=0.5))


def find_reuse(articles: Iterable[Article], *, workers: int = 1, progress: bool = False,
               max_df: int | None = None) -> ReuseReport:
    """Find every pair of articles with reused text (or shared quotes only), and the clusters.

    Args:
        articles: the corpus (ids must be unique; a later duplicate id is ignored).
        workers: processes for sketching and alignment (1 = in this process).
        progress: show progress bars on stderr.
        max_df: skip index keys held by more articles than this (default grows with the corpus).
    """
    arts: list[Article] = []
    seen: set[str] = set()
    for art in articles:
        if art.id not in seen and art.text:
            seen.add(art.id)
            arts.append(art)
    texts = {a.id: a.text for a in arts}
    pool = ProcessPoolExecutor(workers) if workers > 1 and len(arts) > 200 else None
    try:
        items = [(a.id, a.text) for a in arts]
        if pool is not None:
            sketches = list(_progress(pool.map(_prepare_text, items, chunksize=256), len(arts), "sketching", progress))
        else:
            sketches = [sketch(i, t) for i, t in _progress(items, len(arts), "sketching", progress)]
        meta = {a.id: article_meta(a) for a in arts}
        pairs_idx = candidate_pairs(sketches, max_df=max_df)
        jobs = [(arts[i].id, arts[i].text, arts[j].id, arts[j].text) for i, j in pairs_idx]
        # group pairs by their first article so each worker re-uses sentence fingerprints
        chunk_size = 200
        chunks = [jobs[k:k + chunk_size] for k in range(0, len(jobs), chunk_size)]
        alignments: list[Alignment] = []
        mapped = pool.map(_align_chunk, chunks) if pool is not None else map(_align_chunk, chunks)
        for res in _progress(mapped, len(chunks), "aligning", progress):
            alignments.extend(res)
    finally:
        if pool is not None:
            pool.shutdown()
    return _assemble(alignments, meta, texts, len(arts), len(pairs_idx))


def _assemble(alignments: list[Alignment], meta: dict[str, ArticleMeta], texts: dict[str, str],
              n_articles: int, n_candidates: int) -> ReuseReport:
    """Direction, disclosure, clusters and per-article reuse coverage from the pair alignments."""
    from scorer.signals.origin import outlet_names

    pairs: list[ReusePair] = []
    reused: dict[str, dict] = {}
    free_chars: dict[str, int] = {}
    details: dict[str, Detail] = {}
    for al in alignments:
        ma, mb = meta[al.a], meta[al.b]
        d = direction(ma, mb) if al.kind in REUSE_KINDS else "unknown"
        pairs.append(ReusePair(al.a, al.b, al.kind, al.a_share, al.b_share, d, ma.discloses, mb.discloses,
                               al.passages))
        if al.kind in REUSE_KINDS:
            for side in (al.a, al.b):
                if side not in details:
                    details[side] = article_detail(side, texts[side])
                    free_chars[side] = details[side].free_chars
            free_of = {x: {s.span: s.free_chars for s in details[x].sentences} for x in (al.a, al.b)}
            for ps in al.passages:
                if not ps.quoted:
                    reused.setdefault(al.a, {})[ps.a] = free_of[al.a].get(ps.a, 0)
                    reused.setdefault(al.b, {})[ps.b] = free_of[al.b].get(ps.b, 0)
    pairs.sort(key=lambda p: (p.kind not in REUSE_KINDS, -(p.a_share + p.b_share), p.a, p.b))
    clusters = build_clusters(pairs, meta, outlet_names().wires)
    return ReuseReport(pairs, clusters, meta, free_chars, reused, n_articles, n_candidates)


def default_workers() -> int:
    """Processes to use by default: the machine's cores, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))
