"""Explain a score: each feature's value, its exact contribution, and the text behind it.

``explain(result)`` returns a DataFrame with one row per feature, sorted by
the size of its contribution:

* ``feature``, ``group``, ``meaning``, ``unit`` (of the value) from the catalogue;
* ``value``: the feature's value for this article;
* ``contribution``: its contribution to the score in **log-odds** (exact for
  the linear model: ``coef * (value - mean) / scale``; positive pushes
  towards reliable). ``NaN`` for a feature the model does not use.
* ``evidence``: list of ``{"start", "end", "text", "note"}`` — the sentences
  with anonymous sources, the hedges, the disclosed origin — with character
  offsets into the analysed text.

The unit is also on ``table.attrs["contribution_unit"]``.
"""

from __future__ import annotations

import sys
import types
from typing import Any

import numpy as np
import pandas as pd

from scorer.featurizer import CUE_UNIT
from scorer.scoring import CONTRIBUTION_UNIT, ScoreResult

#: Longest evidence text kept (characters); longer spans are cut with an ellipsis.
MAX_EVIDENCE_CHARS = 400
COLUMNS = ["feature", "group", "value", "unit", "contribution", "evidence", "meaning"]


def display_value(value: float, unit: str) -> str:
    """A feature value as a reader should see it: ``3 matches`` for a log(1 + matches) value, else number and unit."""
    if unit == CUE_UNIT and np.isfinite(value):
        n = int(round(float(np.expm1(value))))
        return f"{n} match" if n == 1 else f"{n} matches"
    return f"{value:.3g} {unit}".rstrip()


def _catalogue() -> pd.DataFrame:
    from scorer.featurizer import feature_catalogue

    return feature_catalogue().drop_duplicates("name").set_index("name")


def feature_units() -> dict[str, str]:
    """Unit of every catalogued feature, by name."""
    return {str(k): str(v) for k, v in _catalogue()["unit"].items()}


def _evidence(result: ScoreResult) -> dict[str, list[Any]]:
    extra = getattr(result, "extra_evidence", None) or {}
    if result.analysis is None:
        return dict(extra)
    from scorer.featurizer import evidence_of

    return {**evidence_of(result.analysis), **extra}


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_EVIDENCE_CHARS else text[: MAX_EVIDENCE_CHARS - 1] + "…"


def explain(result: ScoreResult, max_evidence: int | None = None) -> pd.DataFrame:
    """Per-feature value, contribution (log-odds) and evidence for one :class:`ScoreResult`.

    ``max_evidence`` caps the evidence items per feature (None keeps all).
    """
    cat = _catalogue()
    evidence = _evidence(result)
    rows = []
    for name, value in result.features.items():
        meta = cat.loc[name] if name in cat.index else None
        items = evidence.get(name, [])
        if max_evidence is not None:
            items = items[:max_evidence]
        rows.append({
            "feature": name,
            "group": meta["group"] if meta is not None else "",
            "value": float(value),
            "unit": meta["unit"] if meta is not None else "",
            "contribution": result.contributions.get(name, np.nan),
            "evidence": [{"start": int(e.span.start), "end": int(e.span.end), "text": _short(e.text), "note": e.note}
                         for e in items],
            "meaning": meta["meaning"] if meta is not None else "",
        })
    table = pd.DataFrame(rows, columns=COLUMNS)
    if not table.empty:
        order = (-table["contribution"].abs().fillna(-1.0)).argsort(kind="stable")
        table = table.iloc[order].reset_index(drop=True)
    table.attrs["contribution_unit"] = CONTRIBUTION_UNIT
    table.attrs["id"] = result.id
    table.attrs["score"] = result.score
    table.attrs["intercept"] = result.intercept
    return table


class _CallableModule(types.ModuleType):
    """Lets ``scorer.explain(result)`` work even once the submodule ``scorer.explain`` is imported.

    Importing a submodule binds it as an attribute of the package, which would
    shadow the public function of the same name; calling the module calls it.
    """

    def __call__(self, result: ScoreResult, max_evidence: int | None = None) -> pd.DataFrame:
        return explain(result, max_evidence=max_evidence)


sys.modules[__name__].__class__ = _CallableModule
