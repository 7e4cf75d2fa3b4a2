"""Outlet level: per-outlet summaries, ratings shown beside (never used), and the command line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from scorer.outlets import OutletRow, bootstrap_mean, load_ratings, outlet_of, rating_entry, summarise, to_rows


def test_summarise_gives_n_mean_interval_and_strongest_drivers() -> None:
    scored = [("a.com", 0.2, {"x": -1.0, "y": 0.1}), ("a.com", 0.4, {"x": -0.5, "y": 0.3}), ("b.com", 0.9, {"x": 0.2})]
    rows = summarise(scored, {"t": {"a.com": "0.3"}})
    a = rows[0]
    assert (a.outlet, a.n) == ("a.com", 2) and np.isclose(a.mean, 0.3)
    assert a.low <= a.mean <= a.high
    assert a.drivers[0] == ("x", -0.75) and a.ratings == {"t": "0.3"}
    assert rows[1].ratings == {}  # b.com unrated: no entry


def test_min_articles_leaves_small_outlets_out() -> None:
    scored = [("a.com", 0.2, {}), ("a.com", 0.4, {}), ("b.com", 0.9, {})]
    assert [r.outlet for r in summarise(scored, min_articles=2)] == ["a.com"]


def test_bootstrap_mean_interval_narrows_with_more_articles() -> None:
    rng = np.random.default_rng(0)
    few, many = rng.uniform(0, 1, 5), rng.uniform(0, 1, 500)
    lo1, hi1 = bootstrap_mean(few)
    lo2, hi2 = bootstrap_mean(many)
    assert hi2 - lo2 < hi1 - lo1


def test_rating_lookup_falls_back_to_the_registrable_domain() -> None:
    table = {"nytimes.com": "0.86", "bbc.co.uk": "0.9"}
    assert rating_entry("well.blogs.nytimes.com", table) == "0.86"
    assert rating_entry("news.bbc.co.uk", table) == "0.9"
    assert rating_entry("example.org", table) is None


def test_absent_ratings_folder_gives_no_tables(tmp_path: Path) -> None:
    assert load_ratings(None) == {} and load_ratings(tmp_path / "nope") == {}
    rows = to_rows([OutletRow("a.com", 1, 0.5, 0.5, 0.5, [])], [])
    assert set(rows[0]) == {"outlet", "n", "mean_score", "ci_low", "ci_high", "drivers"}


def test_ratings_tables_are_read_from_a_configured_folder(tmp_path: Path) -> None:
    lin = tmp_path / "domain-quality-ratings-lin2023" / "raw" / "data"
    lin.mkdir(parents=True)
    (lin / "domain_pc1.csv").write_text("domain,pc1\nexample.com,0.42\n", encoding="utf-8")
    assert load_ratings(tmp_path) == {"lin2023_pc1": {"example.com": "0.42"}}


def test_outlet_of_prefers_the_domain() -> None:
    from scorer.article import Article

    assert outlet_of(Article("1", "t", extra={"domain": "WWW.Example.com"})) == "example.com"
    assert outlet_of(Article("2", "t", outlet="Daily Bugle")) == "Daily Bugle"
    assert outlet_of(Article("3", "t")) == "(unknown outlet)"


def test_cli_outlets_scores_a_corpus_and_shows_ratings_beside(tmp_path: Path) -> None:
    from scorer.cli import main

    text = ("The mayor said on Tuesday that the city would open two new shelters, according to a statement. "
            "\"We are ready,\" said Ana Ruiz, the city's housing director. ") * 3
    lines = [json.dumps({"id": str(i), "text": text, "domain": dom}) for i, dom in
             enumerate(["example.com", "example.com", "other.org"])]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(lines) + "\n{not json\n", encoding="utf-8")
    ratings = tmp_path / "ratings" / "domain-quality-ratings-lin2023" / "raw" / "data"
    ratings.mkdir(parents=True)
    (ratings / "domain_pc1.csv").write_text("domain,pc1\nexample.com,0.42\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["outlets", str(corpus), "--csv", "--ratings", str(tmp_path / "ratings")])
    assert res.exit_code == 0, res.output
    out = res.stdout.splitlines()
    assert out[0].split(",")[-1] == "lin2023_pc1"
    assert out[1].startswith("example.com,2,") and out[1].endswith(",0.420")
    assert "1 unreadable record" in res.stderr
    res2 = CliRunner().invoke(main, ["outlets", str(corpus), "--csv", "--ratings", str(tmp_path / "none")])
    assert "lin2023_pc1" not in res2.stdout
