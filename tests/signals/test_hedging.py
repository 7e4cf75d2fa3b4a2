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


# Behaviour from the Szeged annotation scheme (Szarvas et al. 2012): epistemic, doxastic,
# condition and investigation cues mark uncertainty; ability "can" stays out (docs/signals.md).

def test_open_question_is_a_hedge() -> None:
    text = "It is unclear whether the talks will resume. It remains to be seen how voters react."
    cues = _cues(text)
    assert any(c.lower().endswith("unclear whether") for c, _ in cues)
    assert any(c.lower().startswith("remains to be seen") for c, _ in cues)
    assert all(k == "epistemic" for c, k in cues if "unclear" in c.lower() or "remains" in c.lower())


def test_evidence_that_suggests_is_a_hedge() -> None:
    cues = _cues("Sources suggest the minister will resign next week.")
    assert [c.lower() for c, _ in cues] == ["sources suggest"]


def test_conditional_if_clause_hedges_its_sentence() -> None:
    text = "Prices rose in March. If the strike goes on, the plant would close for good."
    a = scorer.analyse(text)
    conditional = [h for h in a.hedges if h.kind == "conditional"]
    assert [h.cue.of(text) for h in conditional] == ["If"]
    assert conditional[0].sentence.of(text).startswith("If the strike")
    assert all(not h.sentence.of(text).startswith("Prices") for h in a.hedges)


def test_possibility_could_and_possible_are_hedges() -> None:
    text = "The storm could reach the coast tonight. Investigators are examining possible links to the gang."
    words = [c for c, _ in _cues(text)]
    assert "could" in words and "possible" in words


def test_negated_could_and_possible_idioms_are_not_hedges() -> None:
    text = ("He could not attend the meeting. Repairs should finish as soon as possible. "
            "The grant made the new ward possible.")
    assert [c for c, _ in _cues(text) if c.lower() in ("could", "possible")] == []


def test_ability_can_is_never_a_hedge() -> None:
    text = "The new rocket can carry 20 tonnes. Volunteers can sign up online."
    assert _cues(text) == []


def test_clause_context_sees_a_condition_before_the_modal() -> None:
    from scorer.signals.hedging import clause_context
    from scorer.tokens import tokenize

    toks = tokenize("If it rains, the match would be cancelled.")
    would = toks.lows.index("would")
    feats = clause_context(toks, would)
    assert "w|condb=would|True" in feats and "w|conda=would|False" in feats
    assert "w|modal=if|True" in clause_context(toks, 0)


def test_hedge_model_is_plain_json() -> None:
    import json

    from scorer.signals.hedging import MODEL_PATH

    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert 0.0 < data["threshold"] < 1.0 and data["weights"]
    assert any(k.startswith("w|condb=") for k in data["weights"])
