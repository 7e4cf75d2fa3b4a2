"""Source typing by the editor's definitions (docs/signals.md, "Source types and anonymity")."""

from __future__ import annotations

import pytest

import scorer
from scorer.signals.sourcing import classify_phrase


@pytest.mark.parametrize("phrase,expected", [
    # anonymous person: an unnamed individual, or unnamed/anonymous officials and sources (AP)
    ("two diplomatic sources", "anonymous_person"),
    ("unnamed U.S. officials", "anonymous_person"),
    ("a senior official", "anonymous_person"),
    ("a spokesman", "anonymous_person"),
    # unnamed group: a collective nobody could name
    ("analysts", "unnamed_group"),
    ("Western governments", "unnamed_group"),
    # named organisation: countries acting, agencies by acronym, a spokesperson for an organisation
    ("Australia", "named_organization"),
    ("FEMA", "named_organization"),
    ("the ACLU", "named_organization"),
    ("a spokesperson for Exxon", "named_organization"),
    ("a White House spokesperson", "named_organization"),
    ("a spokesman for the ministry", "named_organization"),
    ("the Sierra Club", "named_organization"),
    ("Pacific Gas and Electric", "named_organization"),
    # named person: names with titles, and a unique office holder by definite description
    ("Dmitri A. Medvedev", "named_person"),
    ("Kremlin spokesman Dmitry Peskov", "named_person"),
    ("the Iranian top diplomat", "named_person"),
    # document or outlet
    ("the Tampa Bay Times", "document_or_outlet"),
])
def test_editor_definitions(phrase: str, expected: str) -> None:
    assert classify_phrase(phrase) == expected


def test_an_anonymous_description_is_never_resolved_to_a_later_name() -> None:
    text = ("Iran has sent drones to Russia, a senior U.S. official said Friday. "
            "National Security Council spokesman John Kirby said the drones were used in Ukraine.")
    atts = scorer.analyse(text).attributions
    first = [a for a in atts if a.source is not None and a.source.of(text) == "a senior U.S. official"]
    assert first and first[0].source_type == "anonymous_person" and first[0].resolved_source is None


def test_a_pronoun_after_a_named_speaker_is_that_person() -> None:
    text = ("“We are watching closely,” Foreign Minister Penny Wong said on Monday. "
            "She said the sanctions would follow.")
    atts = [a for a in scorer.analyse(text).attributions if a.source is not None]
    she = [a for a in atts if a.source.of(text) == "She"]
    assert she and she[0].source_type == "named_person" and she[0].resolved_source == "Penny Wong"
