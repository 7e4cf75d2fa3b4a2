"""Provenance on dask.distributed: a 2-worker LocalCluster finds exactly the pairs of the local run."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from _corpora import write_planted_copies

distributed = pytest.importorskip("distributed")

import scorer  # noqa: E402
from scorer.cli import main  # noqa: E402
from scorer.paths import REPO  # noqa: E402
from scorer.provenance import find_reuse  # noqa: E402


@pytest.fixture(scope="module")
def client():
    """A 2-worker LocalCluster; skipped (with the reason) where this machine cannot start one."""
    from scorer.provenance.distributed import client_for

    try:
        c = client_for(None, 2)
    except (OSError, TimeoutError, RuntimeError) as exc:
        pytest.skip(f"a local Dask cluster cannot start here: {type(exc).__name__}: {exc}")
    yield c
    cluster = c.cluster
    c.close()
    cluster.close()


def test_pairs_and_clusters_equal_the_local_run(tmp_path: Path, client) -> None:
    from scorer.provenance.distributed import find_reuse_dask

    corpus = tmp_path / "planted.jsonl"
    write_planted_copies(corpus, 400, 40, dates=("2022-01-01", "2022-01-03"))
    arts = list(scorer.read_corpus(corpus)) + list(scorer.read_corpus(REPO / "seeds"))
    local = find_reuse(arts)
    dist = find_reuse_dask(arts, client, partition_size=60)  # several partitions: the joins are really split
    assert len(local.pairs) >= 40
    assert dist.pairs == local.pairs
    assert [c.members for c in dist.clusters] == [c.members for c in local.clusters]
    assert dist.n_candidates == local.n_candidates
    assert {p.direction for p in dist.pairs if p.a.startswith("orig")} == {"b_from_a"}


class _SlicePart:
    """A loader the workers call: articles [start, stop) of a corpus file, each call logged to ``log``."""

    def __init__(self, corpus: Path, start: int, stop: int, log: Path) -> None:
        self.corpus, self.start, self.stop, self.log = corpus, start, stop, log

    def __call__(self, wanted):
        with open(self.log, "a", encoding="utf-8") as fh:
            fh.write(f"{self.start} {'all' if wanted is None else len(wanted)}\n")
        arts = list(scorer.read_corpus(self.corpus))[self.start:self.stop]
        return arts if wanted is None else [arts[k] for k in wanted]


def test_parts_read_on_the_workers_give_the_local_pairs(tmp_path: Path, client) -> None:
    from scorer.provenance.distributed import find_reuse_dask_parts

    corpus = tmp_path / "planted.jsonl"
    write_planted_copies(corpus, 300, 30, dates=("2022-01-01", "2022-01-03"))
    log = tmp_path / "calls.log"
    parts = [_SlicePart(corpus, k, k + 70, log) for k in range(0, 330, 70)]
    dist = find_reuse_dask_parts(parts, client)
    local = find_reuse(scorer.read_corpus(corpus))
    assert len(local.pairs) >= 30
    assert dist.pairs == local.pairs
    assert dist.n_candidates == local.n_candidates and dist.n_articles == local.n_articles == 330
    calls = log.read_text().split("\n")[:-1]
    sketch_calls = sorted(int(c.split()[0]) for c in calls if c.endswith(" all"))
    fetch_calls = [c for c in calls if not c.endswith(" all")]
    assert sketch_calls == list(range(0, 330, 70))  # each part read once whole ...
    assert 0 < len(fetch_calls) <= len(parts)  # ... and at most once more, for its articles in candidate pairs
    assert sum(int(c.split()[1]) for c in fetch_calls) < 330


def test_an_id_in_two_parts_is_kept_once_as_in_the_local_run(tmp_path: Path, client) -> None:
    from scorer.provenance.distributed import find_reuse_dask_parts

    corpus = tmp_path / "planted.jsonl"
    write_planted_copies(corpus, 60, 6)
    log = tmp_path / "calls.log"
    dist = find_reuse_dask_parts([_SlicePart(corpus, 0, 40, log), _SlicePart(corpus, 30, 66, log)], client)
    arts = list(scorer.read_corpus(corpus))
    local = find_reuse(arts[0:40] + arts[30:66])
    assert dist.n_articles == local.n_articles == 66
    assert dist.pairs == local.pairs and len(dist.pairs) >= 6


def test_jsonl_byte_ranges_give_every_record_once(tmp_path: Path, client) -> None:
    from scorer.article import read_jsonl_range
    from scorer.provenance.distributed import find_reuse_dask_parts, jsonl_parts

    corpus = tmp_path / "planted.jsonl"
    write_planted_copies(corpus, 120, 12)
    with open(corpus, "a", encoding="utf-8") as fh:
        fh.write("not json\n")
    whole = [a.id for a in scorer.read_corpus(corpus)]
    size = corpus.stat().st_size
    for step in (97, 4096, size):  # ranges ending inside lines, and the whole file
        ids = [a.id for k in range(0, size, step) for a in read_jsonl_range(corpus, k, min(size, k + step))]
        assert ids == whole
    small = tmp_path / "three.jsonl"
    small.write_text("".join(f'{{"id": "a{k}", "text": "Text {k}."}}\n' for k in range(3)))
    n = small.stat().st_size  # one-byte ranges: each line starts in exactly one, newlines included
    assert [a.id for k in range(n) for a in read_jsonl_range(small, k, k + 1)] == ["a0", "a1", "a2"]
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    assert jsonl_parts(empty) == [] and find_reuse_dask_parts([], client).n_articles == 0
    parts = jsonl_parts(corpus, part_bytes=20_000)
    assert len(parts) > 3
    dist = find_reuse_dask_parts(parts, client)
    assert dist.pairs == find_reuse(scorer.read_corpus(corpus)).pairs


def test_cli_on_a_running_scheduler(tmp_path: Path, client) -> None:
    out = tmp_path / "pairs.csv"
    res = CliRunner().invoke(main, ["provenance", str(REPO / "seeds"), "--scheduler", client.scheduler.address,
                                    "--quiet", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "000_25b945acff414000 ~ 001_896550752f931eee: paraphrase" in res.output
    assert out.read_text().count("\n") == 4  # header and the three pairs
    res = CliRunner().invoke(main, ["provenance", str(REPO / "seeds"), "--engine", "dask", "--resume", "--out", str(out)])
    assert res.exit_code == 2 and "--engine dask" in res.output


def test_cli_jsonl_corpus_is_read_by_the_workers(tmp_path: Path, client, monkeypatch) -> None:
    """A .jsonl corpus goes to the cluster as byte ranges: same pairs table as the local run, bad records named."""
    import scorer.provenance.distributed as dist

    corpus = tmp_path / "planted.jsonl"
    write_planted_copies(corpus, 120, 12)
    with open(corpus, "a", encoding="utf-8") as fh:
        fh.write("not json\n")
    handed_over = []
    monkeypatch.setattr(dist, "find_reuse_dask", lambda *a, **k: handed_over.append(a))  # the client-reads route
    outs = {}
    for engine in ("local", "dask"):
        outs[engine] = tmp_path / f"{engine}.csv"
        extra = ["--scheduler", client.scheduler.address] if engine == "dask" else ["--workers", "1"]
        res = CliRunner().invoke(main, ["provenance", str(corpus), "--quiet", "--out", str(outs[engine]), *extra])
        assert res.exit_code == 0, res.output
        assert "planted.jsonl" in res.output and "skipped" in res.output  # the bad last line, named
    assert not handed_over
    assert outs["dask"].read_text() == outs["local"].read_text()
    assert outs["local"].read_text().count("\n") > 12


def test_index_built_on_the_cluster_is_the_local_build(tmp_path: Path, client) -> None:
    from scorer.archive import Archive, build

    corpus = tmp_path / "planted.jsonl"
    write_planted_copies(corpus, 300, 20)
    rows = []
    for name, kwargs in (("local", {"workers": 1}), ("dask", {"client": client})):
        path = tmp_path / f"{name}.sqlite"
        assert build(path, scorer.read_corpus(corpus), **kwargs) == (320, 0)
        with Archive(path) as ix:
            rows.append([ix.db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in ("articles", "keys", "bands")])
    assert rows[0] == rows[1]


def test_cli_index_build_and_add_on_a_local_cluster(tmp_path: Path, client) -> None:  # client: skip where none starts
    seeds = sorted(str(p) for p in (REPO / "seeds").glob("*.txt"))
    path = tmp_path / "ix.sqlite"
    runner = CliRunner()
    res = runner.invoke(main, ["index", "build", *seeds[:3], "--index", str(path), "--engine", "dask", "--workers", "2",
                               "--quiet"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["index", "add", *seeds, "--index", str(path), "--engine", "dask", "--quiet"])
    assert res.exit_code == 0 and "2 articles added, 3 already indexed" in res.output, res.output


def test_unreachable_scheduler_is_one_error_line(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["index", "build", str(REPO / "seeds"), "--index", str(tmp_path / "ix.sqlite"),
                                    "--scheduler", "tcp://127.0.0.1:9", "--quiet"])
    assert res.exit_code == 2
    assert res.stderr.count("\n") == 1 and "cannot reach the Dask scheduler" in res.stderr
    assert not (tmp_path / "ix.sqlite").exists()
