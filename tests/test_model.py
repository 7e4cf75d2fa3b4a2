"""Model files: training recipe, reproducible bytes, and refusal of tampered or foreign files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pytest
import skops.io as sio
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from scorer.errors import InputError
from scorer.featurizer import ArticleFeaturizer
from scorer.linear import DEFAULT_MODEL, checksum_path
from scorer.model import RoutedModel, assemble, fit_head, fit_heads, heads, linear_parts, predict_heads
from scorer.model_file import TRUSTED_TYPES, load, save

GOOD = ("The health minister said on Tuesday that the trial, published in The Lancet, involved 4,000 patients. "
        "\"The results are clear,\" said Dr Ana Ruiz, who led the study at Oxford University. ")
BAD = "You won't believe this miracle cure! Doctors hate it. Some say it may reverse ageing, allegedly. "


def tiny_pipeline():
    """A model fitted on a few synthetic texts (no shared data needed)."""
    texts = [GOOD * (1 + i % 3) for i in range(12)] + [BAD * (1 + i % 3) for i in range(12)]
    y = np.array([1] * 12 + [0] * 12)
    f = ArticleFeaturizer().fit()
    X = f.transform(texts)
    groups = np.array([f"g{i % 6}" for i in range(24)])
    head = fit_head(X, y, np.ones(24), groups, C=1.0)
    return assemble(f, head), texts, y


def test_fit_head_separates_and_probabilities_are_sane() -> None:
    pipe, texts, y = tiny_pipeline()
    p = pipe.predict_proba(texts)[:, 1]
    assert ((p >= 0.5).astype(int) == y).mean() >= 0.9
    assert (p > 0).all() and (p < 1).all()


def test_coefficients_follow_documented_directions() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 3))
    y = (X[:, 0] - X[:, 1] + rng.normal(scale=0.5, size=400) > 0).astype(int)
    groups = np.arange(400) % 10
    free = fit_head(X, y, np.ones(400), groups, calibrate=False)
    assert free.lr.coef_[0, 1] < 0
    forced = fit_head(X, y, np.ones(400), groups, calibrate=False, directions=np.array([1.0, 1.0, 0.0]))
    assert forced.lr.coef_[0, 0] > 0 and forced.lr.coef_[0, 1] == 0.0  # contradicting weight dropped


def test_rare_features_get_no_weight() -> None:
    rng = np.random.default_rng(2)
    X = np.zeros((600, 2))
    X[:, 0] = rng.normal(size=600)
    X[:5, 1] = 1.0  # a flag seen in 5 articles, all unreliable
    y = (X[:, 0] > 0).astype(int)
    y[:5] = 0
    head = fit_head(X, y, np.ones(600), np.arange(600) % 10, calibrate=False)
    assert head.lr.coef_[0, 1] == 0.0 and head.lr.coef_[0, 0] > 0


def test_extreme_values_are_clipped_to_the_training_range() -> None:
    rng = np.random.default_rng(1)
    X = rng.exponential(size=(500, 2))
    y = (X[:, 0] + rng.normal(size=500) > 1).astype(int)
    head = fit_head(X, y, np.ones(500), np.arange(500) % 10, calibrate=False)
    extreme = np.array([[1e6, 0.0]])
    at_bound = np.array([[head.upper[0], 0.0]])
    assert head.decision(extreme)[0] == head.decision(at_bound)[0]


def test_save_load_round_trip_and_bytes_are_reproducible(tmp_path: Path) -> None:
    pipe, texts, _ = tiny_pipeline()
    a = save(pipe, tmp_path / "a.skops", {"n_articles": 24})
    b = save(pipe, tmp_path / "b.skops", {"n_articles": 24})
    assert a.read_bytes() == b.read_bytes()
    loaded, meta = load(a)
    assert meta == {"n_articles": 24}
    assert np.allclose(loaded.predict_proba(texts), pipe.predict_proba(texts))


def test_model_with_features_this_version_lacks_is_refused(tmp_path: Path) -> None:
    pipe, _, _ = tiny_pipeline()
    pipe.steps[0][1].feature_names_[0] = "feature_of_another_version"
    path = save(pipe, tmp_path / "old.skops", {})
    with pytest.raises(InputError, match="does not compute .*feature_of_another_version.*retrain"):
        load(path)


def test_tampered_file_is_refused(tmp_path: Path) -> None:
    pipe, _, _ = tiny_pipeline()
    path = save(pipe, tmp_path / "m.skops")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="modified or replaced"):
        load(path)


def test_missing_checksum_is_refused(tmp_path: Path) -> None:
    pipe, _, _ = tiny_pipeline()
    path = save(pipe, tmp_path / "m.skops")
    checksum_path(path).unlink()
    with pytest.raises(InputError, match="checksum"):
        load(path)


def _vouch(path: Path) -> None:
    import hashlib

    checksum_path(path).write_text(hashlib.sha256(path.read_bytes()).hexdigest() + "  x\n")


def test_foreign_file_with_valid_checksum_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "junk.skops"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    _vouch(junk)
    with pytest.raises(InputError, match="not a readable model file"):
        load(junk)


def test_untrusted_type_is_refused_even_with_valid_checksum(tmp_path: Path) -> None:
    from sklearn.ensemble import RandomForestClassifier

    evil = tmp_path / "evil.skops"
    sio.dump({"format": "scorer-model/1", "pipeline": RandomForestClassifier()}, evil)
    _vouch(evil)
    with pytest.raises(InputError, match="untrusted types"):
        load(evil)


def test_other_trusted_object_is_not_a_model(tmp_path: Path) -> None:
    other = tmp_path / "other.skops"
    sio.dump({"format": "something-else"}, other)
    _vouch(other)
    with pytest.raises(InputError, match="not a scorer model"):
        load(other)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such model file"):
        load(tmp_path / "nope.skops")


def test_shipped_model_loads_and_is_linear_per_domain() -> None:
    assert DEFAULT_MODEL.is_file(), "the default model ships inside the package"
    model, meta = load()
    from scorer.model import routing_enabled

    assert isinstance(model, RoutedModel)
    assert set(heads(model)) == ({"general", "health"} if routing_enabled() else {"general"})
    for pipe in heads(model).values():
        names, mean, scale, coef, intercept = linear_parts(pipe)
        assert len(names) == len(mean) == len(scale) == len(coef)
    assert meta["n_articles"] > 1000 and ("health=" in meta["domains"]) == routing_enabled()
    with zipfile.ZipFile(DEFAULT_MODEL) as z:
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in z.infolist())
    assert "scorer.featurizer.ArticleFeaturizer" in TRUSTED_TYPES


POLITICAL = "The senator said on Tuesday that the bill would pass, according to two aides who attended the meeting."
HEALTH = ("Patients in the clinical trial of the drug saw fewer symptoms, doctors at the hospital said; the treatment "
          "costs $400 and the study had side effects. ")


def test_routed_model_scores_each_article_with_its_domain_weights(tmp_path: Path) -> None:
    from scorer.domain import domain_of

    general, texts, _ = tiny_pipeline()
    health, _, _ = tiny_pipeline()
    health.named_steps["classify"].intercept_ = health.named_steps["classify"].intercept_ + 5.0
    model = RoutedModel({"general": general, "health": health}, {"domain": "health", "patterns": [r"\bpatients?\b",
                        r"\bdrugs?\b", r"\bclinical\b", r"\bsymptoms?\b"], "min_per_100_words": 1.0})
    assert domain_of(HEALTH, model.rule) == "health" and model.route(POLITICAL) == "general"
    p = model.predict_proba([POLITICAL, HEALTH])[:, 1]
    assert p[0] == pytest.approx(general.predict_proba([POLITICAL])[0, 1])
    assert p[1] == pytest.approx(health.predict_proba([HEALTH])[0, 1]) and p[1] > general.predict_proba([HEALTH])[0, 1]
    loaded, _ = load(save(model, tmp_path / "r.skops", {}))
    assert np.allclose(loaded.predict_proba([POLITICAL, HEALTH]), model.predict_proba([POLITICAL, HEALTH]))


def test_a_domain_with_too_few_articles_gets_no_weights_of_its_own() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(240, 3))
    y = (X[:, 0] > 0).astype(int)
    corpus = np.array(["a"] * 240)
    groups = np.array([f"g{i % 12}" for i in range(240)])
    few = np.array(["health"] * 50 + ["general"] * 190)
    many = np.array(["health"] * 120 + ["general"] * 120)
    assert set(fit_heads(X, y, corpus, groups, few, None)) == {"general"}
    hs = fit_heads(X, y, corpus, groups, many, None)
    assert set(hs) == {"general", "health"}
    p = predict_heads(hs, X, many)
    assert np.allclose(p[:120], hs["health"].predict_proba(X[:120])) and np.allclose(p[120:], hs["general"].predict_proba(X[120:]))


def test_model_file_of_an_older_format_is_refused_with_advice(tmp_path: Path) -> None:
    import skops.io as sio

    from scorer.model_file import _deterministic_zip

    pipe, _, _ = tiny_pipeline()
    path = tmp_path / "old.skops"
    path.write_bytes(_deterministic_zip(sio.dumps({"format": "scorer-model/1", "pipeline": pipe, "metadata": {}})))
    checksum_path(path).write_text(f"{__import__('hashlib').sha256(path.read_bytes()).hexdigest()}  old.skops\n")
    with pytest.raises(InputError, match="another version of scorer.*retrain"):
        load(path)


def test_model_file_whose_routing_rule_is_not_plain_words_is_refused(tmp_path: Path) -> None:
    pipe, _, _ = tiny_pipeline()
    hostile = RoutedModel({"general": pipe}, {"domain": "health", "patterns": ["(a+)+$"], "min_per_100_words": 1.0})
    with pytest.raises(InputError, match="not plain words.*refusing"):
        load(save(hostile, tmp_path / "h.skops", {}))


def test_a_trained_pipeline_clips_in_its_own_fitted_step() -> None:
    """Clipping is a step of the pipeline (clone-safe), not an attribute set on the featurizer from outside."""
    from scorer.featurizer import Clip
    from scorer.model import Head, assemble

    head = Head(np.array([2.0, 5.0]), StandardScaler().fit([[0.0, 1.0], [2.0, 5.0]]),
                LogisticRegression().fit([[0.0, 0.0], [1.0, 1.0]], [0, 1]))
    pipe = assemble(ArticleFeaturizer(features=["hedge_density", "cost_mentions"]).fit(), head)
    assert [name for name, _ in pipe.steps] == ["features", "clip", "scale", "classify"]
    assert isinstance(pipe.named_steps["clip"], Clip) and pipe.named_steps["clip"].upper_.tolist() == [2.0, 5.0]
    assert not hasattr(pipe.named_steps["features"], "clip_upper_")


# ---------------------------------------------------------------- directions grounded in standards

WIRE_FEATURES = ("origin_wire", "provenance_wire_copy", "origin_republished", "provenance_is_derived")


def test_every_weighted_feature_has_a_sign_and_a_cited_standard() -> None:
    import json

    from scorer.model import MODEL_FEATURES, model_feature_names, weighted_features

    spec = json.loads(MODEL_FEATURES.read_text(encoding="utf-8"))
    for name, entry in spec["weighted"].items():
        assert entry["sign"] in (1, -1), name
        assert any(s in entry["standard"] for s in ("SPJ", "AP ", "Trust Project", "HealthNewsReview")), name
    assert set(weighted_features()).isdisjoint(spec["unweighted"])
    names = model_feature_names()
    assert names and not set(WIRE_FEATURES) & set(names)


def _signed_data(names: list[str]):
    rng = np.random.default_rng(0)
    n = 300
    y = np.tile([0, 1], n // 2)
    X = rng.normal(0, 1, (n, len(names))) + 2
    j = names.index("byline_present")  # required +1; here the unreliable articles carry it
    X[:, j] = 1 - y
    k = names.index("attribution_density")  # required +1 and genuinely positive here
    X[:, k] = y * 2 + rng.normal(0, 1, n) + 2
    return X, y, j, k, np.array([f"g{i % 10}" for i in range(n)])


def test_a_fitted_weight_against_its_required_sign_is_dropped() -> None:
    from scorer.model import model_feature_names, required_signs

    names = model_feature_names()
    X, y, j, k, groups = _signed_data(names)
    signs = required_signs(names)
    head = fit_head(X, y, np.ones(len(y)), groups, C=1.0, directions=signs, unit=False)
    coef = head.lr.coef_[0]
    assert coef[j] == 0 and coef[k] > 0
    assert (coef * signs >= 0).all()


def test_unit_weights_are_the_required_signs_over_their_number_whatever_the_data() -> None:
    from scorer.model import model_feature_names, required_signs

    names = model_feature_names()
    X, y, j, k, groups = _signed_data(names)
    signs = required_signs(names)
    head = fit_head(X, y, np.ones(len(y)), groups, C=1.0, directions=signs, unit=True, calibrate=False)
    coef = head.lr.coef_[0]
    assert np.allclose(coef, signs / len(names))
    assert coef[j] > 0  # the standard's direction, even where this data says otherwise
    calibrated = fit_head(X, y, np.ones(len(y)), groups, C=1.0, directions=signs, unit=True).lr.coef_[0]
    assert np.allclose(calibrated / calibrated[k], coef / coef[k])  # Platt rescales, never reorders


def test_shipped_model_weights_agree_with_their_standards_and_ignore_wire_origin() -> None:
    from scorer.model import required_signs

    model, _ = load()
    for pipe in heads(model).values():
        names, _, _, coef, _ = linear_parts(pipe)
        assert not set(WIRE_FEATURES) & set(names)
        assert (coef * required_signs(names) >= 0).all()


WIRE_BODY = ("The central bank raised its main interest rate by a quarter point on Wednesday, the bank said in a "
             "statement. \"Inflation remains too high,\" said governor Ana Ruiz at a news conference. Economists "
             "polled last week had expected the move, according to the survey. ") * 2


@pytest.mark.parametrize("byline", ["By Reuters", "By The Associated Press", "Reuters staff"])
def test_a_wire_byline_never_lowers_the_score_of_a_page(tmp_path: Path, byline: str) -> None:
    from scorer.scoring import score

    title = "Central bank raises its main rate by a quarter point\n\n"
    plain, wired = tmp_path / "plain.txt", tmp_path / "wired.txt"
    plain.write_text(title + WIRE_BODY, encoding="utf-8")
    wired.write_text(title + byline + "\n\n" + WIRE_BODY, encoding="utf-8")
    assert score(wired).score >= score(plain).score - 1e-9


@pytest.mark.parametrize("credit", ["LONDON (Reuters) - ", "(AP) - ", "This story was distributed by The Associated Press. "])
def test_origin_features_never_take_anything_off(credit: str) -> None:
    from scorer.article import Article
    from scorer.scoring import score

    plain = score(Article("plain", WIRE_BODY))
    wired = score(Article("wired", credit + WIRE_BODY))
    for f, v in wired.contributions.items():  # contributions are relative to the training mean: compare, not sign
        if f.startswith(("origin_", "provenance_")):
            assert v >= plain.contributions[f] - 1e-12, f
