"""Hedging: epistemic cues that qualify a claim, each with the sentence it qualifies.

Two sources of cues, both data files under ``scorer/data/lexicons/``:

* ``hedge_patterns.txt``: constructions that are always hedges: hearsay and
  belief ("is said to", "it is believed", "unconfirmed reports"), open
  questions ("it is unclear whether", "remains to be seen"), evidence that
  only suggests ("sources suggest"), an "if" whose clause carries a modal
  ("if ... would") and possibility ("could" outside negation, "possible"
  outside idioms such as "as soon as possible");
* single-word candidates ("may", "might", "could", "reportedly", "appears",
  "suggests", "believe", "if", "whether" ...) kept or dropped in context by a
  logistic-regression model (``hedge_cue_model.json``, trained on the Szeged
  WikiWeasel and BioScope uncertainty corpora by
  :mod:`scorer.training.train_hedging`). Context is what separates "drones
  may travel" (a hedge) from "drones can travel 1,000 miles" (ability) or
  "in May" (a month). Besides a window of two words, the model sees whether
  the sentence holds a conditional before or after the candidate and another
  modal (:func:`clause_context`), so the "would" of a consequent and the "if"
  of a real condition read as the Szeged scheme marks them.

Each hedge carries its ``kind`` from ``hedge_kinds.txt``: ``hearsay``
(allegedly, reportedly), ``epistemic`` (possibly, likely, appears),
``doxastic`` (believe, expect), ``modal`` (may, might, could, would),
``conditional`` (if, unless) or ``investigation`` (whether).
"""

from __future__ import annotations

import bisect
import json
import math
import re
from functools import lru_cache

from dataclasses import dataclass

from scorer.analysis import Analysis
from scorer.segment import LEXICON_DIR, load_lexicon
from scorer.signals.spec import (Evidence, FeatureSpec, Signal, evidence_at, one_per_span, rate, sentences_hit, share,
                                 short)
from scorer.spans import Span
from scorer.tokens import Tokens, window
from scorer.tokens import stem as _stem


@dataclass
class Hedge:
    """An epistemic hedge cue and the sentence it qualifies."""

    cue: Span
    sentence: Span
    kind: str = ""  # lexicon entry or category, e.g. "reportedly", "modal_possibility"

MODEL_PATH = LEXICON_DIR / "hedge_cue_model.json"
#: Kinds that qualify a claim's certainty (conditions and open questions are not hedges of a claim).
EPISTEMIC_KINDS = frozenset({"hearsay", "epistemic", "doxastic", "modal"})


def hedge_features(toks: Tokens, i: int) -> list[str]:
    """Features of candidate token ``i`` for the hedge classifier (shared by training and inference)."""
    w, p1, p2, n1, n2, s_p1, s_n1 = window(toks, i)
    return [
        "w=" + w, "p1=" + p1, "n1=" + n1, "p2=" + p2, "n2=" + n2,
        "w|n1=" + w + "|" + n1, "p1|w=" + p1 + "|" + w, "w|n2=" + w + "|" + n2,
        "w|sn1=" + w + "|" + s_n1, "w|sp1=" + w + "|" + s_p1,
        "cap=" + str(toks.texts[i][:1].isupper()), "w|first=" + w + "|" + str(i == 0),
        "stem=" + _stem(w), "n1num=" + str(n1[:1].isdigit() or n2[:1].isdigit()),
        *clause_context(toks, i),
    ]


def clause_context(toks: Tokens, i: int) -> list[str]:
    """Sentence-wide context of candidate ``i``: a conditional before or after it, another modal.

    In the Szeged scheme a condition is marked on the "if"/"unless" and on the
    "would"/"will" of its consequent, so a modal reads differently when the
    sentence holds a condition, and an "if" differently when a modal follows.
    Word classes come from the kinds of ``hedge_kinds.txt``.
    """
    conditional, modals = _kind_words("conditional"), _kind_words("modal")
    lows = toks.lows
    w = lows[i]
    before, after = lows[:i], lows[i + 1:]
    cond_before = not conditional.isdisjoint(before)
    cond_after = not conditional.isdisjoint(after)
    modal = not modals.isdisjoint(before) or not modals.isdisjoint(after)
    return ["w|condb=" + w + "|" + str(cond_before), "w|conda=" + w + "|" + str(cond_after),
            "w|modal=" + w + "|" + str(modal)]


@lru_cache(maxsize=1)
def _model() -> tuple[frozenset[str], dict[str, float], float, float]:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    return frozenset(data["candidates"]), dict(data["weights"]), float(data["bias"]), float(data["threshold"])


@lru_cache(maxsize=1)
def _kinds() -> dict[str, str]:
    out = {}
    for line in load_lexicon("hedge_kinds"):
        word, _, kind = line.partition("\t")
        out[word.strip().lower()] = kind.strip()
    return out


@lru_cache(maxsize=None)
def _kind_words(kind: str) -> frozenset[str]:
    """The words of ``hedge_kinds.txt`` of one kind ("conditional", "modal" ...)."""
    return frozenset(w for w, k in _kinds().items() if k == kind)


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern[str], str, frozenset[str]]]:
    """(pattern, kind, trigger words) of every multi-word hedge construction."""
    out = []
    for line in load_lexicon("hedge_patterns"):
        pattern, kind, triggers = (line.split("\t") + ["", ""])[:3]
        out.append((re.compile(pattern, re.IGNORECASE), kind.strip(),
                    frozenset(t.strip() for t in triggers.split(",") if t.strip())))
    return out


@lru_cache(maxsize=1)
def _all_triggers() -> frozenset[str]:
    """Every trigger word of every pattern, to test a sentence once instead of once per pattern."""
    return frozenset(t for _, _, triggers in _patterns() for t in triggers)


@lru_cache(maxsize=1)
def _never() -> frozenset[str]:
    """Word forms that are never hedges whatever the context (ability "can")."""
    return frozenset(load_lexicon("hedge_never"))


def _score(weights: dict[str, float], bias: float, feats: list[str]) -> float:
    z = bias + sum(weights.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def find_hedges(analysis: Analysis) -> list[Hedge]:
    """Hedge cues of the text in order, each with its sentence; never raises on odd text."""
    try:
        return _find(analysis)
    except (ValueError, IndexError, KeyError, RecursionError):
        return []


def _find(analysis: Analysis) -> list[Hedge]:
    text = analysis.text
    candidates, weights, bias, threshold = _model()
    kinds = _kinds()
    never = _never()
    out: list[Hedge] = []
    patterns = _patterns()
    triggers_all = _all_triggers()
    for sent, toks in zip(analysis.sentences, analysis.tokens):
        taken: list[Span] = []
        lows = toks.lows
        present = triggers_all.intersection(lows)  # one pass over the sentence for every pattern
        for pattern, kind, triggers in patterns if present else ():
            if triggers.isdisjoint(present):
                continue
            for m in pattern.finditer(text, sent.start, sent.end):
                span = Span(m.start(), m.end())
                if any(t.overlaps(span) for t in taken):
                    continue  # an earlier construction already holds these words
                taken.append(span)
                out.append(Hedge(cue=span, sentence=sent, kind=kind))
        for i in [i for i, w in enumerate(lows) if w in candidates and w not in never]:
            w = lows[i]
            span = Span(toks.starts[i], toks.ends[i])
            if taken and any(t.overlaps(span) for t in taken):
                continue
            if w == "may" and toks.texts[i] == "May" and i > 0:
                continue  # the month
            if _score(weights, bias, hedge_features(toks, i)) >= threshold:
                out.append(Hedge(cue=span, sentence=sent, kind=kinds.get(w, "epistemic")))
    out.sort(key=lambda h: h.cue.start)
    return out


def hedged_sentences(analysis: Analysis, epistemic_only: bool = False) -> list[Span]:
    """Sentences with at least one hedge (optionally only claim-qualifying kinds)."""
    seen: list[Span] = []
    for h in analysis.found("hedges"):
        if epistemic_only and h.kind not in EPISTEMIC_KINDS:
            continue
        if not seen or seen[-1] != h.sentence:
            k = bisect.bisect_left(seen, h.sentence)
            if k >= len(seen) or seen[k] != h.sentence:
                seen.insert(k, h.sentence)
    return seen


# ---------------------------------------------------------------- features

#: Hedge kinds that attribute a claim to hearsay ("allegedly", "reportedly", "is said to").
HEARSAY_KINDS = frozenset({"hearsay"})
_DESCRIPTIVE = ("descriptive: careful qualification of uncertain claims is good practice, so the amount of "
                "hedging has no direction on its own")
_HEARSAY = ("SPJ Code of Ethics: verify information before releasing it; identify sources clearly "
            "(hearsay hedges pass on claims no source stands behind)")


def _hedge_evidence(analysis: Analysis) -> list[Evidence]:
    return analysis.memo("hedge_evidence", lambda: [
        evidence_at(analysis, h.sentence, f"hedge '{h.cue.of(analysis.text)}' ({h.kind or 'hedge'})", h.cue)
        for h in analysis.found("hedges")])


def _hedged(analysis: Analysis) -> set[int]:
    return analysis.memo("hedged_sentences", lambda: sentences_hit(
        analysis.sentences, (h.sentence for h in analysis.found("hedges"))))


def _own_sentences(analysis: Analysis) -> list[int]:
    """Sentences carrying no attribution: the article's own claims."""
    attributed = sentences_hit(analysis.sentences, (a.sentence for a in analysis.found("attributions")))
    return [i for i in range(len(analysis.sentences)) if i not in attributed]


def _claim_evidence(analysis: Analysis) -> list[Evidence]:
    att_spans = [a.sentence for a in analysis.found("attributions")]
    return [e for e in one_per_span(_hedge_evidence(analysis)) if not any(e.span.overlaps(s) for s in att_spans)]


FEATURES: tuple[FeatureSpec, ...] = (
    FeatureSpec("hedge_density", "hedging", "Hedge cues ('may', 'reportedly', 'appears to', 'it is believed') per 100 words",
                "per 100 words", 0, _DESCRIPTIVE,
                value=lambda a: rate(len(a.found("hedges")), a.word_count), evidence=_hedge_evidence,
                highlight="hedge"),
    FeatureSpec("hedged_sentence_share", "hedging", "Share of sentences with at least one hedge cue",
                "share of sentences", 0, _DESCRIPTIVE,
                value=lambda a: share(len(_hedged(a)), len(a.sentences)),
                evidence=lambda a: one_per_span(_hedge_evidence(a)), highlight="hedge"),
    FeatureSpec("hedged_claim_share", "hedging",
                "Share of the article's own (unattributed) sentences that carry a hedge", "share of sentences", 0,
                _DESCRIPTIVE,
                value=lambda a: share(sum(i in _hedged(a) for i in _own_sentences(a)), len(_own_sentences(a))),
                evidence=_claim_evidence, highlight="hedge"),
    FeatureSpec("hearsay_hedge_density", "hedging",
                "Hearsay hedges ('allegedly', 'reportedly', 'is said to', 'unconfirmed') per 100 words",
                "per 100 words", -1, _HEARSAY,
                value=lambda a: rate(sum(h.kind in HEARSAY_KINDS for h in a.found("hedges")), a.word_count),
                evidence=lambda a: [e for e, h in zip(_hedge_evidence(a), a.found("hedges")) if h.kind in HEARSAY_KINDS],
                highlight="hedge"),
)


def describe(hedge: Hedge, text: str) -> list[str]:
    """``scorer inspect`` line for one hedge."""
    return [f"  {hedge.cue.of(text)!r:<18} {short(hedge.sentence.of(text), 80)}"]


SIGNAL = Signal("hedges", "Hedges", find=find_hedges, features=FEATURES, describe=describe)
