"""Cleaning data: the word lists and patterns under ``scorer/data/cleaning/``, loaded once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path



_DATA = Path(__file__).resolve().parent.parent / "data" / "cleaning"


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
