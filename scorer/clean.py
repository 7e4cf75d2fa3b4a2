"""Separate an article's body from the page furniture around it.

Two entry points, one per kind of input:

* ``clean_text(raw)`` for scraped page text (what a copy-paste or a text dump of
  a web page gives): navigation menus, repeated headline/teaser blocks,
  "READ NEXT"/"Related" lists, comment widgets, footers, author bios, image URLs.
* ``clean_html(raw)`` for HTML, through trafilatura's main-content extractor.

Both return a :class:`Cleaned`: the body text, metadata the page states
(title, byline, date, outlet, URL), every removed block with its reason, and a
map from body offsets back to raw-page offsets (used to measure extraction
against hand-marked boundaries).

How ``clean_text`` decides (generic rules, no per-site templates; the word lists
and patterns are data files under ``scorer/data/cleaning/``):

1. The page is cut into *units*: non-blank lines, or whole paragraphs when the
   lines of a block are hard-wrapped prose.
2. Units that are furniture wherever they stand are labelled first: "Advertisement"
   lines, image URLs, photo credits/captions, embedded social posts, toolbars
   made of interface words.
3. The body starts at the first prose paragraph that is not repeated elsewhere
   on the page (repeated headline/teaser blocks are page chrome); a one-sentence
   paragraph right under a headline is a teaser or a caption, not the lead.
4. The body ends at the first strong section marker after it ("READ NEXT",
   "Related", "Comments / 2", "Leave a Reply", "Tags:", "©"), and trailing
   author bios (third or first person) and non-prose lines are trimmed off.
5. Metadata comes from the header (units before the body): the headline, a
   byline ("By ...", a bulleted or bare name line), a stated date (ISO), a
   publisher line under the byline; otherwise a "©" footer names the outlet.

Every non-blank unit ends up either in the body or in ``removed``.
"""

from __future__ import annotations

import datetime as _dt
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from scorer.spans import Span

_DATA = Path(__file__).resolve().parent / "data" / "cleaning"


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


# ---------------------------------------------------------------- data files


def _data_lines(name: str) -> list[str]:
    """Non-comment, non-blank lines of ``scorer/data/cleaning/<name>``."""
    out = []
    for line in (_DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            out.append(line.rstrip("\n"))
    return out


@dataclass(frozen=True)
class _Rules:
    """Compiled cleaning rules, loaded once per process."""

    markers: tuple[tuple[str, str, re.Pattern[str]], ...]  # (kind, strength, pattern)
    furniture: tuple[tuple[str, re.Pattern[str]], ...]
    ui_words: frozenset[str]
    bio: re.Pattern[str]
    name_stop: frozenset[str]
    source_note: re.Pattern[str]
    lead: re.Pattern[str]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    """Load and compile the data files (once: cleaning runs over thousands of pages)."""
    markers = []
    for line in _data_lines("section_markers.tsv"):
        kind, strength, rx = line.split("\t", 2)
        markers.append((kind, strength, re.compile(rf"(?:{rx})\s*", re.I)))
    furniture = []
    for line in _data_lines("furniture_lines.tsv"):
        kind, rx = line.split("\t", 1)
        furniture.append((kind, re.compile(rf"(?:{rx})\s*", re.I)))
    bio = re.compile("|".join(f"(?:{rx})" for rx in _data_lines("bio_cues.txt")), re.I)
    return _Rules(
        markers=tuple(markers),
        furniture=tuple(furniture),
        ui_words=frozenset(w.strip().lower() for w in _data_lines("ui_words.txt")),
        bio=bio,
        name_stop=frozenset(w.strip().lower() for w in _data_lines("name_stopwords.txt")),
        source_note=re.compile("|".join(f"(?:{rx})" for rx in _data_lines("source_notes.txt")), re.I),
        lead=re.compile("|".join(f"(?:{rx})" for rx in _data_lines("lead_cues.txt")), re.I),
    )


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


# ---------------------------------------------------------------- HTML

_HTML_SKIP = re.compile(r"<!--.*?-->|<(script|style|noscript|template|head|svg|iframe|textarea|select)\b.*?</\1\s*>",
                        re.S | re.I)
_HTML_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*>|<![^>]*>|<\?[^>]*>", re.S)
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body br dd details div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr html li main nav ol p pre section summary table tbody td tfoot th thead time tr ul button label "
    "option caption".split())


@dataclass
class _Block:
    """A run of visible text between block-level tags, and where its HTML source lies."""

    start: int
    end: int
    text: str


def _html_blocks(raw: str) -> list[_Block]:
    """Visible text blocks of an HTML page in document order, with raw-HTML spans.

    A light scanner rather than a DOM: it keeps character positions, which a
    parsed tree loses, so every removed block can point back into the page.
    """
    import html as _html

    blocks: list[_Block] = []
    pieces: list[tuple[int, int, str]] = []

    def flush() -> None:
        if pieces:
            text = " ".join(" ".join(p[2] for p in pieces).split())
            if text:
                blocks.append(_Block(pieces[0][0], pieces[-1][1], text))
            pieces.clear()

    def text_piece(a: int, b: int) -> None:
        chunk = raw[a:b]
        if not chunk.strip():
            if pieces:
                pieces.append((pieces[-1][0], pieces[-1][1], " "))
            return
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk.rstrip())
        pieces.append((a + lead, a + trail, _html.unescape(chunk)))

    pos = 0
    skips = [(m.start(), m.end()) for m in _HTML_SKIP.finditer(raw)]
    for a, b in skips + [(len(raw), len(raw))]:
        for m in _HTML_TAG.finditer(raw, pos, a):
            text_piece(pos, m.start())
            if m.group(2) and m.group(2).lower() in _BLOCK_TAGS:
                flush()
            pos = m.end()
        text_piece(pos, a)
        flush()
        pos = b
    return blocks


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def clean_html(raw: str) -> Cleaned:
    """Extract the main content and metadata of an HTML page with trafilatura.

    trafilatura picks the article's blocks; the scraped-text rules then take the
    headline, byline and date lines and in-body furniture out of them. Every other
    visible block of the page is reported in ``removed`` (kind from its position
    and section markers: navigation, related, comments, footer, boilerplate), with
    spans into the HTML source; ``body_map`` maps each body paragraph to the HTML
    span of its block (tags included, so the two spans differ in length).
    """
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False,
                                          include_tables=False, favor_precision=True,
                                          date_extraction_params={"extensive_search": False, "original_date": True})
    except Exception:  # noqa: BLE001 - the extractor fails on malformed pages; the fallback below still reads them
        doc = None
    get = (lambda k: None) if doc is None else \
        ((lambda k: getattr(doc, k, None)) if not isinstance(doc, dict) else doc.get)
    extracted = get("text") or ""
    lines = {_norm(line) for line in extracted.splitlines() if line.strip()}
    full = _norm(extracted)

    blocks = _html_blocks(raw)
    kept_idx = [i for i, b in enumerate(blocks)
                if _norm(b.text) in lines or (len(b.text) >= 40 and _norm(b.text) in full)]
    if not extracted.strip() or not kept_idx:
        # the extractor found nothing, or text we cannot place on the page: the text rules decide over every block
        kept_idx = list(range(len(blocks)))
    kept = set(kept_idx)

    # second pass: the text rules over the kept blocks (headline, byline, ads, teasers)
    kept_blocks = [blocks[i] for i in kept_idx]
    synthetic, offsets = _join_blocks(kept_blocks)
    inner = clean_text(synthetic)

    starts = [a for a, _ in offsets]

    def raw_span(span: Span) -> Span:
        """HTML span of the kept block holding ``span.start`` in the joined text.

        The block intervals ``[a, b + 1)`` are sorted and disjoint (blocks are
        joined by two characters), so a bisection finds the one block, if any:
        logarithmic per span, where a scan was quadratic over a page.
        """
        k = bisect_right(starts, span.start) - 1
        if k >= 0 and span.start < offsets[k][1] + 1:
            blk = kept_blocks[k]
            return Span(blk.start, blk.end)
        return Span(0, 0)

    body_map = [(text, raw_span(src)) for text, src in inner.body_map]
    removed = [Removed(r.kind, r.text, raw_span(r.span)) for r in inner.removed]
    body_starts = [raw_span(src).start for _, src in inner.body_map]
    body_first = min(body_starts, default=len(raw))
    body_last = max(body_starts, default=-1)
    title = get("title") or inner.title
    section = "boilerplate"
    for i, b in enumerate(blocks):
        if i in kept:
            continue
        u = _Unit(b.start, b.end, b.text)
        if b.start > body_last:
            mk = _marker(u)
            section = mk[0] if mk is not None else section
            kind = _furniture_kind(u) or section
        elif b.start < body_first:
            kind = _furniture_kind(u) or _header_kind(u, title)
        else:
            kind = _furniture_kind(u) or "boilerplate"
        removed.append(Removed(kind, b.text, Span(b.start, b.end)))
    removed.sort(key=lambda r: r.span.start)

    author = get("author")
    authors = [a.strip() for a in re.split(r";|\band\b", author) if a.strip()] if author else list(inner.authors)
    date = get("date")
    return Cleaned(
        text=inner.text,
        title=get("title") or inner.title,
        authors=authors,
        date=date[:10] if isinstance(date, str) and re.match(r"\d{4}-\d{2}-\d{2}", date) else inner.date,
        outlet=get("sitename") or inner.outlet,
        url=get("url") or inner.url,
        removed=removed,
        body_map=body_map,
    )


def _header_kind(u: _Unit, title: str | None) -> str:
    """Kind of a page block above the article that the extractor left out."""
    if title and _norm(u.core) == _norm(title):
        return "title"
    if _byline_names(u) or _bare_byline(u):
        return "byline"
    if _date_line(u):
        return "date"
    return "teaser" if u.prose else "navigation"


def _join_blocks(blocks: list[_Block]) -> tuple[str, list[tuple[int, int]]]:
    """Block texts joined by blank lines, and the (start, end) of each in the joined text."""
    parts, offsets, pos = [], [], 0
    for b in blocks:
        if parts:
            parts.append("\n\n")
            pos += 2
        parts.append(b.text)
        offsets.append((pos, pos + len(b.text)))
        pos += len(b.text)
    return "".join(parts), offsets
