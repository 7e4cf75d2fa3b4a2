"""The score of one article as data: :class:`ScoreResult`, and its explanation rows.

A leaf of the scoring side: it reads the feature catalogue and evidence
(:mod:`scorer.features`) and nothing above it, so scoring, explanations,
reports and views all import it downward. The only way up is
``_repr_html_``, which asks the notebook views to draw the result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from scorer.analysis import Analysis
from scorer.features import catalogue_rows, evidence_of

if TYPE_CHECKING:
    import pandas as pd

#: Unit of :attr:`ScoreResult.contributions`.
CONTRIBUTION_UNIT = "log-odds"


@dataclass
class ScoreResult:
    """The score of one article and everything needed to explain it.

    Attributes:
        id: the article id (file stem for files).
        score: probability that the article is reliable (0-1), or None when
            no model is available (features only).
        features: every per-article feature value, by name.
        contributions: each model feature's contribution to the score's
            log-odds (``CONTRIBUTION_UNIT``); empty without a model.
        intercept: log-odds of an article at the training-pool mean.
        analysis: the analysis the features came from (spans for evidence).
        model: name of the model file used.
        domain: which of the model's weights scored it (``health`` for a
            health story, else ``general``; see :mod:`scorer.domain`).
    """

    id: str
    score: float | None
    features: dict[str, float]
    contributions: dict[str, float] = field(default_factory=dict)
    intercept: float = 0.0
    analysis: Analysis | None = field(default=None, repr=False)
    model: str | None = None
    domain: str | None = None
    #: Evidence of features found outside the analysis (reuse against an archive), by feature name.
    extra_evidence: dict[str, list[Any]] = field(default_factory=dict, repr=False)

    @property
    def log_odds(self) -> float | None:
        """``intercept + sum(contributions)``: the score on the log-odds scale."""
        return None if self.score is None else self.intercept + float(sum(self.contributions.values()))

    @property
    def explanation(self) -> pd.DataFrame:
        """Per-feature value, contribution and evidence (see :func:`scorer.explain.explain`)."""
        return explanation_frame(self)

    def top(self, n: int = 5) -> list[tuple[str, float]]:
        """The ``n`` features with the largest absolute contribution, largest first."""
        return sorted(self.contributions.items(), key=lambda kv: -abs(kv[1]))[:n]

    def to_dict(self, evidence: bool = True, max_evidence: int = 3) -> dict[str, Any]:
        """JSON-ready record: id, score, all contributions (with value and evidence), features.

        Scored against an archive, ``archive_reuse`` lists each reused passage
        and the archived article it matches, whether or not the model weights it.
        """
        contribs = []
        if evidence:
            for r in explain_rows(self, max_evidence=max_evidence):
                if r["contribution"] is None or math.isnan(r["contribution"]):
                    continue
                contribs.append({"feature": r["feature"], "value": r["value"], "contribution": r["contribution"],
                                 "evidence": [e["text"] for e in r["evidence"]]})
        else:
            contribs = [{"feature": k, "contribution": v} for k, v in self.top(len(self.contributions))]
        out = {
            "id": self.id,
            "score": self.score,
            "contribution_unit": CONTRIBUTION_UNIT,
            "intercept": self.intercept,
            "model": self.model,
            "domain": self.domain,
            "contributions": contribs,
            "features": dict(self.features),
        }
        if self.extra_evidence:  # checked against an archive: the reuse found, weighted or not
            out["archive_reuse"] = self.archive_reuse()
        return out

    def archive_reuse(self) -> list[dict[str, str]]:
        """Each passage found reused against an archive, once, as {text, note}.

        Every provenance feature of the check carries the same passages as its
        evidence; this is the list without the repeats, in order.
        """
        seen: dict[tuple[str, str], None] = {}
        for items in self.extra_evidence.values():
            for e in items:
                seen.setdefault((_short(e.text), e.note), None)
        return [{"text": text, "note": note} for text, note in seen]

    def _repr_html_(self) -> str:
        """In a notebook: the score, contribution bars and the text with its evidence highlighted."""
        from scorer.notebook import show

        return show(self).html()


#: Longest evidence text kept (characters); longer spans are cut with an ellipsis.
MAX_EVIDENCE_CHARS = 400
COLUMNS = ["feature", "group", "value", "unit", "contribution", "evidence", "meaning"]


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, dict[str, Any]]:
    """Catalogue row of every feature, by name (the first row of a repeated name)."""
    out: dict[str, dict[str, Any]] = {}
    for row in catalogue_rows():
        out.setdefault(str(row["name"]), row)
    return out


def _evidence(result: ScoreResult) -> dict[str, list[Any]]:
    """Evidence of every feature: from the analysis, plus what was found outside it (an archive)."""
    extra = result.extra_evidence or {}
    if result.analysis is None:
        return dict(extra)
    return {**evidence_of(result.analysis), **extra}


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


def explanation_frame(result: ScoreResult, max_evidence: int | None = None) -> "pd.DataFrame":
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
