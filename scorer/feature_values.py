"""Feature values of one analysis, and their evidence, without scikit-learn or pandas.

What an article is scored on: the per-article catalogue features
(:func:`scorer.features.article_features`: sourcing, hedging, transparency,
disclosed origin) plus the *cue families* defined as data in
``scorer/data/model/reporting_cues.json``, one feature ``<family>_mentions``
each (see :mod:`scorer.featurizer`). Scoring one article needs only these
values and the model's exported parameters (:mod:`scorer.linear`), so this
module stays free of the heavy imports the scikit-learn transformer
(:class:`scorer.featurizer.ArticleFeaturizer`) brings; pandas is imported
only by the catalogue-as-a-DataFrame helpers.
"""

from __future__ import annotations

import bisect
import csv
import json
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from scorer.analysis import Analysis

if TYPE_CHECKING:
    import pandas as pd

DATA = Path(__file__).resolve().parent / "data"
CATALOGUE_PATH = DATA / "features.csv"
#: Columns of the feature catalogue.
CATALOGUE_COLUMNS = ["name", "group", "meaning", "unit", "direction"]
CUES_PATH = DATA / "model" / "reporting_cues.json"
#: Suffix of a cue family's feature name (``cost`` -> ``cost_mentions``).
CUE_SUFFIX = "_mentions"
#: Unit of a cue family's value (readers are shown the number of matches, see ``scorer.explain.display_value``).
CUE_UNIT = "log(1 + matches)"
#: Groups of the cue families (``scorer/data/model/reporting_cues.json``).
CUE_GROUPS = ("reporting", "style")
#: Most evidence items kept per reporting cue.
MAX_CUE_EVIDENCE = 5


@lru_cache(maxsize=1)
def _cues() -> dict[str, Any]:
    return json.loads(CUES_PATH.read_text(encoding="utf-8"))


def _first_chars(pattern: str) -> str | None:
    """Characters a match of ``pattern`` can start with, when plain to see (else None)."""
    q = pattern[2:] if pattern.startswith("\\b") else pattern
    if q.startswith("\\$"):
        return "\\$"
    if q.startswith("\\d"):
        return "0-9"
    if q[:1].isalnum() and q[1:2] != "[":
        return q[0].lower() + q[0].upper()
    if q[:1] == "!":
        return "!"
    return None


@lru_cache(maxsize=1)
def _cue_patterns() -> dict[str, re.Pattern[str]]:
    """One compiled alternation per cue family.

    When every alternative starts with a known character, a lookahead on
    those characters lets the engine skip most positions quickly (about 1.6x
    faster on news text, same matches).
    """
    out = {}
    for name, fam in _cues()["families"].items():
        body = "|".join(f"(?:{p})" for p in fam["patterns"])
        firsts = [_first_chars(p) for p in fam["patterns"]]
        if all(firsts):
            body = f"(?=[{''.join(dict.fromkeys(firsts))}])(?:{body})"
        out[name] = re.compile(body, 0 if fam.get("case_sensitive") else re.IGNORECASE)
    return out


@lru_cache(maxsize=16)
def _cue_matches(text: str) -> dict[str, list[tuple[int, int, str]]]:
    """Every cue match per family, computed once per text (features and evidence share it)."""
    return {name: [(m.start(), m.end(), m.group(0)) for m in rx.finditer(text)]
            for name, rx in _cue_patterns().items()}


def reporting_catalogue_rows() -> list[dict[str, Any]]:
    """Catalogue rows (name, group, meaning, unit, direction) of the cue families, one feature each."""
    return [{"name": f"{name}{CUE_SUFFIX}", "group": fam["group"], "meaning": f"how often the article {fam['meaning']}",
             "unit": CUE_UNIT, "direction": int(fam["direction"])}
            for name, fam in _cues()["families"].items()]


@lru_cache(maxsize=1)
def _article_catalogue_rows() -> tuple[dict[str, Any], ...]:
    """Rows of the per-article feature catalogue (``scorer/data/features.csv``, the file :mod:`scorer.features` reads)."""
    with open(CATALOGUE_PATH, encoding="utf-8", newline="") as fh:
        return tuple({"name": r["name"], "group": r["group"], "meaning": r["meaning"], "unit": r["unit"],
                      "direction": int(r["direction"])} for r in csv.DictReader(fh))


def catalogue_rows() -> list[dict[str, Any]]:
    """Every feature the featurizer can produce, as plain rows: the shared catalogue plus the reporting cues."""
    return [dict(r) for r in _article_catalogue_rows()] + reporting_catalogue_rows()


def reporting_catalogue() -> "pd.DataFrame":
    """:func:`reporting_catalogue_rows` as a DataFrame."""
    import pandas as pd

    return pd.DataFrame(reporting_catalogue_rows(), columns=CATALOGUE_COLUMNS)


def feature_catalogue() -> "pd.DataFrame":
    """Every feature the featurizer can produce (:func:`catalogue_rows`) as a DataFrame."""
    import pandas as pd

    return pd.DataFrame(catalogue_rows(), columns=CATALOGUE_COLUMNS)


@lru_cache(maxsize=1)
def known_feature_names() -> frozenset[str]:
    """Names of every feature this version of scorer computes (a model reading others is refused)."""
    return frozenset(r["name"] for r in catalogue_rows())


def reporting_features(text: str) -> dict[str, float]:
    """``<family>_mentions`` = log(1 + matches) for each cue family.

    A count rather than a rate: covering a criterion at all (giving a cost,
    naming a harm) is what careful reporting does, whatever the length; the
    log makes the first mentions worth more than the tenth.
    """
    return {f"{name}{CUE_SUFFIX}": math.log1p(len(found)) for name, found in _cue_matches(text).items()}


def reporting_evidence(analysis: Analysis, names: Iterable[str] | None = None) -> dict[str, list[Any]]:
    """The sentences holding each cue family's matches (both features of a family share them).

    ``names`` limits the work to the families of those features.
    """
    from scorer.features import Evidence
    from scorer.spans import Span

    text = analysis.text
    starts = [s.start for s in analysis.sentences]
    out: dict[str, list[Any]] = {}
    wanted = None if names is None else {n.removesuffix(CUE_SUFFIX) for n in names}
    for name, found in _cue_matches(text).items():
        if wanted is not None and name not in wanted:
            continue
        items, seen = [], set()
        for start, end, matched in found:
            i = bisect.bisect_right(starts, start) - 1
            span = analysis.sentences[i] if 0 <= i < len(starts) and analysis.sentences[i].end >= end \
                else Span(start, end)
            if span in seen:
                continue
            seen.add(span)
            items.append(Evidence(span, span.of(text), f"{name} cue '{matched}'"))
            if len(items) >= MAX_CUE_EVIDENCE:
                break
        out[f"{name}{CUE_SUFFIX}"] = items
    return out


@lru_cache(maxsize=1)
def provenance_names() -> tuple[str, ...]:
    """Names of the catalogue's ``provenance`` features (reuse across a corpus)."""
    return tuple(r["name"] for r in _article_catalogue_rows() if r["group"] == "provenance")


def features_of(analysis: Analysis) -> dict[str, float]:
    """All feature values of one analysis scored alone (catalogue features and reporting cues).

    Provenance features are 0 here (no reuse known for an article alone);
    corpus runs replace them with the values from reuse found across the corpus.
    """
    from scorer.features import article_features

    out = dict.fromkeys(provenance_names(), 0.0)
    out.update(article_features(analysis))
    out.update(reporting_features(analysis.text))
    return out


def evidence_of(analysis: Analysis, names: Iterable[str] | None = None) -> dict[str, list[Any]]:
    """Evidence spans for every feature in :func:`features_of` (or only ``names``, when given)."""
    from scorer.features import feature_evidence

    names = None if names is None else list(names)
    out = dict(feature_evidence(analysis))
    out.update(reporting_evidence(analysis, names))
    return out
