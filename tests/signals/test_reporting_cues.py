"""Reporting and style cue families: the fast search finds exactly what a plain search finds."""

from __future__ import annotations

import re

from scorer.signals import reporting_cues

_TEXT = ("The $1.2 million study, funded by Acme, was not involved in the trial. However, you said "
         "it costs 40 percent more!! Is it a breakthrough? We told them on Monday, Jan. 5. I'm sure. ") * 3


def _plain(text: str) -> dict[str, list[tuple[int, int, str]]]:
    return {name: [(m.start(), m.end(), m.group(0)) for m in rx.finditer(text)]
            for name, rx in reporting_cues._cue_patterns().items()}


def test_case_twins_are_every_character_the_engine_folds_onto_an_ascii_letter() -> None:
    others = "".join(map(chr, range(128, 0x110000)))
    folded = set(re.findall("[a-z]", others, re.IGNORECASE))
    assert folded == set(reporting_cues.CASE_TWINS)


def test_fast_cue_search_equals_plain_search(seeds) -> None:
    texts = [_TEXT, _TEXT.replace("s", "\u017f"), _TEXT.upper(), ""] + [p.read_text(encoding="utf-8") for p in seeds]
    for text in texts:
        assert reporting_cues.cue_matches.__wrapped__(text) == _plain(text)


def test_literal_starts_read_plain_starts_only() -> None:
    assert reporting_cues.literal_starts(r"\bcosts?\b") == ("cost",)
    assert reporting_cues.literal_starts(r"\$\s?\d") == ("$",)
    assert reporting_cues.literal_starts(r"\b(?:More|further) research") == ("more", "further")
    assert reporting_cues.literal_starts(r"\b[Mm]y\b") is None
    assert reporting_cues.literal_starts(r"\b(?:a|b)?c") is None
