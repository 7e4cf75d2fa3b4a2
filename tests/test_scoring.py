"""score(): paths, texts and Articles in; a probability with exact log-odds contributions out."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import scorer
from scorer.errors import InputError
from scorer.scoring import ScoreResult, score


def test_scores_every_seed_with_the_shipped_model(seeds) -> None:
    for path in seeds:
        r = score(path)
        assert isinstance(r, ScoreResult)
        assert r.id == path.stem
        assert 0.0 < r.score < 1.0
        assert set(r.contributions) <= set(r.features)


def test_contributions_add_up_to_the_score(seeds) -> None:
    r = score(seeds[1])
    logit = math.log(r.score / (1 - r.score))
    assert r.log_odds == pytest.approx(logit, abs=1e-9)
    assert r.intercept + sum(r.contributions.values()) == pytest.approx(logit, abs=1e-9)


def test_text_article_and_path_inputs(seeds) -> None:
    text = Path(seeds[0]).read_text(encoding="utf-8")
    from_text = score("Officials said the bridge would reopen.\nIt may take weeks.")
    assert from_text.id == "text"
    art = scorer.read(seeds[0])
    assert score(art).score == pytest.approx(score(str(seeds[0])).score)
    assert score(text).features  # a long string with newlines is article text


def test_missing_path_and_empty_text_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        score(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="empty"):
        score("   ")
    with pytest.raises(InputError):
        score(12345)


def test_without_a_model_features_only(monkeypatch, seeds) -> None:
    import scorer.linear as linear_mod

    monkeypatch.setattr(linear_mod, "default_model_exists", lambda: False)
    r = score(seeds[0])
    assert r.score is None and r.contributions == {} and r.features


def test_to_dict_lists_all_contributions(seeds) -> None:
    r = score(seeds[2])
    d = r.to_dict()
    assert d["id"] == r.id and d["contribution_unit"] == "log-odds"
    assert {c["feature"] for c in d["contributions"]} == set(r.contributions)
    page = r._repr_html_()  # the notebook view: highlighted evidence with its offsets
    assert "data-start=" in page and "legend" in page.lower()


def test_public_api_is_exposed() -> None:
    assert scorer.score is score
    assert callable(scorer.explain) and callable(scorer.score_corpus) and callable(scorer.train)
    from scorer.explain import explain as fn
    r = score("Officials said the bridge would reopen on Monday.")
    assert scorer.explain(r).equals(fn(r))


def test_health_story_is_scored_with_the_health_weights() -> None:
    from scorer.model import heads, routing_enabled
    from scorer.model_file import load_cached

    text = ("The drug cut symptoms in patients with early disease, researchers reported after a clinical trial at "
            "three hospitals. Doctors cautioned that the study was small, said Dr Ana Ruiz, who was not involved.")
    result = score(text)
    if not routing_enabled():  # the shipped model keeps one set of weights (docs/model.md)
        assert result.domain == "general" and set(heads(load_cached()[0])) == {"general"}
        return
    assert result.domain == "health" and result.to_dict()["domain"] == "health"
    health = heads(load_cached()[0])["health"]
    assert result.score == pytest.approx(health.predict_proba([text])[0, 1])
    assert score("The senator said on Tuesday that the bill would pass, according to two aides.").domain == "general"
