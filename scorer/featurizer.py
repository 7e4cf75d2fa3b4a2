"""A scikit-learn transformer from articles (or texts, or analyses) to the feature table.

``ArticleFeaturizer`` lets users drop the tool's signals into their own
pipelines::

    from sklearn.pipeline import make_pipeline
    from sklearn.linear_model import LogisticRegression
    pipe = make_pipeline(ArticleFeaturizer(), LogisticRegression())
    pipe.fit(articles, labels)

Feature values come from :func:`scorer.features.article_features` (one
analysis per article: sourcing, hedging, transparency, disclosed origin) plus
the *cue families* defined as data in
``scorer/data/model/reporting_cues.json``: group ``reporting`` (does the
story give costs, numbers, harms, the kind of evidence, its limits, an
independent source, conflicts of interest, alternatives, availability; does
it date events, use plain reporting verbs, weigh claims; does it lean on a
press release) and group ``style`` (hype, exclamation, addressing the reader,
calls to act, intensifiers, questions, us-versus-them, insults), one feature
``<family>_mentions`` each. The ``provenance`` group (reuse found across a corpus,
:func:`scorer.provenance.article_features`) needs the other articles of a
corpus: pass that table as ``reuse`` (indexed by article id) and each item
whose id is in it gets its values; any other item gets zeros, which is what
a single article scored alone has (no reuse known).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted, validate_data

from scorer import features
from scorer.analysis import Analysis
from scorer.article import Article
from scorer.pipeline import analyse
from scorer.signals.reporting_cues import CUE_GROUPS, CUE_SUFFIX, CUE_UNIT, cues, reporting_features  # noqa: F401
from scorer.signals.reuse import FEATURES as REUSE_SPECS

#: Feature groups left out of the default model (they rate the outlet, not the article).
EXCLUDED_GROUPS = ("outlet", "rating")


def feature_catalogue() -> pd.DataFrame:
    """Every feature the featurizer can produce (see :func:`scorer.features.catalogue`)."""
    return features.catalogue()


def as_analysis(item: Any) -> Analysis:
    """An Analysis from an Analysis, an Article or a plain text."""
    if isinstance(item, Analysis):
        return item
    if isinstance(item, (Article, str)):
        return analyse(item)
    raise TypeError(f"cannot featurize a {type(item).__name__}; pass Articles, texts or Analyses")


def default_feature_names() -> list[str]:
    """Features the default model uses: per-article catalogue features and the reporting cues."""
    cat = feature_catalogue()
    excluded = set(EXCLUDED_GROUPS) | set(cues()["model"].get("exclude_groups", []))
    keep = ~cat["group"].isin(excluded) & ~cat["name"].isin(cues()["model"].get("exclude_features", []))
    return [str(n) for n in cat.loc[keep, "name"]]


@lru_cache(maxsize=1)
def provenance_names() -> tuple[str, ...]:
    """Names of the catalogue's ``provenance`` features (reuse across a corpus)."""
    return tuple(f.name for f in REUSE_SPECS)


#: All feature values of one analysis scored alone (see :func:`scorer.features.features_of`).
features_of = features.features_of
#: Evidence spans for every feature (see :func:`scorer.features.evidence_of`).
evidence_of = features.evidence_of


def item_id(item: Any) -> str | None:
    """The article id of an Article or an Analysis of one (None for a plain text)."""
    if isinstance(item, Article):
        return item.id
    art = getattr(item, "article", None) if isinstance(item, Analysis) else None
    return art.id if art is not None else None


def reuse_values(reuse: pd.DataFrame | None, rid: str | None) -> dict[str, float]:
    """Provenance feature values of article ``rid`` from a reuse table (empty when unknown)."""
    if reuse is None or rid is None or rid not in reuse.index:
        return {}
    row = reuse.loc[rid]
    if isinstance(row, pd.DataFrame):  # a repeated id: its first row
        row = row.iloc[0]
    return {str(k): float(v) for k, v in row.items()}


def feature_rows(items: Iterable[Any], names: Sequence[str], n_jobs: int = 1,
                 reuse: pd.DataFrame | None = None) -> np.ndarray:
    """Feature matrix (items x names); analyses run in ``n_jobs`` worker processes.

    ``reuse`` (indexed by article id) supplies the provenance columns; items
    not in it get zeros there.
    """
    items = list(items)
    if n_jobs != 1 and len(items) > 50:
        from joblib import Parallel, delayed

        dicts = Parallel(n_jobs=n_jobs, batch_size=32)(delayed(_features_of_item)(x) for x in items)
    else:
        dicts = [_features_of_item(x) for x in items]
    out = np.zeros((len(items), len(names)), dtype=float)
    for i, d in enumerate(dicts):
        d.update(reuse_values(reuse, item_id(items[i])))
        out[i] = [float(d.get(n, 0.0) or 0.0) for n in names]
    return np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0)


def _features_of_item(item: Any) -> dict[str, float]:
    return features_of(as_analysis(item))


def _items(X: Any) -> list[Any]:
    """``X`` as a list of articles, texts or analyses; a clear error for one bare string or a non-iterable."""
    if isinstance(X, (str, bytes)):
        raise TypeError("ArticleFeaturizer takes a list of articles or texts, not one string: wrap it as [text]")
    if isinstance(X, (Article, Analysis)):
        raise TypeError("ArticleFeaturizer takes a list of articles: wrap the single article as [article]")
    try:
        return list(X)
    except TypeError:
        raise TypeError(f"ArticleFeaturizer takes a list of articles or texts, not a {type(X).__name__}") from None


class ArticleFeaturizer(TransformerMixin, BaseEstimator):
    """Articles, texts or Analyses -> the numeric feature table, one row per item.

    Parameters:
        features: feature names to produce (default: the default model's
            features, see :func:`default_feature_names`); an unknown name is
            an error at ``fit``.
        n_jobs: worker processes for the analysis (joblib); 1 runs inline.

    ``fit`` checks the feature names and learns nothing from the data;
    ``transform`` refuses to run before ``fit`` or after ``set_params``
    changed the features without a new ``fit``. Provenance values found
    across a corpus enter through ``transform(X, reuse=table)`` (a DataFrame
    indexed by article id with the ``provenance`` columns, as made by
    :func:`scorer.provenance.article_features`); items not in it get zeros,
    which is what an article scored alone has.
    """

    def __init__(self, features: Sequence[str] | None = None, n_jobs: int = 1) -> None:
        self.features = features
        self.n_jobs = n_jobs

    def _wanted(self) -> list[str]:
        names = list(self.features) if self.features is not None else default_feature_names()
        unknown = [n for n in names if n not in features.FEATURE_NAMES]
        if unknown:
            raise ValueError(f"unknown feature names: {', '.join(unknown)} (see scorer.features.FEATURE_NAMES)")
        if len(set(names)) != len(names):
            raise ValueError("feature names repeat")
        return names

    def fit(self, X: Any = None, y: Any = None) -> "ArticleFeaturizer":
        """Check and fix the feature list (nothing is learned from the data; ``X`` is checked when given)."""
        if X is not None:
            _items(X)
        self.feature_names_ = self._wanted()
        self.n_features_out_ = len(self.feature_names_)
        return self

    def transform(self, X: Iterable[Any], reuse: pd.DataFrame | None = None) -> np.ndarray:
        """Feature matrix of ``X``: one row per article, columns in ``get_feature_names_out()`` order."""
        check_is_fitted(self, "feature_names_")
        if self.features is not None and list(self.features) != self.feature_names_:
            raise NotFittedError("the features changed (set_params) since fit; call fit again")
        out = feature_rows(_items(X), self.feature_names_, n_jobs=self.n_jobs, reuse=reuse)
        upper = getattr(self, "clip_upper_", None)  # models saved before clipping became its own step
        return np.minimum(out, upper) if upper is not None else out

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names of the output columns."""
        check_is_fitted(self, "feature_names_")
        return np.asarray(self.feature_names_, dtype=object)

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = True
        return tags


class Clip(TransformerMixin, BaseEstimator):
    """Clip each column at its training upper ``quantile`` so a rare extreme value cannot dominate.

    A column whose quantile is 0 (a rare flag) is clipped at its maximum
    instead, so the flag stays usable. Fitted bounds are in ``upper_``.
    """

    def __init__(self, quantile: float = 0.99) -> None:
        self.quantile = quantile

    def fit(self, X: Any, y: Any = None) -> "Clip":
        """Learn the upper bound of every column."""
        X = validate_data(self, X, dtype=float, ensure_all_finite=True)
        if not 0.0 < self.quantile <= 1.0:
            raise ValueError(f"quantile must be in (0, 1], got {self.quantile}")
        upper = np.quantile(X, self.quantile, axis=0)
        self.upper_ = np.where(upper > 0, upper, np.max(X, axis=0))
        return self

    def transform(self, X: Any) -> np.ndarray:
        """``X`` with every value above its column's bound set to the bound."""
        check_is_fitted(self, "upper_")
        X = validate_data(self, X, dtype=float, reset=False, ensure_all_finite=True)
        return np.minimum(X, self.upper_)

    @classmethod
    def fitted(cls, upper: Sequence[float], quantile: float = 0.99) -> "Clip":
        """A Clip with known bounds (a model's head fitted elsewhere)."""
        clip = cls(quantile=quantile)
        clip.upper_ = np.asarray(upper, dtype=float)
        clip.n_features_in_ = len(clip.upper_)
        return clip
