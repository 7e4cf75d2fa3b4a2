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

The shipped model is scored from its exported parameters with NumPy only
(:mod:`scorer.linear`): scoring one article imports neither scikit-learn nor
SciPy. A model file without an export, or a fitted model passed in, goes
through the same evaluator after conversion; only a model that is not linear
is scored by scikit-learn itself (without contributions).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from scorer.analysis import Analysis
from scorer.article import ARTICLE_SUFFIXES, Article, read
from scorer.errors import InputError
from scorer.pipeline import analyse
from scorer.result import CONTRIBUTION_UNIT, ScoreResult  # noqa: F401  (part of this API)
from scorer.linear import LinearModel, to_linear


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


def resolve_model(model: Any) -> tuple[Any, str | None]:
    """(model, name) for a fitted model, a model path, or None (the shipped model when present).

    A model file with exported parameters gives a :class:`~scorer.linear.LinearModel`
    (no scikit-learn import); one without gives the loaded scikit-learn model.

    Raises:
        InputError: a missing, tampered or unsound model file.
    """
    from scorer import linear

    if model is None:
        if not linear.default_model_exists():
            return None, None
        path = None
    elif isinstance(model, (str, os.PathLike)):
        path = model
    else:
        return model, type(model).__name__
    name = Path(path).name if path is not None else linear.DEFAULT_MODEL.name
    fast = linear.load_cached(path)
    if fast is not None:
        return fast, name
    from scorer.model_file import load_cached

    return load_cached(path)[0], name


def _resolve_model(model: Any) -> tuple[Any, str | None]:
    """(fitted scikit-learn model, name), for callers that read the pipelines themselves (the notebook helpers)."""
    from scorer import linear
    from scorer.model_file import load_cached

    if model is None:
        if not linear.default_model_exists():
            return None, None
        return load_cached()[0], linear.DEFAULT_MODEL.name
    if isinstance(model, (str, os.PathLike)):
        return load_cached(model)[0], Path(model).name
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
    from scorer.features import features_of

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
    pipe, name = resolve_model(model)
    if pipe is None:
        return ScoreResult(rid, None, feats, analysis=analysis, extra_evidence=extra)
    result = score_features(rid, feats, pipe, analysis=analysis, model_name=name)
    result.extra_evidence = extra
    return result


def score_features(rid: str, feats: dict[str, float], pipe: Any, analysis: Analysis | None = None,
                   model_name: str | None = None) -> ScoreResult:
    """Apply a model to precomputed feature values, with exact contributions.

    ``pipe`` is a :class:`~scorer.linear.LinearModel`, a fitted
    :class:`~scorer.model.RoutedModel` or a single fitted pipeline; each
    scores with its weights for the analysed text's domain (``general`` when
    no analysis is given). A fitted linear model is converted and scored by
    the same NumPy code; any other model gives its probability without
    contributions.
    """
    if pipe is None:  # no model: features only
        return ScoreResult(rid, None, feats, analysis=analysis, model=model_name)
    text = analysis.text if analysis is not None else ""
    fast = pipe if isinstance(pipe, LinearModel) else to_linear(pipe)
    if fast is None:
        return _score_nonlinear(rid, feats, pipe, analysis, model_name)
    s = fast.score(feats, text)
    return ScoreResult(rid, s.probability, feats, s.contributions, s.intercept,
                       analysis=analysis, model=model_name, domain=s.domain)


def _score_nonlinear(rid: str, feats: dict[str, float], pipe: Any, analysis: Analysis | None,
                     model_name: str | None) -> ScoreResult:
    """A model that is not linear: scikit-learn's probability for the article, no contributions."""
    from scorer.domain import GENERAL

    item = analysis if analysis is not None else ""
    domain = pipe.route(analysis.text if analysis is not None else "") if hasattr(pipe, "route") else GENERAL
    prob = float(pipe.predict_proba([item])[0, 1])
    return ScoreResult(rid, prob, feats, analysis=analysis, model=model_name, domain=domain)
