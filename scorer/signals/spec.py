"""What a signal is: its findings, and one spec per feature it gives the model.

A signal module defines

* its finding type (a dataclass with :class:`~scorer.spans.Span` fields),
* a ``find(analysis) -> list[finding]`` function (or none, for a signal that
  reads only the article's metadata or other signals' findings),
* one :class:`FeatureSpec` per feature: name, group, meaning, unit, the
  direction it should move trust and the published standard that direction
  rests on, the function that computes its value, the function that returns
  the text behind that value, and how views highlight that text,

and exposes them as one :class:`Signal`. Registering the signal in
:mod:`scorer.pipeline` is all it takes for the feature to reach the model,
the explanations, ``scorer inspect``, the catalogue and the notebook views
(``docs/adding-a-signal.md``).
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

from scorer.spans import Span

if TYPE_CHECKING:  # pragma: no cover
    from scorer.analysis import Analysis

#: Directions a feature may have: +1 raises trust, -1 lowers it, 0 describes without a direction.
DIRECTIONS = (-1, 0, 1)
#: Highlight categories of the views (``scorer.views``), by drawing priority.
HIGHLIGHTS = ("anonymous", "vague", "named", "hedge", "origin", "gathered", "relayed")


@dataclass(frozen=True)
class Evidence:
    """A piece of text behind a feature value: where it is, what it says, and why it counts.

    ``span`` is what an explanation quotes (usually the sentence); ``mark``,
    when given, is the narrower range a view highlights inside it (the
    source's words, the hedge cue).
    """

    span: Span
    text: str
    note: str
    mark: Span | None = None


Value = Callable[["Analysis"], float]
EvidenceOf = Callable[["Analysis"], list[Evidence]]


def _no_evidence(analysis: "Analysis") -> list[Evidence]:
    return []


@dataclass(frozen=True)
class FeatureSpec:
    """One feature, written once.

    Attributes:
        name: column name (``anonymous_person_sources``).
        group: catalogue group (``sourcing``, ``hedging``, ``newsgathering``...).
        meaning: one sentence a reader understands.
        unit: unit of the value ("per 100 words", "flag", "log(1 + matches)").
        direction: +1 raises trust, -1 lowers it, 0 descriptive (the model gives no weight to 0).
        standard: the published standard the direction rests on (SPJ Code of Ethics, AP on
            anonymous sources, Trust Project indicators, HealthNewsReview.org criteria);
            for direction 0, why there is none.
        value: the value for one analysis (a finite float); None for a feature filled from
            outside the article (reuse found across a corpus).
        evidence: the text behind the value.
        highlight: the view category its evidence is drawn in (see :data:`HIGHLIGHTS`), or None.
        display: how a reader sees a value ("3 matches"); default: number and unit.
    """

    name: str
    group: str
    meaning: str
    unit: str
    direction: int
    standard: str
    value: Value | None
    evidence: EvidenceOf = _no_evidence
    highlight: str | None = None
    display: Callable[[float], str] | None = None

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            raise ValueError(f"feature {self.name}: direction must be one of {DIRECTIONS}")
        if self.highlight is not None and self.highlight not in HIGHLIGHTS:
            raise ValueError(f"feature {self.name}: unknown highlight {self.highlight!r}")
        if not self.standard.strip():
            raise ValueError(f"feature {self.name}: say which standard its direction rests on")

    def shown(self, value: float) -> str:
        """The value as a reader should see it."""
        if self.display is not None:
            return self.display(value)
        return shown_value(value, self.unit)


@dataclass(frozen=True)
class Signal:
    """A family of findings and the features computed from them.

    Attributes:
        name: key of its findings in ``Analysis.findings`` and in ``scorer inspect --json``.
        title: heading of its section in ``scorer inspect``.
        find: finds its findings in an analysis (signals registered earlier have run); None
            for a signal that only defines features.
        features: its feature specs, in catalogue order.
        describe: the lines ``scorer inspect`` prints for one finding (given the text); None
            to list no section (the findings still appear in ``--json``).
    """

    name: str
    title: str
    find: Callable[["Analysis"], list[Any]] | None = None
    features: tuple[FeatureSpec, ...] = ()
    describe: Callable[[Any, str], list[str]] | None = None


def shown_value(value: float, unit: str) -> str:
    """A value as a reader should see it: ``3 matches`` for a ``log(1 + matches)`` value, else number and unit."""
    if unit.startswith("log(1 + ") and unit.endswith(")") and math.isfinite(value):
        noun = unit[len("log(1 + "):-1]
        n = int(round(math.expm1(value)))
        if n == 1:
            noun = "match" if noun == "matches" else noun.removesuffix("s")
        return f"{n} {noun}"
    return f"{value:.3g} {unit}".rstrip()


# ---------------------------------------------------------------- helpers for value and evidence functions


def rate(count: float, words: int) -> float:
    """``count`` per 100 words (0 for an empty text)."""
    return 100.0 * count / words if words else 0.0


def share(part: float, whole: float, empty: float = 0.0) -> float:
    """``part / whole``, or ``empty`` when there is no whole."""
    return part / whole if whole else empty


def covered_chars(spans: Iterable[Span]) -> int:
    """Characters covered by the union of ``spans``."""
    total, reach = 0, -1
    for s in sorted(spans):
        start = max(s.start, reach)
        if s.end > start:
            total += s.end - start
        reach = max(reach, s.end)
    return total


def sentences_hit(sentences: Sequence[Span], spans: Iterable[Span]) -> set[int]:
    """Indices of ``sentences`` that overlap any of ``spans`` (a zero-length span hits the sentence it is in)."""
    starts = [s.start for s in sentences]
    hit: set[int] = set()
    for sp in spans:
        i = max(0, bisect.bisect_right(starts, sp.start) - 1)
        while i < len(sentences) and sentences[i].start < max(sp.end, sp.start + 1):
            if sentences[i].overlaps(sp) or (sp.length == 0 and sentences[i].start <= sp.start < sentences[i].end):
                hit.add(i)
            i += 1
    return hit


def evidence_at(analysis: "Analysis", span: Span, note: str, mark: Span | None = None) -> Evidence:
    """Evidence quoting ``span`` of the analysed text."""
    return Evidence(span, span.of(analysis.text), note, mark)


def sentence_of(analysis: "Analysis", start: int, end: int) -> Span:
    """The sentence holding ``[start, end)``, or that range itself when no sentence holds it."""
    starts = analysis.memo("sentence_starts", lambda: [s.start for s in analysis.sentences])
    i = bisect.bisect_right(starts, start) - 1
    if 0 <= i < len(starts) and analysis.sentences[i].end >= end:
        return analysis.sentences[i]
    return Span(start, end)


def dedupe(items: Iterable[Evidence]) -> list[Evidence]:
    """Evidence in order with repeats of the same span and note dropped."""
    seen: set[tuple[Span, str]] = set()
    out = []
    for e in items:
        if (e.span, e.note) not in seen:
            seen.add((e.span, e.note))
            out.append(e)
    return out


def one_per_span(items: Iterable[Evidence]) -> list[Evidence]:
    """The last evidence item of each span, in order of first appearance (one line per sentence)."""
    return list({e.span: e for e in items}.values())


def short(text: str, width: int = 90) -> str:
    """``text`` on one line, cut to ``width`` characters (for terminal listings)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
