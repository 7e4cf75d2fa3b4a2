"""Disclosed-origin statements: where an article says its text came from.

Derived articles often say so themselves: a wire byline ("By Associated Press",
"WASHINGTON (AP) —"), "originally appeared in", "Credits – SF Chronicle", a
closing citation of another outlet's article, or an aggregator page that shows
the original publisher. ``find_origin`` finds these statements in one article,
without needing the original, and names the outlet each one points to.

Patterns and outlet names are data (``scorer/data/origin/``); every regular
expression has bounded quantifiers and runs line by line, so hostile pages
cannot make it backtrack for long.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from scorer.analysis import Analysis
from scorer.signals.spec import Evidence, FeatureSpec, Signal, short
from scorer.spans import Span


@dataclass
class OriginStatement:
    """A statement of where the article's text came from ("By Associated Press", "Credits – SF Chronicle")."""

    span: Span
    kind: str  # e.g. "wire_byline", "contributed", "originally_appeared", "credits", "citation", "aggregator"
    outlet: str | None = None
    #: The statement as the page wrote it when it stands outside the body (in furniture the
    #: cleaner removed); ``span`` is then the zero-length point where that block stood.
    text: str | None = None

    def quote(self, body: str) -> str:
        """The statement's words: from the body, or from the removed block it stood in."""
        return self.text if self.text is not None else self.span.of(body)

#: Statement kinds that say the text itself was taken from elsewhere (not mere help with reporting).
DERIVING_KINDS = frozenset({"wire_byline", "originally_appeared", "credits", "citation", "aggregator"})

#: Longest line examined (characters); longer lines are page noise, not statements.
_MAX_LINE = 2000


def _data_lines(package: str, name: str) -> list[str]:
    """Non-empty, non-comment lines of a data file shipped with the package."""
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return [line.rstrip("\n") for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@dataclass(frozen=True)
class OutletNames:
    """Known outlet names: alias (lower-cased) -> canonical name, and which are wire services."""

    alias: dict[str, str]
    wires: frozenset[str]

    def canonical(self, name: str | None) -> str | None:
        """The canonical outlet for a name as written ("SF Chronicle" -> "San Francisco Chronicle")."""
        if not name:
            return None
        key = _clean_name(name).lower()
        if key in self.alias:
            return self.alias[key]
        if key.startswith("the ") and key[4:] in self.alias:
            return self.alias[key[4:]]
        if "the " + key in self.alias:
            return self.alias["the " + key]
        return None

    def is_wire(self, name: str | None) -> bool:
        """True when the name is a wire service (news agency)."""
        return self.canonical(name) in self.wires


def _clean_name(name: str) -> str:
    """Strip quotes, trailing punctuation and surrounding space from a captured outlet name."""
    return name.strip().strip("\"“”'‘’").strip(" .,;:–—-").strip()


def _parse_names(lines: list[str]) -> list[tuple[str, list[str]]]:
    out = []
    for line in lines:
        canon, _, rest = line.partition("\t")
        aliases = [a.strip() for a in rest.split(",") if a.strip()]
        out.append((canon.strip(), aliases))
    return out


@lru_cache(maxsize=1)
def outlet_names() -> OutletNames:
    """Outlet and wire-service names from the data files (loaded once)."""
    alias: dict[str, str] = {}
    wires: set[str] = set()
    for canon, aliases in _parse_names(_data_lines("scorer.data.provenance", "wire_outlets.tsv")):
        wires.add(canon)
        for a in [canon, *aliases]:
            alias.setdefault(a.lower(), canon)
    for canon, aliases in _parse_names(_data_lines("scorer.data.origin", "outlets.tsv")):
        for a in [canon, *aliases]:
            alias.setdefault(a.lower(), canon)
    return OutletNames(alias, frozenset(wires))


def _alternation(names: list[str]) -> str:
    """A regex alternation of names, longest first so "AP Photo" is not read as "AP"."""
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(set(names), key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Compiled (kind, pattern) pairs from ``patterns.tsv`` with {WIRE}/{OUTLET} expanded."""
    wire_names: list[str] = []
    for canon, aliases in _parse_names(_data_lines("scorer.data.provenance", "wire_outlets.tsv")):
        wire_names += [canon, *[a for a in aliases if len(a) > 1]]
    outlet_list: list[str] = []
    for canon, aliases in _parse_names(_data_lines("scorer.data.origin", "outlets.tsv")):
        outlet_list += [canon, *aliases]
    wire = _alternation(wire_names)
    outlets = _alternation(outlet_list + wire_names)
    out = []
    for line in _data_lines("scorer.data.origin", "patterns.tsv"):
        kind, _, regex = line.partition("\t")
        regex = regex.replace("{WIRE}", f"(?:{wire})").replace("{OUTLET}", f"(?:{outlets})")
        out.append((kind.strip(), re.compile(regex, re.IGNORECASE)))
    return out


@lru_cache(maxsize=1)
def _photo_words() -> tuple[str, ...]:
    return tuple(w.lower() for w in _data_lines("scorer.data.origin", "photo_credits.txt"))


@lru_cache(maxsize=1)
def _aggregator_markers() -> tuple[tuple[str, str], ...]:
    """(marker lower-cased, aggregator name) pairs from ``aggregators.txt``."""
    out = []
    for line in _data_lines("scorer.data.origin", "aggregators.txt"):
        marker, _, name = line.partition("\t")
        out.append((marker.strip().lower(), name.strip() or marker.strip()))
    return tuple(out)


def aggregator_of(texts: list[str]) -> str | None:
    """The aggregator whose marker appears in any of the texts, or None."""
    lowered = [t.lower() for t in texts]
    for marker, name in _aggregator_markers():
        if any(marker in t for t in lowered):
            return name
    return None


#: Removed page blocks never searched for origin statements (other articles' teasers, menus, comments).
_SKIP_REMOVED = frozenset({"navigation", "related", "comments", "toolbar", "tags", "advertisement", "teaser",
                           "embed", "menu", "image_url"})


_NEWSY = re.compile(r"\b(?:times|post|news|chronicle|journal|herald|tribune|gazette|press|daily|magazine|"
                    r"observer|telegraph|guardian|review|report|media|agency|tv|radio|wire|examiner|star|sun)\b",
                    re.IGNORECASE)


def _credited_outlet(raw: str) -> str | None:
    """The outlet a "Credits – X" line names, or None when X looks like a picture credit or a person."""
    name = _clean_name(raw)
    low = name.lower()
    if not name or any(w in low for w in _photo_words()):
        return None
    canon = outlet_names().canonical(name)
    if canon:
        return canon
    return name if _NEWSY.search(name) else None


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) for every line of ``text``."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def _statement(kind: str, match: re.Match[str], offset: int) -> OriginStatement | None:
    """Turn one pattern match into a statement, resolving the outlet it names."""
    names = outlet_names()
    raw = match.groupdict().get("outlet")
    outlet: str | None
    if kind == "credits":
        outlet = _credited_outlet(raw or "")
        if outlet is None:
            return None
    elif kind in ("originally_appeared", "citation"):
        name = _clean_name(raw or "")
        outlet = names.canonical(name) or (name or None)
        if kind == "originally_appeared" and outlet and names.canonical(name) is None and not _NEWSY.search(name) \
                and not name[:1].isupper():
            return None  # "first appeared on the scene" and the like
    else:
        outlet = names.canonical(raw) if raw else None
    return OriginStatement(Span(offset + match.start(), offset + match.end()), kind, outlet)


def _publisher_line(text: str) -> tuple[Span, str] | None:
    """On an aggregator page: the short line near the top naming the original publisher."""
    names = outlet_names()
    seen_byline = False
    for offset, line in _lines(text)[:40]:
        stripped = line.strip()
        if not stripped:
            continue
        if re.match(r"^By\s+\S", stripped):
            seen_byline = True
            continue
        if len(stripped) > 60:
            continue
        canon = names.canonical(stripped)
        if canon and canon not in ("NewsBreak", "Yahoo News", "MSN") and (seen_byline or len(stripped.split()) <= 4):
            start = offset + line.index(stripped)
            return Span(start, start + len(stripped)), canon
    return None


def _text_position(article, raw: Span) -> int:
    """Where in the body text a removed raw-page block stood (an offset for a zero-length span)."""
    pos = 0
    for text_span, raw_span in getattr(article, "body_map", None) or []:
        if raw_span.end <= raw.start:
            pos = max(pos, text_span.end)
    return pos


def find_aggregator(analysis: Analysis) -> OriginStatement | None:
    """An aggregator page (marker in the body or in removed furniture) showing its original publisher.

    The publisher is a short outlet line near the top of the body, else the outlet the
    cleaner read off the page (a zero-length span marks where the removed line stood).
    """
    article = analysis.article
    texts = [analysis.text] + ([r.text for r in article.removed] if article is not None else [])
    aggregator = aggregator_of(texts)
    if aggregator is None:
        return None
    found = _publisher_line(analysis.text)
    if found is not None and found[1] != aggregator:
        return OriginStatement(found[0], "aggregator", found[1])
    if article is not None and article.outlet:
        outlet = outlet_names().canonical(article.outlet) or article.outlet
        if outlet != aggregator:
            block = next((r for r in article.removed if r.kind in ("outlet", "byline")), None)
            pos = _text_position(article, block.span) if block is not None else 0
            return OriginStatement(Span(pos, pos), "aggregator", outlet,
                                   text=" ".join(block.text.split()) if block is not None else None)
    return None


#: Words a line must contain (lower-cased) before the patterns run on it: each pattern needs one.
_KEYS = ("by ", "from ", "(", "©", "copyright", "contribut", "originally", "first ", "republish", "reprint",
         "reproduc", "syndicat", "adapted", "excerpted", "credit", "source", "courtesy", "h/t", "hat tip", "original")
#: Longest line searched anywhere; longer lines (body paragraphs) only at the top and bottom of the text.
_SHORT_LINE = 400
#: Lines at each end of the text searched whatever their length (datelines open the first paragraph).
_EDGE_LINES = 3


def _scan(text: str, base: int | None) -> list[OriginStatement]:
    """Statements in ``text``; with ``base`` set, every span is the zero-length point ``base``.

    Statements are short lines (bylines, credits, notes) or open or close the text, so long
    lines in the middle of the body are skipped: this keeps a corpus scan fast.
    """
    found: list[OriginStatement] = []
    lines = [(o, ln) for o, ln in _lines(text) if ln.strip()]
    for k, (offset, line) in enumerate(lines):
        if len(line) > _MAX_LINE or (len(line) > _SHORT_LINE and _EDGE_LINES <= k < len(lines) - _EDGE_LINES):
            continue
        low = line.lower()
        if not any(key in low for key in _KEYS):
            continue
        for kind, pattern in _patterns():
            for match in pattern.finditer(line):
                st = _statement(kind, match, offset)
                if st is None:
                    continue
                if base is not None:
                    st = OriginStatement(Span(base, base), st.kind, st.outlet, text=line.strip())
                elif any(st.span.overlaps(o.span) for o in found):
                    continue
                found.append(st)
    return found


def find_origin(analysis: Analysis) -> list[OriginStatement]:
    """Every disclosed-origin statement in the article, in text order, with the outlet it names.

    Statements the cleaner moved out of the body (a photo caption ending "Credits – SF
    Chronicle", a copyright footer) are found in the removed blocks and get a
    zero-length span at the place the block stood.
    """
    found = _scan(analysis.text, None)
    article = analysis.article
    if article is not None:
        for block in article.removed:
            if block.kind in _SKIP_REMOVED:
                continue
            for st in _scan(block.text, _text_position(article, block.span)):
                if not any((o.kind, o.outlet) == (st.kind, st.outlet) for o in found):
                    found.append(st)
    agg = find_aggregator(analysis)
    if agg is not None and not any(agg.span.overlaps(o.span) for o in found):
        found.append(agg)
    return sorted(found, key=lambda o: (o.span.start, o.span.end))


def derived_from(statements: list[OriginStatement]) -> list[str]:
    """Outlets the statements say the text was taken from (wire, credited, cited or aggregated)."""
    out: list[str] = []
    names = outlet_names()
    for st in statements:
        if st.outlet and (st.kind in DERIVING_KINDS or (st.kind == "contributed" and names.is_wire(st.outlet))):
            if st.outlet not in out:
                out.append(st.outlet)
    return out


# ---------------------------------------------------------------- features

_WIRE_KINDS = frozenset({"wire_byline"})
_REPUBLISHED_KINDS = frozenset({"originally_appeared", "credits", "aggregator", "citation"})
_CONTRIBUTED_KINDS = frozenset({"contributed"})
_TRUST_DISCLOSURE = ("Trust Project indicators 'Type of Work' and 'Citations and References': say where a story and "
                     "its material came from; SPJ Code of Ethics: never plagiarize, always attribute")
_WIRE_NEUTRAL = ("descriptive: carrying a wire-service story is standard practice; a wire origin must never lower "
                 "a score, and its quality is judged by the same signals as any story")
_REPUBLISHED_NEUTRAL = ("descriptive: saying a story first appeared elsewhere is transparency (Trust Project), while "
                        "republishing is neither good nor bad by itself")


def _origin_evidence(analysis: Analysis, kinds: frozenset[str] | None = None) -> list[Evidence]:
    return [Evidence(o.span, o.quote(analysis.text), f"origin statement ({o.kind}{', ' + o.outlet if o.outlet else ''})")
            for o in analysis.found("origin") if kinds is None or o.kind in kinds]


def _has(analysis: Analysis, kinds: frozenset[str]) -> float:
    return 1.0 if any(o.kind in kinds for o in analysis.found("origin")) else 0.0


FEATURES: tuple[FeatureSpec, ...] = (
    FeatureSpec("origin_disclosed", "origin",
                "1 when the article states where its text came from (wire byline, credits or a republication note)",
                "flag", 1, _TRUST_DISCLOSURE,
                value=lambda a: 1.0 if a.found("origin") else 0.0, evidence=_origin_evidence, highlight="origin"),
    FeatureSpec("origin_statements", "origin", "Number of statements disclosing the text's origin", "count", 1,
                _TRUST_DISCLOSURE, value=lambda a: float(len(a.found("origin"))), evidence=_origin_evidence,
                highlight="origin"),
    FeatureSpec("origin_wire", "origin",
                "1 when a wire-service byline or credit is disclosed (e.g. 'By Associated Press')", "flag", 0,
                _WIRE_NEUTRAL, value=lambda a: _has(a, _WIRE_KINDS),
                evidence=lambda a: _origin_evidence(a, _WIRE_KINDS), highlight="origin"),
    FeatureSpec("origin_republished", "origin",
                "1 when the article says it first appeared elsewhere, credits another outlet, or is aggregated",
                "flag", 0, _REPUBLISHED_NEUTRAL, value=lambda a: _has(a, _REPUBLISHED_KINDS),
                evidence=lambda a: _origin_evidence(a, _REPUBLISHED_KINDS), highlight="origin"),
    FeatureSpec("origin_contributed", "origin",
                "1 when the article credits contributing reporters ('X contributed to this report')", "flag", 1,
                "Trust Project indicator 'Author/Reporter': who did the reporting is stated",
                value=lambda a: _has(a, _CONTRIBUTED_KINDS),
                evidence=lambda a: _origin_evidence(a, _CONTRIBUTED_KINDS), highlight="origin"),
)


def describe(statement: OriginStatement, text: str) -> list[str]:
    """``scorer inspect`` line for one origin statement."""
    return [f"  {statement.kind:<19} outlet: {statement.outlet or '-'} | {short(statement.quote(text), 60)}"]


SIGNAL = Signal("origin", "Disclosed origin", find=find_origin, features=FEATURES, describe=describe)
