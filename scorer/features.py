"""The feature catalogue and per-article feature values, all read from the signals' specs.

Each feature is written once, as a :class:`~scorer.signals.spec.FeatureSpec`
in its signal's module; the signals are registered in
:data:`scorer.pipeline.SIGNALS`. This module lists them in catalogue order,
computes an analysis' values and evidence, and builds the catalogue table
(``scorer/data/features.csv`` is generated from it, and a test checks the two
agree: ``python -m scorer.features > scorer/data/features.csv``).
"""

from __future__ import annotations

import csv
import io
import math
import sys
from typing import TYPE_CHECKING, Iterable

from scorer.analysis import Analysis
from scorer.pipeline import SIGNALS
from scorer.signals.spec import Evidence, FeatureSpec

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["Evidence", "FeatureSpec", "SPECS", "FEATURE_NAMES", "ARTICLE_FEATURES", "spec", "features_of",
           "evidence_of", "catalogue", "catalogue_csv", "feature_table"]

#: Every feature, in catalogue order (signal registration order, then each signal's order).
SPECS: tuple[FeatureSpec, ...] = tuple(f for s in SIGNALS for f in s.features)
_BY_NAME: dict[str, FeatureSpec] = {f.name: f for f in SPECS}
if len(_BY_NAME) != len(SPECS):  # pragma: no cover - a programming error caught at import
    raise RuntimeError("two signals define a feature with the same name")
#: Names of every feature, in catalogue order.
FEATURE_NAMES: tuple[str, ...] = tuple(_BY_NAME)
#: Features computed from one article (those with a value function).
ARTICLE_FEATURES: tuple[str, ...] = tuple(f.name for f in SPECS if f.value is not None)
#: Features filled from outside the article; they lead a value dict (see :func:`features_of`).
_OUTSIDE: tuple[str, ...] = tuple(f.name for f in SPECS if f.value is None)
#: Catalogue columns.
COLUMNS = ("name", "group", "meaning", "unit", "direction", "standard")


def spec(name: str) -> FeatureSpec:
    """The spec of feature ``name``; a KeyError naming the known features otherwise."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown feature {name!r}; known: {', '.join(FEATURE_NAMES)}") from None


def features_of(analysis: Analysis) -> dict[str, float]:
    """Every feature value of one analysis scored alone: outside-filled features first, then catalogue order.

    Features filled from outside the article (reuse across a corpus) are 0
    here, "no reuse known"; corpus and archive runs replace them. Every value
    is a finite float.
    """
    out = dict.fromkeys(_OUTSIDE, 0.0)
    for f in SPECS:
        if f.value is not None:
            value = float(f.value(analysis))
            out[f.name] = value if math.isfinite(value) else 0.0
    return out


def evidence_of(analysis: Analysis, names: Iterable[str] | None = None) -> dict[str, list[Evidence]]:
    """The text behind each feature's value (or only ``names``'s); empty lists where there is none."""
    wanted = FEATURE_NAMES if names is None else [n for n in names if n in _BY_NAME]
    return {name: list(_BY_NAME[name].evidence(analysis)) for name in wanted}


def catalogue_rows() -> list[dict[str, object]]:
    """One plain row per feature: name, group, meaning, unit, direction, standard."""
    return [{"name": f.name, "group": f.group, "meaning": f.meaning, "unit": f.unit, "direction": f.direction,
             "standard": f.standard} for f in SPECS]


def catalogue() -> "pd.DataFrame":
    """The catalogue as a DataFrame (columns :data:`COLUMNS`)."""
    import pandas as pd  # only callers that want a table pay for pandas

    return pd.DataFrame(catalogue_rows(), columns=list(COLUMNS))


def catalogue_csv() -> str:
    """The catalogue as the CSV text of ``scorer/data/features.csv``."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(catalogue_rows())
    return buf.getvalue()


def feature_table(analyses: Iterable[Analysis]) -> "pd.DataFrame":
    """One row per analysis (indexed by article id, or position without an article), catalogue-ordered columns."""
    import pandas as pd

    rows, index = [], []
    for pos, analysis in enumerate(analyses):
        rows.append(features_of(analysis))
        index.append(analysis.article.id if analysis.article is not None else pos)
    return pd.DataFrame(rows, index=pd.Index(index, name="id"), columns=list(FEATURE_NAMES), dtype=float)


if __name__ == "__main__":  # regenerate the committed catalogue
    sys.stdout.write(catalogue_csv())
