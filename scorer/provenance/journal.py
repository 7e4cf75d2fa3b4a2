"""A work journal for ``scorer provenance --out FILE``: an interrupted run loses no finished work.

The journal (``<out>.partial.jsonl``) is appended to while the run goes, one JSON
object per line, flushed to the operating system as results arrive and fsync'd at
most every :data:`SYNC_SECONDS`:

1. a header naming the corpus and a digest of its ids and texts, so that a journal
   is never resumed against another corpus (or another journal format);
2. one ``sketch`` line per article (sketching is most of the run time);
3. one ``candidates`` line with every candidate pair (the bucket join);
4. one ``pair`` line per aligned candidate pair, with its alignment (``null`` when
   the pair turned out not to reuse anything, so that it is not aligned again).

A run killed mid-write leaves at most one half-written last line; :meth:`Journal.resume`
drops it (and anything unreadable after it) before appending. The pure pipeline
functions know nothing of this: :func:`scorer.provenance.find_reuse` only calls the
hooks of a :class:`Checkpoint`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path
from typing import Iterable

import numpy as np

from scorer.errors import InputError
from scorer.outputs import LineJournal, interrupts_held
from scorer.provenance.align import Alignment, Passage
from scorer.provenance.fingerprint import Sketch
from scorer.spans import Span

#: Journal format; a journal of another format is refused on resume.
FORMAT = "scorer-provenance-journal/1"
#: Longest time buffered journal lines may sit in the operating system before an fsync.
SYNC_SECONDS = 1.0


class Checkpoint:
    """Hooks :func:`scorer.provenance.find_reuse` calls; this base keeps nothing (a no-op).

    ``sketches``, ``candidates`` and ``aligned`` hold work already done (from an earlier
    run); the ``add_*`` methods receive work as it is finished.
    """

    def __init__(self) -> None:
        self.sketches: dict[str, Sketch] = {}
        self.candidates: list[tuple[str, str]] | None = None
        self.aligned: dict[tuple[str, str], Alignment | None] = {}

    def add_sketch(self, sk: Sketch) -> None:
        """One article sketched."""

    def add_candidates(self, pairs: list[tuple[str, str]]) -> None:
        """The candidate pairs (article ids), once the bucket join is done."""

    def add_aligned(self, pairs: list[tuple[str, str]], found: list[Alignment]) -> None:
        """``pairs`` aligned; ``found`` are those of them with reuse (the others have none)."""


def corpus_digest(items: Iterable[tuple[str, str]]) -> tuple[str, int]:
    """SHA-256 over the (id, text) of every article, in order, and the article count.

    Ids and texts are length-prefixed, so no two different corpora share a digest by
    shifting text from one field to the next.
    """
    h = hashlib.sha256()
    n = 0
    for aid, text in items:
        for part in (aid, text):
            data = part.encode("utf-8", "surrogatepass")
            h.update(len(data).to_bytes(8, "little"))
            h.update(data)
        n += 1
    return h.hexdigest(), n


def journal_path(out: str | os.PathLike[str]) -> Path:
    """Where the journal of a run writing ``out`` lives: next to it, ``<out>.partial.jsonl``."""
    out = Path(out)
    return out.with_name(out.name + ".partial.jsonl")


# ------------------------------------------------------------ (de)serialisation


def _b64(arr: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(arr, dtype="<u4").tobytes()).decode("ascii")


def _unb64(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<u4")


def sketch_record(sk: Sketch) -> dict:
    """A sketch as a JSON object (keys and MinHash values are 32-bit; stored as base64)."""
    return {"sketch": sk.id, "keys": _b64(sk.keys), "minhash": _b64(sk.minhash), "n": sk.n_bigrams}


def sketch_from(rec: dict) -> Sketch:
    """The :class:`Sketch` a :func:`sketch_record` describes (bit for bit the one computed)."""
    return Sketch(rec["sketch"], _unb64(rec["keys"]).astype(np.uint32),
                  _unb64(rec["minhash"]).astype(np.uint64), int(rec["n"]))


def alignment_record(al: Alignment) -> dict:
    """An alignment as a JSON object; passages as [a_start, a_end, b_start, b_end, similarity, exact, quoted]."""
    return {"kind": al.kind, "a_share": al.a_share, "b_share": al.b_share, "score": al.score,
            "passages": [[p.a.start, p.a.end, p.b.start, p.b.end, p.similarity, p.exact, p.quoted]
                         for p in al.passages]}


def alignment_from(a: str, b: str, rec: dict) -> Alignment:
    """The :class:`Alignment` of pair (a, b) that :func:`alignment_record` wrote."""
    passages = [Passage(Span(p[0], p[1]), Span(p[2], p[3]), p[4], bool(p[5]), bool(p[6])) for p in rec["passages"]]
    return Alignment(a, b, rec["kind"], rec["a_share"], rec["b_share"], passages, rec["score"])


# ------------------------------------------------------------ the journal


class Journal(Checkpoint):
    """An append-only journal file of finished provenance work (see the module docstring).

    The file itself is a :class:`scorer.outputs.LineJournal` (the one journal
    writer, shared with ``scorer batch``); this class decides what its lines say.
    """

    def __init__(self, lines: LineJournal, header: dict) -> None:
        super().__init__()
        self.path = lines.path
        self.header = header
        self._lines = lines
        self.n_sketches = 0  # sketched articles in the journal (loaded and added)
        self.n_pairs = 0  # aligned pairs in the journal

    @classmethod
    def start(cls, path: str | os.PathLike[str], header: dict) -> "Journal":
        """Begin a new journal at ``path`` (replacing any earlier one) with ``header``."""
        try:
            lines = LineJournal.start(path, sync_seconds=SYNC_SECONDS)
        except InputError as err:
            raise InputError(path, "cannot write the work journal: " + err.problem.removeprefix("cannot write: ")) from None
        journal = cls(lines, header)
        journal._write({"journal": FORMAT, **header}, sync=True)
        return journal

    @classmethod
    def resume(cls, path: str | os.PathLike[str], header: dict) -> "Journal":
        """Open the journal at ``path`` for a resumed run: load finished work, then append.

        Raises :class:`InputError` when the journal is not one, or belongs to another
        corpus. A half-written or unreadable tail (a run killed mid-write) is cut off.
        """
        path = Path(path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(path, f"cannot read the work journal: {exc.strerror or exc}") from None
        journal_header, records, good = _parse(path, raw)
        _check_header(path, journal_header, header)
        try:
            lines = LineJournal.reopen(path, keep=good, sync_seconds=SYNC_SECONDS)
        except InputError as err:
            raise InputError(path, "cannot write the work journal: " + err.problem.removeprefix("cannot write: ")) from None
        journal = cls(lines, header)
        try:
            journal._load(records)
        except (KeyError, TypeError, ValueError, IndexError):
            lines.close()
            raise InputError(path, "corrupt work journal; run without --resume to start afresh") from None
        return journal

    def _load(self, records: list[dict]) -> None:
        """Finished work from the journal's records (later records win)."""
        for rec in records:
            if "sketch" in rec:
                sk = sketch_from(rec)
                self.sketches[sk.id] = sk
            elif "candidates" in rec:
                self.candidates = [(a, b) for a, b in rec["candidates"]]
            elif "pair" in rec:
                a, b = rec["pair"]
                self.aligned[(a, b)] = None if rec["alignment"] is None else alignment_from(a, b, rec["alignment"])
        self.n_sketches, self.n_pairs = len(self.sketches), len(self.aligned)

    # -- hooks ------------------------------------------------------------------------------
    # Each hook runs with Ctrl-C (and SIGTERM) held back until it returns, so the counts, the
    # buffer and the file always agree: an interrupt inside a write would otherwise leave lines
    # that were written but still buffered, and closing the journal would write them twice.

    def add_sketch(self, sk: Sketch) -> None:
        record = sketch_record(sk)
        with interrupts_held():
            self._write(record)
            self.n_sketches += 1

    def add_candidates(self, pairs: list[tuple[str, str]]) -> None:
        with interrupts_held():
            self._write({"candidates": [list(p) for p in pairs]}, sync=True)

    def add_aligned(self, pairs: list[tuple[str, str]], found: list[Alignment]) -> None:
        by_pair = {(al.a, al.b): al for al in found}
        lines = [json.dumps({"pair": list(p), "alignment": None if by_pair.get(p) is None
                             else alignment_record(by_pair[p])}, ensure_ascii=False) for p in pairs]
        with interrupts_held():
            self._lines.append(lines)  # results arriving one batch at a time are written at once
            self.n_pairs += len(pairs)

    # -- writing ----------------------------------------------------------------------------

    def _write(self, record: dict, sync: bool = False) -> None:
        self._lines.append([json.dumps(record, ensure_ascii=False)], buffered=True, sync=sync)

    def flush(self, sync: bool = False) -> None:
        """Write buffered lines (whole lines, one write) and fsync when due or asked."""
        self._lines.flush(sync)

    def close(self) -> None:
        """Write and sync what is buffered, then close the file (the journal stays on disk)."""
        self._lines.close()

    def remove(self) -> None:
        """Close and delete the journal (the run's outputs are written)."""
        self._lines.remove()


def _check_header(path: Path, found: dict, want: dict) -> None:
    """Refuse a journal written for other input: another corpus (or an edited one) or another version.

    The corpus is recognised by its digest, not its path: a moved corpus resumes.
    """
    if (found.get("digest"), found.get("articles")) != (want.get("digest"), want.get("articles")):
        raise InputError(path, f"work journal of another corpus ({found.get('corpus')}, {found.get('articles')} "
                               f"articles; ids or texts differ from {want.get('corpus')}); "
                               "run without --resume to start afresh")
    if found.get("scorer") != want.get("scorer"):
        raise InputError(path, f"work journal written by scorer {found.get('scorer')}, this is "
                               f"{want.get('scorer')}; run without --resume to start afresh")


def _parse(path: Path, raw: bytes) -> tuple[dict, list[dict], int]:
    """Header, records and the byte length of the valid part of a journal's content.

    Reading stops at the first line that is incomplete (no newline) or not a JSON
    object: a kill mid-write leaves such a line last, and nothing after it is trusted.
    """
    records: list[dict] = []
    header: dict | None = None
    pos = 0
    while pos < len(raw):
        end = raw.find(b"\n", pos)
        if end < 0:
            break
        try:
            rec = json.loads(raw[pos:end].decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            break
        if not isinstance(rec, dict):
            break
        if header is None:
            if rec.get("journal") != FORMAT:
                raise InputError(path, "not a scorer provenance work journal; remove it or run without --resume")
            header = rec
        else:
            records.append(rec)
        pos = end + 1
    if header is None:
        raise InputError(path, "empty or unreadable work journal; run without --resume to start afresh")
    return header, records, pos
