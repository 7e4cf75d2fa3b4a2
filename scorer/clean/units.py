"""A page cut into units (lines, or paragraphs of hard-wrapped prose) and the tests that label a unit as furniture, a section marker, a byline or a name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from scorer.clean.rules import _rules


# ---------------------------------------------------------------- units

_BULLET = re.compile(r"^(?:[•·▪◦‣●○■□►▸\-*+]|\d{1,2}[.)])\s+")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*|\d[\d,.:/-]*", re.U)
_TERMINAL = re.compile(r"(?:[.!?…:;,]|\.\.\.)[\"'”’»)\]]*$|[\"”’»][.!?,]?$")
_SENT_BREAK = re.compile(r"[.!?][\"'”’)\]]*\s+[\"'“‘(]?[A-Z0-9]")


@dataclass
class _Unit:
    """A non-blank line (or hard-wrapped paragraph) of the page, with what we know of it."""

    start: int
    end: int
    text: str  # raw[start:end]
    wrapped: bool = False

    def __post_init__(self) -> None:
        self.core = _BULLET.sub("", self.text).strip()
        self.bullet = self.core != self.text.strip()
        self.words = _WORD.findall(self.core)
        self.norm = " ".join(self.core.lower().split())

    @property
    def n_words(self) -> int:
        return len(self.words)

    @cached_property
    def prose(self) -> bool:
        """Reads like a sentence of running text: enough words, ends like a sentence."""
        if self.n_words < 6 or not any(w[0].islower() for w in self.words):
            return False
        # a long run of sentences is prose even when cut off mid-sentence (truncated dumps)
        return bool(_TERMINAL.search(self.core)) or self.n_words >= 40 or (self.sentences >= 2 and self.n_words >= 20)

    @cached_property
    def sentences(self) -> int:
        return 1 + len(_SENT_BREAK.findall(self.core))


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")  # LF, CRLF and old Mac CR line ends


def _units(raw: str) -> list[_Unit]:
    """Cut the page into units: lines, or whole paragraphs where a block is hard-wrapped prose."""
    units: list[_Unit] = []
    block: list[tuple[int, int]] = []  # (start, end) of stripped non-blank lines

    def flush() -> None:
        if not block:
            return
        lines = [raw[s:e] for s, e in block]
        if _is_wrapped(lines):
            units.append(_Unit(block[0][0], block[-1][1], raw[block[0][0]:block[-1][1]], wrapped=True))
        else:
            units.extend(_Unit(s, e, raw[s:e]) for s, e in block)
        block.clear()

    for m in _LINE.finditer(raw):
        line = m.group()
        if not line:
            break
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if not stripped:
            flush()
            continue
        lead = len(body) - len(body.lstrip())
        s = m.start() + lead
        block.append((s, s + len(stripped)))
    flush()
    return units


def _is_wrapped(lines: list[str]) -> bool:
    """True when consecutive lines are one hard-wrapped paragraph (e.g. a 72-column text dump)."""
    if len(lines) < 2:
        return False
    if any(_BULLET.match(line) for line in lines[1:]) or any(len(line) > 120 for line in lines):
        return False
    body = lines[:-1]
    if any(len(line) < 35 or len(_WORD.findall(line)) < 6 for line in body):
        return False
    open_ends = sum(1 for line in body if not _TERMINAL.search(line))
    return open_ends * 2 >= len(body)


# ---------------------------------------------------------------- unit tests of kind


def _furniture_kind(u: _Unit) -> str | None:
    """Kind of furniture this unit is wherever it stands, or None."""
    r = _rules()
    if len(u.core) <= 1200:
        for kind, rx in r.furniture:
            if rx.fullmatch(u.core):
                return kind
    if _ui_line(u):
        return "toolbar"
    return None


def _ui_line(u: _Unit) -> bool:
    """A short line made mostly of interface words ("Listen Comment on this story Share")."""
    if u.prose or not u.words or u.n_words > 14:
        return False
    toks = re.findall(r"[a-z][a-z'-]*|&|\|", re.sub(r"([a-z])([A-Z])", r"\1 \2", u.core).lower())
    if not toks:
        return False
    ui = sum(1 for t in toks if t in _rules().ui_words)
    return ui >= 2 and ui / len(toks) >= 0.75


def _marker(u: _Unit) -> tuple[str, bool, bool] | None:
    """(kind, strong, box) when this unit opens a furniture section ("READ NEXT", "Comments / 2").

    ``strong`` markers end the body; ``box`` ones too unless the article goes on after them.
    """
    if len(u.core) > 300:
        return None
    if "marker" in u.__dict__:
        return u.__dict__["marker"]
    found = None
    core = u.core.rstrip(" .:…»>›→")
    for kind, strength, rx in _rules().markers:
        if rx.fullmatch(core) or rx.fullmatch(u.core):
            found = (kind, strength != "weak", strength == "box")
            break
    u.__dict__["marker"] = found
    return found


_NAME_TOKEN = re.compile(r"^(?:[A-Z][a-zà-ÿ'’.-]*(?:[A-Z][a-zà-ÿ'’-]+)*|[A-Z][A-Z'’.-]+|[A-Z]\.|van|von|de|der|den|da|di|du|del|la|le|bin|ibn|al-\w+|el-\w+)$")


def _name_like(text: str) -> bool:
    """A person's name: 2-5 capitalised tokens, no digits, no job-title words."""
    text = text.strip().rstrip(",;")
    toks = text.split()
    if not 2 <= len(toks) <= 5 or any(ch.isdigit() for ch in text):
        return False
    if any(t.lower().strip(".,") in _rules().name_stop for t in toks):
        return False
    if not toks[0][0].isupper() or not toks[-1][0].isupper():
        return False
    return all(_NAME_TOKEN.match(t) for t in toks)


_BYLINE = re.compile(r"^(?:(?:analysis|opinion|commentary|story|column|interview|review|text) by|"
                     r"by|written by|authored by|words by|posted by|published by|von|par|por)\s*:?\s+(.{3,160})$", re.I)
_MORE_FROM = re.compile(r"^more (?:from|by)\s+(.{3,80})$", re.I)


def _byline_names(u: _Unit) -> list[str]:
    """Authors named by a byline unit ("By Tom O'Connor"), or [] when it is not a byline."""
    if u.n_words > 24:
        return []
    m = _BYLINE.match(u.core)
    return _names_from(m.group(1)) if m else []


def _bare_byline(u: _Unit) -> list[str]:
    """Authors of a byline without "By" ("Priya Raman and Colm Daly"): every part must be a name."""
    if u.prose or u.n_words > 16:
        return []
    parts = [p.strip().rstrip(".") for p in re.split(r",|;|&|\band\b", u.core) if p.strip()]
    return [_name_case(p) for p in parts] if parts and all(_name_like(p) for p in parts) else []


def _names_from(text: str) -> list[str]:
    """Person names in a byline text ("Tom O'Connor and Jane Roe, Senior Writer")."""
    text = re.split(r"\s[|–—]\s|\s-\s|\s+on\s+|\s+(?:updated|published|posted)\b", text)[0]
    parts = re.split(r",|;|&|\band\b|\bund\b|\bet\b|\by\b", text)
    names = []
    for part in parts:
        toks = part.strip().rstrip(".").split()
        for k in range(min(len(toks), 5), 1, -1):  # "JILL COLVIN Associated Press" -> "JILL COLVIN"
            if _name_like(" ".join(toks[:k])):
                names.append(_name_case(" ".join(toks[:k])))
                break
    return names


def _name_case(name: str) -> str:
    """"JILL COLVIN" -> "Jill Colvin"; names already in mixed case are kept as written."""
    return name.title() if name.isupper() else name
