"""Newsgathering versus aggregation: gathered and relayed statements, judged against the article's own outlet."""

from __future__ import annotations

import math

import scorer
from scorer.article import Article
from scorer.features import evidence_of, features_of


def _kinds(text: str, outlet: str | None = None) -> list[tuple[str, str]]:
    found = scorer.analyse(Article(id="x", text=text, outlet=outlet)).found("reporting")
    return [(r.family, r.kind) for r in found]


def test_right_of_reply_and_contact_are_gathered() -> None:
    text = ("The company declined to comment. A spokesman did not respond to a request for comment on Friday. "
            "The mayor could not be reached. Smith said in an email that the plan was sound. "
            "Documents reviewed by this newspaper show the cost doubled.")
    kinds = _kinds(text)
    assert kinds.count(("gathered", "right_of_reply")) == 3
    assert ("gathered", "direct_contact") in kinds and ("gathered", "documents") in kinds


def test_other_outlets_reports_are_relayed() -> None:
    text = ("The Washington Post reported on Monday that talks had stalled. According to a report in Politico, "
            "aides were split. The story was first reported by Axios. Local media reports said two were hurt.")
    kinds = _kinds(text)
    assert {k for fam, k in kinds if fam == "relayed"} >= {"outlet_report", "first_reported", "media_reports"}
    assert not [k for fam, k in kinds if fam == "gathered"]


def test_told_an_outlet_is_gathered_only_by_that_outlet() -> None:
    text = "The minister told Reuters the deal was close."
    assert _kinds(text, outlet="Reuters") == [("gathered", "told_outlet")]
    assert _kinds(text, outlet="Daily Planet Gazette") == [("relayed", "told_other_outlet")]
    assert _kinds(text) == [("gathered", "told_outlet")]  # own outlet unknown: benefit of the doubt


def test_dateline_and_contributor_line() -> None:
    text = "WASHINGTON (Reuters) - The Senate voted on Tuesday.\n\nJane Roe contributed reporting."
    kinds = _kinds(text)
    assert ("gathered", "dateline") in kinds and ("gathered", "contributor_line") in kinds


def test_features_directions_and_evidence() -> None:
    relayed = scorer.analyse("CNN reported that the plant closed. Media reports said 40 jobs were lost.")
    feats = features_of(relayed)
    assert feats["relayed_only"] == 1.0 and feats["relayed_reports"] == math.log1p(2)
    assert feats["right_of_reply_mentions"] == 0.0
    ev = evidence_of(relayed, ["relayed_only"])["relayed_only"]
    assert [e.text for e in ev] == ["CNN reported that the plant closed.", "Media reports said 40 jobs were lost."]
    both = scorer.analyse("CNN reported that the plant closed. The owner declined to comment.")
    assert features_of(both)["relayed_only"] == 0.0 and features_of(both)["right_of_reply_mentions"] > 0


def test_plain_text_without_statements_finds_nothing() -> None:
    assert _kinds("The river rose two feet overnight. Schools were closed.") == []
