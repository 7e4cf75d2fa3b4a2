"""ArticleFeaturizer: a scikit-learn transformer over articles, texts and analyses."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from scorer import analyse, read
from scorer.features import catalogue
from scorer.featurizer import (CUE_GROUPS, EXCLUDED_GROUPS, ArticleFeaturizer, default_feature_names, feature_catalogue,
                               reporting_features)
from scorer.features import evidence_of

CATALOGUE = catalogue()

TEXTS = [
    "The minister said on Tuesday that the plan would go ahead. \"We are ready,\" she told reporters.",
    "Sources say the deal may collapse. It is believed that officials could reportedly walk away.",
]


def test_feature_names_are_the_per_article_catalogue() -> None:
    names = default_feature_names()
    assert names
    groups = set(feature_catalogue().set_index("name").loc[names, "group"])
    assert not groups & set(EXCLUDED_GROUPS)
    assert set(CUE_GROUPS) <= groups
    left_out = set(CATALOGUE["name"]) - set(names)
    excluded_by_name = {"date_present", "provenance_reused_share", "provenance_max_origin_share"}
    assert left_out <= set(CATALOGUE.loc[CATALOGUE["group"].isin(EXCLUDED_GROUPS), "name"]) | excluded_by_name
    assert list(ArticleFeaturizer().fit().get_feature_names_out()) == names


def test_transform_texts_articles_and_analyses_agree(seeds) -> None:
    art = read(seeds[0])
    f = ArticleFeaturizer().fit()
    from_article = f.transform([art])
    from_analysis = f.transform([analyse(art)])
    assert from_article.shape == (1, len(f.get_feature_names_out()))
    assert np.allclose(from_article, from_analysis)
    texts = f.transform(TEXTS)
    assert texts.shape[0] == 2 and np.isfinite(texts).all()


def test_subset_of_features_and_parallel_matches_serial() -> None:
    names = default_feature_names()[:3]
    f = ArticleFeaturizer(features=names).fit()
    assert list(f.get_feature_names_out()) == names
    many = TEXTS * 30
    assert np.allclose(f.transform(many), ArticleFeaturizer(features=names, n_jobs=2).fit().transform(many))


def test_works_inside_a_user_pipeline() -> None:
    pipe = make_pipeline(ArticleFeaturizer(), LogisticRegression())
    pipe.fit(TEXTS * 5, [1, 0] * 5)
    proba = pipe.predict_proba(TEXTS)
    assert proba.shape == (2, 2)
    assert clone(pipe).get_params()["articlefeaturizer__n_jobs"] == 1


def test_rejects_other_inputs() -> None:
    with pytest.raises(TypeError):
        ArticleFeaturizer().fit().transform([42])


def test_reporting_cues_values_and_evidence() -> None:
    text = ("The drug costs $400 a month. In the trial, 12 of 100 patients had side effects, "
            "said Dr Lee, who was not involved in the study. It is a miracle cure, fans say.")
    f = reporting_features(text)
    assert f["cost_mentions"] == pytest.approx(math.log1p(2))  # "$4" and "costs"
    assert f["harms_mentions"] == pytest.approx(math.log1p(1)) and f["independent_mentions"] > 0
    assert f["hype_mentions"] == pytest.approx(math.log1p(2))  # "miracle", "cure"
    assert f["interests_mentions"] == 0.0 and f["question_mentions"] == 0.0
    ev = evidence_of(analyse(text))
    assert [e.text for e in ev["independent_mentions"]] == [
        "In the trial, 12 of 100 patients had side effects, said Dr Lee, who was not involved in the study."]
    assert ev["cost_mentions"][0].text == "The drug costs $400 a month."


def test_every_cue_family_is_one_documented_feature() -> None:
    cat = feature_catalogue()
    cues = cat[cat["group"].isin(CUE_GROUPS)]
    assert set(cues["name"]) == set(reporting_features("x"))
    assert set(cues["group"]) == set(CUE_GROUPS)
    assert set(cues["direction"]) <= {-1, 0, 1} and (cues["unit"] == "log(1 + matches)").all()


def test_style_cues_count_matches() -> None:
    f = reporting_features("Why would they lie? Share this on Facebook! They are totally corrupt.")
    assert f["question_mentions"] == pytest.approx(math.log1p(1))
    assert f["they_them_mentions"] == pytest.approx(math.log1p(2))
    assert f["call_to_action_mentions"] == pytest.approx(math.log1p(2))  # "share this", "facebook"
    assert f["loaded_words_mentions"] == pytest.approx(math.log1p(1))
    assert reporting_features("He said on Tuesday, Sept. 12, that it would rain.")["time_anchor_mentions"] == pytest.approx(math.log1p(2))


def test_provenance_columns_come_from_a_reuse_table_and_are_zero_without(seeds) -> None:
    import pandas as pd

    from scorer.provenance.features import FEATURES

    names = list(dict.fromkeys(default_feature_names() + list(FEATURES)))
    cols = [names.index(n) for n in FEATURES]
    arts = [read(s) for s in seeds[:2]]
    values = [0.8, 0.7, 1.0, 1.0, 0.0, 0.0]
    table = pd.DataFrame([values], index=pd.Index([arts[0].id], name="id"), columns=list(FEATURES))
    with_reuse = ArticleFeaturizer(features=names).fit().transform(arts, reuse=table)
    alone = ArticleFeaturizer(features=names).fit().transform(arts)
    assert with_reuse[0, cols].tolist() == values
    assert not with_reuse[1, cols].any() and not alone[:, cols].any()
    rest = [i for i in range(len(names)) if i not in cols]
    assert np.allclose(with_reuse[:, rest], alone[:, rest])


# ---------------------------------------------------------------- the transformer contract


def test_refuses_to_transform_before_fit_and_after_set_params() -> None:
    from sklearn.exceptions import NotFittedError

    f = ArticleFeaturizer(features=["hedge_density"])
    with pytest.raises(NotFittedError):
        f.transform(["It may rain."])
    f.fit()
    f.set_params(features=["hedge_density", "cost_mentions"])
    with pytest.raises(NotFittedError, match="call fit again"):
        f.transform(["It may rain."])
    assert f.fit().transform(["It may rain. It costs $4."]).shape == (1, 2)


def test_rejects_a_bare_string_and_unknown_names() -> None:
    f = ArticleFeaturizer().fit()
    with pytest.raises(TypeError, match="not one string"):
        f.transform("It may rain.")
    with pytest.raises(ValueError, match="unknown feature names: nope"):
        ArticleFeaturizer(features=["hedge_density", "nope"]).fit()


def test_clone_keeps_parameters_and_no_fitted_state() -> None:
    from sklearn.base import clone

    f = ArticleFeaturizer(features=["hedge_density"], n_jobs=2).fit()
    g = clone(f)
    assert g.get_params() == f.get_params() and not hasattr(g, "feature_names_")


def test_sklearn_checks_that_apply_to_a_text_transformer() -> None:
    """scikit-learn's generic checks that do not need numeric 2-D input (the others feed random floats)."""
    from sklearn.utils import estimator_checks as ec

    name = "ArticleFeaturizer"
    for check in (ec.check_no_attributes_set_in_init, ec.check_parameters_default_constructible,
                  ec.check_get_params_invariance, ec.check_set_params, ec.check_estimator_repr,
                  ec.check_estimator_cloneable, ec.check_estimator_tags_renamed, ec.check_valid_tag_types,
                  ec.check_do_not_raise_errors_in_init_or_set_params):
        check(name, ArticleFeaturizer())


def test_clip_passes_the_full_estimator_checks() -> None:
    from sklearn.utils.estimator_checks import check_estimator

    from scorer.featurizer import Clip

    check_estimator(Clip())
    clip = Clip(quantile=0.5).fit(np.array([[0.0, 1.0], [0.0, 2.0], [5.0, 3.0]]))
    assert clip.upper_.tolist() == [5.0, 2.0]  # a column whose quantile is 0 keeps its maximum
    assert clip.transform(np.array([[9.0, 9.0]])).tolist() == [[5.0, 2.0]]
