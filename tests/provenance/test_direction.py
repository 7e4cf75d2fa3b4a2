"""Direction of reuse: disclosed origins first, then dates, else an honest unknown."""

from __future__ import annotations

import datetime as dt

import pytest

from scorer.provenance.direction import ArticleMeta, direction, parse_date


@pytest.mark.parametrize("value, expected", [
    ("2022-12-12", dt.date(2022, 12, 12)),
    ("2022-12-12T10:00:00Z", dt.date(2022, 12, 12)),
    ("December 12, 2022", dt.date(2022, 12, 12)),
    ("Dec. 9th, 2022", dt.date(2022, 12, 9)),
    ("12 December 2022", dt.date(2022, 12, 12)),
    ("12/09/2022 10:00", dt.date(2022, 12, 9)),
    ("4 days ago", None),
    ("2022-13-45", None),
    (None, None),
    ("", None),
])
def test_parse_date(value, expected) -> None:
    assert parse_date(value) == expected


def test_disclosed_origin_beats_dates() -> None:
    ap = ArticleMeta("a", outlet="Associated Press", date=dt.date(2022, 12, 10))
    copy = ArticleMeta("b", outlet="Daily", date=dt.date(2022, 12, 9), derived_from=["Associated Press"])
    assert direction(copy, ap) == "a_from_b"
    assert direction(ap, copy) == "b_from_a"


def test_common_source_when_both_name_it_or_the_other_is_not_it() -> None:
    x = ArticleMeta("x", outlet="Paper X", derived_from=["Reuters"])
    y = ArticleMeta("y", outlet="Paper Y", derived_from=["Reuters"])
    assert direction(x, y) == "common_source"
    z = ArticleMeta("z", outlet="Paper Z")
    assert direction(x, z) == "common_source"


def test_dates_then_unknown() -> None:
    early = ArticleMeta("e", date=dt.date(2022, 1, 1))
    late = ArticleMeta("l", date=dt.date(2022, 1, 3))
    assert direction(late, early) == "a_from_b"
    assert direction(early, late) == "b_from_a"
    assert direction(ArticleMeta("p", date=dt.date(2022, 1, 1)), ArticleMeta("q", date=dt.date(2022, 1, 1))) == "unknown"
    assert direction(ArticleMeta("p"), ArticleMeta("q")) == "unknown"
