"""Attribution: who is said to have said, reported or believed what.

Cues are found in two steps, both fast enough for archive-scale use:

1. a candidate lexicon (word forms that open attribution cues in PolNeAR train:
   "said", "according", "told", "believes", ":" ...) picks candidate tokens;
2. a logistic-regression model over the candidate's word and its neighbours
   (weights in ``scorer/data/models/attribution_cue_model.npz``, trained by
   :mod:`scorer.training.train_attribution`) keeps the real cues, so "said" in
   "the said document" or "believe" in "hard to believe" is dropped.

For each cue the source is the noun phrase before it ("a senior U.S. official
said", "Kirby also said"), after it ("said Kirby", "according to the report"),
and the content is the adjoining quotation or clause. Source typing and
anonymity reasons are in :mod:`scorer.signals.sourcing`.

Length: about 900 lines, kept in one module on purpose: the rule layer's source and content finders are ~40 small functions over one token representation and one set of word classes, and the CRF's place in them (``LAYERS``) is easiest to audit next to the rules it replaces; the cue classifier, tokens and the CRF decoder already live in their own modules.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import NamedTuple

from scorer.analysis import Analysis
from scorer.segment import LEXICON_DIR, load_lexicon
from scorer.signals.quotes import Quote
from scorer.spans import Span
from scorer.tokens import TOKEN, Tokens, Window, tokenize, window  # noqa: F401  (TOKEN, Window: re-exported)
from scorer.tokens import QUOTE_CHARS as _QUOTE_CHARS
from scorer.tokens import shape as _shape
from scorer.tokens import stem as _stem

#: Allowed values of ``Attribution.source_type``.
SOURCE_TYPES = ("named_person", "named_organization", "document_or_outlet",
                "unnamed_group", "anonymous_person", "none")


@dataclass
class Attribution:
    """Who is said to have said (or believed) what."""

    cue: Span | None
    source: Span | None
    content: Span | None
    source_type: str
    direct: bool
    sentence: Span
    anonymity_reason: Span | None = None
    #: The name the source resolves to ("Kirby" for "he" or "the spokesman"), when known.
    resolved_source: str | None = None


MODEL_PATH = LEXICON_DIR.parent / "models" / "attribution_cue_model.npz"


def sentence_tokens(analysis: Analysis) -> list[Tokens]:
    """Tokens of every sentence of ``analysis`` (tokenised once per analysis, shared by the signals)."""
    return analysis.tokens


def cue_features(toks: Tokens, i: int, in_quote: bool, sent_has_quote: bool) -> list[str]:
    """Features of candidate token ``i`` of a sentence for the cue classifier.

    Shared verbatim by training and inference, so the shipped weights apply.
    """
    n = len(toks.lows)
    w, p1, p2, n1, n2, s_p1, s_n1 = window(toks, i)
    feats = [
        "w=" + w, "p1=" + p1, "p2=" + p2, "n1=" + n1, "n2=" + n2,
        "w|n1=" + w + "|" + n1, "p1|w=" + p1 + "|" + w,
        "sp1=" + s_p1, "sn1=" + s_n1, "w|sp1=" + w + "|" + s_p1, "w|sn1=" + w + "|" + s_n1,
        "suf=" + w[-2:], "cap=" + str(toks.texts[i][:1].isupper()),
        "inq=" + str(in_quote), "hasq=" + str(sent_has_quote),
        "w|inq=" + w + "|" + str(in_quote),
        "first=" + str(i == 0), "last=" + str(i >= n - 2),
        "stem=" + _stem(w), "p1|n1=" + p1 + "|" + n1, "stem|sn1=" + _stem(w) + "|" + s_n1,
        "qb=" + str(any(_shape(t) == "Q" for t in toks.texts[max(0, i - 3):i])),
        "qa=" + str(any(_shape(t) == "Q" for t in toks.texts[i + 1:i + 4])),
    ]
    return feats



@dataclass(frozen=True)
class CueModel:
    """Candidate lexicon plus logistic-regression weights for cue tokens."""

    candidates: frozenset[str]
    weights: dict[str, float]
    bias: float
    threshold: float
    trained_on: str = ""

    def save(self, path: Path) -> Path:
        """Write as a NumPy ``.npz`` of plain arrays (no pickle): names newline-joined, weights as float64.

        Loading it takes about half the time decoding the same weights from JSON did,
        which is most of what one ``scorer score FILE`` spends on this model.
        """
        import numpy as np

        from scorer.signals.attribution_crf import joined_strings

        names = sorted(self.weights)
        with open(path, "wb") as fh:
            np.savez(fh, candidates=joined_strings(sorted(self.candidates)), names=joined_strings(names),
                     weights=np.array([self.weights[n] for n in names], dtype=np.float64),
                     bias=np.array(self.bias), threshold=np.array(self.threshold),
                     trained_on=joined_strings([self.trained_on]))
        return path

    @classmethod
    def load(cls, path: Path) -> "CueModel":
        """Read a model written by :meth:`save` (``allow_pickle=False``: plain arrays only)."""
        import numpy as np

        from scorer.signals.attribution_crf import split_strings

        with np.load(path, allow_pickle=False) as z:
            return cls(frozenset(split_strings(z["candidates"])),
                       dict(zip(split_strings(z["names"]), z["weights"].tolist())),
                       float(z["bias"]), float(z["threshold"]), split_strings(z["trained_on"])[0])

    def score(self, feats: list[str]) -> float:
        """Probability that the candidate is (part of) an attribution cue."""
        z = self.bias + sum(self.weights.get(f, 0.0) for f in feats)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @property
    def logit_threshold(self) -> float:
        """The threshold on the linear score equivalent to ``threshold`` on the probability."""
        t = min(max(self.threshold, 1e-9), 1 - 1e-9)
        return math.log(t / (1 - t))

    def constant_weights(self) -> dict[str, float]:
        """Weights of the features that take only True/False values, looked up once per article."""
        g = self.weights.get
        return {f"{name}={flag}": g(f"{name}={flag}", 0.0)
                for name in ("cap", "inq", "hasq", "first", "last", "qb", "qa") for flag in ("True", "False")}

    @cached_property
    def word_keys(self) -> dict[str, "WordKeys"]:
        """:meth:`word` of each candidate word met so far, kept for the model's life (at most one
        entry per word of the candidate lexicon: only candidates are scored)."""
        return {}

    def word(self, w: str) -> "WordKeys":
        """What candidate word ``w`` contributes whatever its context: its summed bias, word,
        suffix and stem weights (added in that order), its "w|inq" weights, and the fixed parts
        of the feature names that pair it with a neighbour."""
        g = self.weights.get
        stem = _stem(w)
        return WordKeys(self.bias + g("w=" + w, 0.0) + g("suf=" + w[-2:], 0.0) + g("stem=" + stem, 0.0),
                        "w|n1=" + w + "|", "|" + w, "w|sp1=" + w + "|", "w|sn1=" + w + "|",
                        {"True": g("w|inq=" + w + "|True", 0.0), "False": g("w|inq=" + w + "|False", 0.0)},
                        "stem|sn1=" + stem + "|")

    def token_logit(self, toks: "Tokens", i: int, in_quote: bool, sent_has_quote: bool,
                    word_part: dict[str, "WordKeys"], const: dict[str, float] | None = None) -> float:
        """Linear score of candidate ``i``: the same value as summing :func:`cue_features` weights, faster.

        What depends on the word alone (:meth:`word`: its summed weights and the fixed parts of its
        pair features' names) is made once per word and kept in ``word_part``, so each pair feature
        costs one string join and one look-up. The terms are added in the same order as always, so
        the score is the same to the last bit. The True/False features come from ``const``
        (:meth:`constant_weights`).
        """
        g = self.weights.get
        c = const if const is not None else self.constant_weights()
        lows = toks.lows
        texts = toks.texts
        n = len(lows)
        w = lows[i]
        k = word_part.get(w)
        if k is None:
            k = word_part[w] = self.word(w)
        p1 = lows[i - 1] if i >= 1 else "<s>"
        p2 = lows[i - 2] if i >= 2 else "<s>"
        n1 = lows[i + 1] if i + 1 < n else "</s>"
        n2 = lows[i + 2] if i + 2 < n else "</s>"
        s_p1 = _shape(texts[i - 1]) if i >= 1 else "<s>"
        s_n1 = _shape(texts[i + 1]) if i + 1 < n else "</s>"
        inq = "True" if in_quote else "False"
        qb = "False" if _QUOTE_CHARS.isdisjoint(texts[max(0, i - 3):i]) else "True"
        qa = "False" if _QUOTE_CHARS.isdisjoint(texts[i + 1:i + 4]) else "True"
        return (k.base + g("p1=" + p1, 0.0) + g("p2=" + p2, 0.0) + g("n1=" + n1, 0.0) + g("n2=" + n2, 0.0)
                + g(k.w_n1 + n1, 0.0) + g("p1|w=" + p1 + k.p1_w, 0.0)
                + g("sp1=" + s_p1, 0.0) + g("sn1=" + s_n1, 0.0) + g(k.w_sp1 + s_p1, 0.0)
                + g(k.w_sn1 + s_n1, 0.0)
                + c["cap=True" if texts[i][:1].isupper() else "cap=False"]
                + c["inq=" + inq] + c["hasq=True" if sent_has_quote else "hasq=False"]
                + k.w_inq[inq]
                + c["first=True" if i == 0 else "first=False"]
                + c["last=True" if i >= n - 2 else "last=False"]
                + g("p1|n1=" + p1 + "|" + n1, 0.0) + g(k.stem_sn1 + s_n1, 0.0)
                + c["qb=" + qb] + c["qa=" + qa])


class WordKeys(NamedTuple):
    """What the cue score of one candidate word reads from the word alone (see :meth:`CueModel.word`)."""

    base: float  # bias + word + suffix + stem weights
    w_n1: str  # "w|n1=<word>|", completed by the next word
    p1_w: str  # "|<word>", completing "p1|w=<previous word>"
    w_sp1: str  # "w|sp1=<word>|", completed by the previous token's shape
    w_sn1: str  # "w|sn1=<word>|", completed by the next token's shape
    w_inq: dict[str, float]  # "w|inq" weight by "True"/"False"
    stem_sn1: str  # "stem|sn1=<stem>|", completed by the next token's shape


@lru_cache(maxsize=1)
def cue_model() -> CueModel:
    """The shipped cue model (loaded once)."""
    return CueModel.load(MODEL_PATH)


@lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    """Word lists used to find sources, loaded once."""
    return {
        "skip": frozenset(load_lexicon("source_skip_words")),
        "bound": frozenset(load_lexicon("np_boundaries")),
        "pron": frozenset(line.split("\t")[0] for line in load_lexicon("pronouns")),
        "abbr": frozenset(load_lexicon("abbreviations")) | frozenset(load_lexicon("ambiguous_abbreviations")),
        "invert": frozenset(load_lexicon("inversion_cues")),
        "docs": frozenset(load_lexicon("document_nouns")),
        "people": frozenset(e.lower() for name in ("group_nouns", "anonymous_nouns", "person_roles")
                            for e in load_lexicon(name)),
    }


_TIME_NOUNS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "week",
                         "night", "morning", "afternoon", "evening", "year", "month", "today", "yesterday",
                         "tonight", "weekend", "day", "time", "january", "february", "march", "april", "june",
                         "july", "august", "september", "october", "november", "december"})
_TIME_MODIFIERS = frozenset({"on", "last", "this", "past", "next", "early", "late", "earlier", "later", "in", "at",
                             "that", "the", "same", "previous", "recent", "each", "every"})
_EXPLETIVE_CUES = frozenset({"appears", "appear", "appeared", "seems", "seem", "seemed", "assumed", "believed",
                             "expected", "thought", "known", "said", "reported", "understood", "rumored"})


def _skippable(toks: Tokens, j: int, skip: frozenset[str]) -> bool:
    """Whether token ``j`` may stand between a source and its cue: an auxiliary or an adverb ("then loudly")."""
    text = toks.texts[j]
    if text[:1].isupper():
        return False  # "Will wrote": a name, not the auxiliary
    low = toks.lows[j]
    return low in skip or (low.endswith("ly") and len(low) > 4 and low.isalpha())


# A source is never more than a few adverbs and auxiliaries from its cue ("Kirby also has repeatedly said");
# the bound keeps a long run of them linear.
_MAX_SKIP = 6
_MAKE = frozenset({"made", "make", "makes", "making"})
_BE = frozenset({"is", "was", "were", "are", "been", "being", "be", "'s", "’s"})
_OBJECT_PRONOUNS = frozenset({"him", "her", "them", "me", "us", "it", "you"})


def find_source(toks: Tokens, first: int, last: int, depth: int = 0) -> tuple[int, int] | None:
    """Token range of the source of the cue at tokens ``first..last``, or None.

    In order: "according to X"; a passive cue takes its "by X" agent only ("was
    reported by X"); the noun phrase before the cue; an inverted source after a
    speech verb that follows a quote, a comma or the sentence start ("..., said
    Kirby"); for a participle after a comma ("..., adding that") the sentence's
    opening name or pronoun.
    """
    w = _words()
    if toks.lows[first] == "according":
        return source_right(toks, last)
    j = first - 1
    passive = False
    while j >= 0 and first - j <= _MAX_SKIP and _skippable(toks, j, w["skip"]):
        if toks.lows[j] in _BE and toks.lows[last].endswith(("ed", "told", "said", "thought", "known", "seen",
                                                               "shown", "heard", "written")):
            passive = True
        j -= 1
    if passive:
        if last + 1 < len(toks) and toks.lows[last + 1] == "by":
            return source_right(toks, last + 1)
        return None
    if last + 1 < len(toks) and toks.lows[last + 1] == "by" and toks.lows[last].endswith("ed"):
        return source_right(toks, last + 1)  # "As reported by Western Journalism", "Those listed by Walsh"
    left = source_left(toks, first)
    if left is not None:
        if left[0] == left[1] and toks.lows[left[0]] in ("it", "it’s", "it's") and toks.lows[first] in _EXPLETIVE_CUES:
            return None  # "it appears that", "it's assumed": no one is the source
        if (left[0] == left[1] and toks.lows[left[0]] == "it" and left[0] >= 1
                and toks.lows[left[0] - 1] in _MAKE and depth == 0):
            return find_source(toks, left[0] - 1, left[0] - 1, depth + 1)  # "Davis made it clear"
        return left
    before = toks.texts[j] if j >= 0 else ""
    if toks.lows[first] in w["invert"] and (j < 0 or _is_punct(before)):
        right = source_right(toks, last)
        if right and not (right[0] == right[1] and toks.lows[right[0]] in _OBJECT_PRONOUNS):
            return right
        return None
    if (toks.lows[first].endswith("ing") and before in _CLOSING_QUOTES and j >= 1 and toks.texts[j - 1] == ","
            and depth == 0):
        # '“...,” she said, “...,” adding': the speaker of the last speech verb outside quotes, else the subject
        speech = _speech_verb_before(toks, j - 1, w["invert"])
        found = find_source(toks, speech, speech, depth + 1) if speech is not None else None
        return found if found is not None else _opening_subject(toks, first)
    if toks.lows[first].endswith("ing") and before == ",":
        if j >= 1 and toks.lows[j - 1] in w["invert"] and depth == 0:
            return find_source(toks, j - 1, j - 1, depth + 1)  # "..., Jacobs said, adding that"
        # "The new assessment, citing intelligence reports, builds on ..."
        if j >= 1 and not _is_punct(toks.texts[j - 1]):
            start = _np_left(toks, j - 1)
            if (start >= 2 and toks.lows[start - 1] in w["invert"] and not _is_punct(toks.texts[start - 2])
                    and depth == 0):
                return find_source(toks, start - 1, start - 1, depth + 1)  # "Gingrich told O’Reilly, noting"
            if start == 0 or (toks.texts[start][:1].isupper() and start >= 1
                              and toks.lows[start - 1] in w["invert"]):
                return (start, j - 1)  # "..., said strategist Al Cardenas, referring to Trump"
        return _opening_subject(toks, first)
    if first == 0 and toks.lows[first].endswith("ing"):
        return _subject_after_comma(toks, last)  # "Noting that ..., Trump reminded ..."
    if (_verb_like(toks.lows[first]) or (j >= 0 and toks.lows[j] in _NOUN_CUE_DETERMINERS | {"to"})):
        # a verb cue ("Cruz sought to convey"), or a noun cue in "X said in a statement"
        return _clause_subject(toks, first)
    return None


_NOUN_MODIFIERS = frozenset({"previous", "earlier", "recent", "prior", "initial", "new", "latest", "past", "later",
                             "first", "early", "several", "multiple", "other"})
_NOUN_CUE_DETERMINERS = frozenset({"a", "an", "the", "his", "her", "their", "its", "our", "my", "no"})


_CLAUSE_OPENERS = frozenset({"and", "but", "while", "as", "because", "although", "though", "since", "when",
                             "after", "before", "so", "yet", "whereas", "if", "that", "then"})
_INTRO_WORDS = frozenset({"in", "on", "at", "after", "before", "during", "instead", "still", "however", "meanwhile",
                          "now", "later", "earlier", "yet", "but", "and", "so", "also", "then", "since", "with",
                          "without", "for", "despite", "under", "over", "as", "when", "while", "last", "this",
                          "based", "according", "speaking", "asked", "citing"})


@lru_cache(maxsize=1)
def _reporting_verbs() -> frozenset[str]:
    return frozenset(load_lexicon("reporting_verbs"))


def _verb_like(word: str) -> bool:
    """Whether a cue word reads as a verb (so its subject is the clause's subject)."""
    return word.endswith(("ed", "ing", "es")) or word in _reporting_verbs()


def _np_right(toks: Tokens, i: int, limit: int) -> tuple[int, int] | None:
    """A subject-like noun phrase starting at token ``i``: a pronoun, or a name or description up to its verb."""
    w = _words()
    if i >= limit or _is_punct(toks.texts[i]):
        return None
    if toks.lows[i] in w["pron"] and toks.lows[i] not in ("that", "which", "it", "this"):
        return (i, i)
    described = toks.lows[i] in _DETERMINERS  # "The abrupt announcement", "His campaign"
    if not toks.texts[i][:1].isupper() and not described:
        return None
    j = i
    while j + 1 < limit and j - i < 8:
        nxt, low = toks.texts[j + 1], toks.lows[j + 1]
        if nxt == "." and (toks.texts[j] in w["abbr"] or len(toks.texts[j]) == 1):
            j += 1
            continue
        if nxt[:1].isupper() or low in ("’s", "'s") or (described and low.isalpha() and low not in w["skip"]
                                                         and low not in w["bound"]
                                                         and not low.endswith(("ed", "es"))):
            j += 1
            continue
        break
    return (i, j)


_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "his", "her", "their", "its",
                          "our", "my", "your", "one", "two", "three", "several", "some", "many", "most",
                          "another", "both", "each", "every"})


def _subject_after_comma(toks: Tokens, last: int) -> tuple[int, int] | None:
    """After a sentence-opening participle clause, the subject that follows its comma."""
    for k in range(last + 1, min(len(toks), last + 40)):
        if toks.texts[k] == ",":
            k += 1
            while k < len(toks) and toks.texts[k] in _QUOTE_CHARS:
                k += 1  # '..., job,” Will urged'
            return _np_right(toks, k, len(toks))
    return None


def _clause_subject(toks: Tokens, first: int, depth: int = 0) -> tuple[int, int] | None:
    """The subject of the clause holding a verb cue ("D’Souza went on to explain", "Clinton ... and explained")."""
    k = first - 1
    while k >= 0 and not (_is_punct(toks.texts[k]) and toks.texts[k] not in ("’s", "'s", "-", ".")) \
            and toks.lows[k] not in _CLAUSE_OPENERS:
        k -= 1
    start = k + 1
    if start == 0:
        return _main_subject(toks, first)
    if toks.lows[k] in ("and", "but", "then", "yet", "or") or (
            toks.texts[k] in (",", "—", "–", ")") and start < first and toks.lows[start] in ("and", "but", "then")):
        # coordinated verbs share the first clause's subject: "Schlafly discussed ... and explained"
        found = _np_right(toks, start, first)
        if found is not None and (toks.texts[start][:1].isupper() or toks.lows[start] in _words()["pron"]):
            return found
        return _main_subject(toks, k)
    return _np_right(toks, start, first)


def _main_subject(toks: Tokens, limit: int) -> tuple[int, int] | None:
    """The subject opening the sentence, after an introductory phrase ending with a comma, if any."""
    start = 0
    if toks.lows[0] in _INTRO_WORDS or _QUOTE_CHARS.issuperset(toks.texts[:1]) or _time_intro(toks, limit):
        for c in range(1, limit):
            if toks.texts[c] == ",":
                start = c + 1
                break
        else:
            return None
        for _ in range(2):  # a second introductory phrase: "On Thursday, after remaining neutral ..., Warren"
            if start >= limit or toks.lows[start] not in _INTRO_WORDS or toks.texts[start][:1].isupper():
                break
            nxt = next((c for c in range(start + 1, min(limit, start + 30)) if toks.texts[c] == ","), None)
            if nxt is None:
                break
            start = nxt + 1
    while start < limit and toks.texts[start] in _QUOTE_CHARS:
        start += 1
    return _np_right(toks, start, limit)


_CLOSING_QUOTES = frozenset({"”", '"', "’", "»"})


def _speech_verb_before(toks: Tokens, j: int, verbs: frozenset[str]) -> int | None:
    """The last speech verb before token ``j`` that stands outside quotation marks, if any."""
    inside = False
    for k in range(j - 1, max(-1, j - 80), -1):
        t = toks.texts[k]
        if t in ("”", "»"):
            inside = True
        elif t in ("“", "«"):
            inside = False
        elif t == '"':
            inside = not inside
        elif not inside and toks.lows[k] in verbs:
            return k
    return None


def _opening_subject(toks: Tokens, limit: int) -> tuple[int, int] | None:
    """The subject of the sentence for a trailing participle: after an introductory phrase if one
    opens it ("Earlier this week, Todd pressed ..., insisting"), else its opening name or pronoun."""
    if toks.lows[0] in _INTRO_WORDS or _time_intro(toks, limit):
        return _main_subject(toks, limit)
    found = _sentence_subject(toks, limit)
    if found is None and not _QUOTE_CHARS.issuperset(toks.texts[:1]):
        found = _main_subject(toks, limit)  # "The GOP nominee has staked ..., portraying"
    return found


def _time_intro(toks: Tokens, limit: int) -> bool:
    """Whether the sentence opens with a short time phrase and a comma ("Eight years ago, he ...")."""
    for c in range(1, min(limit, 7)):
        if toks.texts[c] == ",":
            return any(low in _TIME_NOUNS or low in ("ago", "years", "months", "weeks", "days")
                       for low in toks.lows[:c])
        if _is_punct(toks.texts[c]):
            return False
    return False


def _sentence_subject(toks: Tokens, limit: int) -> tuple[int, int] | None:
    """The name or pronoun opening the sentence ("Romney fired back, attacking ...")."""
    w = _words()
    if limit == 0:
        return None
    if toks.lows[0] in w["pron"] and toks.lows[0] not in ("that", "which", "this", "it"):
        return (0, 0)
    j = 0
    while j < limit and (toks.texts[j][:1].isupper() or toks.texts[j] in (".", "’s", "'s")) and j < 8:
        j += 1
    if j == 0 or toks.lows[0] in ("the", "a", "an", "in", "on", "at", "after", "but", "and", "when", "as"):
        return None
    return (0, j - 1)


_RIGHT_STOP = frozenset({"that", "which", "who", "when", "while", "because", "but", "as", "after", "before",
                         "and", "on", "in", "at", "about", "to", "of", "for", "with", "last", "this"})
_TIME_WORDS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                         "today", "yesterday", "tonight", "recently", "earlier", "later", "again", "also",
                         "then", "now", "previously", "publicly", "privately", "repeatedly", "once"})


def _in_spans(pos: int, starts: list[int], spans: list[Span]) -> bool:
    k = bisect.bisect_right(starts, pos) - 1
    return k >= 0 and spans[k].start <= pos < spans[k].end


def find_cues(analysis: Analysis) -> list[tuple[int, Tokens, int, int]]:
    """Cue token runs as (sentence index, sentence tokens, first token, last token).

    Positive tokens next to each other, or separated only by up to three joiner
    words ("said in a statement", "went on to say"), form one cue.
    """
    model = cue_model()
    q_spans = [q.inner for q in analysis.quotes]
    q_starts = [s.start for s in q_spans]
    out = []
    candidates = model.candidates
    cut = model.logit_threshold
    word_part = model.word_keys  # kept across articles: one entry per candidate word at most
    const = model.constant_weights()
    joiners = _joiners()
    for si, toks in enumerate(sentence_tokens(analysis)):
        hits = [i for i, w in enumerate(toks.lows) if w in candidates]
        if not hits:
            continue
        sent = analysis.sentences[si]
        has_q = any(q.span.overlaps(sent) for q in _quotes_near(analysis.quotes, q_starts, sent))
        positive = [i for i in hits
                    if model.token_logit(toks, i, _in_spans(toks.starts[i], q_starts, q_spans), has_q,
                                         word_part, const) >= cut]
        run_start = None
        for k, i in enumerate(positive):
            if run_start is None:
                run_start = i
            if k + 1 < len(positive) and _joined(toks, i, positive[k + 1], joiners):
                continue
            end = i + 1 if toks.lows[i] == "according" and i + 1 < len(toks) and toks.lows[i + 1] == "to" else i
            out.append((si, toks, run_start, end))
            run_start = None
    return out


@lru_cache(maxsize=1)
def _joiners() -> frozenset[str]:
    """Words that may join two cue tokens into one cue ("said in a statement", "went on to say")."""
    return frozenset(load_lexicon("cue_joiners"))


def _joined(toks: Tokens, i: int, j: int, joiners: frozenset[str]) -> bool:
    """Whether cue tokens ``i`` < ``j`` belong to one cue: adjacent, or separated by at most three joiners."""
    return j == i + 1 or (j - i <= 4 and all(toks.lows[k] in joiners for k in range(i + 1, j)))


def _quotes_near(quotes: list[Quote], q_starts: list[int], sent: Span) -> list[Quote]:
    k = max(0, bisect.bisect_right(q_starts, sent.start) - 1)
    res = []
    while k < len(quotes) and quotes[k].span.start < sent.end:
        res.append(quotes[k])
        k += 1
    return res


def _is_punct(tok: str) -> bool:
    return not (tok[:1].isalnum() or tok[:1] == "_")


_PARTICIPLES = frozenset({"briefed", "familiar", "close", "involved", "knowledgeable", "speaking", "working",
                          "based", "informed", "sympathetic", "loyal", "opposed", "allied", "aligned", "tied"})


_DOCUMENT_LINKS = frozenset({"by", "in", "from", "for", "of"})
_PERSON_LINKS = frozenset({"to", "for", "of", "at"})
_POSSESSIVES = frozenset({"his", "her", "their", "its", "our", "my", "your"})


def _np_left(toks: Tokens, j: int) -> int:
    """First token of the noun phrase that ends at token ``j`` (walking left to a clause boundary)."""
    w = _words()
    k = j
    while k - 1 >= 0 and j - k < 14:
        prev = toks.texts[k - 1]
        low = toks.lows[k - 1]
        if prev == "." and k - 2 >= 0 and (toks.texts[k - 2] in w["abbr"] or len(toks.texts[k - 2]) == 1):
            k -= 1
            continue
        if prev in ("’s", "'s", "-", "&") or low in ("’s", "'s"):
            k -= 1
            continue
        if low in w["bound"] and k - 2 >= 0 and toks.lows[k - 2] in _PARTICIPLES:
            k -= 1  # "an official briefed on the talks", "people familiar with the matter"
            continue
        if low in _DOCUMENT_LINKS and any(t in w["docs"] for t in toks.lows[max(0, k - 4):k - 1]):
            k -= 1  # "a 2014 study by Harvard", "an analysis released by the department", "polls in Ohio"
            continue
        if low in _PERSON_LINKS and k - 2 >= 0 and toks.lows[k - 2] in w["people"]:
            k -= 1  # "advisers to Mr. Obama", "a spokesman for the ministry"
            continue
        if prev == "/" and k - 2 >= 0 and toks.texts[k - 2][:1].isupper():
            k -= 1  # "Reuters/Ipsos"
            continue
        if _is_punct(prev) or (low in w["bound"] and low != "and"):
            break
        if low == "and" and not (toks.texts[k][:1].isupper() or toks.lows[k] in ("other", "allied", "western")):
            break
        k -= 1
    return k


def _skip_parenthesis(toks: Tokens, j: int) -> int:
    """Token index before a parenthesis closing at ``j`` ("Kasich (who has 25 delegates) said"), else ``j``."""
    if j < 0 or toks.texts[j] != ")":
        return j
    k = j - 1
    while k >= 0 and toks.texts[k] != "(" and j - k < 25:
        k -= 1
    return k - 1 if k > 0 and toks.texts[k] == "(" else j


def _skip_time(toks: Tokens, j: int, skip: frozenset[str]) -> int:
    """Token index before a time phrase ending at ``j`` ("on Tuesday", "this past week"), else ``j``.

    -1 when nothing but the time phrase (and auxiliaries) precedes.
    """
    if j < 0 or toks.lows[j] not in _TIME_NOUNS:
        return j
    k = j
    while k >= 0 and j - k <= _MAX_SKIP and (toks.lows[k] in _TIME_NOUNS or toks.lows[k] in _TIME_MODIFIERS):
        k -= 1
    if k < j and toks.lows[k + 1] in _TIME_MODIFIERS | {"on", "in", "at"}:
        j = k
        while j >= 0 and k - j <= _MAX_SKIP and _skippable(toks, j, skip):
            j -= 1
    return j


def source_left(toks: Tokens, first: int) -> tuple[int, int] | None:
    """Token range of the source noun phrase ending just before the cue, if any.

    Skips adverbs and auxiliaries ("Kirby also said") and an appositive or
    parenthetical between commas ("X, a spokesman for Y, said").
    """
    w = _words()
    appositive_end: int | None = None
    j = first - 1
    while j >= 0 and first - j <= _MAX_SKIP and _skippable(toks, j, w["skip"]):
        j -= 1
    if j < 0:
        return None
    j = _skip_parenthesis(toks, j)  # "Kasich (who has 25 delegates to date) said"
    j = _skip_time(toks, j, w["skip"])  # "Priebus, the GOP chairman, this past week announced"
    if j < 0:
        return None
    if toks.texts[j] in (",", "—", "–") and j >= 2:
        # "X, a spokesman for Y, said" / "The official, citing intercepts, said"
        k = j - 1
        while k >= 0 and toks.texts[k] not in (",", "—", "–", "“", "”", '"', ";", ":", "(", ")") and j - k < 30:
            k -= 1
            if k >= 0 and toks.texts[k] == ")":
                k = _skip_parenthesis(toks, k)  # "Jeff Bechdel, chairman of America Rising (a PAC), tweeted"
        if (0 < k < j - 1 and toks.texts[k] == toks.texts[j] and toks.lows[k + 1] not in ("and", "but", "or")
                and (not _is_punct(toks.texts[k - 1]) or toks.texts[k - 1] == ")")
                and (toks.lows[k + 1] in ("who", "which", "whose") or _SPEECH_OR_FINITE.isdisjoint(toks.lows[k + 1:j]))):
            if not toks.lows[k + 1].endswith("ing") and toks.lows[k - 1] not in w["pron"]:
                appositive_end = j  # the source takes its appositive: "Michael Mulgrew, president of X,"
            j = _skip_parenthesis(toks, k - 1)  # "Rep. Jim Jordan (R-Ohio), an oversight panel member, said"
            if j >= 2 and toks.texts[j][:1].isdigit() and toks.texts[j - 1] == "," and not _is_punct(toks.texts[j - 2]):
                j -= 2  # an age: "Schiff, 56, who has served ..., told"
        else:
            return None
    j = _skip_time(toks, j, w["skip"])
    if j < 0:
        return None
    if toks.lows[j] in ("the", "a", "an", "this", "his", "her", "their", "its", "our", "my", "your", "no"):
        return None  # the cue is a noun inside a noun phrase ("in a statement", "the column", "left no doubt")
    if toks.lows[j] in w["pron"]:
        return (j, j)
    if _is_punct(toks.texts[j]) or toks.lows[j] in w["bound"]:
        return None
    start = _np_left(toks, j)
    verb = _verb_inside(toks, start, j)
    if verb is not None:
        # "Trump sent a typical campaign jab": the walk crossed a verb, so the source is its subject
        return (_np_left(toks, verb - 1), verb - 1)
    return (start, appositive_end if appositive_end is not None else j)


# words that make a comma-bounded stretch a clause rather than an appositive ("X, even a strategist said Y, argued")
_SPEECH_OR_FINITE = frozenset({"said", "says", "told", "is", "was", "were", "are", "has", "have", "had", "will",
                               "would", "did", "does"})
_LIGHT_VERBS = frozenset({"sent", "made", "gave", "took", "started", "issued", "offered", "launched", "released",
                          "posted", "wrote", "had", "has", "have", "makes", "gives", "takes", "sends", "issues",
                          "offers", "launches", "releases", "posts", "writes", "got", "gets", "put", "puts"})


def _verb_inside(toks: Tokens, start: int, j: int) -> int | None:
    """A lower-case verb between ``start`` and ``j`` right after a name or pronoun ("Trump sent a ..."), if any."""
    pron = _words()["pron"]
    for v in range(start + 1, j):
        low = toks.lows[v]
        if toks.texts[v][:1].islower() and (low in _LIGHT_VERBS or (low.endswith("ed") and len(low) > 4)
                                             or low in _reporting_verbs()):
            prev = toks.texts[v - 1]
            if prev[:1].isupper() or toks.lows[v - 1] in pron:
                return v
    return None


def source_right(toks: Tokens, last: int) -> tuple[int, int] | None:
    """Token range of a source after the cue ("said Kirby", "according to the ministry")."""
    w = _words()
    i = last + 1
    if i < len(toks) and toks.lows[last] == "according" and toks.lows[i] == "to":
        i += 1
    elif i < len(toks) and toks.lows[i] == "to" and toks.lows[last] == "according":
        i += 1
    if i >= len(toks) or _is_punct(toks.texts[i]) or toks.lows[i] in _RIGHT_STOP - {"the"}:
        return None
    if toks.lows[i] in w["pron"] and toks.lows[i] not in ("who", "which", "that"):
        if not (toks.lows[i] in _POSSESSIVES and i + 1 < len(toks) and toks.texts[i + 1][:1].isalpha()):
            return (i, i)  # but "according to her account" is the account
    j = i
    while j + 1 < len(toks) and j - i < 12:
        nxt = toks.texts[j + 1]
        low = toks.lows[j + 1]
        if nxt == "." and (toks.texts[j] in w["abbr"] or len(toks.texts[j]) == 1) and j + 2 < len(toks):
            j += 1
            continue
        if _is_punct(nxt) and nxt not in ("’s", "'s", "-", "&"):
            break
        if low in ("who", "which", "that", "when", "while", "because", "but", "as", "after", "before",
                   "on", "in", "at", "about", "to", "during", "last", "this", "said", "says", "told"):
            break
        if low in _TIME_WORDS:
            break
        j += 1
    return (i, j)


def _quote_after(quotes: list[Quote], q_starts: list[int], pos: int, limit: int) -> Quote | None:
    k = bisect.bisect_left(q_starts, pos)
    if k < len(quotes) and quotes[k].span.start <= limit:
        return quotes[k]
    return None


def _quote_before(quotes: list[Quote], q_starts: list[int], pos: int, limit: int) -> Quote | None:
    k = bisect.bisect_right(q_starts, pos) - 1
    while k >= 0:
        q = quotes[k]
        if q.span.end <= pos:
            return q if q.span.end >= limit else None
        k -= 1
    return None


def _clause_after(text: str, toks: Tokens, last: int, sent: Span) -> Span | None:
    i = last + 1
    while i < len(toks) and (toks.lows[i] in ("that", ",", ":", "to", "of") or toks.lows[i] in _TIME_WORDS):
        i += 1
    if i >= len(toks):
        return None
    end = sent.end
    while end > toks.starts[i] and text[end - 1] in ".!?\"”’ ":
        end -= 1
    return Span(toks.starts[i], end) if end > toks.starts[i] else None


def _clause_before(text: str, toks: Tokens, src_first: int, sent: Span) -> Span | None:
    j = src_first - 1
    while j >= 0 and toks.texts[j] in (",", "—", "–", "-", ":"):
        j -= 1
    if j < 0:
        return None
    end = toks.ends[j]
    start = sent.start
    return Span(start, end) if end > start else None


def _direct(content: Span | None, quotes: list[Quote], q_starts: list[int]) -> bool:
    if content is None or content.length == 0:
        return False
    covered = 0
    for q in _quotes_near(quotes, q_starts, content):
        lo, hi = max(q.span.start, content.start), min(q.span.end, content.end)
        covered += max(0, hi - lo)
    return covered >= 0.5 * content.length


#: Which layer decides each part (see docs/signals.md, "Attribution": measured on a held-out share of train).
LAYERS = {"cue": "lr", "source": "crf_then_rule", "content": "crf_then_rule"}


#: Tokens before and after a cue that the CRF decodes, or None for its whole sentence. Whole sentences
#: are kept: a (10, 6) window costs exact source F1 (0.697 -> 0.662 on a held-out share of train) and
#: saves only a few percent of ``analyse`` time (features and the batched Viterbi cost per call, not per token).
CRF_WINDOW: tuple[int, int] | None = None


def crf_spans(analysis: Analysis, cues: dict[int, list[tuple[int, int]]] | None = None
              ) -> list[dict[str, list[tuple[int, int]]]]:
    """Per sentence, the CRF's token spans by kind ("CUE", "SRC", "CNT") as (first, last) token indices.

    Features are always computed on whole sentences. With ``cues`` (sentence index ->
    cue token runs), only those sentences are tagged and Viterbi runs only on a window
    of :data:`CRF_WINDOW` tokens around each cue (windows that touch are merged): the
    CRF is needed only near a cue, and the short windows keep ``analyse`` fast.
    """
    import numpy as np  # the CRF's decoder; kept out of `import scorer` (the command line starts faster)

    from scorer.signals import attribution_crf as crf

    per_sentence = sentence_tokens(analysis)
    chosen = [si for si in range(len(per_sentence)) if (cues is None or si in cues) and len(per_sentence[si])]
    out: list[dict[str, list[tuple[int, int]]]] = [{} for _ in per_sentence]
    if not chosen:
        return out
    flat = crf.flatten([per_sentence[si] for si in chosen], [(q.inner.start, q.inner.end) for q in analysis.quotes])
    model = crf.crf_model()
    em = model.emissions(flat)
    segments: list[tuple[int, int, int]] = []  # (sentence index, first token, one past last token)
    for si in chosen:
        m = len(per_sentence[si])
        if cues is None or CRF_WINDOW is None:
            segments.append((si, 0, m))
        else:
            before, after = CRF_WINDOW
            for a, b in sorted(cues[si]):
                lo, hi = max(0, a - before), min(m, b + after + 1)
                if segments and segments[-1][0] == si and lo <= segments[-1][2]:
                    segments[-1] = (si, segments[-1][1], max(hi, segments[-1][2]))
                else:
                    segments.append((si, lo, hi))
    lens = np.array([hi - lo for _, lo, hi in segments])
    if cues is None or CRF_WINDOW is None:  # the segments are the flattened sentences themselves
        seg_start = flat.sent_start
        labels = model.decode(em, flat.sent_start, flat.sent_end)
    else:
        offsets = dict(zip(chosen, np.cumsum([0] + [len(per_sentence[si]) for si in chosen[:-1]]).tolist()))
        index = np.concatenate([np.arange(offsets[si] + lo, offsets[si] + hi) for si, lo, hi in segments])
        seg_start = np.repeat(np.cumsum(lens) - lens, lens)
        labels = model.decode(em[index], seg_start, seg_start + np.repeat(lens, lens))
    seg_of = np.repeat(np.arange(len(segments)), lens)
    for kind, a, b in crf.label_spans(model.labels, labels, seg_start == np.arange(len(labels))):
        si, lo, _ = segments[seg_of[a]]
        shift = lo - int(seg_start[a])
        out[si].setdefault(kind, []).append((a + shift, b + shift))
    return out


def _nearest(spans: list[tuple[int, int]], first: int, last: int,
             other_cues: list[tuple[int, int]] = (),  # type: ignore[assignment]
             starts: list[int] | None = None, cue_starts: list[int] | None = None) -> tuple[int, int] | None:
    """The span closest to tokens ``first..last`` (one before them wins a tie) with no other cue
    between them ("The Post reported that Iran agreed": "The Post" is not the source of "agreed"),
    or None.

    ``spans`` and ``other_cues`` are sorted and do not overlap each other, so only the nearest span
    on each side (or one overlapping the cue) can win, and one bisection tells whether a cue lies
    between. ``starts``/``cue_starts`` (the spans' and cues' first tokens) may be passed in, so a
    sentence with thousands of cues costs no more per cue than one with a few.
    """
    if starts is None:
        starts = [a for a, _ in spans]
    k = bisect.bisect_left(starts, first)
    candidates = []
    if k > 0:
        candidates.append(spans[k - 1])  # ends before the cue, or overlaps it
    if k < len(spans):
        candidates.append(spans[k])
    if cue_starts is None:
        cue_starts = [c0 for c0, _ in other_cues]
    best, best_d = None, 10**9
    for a, b in candidates:
        lo, hi = (b, first) if b < first else (last, a)
        if hi - lo > 1:
            j = bisect.bisect_right(cue_starts, lo)
            while j < len(other_cues) and other_cues[j][0] < hi:
                if other_cues[j] != (first, last) and other_cues[j][1] < hi:
                    break
                j += 1
            else:
                j = -1
            if j != -1:
                continue  # another cue stands between
        d = first - b if b < first else a - last if a > last else 0
        if d < best_d:
            best, best_d = (a, b), d
    return best


def _antecedent(toks: Tokens, rng: tuple[int, int] | None) -> tuple[int, int] | None:
    """A relative "that"/"which" is never a source: the noun phrase it follows is ("a report that says")."""
    if rng is None or rng[0] != rng[1] or toks.lows[rng[0]] not in ("that", "which"):
        return rng
    j = rng[0] - 1
    if j >= 0 and toks.texts[j] == ",":
        j -= 1
    if j < 0 or _is_punct(toks.texts[j]) or toks.lows[j] in _words()["bound"]:
        return None
    start = _np_left(toks, j)
    dets = [k for k in range(start, j) if toks.lows[k] in _NOUN_CUE_DETERMINERS]
    return (dets[-1] if dets else start, j)  # "It cited a new report that": from its determiner


def _cue_runs(analysis: Analysis,
              tags: list[dict[str, list[tuple[int, int]]]]) -> list[tuple[int, Tokens, int, int]]:
    """Cue token runs from the layer chosen in :data:`LAYERS` (CRF, logistic model, or their union)."""
    mode = LAYERS["cue"]
    if mode == "lr":
        return find_cues(analysis)
    per_sentence = sentence_tokens(analysis)
    runs = [(si, per_sentence[si], a, b) for si, found in enumerate(tags) for a, b in found.get("CUE", [])]
    if mode == "union":
        taken = {(si, i) for si, _, a, b in runs for i in range(a, b + 1)}
        runs += [r for r in find_cues(analysis) if not any((r[0], i) in taken for i in range(r[2], r[3] + 1))]
        runs.sort(key=lambda r: (r[0], r[2]))
    return runs


def raw_attributions(analysis: Analysis) -> list[Attribution]:
    """Attributions with spans but source_type still "none" (typing comes after)."""
    text = analysis.text
    quotes = analysis.quotes
    q_starts = [q.span.start for q in quotes]
    out: list[Attribution] = []
    if LAYERS["cue"] == "lr":
        runs = find_cues(analysis)
        by_sentence: dict[int, list[tuple[int, int]]] = {}
        for si, _, a, b in runs:
            by_sentence.setdefault(si, []).append((a, b))
        uses_crf = LAYERS["source"] != "rule" or LAYERS["content"] != "rule"
        tags = crf_spans(analysis, by_sentence) if uses_crf else [{} for _ in analysis.sentences]
    else:
        tags = crf_spans(analysis)
        runs = _cue_runs(analysis, tags)
    cue_runs: dict[int, list[tuple[int, int]]] = {}
    for si, _, a, b in runs:
        cue_runs.setdefault(si, []).append((a, b))
    starts_of: dict[int, dict[str, list[int]]] = {}
    for si, toks, first, last in runs:
        sent = analysis.sentences[si]
        cue = toks.span(first, last)
        according = toks.lows[first] == "according"
        rule_src = find_source(toks, first, last) if LAYERS["source"] != "crf" else None
        if si not in starts_of:
            starts_of[si] = {kind: [a for a, _ in spans] for kind, spans in tags[si].items()}
            starts_of[si]["cues"] = [a for a, _ in cue_runs.get(si, [])]
        crf_src = (_nearest(tags[si].get("SRC", []), first, last, cue_runs.get(si, []),
                            starts_of[si].get("SRC", []), starts_of[si]["cues"])
                   if LAYERS["source"] != "rule" else None)

        src_rng = crf_src or rule_src if LAYERS["source"] in ("crf", "crf_then_rule") else rule_src or crf_src
        src_rng = _antecedent(toks, src_rng)
        if src_rng and src_rng[1] == first - 1 and toks.lows[src_rng[0]] in _NOUN_MODIFIERS \
                and toks.lows[first].endswith("s") and first == last:
            src_rng = None  # "previous U.S. reports": the modifiers of a noun cue are not its source
        source = toks.span(*src_rng) if src_rng else None
        crf_cnt = (_nearest(tags[si].get("CNT", []), first, last, starts=starts_of[si].get("CNT", []))
                   if LAYERS["content"] != "rule" else None)
        if crf_cnt is not None:
            a, b = crf_cnt
            while a < b and toks.texts[a] in _QUOTE_CHARS:
                a += 1  # content is the quotation's inside, as for the rule layer
            while b > a and toks.texts[b] in _QUOTE_CHARS:
                b -= 1
            content_span = toks.span(a, b)
            out.append(Attribution(cue=cue, source=source, content=content_span, source_type="none",
                                   direct=_direct(content_span, quotes, q_starts), sentence=sent))
            continue
        # content: adjoining quotation first, else the clause after or before
        content: Span | None = None
        q = _quote_after(quotes, q_starts, cue.end, cue.end + 12)
        if q is not None and q.span.start < sent.end + 2:
            content = q.inner
        else:
            anchor = min(cue.start, source.start) if source else cue.start
            qb = _quote_before(quotes, q_starts, anchor, anchor - 4)
            if qb is not None and (qb.span.end > sent.start
                                   or ("\n" not in text[qb.span.end:sent.start] and first <= 6)):
                content = qb.inner  # the quote ends this sentence's opening, or just before it on the same line
        if content is None:
            if according and src_rng:
                content = (_clause_before(text, toks, first, sent) if first > 1
                           else _clause_after(text, toks, src_rng[1], sent))
            else:
                after_from = src_rng[1] if (src_rng and src_rng[0] > last) else last
                content = _clause_after(text, toks, after_from, sent)
                if content is None:
                    anchor_tok = src_rng[0] if (src_rng and src_rng[0] < first) else first
                    content = _clause_before(text, toks, anchor_tok, sent)
        out.append(Attribution(cue=cue, source=source, content=content, source_type="none",
                               direct=_direct(content, quotes, q_starts), sentence=sent))
    return out
