"""What a page says about its article: the stated date, the outlet behind a copyright line, the header metadata (headline, byline, date, publisher)."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from scorer.clean.rules import _rules
from scorer.clean.units import _TERMINAL, _Unit, _bare_byline, _byline_names, _names_from, _ui_line


# ---------------------------------------------------------------- dates

_MONTHS = {m: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], 1) for m in names}
_MON = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DATE_PATTERNS = (
    (re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"), ("y", "m", "d")),
    (re.compile(rf"\b{_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I), ("M", "d", "y")),
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON},?\s+(\d{{4}})\b", re.I), ("d", "M", "y")),
    (re.compile(rf"\b(\d{{4}}),?\s+{_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", re.I), ("y", "M", "d")),
)


def find_date(text: str) -> str | None:
    """The first calendar date stated in ``text`` as ISO ``yyyy-mm-dd`` (relative dates are not dates)."""
    best: tuple[int, str] | None = None
    for rx, order in _DATE_PATTERNS:
        for m in rx.finditer(text):
            parts = dict(zip(order, m.groups()))
            month = int(parts["m"]) if "m" in parts else _MONTHS.get(parts["M"].lower().rstrip("."))
            try:
                d = _dt.date(int(parts["y"]), int(month or 0), int(parts["d"]))
            except (ValueError, TypeError):
                continue
            if 1900 <= d.year <= 2100 and (best is None or m.start() < best[0]):
                best = (m.start(), d.isoformat())
            break
    return best[1] if best else None


def _date_line(u: _Unit) -> bool:
    """A dateline of the page ("— December 12, 2022", "Posted: 9:43 AM, July 16, 2018"), not a dated caption."""
    return not u.prose and u.n_words <= 12 and find_date(u.core) is not None


# ---------------------------------------------------------------- outlet

_COPYRIGHT = re.compile(r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(.+?)"
                        r"(?:[\s,.]+\d{4}(?:\s*[-–]\s*\d{4})?)?(?:[\s,.|-]+all rights reserved.*)?[\s.]*$", re.I)


def _outlet_from_copyright(text: str) -> str | None:
    """The outlet a "© The European Conservative 2023" footer names."""
    m = _COPYRIGHT.match(text.strip())
    if not m:
        return None
    name = m.group(1).strip(" .,|-")
    if not name or len(name) > 80 or not name[0].isupper():
        return None
    return name


def _outlet_like(u: _Unit) -> bool:
    """A short publisher line ("Newsweek", "The European Conservative"), not a desk ("HealthDay Reporter")."""
    if any(w.lower() in _rules().name_stop - {"news", "press", "the", "of", "and"} for w in u.words):
        return False
    if u.core.isupper() and len(u.core) > 5:  # "WASHINGTON": a dateline, not a publisher
        return False
    return (1 <= u.n_words <= 5 and not u.prose and u.core[:1].isupper() and not _TERMINAL.search(u.core)
            and find_date(u.core) is None and not any(ch.isdigit() for ch in u.core)
            and not _ui_line(u))



@dataclass
class _Meta:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    outlet: str | None = None
    url: str | None = None
    header_kinds: dict[int, str] = field(default_factory=dict)


def _header_metadata(units: list[_Unit], kinds: list[str | None], first: int, title_i: int | None,
                     front: dict[str, str], counts: dict[str, int]) -> _Meta:
    """Title, authors, date and outlet stated in the units before the body, and the kind of each."""
    meta = _Meta(title=front.get("title") or None, url=front.get("url") or front.get("link") or None,
                 outlet=front.get("outlet") or front.get("publisher") or front.get("source") or None)
    if front.get("author") or front.get("authors"):
        meta.authors = _names_from(front.get("author") or front.get("authors") or "") or \
            [front.get("author") or front.get("authors") or ""]
    if front.get("date"):
        meta.date = find_date(front["date"])
    hk = meta.header_kinds
    if title_i is not None:
        hk[title_i] = "title"
        if meta.title is None:
            meta.title = units[title_i].core.lstrip("#").strip()
    after_byline = False
    for i in range(first):
        u = units[i]
        if kinds[i] is not None or i == title_i:
            if kinds[i] == "toolbar" and meta.date is None:  # " date 2022-08-31 Contributors..." bars
                meta.date = find_date(u.core)
            after_byline = False
            continue
        names = _byline_names(u)
        if names:
            meta.authors.extend(n for n in names if n not in meta.authors)
            meta.date = meta.date or find_date(u.core)
            hk[i] = "byline"
            after_byline = True
            continue
        bare = _bare_byline(u) if title_i is None or i > title_i else []
        if bare:
            meta.authors.extend(n for n in bare if n not in meta.authors)
            hk[i] = "byline"
            after_byline = True
            continue
        date = find_date(u.core) if _date_line(u) else None
        if date is not None:
            meta.date = meta.date or date
            hk[i] = "date"
            continue
        if re.fullmatch(r"(?:updated|published|posted)?\s*\d+\s+(?:second|minute|hour|day|week|month|year)s?\s+ago",
                        u.core, re.I):
            hk[i] = "date"
            continue
        if after_byline and _outlet_like(u):
            meta.outlet = meta.outlet or u.core.strip()
            hk[i] = "outlet"
            continue
        if meta.outlet is not None and u.core.strip() == meta.outlet:
            hk[i] = "outlet"
            continue
        after_byline = False
        if u.prose or u.n_words >= 8:
            hk[i] = "teaser" if counts[u.norm] > 1 or not u.prose else \
                ("dek" if title_i is not None and i > title_i and "dek" not in hk.values() else "caption")
    return meta
