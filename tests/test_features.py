"""Per-article features: one spec per feature, the generated catalogue, finite values, evidence, the table."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import scorer
from scorer import features as F
from scorer.analysis import Analysis
from scorer.article import Article
from scorer.features import FEATURE_NAMES, Evidence, evidence_of, feature_table, features_of
from scorer.paths import REPO
from scorer.pipeline import SIGNALS
from scorer.segment import segment
from scorer.signals.attribution import Attribution
from scorer.signals.hedging import Hedge
from scorer.signals.origin import OriginStatement
from scorer.spans import Span

GROUPS = ("sourcing", "hedging", "transparency", "origin", "newsgathering", "aggregation", "provenance", "reporting",
          "style")


def test_catalogue_columns_and_directions() -> None:
    cat = F.catalogue()
    assert list(cat.columns) == ["name", "group", "meaning", "unit", "direction", "standard"]
    assert cat["name"].is_unique
    assert set(cat["direction"]) <= {-1, 0, 1}
    assert set(GROUPS) == set(cat["group"])
    assert all(cat["meaning"].str.len() > 10)
    assert all(cat["standard"].str.len() > 20)


def test_committed_catalogue_is_generated_from_the_specs() -> None:
    committed = (REPO / "scorer" / "data" / "features.csv").read_text(encoding="utf-8")
    assert committed == F.catalogue_csv(), "regenerate: python -m scorer.features > scorer/data/features.csv"


def test_weighted_directions_cite_a_published_standard() -> None:
    standards = ("SPJ", "AP", "Trust Project", "HealthNewsReview")
    for f in F.SPECS:
        if f.direction != 0:
            assert any(s in f.standard for s in standards), f.name
        else:
            assert f.standard.startswith("descriptive"), f.name


def test_each_feature_comes_from_one_registered_signal() -> None:
    names = [f.name for s in SIGNALS for f in s.features]
    assert names == list(FEATURE_NAMES) and len(set(names)) == len(names)
    with pytest.raises(KeyError, match="unknown feature 'nope'"):
        F.spec("nope")


def _findings(text: str, **found: list) -> Analysis:
    paragraphs, sentences = segment(text)
    return Analysis(text=text, paragraphs=paragraphs, sentences=sentences, findings=dict(found))


def _handmade() -> Analysis:
    text = "A senior official said the deal was off. She spoke on condition of anonymity. It may rain."
    _, sentences = segment(text)
    return _findings(
        text, quotes=[],
        attributions=[Attribution(cue=Span(18, 22), source=Span(0, 17), content=Span(23, 39),
                                  source_type="anonymous_person", direct=False, sentence=sentences[0],
                                  anonymity_reason=Span(51, 76))],
        hedges=[Hedge(cue=Span(81, 84), sentence=sentences[2], kind="modal")],
        origin=[OriginStatement(span=Span(0, 1), kind="wire_byline", outlet="AP")])


def test_values_from_a_handmade_analysis() -> None:
    a = _handmade()
    feats = features_of(a)
    assert set(feats) == set(FEATURE_NAMES)
    assert all(isinstance(v, float) and math.isfinite(v) for v in feats.values())
    words = a.word_count
    assert feats["attribution_density"] == 100 / words
    assert feats["anonymous_sources"] == 1 and feats["anonymous_with_reason"] == 1
    assert feats["anonymous_without_reason"] == 0 and feats["anonymous_reason_share"] == 1
    assert feats["attributed_sentence_share"] == 1 / 3
    assert feats["hedged_sentence_share"] == 1 / 3 and feats["hedged_claim_share"] == 1 / 2
    assert feats["origin_wire"] == 1 and feats["origin_disclosed"] == 1
    assert feats["byline_present"] == 0 and feats["date_present"] == 0


def test_evidence_points_at_the_sentences() -> None:
    a = _handmade()
    ev = evidence_of(a)
    assert set(ev) == set(FEATURE_NAMES)
    anon = ev["anonymous_sources"]
    assert all(isinstance(e, Evidence) for e in anon)
    assert [e.text for e in anon] == ["A senior official said the deal was off.", "on condition of anonymity"]
    assert "may" in ev["hedge_density"][0].note
    assert ev["byline_present"] == []


def test_transparency_and_table() -> None:
    art = Article(id="x1", text="Officials said nothing. The end.", authors=["Jo Reed"], date="2022-11-04")
    empty = scorer.analyse("")
    table = feature_table([scorer.analyse(art), empty])
    assert list(table.columns) == list(FEATURE_NAMES)
    assert list(table.index) == ["x1", 1]
    assert table.loc["x1", "byline_present"] == 1 and table.loc["x1", "date_present"] == 1
    assert table.loc[1, "byline_present"] == 0
    assert table.notna().all().all()
    assert isinstance(table, pd.DataFrame)


def test_distinct_named_sources_merge_short_and_long_names() -> None:
    text = ("Mayor Dana Ortiz said the bridge would close. Ortiz added that repairs would take a year. "
            "The city council said it agreed. The council also said money was short.")
    a = scorer.analyse(text)
    feats = features_of(a)
    assert feats["distinct_named_sources"] == 2
    assert len(evidence_of(a)["distinct_named_sources"]) == 2


def test_a_failing_signal_is_reported_not_silent(monkeypatch: pytest.MonkeyPatch) -> None:
    from scorer import pipeline
    from scorer.signals.spec import Signal

    def broken(analysis: Analysis) -> list:
        raise ValueError("odd text")

    monkeypatch.setattr(pipeline, "SIGNALS", (Signal("broken", "Broken", find=broken),) + pipeline.SIGNALS)
    a = pipeline.analyse("Officials said nothing.")
    assert a.problems == ["broken: ValueError: odd text"]
    assert a.found("broken") == [] and a.to_dict()["problems"] == a.problems
