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

import sys
import types
from typing import TYPE_CHECKING

from scorer.result import (COLUMNS, CONTRIBUTION_UNIT, MAX_EVIDENCE_CHARS, ScoreResult, _catalogue,  # noqa: F401
                           explain_rows, explanation_frame)
from scorer.signals.spec import shown_value

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

#: A feature value as a reader should see it (``3 matches`` for a log(1 + matches) value).
display_value = shown_value


def feature_units() -> dict[str, str]:
    """Unit of every catalogued feature, by name."""
    return {k: str(v["unit"]) for k, v in _catalogue().items()}


#: Per-feature value, contribution (log-odds) and evidence of one :class:`ScoreResult`, as a DataFrame.
explain = explanation_frame


class _CallableModule(types.ModuleType):
    """Lets ``scorer.explain(result)`` work even once the submodule ``scorer.explain`` is imported.

    Importing a submodule binds it as an attribute of the package, which would
    shadow the public function of the same name; calling the module calls it.
    """

    def __call__(self, result: ScoreResult, max_evidence: int | None = None) -> pd.DataFrame:
        return explain(result, max_evidence=max_evidence)


sys.modules[__name__].__class__ = _CallableModule
