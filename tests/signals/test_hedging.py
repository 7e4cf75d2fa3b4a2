"""Hedges: epistemic cues in context, not ability modals or months."""

from __future__ import annotations

import scorer
from scorer.paths import REPO


def _cues(text: str) -> list[tuple[str, str]]:
    a = scorer.analyse(text)
    return [(h.cue.of(text), h.kind) for h in a.hedges]


def test_hearsay_and_epistemic_cues() -> None:
    text = ("The mayor allegedly took bribes. The plant is said to employ 400 people. "
            "The storm may reach the coast tonight. It appears to be a hoax.")
    cues = _cues(text)
    words = [c for c, _ in cues]
    assert "allegedly" in words and "may" in words
    assert any(c.lower().startswith("is said to") for c in words)
    assert any(c.startswith("appears to") for c in words)
    assert dict(cues)["allegedly"] == "hearsay"


def test_ability_modal_and_month_are_not_hedges() -> None:
    text = "These trucks can carry 40 tonnes. The law took effect in May. Engineers can repair the line in a day."
    assert _cues(text) == []


def test_hedge_sentence_offsets() -> None:
    text = "Rain fell. Officials reportedly fled the city."
    a = scorer.analyse(text)
    assert len(a.hedges) == 1
    h = a.hedges[0]
    assert h.cue.of(text) == "reportedly"
    assert h.sentence.of(text) == "Officials reportedly fled the city."


def test_seed_004_range_is_not_a_hedge() -> None:
    art = scorer.read(REPO / "seeds" / "004_c5f29e39a883f2f0.txt")
    a = scorer.analyse(art)
    for h in a.hedges:
        assert "1,000 miles" not in h.sentence.of(a.text) or h.cue.of(a.text).lower() not in ("can",)
    drone = [h for h in a.hedges if "can travel more than 1,000 miles" in h.sentence.of(a.text)]
    assert drone == []
