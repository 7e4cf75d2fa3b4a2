"""``find_reuse`` end to end: candidates, pairs, direction, disclosure, clusters, features, evidence."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import scorer
from scorer.article import Article
from scorer.features import catalogue
from scorer.provenance import article_features, find_reuse
from scorer.provenance.index import candidate_pairs
from scorer.provenance.fingerprint import sketch


@pytest.fixture
def corpus(texts: dict[str, str]) -> list[Article]:
    SOURCE, SPUN, OTHER = texts["source"], texts["spun"], texts["other"]
    WIRE = "By Associated Press\n\n" + SOURCE
    return [
        Article(id="orig", text=SOURCE, outlet="Associated Press", date="2022-12-09"),
        Article(id="wire", text=WIRE, outlet="Daily Example", date="2022-12-10"),
        Article(id="spun", text=SPUN, outlet="Spin Site", date="December 12, 2022"),
        Article(id="other", text=OTHER, outlet="Bakery News"),
    ]


def test_candidates_skip_unrelated_articles(corpus: list[Article]) -> None:
    sketches = [sketch(a.id, a.text) for a in corpus]
    pairs = candidate_pairs(sketches)
    assert (0, 1) in pairs and (0, 2) in pairs
    assert all(3 not in p for p in pairs)


def test_pairs_direction_disclosure_and_cluster(corpus: list[Article]) -> None:
    report = find_reuse(corpus)
    by_pair = {frozenset((p.a, p.b)): p for p in report.pairs}
    wire = by_pair[frozenset(("orig", "wire"))]
    assert wire.kind == "verbatim"
    # the republication names the other article's outlet: it derives from it, and says so
    derived = wire.a if wire.direction == "a_from_b" else wire.b
    assert derived == "wire" and wire.derived_discloses is True
    spun = by_pair[frozenset(("orig", "spun"))]
    assert spun.kind == "paraphrase"
    # no disclosure: the later-dated article is the derived one, and it does not say so
    assert (spun.a if spun.direction == "a_from_b" else spun.b) == "spun"
    assert spun.derived_discloses is False
    assert not any("other" in (p.a, p.b) for p in report.pairs)
    assert report.clusters and set(report.clusters[0].members) >= {"orig", "wire"}


def test_article_features_have_catalogue_columns_and_zeros(corpus: list[Article]) -> None:
    report = find_reuse(corpus)
    table = article_features(report, ["orig", "wire", "spun", "other"])
    cat = catalogue()
    assert list(table.columns) == list(cat.loc[cat["group"] == "provenance", "name"])
    assert isinstance(table, pd.DataFrame) and table.index.tolist() == ["orig", "wire", "spun", "other"]
    assert (table.loc["other"] == 0).all()
    assert table.loc["spun", "provenance_undisclosed_reuse"] == 1.0
    assert table.loc["wire", "provenance_undisclosed_reuse"] == 0.0
    assert table.loc["wire", "provenance_wire_copy"] == 1.0
    assert table.loc["orig", "provenance_reused_by"] >= 1
    assert 0.5 < table.loc["spun", "provenance_reused_share"] <= 1.0


def test_evidence_offsets_point_into_the_article(corpus: list[Article]) -> None:
    report = find_reuse(corpus)
    ev = report.evidence_for("wire")
    assert ev and all(e.other_id in ("orig", "spun") for e in ev)
    by_id = {a.id: a.text for a in corpus}
    for e in ev:
        assert e.span.of(by_id["wire"]).strip()
        if e.exact:
            assert e.span.of(by_id["wire"]) == e.other_span.of(by_id[e.other_id])


def _seed_report(seeds: list[Path]):
    return find_reuse(scorer.read(p) for p in seeds)


def test_seed_relations(seeds: list[Path]) -> None:
    """000 and 001 paraphrase one wire story (001 credits the SF Chronicle); 004 shares only quotes."""
    report = _seed_report(seeds)
    rel = {frozenset((p.a[:3], p.b[:3])): p for p in report.pairs}
    pair = rel.pop(frozenset(("000", "001")))
    assert pair.kind == "paraphrase"
    assert pair.direction in ("common_source", "unknown")
    discloses = {pair.a[:3]: pair.a_discloses, pair.b[:3]: pair.b_discloses}
    assert discloses == {"000": False, "001": True}
    for key, p in rel.items():  # anything else may only be shared quotes with 004
        assert "004" in key and p.kind == "shared_quotes_only", (key, p.kind)
    assert not any(k & {"002", "003"} for k in rel)
    assert [sorted(m[:3] for m in c.members) for c in report.clusters] == [["000", "001"]]
    table = article_features(report, [p.stem for p in seeds])
    assert table.loc[[p.stem for p in seeds if p.name.startswith("004")][0]].sum() == 0
