"""ArticleFeaturizer: a scikit-learn transformer over articles, texts and analyses."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from scorer import analyse, read
from scorer.features import CATALOGUE
from scorer.featurizer import (EXCLUDED_GROUPS, ArticleFeaturizer, default_feature_names, feature_catalogue,
                               reporting_evidence, reporting_features)

TEXTS = [
    "The minister said on Tuesday that the plan would go ahead. \"We are ready,\" she told reporters.",
    "Sources say the deal may collapse. It is believed that officials could reportedly walk away.",
]


def test_feature_names_are_the_per_article_catalogue() -> None:
    names = default_feature_names()
    assert names
    groups = set(feature_catalogue().set_index("name").loc[names, "group"])
    assert not groups & set(EXCLUDED_GROUPS)
    assert "reporting" in groups
    left_out = set(CATALOGUE["name"]) - set(names)
    assert left_out <= set(CATALOGUE.loc[CATALOGUE["group"].isin(EXCLUDED_GROUPS), "name"]) | {"date_present"}
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
    assert f["cost_mentioned"] == 1.0 and f["harms_mentioned"] == 1.0 and f["independent_mentioned"] == 1.0
    assert f["hype_mentioned"] == 1.0 and f["interests_mentioned"] == 0.0
    words = len(text.split())
    assert f["cost_rate"] == pytest.approx(100 * 2 / words)  # "$4" and "costs"
    ev = reporting_evidence(analyse(text))
    assert [e.text for e in ev["independent_mentioned"]] == [
        "In the trial, 12 of 100 patients had side effects, said Dr Lee, who was not involved in the study."]
    assert ev["cost_rate"][0].text == "The drug costs $400 a month."


def test_provenance_columns_come_from_a_reuse_table_and_are_zero_without(seeds) -> None:
    import pandas as pd

    from scorer.provenance.features import FEATURES

    names = default_feature_names()
    assert set(FEATURES) <= set(names)
    cols = [names.index(n) for n in FEATURES]
    arts = [read(s) for s in seeds[:2]]
    values = [0.8, 0.7, 1.0, 1.0, 0.0, 0.0]
    table = pd.DataFrame([values], index=pd.Index([arts[0].id], name="id"), columns=list(FEATURES))
    with_reuse = ArticleFeaturizer(reuse=table).fit().transform(arts)
    alone = ArticleFeaturizer().fit().transform(arts)
    assert with_reuse[0, cols].tolist() == values
    assert not with_reuse[1, cols].any() and not alone[:, cols].any()
    rest = [i for i in range(len(names)) if i not in cols]
    assert np.allclose(with_reuse[:, rest], alone[:, rest])
