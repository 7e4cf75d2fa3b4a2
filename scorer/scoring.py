"""Score one article: a calibrated probability that it is reliable, with exact contributions.

``score(article_or_path_or_text)`` reads (when given a path), analyses once,
computes the per-article features, and applies the model. Because the model
is linear on standardised features, each feature's contribution in log-odds
is exact::

    logit(score) = intercept + sum(contributions.values())

where ``intercept`` is the log-odds of an article whose every feature sits at
the training-pool mean, and a feature's contribution is
``coef * (min(value, upper) - mean) / scale`` (values above the training
pool's 99th percentile count as that percentile). Provenance (reuse across a
corpus) needs the rest of the corpus: a single article scored alone has its
``provenance_*`` features at 0 (no reuse known); ``scorer batch --reuse``
(``score_corpus(..., reuse=True)``) finds reuse first and scores with it.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scorer.analysis import Analysis, analyse
from scorer.article import ARTICLE_SUFFIXES, Article, read
from scorer.errors import InputError

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
        from scorer.explain import explain

        return explain(self)

    def top(self, n: int = 5) -> list[tuple[str, float]]:
        """The ``n`` features with the largest absolute contribution, largest first."""
        return sorted(self.contributions.items(), key=lambda kv: -abs(kv[1]))[:n]

    def to_dict(self, evidence: bool = True, max_evidence: int = 3) -> dict[str, Any]:
        """JSON-ready record: id, score, all contributions (with value and evidence), features."""
        from scorer.explain import explain

        table = explain(self, max_evidence=max_evidence) if evidence else None
        contribs = []
        if table is not None:
            for r in table.itertuples(index=False):
                if r.contribution is None or (isinstance(r.contribution, float) and math.isnan(r.contribution)):
                    continue
                contribs.append({"feature": r.feature, "value": r.value, "contribution": r.contribution,
                                 "evidence": [e["text"] for e in r.evidence]})
        else:
            contribs = [{"feature": k, "contribution": v} for k, v in self.top(len(self.contributions))]
        return {
            "id": self.id,
            "score": self.score,
            "contribution_unit": CONTRIBUTION_UNIT,
            "intercept": self.intercept,
            "model": self.model,
            "domain": self.domain,
            "contributions": contribs,
            "features": dict(self.features),
        }

    def _repr_html_(self) -> str:
        """In a notebook: the score, contribution bars and the text with its evidence highlighted."""
        from scorer.notebook import show

        return show(self).html()


def _looks_like_path(item: str) -> bool:
    return "\n" not in item and len(item) < 4096 and (
        os.path.exists(item) or Path(item).suffix.lower() in ARTICLE_SUFFIXES)


def to_article(item: Any) -> Article | Analysis:
    """An Article (or the given Analysis) from a path, a text, an Article or an Analysis.

    A string that names an existing file or ends in a known article suffix is
    read as a file; any other string is the article text itself.

    Raises:
        InputError: a path that cannot be read (missing, binary, empty...).
    """
    if isinstance(item, (Article, Analysis)):
        return item
    if isinstance(item, os.PathLike) or (isinstance(item, str) and _looks_like_path(item)):
        return read(item)
    if isinstance(item, str):
        if not item.strip():
            raise InputError("<text>", "empty text")
        return Article(id="text", text=item)
    raise InputError(repr(item)[:60], f"cannot score a {type(item).__name__}; pass a path, a text or an Article")


def _resolve_model(model: Any) -> tuple[Any, str | None]:
    """(model, name) for a fitted model, a model path, or None (the shipped model when present)."""
    from scorer import model as model_mod

    if model is None:
        if not model_mod.default_model_exists():
            return None, None
        pipe, _ = model_mod.load_cached()
        return pipe, model_mod.DEFAULT_MODEL.name
    if isinstance(model, (str, os.PathLike)):
        pipe, _ = model_mod.load_cached(model)
        return pipe, Path(model).name
    return model, type(model).__name__


def score(item: Any, model: Any = None, index: Any = None) -> ScoreResult:
    """Score one article given as a path, a text, an Article or an Analysis.

    ``model`` is a fitted model (a :class:`~scorer.model.RoutedModel` or a
    single pipeline), a model file path, or None for the shipped default model. Without any model file the result carries features only
    (``score`` is None). ``index`` (a :class:`scorer.archive.Archive` or its path) checks the
    article against an archive: its ``provenance_*`` features become real, with the reused
    passages and the archived articles as their evidence.

    Raises:
        InputError: unreadable input or an untrustworthy model file.
    """
    from scorer.featurizer import features_of

    obj = to_article(item)
    analysis = obj if isinstance(obj, Analysis) else analyse(obj)
    art = analysis.article
    rid = art.id if art is not None else "text"
    feats = features_of(analysis)
    extra: dict[str, list[Any]] = {}
    if index is not None:
        from scorer.archive.scoring import archive_reuse

        values, evidence, _ = archive_reuse(art if art is not None else Article(id=rid, text=analysis.text), index)
        feats.update(values)
        extra = {k: list(evidence) for k, v in values.items() if v}
    pipe, name = _resolve_model(model)
    if pipe is None:
        return ScoreResult(rid, None, feats, analysis=analysis, extra_evidence=extra)
    result = score_features(rid, feats, pipe, analysis=analysis, model_name=name)
    result.extra_evidence = extra
    return result


def score_features(rid: str, feats: dict[str, float], pipe: Any, analysis: Analysis | None = None,
                   model_name: str | None = None) -> ScoreResult:
    """Apply a fitted model to precomputed feature values, with exact contributions.

    A :class:`~scorer.model.RoutedModel` scores with its pipeline for the
    analysed text's domain (``general`` when no analysis is given).
    """
    from scorer.model import GENERAL, RoutedModel, clip_bounds, linear_parts

    domain = GENERAL
    if isinstance(pipe, RoutedModel):
        domain = pipe.route(analysis.text if analysis is not None else "")
        pipe = pipe.heads[domain]
    names, mean, scale, coef, intercept = linear_parts(pipe)
    x = np.array([float(feats.get(n, 0.0) or 0.0) for n in names])
    x = np.nan_to_num(x, nan=0.0, posinf=0.0, neginf=0.0)
    upper = clip_bounds(pipe)
    if upper is not None:
        x = np.minimum(x, upper)
    contrib = coef * (x - mean) / scale
    logit = intercept + float(contrib.sum())
    prob = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit))))
    return ScoreResult(rid, prob, feats, {n: float(c) for n, c in zip(names, contrib)}, intercept,
                       analysis=analysis, model=model_name, domain=domain)
