"""Newsgathering versus aggregation: did the outlet gather the news itself, or pass on others' reports?

Two families of statements, found by the patterns in
``scorer/data/lexicons/newsgathering.tsv``:

* **gathered**: a source told *this* outlet, an interview, an email or a call,
  a right of reply ("declined to comment", "did not respond to a request for
  comment"), documents obtained or reviewed, a dateline, contributor lines;
* **relayed**: another outlet's reporting passed on ("<outlet> reported",
  "according to a report in", "as first reported by", "media reports"), and
  the credit lines the origin signal found.

"Told Reuters" is the outlet's own reporting in a Reuters story and a relayed
report anywhere else, so statements naming an outlet are judged against the
article's own outlet (its metadata, or the wire or outlet it says its text came
from); with neither known, they count as gathered.

Directions (docs/signals.md): crediting another outlet is transparency, never a
fault, so relaying has no weight of its own; what lowers trust is an article
made only of others' reporting, with nothing gathered itself.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from scorer.analysis import Analysis
from scorer.segment import LEXICON_DIR, load_lexicon
from scorer.signals.origin import DERIVING_KINDS, outlet_names
from scorer.signals.prefilter import CASE_TWINS, literal_run
from scorer.signals.spec import Evidence, FeatureSpec, Signal, evidence_at, sentence_of, short
from scorer.spans import Span

PATTERNS_PATH = LEXICON_DIR / "newsgathering.tsv"
FAMILIES = ("gathered", "relayed")
#: Words by which an article names itself ("told this newspaper").
SELF_REFERENCES = ("this newspaper", "this news organization", "this news organisation", "this publication",
                   "this reporter", "this website", "this magazine", "this outlet", "this station", "this paper")
#: Origin-statement kinds that credit another outlet's text (found by the origin signal).
_CREDIT_KINDS = frozenset({"originally_appeared", "credits", "citation", "aggregator"})


@dataclass(frozen=True)
class Reporting:
    """A statement of how the news was obtained: ``kind`` (right_of_reply, outlet_report...) in ``family``."""

    span: Span
    sentence: Span
    kind: str
    family: str  # "gathered" or "relayed"
    outlet: str | None = None  # the outlet the statement names, as written


def trie_regex(words: list[str]) -> str:
    """One regex matching exactly ``words``, written as a prefix tree ("new york(?:er| times)").

    The regex engine tries an alternation's branches one by one at every
    position; sharing prefixes lets it give up after one character at most
    positions (several times faster for a few hundred outlet names). Longer
    words win over their prefixes, as in a longest-first alternation. A space
    matches any run of white space.
    """
    return _emit(_ordered_trie(tuple(words)), "", None)


Trie = dict[str, "Trie"]


@lru_cache(maxsize=4)
def _ordered_trie(words: tuple[str, ...]) -> Trie:
    """The prefix tree of ``words`` with each node's children in the order the regex tries them.

    Deeper branches come first (longer words win), ties in the order the
    words are given; a word ending at a node ("" key) comes last. Depths are
    computed once, bottom up, so building it is linear in the words' length.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _order(trie)[0]


def _order(node: dict) -> tuple[Trie, int]:
    """(``node`` with its children reordered as :func:`_ordered_trie` says, its depth)."""
    children = [(ch, *_order(child)) for ch, child in node.items() if ch]
    children.sort(key=lambda c: -c[2])  # stable: ties keep the order the words came in
    out: Trie = {ch: child for ch, child, _ in children}
    if "" in node:
        out[""] = {}
    return out, 1 + max((depth for _, _, depth in children), default=1 if "" in node else 0)


def _emit(node: Trie, prefix: str, keep: frozenset[str] | None) -> str:
    """The regex of the words below ``node`` (reached by ``prefix``); with ``keep``, only the prefixes it holds.

    Leaving out words that cannot occur in a text changes no match in it:
    the engine tries the remaining branches in the same order, and a left-out
    branch could only have failed. None of them left: a branch that never matches.
    """
    branches = []
    for ch, child in node.items():
        if ch and (keep is None or prefix + ch in keep):
            piece = r"\s+" if ch == " " else re.escape(ch)
            branches.append(piece + _emit(child, prefix + ch, keep))
    if "" in node and (keep is None or prefix + "\0" in keep):
        branches.append("")  # the word may end here (tried last: longer words first)
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")" if branches else "(?!)"


@lru_cache(maxsize=1)
def _outlet_words() -> tuple[str, ...]:
    """Known outlet names, aliases and self references (lower case, sorted), as the outlet alternation lists them."""
    names = set(outlet_names().alias) | {n for n in load_lexicon("outlets") if len(n) > 2} | set(SELF_REFERENCES)
    return tuple(sorted(names))


def _outlet_alternation(names: frozenset[str] | None = None) -> str:
    """Known outlet names, aliases and self references, longest first, plus capitalised '<X> Times/Post/...' names.

    With ``names``, only those of the listed names are written in (see :func:`_outlets_in`).
    """
    words = _outlet_words()
    keep = None if names is None else frozenset(
        w[:i] for w in names for i in range(1, len(w) + 1)) | {w + "\0" for w in names}
    listed = _emit(_ordered_trie(words), "", keep)
    suffixes = "|".join(w.capitalize() for w in load_lexicon("outlet_suffixes"))
    titled = rf"(?-i:(?:The\s+)?(?:[A-Z][\w&'’.-]+\s+){{1,3}}(?:{suffixes}))"
    return rf"(?P<outlet>(?:the\s+)?(?:{listed})|{titled})"


def _outlets_in(text: str, lower: str) -> frozenset[str] | None:
    """The listed outlet names that may occur in ``text`` (``lower``: it lower-cased), or None for all.

    A name can match only where each of its words stands in the lower-cased
    text, so the others can be left out of its patterns. Names that are not
    plain ASCII, and texts holding one of :data:`CASE_TWINS` (where
    ``str.lower`` and the engine disagree about case), keep every name.
    """
    if any(c in text for c in CASE_TWINS):
        return None
    return frozenset(w for w in _outlet_words() if not w.isascii() or all(part in lower for part in w.split()))


#: Characters searched on either side of an anchor word (longer than any statement's reach from it).
_WINDOW = 200


@dataclass(frozen=True)
class Rule:
    """One line of the data file: its kind and family, regex flags, anchor (compiled) and regex with ``{OUTLET}``."""

    kind: str
    family: str
    flags: int
    anchor: re.Pattern[str] | None
    template: str


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """Every line of the data file, with only its anchor compiled (the statement patterns compile on demand)."""
    out = []
    for line in PATTERNS_PATH.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, family, flags, anchor, regex = line.split("\t", 4)
        if family not in FAMILIES:
            raise ValueError(f"{PATTERNS_PATH.name}: unknown family {family!r} in line {line!r}")
        value = (re.IGNORECASE if "i" in flags else 0) | (re.MULTILINE if "m" in flags else 0)
        anchor_rx = None if anchor == "-" else re.compile(rf"\b(?:{anchor})", re.IGNORECASE)
        out.append(Rule(kind, family, value, anchor_rx, regex))
    return tuple(out)


@lru_cache(maxsize=256)
def _compiled(index: int, names: frozenset[str] | None = None) -> re.Pattern[str]:
    """The pattern of rule ``index`` with ``{OUTLET}`` spelled out (only ``names`` of the listed outlets, if given)."""
    rule = rules()[index]
    if "{OUTLET}" not in rule.template:
        return re.compile(rule.template, rule.flags)
    return re.compile(rule.template.replace("{OUTLET}", _outlet_alternation(names)), rule.flags)


def patterns() -> tuple[tuple[str, str, re.Pattern[str] | None, re.Pattern[str]], ...]:
    """(kind, family, anchor, compiled pattern) for every line of the data file, every outlet name included."""
    return tuple((r.kind, r.family, r.anchor, _compiled(i, None)) for i, r in enumerate(rules()))


#: Texts a process analyses with patterns holding only the outlet names each text may contain.
_TRIMMED_TEXTS = 1
_texts_seen = 0


def _outlet_choice(text: str, lower: str) -> frozenset[str] | None:
    """The outlet names to compile this text's patterns with: None (all) once a process analyses many texts.

    The full patterns take ~0.1 s to compile (a few hundred names in each);
    a one-off ``scorer score FILE`` compiles, for its first text, patterns with
    only the names that text may hold (:func:`_outlets_in`), a few
    milliseconds. Later texts share the full patterns, compiled once. Both
    find exactly the same statements.
    """
    global _texts_seen
    _texts_seen += 1
    return _outlets_in(text, lower) if _texts_seen <= _TRIMMED_TEXTS else None


def _own_outlets(analysis: Analysis) -> set[str] | None:
    """Outlet keys the article speaks as (its outlet, the wire or outlet it says it came from); None if unknown."""
    own: set[str] = set()
    art = analysis.article
    if art is not None:
        for raw in (art.outlet, getattr(art, "domain", None)):
            if raw and raw.strip():
                own.add(_key(raw))
    for st in analysis.found("origin"):
        if st.outlet and (st.kind in DERIVING_KINDS or st.kind == "contributed"):
            own.add(_key(st.outlet))
    return own or None


def _key(name: str) -> str:
    """An outlet name compared across spellings: its canonical form when known, lower-cased."""
    return (outlet_names().canonical(name) or " ".join(name.split()).removeprefix("The ")).lower()


def _family_of(family: str, outlet: str | None, own: set[str] | None) -> str | None:
    """The family a match counts in, once the outlet it names is compared with the article's own."""
    if outlet is None:
        return family
    low = " ".join(outlet.lower().split())
    if low.removeprefix("the ") in SELF_REFERENCES:
        return "gathered" if family == "gathered" else None  # "this newspaper reported" is not relaying
    if own is None:
        return family
    mine = _key(outlet) in own
    if family == "gathered":
        return "gathered" if mine else "relayed"  # "told CNN" in a story that is not CNN's
    return None if mine else "relayed"


@lru_cache(maxsize=64)
def _plain_words(anchor: re.Pattern[str] | None) -> tuple[str, ...] | None:
    """The anchor's alternatives when all are plain words (a cheap substring test can rule them out)."""
    if anchor is None:
        return None
    body = anchor.pattern.removeprefix(r"\b(?:").removesuffix(")")
    words = tuple(body.split("|"))
    return words if all(re.fullmatch(r"[a-z ]+", w) for w in words) else None


def _anchor_body(anchor: re.Pattern[str]) -> str:
    """The alternatives of an anchor regex ``\\b(?:...)`` (the anchor column of the data file)."""
    return anchor.pattern.removeprefix(r"\b(?:").removesuffix(")")


@lru_cache(maxsize=1)
def _anchor_scanner() -> tuple[re.Pattern[str] | None, re.Pattern[str], tuple[re.Pattern[str], ...]]:
    """(prefilter, scanner, the distinct anchors): how :func:`anchor_hits` finds every anchor in one pass.

    The scanner has one capture group per anchor inside a lookahead, so one
    match at a position tells every anchor that matches there and where its
    match ends (the same end as the anchor's own regex: a lookahead keeps the
    first alternative that matches). The prefilter is a prefix tree of the
    literal words the anchors start with (:func:`~scorer.signals.prefilter.literal_run`): it stops
    wherever any anchor could match (and at a few more places), so the scanner
    runs only there. None when some anchor has no literal start.
    """
    anchors = tuple(dict.fromkeys(r.anchor for r in rules() if r.anchor is not None))
    bodies = [_anchor_body(a) for a in anchors]
    groups = "".join(f"(?:(?=(?P<a{i}>(?:{b})))|)" for i, b in enumerate(bodies))
    scanner = re.compile(rf"\b{groups}", re.IGNORECASE)
    starts = [literal_run(alt) for b in bodies for alt in b.split("|")]
    if any("(" in b or "[" in b for b in bodies) or not all(starts):
        return None, scanner, anchors
    return re.compile(rf"\b(?={trie_regex(sorted(set(starts)))})", re.IGNORECASE), scanner, anchors


AnchorHits = dict[re.Pattern[str], list[tuple[int, int]]]


def anchor_hits(text: str) -> AnchorHits:
    """Every (start, end) at which each anchor matches, overlapping ones included, in text order."""
    prefilter, scanner, anchors = _anchor_scanner()
    out: AnchorHits = {a: [] for a in anchors}
    lists = [out[a] for a in anchors]
    found = (scanner.match(text, m.start()) for m in prefilter.finditer(text)) if prefilter else scanner.finditer(text)
    for m in found:
        for i, (start, end) in enumerate(m.regs[1:]):  # type: ignore[union-attr]
            if start >= 0:
                lists[i].append((start, end))
    return out


def _non_overlapping(spans: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """The spans ``finditer`` would return: each search resumes where the previous match ended."""
    resume = 0
    for start, end in spans:
        if start >= resume:
            yield start, end
            resume = end


def _windows(spans: list[tuple[int, int]], size: int) -> Iterator[tuple[int, int]]:
    """Merged search windows of :data:`_WINDOW` characters around each anchor match (non-overlapping matches)."""
    lo = hi = -1
    for start, end in _non_overlapping(spans):
        w_start, w_end = max(0, start - _WINDOW), end + _WINDOW
        if w_start > hi:
            if hi > lo:
                yield lo, hi
            lo = w_start
        hi = w_end
    if hi > lo:
        yield lo, min(hi, size)


@lru_cache(maxsize=64)
def _opens_with_anchor(rx: re.Pattern[str], anchor: re.Pattern[str]) -> bool:
    """Whether every match of ``rx`` starts where ``anchor`` matches: its regex opens with the anchor and has
    no top-level alternation (so it may be tried only at the anchor's positions, not at every character)."""
    body = _anchor_body(anchor)
    pattern = rx.pattern
    heads = [rf"\b(?:{body})"] + ([rf"\b{body}"] if "|" not in body and "(" not in body else [])
    head = next((h for h in heads if pattern.startswith(h)), None)
    if head is None or pattern[len(head):len(head) + 1] in ("?", "*", "+", "{"):
        return False
    return not _top_level_bar(pattern)


def _top_level_bar(pattern: str) -> bool:
    """Whether ``pattern`` has a ``|`` outside every group and character class."""
    depth, i, in_class = 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]":
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
        i += 1
    return False


def _matches(text: str, anchor: re.Pattern[str] | None, rx: re.Pattern[str],
             lower: str | None = None, hits: AnchorHits | None = None) -> Iterator[re.Match[str]]:
    """Matches of ``rx``, searched only in windows around its anchor words (everywhere without an anchor).

    ``lower`` (the text lower-cased) lets plain anchor words be ruled out by a
    substring test first; ``hits`` (:func:`anchor_hits` of the text) saves
    scanning the text for the anchor again. A pattern that opens with its
    anchor is tried only where the anchor matches inside each window, which
    finds exactly what searching the window would.
    """
    if anchor is None:
        yield from rx.finditer(text)
        return
    spans = (hits if hits is not None else anchor_hits(text))[anchor]
    if not spans:
        return
    words = _plain_words(anchor)
    if lower is not None and words is not None and not any(w in lower for w in words):
        return
    if not _opens_with_anchor(rx, anchor):
        for lo, hi in _windows(spans, len(text)):
            yield from rx.finditer(text, lo, hi)
        return
    starts = [start for start, _ in spans]
    for lo, hi in _windows(spans, len(text)):
        resume = lo
        for k in range(bisect.bisect_left(starts, lo), bisect.bisect_left(starts, hi)):
            if starts[k] >= resume:
                m = rx.match(text, starts[k], hi)
                if m is not None:
                    yield m
                    resume = m.end()


def _may_match(anchor: re.Pattern[str] | None, lower: str, hits: AnchorHits) -> bool:
    """Whether a rule with ``anchor`` can match at all in the text (the first tests :func:`_matches` makes)."""
    if anchor is None:
        return True
    words = _plain_words(anchor)
    return bool(hits[anchor]) and (words is None or any(w in lower for w in words))


def find_reporting(analysis: Analysis) -> list[Reporting]:
    """Every gathered or relayed statement, one per kind and sentence, in text order."""
    text = analysis.text
    own = _own_outlets(analysis)
    found: dict[tuple[Span, str], Reporting] = {}
    lower = text.lower()
    hits = anchor_hits(text)
    names = _outlet_choice(text, lower)
    for index, rule in enumerate(rules()):
        if not _may_match(rule.anchor, lower, hits):
            continue  # not compiled for nothing
        kind, family, anchor, rx = rule.kind, rule.family, rule.anchor, _compiled(index, names)
        for m in _matches(text, anchor, rx, lower, hits):
            outlet = m.groupdict().get("outlet")
            fam = _family_of(family, outlet, own)
            if fam is None:
                continue
            kind_here = kind if fam == family else "told_other_outlet"
            sent = sentence_of(analysis, m.start(), m.end())
            key = (sent, kind_here)
            if key not in found:
                found[key] = Reporting(Span(m.start(), m.end()), sent, kind_here, fam, outlet)
    for st in analysis.found("origin"):
        if st.kind in _CREDIT_KINDS and st.span.length > 0:
            sent = sentence_of(analysis, st.span.start, st.span.end)
            found.setdefault((sent, "credit_line"), Reporting(st.span, sent, "credit_line", "relayed", st.outlet))
    return sorted(found.values(), key=lambda r: (r.span.start, r.kind))


def _of(analysis: Analysis, family: str, kinds: frozenset[str] | None = None) -> list[Reporting]:
    return [r for r in analysis.found("reporting") if r.family == family and (kinds is None or r.kind in kinds)]


def _sentences(items: list[Reporting]) -> int:
    return len({r.sentence for r in items})


def _evidence(family: str, kinds: frozenset[str] | None = None):
    def evidence(analysis: Analysis) -> list[Evidence]:
        seen: set[Span] = set()
        out = []
        for r in _of(analysis, family, kinds):
            if r.sentence not in seen:
                seen.add(r.sentence)
                note = f"{r.kind.replace('_', ' ')}: '{short(r.span.of(analysis.text), 60)}'"
                out.append(evidence_at(analysis, r.sentence, note, r.span))
        return out
    return evidence


_REPLY = frozenset({"right_of_reply"})
_CONTACT = frozenset({"told_outlet", "interview", "direct_contact", "documents"})
UNIT = "log(1 + sentences)"
SPJ_REPLY = ("SPJ Code of Ethics: diligently seek subjects of news coverage to allow them to respond to criticism "
             "or allegations of wrongdoing")
TRUST_ORIGINAL = ("Trust Project indicators 'Original Reporting' and 'Methods': whether and how the outlet did the "
                  "reporting itself (who it spoke to, which documents it saw, where it reported from)")


def _relayed_only(analysis: Analysis) -> float:
    return 1.0 if _of(analysis, "relayed") and not _of(analysis, "gathered") else 0.0


FEATURES: tuple[FeatureSpec, ...] = (
    FeatureSpec("right_of_reply_mentions", "newsgathering",
                "how often the article shows it asked the people concerned for their side ('declined to comment', "
                "'did not respond to a request for comment')", UNIT, 1, SPJ_REPLY,
                value=lambda a: math.log1p(_sentences(_of(a, "gathered", _REPLY))),
                evidence=_evidence("gathered", _REPLY), highlight="gathered"),
    FeatureSpec("own_reporting_mentions", "newsgathering",
                "how often the article shows its own reporting: a source told this outlet, an interview, an email or "
                "call, documents obtained", UNIT, 1, TRUST_ORIGINAL,
                value=lambda a: math.log1p(_sentences(_of(a, "gathered", _CONTACT))),
                evidence=_evidence("gathered", _CONTACT), highlight="gathered"),
    FeatureSpec("dateline_or_contributors", "newsgathering",
                "1 when the article carries a dateline (where it was reported from) or names contributing reporters",
                "flag", 1, TRUST_ORIGINAL,
                value=lambda a: 1.0 if _of(a, "gathered", frozenset({"dateline", "contributor_line"})) else 0.0,
                evidence=_evidence("gathered", frozenset({"dateline", "contributor_line"})), highlight="gathered"),
    FeatureSpec("relayed_reports", "aggregation",
                "how often the article passes on other outlets' reporting ('<outlet> reported', 'media reports') "
                "or credits it", UNIT, 0,
                "descriptive: crediting another outlet is transparency (SPJ: always attribute), so relaying is "
                "neither rewarded nor punished by itself",
                value=lambda a: math.log1p(_sentences(_of(a, "relayed"))),
                evidence=_evidence("relayed"), highlight="relayed"),
    FeatureSpec("relayed_only", "aggregation",
                "1 when the article relays other outlets' reports and shows no reporting of its own", "flag", -1,
                TRUST_ORIGINAL + "; an article made only of others' reporting adds nothing its reader could check",
                value=_relayed_only,
                evidence=lambda a: _evidence("relayed")(a) if _relayed_only(a) else [], highlight="relayed"),
)


def describe(item: Reporting, text: str) -> list[str]:
    """``scorer inspect`` line for one statement."""
    return [f"  {item.family:<9} {item.kind:<18} {short(item.sentence.of(text), 80)}"]


SIGNAL = Signal("reporting", "Newsgathering and aggregation", find=find_reporting, features=FEATURES,
                describe=describe)
