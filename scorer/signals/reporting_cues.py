"""Reporting and style cues: families of phrases defined as data, one feature each.

``scorer/data/model/reporting_cues.json`` defines each family: its meaning,
group, direction, the published standard the direction rests on, and its
regular expressions. Group ``reporting``: marks of careful reporting, chiefly
the HealthNewsReview.org criteria (costs, quantified benefits, harms, quality
of evidence, independent sources and conflicts of interest, alternatives,
availability, not relying on a news release) and newsroom conventions (dating
events, plain reporting verbs, weighing claims). Group ``style``: markers of
opinion and hyperpartisan writing. Each family gives ``<family>_mentions`` =
log(1 + matches): a count rather than a rate, since covering a criterion at
all is what careful reporting does; the log makes the first mentions worth
more than the tenth. Adding a family is one JSON entry.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from scorer.analysis import Analysis
from scorer.signals.prefilter import CASE_TWINS, literal_starts
from scorer.signals.spec import Evidence, FeatureSpec, Signal, evidence_at, sentence_of

CUES_PATH = Path(__file__).resolve().parent.parent / "data" / "model" / "reporting_cues.json"
#: Suffix of a cue family's feature name (``cost`` -> ``cost_mentions``).
CUE_SUFFIX = "_mentions"
#: Unit of a cue family's value (readers are shown the number of matches).
CUE_UNIT = "log(1 + matches)"
#: Groups of the cue families.
CUE_GROUPS = ("reporting", "style")
#: Most evidence items kept per family.
MAX_CUE_EVIDENCE = 5


@lru_cache(maxsize=1)
def cues() -> dict[str, Any]:
    """The cue file as parsed JSON."""
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
    for name, fam in cues()["families"].items():
        body = "|".join(f"(?:{p})" for p in fam["patterns"])
        firsts = [_first_chars(p) for p in fam["patterns"]]
        if all(firsts):
            body = f"(?=[{''.join(dict.fromkeys(firsts))}])(?:{body})"
        out[name] = re.compile(body, 0 if fam.get("case_sensitive") else re.IGNORECASE)
    return out


@lru_cache(maxsize=1)
def _family_keys() -> dict[str, tuple[str, ...] | None]:
    """Per family, words one of which every match contains (None: the family always runs)."""
    out: dict[str, tuple[str, ...] | None] = {}
    for name, fam in cues()["families"].items():
        starts = [literal_starts(p) for p in fam["patterns"]]
        out[name] = None if any(s is None for s in starts) else tuple(dict.fromkeys(w for s in starts for w in s))  # type: ignore[union-attr]
    return out


@lru_cache(maxsize=16)
def cue_matches(text: str) -> dict[str, list[tuple[int, int, str]]]:
    """Every cue match per family, computed once per text (features and evidence share it).

    A family whose matches all start with one of its start words
    (:func:`~scorer.signals.prefilter.literal_starts`) is tried only where one of those words occurs in
    the lower-cased text (none: not at all), instead of at every character;
    that finds exactly what searching the whole text finds. The shortcut is
    not taken for a text holding one of :data:`~scorer.signals.prefilter.CASE_TWINS`, where
    ``str.lower`` and the regex engine disagree about case.
    """
    lower = None if any(c in text for c in CASE_TWINS) else text.lower()
    if lower is not None and len(lower) != len(text):
        lower = None
    keys = _family_keys()
    out: dict[str, list[tuple[int, int, str]]] = {}
    for name, rx in _cue_patterns().items():
        words = keys[name]
        if lower is None or words is None:
            out[name] = [(m.start(), m.end(), m.group(0)) for m in rx.finditer(text)]
        else:
            out[name] = _matches_at(text, rx, _occurrences(lower, words))
    return out


def _occurrences(lower: str, words: tuple[str, ...]) -> list[int]:
    """Sorted positions where any of ``words`` starts in ``lower``."""
    found: set[int] = set()
    for word in words:
        at = lower.find(word)
        while at >= 0:
            found.add(at)
            at = lower.find(word, at + 1)
    return sorted(found)


def _matches_at(text: str, rx: re.Pattern[str], starts: list[int]) -> list[tuple[int, int, str]]:
    """What ``rx.finditer(text)`` finds when its matches can only start at ``starts``: each match is
    tried in order, and the search resumes where the previous match ended."""
    out = []
    resume = 0
    for at in starts:
        if at >= resume:
            m = rx.match(text, at)
            if m is not None:
                out.append((at, m.end(), m.group(0)))
                resume = m.end()
    return out


def reporting_features(text: str) -> dict[str, float]:
    """``<family>_mentions`` = log(1 + matches) for each cue family of ``text``."""
    return {f"{name}{CUE_SUFFIX}": math.log1p(len(found)) for name, found in cue_matches(text).items()}


def _evidence(family: str):
    def evidence(analysis: Analysis) -> list[Evidence]:
        items: list[Evidence] = []
        seen = set()
        for start, end, matched in cue_matches(analysis.text)[family]:
            span = sentence_of(analysis, start, end)
            if span in seen:
                continue
            seen.add(span)
            items.append(evidence_at(analysis, span, f"{family} cue '{matched}'"))
            if len(items) >= MAX_CUE_EVIDENCE:
                break
        return items
    return evidence


def _spec(family: str, fam: dict[str, Any]) -> FeatureSpec:
    return FeatureSpec(
        f"{family}{CUE_SUFFIX}", fam["group"], f"how often the article {fam['meaning']}", CUE_UNIT,
        int(fam["direction"]), fam["standard"],
        value=lambda a: math.log1p(len(cue_matches(a.text)[family])), evidence=_evidence(family))


FEATURES: tuple[FeatureSpec, ...] = tuple(_spec(name, fam) for name, fam in cues()["families"].items())

SIGNAL = Signal("reporting_cues", "Reporting and style cues", features=FEATURES)
