"""Prefilters read from regex sources: the literal starts of a pattern, and where case folding disagrees."""

from __future__ import annotations

import re

from scorer.signals import prefilter


def test_case_twins_are_every_character_the_engine_folds_onto_an_ascii_letter() -> None:
    others = "".join(map(chr, range(128, 0x110000)))
    folded = set(re.findall("[a-z]", others, re.IGNORECASE))
    assert folded == set(prefilter.CASE_TWINS)


def test_literal_starts_read_plain_starts_only() -> None:
    assert prefilter.literal_starts(r"\bcosts?\b") == ("cost",)
    assert prefilter.literal_starts(r"\$\s?\d") == ("$",)
    assert prefilter.literal_starts(r"\b(?:More|further) research") == ("more", "further")
    assert prefilter.literal_starts(r"\b[Mm]y\b") is None
    assert prefilter.literal_starts(r"\b(?:a|b)?c") is None
    assert prefilter.literal_run("reports?") == "report"
    assert prefilter.literal_run("e-?mail") == "e"
    assert prefilter.literal_run(r"U\.S\. officials") == "U.S. officials"
