"""Everything the tool writes, made safe in one place: terminal text, cells, files, locks, journals.

A leaf module (it imports nothing from ``scorer`` but :mod:`scorer.errors`), so
the report writers, ``batch`` and ``provenance`` all build on the same pieces:

* :func:`terminal_safe` and :func:`one_line`: text from a corpus or a file
  name (ids, paths, titles, error messages) with the characters that drive a
  terminal or forge an output line (ESC, BEL, C1 controls, line breaks,
  bidirectional overrides) replaced by U+FFFD;
* :func:`csv_cell` / :func:`csv_value` / :func:`csv_line`: formula-safe CSV
  cells that read back exactly; :func:`esc`: HTML escaping;
* :func:`atomic_write_text`: a temporary file then a rename, with the mode a
  plain ``open`` would give (the umask's), or the replaced file's own mode;
* :class:`OutputLock`: one writer per output (``fcntl.flock`` on ``OUT.lock``);
  :func:`refuse_to_replace`: a finished output is replaced only when asked;
* :class:`LineJournal`: the one append-only, repairable line journal behind
  ``scorer batch`` rows and the ``scorer provenance`` work journal, written
  with Ctrl-C and SIGTERM held back so a line is never cut by an interrupt.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import signal
import stat
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

from scorer.errors import InputError

try:  # POSIX; elsewhere outputs are not locked (the refusal needs flock)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

# ---------------------------------------------------------------- text for terminals and cells

#: Characters that drive a terminal or rearrange what it shows: C0 controls (line breaks and tab
#: included), DEL, C1 controls, line/paragraph separators, bidirectional overrides and isolates,
#: and lone surrogates (which cannot be encoded at all).
_TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: The same without tab and line breaks (handled by :func:`one_line`): for cells and HTML.
_CELL_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def terminal_safe(value: Any) -> str:
    """``value`` as text that cannot drive a terminal or forge a line: every unsafe character becomes U+FFFD.

    Used on everything the tool prints that came from outside (file names,
    ids, error messages quoting them): a file named ``$'x\\x1b]0;PWNED\\x07'``
    would otherwise retitle the user's window, and one holding a newline could
    print a fake score line.
    """
    text = str(value)
    return _TERMINAL_UNSAFE.sub("\ufffd", text) if _TERMINAL_UNSAFE.search(text) else text


def one_line(value: Any) -> str:
    """``value`` on one line for a table cell: line breaks become spaces, other controls U+FFFD (tabs kept).

    Also the key ids are matched by on ``--resume``: an id read back from a
    CSV cell equals ``one_line`` of the id the corpus holds.
    """
    text = " ".join(str(value).splitlines())
    return _CELL_UNSAFE.sub("\ufffd", text) if _CELL_UNSAFE.search(text) else text


#: First characters that make a spreadsheet read a cell as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """A text cell safe to open in a spreadsheet: a leading formula character (or quote) gets a ``'`` in front.

    Ids, titles and URLs come from the corpus, so a record whose title is
    ``=HYPERLINK(...)`` would otherwise run as a formula when a user opens the
    output. :func:`csv_value` undoes it exactly.
    """
    return "'" + text if text.startswith(FORMULA_START + ("'",)) else text


def csv_value(cell: str) -> str:
    """The original text of a cell written by :func:`csv_cell`."""
    return cell[1:] if cell.startswith("'") else cell


def json_default(o: Any) -> Any:
    """JSON for numpy scalars and arrays (anything else: its text)."""
    if hasattr(o, "item"):
        return o.item()
    if hasattr(o, "tolist"):
        return o.tolist()
    return str(o)


def csv_line(record: dict[str, Any], columns: list[str]) -> str:
    """One CSV row for ``columns``: text cells on one line, free of controls, formula-safe."""
    buf = io.StringIO()
    values = []
    for c in columns:
        v = record.get(c)
        if isinstance(v, (list, dict)):
            v = json.dumps(v, ensure_ascii=False, default=json_default)
        if isinstance(v, str):
            v = csv_cell(one_line(v))
        values.append("" if v is None else v)
    csv.writer(buf, lineterminator="\n").writerow(values)
    return buf.getvalue()


def jsonl_line(record: dict[str, Any]) -> str:
    """One JSON Lines record (no raw newlines inside, ending in ``\\n``)."""
    return json.dumps(record, ensure_ascii=False, default=json_default) + "\n"


def esc(value: Any) -> str:
    """HTML-escape anything (quotes included; control characters become U+FFFD), None as an empty string."""
    text = "" if value is None else str(value)
    if _CELL_UNSAFE.search(text):
        text = _CELL_UNSAFE.sub("\ufffd", text)
    return html.escape(text, quote=True)


# ---------------------------------------------------------------- files


def _umask() -> int:
    """The process umask, read without changing it where /proc allows (else set and restored)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def new_file_mode(path: Path) -> int:
    """The mode a written ``path`` gets: the existing file's own, else what ``open()`` gives (0666 minus umask)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def atomic_write_text(path: str | os.PathLike[str], text: str, *, make_parents: bool = True) -> Path:
    """Write ``text`` to ``path`` via a temporary file in the same folder and a rename (never half-written).

    The file gets the mode a plain ``open`` would give it (the umask's), or
    keeps the mode of the file it replaces; ``mkstemp``'s 0600 never leaks.

    Raises:
        InputError: the folder is missing (with ``make_parents=False``) or not writable.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        if make_parents:
            folder.mkdir(parents=True, exist_ok=True)
        elif not folder.is_dir():
            raise InputError(target, "output folder does not exist")
        mode = new_file_mode(target)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(target, f"cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise InputError(target, f"cannot write: {exc.strerror or exc}") from None
        raise
    return target


def write_json(obj: Any, path: str | os.PathLike[str]) -> Path:
    """JSON file (UTF-8, indented), atomically."""
    return atomic_write_text(path, json.dumps(obj, indent=2, ensure_ascii=False, default=json_default) + "\n")


def write_csv(rows: Iterable[dict[str, Any]], columns: list[str], path: str | os.PathLike[str]) -> Path:
    """CSV file with a header, atomically."""
    text = csv_line({c: c for c in columns}, columns) + "".join(csv_line(r, columns) for r in rows)
    return atomic_write_text(path, text)


def write_jsonl(rows: Iterable[dict[str, Any]], path: str | os.PathLike[str]) -> Path:
    """JSON Lines file, atomically."""
    return atomic_write_text(path, "".join(jsonl_line(r) for r in rows))


def refuse_to_replace(path: str | os.PathLike[str], hint: str = "use --overwrite to replace it") -> None:
    """Raise when ``path`` already holds something (a non-empty file): results are replaced only when asked.

    Raises:
        InputError: ``path`` exists and is not empty; the message ends with ``hint``.
    """
    p = Path(path)
    try:
        full = p.is_file() and p.stat().st_size > 0
    except OSError:
        full = False
    if full:
        raise InputError(p, f"already holds results; {hint}")


# ---------------------------------------------------------------- one writer per output


class OutputLock:
    """An exclusive lock on an output, held by one run: ``fcntl.flock`` on the sidecar ``OUT.lock``.

    The kernel drops the lock when the process dies however it dies, so a
    killed run never blocks the next one; a run that ends normally removes the
    sidecar. A second run asking for the same output is refused at once.
    """

    def __init__(self, out: str | os.PathLike[str]) -> None:
        self.out = Path(out)
        self.path = self.out.with_name(self.out.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> "OutputLock":
        """Take the lock, or raise :class:`InputError` naming the output when another run holds it."""
        if fcntl is None or self._fd is not None:
            return self
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
            except OSError as exc:
                raise InputError(self.out, f"cannot write: {exc.strerror or exc}") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise InputError(self.out, "another scorer run is writing this output; wait for it to end "
                                           "or choose another output") from None
            try:  # a finishing holder may have removed the sidecar between our open and flock
                if os.fstat(fd).st_ino == os.stat(self.path).st_ino:
                    self._fd = fd
                    return self
            except OSError:
                pass
            os.close(fd)

    def release(self) -> None:
        """Remove the sidecar and drop the lock (sidecar first, so no one locks a removed file)."""
        if self._fd is None:
            return
        try:
            os.unlink(self.path)
        except OSError:
            pass
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> "OutputLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


# ---------------------------------------------------------------- the journal

#: Signals held back while a journal writes (Ctrl-C, and ``kill`` which the CLI turns into the same).
HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Run the body without being cut by Ctrl-C or SIGTERM; a signal that came meanwhile is delivered after.

    The handlers are swapped for ones that only note the signal (blocking it is
    not enough: one already received but not yet handled would still raise
    inside the body). Main thread only, where Python runs signal handlers.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, _frame: caught.append(signum)) for sig in HELD_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for sig in dict.fromkeys(caught):
            handler = previous[sig]
            if callable(handler):
                handler(sig, None)
            elif handler == signal.SIG_DFL:
                os.kill(os.getpid(), sig)


def complete_length(data: bytes) -> int:
    """Bytes of ``data`` up to and including its last newline (a kill mid-write leaves a partial tail)."""
    return data.rfind(b"\n") + 1


class LineJournal:
    """An append-only file of whole text lines that survives any kill.

    Lines are written whole, in one ``write``, with interrupts held; they reach
    the operating system at once (or, with ``buffered=True``, once
    :data:`BUFFER_LINES` wait or :attr:`sync_seconds` passed) and are fsync'd at
    most every :attr:`sync_seconds` and on :meth:`close`. A run killed
    mid-write leaves at most one partial last line, which :meth:`reopen` cuts.
    """

    #: Lines a buffered journal keeps in memory before writing them.
    BUFFER_LINES = 256

    def __init__(self, path: Path, fh: Any, sync_seconds: float = 1.0) -> None:
        self.path = path
        self._fh = fh
        self._buffer: list[str] = []
        self.sync_seconds = sync_seconds
        self._synced = time.monotonic()

    @classmethod
    def start(cls, path: str | os.PathLike[str], sync_seconds: float = 1.0) -> "LineJournal":
        """A new, empty journal at ``path`` (an earlier file there is emptied)."""
        path = Path(path)
        try:
            fh = open(path, "w", encoding="utf-8", newline="\n")
        except OSError as exc:
            raise InputError(path, f"cannot write: {exc.strerror or exc}") from None
        return cls(path, fh, sync_seconds)

    @classmethod
    def reopen(cls, path: str | os.PathLike[str], keep: int | None = None,
               sync_seconds: float = 1.0) -> "LineJournal":
        """Continue the journal at ``path``, first cutting it to ``keep`` bytes (default: its complete lines)."""
        path = Path(path)
        try:
            size = path.stat().st_size
            if keep is None:
                keep = complete_length(path.read_bytes()) if size else 0
            if keep < size:
                with open(path, "r+b") as fb:
                    fb.truncate(keep)
            fh = open(path, "a", encoding="utf-8", newline="\n")
        except OSError as exc:
            raise InputError(path, f"cannot write: {exc.strerror or exc}") from None
        return cls(path, fh, sync_seconds)

    @property
    def closed(self) -> bool:
        return self._fh.closed

    def append(self, lines: Iterable[str], *, buffered: bool = False, sync: bool = False) -> None:
        """Add whole lines (each without its newline); see the class docstring for when they reach disk."""
        with interrupts_held():
            self._buffer.extend(lines)
            now = time.monotonic()
            if sync or not buffered or len(self._buffer) >= self.BUFFER_LINES or now - self._synced > self.sync_seconds:
                self.flush(sync)

    def flush(self, sync: bool = False) -> None:
        """Write buffered lines (one write) to the operating system; fsync when due or asked."""
        try:
            if self._buffer:
                self._fh.write("".join(line + "\n" for line in self._buffer))
                self._buffer = []
                self._fh.flush()
            if sync or time.monotonic() - self._synced > self.sync_seconds:
                os.fsync(self._fh.fileno())
                self._synced = time.monotonic()
        except OSError as exc:  # a full disk, a removed folder: one clear line, not a traceback
            raise InputError(self.path, f"cannot write: {exc.strerror or exc}") from None

    def close(self) -> None:
        """Write and fsync what is buffered, then close the file (the journal stays on disk)."""
        if not self._fh.closed:
            try:
                with interrupts_held():
                    self.flush(sync=True)
            finally:
                self._fh.close()

    def remove(self) -> None:
        """Close and delete the journal (its content is in the finished outputs)."""
        if not self._fh.closed:
            self._fh.close()
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
