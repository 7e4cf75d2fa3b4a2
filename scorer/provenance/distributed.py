"""``find_reuse`` on a Dask cluster: the same steps, as tasks over partitions.

1. **sketch** (one task per article partition): sketches, then rows ``(key, article)`` and
   ``(LSH band hash, article)`` split into ``P`` hash partitions by key;
2. **key join** (one task per key partition): every row of a key is in one partition, so
   the posting lists are exact; emits pair codes, split into ``P`` partitions by pair;
3. **pair reduce** (one task per pair partition): counts shared keys per pair and keeps
   those passing the corpus thresholds; the band join does the same for LSH buckets;
4. **align** (one task per chunk of candidate pairs): metadata and sentence fingerprints of
   the chunk's articles, then :func:`~scorer.provenance.align.align` of each pair;
5. direction, disclosure and clusters on the client (:func:`scorer.provenance._assemble`):
   the pair list is small.

No task ever holds more than one partition of rows, so memory per worker is bounded by
the partition size, not the corpus (Dask spills to disk when a worker runs short). The
pairs equal those of a local ``find_reuse`` (tested on a 2-worker ``LocalCluster``) as
long as the key join's row budget is not reached; beyond it, each key partition gives up
its commonest keys first, as the local join does globally.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterable, Iterator

import numpy as np

from scorer.article import Article
from scorer.provenance.align import Alignment, align
from scorer.provenance.clusters import REUSE_KINDS
from scorer.provenance.fingerprint import sketch
from scorer.provenance.index import PAIR_BUDGET, band_keys, default_max_df, pair_codes, shared_enough
from scorer.provenance.report import ReuseReport

#: Articles per sketch task and candidate pairs per alignment task.
ARTICLES_PER_PARTITION = 2000
PAIRS_PER_TASK = 500


def _sketch_part(records: list[tuple[int, str, str]], parts: int) -> tuple[list, list, list]:
    """Sketch a partition: ([(position, n_keys)], key rows by partition, band rows by partition)."""
    sizes = []
    key_rows: list[list[np.ndarray]] = [[] for _ in range(parts)]
    band_rows: list[list[tuple[int, int]]] = [[] for _ in range(parts)]
    for pos, aid, text in records:
        sk = sketch(aid, text)
        sizes.append((pos, len(sk.keys)))
        keys = sk.keys.astype(np.int64)
        where = keys % parts
        for p in np.unique(where):
            sel = keys[where == p]
            key_rows[int(p)].append(np.stack([sel, np.full(len(sel), pos, dtype=np.int64)], axis=1))
        for b in band_keys(sk.minhash):
            band_rows[b % parts].append((b, pos))
    keys_out = [np.concatenate(r) if r else np.zeros((0, 2), dtype=np.int64) for r in key_rows]
    bands_out = [np.array(r, dtype=np.int64).reshape(-1, 2) for r in band_rows]
    return sizes, keys_out, bands_out


def _key_join(rows: list[np.ndarray], n: int, max_df: int, budget: int, parts: int) -> list[np.ndarray]:
    """Pair codes of one key partition (every row of its keys), split by pair partition."""
    allrows = np.concatenate(rows) if rows else np.zeros((0, 2), dtype=np.int64)
    codes = pair_codes(allrows[:, 0].astype(np.uint32), allrows[:, 1], n, max_df, budget)
    where = codes % parts
    return [codes[where == p] for p in range(parts)]


def _band_join(rows: list[np.ndarray], n: int) -> np.ndarray:
    """Pair codes (a < b) of articles sharing a band hash, within one band partition."""
    allrows = np.concatenate(rows) if rows else np.zeros((0, 2), dtype=np.int64)
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
    """:func:`scorer.provenance.find_reuse` on the Dask cluster of ``client`` (a ``distributed.Client``)."""
    from scorer.provenance import _assemble, unique_articles

    arts = unique_articles(articles)
    n = len(arts)
    if n < 2:
        return ReuseReport([], [], {}, n_articles=n)
    parts = max(2, min(64, -(-n // partition_size)))
    max_df = max_df or default_max_df(n)
    records = [(k, a.id, a.text) for k, a in enumerate(arts)]
    chunks = [records[k:k + partition_size] for k in range(0, n, partition_size)]
    sketched = client.map(_sketch_part, chunks, parts=parts, pure=False)
    key_parts = [[client.submit(lambda r, p: r[1][p], s, p, pure=False) for s in sketched] for p in range(parts)]
    band_parts = [[client.submit(lambda r, p: r[2][p], s, p, pure=False) for s in sketched] for p in range(parts)]
    sizes = np.zeros(n, dtype=np.int64)
    for part in client.gather(client.map(lambda r: r[0], sketched, pure=False)):
        for pos, k in part:
            sizes[pos] = k
    joined = [client.submit(_key_join, rows, n, max_df, max(1, PAIR_BUDGET // parts), parts, pure=False)
              for rows in key_parts]
    by_pair = [[client.submit(lambda r, p: r[p], j, p, pure=False) for j in joined] for p in range(parts)]
    sizes_f = client.scatter(sizes, broadcast=True)
    reduced = client.map(_pair_reduce, by_pair, sizes=sizes_f, n=n, pure=False)
    banded = client.map(_band_join, band_parts, n=n, pure=False)
    pairs_idx: set[tuple[int, int]] = set()
    for res in client.gather(reduced):
        pairs_idx.update(res)
    for codes in client.gather(banded):
        pairs_idx.update((int(c // n), int(c % n)) for c in codes)
    del sketched, key_parts, band_parts, joined, by_pair, reduced, banded
    ordered = sorted(pairs_idx)
    id_pairs = [(arts[i].id, arts[j].id) for i, j in ordered]
    tasks = []
    for k in range(0, len(id_pairs), PAIRS_PER_TASK):
        chunk = id_pairs[k:k + PAIRS_PER_TASK]
        involved = {arts[i].id: arts[i] for pair in ordered[k:k + PAIRS_PER_TASK] for i in pair}
        tasks.append(client.submit(_align_task, chunk, involved, pure=False))
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
    texts = {a.id: a.text for a in arts}
    return _assemble(ordered_al, meta, texts, details, n, len(id_pairs))


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
