"""Per-article features: catalogue shape, finite values, evidence, the table."""

from __future__ import annotations

import math

import pandas as pd

import scorer
from scorer.analysis import Analysis, Attribution, Hedge, OriginStatement
from scorer.article import Article
from scorer.features import CATALOGUE, FEATURE_NAMES, GROUPS, Evidence, article_features, feature_evidence, feature_table
from scorer.segment import segment
from scorer.spans import Span


def test_catalogue_columns_and_directions() -> None:
    assert list(CATALOGUE.columns) == ["name", "group", "meaning", "unit", "direction"]
    assert CATALOGUE["name"].is_unique
    assert set(CATALOGUE["direction"]) <= {-1, 0, 1}
    assert set(GROUPS) <= set(CATALOGUE["group"])
    assert all(CATALOGUE["meaning"].str.len() > 10)


def _handmade() -> Analysis:
    text = "A senior official said the deal was off. She spoke on condition of anonymity. It may rain."
    paragraphs, sentences = segment(text)
    a = Analysis(text=text, paragraphs=paragraphs, sentences=sentences)
    a.attributions = [Attribution(cue=Span(18, 22), source=Span(0, 17), content=Span(23, 39),
                                  source_type="anonymous_person", direct=False, sentence=sentences[0],
                                  anonymity_reason=Span(51, 76))]
    a.hedges = [Hedge(cue=Span(81, 84), sentence=sentences[2], kind="modal")]
    a.origin = [OriginStatement(span=Span(0, 1), kind="wire_byline", outlet="AP")]
    return a


def test_values_from_a_handmade_analysis() -> None:
    a = _handmade()
    feats = article_features(a)
    assert list(feats) == list(FEATURE_NAMES)
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
    ev = feature_evidence(a)
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
    feats = article_features(a)
    assert feats["distinct_named_sources"] == 2
    assert len(feature_evidence(a)["distinct_named_sources"]) == 2
