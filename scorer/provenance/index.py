"""Candidate generation: which pairs of articles are worth aligning, without comparing all pairs.

Two channels, each a join of per-article sketches on shared keys:

* an inverted index of sampled content-word bigram hashes (:data:`fingerprint.SAMPLE`).
  Two articles that share at least :data:`MIN_SHARED` keys become a candidate pair,
  whatever their lengths: this finds a copied paragraph inside a long article and a
  spun rewrite (synonyms are folded before hashing). Keys held by more than
  ``max_df`` articles are set phrases ("prime minister", boilerplate) and skipped;
* MinHash LSH (datasketch) on the same bigram sets, for near-duplicates: a wire story
  republished by hundreds of outlets has keys too common for the index, but their
  signatures still land in the same LSH bucket.

Both are bucket joins, so on Dask or Spark they are a group-by on key followed by
pair emission per bucket (see docs/provenance.md).
"""

from __future__ import annotations

import hashlib
from typing import Sequence

import numpy as np

from scorer.provenance.fingerprint import NUM_PERM, Sketch

#: Fewest shared index keys for a candidate pair ...
MIN_SHARED = 3
#: ... and least share of the smaller article's keys they must be (a copied paragraph in a
#: long article is about 0.1; unrelated articles on one topic stay below 0.05).
MIN_KEY_SHARE = 0.06
#: Shared keys that make a candidate whatever the share: two copied sentences inside long
#: articles (about 20 bigrams: 6-7 sampled keys and 2-3 winnowed ones, fewer once lightly
#: edited) stay below :data:`MIN_KEY_SHARE`, and the aligner decides.
MIN_SHARED_ALONE = 8
#: Jaccard threshold of the near-duplicate LSH channel.
LSH_THRESHOLD = 0.5


def default_max_df(n_articles: int) -> int:
    """Largest posting list joined: common phrases are skipped, wire stories are not."""
    return max(50, n_articles // 1000)


#: Most (pair, key) rows the join may emit on a small corpus; the most common keys are dropped
#: first to stay under it.
PAIR_BUDGET = 10_000_000
#: ... and on a large one, this many per (key, article) row the join reads. A fixed budget
#: makes recall fall as the corpus grows (posting lists lengthen, so ever rarer keys are
#: given up: planted pairs found at 1M articles on 2 Dask workers fell to 0.83); one in
#: proportion to the input keeps the join's cost linear in the corpus, as its input is.
PAIRS_PER_ROW = 1


def join_budget(n_rows: int, share: float = 1.0) -> int:
    """Pair rows a join over ``n_rows`` (key, article) rows may emit: ``share`` of :data:`PAIR_BUDGET`
    (one partition's share of the corpus join), or :data:`PAIRS_PER_ROW` per row read, whichever is more."""
    return max(1, int(PAIR_BUDGET * share), PAIRS_PER_ROW * n_rows)


def _bounded_df(lengths: np.ndarray, max_df: int, budget: int = PAIR_BUDGET) -> int:
    """The largest posting-list size <= ``max_df`` whose joins emit at most ``budget`` rows.

    Memory and time of the join grow with the square of the posting-list sizes; the
    commonest keys are the least informative, so they are the ones given up.
    """
    df = np.bincount(lengths[(lengths >= 2) & (lengths <= max_df)], minlength=max_df + 1)
    rows = np.cumsum(df * (np.arange(max_df + 1) * (np.arange(max_df + 1) - 1) // 2))
    ok = np.flatnonzero(rows <= budget)
    return int(ok[-1]) if len(ok) else 2


def pair_codes(keys: np.ndarray, docs: np.ndarray, n: int, max_df: int, budget: int | None = None) -> np.ndarray:
    """``a * n + b`` (a < b) once per key two articles share, from (key, article) rows.

    Keys held by more than ``max_df`` articles are skipped (and the commonest further
    ones while the join would emit more than ``budget`` rows, by default
    :func:`join_budget` of the rows). Every row of a key must be present, so on a cluster
    this runs per key partition (:mod:`scorer.provenance.distributed`).
    """
    if len(keys) == 0:
        return np.zeros(0, dtype=np.int64)
    if budget is None:
        budget = join_budget(len(keys))
    order = np.argsort(keys, kind="stable")
    keys, docs = keys[order], docs[order]
    del order
    bounds = np.flatnonzero(np.diff(keys)) + 1
    starts = np.concatenate([[0], bounds])
    ends = np.concatenate([bounds, [len(keys)]])
    lengths = ends - starts
    max_df = _bounded_df(lengths, max_df, budget)
    chunks: list[np.ndarray] = []
    for size in range(2, max_df + 1):
        sel = starts[lengths == size]
        if len(sel) == 0:
            continue
        groups = docs[sel[:, None] + np.arange(size)[None, :]]  # (n_groups, size), docs sorted by stability
        groups.sort(axis=1)
        iu, ju = np.triu_indices(size, k=1)
        a = groups[:, iu].ravel()
        b = groups[:, ju].ravel()
        keep = a != b
        chunks.append(a[keep] * n + b[keep])
    return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)


def shared_enough(codes: np.ndarray, sizes: np.ndarray, n: int, *, min_shared: int = MIN_SHARED,
                  min_share: float = MIN_KEY_SHARE) -> dict[tuple[int, int], int]:
    """Pairs whose codes occur often enough (shared keys) for both thresholds, with the number shared."""
    if len(codes) == 0:
        return {}
    codes, counts = np.unique(codes, return_counts=True)
    smaller = np.minimum(sizes[codes // n], sizes[codes % n])
    hit = ((counts >= min_shared) & (counts >= min_share * smaller)) | (counts >= MIN_SHARED_ALONE)
    return {(int(c // n), int(c % n)): int(k) for c, k in zip(codes[hit], counts[hit])}


def index_pairs(sketches: Sequence[Sketch], *, min_shared: int = MIN_SHARED, min_share: float = MIN_KEY_SHARE,
                max_df: int | None = None) -> dict[tuple[int, int], int]:
    """Pairs (i < j, positions in ``sketches``) sharing enough keys, with the number shared."""
    n = len(sketches)
    if n < 2:
        return {}
    max_df = max_df or default_max_df(n)
    sizes = np.fromiter((len(s.keys) for s in sketches), dtype=np.int64, count=n)
    if sizes.sum() == 0:
        return {}
    keys = np.concatenate([s.keys for s in sketches]).astype(np.uint32)
    docs = np.repeat(np.arange(n, dtype=np.int64), sizes)
    codes = pair_codes(keys, docs, n, max_df)
    del keys, docs
    return shared_enough(codes, sizes, n, min_shared=min_shared, min_share=min_share)


#: (bands, rows per band) that datasketch's ``MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)``
#: chooses (its false-positive/negative optimum), written down so that an archive query need not
#: import datasketch and SciPy under it (half a second) to split a signature into bands;
#: ``tests/provenance/test_index.py`` checks it is still datasketch's choice.
BAND_SHAPE = (14, 4)


def band_keys(minhash: np.ndarray) -> list[int]:
    """One signed 64-bit key per LSH band: equal keys <=> equal band (as in datasketch's buckets)."""
    b, r = BAND_SHAPE
    out = []
    for k in range(b):
        digest = hashlib.blake2b(bytes([k]) + minhash[k * r:(k + 1) * r].astype(np.uint64).tobytes(),
                                 digest_size=8).digest()
        out.append(int.from_bytes(digest, "little", signed=True))
    return out


def lsh_pairs(sketches: Sequence[Sketch], *, threshold: float = LSH_THRESHOLD) -> set[tuple[int, int]]:
    """Near-duplicate pairs (i < j) by MinHash LSH over the articles' bigram signatures."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    mins = []
    for k, s in enumerate(sketches):
        m = MinHash(num_perm=NUM_PERM, hashvalues=s.minhash, scheme="affine32")
        mins.append(m)
        lsh.insert(k, m, check_duplication=False)
    out: set[tuple[int, int]] = set()
    for k, m in enumerate(mins):
        for other in lsh.query(m):
            if other != k:
                out.add((min(k, other), max(k, other)))
    return out


def candidate_pairs(sketches: Sequence[Sketch], *, max_df: int | None = None) -> list[tuple[int, int]]:
    """Union of both channels, sorted: the only pairs that are aligned."""
    if len(sketches) < 2:  # one article (an archive query): no pairs, and no datasketch/SciPy import
        return []
    pairs = set(index_pairs(sketches, max_df=max_df))
    pairs |= lsh_pairs(sketches)
    return sorted(pairs)
