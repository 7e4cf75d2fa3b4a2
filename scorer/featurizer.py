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

from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from scorer.analysis import Analysis, analyse
from scorer.article import Article
# The values themselves are computed without scikit-learn (the scoring path imports only that module);
# they are re-exported here, where users of the transformer have always found them.
from scorer.feature_values import (CUE_GROUPS, CUE_SUFFIX, CUE_UNIT, CUES_PATH, MAX_CUE_EVIDENCE,  # noqa: F401
                                   _cue_matches, _cue_patterns, _cues, evidence_of, feature_catalogue, features_of,
                                   provenance_names, reporting_catalogue, reporting_evidence, reporting_features)

#: Feature groups left out of the default model (they rate the outlet, not the article).
EXCLUDED_GROUPS = ("outlet", "rating")


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
    excluded = set(EXCLUDED_GROUPS) | set(_cues()["model"].get("exclude_groups", []))
    keep = ~cat["group"].isin(excluded) & ~cat["name"].isin(_cues()["model"].get("exclude_features", []))
    return [str(n) for n in cat.loc[keep, "name"]]


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


class ArticleFeaturizer(TransformerMixin, BaseEstimator):
    """Articles, texts or Analyses -> the numeric feature table, one row per item.

    Parameters:
        features: feature names to produce (default: every per-article
            catalogue feature, see :func:`default_feature_names`).
        n_jobs: worker processes for the analysis (joblib); 1 runs inline.
        reuse: provenance values across a corpus, a DataFrame indexed by
            article id with the ``provenance`` columns (as made by
            :func:`scorer.provenance.article_features`); items not in it,
            or all items when None, get zeros in those columns.
    """

    def __init__(self, features: Sequence[str] | None = None, n_jobs: int = 1,
                 reuse: pd.DataFrame | None = None) -> None:
        self.features = features
        self.n_jobs = n_jobs
        self.reuse = reuse

    def fit(self, X: Any = None, y: Any = None) -> "ArticleFeaturizer":
        """Fix the feature list (nothing is learned from the data)."""
        self.feature_names_ = list(self.features) if self.features is not None else default_feature_names()
        self.n_features_out_ = len(self.feature_names_)
        return self

    def transform(self, X: Iterable[Any]) -> np.ndarray:
        """Feature matrix of ``X``: one row per article, columns in ``get_feature_names_out()`` order.

        A fitted model sets ``clip_upper_`` (per-feature upper bounds learned
        on its training data); values above them are clipped.
        """
        if not hasattr(self, "feature_names_"):
            self.fit()
        out = feature_rows(X, self.feature_names_, n_jobs=self.n_jobs, reuse=self.reuse)
        upper = getattr(self, "clip_upper_", None)
        return np.minimum(out, upper) if upper is not None else out

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
