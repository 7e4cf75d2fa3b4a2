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

The unit is also on ``table.attrs["contribution_unit"]``. :func:`explain_rows`
gives the same rows as plain dicts, without pandas (the command line uses it).
"""

from __future__ import annotations

import math
import sys
import types
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from scorer.signals.spec import shown_value
from scorer.scoring import CONTRIBUTION_UNIT, ScoreResult

if TYPE_CHECKING:
    import pandas as pd

#: Longest evidence text kept (characters); longer spans are cut with an ellipsis.
MAX_EVIDENCE_CHARS = 400
COLUMNS = ["feature", "group", "value", "unit", "contribution", "evidence", "meaning"]


#: A feature value as a reader should see it (``3 matches`` for a log(1 + matches) value).
display_value = shown_value


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, dict[str, Any]]:
    """Catalogue row of every feature, by name (the first row of a repeated name)."""
    from scorer.features import catalogue_rows

    out: dict[str, dict[str, Any]] = {}
    for row in catalogue_rows():
        out.setdefault(str(row["name"]), row)
    return out


def feature_units() -> dict[str, str]:
    """Unit of every catalogued feature, by name."""
    return {k: str(v["unit"]) for k, v in _catalogue().items()}


def _evidence(result: ScoreResult) -> dict[str, list[Any]]:
    if result.analysis is None:
        return {}
    from scorer.features import evidence_of

    return evidence_of(result.analysis)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_EVIDENCE_CHARS else text[: MAX_EVIDENCE_CHARS - 1] + "…"


def explain_rows(result: ScoreResult, max_evidence: int | None = None) -> list[dict[str, Any]]:
    """The rows of :func:`explain` as plain dicts (same columns, same order), without pandas."""
    cat = _catalogue()
    evidence = _evidence(result)
    rows = []
    for name, value in result.features.items():
        meta = cat.get(name)
        items = evidence.get(name, [])
        if max_evidence is not None:
            items = items[:max_evidence]
        rows.append({
            "feature": name,
            "group": meta["group"] if meta is not None else "",
            "value": float(value),
            "unit": meta["unit"] if meta is not None else "",
            "contribution": float(result.contributions.get(name, math.nan)),
            "evidence": [{"start": int(e.span.start), "end": int(e.span.end), "text": _short(e.text), "note": e.note}
                         for e in items],
            "meaning": meta["meaning"] if meta is not None else "",
        })
    # largest absolute contribution first, features the model does not use last; ties keep their order
    return sorted(rows, key=lambda r: 1.0 if math.isnan(r["contribution"]) else -abs(r["contribution"]))


def explain(result: ScoreResult, max_evidence: int | None = None) -> pd.DataFrame:
    """Per-feature value, contribution (log-odds) and evidence for one :class:`ScoreResult`.

    ``max_evidence`` caps the evidence items per feature (None keeps all).
    """
    import pandas as pd

    table = pd.DataFrame(explain_rows(result, max_evidence), columns=COLUMNS)
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
