"""Sentence and paragraph splitting: abbreviations, quotes, exact offsets."""

from __future__ import annotations

from scorer.segment import load_lexicon, segment


def _sentences(text: str) -> list[str]:
    return [s.of(text) for s in segment(text)[1]]


def test_titles_months_and_initials_do_not_split() -> None:
    text = "Mr. Lane met Gen. Ortiz on Jan. 5 at the U.S. Capitol. John Q. Public waited."
    assert _sentences(text) == ["Mr. Lane met Gen. Ortiz on Jan. 5 at the U.S. Capitol.", "John Q. Public waited."]


def test_ambiguous_abbreviation_splits_before_opener() -> None:
    text = "Tariffs were set by the U.S. The talks then failed."
    assert _sentences(text) == ["Tariffs were set by the U.S.", "The talks then failed."]


def test_quotes_question_and_lowercase_continuation() -> None:
    text = '"Will it hold?" she asked. "No." He left.'
    assert _sentences(text) == ['"Will it hold?" she asked.', '"No."', "He left."]


def test_numeric_abbreviation() -> None:
    text = "It ranked No. 3 in the poll. Dr. Wu said so."
    assert _sentences(text) == ["It ranked No. 3 in the poll.", "Dr. Wu said so."]


def test_offsets_are_exact_and_trimmed() -> None:
    text = "  First one here.  Second one!\n\nThird para\nNew line starts here.\ncontinues in lower case."
    paragraphs, sentences = segment(text)
    assert len(paragraphs) == 2
    for span in sentences:
        piece = text[span.start:span.end]
        assert piece == piece.strip() and piece
    assert _sentences(text) == ["First one here.", "Second one!", "Third para",
                                "New line starts here.\ncontinues in lower case."]


def test_empty_and_odd_input() -> None:
    assert segment("") == ([], [])
    assert segment("\n\n  \n") == ([], [])
    paragraphs, sentences = segment("\u200b…!?. . .")
    assert all(s.end <= len("\u200b…!?. . .") for s in sentences)


def test_lexicon_loads_once_and_skips_comments() -> None:
    entries = load_lexicon("abbreviations")
    assert "Mr" in entries and not any(e.startswith("#") for e in entries)
    assert load_lexicon("abbreviations") is entries
