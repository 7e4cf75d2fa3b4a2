"""The candidate channels' constants agree with the library they stand for."""

from __future__ import annotations

from scorer.provenance.fingerprint import NUM_PERM
from scorer.provenance.index import BAND_SHAPE, LSH_THRESHOLD


def test_band_shape_is_datasketchs_choice() -> None:
    """The written-down band split is the one datasketch's LSH picks for the same threshold and size."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    assert BAND_SHAPE == (lsh.b, lsh.r)


def test_join_budget_grows_with_the_rows_read(monkeypatch) -> None:
    """A join emitting no more pair rows than it reads keeps every key, however small the fixed budget."""
    import numpy as np

    from scorer.provenance import index

    monkeypatch.setattr(index, "PAIR_BUDGET", 10)
    n_keys = 1000
    keys = np.repeat(np.arange(n_keys, dtype=np.uint32), 3)  # each key held by 3 articles: 3 pair rows per key
    docs = np.tile(np.arange(3, dtype=np.int64), n_keys) + 3 * (np.arange(3 * n_keys) // 3 % 50)
    codes = index.pair_codes(keys, docs, 200, max_df=50)
    assert len(codes) == 3 * n_keys
    assert len(index.pair_codes(keys, docs, 200, max_df=50, budget=10)) < 3 * n_keys  # a fixed budget binds
    # a partition's share: the fixed part divided, the per-row part its own
    assert index.join_budget(3 * n_keys, 1 / 4) == 3 * n_keys
    assert index.join_budget(2, 1 / 4) == 2
