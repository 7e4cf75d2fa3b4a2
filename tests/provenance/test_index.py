"""The candidate channels' constants agree with the library they stand for."""

from __future__ import annotations

from scorer.provenance.fingerprint import NUM_PERM
from scorer.provenance.index import BAND_SHAPE, LSH_THRESHOLD


def test_band_shape_is_datasketchs_choice() -> None:
    """The written-down band split is the one datasketch's LSH picks for the same threshold and size."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    assert BAND_SHAPE == (lsh.b, lsh.r)
