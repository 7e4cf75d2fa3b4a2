"""Reuse against an archive: the same pairs as a corpus run, real provenance features, evidence naming the archive."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import scorer
from scorer.archive import Archive, build
from scorer.article import Article
from scorer.cli import main
from scorer.paths import REPO
from scorer.provenance import find_reuse

SEEDS = REPO / "seeds"


def _three(texts: dict[str, str]) -> list[Article]:
    return [Article(id="source", text=texts["source"], outlet="City Gazette", date="2022-03-01",
                    url="https://gazette.example/budget", title="Council passes budget"),
            Article(id="other", text=texts["other"], outlet="Bakery News", date="2022-03-02"),
            Article(id="spun", text=texts["spun"], outlet="Spin Daily", date="2022-03-04")]


def test_pair_identical_in_one_run_or_against_the_index(tmp_path: Path, texts: dict[str, str]) -> None:
    source, other, spun = _three(texts)
    together = find_reuse([source, other, spun])
    assert [(p.a, p.b) for p in together.pairs] == [("source", "spun")]
    path = tmp_path / "ix.sqlite"
    build(path, [source, other])
    with Archive(path) as ix:
        against = find_reuse([spun], index=ix)
    assert against.pairs == together.pairs  # kind, shares, direction, disclosure, every passage
    assert against.pairs[0].direction == "b_from_a"  # dates: the spun copy is later
    meta = against.meta["source"]
    assert meta.archived and (meta.outlet, meta.url, meta.title) == ("City Gazette", "https://gazette.example/budget",
                                                                      "Council passes budget")
    assert against.n_articles == 1


def test_corpus_copy_of_an_archived_id_is_the_one_compared(tmp_path: Path, texts: dict[str, str]) -> None:
    source, other, spun = _three(texts)
    path = tmp_path / "ix.sqlite"
    build(path, [source, spun])
    with Archive(path) as ix:
        report = find_reuse([source, spun], index=ix)
    assert [(p.a, p.b) for p in report.pairs] == [("source", "spun")]
    assert not any(m.archived for m in report.meta.values())


def test_score_with_index_has_real_provenance_and_names_the_archived_article(tmp_path: Path,
                                                                            texts: dict[str, str]) -> None:
    source, other, spun = _three(texts)
    path = tmp_path / "ix.sqlite"
    build(path, [source, other])
    alone = scorer.score(spun)
    checked = scorer.score(spun, index=path)
    assert alone.features["provenance_reused_share"] == 0
    assert checked.features["provenance_reused_share"] > 0.8
    assert checked.features["provenance_is_derived"] == 1
    row = checked.explanation.set_index("feature").loc["provenance_reused_share"]
    notes = " ".join(e["note"] for e in row["evidence"])
    assert "archived source" in notes and "City Gazette" in notes and "https://gazette.example/budget" in notes
    assert "Council passes budget" in notes and "2022-03-01" in notes and "copied from" in notes
    assert all(e["text"] in texts["spun"] or e["text"].endswith("…") for e in row["evidence"])
    with Archive(path) as ix:  # an open Archive works too, and stays open
        assert scorer.score(spun, index=ix).features == checked.features
        assert len(ix) == 2


def test_seed_001_against_an_index_of_the_other_seeds(tmp_path: Path) -> None:
    others = tmp_path / "others"
    others.mkdir()
    for p in sorted(SEEDS.glob("*.txt")):
        if not p.name.startswith("001"):
            (others / p.name).write_bytes(p.read_bytes())
    path = tmp_path / "ix.sqlite"
    runner = CliRunner()
    assert runner.invoke(main, ["index", "build", str(others), "--index", str(path), "--quiet"]).exit_code == 0
    seed = str(next(SEEDS.glob("001_*.txt")))
    res = runner.invoke(main, ["score", seed, "--index", str(path), "--top", "10"])
    assert res.exit_code == 0, res.output
    assert "reuse found" in res.output and "provenance_is_derived = 1" in res.output
    assert "paraphrase, shares a common source with archived 000_25b945acff414000" in " ".join(res.output.split())
    res = runner.invoke(main, ["score", seed, "--index", str(path), "--json"])
    reuse = json.loads(res.stdout)[0]["archive_reuse"]
    assert reuse and all("archived 000_25b945acff414000" in r["note"] for r in reuse)
    alone = json.loads(runner.invoke(main, ["score", seed, "--json"]).stdout)[0]
    assert "archive_reuse" not in alone
    res = runner.invoke(main, ["provenance", str(tmp_path / "q"), "--index", str(path)])
    assert res.exit_code == 2  # missing corpus: one line
    q = tmp_path / "q"
    q.mkdir()
    (q / Path(seed).name).write_bytes(Path(seed).read_bytes())
    res = runner.invoke(main, ["provenance", str(q), "--index", str(path), "--quiet"])
    assert res.exit_code == 0 and "000_25b945acff414000 ~ 001_896550752f931eee: paraphrase" in res.output
    assert "004_c5f29e39a883f2f0 ~ 001_896550752f931eee: shared_quotes_only" in res.output


def test_batch_with_index(tmp_path: Path, texts: dict[str, str]) -> None:
    source, other, spun = _three(texts)
    path = tmp_path / "ix.sqlite"
    build(path, [source, other])
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "spun", "text": texts["spun"], "date": "2022-03-04"}) + "\n")
    from scorer.batch import score_corpus

    run = score_corpus(corpus, index=path)
    assert run.reuse and "copied from archived source (City Gazette" in run.reuse[0]["reuse"]
    assert run.reuse[0]["provenance_reused_share"] > 0.8


def test_missing_index_is_one_error_line(tmp_path: Path) -> None:
    seed = str(next(SEEDS.glob("001_*.txt")))
    res = CliRunner().invoke(main, ["score", seed, "--index", str(tmp_path / "none.sqlite")])
    assert res.exit_code == 2 and "no such index" in res.output and "Traceback" not in res.output
