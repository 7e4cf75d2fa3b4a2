"""A scikit-learn transformer from articles (or texts, or analyses) to the feature table.

``ArticleFeaturizer`` lets users drop the tool's signals into their own
pipelines::

    from sklearn.pipeline import make_pipeline
    from sklearn.linear_model import LogisticRegression
    pipe = make_pipeline(ArticleFeaturizer(), LogisticRegression())
    pipe.fit(articles, labels)

Feature values come from :func:`scorer.features.article_features` (one
analysis per article). The model uses only *per-article* features: the
``provenance`` group (reuse found across a corpus) needs the other articles
of a corpus, which a single article scored alone does not have, so it is
excluded by default and shown as extra evidence in corpus runs instead.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

from scorer.analysis import Analysis, analyse
from scorer.article import Article

#: Feature groups left out of the default model (they need a corpus, or rate the outlet).
EXCLUDED_GROUPS = ("provenance", "outlet", "rating")


def as_analysis(item: Any) -> Analysis:
    """An Analysis from an Analysis, an Article or a plain text."""
    if isinstance(item, Analysis):
        return item
    if isinstance(item, (Article, str)):
        return analyse(item)
    raise TypeError(f"cannot featurize a {type(item).__name__}; pass Articles, texts or Analyses")


def _catalogue():
    from scorer.features import CATALOGUE

    return CATALOGUE


def default_feature_names() -> list[str]:
    """Catalogue features the default model uses: per-article, no outlet ratings."""
    cat = _catalogue()
    keep = ~cat["group"].isin(EXCLUDED_GROUPS)
    return [str(n) for n in cat.loc[keep, "name"]]


def features_of(analysis: Analysis) -> dict[str, float]:
    """All per-article feature values of one analysis."""
    from scorer.features import article_features

    return article_features(analysis)


def feature_rows(items: Iterable[Any], names: Sequence[str], n_jobs: int = 1) -> np.ndarray:
    """Feature matrix (items x names); analyses run in ``n_jobs`` worker processes."""
    items = list(items)
    if n_jobs != 1 and len(items) > 50:
        from joblib import Parallel, delayed

        dicts = Parallel(n_jobs=n_jobs, batch_size=32)(delayed(_features_of_item)(x) for x in items)
    else:
        dicts = [_features_of_item(x) for x in items]
    out = np.zeros((len(items), len(names)), dtype=float)
    for i, d in enumerate(dicts):
        out[i] = [float(d.get(n, 0.0) or 0.0) for n in names]
    return np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0)


def _features_of_item(item: Any) -> dict[str, float]:
    return features_of(as_analysis(item))


class ArticleFeaturizer(TransformerMixin, BaseEstimator):
    """Articles, texts or Analyses -> the numeric feature table, one row per item.

    Parameters:
        features: feature names to produce (default: every per-article
            catalogue feature, see :func:`default_feature_names`).
        n_jobs: worker processes for the analysis (joblib); 1 runs inline.
    """

    def __init__(self, features: Sequence[str] | None = None, n_jobs: int = 1) -> None:
        self.features = features
        self.n_jobs = n_jobs

    def fit(self, X: Any = None, y: Any = None) -> "ArticleFeaturizer":
        """Fix the feature list (nothing is learned from the data)."""
        self.feature_names_ = list(self.features) if self.features is not None else default_feature_names()
        self.n_features_out_ = len(self.feature_names_)
        return self

    def transform(self, X: Iterable[Any]) -> np.ndarray:
        """Feature matrix of ``X``: one row per article, columns in ``get_feature_names_out()`` order."""
        if not hasattr(self, "feature_names_"):
            self.fit()
        return feature_rows(X, self.feature_names_, n_jobs=self.n_jobs)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names of the output columns."""
        if not hasattr(self, "feature_names_"):
            self.fit()
        return np.asarray(self.feature_names_, dtype=object)

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = False
        return tags
