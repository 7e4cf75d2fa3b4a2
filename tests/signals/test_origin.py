"""Disclosed-origin statements: wire bylines, credits, citations, aggregators; and the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

import scorer
from scorer.signals.origin import derived_from, find_origin, outlet_names


def _origin(text: str):
    return find_origin(scorer.analyse(text))


@pytest.mark.parametrize("text, kind, outlet", [
    ("By Associated Press\n\nWASHINGTON — The Senate voted on Tuesday.", "wire_byline", "Associated Press"),
    ("By The Associated Press\n\nThe Senate voted.", "wire_byline", "Associated Press"),
    ("LONDON (Reuters) - Britain's economy grew faster than expected.", "wire_byline", "Reuters"),
    ("WASHINGTON (AP) — The Senate voted on Tuesday.", "wire_byline", "Associated Press"),
    ("The Senate voted.\n\nCopyright 2018 The Associated Press. All rights reserved.", "wire_byline", "Associated Press"),
    ("The Senate voted.\n\nThe Associated Press contributed to this report.", "contributed", "Associated Press"),
    ("The Senate voted.\n\nThis article originally appeared in The Guardian.", "originally_appeared", "The Guardian"),
    ("The Senate voted.\n\nThis article is republished from The Conversation under a Creative Commons license.",
     "originally_appeared", "The Conversation"),
    ("He spoke at length. Credits – SF Chronicle", "credits", "San Francisco Chronicle"),
    ('Text of the rewrite.\n\nNeil MacFarquhar, The New York Times, (2022 October 17th). "Drones Embody an '
     'Iran-Russia Alliance Built on Hostility to the U.S.": Authoritarian regimes.', "citation", "The New York Times"),
])
def test_statement_kinds_and_outlets(text: str, kind: str, outlet: str) -> None:
    found = _origin(text)
    assert [(o.kind, o.outlet) for o in found] == [(kind, outlet)]
    span = found[0].span
    assert 0 <= span.start < span.end <= len(text)


def test_person_contributing_is_not_a_derivation() -> None:
    found = _origin("The Senate voted.\n\nSouad Mekhennet contributed to this report.")
    assert [o.kind for o in found] == ["contributed"]
    assert derived_from(found) == []


@pytest.mark.parametrize("text", [
    "The rally drew thousands. Credit: Getty Images",
    "The rally drew thousands. Credit: John Smith",
    "The band first appeared on the scene in 1999.",
    "Police said the suspect was arrested by officers.",
    "",
])
def test_no_false_statements(text: str) -> None:
    assert _origin(text) == []


def test_outlet_names_resolve_aliases() -> None:
    names = outlet_names()
    assert names.canonical("SF Chronicle") == "San Francisco Chronicle"
    assert names.canonical("nytimes.com") == "The New York Times"
    assert names.is_wire("AP") and names.is_wire("Reuters") and not names.is_wire("Newsweek")


def test_hostile_long_line_is_bounded() -> None:
    import time

    text = ("By " + "Associated Press, " * 20000) + "\n" + "(" * 50000 + "Credits – " + "x" * 50000
    start = time.perf_counter()
    _origin(text)
    assert time.perf_counter() - start < 5


def _seed(seeds: list[Path], prefix: str):
    path = next(p for p in seeds if p.name.startswith(prefix))
    return scorer.analyse(scorer.read(path))


def test_seed_origins(seeds: list[Path]) -> None:
    """001 credits the SF Chronicle, 002 cites the NYT original, 003 is Newsweek on an aggregator."""
    assert [(o.kind, o.outlet) for o in _seed(seeds, "001").origin] == [("credits", "San Francisco Chronicle")]
    assert [(o.kind, o.outlet) for o in _seed(seeds, "002").origin] == [("citation", "The New York Times")]
    assert [(o.kind, o.outlet) for o in _seed(seeds, "003").origin] == [("aggregator", "Newsweek")]
    assert _seed(seeds, "000").origin == []
    assert [o.kind for o in _seed(seeds, "004").origin] == ["contributed"]
