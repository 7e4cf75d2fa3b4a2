"""Tables for evaluating a corpus in a notebook: batch rows, reuse pairs, model weights, errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Mapping

import pandas as pd

from scorer.scoring import ScoreResult

if TYPE_CHECKING:  # pragma: no cover
    from scorer.provenance import ReuseReport


# ---------------------------------------------------------------- provenance


def pairs_frame(report: "ReuseReport") -> pd.DataFrame:
    """The reuse pairs as a DataFrame (no passage text; ``passages`` is the number of aligned passages)."""
    rows = report.rows()
    for r in rows:
        r["passages"] = len(r["passages"])
    cols = ["a", "b", "kind", "a_share", "b_share", "direction", "derived_discloses", "a_outlet", "b_outlet", "passages"]
    return pd.DataFrame(rows, columns=cols)


#: Edge styles of the provenance graph, by pair kind.

# ---------------------------------------------------------------- corpus evaluation


def batch_frame(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Batch rows (``scorer.score_corpus(...).rows``) as a DataFrame with a 0/1 ``y`` column for labelled rows."""
    from scorer.labels import label_value

    df = pd.DataFrame(list(rows))
    if df.empty:
        return df
    df["y"] = [label_value(v) for v in df.get("label", pd.Series([None] * len(df)))]
    df["y"] = df["y"].astype("Float64")
    df["score"] = pd.to_numeric(df["score"], errors="coerce")
    return df



def model_importance(model: Any = None) -> pd.DataFrame:
    """Global importance of each model feature: its coefficient per standard deviation (log-odds).

    For the linear model, ``coef`` is the change in log-odds when the feature
    rises by one training-pool standard deviation; ``mean`` and ``sd`` are the
    pool statistics. One row per feature and set of weights (``weights``:
    ``general``, or ``health`` for the weights that score health stories).
    ``model`` is a fitted model, a model path, or None for the shipped model.
    """
    from scorer.model import heads, linear_parts
    from scorer.scoring import _resolve_model

    pipe, _ = _resolve_model(model)
    if pipe is None:
        from scorer.errors import InputError

        raise InputError("model", "no model file is available")
    meaning = _catalogue_meanings()
    frames = []
    for dom, head in heads(pipe).items():
        names, mean, scale, coef, _ = linear_parts(head)
        frames.append(pd.DataFrame({"weights": dom, "feature": names, "coef_per_sd": coef, "mean": mean, "sd": scale,
                                    "meaning": [meaning.get(n, "") for n in names]}))
    df = pd.concat(frames, ignore_index=True)
    return df.reindex(df["coef_per_sd"].abs().sort_values(ascending=False).index).reset_index(drop=True)


def _catalogue_meanings() -> pd.Series:
    """Feature name -> meaning, from the full catalogue when the featurizer provides one."""
    from scorer.features import catalogue

    cat = catalogue()
    return cat.drop_duplicates("name").set_index("name")["meaning"]


def mean_abs_contribution(results: Iterable[ScoreResult]) -> pd.Series:
    """Mean absolute contribution (log-odds) of each feature over ``results``, largest first."""
    frame = pd.DataFrame([r.contributions for r in results])
    if frame.empty:
        return pd.Series(dtype=float, name="mean_abs_contribution")
    return frame.abs().mean().sort_values(ascending=False).rename("mean_abs_contribution")



def worst_errors(frame: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The ``n`` labelled rows whose score is furthest from their label (confident mistakes first)."""
    df = frame[frame["y"].notna() & frame["score"].notna()].copy()
    df["abs_error"] = (df["score"] - df["y"].astype(float)).abs()
    return df.sort_values("abs_error", ascending=False).head(n)
