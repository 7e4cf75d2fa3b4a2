"""``find_reuse`` on a Dask cluster: the same steps, as tasks over partitions.

0. **parts**: the corpus comes in parts. Either the client hands over the articles
   (:func:`find_reuse_dask`: they are scattered to the workers in partitions), or each part
   is a *loader* the workers call themselves (:func:`find_reuse_dask_parts`: a picklable
   ``loader(positions) -> list[Article]``, e.g. a byte range of a file on shared storage),
   so that the client never holds the corpus;
1. **sketch** (one task per part): sketches, then rows ``(key, article)`` and
   ``(LSH band hash, article)`` split into ``P`` hash partitions by key; the part's ids
   and key counts go to the client (a few bytes per article), the texts do not;
2. **key join** (one task per key partition): every row of a key is in one partition, so
   the posting lists are exact; emits pair codes, split into ``P`` partitions by pair;
3. **pair reduce** (one task per pair partition): counts shared keys per pair and keeps
   those passing the corpus thresholds; the band join does the same for LSH buckets;
4. **fetch** (one task per part holding an article of a candidate pair): only those
   articles are read again and sent to the client;
5. **align** (one task per chunk of candidate pairs): metadata and sentence fingerprints of
   the chunk's articles, then :func:`~scorer.provenance.align.align` of each pair;
6. direction, disclosure and clusters on the client (:func:`scorer.provenance._assemble`):
   the pair list is small.

No task ever holds more than one partition of rows, so memory per worker is bounded by
the partition size, not the corpus (Dask spills to disk when a worker runs short). The
pairs equal those of a local ``find_reuse`` (tested on a 2-worker ``LocalCluster``) as
long as the key join's row budget is not reached; beyond it, each key partition gives up
its commonest keys first, as the local join does globally.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import numpy as np

from scorer.article import Article
from scorer.provenance.align import Alignment, align
from scorer.provenance.clusters import REUSE_KINDS
from scorer.provenance.fingerprint import sketch
from scorer.provenance.index import band_keys, default_max_df, join_budget, pair_codes, shared_enough
from scorer.provenance.report import ReuseReport, step_timer

#: Articles per part when the client hands over the articles, and candidate pairs per alignment task.
ARTICLES_PER_PARTITION = 2000
PAIRS_PER_TASK = 500
#: At most this many key (and pair) partitions: rows per partition grow with the corpus only
#: past 64 x 2,000 articles, at about 2.5 KB of rows per article (about 40 MB per partition at 1M).
MAX_JOIN_PARTITIONS = 64

#: A part of the corpus the workers read themselves: called with the positions wanted in
#: the part (``None``: all of it), it returns those articles, in that order, every time.
PartLoader = Callable[[Sequence[int] | None], list[Article]]
#: Bytes of a ``.jsonl`` corpus per part read by a worker (about 2,000 news articles).
PART_BYTES = 8 << 20


@dataclass(frozen=True)
class JsonlPart:
    """The records of a ``.jsonl`` corpus whose lines start in ``[start, stop)``: a loader for the workers.

    The file must be at the same path on every worker (shared storage). Bad records are
    skipped with a warning in the worker's log. Only the articles wanted are cleaned.
    """

    path: str
    start: int
    stop: int
    clean_records: bool = True

    def __call__(self, wanted: Sequence[int] | None = None) -> list[Article]:
        from scorer.article import cleaned_record, read_jsonl_range

        arts = list(read_jsonl_range(self.path, self.start, self.stop, clean_records=False))
        chosen = arts if wanted is None else [arts[k] for k in wanted]
        return [cleaned_record(a) for a in chosen] if self.clean_records else chosen


def jsonl_parts(path: str | os.PathLike[str], *, part_bytes: int = PART_BYTES,
                clean_records: bool = True) -> list[JsonlPart]:
    """Loaders tiling a ``.jsonl`` corpus in byte ranges of ``part_bytes`` (each record in exactly one)."""
    size = Path(path).stat().st_size
    return [JsonlPart(str(path), k, min(size, k + part_bytes), clean_records) for k in range(0, size, part_bytes)]


def _load(part: PartLoader | list[Article], wanted: Sequence[int] | None = None) -> list[Article]:
    """The articles of a part: a loader is called on the worker; a scattered list is indexed."""
    if callable(part):
        return part(wanted)
    return list(part) if wanted is None else [part[k] for k in wanted]


def _sketch_part(part: PartLoader | list[Article], parts: int) -> tuple[tuple, list, list]:
    """Sketch a part: ((ids, key counts, has text), key rows by partition, band rows by partition).

    Positions in the rows are the article's place in the part; the join adds the part's offset.
    """
    arts = _load(part)
    ids = [a.id for a in arts]
    sizes = np.zeros(len(arts), dtype=np.int64)
    has_text = np.zeros(len(arts), dtype=bool)
    key_rows: list[list[np.ndarray]] = [[] for _ in range(parts)]
    band_rows: list[list[tuple[int, int]]] = [[] for _ in range(parts)]
    for pos, art in enumerate(arts):
        if not art.text:
            continue
        has_text[pos] = True
        sk = sketch(art.id, art.text)
        sizes[pos] = len(sk.keys)
        keys = sk.keys.astype(np.int64)
        where = keys % parts
        for p in np.unique(where):
            sel = keys[where == p]
            key_rows[int(p)].append(np.stack([sel, np.full(len(sel), pos, dtype=np.int64)], axis=1))
        for b in band_keys(sk.minhash):
            band_rows[b % parts].append((b, pos))
    keys_out = [np.concatenate(r) if r else np.zeros((0, 2), dtype=np.int64) for r in key_rows]
    bands_out = [np.array(r, dtype=np.int64).reshape(-1, 2) for r in band_rows]
    return (ids, sizes, has_text), keys_out, bands_out


def _placed(rows: list[np.ndarray], offsets: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """One (key, corpus position) array from each part's (key, position in the part) rows, kept articles only."""
    if not rows:
        return np.zeros((0, 2), dtype=np.int64)
    allrows = np.concatenate([r + np.array([0, off], dtype=np.int64) for r, off in zip(rows, offsets)])
    return allrows[keep[allrows[:, 1]]]


def _key_join(rows: list[np.ndarray], offsets: np.ndarray, keep: np.ndarray, n: int, max_df: int,
              parts: int) -> list[np.ndarray]:
    """Pair codes of one key partition (every row of its keys), split by pair partition.

    Its row budget is its share of the local run's (:func:`~scorer.provenance.index.join_budget`).
    """
    allrows = _placed(rows, offsets, keep)
    codes = pair_codes(allrows[:, 0].astype(np.uint32), allrows[:, 1], n, max_df,
                       join_budget(len(allrows), 1 / parts))
    where = codes % parts
    return [codes[where == p] for p in range(parts)]


def _band_join(rows: list[np.ndarray], offsets: np.ndarray, keep: np.ndarray, n: int) -> np.ndarray:
    """Pair codes (a < b) of articles sharing a band hash, within one band partition."""
    allrows = _placed(rows, offsets, keep)
    if len(allrows) == 0:
        return np.zeros(0, dtype=np.int64)
    allrows = allrows[np.lexsort((allrows[:, 1], allrows[:, 0]))]
    out = []
    bounds = np.flatnonzero(np.diff(allrows[:, 0])) + 1
    for group in np.split(allrows[:, 1], bounds):
        if len(group) > 1:
            g = np.unique(group)
            iu, ju = np.triu_indices(len(g), k=1)
            out.append(g[iu] * n + g[ju])
    return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


def _pair_reduce(codes: list[np.ndarray], sizes: np.ndarray, n: int) -> list[tuple[int, int]]:
    """Candidate pairs of one pair partition from its key-join codes."""
    return list(shared_enough(np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64), sizes, n))


def _align_task(pairs: list[tuple[str, str]], articles: dict[str, Article]) -> tuple[list[Alignment], dict, dict]:
    """Align a chunk of pairs: (alignments with a kind, metadata of its articles, fingerprints of reuse sides)."""
    from scorer.provenance import article_detail, article_meta

    details = {aid: article_detail(aid, art.text) for aid, art in articles.items()}
    meta = {aid: article_meta(art) for aid, art in articles.items()}
    out = [res for a, b in pairs if (res := align(details[a], details[b])).kind is not None]
    keep = {x for al in out if al.kind in REUSE_KINDS for x in (al.a, al.b)}
    return out, meta, {x: details[x] for x in keep}


def find_reuse_dask(articles: Iterable[Article], client: Any, *, max_df: int | None = None,
                    partition_size: int = ARTICLES_PER_PARTITION, progress: bool = False) -> ReuseReport:
    """:func:`scorer.provenance.find_reuse` on the Dask cluster of ``client`` (a ``distributed.Client``).

    The articles are sent to the workers in parts of ``partition_size``; for a corpus too big
    for the client's memory, give the workers loaders instead (:func:`find_reuse_dask_parts`).
    """
    from scorer.provenance import unique_articles

    arts = unique_articles(articles)
    if len(arts) < 2:
        return ReuseReport([], [], {}, n_articles=len(arts))
    chunks = [arts[k:k + partition_size] for k in range(0, len(arts), partition_size)]
    return find_reuse_dask_parts(client.scatter(chunks), client, max_df=max_df, progress=progress)


def _corpus_index(heads: list[tuple]) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """(ids, key counts, kept, offset of each part) over the parts, in order.

    Kept, as in the local run (:func:`scorer.provenance.unique_articles`): articles with
    text, each id once (a later article with an id already seen is left out).
    """
    ids = [aid for head in heads for aid in head[0]]
    sizes = np.concatenate([head[1] for head in heads])
    keep = np.concatenate([head[2] for head in heads])
    offsets = np.cumsum([0] + [len(head[0]) for head in heads[:-1]]).astype(np.int64)
    seen: set[str] = set()
    for pos, aid in enumerate(ids):
        if keep[pos] and aid in seen:
            keep[pos] = False
        elif keep[pos]:
            seen.add(aid)
    sizes[~keep] = 0
    return ids, sizes, keep, offsets


def find_reuse_dask_parts(parts: Sequence[Any], client: Any, *, max_df: int | None = None,
                          progress: bool = False) -> ReuseReport:
    """:func:`find_reuse_dask` over parts the workers read: loaders (:data:`PartLoader`) or futures of lists.

    Articles without text, and a later article with an id already seen, are left out as in
    the local run. The client holds a few bytes per article (id, key count) and the articles of candidate
    pairs, never the corpus; each loader is called once to sketch its part and once more,
    with the positions wanted, if its part holds an article of a candidate pair.
    """
    from scorer.provenance import _assemble

    timings, lap = step_timer()

    if not parts:
        return ReuseReport([], [], {}, n_articles=0)
    joins = max(2, min(MAX_JOIN_PARTITIONS, len(parts)))
    sketched = client.map(_sketch_part, list(parts), parts=joins, pure=False)
    ids, sizes, keep, offsets = _corpus_index(client.gather(client.map(lambda r: r[0], sketched, pure=False)))
    n, n_text = len(ids), int(keep.sum())
    if n_text < 2:
        return ReuseReport([], [], {}, n_articles=n_text)
    lap("sketch")
    max_df = max_df or default_max_df(n_text)
    key_parts = [[client.submit(lambda r, p: r[1][p], s, p, pure=False) for s in sketched] for p in range(joins)]
    band_parts = [[client.submit(lambda r, p: r[2][p], s, p, pure=False) for s in sketched] for p in range(joins)]
    offsets_f, keep_f = client.scatter([offsets, keep], broadcast=True)
    joined = [client.submit(_key_join, rows, offsets_f, keep_f, n, max_df, joins, pure=False)
              for rows in key_parts]
    by_pair = [[client.submit(lambda r, p: r[p], j, p, pure=False) for j in joined] for p in range(joins)]
    sizes_f = client.scatter(sizes, broadcast=True)
    reduced = client.map(_pair_reduce, by_pair, sizes=sizes_f, n=n, pure=False)
    banded = client.map(_band_join, band_parts, offsets=offsets_f, keep=keep_f, n=n, pure=False)
    pairs_idx: set[tuple[int, int]] = set()
    for res in client.gather(reduced):
        pairs_idx.update(res)
    for codes in client.gather(banded):
        pairs_idx.update((int(c // n), int(c % n)) for c in codes)
    del sketched, key_parts, band_parts, joined, by_pair, reduced, banded
    ordered = sorted(pairs_idx)
    lap("candidates")
    arts = _fetch(parts, offsets, sorted({k for pair in ordered for k in pair}), client)
    lap("fetch")
    id_pairs = [(ids[i], ids[j]) for i, j in ordered]
    tasks = []
    for k in range(0, len(id_pairs), PAIRS_PER_TASK):
        chunk = id_pairs[k:k + PAIRS_PER_TASK]
        tasks.append(client.submit(_align_task, chunk, {x: arts[x] for pair in chunk for x in pair}, pure=False))
    alignments: dict[tuple[str, str], Alignment] = {}
    meta: dict = {}
    details: dict = {}
    if progress:
        from distributed import progress as dask_progress

        dask_progress(tasks)
    for found, m, d in client.gather(tasks):
        alignments.update(((al.a, al.b), al) for al in found)
        meta.update(m)
        details.update(d)
    ordered_al = [alignments[p] for p in id_pairs if p in alignments]
    lap("align")
    report = _assemble(ordered_al, meta, details, n_text, len(id_pairs))
    report.timings = timings
    return report


def _fetch(parts: Sequence[Any], offsets: np.ndarray, positions: list[int], client: Any) -> dict[str, Article]:
    """The articles at ``positions`` (corpus order), read again by the parts holding them."""
    where = np.searchsorted(offsets, positions, side="right") - 1
    wanted: dict[int, list[int]] = {}
    for pos, part in zip(positions, where.tolist()):
        wanted.setdefault(part, []).append(pos - int(offsets[part]))
    tasks = [client.submit(_load, parts[p], local, pure=False) for p, local in sorted(wanted.items())]
    return {art.id: art for found in client.gather(tasks) for art in found}


def client_for(scheduler: str | None, workers: int) -> Any:
    """A ``distributed.Client``: to the scheduler at ``scheduler``, else on a new local cluster of ``workers``."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        from scorer.errors import InputError

        raise InputError("--engine dask", "needs dask.distributed: pip install 'scorer[cluster]'") from None
    import logging

    if scheduler:
        try:
            return Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:  # unreachable, refused, or not an address
            from scorer.errors import InputError

            raise InputError(f"--scheduler {scheduler}", f"cannot reach the Dask scheduler ({exc})") from None
    return Client(LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                               silence_logs=logging.ERROR))


@contextmanager
def dask_client(scheduler: str | None, workers: int) -> Iterator[Any]:
    """:func:`client_for` as a context: the client is closed after, and a local cluster it started shut down."""
    client = client_for(scheduler, workers)
    try:
        yield client
    finally:
        cluster = client.cluster if scheduler is None else None
        client.close()
        if cluster is not None:
            cluster.close()
