"""Checks on a loaded model's values: shapes, finiteness, feature counts.

Loading checks the file (checksum, trusted types) in :mod:`scorer.model`;
this module checks what the objects hold, so a well-formed file with wrong
numbers is refused with one line instead of a broadcast error or NaN scores.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from scorer.domain import GENERAL
from scorer.featurizer import ArticleFeaturizer
from scorer.linear import clip_upper


def _vector_problem(value: Any, k: int, what: str) -> str | None:
    """What is wrong with a fitted vector that must hold ``k`` finite numbers (None when sound)."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "fiu":
        return f"{what} is not numeric"
    if arr.shape != (k,):
        return f"{what} has shape {arr.shape}, expected ({k},)"
    if not np.isfinite(arr).all():
        return f"{what} holds non-finite values (NaN or infinity)"
    return None


def _pipeline_problem(pipe: Pipeline) -> str | None:
    """What is unsound in one fitted pipeline's values (None when sound).

    Generic over the steps after the featurizer: each must expect as many
    features as the featurizer names and hold only finite numbers; the
    scaler and the logistic regression are also checked shape by shape.
    """
    steps = pipe.steps
    feat = steps[0][1] if steps and isinstance(steps[0], tuple) and len(steps[0]) == 2 else None
    if not isinstance(feat, ArticleFeaturizer):
        return "the first step is not the featurizer"
    names = getattr(feat, "feature_names_", None)
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names) \
            or len(set(names)) != len(names):
        return "no list of distinct feature names"
    k = len(names)
    upper = clip_upper(pipe)
    if upper is not None and (problem := _vector_problem(upper, k, "clip bounds")):
        return problem
    for name, est in steps[1:]:
        n_in = getattr(est, "n_features_in_", k)
        if n_in != k:
            return f"step {name!r} expects {n_in} features for {k} feature names"
        for attr, value in vars(est).items():
            if attr.endswith("_") and not attr.startswith("_") and isinstance(value, np.ndarray) \
                    and value.dtype.kind in "fiu" and not np.isfinite(value).all():
                return f"{name}.{attr} holds non-finite values (NaN or infinity)"
        if isinstance(est, StandardScaler):
            for attr in ("mean_", "scale_"):
                if getattr(est, attr, None) is not None and (problem := _vector_problem(getattr(est, attr), k, f"{name}.{attr}")):
                    return problem
        if isinstance(est, LogisticRegression):
            coef, icpt = np.asarray(getattr(est, "coef_", [])), np.asarray(getattr(est, "intercept_", []))
            if coef.shape != (1, k):
                return f"{name}.coef_ has shape {coef.shape}, expected (1, {k})"
            if icpt.shape != (1,):
                return f"{name}.intercept_ has shape {icpt.shape}, expected (1,)"
            if [int(c) for c in np.asarray(getattr(est, "classes_", []))] != [0, 1]:
                return f"{name}.classes_ is not [0, 1]"
    if not hasattr(steps[-1][1], "predict_proba"):
        return "the last step gives no probabilities"
    return None


def model_problem(model: Any) -> str | None:
    """What is unsound in a loaded model's values (None when sound): shapes, finiteness, feature counts.

    A model file with only trusted types and a matching checksum may still
    hold a 1x3 coefficient matrix (every score a broadcast error) or NaN
    weights (every score 1.000); it is refused at load instead.
    """
    fitted = getattr(model, "heads", None)
    for dom, pipe in (fitted.items() if isinstance(fitted, dict) else [(GENERAL, model)]):
        try:
            problem = _pipeline_problem(pipe)
        except (TypeError, ValueError, AttributeError) as exc:
            problem = f"unreadable values ({type(exc).__name__})"
        if problem:
            return f"{dom} weights: {problem}"
    return None
