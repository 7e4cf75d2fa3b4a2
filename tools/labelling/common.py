"""Shared helpers for the hand-labelling samplers (stdlib only, no project code).

These tools draw gold samples *before* any rule is written, so they deliberately do not
import ``scorer``: the sentence splitter below is a small regex of its own, and the
keyword nets in the samplers are independent of the project's detectors.

Offsets are character offsets into the record's raw ``text`` field (Python ``str``
indices, i.e. code points), exactly as read from ``articles.jsonl``. Gold sentences are
meant to be matched to a future detector's sentences by **character overlap**
(a detector sentence matches a gold sentence when their ``[start, end)`` ranges
overlap, preferring the largest overlap), so small differences between this splitter
and the project's segmenter do not matter.
"""
from __future__ import annotations

import csv
import json
import os
import re
import sys
from pathlib import Path
from typing import Iterator, NamedTuple

#: ``../shared`` beside the checkout, or ``SCORER_SHARED`` (the rule of ``scorer.paths``, without importing it).
SHARED = Path(os.environ.get("SCORER_SHARED") or Path(__file__).resolve().parents[2].parent / "shared")
CORPORA_DIR = SHARED / "data" / "corpora"

#: Corpora used for labelling (perezrosas2018 is evaluation-only and left out on purpose).
CORPORA: tuple[str, ...] = (
    "misinfotext-sfu",
    "fakenewsnet-v1",
    "fakehealth",
    "basil",
    "articlecomparisons-helsinki",
)

#: Tokens that end with a period but do not end a sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st sen rep gov gen lt col sgt capt adm cmdr maj pres rev hon
    u.s u.k u.n e.g i.e etc vs no nos inc corp co ltd jan feb mar apr jun jul aug sep sept
    oct nov dec a.m p.m d.c ph.d mt ft fig al approx dept est univ""".split()
)

_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_PARA = re.compile(r"\n\s*")


class Record(NamedTuple):
    """One article of a corpus: the directory name of its corpus, id, title and raw text."""

    corpus: str
    article: str
    title: str
    text: str


class Sentence(NamedTuple):
    """A sentence as ``[start, end)`` offsets into the record text."""

    start: int
    end: int


def read_corpus(corpus: str) -> Iterator[Record]:
    """Yield the records of ``corpus`` in file order; skip (and report) unreadable lines."""
    path = CORPORA_DIR / corpus / "articles.jsonl"
    with path.open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, 1):
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"{path}:{lineno}: not JSON ({exc.msg}); skipped", file=sys.stderr)
                continue
            text = row.get("text") or ""
            if text.strip():
                yield Record(corpus, str(row["id"]), row.get("title") or "", text)


def load_records(corpora: tuple[str, ...] = CORPORA) -> dict[tuple[str, str], Record]:
    """Map ``(corpus, article id)`` to its record for every corpus given."""
    return {(r.corpus, r.article): r for c in corpora for r in read_corpus(c)}


def _ends_with_abbreviation(text: str, dot: int) -> bool:
    """True when the token just before position ``dot`` is a known abbreviation or an initial."""
    start = dot
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in "(\"“":
        start -= 1
    token = text[start:dot].lower().rstrip(".")
    return token in ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def split_sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences: every paragraph break ends one, and so does
    ``.``/``!``/``?`` (plus closing quotes) followed by space and a capital or digit,
    unless the period ends an abbreviation or an initial. Spans are stripped of spaces."""
    out: list[Sentence] = []
    pos = 0
    for para in _PARA.split(text):
        p_start = text.index(para, pos) if para else pos
        pos = p_start + len(para)
        cut = 0
        for m in _BOUNDARY.finditer(para):
            if para[m.start()] == "." and _ends_with_abbreviation(para, m.start()):
                continue
            piece_end = m.end()
            _add(out, text, p_start + cut, p_start + piece_end)
            cut = piece_end
        _add(out, text, p_start + cut, p_start + len(para))
    return out


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    """Append ``[start, end)`` trimmed of surrounding whitespace, if anything is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end))


def check_against_draw(path: Path, want: dict[tuple, tuple[str, str]], key_of, row_problem) -> int:
    """Compare the labelled CSV at ``path`` with the draw; print problems, return an exit code.

    ``want`` maps each drawn row's key to its (sampled_by, batch); ``key_of(row)`` is a
    CSV row's key; ``row_problem(row)`` says what is wrong with its label, or None.
    A missing file is exit code 2.
    """
    if not path.is_file():
        print(f"{path}: no such file", file=sys.stderr)
        return 2
    got: dict[tuple, str] = {}
    problems: list[str] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for n, row in enumerate(csv.DictReader(handle), 2):
            key = key_of(row)
            if key in got:
                problems.append(f"{path}:{n}: duplicate row {key}")
            got[key] = row["sampled_by"]
            if key not in want:
                problems.append(f"{path}:{n}: row not in the draw {key}")
            elif want[key] != (row["sampled_by"], row["batch"]):
                problems.append(f"{path}:{n}: sampled_by/batch {row['sampled_by']}/{row['batch']} != drawn {want[key]}")
            problem = row_problem(row)
            if problem:
                problems.append(f"{path}:{n}: {problem}")
    problems += [f"{path}: drawn row missing {k}" for k in want if k not in got]
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{path}: {len(got)} rows, {len(want)} drawn, {len(problems)} problems")
    return 1 if problems else 0
