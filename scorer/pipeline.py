"""Analyse an article: segment it once, then run every registered signal in order.

:data:`SIGNALS` is the one registration point: a signal listed here has its
findings in :class:`~scorer.analysis.Analysis`, its features in the catalogue,
the model's inputs, the explanations and ``scorer inspect``
(``docs/adding-a-signal.md``). Order matters: a signal may read the findings
of those before it (typing sources reads the quotes; hedged claims read the
attributions).
"""

from __future__ import annotations

from scorer import segment
from scorer.analysis import Analysis
from scorer.article import Article
from scorer.signals import (hedging, newsgathering, origin, quotes, reporting_cues, reuse, sourcing_features,
                            transparency)
from scorer.signals.spec import Signal

#: Every signal, in the order they run; their features, in this order, make the catalogue.
SIGNALS: tuple[Signal, ...] = (
    quotes.SIGNAL,
    sourcing_features.SIGNAL,
    hedging.SIGNAL,
    transparency.SIGNAL,
    origin.SIGNAL,
    newsgathering.SIGNAL,
    reuse.SIGNAL,
    reporting_cues.SIGNAL,
)

#: Exceptions a signal may raise on odd text; the analysis records them and goes on.
_SIGNAL_ERRORS = (ValueError, IndexError, KeyError, RecursionError, TypeError, AttributeError)


def analyse(text_or_article: str | Article) -> Analysis:
    """Analyse a text or an Article once; every feature and view reads from the result.

    A signal that fails on this text leaves its findings empty and says so in
    ``analysis.problems`` (never a silent empty list).
    """
    article = text_or_article if isinstance(text_or_article, Article) else None
    text = article.text if article is not None else str(text_or_article)
    paragraphs, sentences = segment.segment(text)
    result = Analysis(text=text, paragraphs=paragraphs, sentences=sentences, article=article)
    for signal in SIGNALS:
        if signal.find is None:
            continue
        try:
            result.findings[signal.name] = signal.find(result)
        except _SIGNAL_ERRORS as exc:
            result.findings[signal.name] = []
            result.problems.append(f"{signal.name}: {type(exc).__name__}: {exc}")
    return result
