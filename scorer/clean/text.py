"""``clean_text``: the body of a scraped text page, found among its units; every other unit is kept in ``removed`` with its reason."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from scorer.spans import Span
from scorer.clean.metadata import _Meta, _date_line, _header_metadata, _outlet_from_copyright, find_date
from scorer.clean.rules import _rules
from scorer.clean.units import _BYLINE, _MORE_FROM, _Unit, _WORD, _bare_byline, _byline_names, _furniture_kind, _marker, _name_like, _names_from, _ui_line, _units


@dataclass
class Removed:
    """One block of page furniture the cleaner took out, and why."""

    kind: str  # e.g. "navigation", "teaser", "related", "comments", "author_bio", "image_url", "footer"
    text: str
    span: Span  # position in the raw page text


@dataclass
class Cleaned:
    """Result of cleaning one page."""

    text: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    outlet: str | None = None
    url: str | None = None
    removed: list[Removed] = field(default_factory=list)
    body_map: list[tuple[Span, Span]] = field(default_factory=list)

    def raw_body_spans(self) -> list[Span]:
        """Raw-page spans kept as body (for character-level extraction metrics)."""
        return [raw for _, raw in self.body_map]



# ---------------------------------------------------------------- the cleaner


def _title_like(u: _Unit) -> bool:
    """A headline: 3-40 words, not a sentence ending in a period, not interface words."""
    core = u.core.lstrip("#").strip()
    if not 3 <= len(_WORD.findall(core)) <= 40 or len(core) > 300:
        return False
    if core.endswith((".", ",", ";", ":")) and not core.endswith("..."):
        return False
    if _ui_line(u) or _BYLINE.match(core) or _name_like(core) or find_date(core) is not None:
        return False
    if core.endswith(("?", "!")):
        caps = [w for w in u.words if len(w) > 3]
        return bool(caps) and sum(w[0].isupper() for w in caps) / len(caps) >= 0.6
    return True


_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")


class _ProseIndex:
    """Prefix sums of unlabelled prose, and the next hard end marker, for O(1) box decisions."""

    def __init__(self, units: list[_Unit], kinds: list[str | None]) -> None:
        n = len(units)
        self.chars = [0] * (n + 1)
        self.count = [0] * (n + 1)
        for j, u in enumerate(units):
            is_prose = kinds[j] is None and u.prose
            self.chars[j + 1] = self.chars[j] + (len(u.core) if is_prose else 0)
            self.count[j + 1] = self.count[j] + is_prose
        self.next_end = [n] * (n + 1)
        for j in range(n - 1, -1, -1):
            mk = _marker(units[j]) if kinds[j] is None else None
            self.next_end[j] = j if mk is not None and mk[1] and not mk[2] else self.next_end[j + 1]

    def mass(self, lo: int, hi: int) -> tuple[int, int]:
        """(characters, count) of unlabelled prose units in ``units[lo:hi]``."""
        return self.chars[hi] - self.chars[lo], self.count[hi] - self.count[lo]


def _article_continues(index: _ProseIndex, first: int, i: int) -> bool:
    """True when a "Related" marker at ``i`` is a box inside the article, not the list after it.

    The article goes on after an in-body box: more running prose follows the
    marker (up to the next marker that always ends a body, such as "Comments / 2"
    or a copyright line) than stands between the body start and it.
    """
    nxt = index.next_end[i + 1]
    before, _ = index.mass(first, i)
    after, n_after = index.mass(i + 1, nxt)
    return n_after >= 3 and after >= max(before, 400)


def _label_inline_box(units: list[_Unit], kinds: list[str | None], i: int) -> int:
    """Label an in-body related box (marker plus the headline lines under it); return the next index."""
    kinds[i] = "related"
    j = i + 1
    while j < len(units) and not units[j].prose and _marker(units[j]) is None:
        kinds[j] = kinds[j] or "related"
        j += 1
    return j


def _is_bio(u: _Unit, authors: list[str]) -> bool:
    """An author bio: bio phrasing, or a paragraph opening with a known author's name."""
    m = _rules().bio.search(u.core)
    if m and m.start() < 200:  # a bio says so at once; a cue at the end of a long paragraph is a sign-off
        return True
    return any(u.core.startswith(a + " ") or u.core.startswith(a + ",") for a in authors if a)


def _front_matter(raw: str) -> tuple[dict[str, str], int]:
    """``key: value`` pairs of a Markdown front-matter block and where it ends (0 when absent)."""
    m = re.match(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", raw, re.S)
    if not m:
        return {}, 0
    meta = {}
    for line in m.group(1).splitlines():
        k, sep, v = line.partition(":")
        if sep and k.strip() and not k.startswith((" ", "\t")):
            meta[k.strip().lower()] = v.strip().strip("'\"")
    return meta, m.end()


_DATELINE = re.compile(r"(?:[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3}(?:, [A-Z][A-Za-z.'’-]+(?: [A-Z][A-Za-z.'’-]+){0,2})?"
                       r"|[A-Z][a-z.'’-]+(?: [A-Z][a-z.'’-]+){0,2}(?:, [A-Z][A-Za-z.'’-]+)? \([A-Z][\w .]{1,20}\))"
                       r"\s*[—–-]?")


def _find_start(units: list[_Unit], kinds: list[str | None], counts: dict[str, int],
                allow_repeated: bool) -> tuple[int | None, int | None]:
    """Index of the headline (or None) and of the first body paragraph (or None when there is none).

    The body starts at the first prose paragraph that is not repeated on the page
    (repeated headline/teaser blocks are chrome) and is not a dek or a caption:
    a one-sentence paragraph under a headline and a byline, or just above a
    byline, unless it reads like a news lead (who said what, when).
    """
    title_i: int | None = None
    skipped_short = 0
    header_meta = False  # a byline or date line seen: the page has a header (title, byline, dek)
    seen_byline = False  # the headline stands above the byline, never below it
    lead = _rules().lead
    for i, u in enumerate(units):
        mk = _marker(u)
        if kinds[i] is not None or mk is not None and mk[1]:
            header_meta = header_meta or (kinds[i] == "toolbar" and find_date(u.core) is not None)
            continue
        if not u.prose and (_byline_names(u) or _bare_byline(u)):
            header_meta = seen_byline = True
        elif _date_line(u):
            header_meta = True
        if title_i is None and not seen_byline and _title_like(u) and counts[u.norm] <= 2 and not u.prose \
                and not u.bullet:
            title_i = i
            continue
        if not u.prose or (counts[u.norm] > 1 and not allow_repeated) or _byline_names(u):
            continue
        if title_i is not None and header_meta and skipped_short < 2 and u.sentences == 1 and len(u.core) < 160 \
                and not lead.search(u.core) \
                and any(v.prose and (len(v.core) >= 160 or v.sentences > 1) for v in units[i + 1:i + 4]):
            skipped_short += 1
            continue
        if i > 0 and kinds[i - 1] == "caption" and len(units[i - 1].core) <= 80 and u.sentences == 1 \
                and len(u.core) <= 300:
            continue  # the caption under a photo credit ("Jan Novak/AP" / "The minister arrives on Monday.")
        if u.sentences == 1 and len(u.core) < 250 and not lead.search(u.core) and any(
                kinds[j] is None and not units[j].prose and (_byline_names(units[j]) or _date_line(units[j]))
                for j in range(i + 1, min(i + 3, len(units)))):
            continue  # a dek above the byline ("The leaders meet in Helsinki." / "By Willa Frej")
        return title_i, i
    return title_i, None


def clean_text(raw: str) -> Cleaned:
    """Split scraped page text into the article body and labelled furniture, with metadata.

    Always returns a :class:`Cleaned` (empty text when the page is all furniture);
    the union of the body spans and the removed spans covers every non-blank
    character of ``raw``.
    """
    front, front_end = _front_matter(raw)
    units = [u for u in _units(raw) if u.start >= front_end]
    kinds: list[str | None] = [None] * len(units)  # None = body (so far)

    # 1. furniture wherever it stands
    for i, u in enumerate(units):
        kinds[i] = _furniture_kind(u)
    for i, u in enumerate(units):  # the text of an embedded post sits just above its "— Name (@handle) date" line
        if kinds[i] == "embed" and i > 0 and kinds[i - 1] is None and units[i - 1].prose and \
                re.match(r"^[—–-]", units[i].core):
            kinds[i - 1] = "embed"
    for i, u in enumerate(units):  # a photo's caption sits just above its credit line "(Photo: X, AP)"
        if kinds[i] == "caption" and i > 0 and kinds[i - 1] is None and len(u.core) <= 80 and u.core.startswith("(") \
                and len(units[i - 1].core) <= 200 and units[i - 1].sentences == 1 and not _marker(units[i - 1]):
            kinds[i - 1] = "caption"
    counts: dict[str, int] = {}
    for u in units:
        counts[u.norm] = counts.get(u.norm, 0) + 1

    # 2. header: title, byline, then the first prose paragraph that is not a teaser
    title_i, first = _find_start(units, kinds, counts, allow_repeated=False)
    if first is None:  # every paragraph appears twice (a page scraped with its copy): take the first copies
        title_i, first = _find_start(units, kinds, counts, allow_repeated=True)
    if first is not None and first > 0 and kinds[first - 1] is None and _DATELINE.fullmatch(units[first - 1].core) \
            and not units[first - 1].bullet:
        first -= 1  # a dateline on its own line ("GLASGOW, Scotland", "Washington (CNN)") opens the lead

    if first is None:
        return _no_body(raw, units, kinds, front)

    # 3. end of body: the first strong section marker after the start
    end = len(units)
    index = _ProseIndex(units, kinds)
    i = first + 1
    while i < len(units):
        mk = _marker(units[i])
        if mk is not None and mk[1] and kinds[i] is None:
            if mk[2] and _article_continues(index, first, i):
                i = _label_inline_box(units, kinds, i)
                continue
            end = i
            break
        i += 1

    # metadata from the header (needed to recognise bios by the author's name)
    meta = _header_metadata(units, kinds, first, title_i, front, counts)

    # 4. trim trailing bios and non-prose lines off the body
    last = end - 1
    while last > first:
        u = units[last]
        if kinds[last] is not None:
            last -= 1
            continue
        if _rules().source_note.match(u.core):  # "(Source: ...)", "X contributed to this report"
            break
        if u.prose and not _is_bio(u, meta.authors):
            break
        if not u.prose and (_SENTENCE_END.search(u.core) or u.n_words >= 12) and not _ui_line(u) \
                and not _name_like(u.core):
            break  # a short closing sentence ("Beware, America. Beware."), a cut-off last paragraph
        kinds[last] = "author_bio" if u.prose else ("toolbar" if _ui_line(u) else "footer")
        if u.prose and last - 1 > first and _name_like(units[last - 1].core) and kinds[last - 1] is None:
            kinds[last - 1] = "author_bio"
            if not meta.authors:
                meta.authors.append(units[last - 1].core.strip())
            last -= 1
        last -= 1

    # 5. label everything outside [first, last]
    section = "footer"
    seen_in_body: set[str] = set()
    for i, u in enumerate(units):
        if first <= i <= last:
            if kinds[i] is None and counts[u.norm] > 1:
                if u.norm in seen_in_body or not u.prose:  # short lines seen twice are page chrome
                    kinds[i] = "repeated"
                seen_in_body.add(u.norm)
            continue
        if i >= end:
            mk = _marker(u)
            if mk is not None:
                section = mk[0]
            if kinds[i] != "image_url":
                kinds[i] = section
            continue
        if i > last:
            continue
        if kinds[i] is None:
            kinds[i] = meta.header_kinds.get(i) or ("teaser" if u.prose else "navigation")

    # 6. metadata from outside the header when the header did not state it
    for i, u in enumerate(units):
        if i >= first and kinds[i] is not None:
            if meta.outlet is None and kinds[i] == "footer":
                meta.outlet = _outlet_from_copyright(u.core)
            m = _MORE_FROM.match(u.core)
            if not meta.authors:
                meta.authors.extend(_byline_names(u) or (_names_from(m.group(1)) if m else []))

    return _assemble(raw, units, kinds, meta)



def _no_body(raw: str, units: list[_Unit], kinds: list[str | None], front: dict[str, str]) -> Cleaned:
    """A page with no prose paragraph: keep its unique text lines, report the rest as removed.

    A short text without sentence punctuation ("Bridge closed after crash on the
    ring road this morning") is still an article; an all-furniture page (menus,
    a footer, a list of headlines after "READ NEXT") keeps nothing.
    """
    counts: dict[str, int] = {}
    for u in units:
        counts[u.norm] = counts.get(u.norm, 0) + 1
    labelled: list[str | None] = []
    section: str | None = None
    for u, k in zip(units, kinds):
        mk = _marker(u)
        if mk is not None:
            section = mk[0]
        keep = k is None and mk is None and section is None and u.n_words >= 8 and counts[u.norm] == 1 \
            and not _byline_names(u) and not _ui_line(u)
        labelled.append(None if keep else (k or section or ("navigation" if not u.prose else "teaser")))
    meta = _Meta(title=front.get("title") or None)
    for u in units:
        if meta.outlet is None:
            meta.outlet = _outlet_from_copyright(u.core)
    return _assemble(raw, units, labelled, meta)


def _assemble(raw: str, units: list[_Unit], kinds: list[str | None], meta: _Meta) -> Cleaned:
    """Join kept units into the body text; merge adjacent removed units of one kind."""
    parts: list[str] = []
    body_map: list[tuple[Span, Span]] = []
    runs: list[list] = []  # [kind, start, end] of adjacent removed units of one kind
    pos = 0
    for u, kind in zip(units, kinds):
        if kind is None:
            if parts:
                parts.append("\n\n")
                pos += 2
            text = u.text.replace("\r", " ").replace("\n", " ") if u.wrapped else u.text
            parts.append(text)
            body_map.append((Span(pos, pos + len(text)), Span(u.start, u.end)))
            pos += len(text)
        elif runs and runs[-1][0] == kind and runs[-1][2] <= u.start and _only_space_between(raw, runs[-1][2], u.start):
            runs[-1][2] = u.end
        else:
            runs.append([kind, u.start, u.end])
        if kind is None and runs and runs[-1][0] is not None:
            runs.append([None, u.end, u.end])  # a body unit breaks a run
    removed = [Removed(k, raw[a:b], Span(a, b)) for k, a, b in runs if k is not None]
    seen: list[str] = []
    for a in meta.authors:
        if a and a not in seen:
            seen.append(a)
    return Cleaned(text="".join(parts), title=meta.title, authors=seen, date=meta.date,
                   outlet=meta.outlet, url=meta.url, removed=removed, body_map=body_map)


def _only_space_between(raw: str, a: int, b: int) -> bool:
    return not raw[a:b].strip()
