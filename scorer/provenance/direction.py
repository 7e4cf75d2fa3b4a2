"""Who copied whom: direction of reuse from disclosed origins and dates, or an honest "don't know".

Evidence, strongest first:

1. a disclosed origin naming the other article's outlet ("By Reuters" when the other
   article is Reuters') -> the discloser derives from the other;
2. both name the same origin, or one names an outlet the other is known not to be
   -> ``common_source`` (both derive from a third text, perhaps absent from the corpus);
3. publication dates at least a day apart -> the later derives from the earlier;
4. otherwise ``unknown``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from scorer.signals.origin import OriginStatement

DIRECTIONS = ("a_from_b", "b_from_a", "common_source", "unknown")


@dataclass
class ArticleMeta:
    """What direction needs to know about one article."""

    id: str
    outlet: str | None = None  # canonical name when known
    date: dt.date | None = None
    origin: list[OriginStatement] = field(default_factory=list)
    derived_from: list[str] = field(default_factory=list)  # outlets the article says it came from
    title: str | None = None
    url: str | None = None
    #: True for an article found in an archive index (``scorer index``), not in the corpus run.
    archived: bool = False

    @property
    def discloses(self) -> bool:
        """True when the article states where its text came from."""
        return bool(self.derived_from)


_MONTHS = {m: k for k, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


def parse_date(value: object) -> dt.date | None:
    """A date from the many forms corpora use ("2022-12-12", "December 12, 2022", "12/12/2022 10:00"); None if unsure."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()[:80]
    if not text:
        return None
    m = re.search(r"\b((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})", text)
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = re.search(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b", text)
        if m and m.group(1)[:3].lower() in _MONTHS:
            return dt.date(int(m.group(3)), _MONTHS[m.group(1)[:3].lower()], int(m.group(2)))
        m = re.search(r"\b(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+((?:19|20)\d\d)\b", text)
        if m and m.group(2)[:3].lower() in _MONTHS:
            return dt.date(int(m.group(3)), _MONTHS[m.group(2)[:3].lower()], int(m.group(1)))
        m = re.search(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b", text)
        if m:  # US order, the common one in scraped English news
            return dt.date(int(m.group(3)), int(m.group(1)), int(m.group(2)))
    except ValueError:
        return None
    return None


def direction(a: ArticleMeta, b: ArticleMeta) -> str:
    """``a_from_b``, ``b_from_a``, ``common_source`` or ``unknown`` for a pair with reused text."""
    if b.outlet and b.outlet in a.derived_from and a.outlet != b.outlet:
        return "a_from_b"
    if a.outlet and a.outlet in b.derived_from and a.outlet != b.outlet:
        return "b_from_a"
    if set(a.derived_from) & set(b.derived_from):
        return "common_source"
    if a.derived_from and b.outlet and b.outlet not in a.derived_from:
        return "common_source"
    if b.derived_from and a.outlet and a.outlet not in b.derived_from:
        return "common_source"
    if a.date and b.date and a.date != b.date:
        return "a_from_b" if a.date > b.date else "b_from_a"
    return "unknown"
