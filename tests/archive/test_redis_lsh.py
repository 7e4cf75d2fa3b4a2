"""The shared-index recipe of docs/provenance.md: datasketch's LSH storage on Redis (a fake Redis server here)."""

from __future__ import annotations

import pytest

fakeredis = pytest.importorskip("fakeredis")
storage = pytest.importorskip("datasketch.storage")


def test_two_machines_share_the_near_duplicate_channel(monkeypatch: pytest.MonkeyPatch, texts: dict[str, str]) -> None:
    from datasketch import MinHash, MinHashLSH

    from scorer.provenance.fingerprint import NUM_PERM, sketch
    from scorer.provenance.index import LSH_THRESHOLD

    server = fakeredis.FakeServer()
    monkeypatch.setattr(storage.redis, "Redis", lambda **kw: fakeredis.FakeRedis(server=server))
    config = {"type": "redis", "basename": b"scorer-archive", "redis": {"host": "redis.internal", "port": 6379}}

    def minhash(text: str) -> MinHash:
        return MinHash(num_perm=NUM_PERM, hashvalues=sketch("x", text).minhash, scheme="affine32")

    indexer = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM, storage_config=config)
    indexer.insert("source", minhash(texts["source"]))
    indexer.insert("other", minhash(texts["other"]))
    scorer_machine = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM, storage_config=config)
    copy = texts["source"] + "\n\nThe council meets again on Friday."
    assert scorer_machine.query(minhash(copy)) == ["source"]
    assert scorer_machine.query(minhash("A completely different story about the weather and the harvest in "
                                        "the southern valleys this autumn, with rain expected.")) == []
