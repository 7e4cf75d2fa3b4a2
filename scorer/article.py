"""Articles and the readers that make them from files and corpora.

``read(path)`` turns one file into an :class:`Article`; ``read_corpus(path)``
yields Articles from a directory or a ``.jsonl``/``.csv`` corpus. Reading never
guesses silently: undecodable, binary, empty or oversized inputs raise
:class:`~scorer.errors.InputError` naming the file and the problem, and every
piece of page furniture the cleaner removed stays on ``Article.removed``.

Length: about 550 lines, one job (turning files and corpus records into Articles); most of it is the per-format readers and their error messages.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from scorer import clean
from scorer.clean import Removed
from scorer.errors import InputError
from scorer.outputs import terminal_safe
from scorer.spans import Span

log = logging.getLogger(__name__)

#: File suffixes ``read`` understands, and so the files ``read_corpus`` picks up in a directory.
ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".json")
_BUILTIN_MAX_BYTES = 20_000_000


def _max_bytes_from_env() -> int:
    """``SCORER_MAX_BYTES`` when it is a positive whole number, else the built-in limit (with a warning).

    A mistyped setting must not make every command crash on import.
    """
    value = os.environ.get("SCORER_MAX_BYTES")
    if value is None or not value.strip():
        return _BUILTIN_MAX_BYTES
    try:
        limit = int(value.strip().replace("_", ""))
    except ValueError:
        limit = 0
    if limit <= 0:
        log.warning("SCORER_MAX_BYTES=%r is not a positive number of bytes; using %s", value, f"{_BUILTIN_MAX_BYTES:,}")
        return _BUILTIN_MAX_BYTES
    return limit


#: Largest input read by default (bytes); override with ``SCORER_MAX_BYTES``.
DEFAULT_MAX_BYTES = _max_bytes_from_env()
#: Corpus columns that map onto Article fields; every other column lands in ``extra``.
_RECORD_FIELDS = ("id", "text", "title", "authors", "date", "url", "domain", "source_name", "label")


@dataclass
class Article:
    """One news article: its body text plus what the page says about it."""

    id: str
    text: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    outlet: str | None = None
    url: str | None = None
    path: str | None = None
    label: str | None = None
    removed: list[Removed] = field(default_factory=list)
    #: Where each character range of ``text`` came from in the raw page: (text span, raw span).
    body_map: list[tuple[Span, Span]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def domain(self) -> str | None:
        """The outlet's web domain when known (from the corpus or the URL)."""
        dom = self.extra.get("domain")
        if dom:
            return str(dom)
        if self.url:
            from urllib.parse import urlparse

            host = urlparse(self.url).netloc.lower()
            return host[4:] if host.startswith("www.") else host or None
        return None

    def __repr__(self) -> str:
        return f"Article(id={self.id!r}, title={self.title!r}, chars={len(self.text)})"


# ---------------------------------------------------------------- decoding


_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{2,40})""", re.I)
#: Declared charsets never honoured: UTF-7 can smuggle markup past filters; the rest are UTF-8/16 handled above.
_IGNORED_CHARSETS = {"utf_7", "utf_8", "utf_8_sig", "utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le",
                     "utf_32_be"}


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares near its top (``<meta charset>`` or an XML declaration), if usable."""
    import codecs

    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if m is None:
        return None
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name.replace("-", "_")
    except (LookupError, UnicodeDecodeError):
        return None
    return None if name in _IGNORED_CHARSETS else name


def decode_bytes(data: bytes, source: object, declared: str | None = None) -> str:
    """Decode file bytes as UTF-8, else the page's declared charset, else cp1252/latin-1, refusing binary data.

    Scraped files arrive in legacy encodings often enough that rejecting them
    would lose articles; binary files (images, PDFs, archives) are refused with
    a clear message rather than turned into noise. ``declared`` (from
    :func:`declared_charset`) lets a Windows-1251 or Shift-JIS page decode as
    what it says it is instead of as cp1252 mojibake.
    """
    if not data.strip():
        raise InputError(source, "empty file")
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        if _looks_utf16(head):
            raise InputError(source, "UTF-16 without a byte-order mark; save it as UTF-8 (or UTF-16 with a BOM)")
        raise InputError(source, "binary file, not text")
    for encoding in ("utf-8-sig", "utf-16") if head.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if controls > len(head) * 0.05:
        raise InputError(source, "binary file, not text")
    if declared:
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _looks_utf16(head: bytes) -> bool:
    """Whether bytes look like UTF-16 text without a byte-order mark: NULs on one parity only, mostly.

    Latin-script UTF-16 has a NUL as every other byte (odd positions for
    little-endian, even for big-endian); binary data has NULs anywhere.
    """
    even, odd = head[0::2], head[1::2]
    if len(odd) < 8:
        return False
    share_even, share_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    return max(share_even, share_odd) >= 0.6 and min(share_even, share_odd) <= 0.02


def _over_limit(size: int, max_bytes: int) -> str:
    return f"file is {size:,} bytes, over the {max_bytes:,}-byte limit (set SCORER_MAX_BYTES to raise it)"


def _missing(path: Path) -> str:
    """Why an existing-looking name cannot be opened: a symlink loop, a dangling link, or nothing there."""
    import errno

    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop (the link points back to itself)"
        if path.is_symlink():
            return f"broken symbolic link (its target {os.readlink(path)!r} does not exist)"
    return "no such file"


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing what is not a regular file or is over ``max_bytes``.

    Devices and pipes (``/dev/zero``, a FIFO) would never end or block forever,
    and a file can grow after ``stat``, so at most ``max_bytes + 1`` bytes are read.
    """
    if not path.exists():
        raise InputError(path, _missing(path))
    if path.is_dir():
        raise InputError(path, "is a directory, not a file")
    if not path.is_file():
        raise InputError(path, "not a regular file (a device, pipe or socket)")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(path, _over_limit(size, max_bytes))
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise InputError(path, _over_limit(len(data), max_bytes))
    return data


# ---------------------------------------------------------------- one file


def read(path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """Read one article file (``.txt``, ``.md``, ``.html``/``.htm``, ``.json``).

    Files with any other suffix are read as plain text (binary files are
    refused). Text and Markdown pages go through the scraped-page cleaner, HTML through
    the main-content extractor, JSON objects are taken field by field.

    Raises:
        InputError: the file is missing, a directory, binary, empty, too large,
            or holds no article text after cleaning.
    """
    p = Path(path)
    suffix = p.suffix.lower()  # any other suffix is read as plain page text
    data = _read_bytes(p, max_bytes)
    raw = _safe_chars(decode_bytes(data, p, declared_charset(data) if suffix in (".html", ".htm") else None))
    if suffix == ".json":
        art = _article_from_json(raw, p)
    else:
        cleaned = clean.clean_html(raw) if suffix in (".html", ".htm") else clean.clean_text(raw)
        art = Article(  # HTML entities (&#27;) can make controls again after parsing: clean every field
            id=terminal_safe(p.stem),  # a file name may hold ESC, BEL or a line break
            text=_safe_chars(cleaned.text),
            title=_safe_chars(cleaned.title),
            authors=_safe_chars(list(cleaned.authors)),
            date=_safe_chars(cleaned.date),
            outlet=_safe_chars(cleaned.outlet),
            url=_safe_chars(cleaned.url),
            removed=[Removed(r.kind, _safe_chars(r.text), r.span) for r in cleaned.removed],
            body_map=list(cleaned.body_map),
        )
    art.path = terminal_safe(str(p))
    if not art.text.strip():
        raise InputError(p, "no article text found (the page is empty or all furniture)")
    return art


def _article_from_json(raw: str, source: Path) -> Article:
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"invalid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise InputError(source, "invalid JSON (nested too deeply)") from None
    if not isinstance(obj, dict):
        raise InputError(source, "JSON must be an object with a 'text' field")
    obj.setdefault("id", terminal_safe(source.stem))
    for key in ("body", "content", "article"):
        if "text" not in obj and isinstance(obj.get(key), str):
            obj["text"] = obj[key]
    return article_from_record(obj, source)


# ---------------------------------------------------------------- corpus records


def _as_authors(value: Any) -> list[str]:
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, str):
        parts = [a.strip() for a in value.replace(" and ", ",").split(",")]
        return [a for a in parts if a]
    if isinstance(value, (list, tuple)):
        return [str(a).strip() for a in value if str(a).strip()]
    return [str(value)]


#: Characters no article needs and no output should carry: C0 controls other than tab, line
#: breaks and the separators (NEL included), DEL, C1 controls, and lone UTF-16 surrogates.
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\ud800-\udfff]")


def _safe_chars(value: Any) -> Any:
    """``value`` with unsafe characters replaced by U+FFFD (same length, so every offset holds).

    An ESC or BEL in an article would reach the user's terminal as a control
    sequence when ``scorer inspect`` or ``scorer score`` prints it (retitling the
    window, clearing the screen); a lone surrogate, which the JSON escape
    ``"\\ud800"`` produces, cannot be written as UTF-8 and would stop a run.
    """
    if isinstance(value, str):
        return _UNSAFE_CHARS.sub("\ufffd", value) if _UNSAFE_CHARS.search(value) else value
    if isinstance(value, list):
        return [_safe_chars(v) for v in value]
    if isinstance(value, dict):
        return {_safe_chars(k): _safe_chars(v) for k, v in value.items()}
    return value


def _as_str(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


_UNIX_TIME = re.compile(r"\d{9,10}(?:\.0+)?")


def _as_date(value: Any) -> str | None:
    """A record's date as text; a Unix timestamp (``1544936400.0``, as some corpora store dates) becomes ISO 8601 (UTC)."""
    text = _as_str(value)
    if text is not None and _UNIX_TIME.fullmatch(text):
        import datetime as dt

        return dt.datetime.fromtimestamp(float(text), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return text


def article_from_record(record: dict[str, Any], source: object) -> Article:
    """Build an Article from a corpus record with at least ``id`` and ``text``.

    Columns beyond the Article fields (``corpus``, ``label_raw``, ...) are
    kept in ``extra`` so nothing a corpus carries is lost.

    Raises:
        InputError: no id, or no text.
    """
    record = _safe_chars(record)
    raw_id = record.get("id")
    if isinstance(raw_id, (bool, list, tuple, dict)):
        raise InputError(source, f"record 'id' must be a string or a number, not {type(raw_id).__name__}")
    rid = _as_str(raw_id)
    if rid is None:
        raise InputError(source, "record has no 'id'")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{source} [id {rid}]", "record has no text")
    extra = {k: v for k, v in record.items() if k not in _RECORD_FIELDS}
    if _as_str(record.get("domain")):
        extra["domain"] = _as_str(record.get("domain"))
    return Article(
        id=rid,
        text=text,
        title=_as_str(record.get("title")),
        authors=_as_authors(record.get("authors")),
        date=_as_date(record.get("date")),
        outlet=_as_str(record.get("outlet")) or _as_str(record.get("source_name")) or _as_str(record.get("domain")),
        url=_as_str(record.get("url")),
        label=_as_str(record.get("label")),
        extra=extra,
    )


# ---------------------------------------------------------------- corpora

OnError = Callable[[InputError], None]
#: Called with a file of a directory corpus that is not read, and why (its suffix).
OnSkip = Callable[[Path, str], None]


def _warn(err: InputError) -> None:
    log.warning("%s", err)


def read_corpus(path: str | os.PathLike[str], *, on_error: OnError | None = None,
                on_skip: OnSkip | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                clean_records: bool = True) -> Iterator[Article]:
    """Yield Articles from a directory (recursive, mixed formats), a ``.jsonl``/``.csv`` file or one article file.

    A bad file or record is passed to ``on_error`` (default: logged as a
    warning) and skipped; the rest of the corpus is still read. A file of a
    directory that is not an article file (``.png``, ``.jsonl``, no suffix)
    is passed to ``on_skip`` with the reason, its suffix (default: ignored).
    A record's text goes through the same cleaning as a ``.txt`` page (scraped
    records carry menus, captions and "Advertisement" lines);
    ``clean_records=False`` takes the text of a clean corpus as given.

    Raises:
        InputError: the corpus itself is missing or of an unknown kind.
    """
    report = on_error or _warn
    p = Path(path)
    if not p.exists():
        raise InputError(p, "no such file or directory")
    if p.is_dir():
        yield from _read_directory(p, report, max_bytes, on_skip)
    elif not p.is_file():
        raise InputError(p, "not a regular file (a device, pipe or socket)")
    elif p.suffix.lower() in (".jsonl", ".csv"):
        records = (_read_jsonl if p.suffix.lower() == ".jsonl" else _read_csv)(p, report, max_bytes)
        yield from (map(cleaned_record, records) if clean_records else records)
    elif p.suffix.lower() in ARTICLE_SUFFIXES:  # one article file is a corpus of one
        art = _read_or_report(p, report, max_bytes)
        if art is not None:
            yield art
    else:
        raise InputError(p, "a corpus must be a directory, a .jsonl or .csv file, or an article file "
                            f"({', '.join(ARTICLE_SUFFIXES)})")


#: ``Article.extra`` key set on a record whose cleaning found no article body (its text is kept as given).
NO_BODY = "cleaning_found_no_body"


def cleaned_record(art: Article) -> Article:
    """A corpus record with its text cleaned as a text page is; the record's own metadata wins.

    When the cleaner finds no body at all (a one-line record, or a record
    that is all page furniture) the text is kept as given, since the corpus
    says it is the article, and ``extra[NO_BODY]`` is set so callers can
    leave such records out.
    """
    cleaned = clean.clean_text(art.text)
    if not cleaned.text.strip():
        art.extra[NO_BODY] = True
        return art
    art.text = _safe_chars(cleaned.text)
    art.title = art.title or _safe_chars(cleaned.title)
    art.authors = art.authors or _safe_chars(list(cleaned.authors))
    art.date = art.date or _safe_chars(cleaned.date)
    art.removed = [Removed(r.kind, _safe_chars(r.text), r.span) for r in cleaned.removed]
    art.body_map = list(cleaned.body_map)
    return art


def _read_or_report(path: Path, report: OnError, max_bytes: int) -> Article | None:
    """The article file at ``path``, or None once ``report`` has been told why it cannot be read."""
    try:
        return read(path, max_bytes=max_bytes)
    except InputError as err:
        report(err)
        return None


def _read_directory(root: Path, report: OnError, max_bytes: int, on_skip: OnSkip | None = None) -> Iterator[Article]:
    seen: set[str] = set()
    files = []
    for f in sorted(root.rglob("*")):
        if f.is_file() and f.suffix.lower() in ARTICLE_SUFFIXES:
            files.append(f)
        elif f.is_file():
            if on_skip is not None:
                on_skip(f, f.suffix.lower() or "no suffix")
        elif f.is_symlink() and not f.exists():  # a loop or a dangling link: say so, do not drop it silently
            report(InputError(f, _missing(f)))
    for f in files:
        art = _read_or_report(f, report, max_bytes)
        if art is None:
            continue
        if art.id in seen:  # same file name in two sub-folders: fall back to the relative path
            art.id = terminal_safe(f.relative_to(root).with_suffix("").as_posix())
        seen.add(art.id)
        yield art


def _open_corpus(path: Path):
    """Open a corpus file for binary reading, as an InputError when it cannot be read."""
    try:
        return open(path, "rb")
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None


def _too_large(size: int, max_bytes: int) -> str:
    return f"record is {size:,} bytes, over the {max_bytes:,}-byte limit (set SCORER_MAX_BYTES to raise it)"


def _bounded_lines(fh: Any, max_bytes: int) -> Iterator[tuple[bytes, int]]:
    """(line, size) for each line of a binary file, never holding more than ``max_bytes + 1`` bytes of one.

    A line over the limit is skipped in chunks and yielded as ``(b"", size)``, so
    a corpus file that is one endless line cannot exhaust memory.
    """
    while True:
        line = fh.readline(max_bytes + 1)
        if not line:
            return
        if len(line) <= max_bytes or line.endswith(b"\n"):
            yield line, len(line)
            continue
        size = len(line)
        while not line.endswith(b"\n"):
            line = fh.readline(1 << 20)
            if not line:
                break
            size += len(line)
        yield b"", size


def _read_jsonl(path: Path, report: OnError, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article]:
    with _open_corpus(path) as fh:
        for lineno, (line, size) in enumerate(_bounded_lines(fh, max_bytes), 1):
            art = _record_or_report(line, size, f"{path}:{lineno}", report, max_bytes)
            if art is not None:
                yield art


def _record_or_report(line: bytes, size: int, where: str, report: OnError, max_bytes: int) -> Article | None:
    """The article of one JSONL line, or None (a blank line, or a bad one once ``report`` has been told why)."""
    if size > max_bytes:
        report(InputError(where, _too_large(size, max_bytes)))
        return None
    if not line.strip():
        return None
    try:
        record = json.loads(decode_bytes(line, where))
    except json.JSONDecodeError as exc:
        report(InputError(where, f"invalid JSON ({exc.msg})"))
        return None
    except RecursionError:
        report(InputError(where, "invalid JSON (nested too deeply)"))
        return None
    except InputError as err:
        report(err)
        return None
    if not isinstance(record, dict):
        report(InputError(where, "line is not a JSON object"))
        return None
    try:
        return article_from_record(record, where)
    except InputError as err:
        report(err)
        return None


def read_jsonl_range(path: str | os.PathLike[str], start: int, stop: int, *, on_error: OnError | None = None,
                     max_bytes: int = DEFAULT_MAX_BYTES, clean_records: bool = True) -> Iterator[Article]:
    """The records of a ``.jsonl`` corpus whose lines start at a byte offset in ``[start, stop)``.

    Byte ranges that tile a file give every record exactly once, so workers can each
    read their own range of a corpus on shared storage (as Hadoop splits a text file).
    Bad records go to ``on_error`` (default: logged as a warning), named by byte offset.
    """
    report = on_error or _warn
    p = Path(path)
    with _open_corpus(p) as fh:
        if start > 0:  # the line running over ``start`` (or ending just before it) belongs to the range before
            fh.seek(start - 1)
            for _ in _bounded_lines(fh, max_bytes):
                break
        while (offset := fh.tell()) < stop:
            got = next(_bounded_lines(fh, max_bytes), None)
            if got is None:
                return
            art = _record_or_report(*got, f"{p}:byte {offset}", report, max_bytes)
            if art is not None:
                yield cleaned_record(art) if clean_records else art


def _read_csv(path: Path, report: OnError, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Article]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with _open_corpus(path) as fh:
        try:
            data = fh.read()
        except OSError as exc:
            raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    raw = decode_bytes(data, path)
    # newline="": only \n and \r end a row; U+2028, NEL or form feeds inside a field stay text
    reader = csv.DictReader(io.StringIO(raw, newline=""))
    try:
        columns = reader.fieldnames or []
    except csv.Error as exc:
        raise InputError(path, f"unreadable CSV header ({exc})") from None
    missing = [c for c in ("id", "text") if c not in columns]
    if missing:
        raise InputError(path, f"CSV corpus lacks column(s) {', '.join(missing)}; found {', '.join(columns) or 'none'}")
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            report(InputError(f"{path}:{start}", f"unreadable CSV row ({exc})"))
            continue
        where = f"{path}:{start}"
        if reader.restkey in row:
            report(InputError(where, f"row has {len(columns) + len(row[reader.restkey])} fields but the header "
                                     f"has {len(columns)} (an unquoted comma in the text?)"))
            continue
        text = row.get("text")
        if isinstance(text, str) and len(text) > max_bytes // 4 and len(text.encode("utf-8")) > max_bytes:
            report(InputError(where, _too_large(len(text.encode("utf-8")), max_bytes)))
            continue
        try:
            yield article_from_record(row, where)
        except InputError as err:
            report(err)
