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

1. ``sketch``: per article, the corpus sketch (index keys, MinHash);
2. ``candidate_pairs``: bucket joins on the sketches (no all-pairs comparison);
3. for the articles in a candidate pair only: metadata (outlet, date, disclosed origin
   statements) and ``detail``, then ``align`` of each candidate pair, quotes masked;
4. direction, clusters and per-article features.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Iterable, Iterator

from scorer.article import Article
from scorer.provenance.align import Alignment, align, evidence_chars
from scorer.provenance.clusters import REUSE_KINDS, Cluster, build_clusters
from scorer.provenance.direction import ArticleMeta, direction
from scorer.provenance.features import FEATURES, article_features
from scorer.provenance.fingerprint import Detail, Sketch, sketch
from scorer.provenance.index import candidate_pairs
from scorer.provenance.meta import article_detail, article_meta, prepare
from scorer.provenance.report import ReusedPassage, ReusePair, ReuseReport, step_timer, write_pairs
from scorer.workers import forked_pool, sigint_blocked, stop_pool

if TYPE_CHECKING:
    from scorer.archive import Archive
    from scorer.provenance.journal import Checkpoint

__all__ = ["FEATURES", "ReusedPassage", "ReusePair", "ReuseReport", "Cluster", "article_features", "find_reuse",
           "prepare", "article_detail", "write_pairs"]


def _sketch_item(item: tuple[str, str]) -> Sketch:
    return sketch(*item)


#: Sentence fingerprints shared with forked alignment workers (set just before the pool starts).
_SHARED_DETAILS: dict[str, Detail] = {}


def _align_chunk(chunk: list[tuple[str, str]]) -> list[Alignment]:
    """Align a chunk of candidate pairs (ids) using the fingerprints shared with this worker."""
    out = []
    for ia, ib in chunk:
        res = align(_SHARED_DETAILS[ia], _SHARED_DETAILS[ib])
        if res.kind is not None:
            out.append(res)
    return out


def _progress(iterable: Iterable, total: int, desc: str, show: bool) -> Iterator:
    if not show:
        return iter(iterable)
    from tqdm import tqdm

    return iter(tqdm(iterable, total=total, desc=desc, unit="", leave=False, mininterval=0.5))


def _pool(workers: int, n: int) -> ProcessPoolExecutor | None:
    """A process pool when it pays off (several workers, enough work, fork available)."""
    return forked_pool(workers) if n >= 200 else None


def _each(results: Iterable, items: list, on_result) -> Iterator:
    """``results`` unchanged, calling ``on_result(item, result)`` for each as it arrives."""
    for item, res in zip(items, results):
        on_result(item, res)
        yield res


def _map(fn, items: list, workers: int, desc: str, progress: bool, chunksize: int = 64, on_result=None) -> list:
    """``map`` in this process or in a forked pool, with an optional progress bar.

    ``on_result(item, result)``, when given, sees each result as soon as it arrives (in
    order), so the caller can keep finished work. Ctrl-C stops the workers at once and
    is raised again here, so the caller reports it.
    """
    pool = _pool(workers, len(items))
    if pool is None:
        mapped = map(fn, items)
        return list(_progress(_each(mapped, items, on_result) if on_result else mapped, len(items), desc, progress))
    try:
        with sigint_blocked():  # the first submit forks the workers (see scorer.workers)
            mapped = pool.map(fn, items, chunksize=chunksize)
        if on_result is not None:
            mapped = _each(mapped, items, on_result)
        result = list(_progress(mapped, len(items), desc, progress))
    except BaseException:
        stop_pool(pool)
        raise
    pool.shutdown()
    return result


def unique_articles(articles: Iterable[Article]) -> list[Article]:
    """The articles that have text, each id once (a later article with an id already seen is ignored)."""
    arts: list[Article] = []
    seen: set[str] = set()
    for art in articles:
        if art.id not in seen and art.text:
            seen.add(art.id)
            arts.append(art)
    return arts


def find_reuse(articles: Iterable[Article], *, workers: int = 1, progress: bool = False,
               max_df: int | None = None, checkpoint: "Checkpoint | None" = None,
               index: "Archive | None" = None) -> ReuseReport:
    """Find every pair of articles with reused text (or shared quotes only), and the clusters.

    Args:
        articles: the corpus (ids must be unique; a later duplicate id is ignored).
        workers: processes for sketching and alignment (1 = in this process).
        progress: show progress bars on stderr.
        max_df: skip index keys held by more articles than this (default grows with the corpus).
        checkpoint: optional keeper of finished work (:class:`scorer.provenance.journal.Checkpoint`):
            its sketches, candidate pairs and alignments from an earlier run of the same
            corpus are reused, and new ones are handed to it as they are finished.
        index: an archive (:class:`scorer.archive.Archive`): each article is also compared
            with the archived articles that are candidates by the same rules; pairs with
            an archived article have it as ``a``, and its metadata in ``report.meta``
            (``archived=True``, with url and title).
    """
    global _SHARED_DETAILS
    from scorer.provenance.journal import Checkpoint

    cp = checkpoint if checkpoint is not None else Checkpoint()
    timings, lap = step_timer()

    arts = unique_articles(articles)
    sketches: list[Sketch] | None = None
    if cp.candidates is not None:  # the bucket join of an earlier run: no sketching at all
        position = {a.id: k for k, a in enumerate(arts)}
        pairs_idx = [(position[a], position[b]) for a, b in cp.candidates]
        if index is not None:  # the archive query needs the sketches again
            sketches = _map(_sketch_item, [(a.id, a.text) for a in arts], workers, "sketching", progress, 1000)
    else:
        known = cp.sketches
        todo = [(a.id, a.text) for a in arts if a.id not in known]
        fresh = _map(_sketch_item, todo, workers, "sketching", progress, 1000,
                     on_result=lambda _item, sk: cp.add_sketch(sk))
        by_id = dict(known)
        by_id.update((sk.id, sk) for sk in fresh)
        del fresh
        sketches = [by_id[a.id] for a in arts]
        del by_id
        lap("sketch")
        pairs_idx = candidate_pairs(sketches, max_df=max_df)
        cp.add_candidates([(arts[i].id, arts[j].id) for i, j in pairs_idx])
    archive_pairs: list[tuple[str, str]] = []
    archived: dict = {}
    if index is not None and sketches is not None:
        from scorer.archive.query import archive_partners

        archive_pairs, archived = archive_partners(index, sketches, progress=progress)
    sketches = None
    lap("candidates")
    # only articles in a candidate pair need metadata and sentence fingerprints; they are
    # computed here, once, and shared with the forked alignment workers without copying
    involved = sorted({k for pair in pairs_idx for k in pair})
    meta = {arts[k].id: article_meta(arts[k]) for k in involved}
    _SHARED_DETAILS = {arts[k].id: article_detail(arts[k].id, arts[k].text)
                       for k in _progress(involved, len(involved), "fingerprinting", progress)}
    for entry in archived.values():  # archived partners: fingerprinted from their stored text
        meta[entry.id] = entry.meta
        _SHARED_DETAILS[entry.id] = article_detail(entry.id, entry.text)
    by_id = {a.id: a for a in arts} if archive_pairs else {}
    for b in sorted({b for _, b in archive_pairs} - set(meta)):  # corpus articles paired only with the archive
        meta[b] = article_meta(by_id[b])
        _SHARED_DETAILS[b] = article_detail(b, by_id[b].text)
    lap("fingerprint")
    try:
        id_pairs = [(arts[i].id, arts[j].id) for i, j in pairs_idx] + archive_pairs
        done = cp.aligned
        todo_pairs = [p for p in id_pairs if p not in done]
        parallel = len(todo_pairs) > 2000
        size = 500 if parallel else 25  # in this process, small chunks: each is journaled as it ends
        chunks = [todo_pairs[k:k + size] for k in range(0, len(todo_pairs), size)]
        fresh_al = {(al.a, al.b): al
                    for res in _map(_align_chunk, chunks, workers if parallel else 1, "aligning", progress, 1,
                                    on_result=cp.add_aligned)
                    for al in res}
        alignments = [al for al in (fresh_al.get(p) or done.get(p) for p in id_pairs) if al is not None]
        lap("align")
        report = _assemble(alignments, meta, _SHARED_DETAILS, len(arts), len(id_pairs))
        lap("assemble")
        report.timings = timings
        return report
    finally:
        _SHARED_DETAILS = {}


def _assemble(alignments: list[Alignment], meta: dict[str, ArticleMeta],
              details: dict[str, Detail], n_articles: int, n_candidates: int) -> ReuseReport:
    """Direction, disclosure, clusters and per-article reuse coverage from the pair alignments."""
    from scorer.signals.origin import outlet_names

    pairs: list[ReusePair] = []
    reused: dict[str, dict] = {}
    free_chars: dict[str, int] = {}
    for al in alignments:
        ma, mb = meta[al.a], meta[al.b]
        d = direction(ma, mb) if al.kind in REUSE_KINDS else "unknown"
        pairs.append(ReusePair(al.a, al.b, al.kind, al.a_share, al.b_share, d, ma.discloses, mb.discloses,
                               al.passages))
        if al.kind in REUSE_KINDS:
            for side in (al.a, al.b):
                free_chars[side] = evidence_chars(details[side])
            free_of = {x: {s.span: s.free_chars for s in details[x].sentences} for x in (al.a, al.b)}
            for ps in al.passages:
                if not ps.quoted:
                    reused.setdefault(al.a, {})[ps.a] = free_of[al.a].get(ps.a, 0)
                    reused.setdefault(al.b, {})[ps.b] = free_of[al.b].get(ps.b, 0)
    pairs.sort(key=lambda p: (p.kind not in REUSE_KINDS, -(p.a_share + p.b_share), p.a, p.b))
    clusters = build_clusters(pairs, meta, outlet_names().wires)
    return ReuseReport(pairs, clusters, meta, free_chars, reused, n_articles, n_candidates)
