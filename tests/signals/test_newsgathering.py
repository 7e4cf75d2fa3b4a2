"""Newsgathering versus aggregation: gathered and relayed statements, judged against the article's own outlet."""

from __future__ import annotations

import math
import re

import scorer
from scorer.article import Article
from scorer.features import evidence_of, features_of
from scorer.signals import newsgathering


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


_TRICKY = ("Officials told CNN and The New York Times. The e-mail, an email to Reuters, said THE GUARDIAN "
           "REPORTED it; reports say media reports were first reported by AP. Told telling tells; "
           "no one responded. Asked by the BBC, he declined to comment. " * 3)


def _windowed(text: str, anchor, rx) -> list[tuple[int, int]]:
    """The plain search the fast path replaces: rx in merged windows around each anchor.finditer hit."""
    spans = [(m.start(), m.end()) for m in anchor.finditer(text)]
    out, lo, hi = [], -1, -1
    for start, end in spans:
        w_start, w_end = max(0, start - newsgathering._WINDOW), end + newsgathering._WINDOW
        if w_start > hi:
            if hi > lo:
                out += [m.span() for m in rx.finditer(text, lo, hi)]
            lo = w_start
        hi = w_end
    if hi > lo:
        out += [m.span() for m in rx.finditer(text, lo, min(hi, len(text)))]
    return out


def test_one_anchor_scan_finds_what_each_anchor_and_pattern_finds_alone(seeds) -> None:
    for text in [_TRICKY] + [p.read_text(encoding="utf-8") for p in seeds]:
        hits = newsgathering.anchor_hits(text)
        for _, _, anchor, rx in newsgathering.patterns():
            if anchor is None:
                continue
            lookahead = re.compile(f"(?=({anchor.pattern}))", re.IGNORECASE)  # every place it matches
            assert hits[anchor] == [(m.start(), m.start() + len(m.group(1))) for m in lookahead.finditer(text)]
            assert list(newsgathering._non_overlapping(hits[anchor])) == [m.span() for m in anchor.finditer(text)]
            fast = [m.span() for m in newsgathering._matches(text, anchor, rx, None, hits)]
            assert fast == _windowed(text, anchor, rx)


def test_the_full_outlet_alternation_keeps_the_longest_first_order() -> None:
    assert newsgathering.trie_regex(["ap", "ap news", "abc", "afp"]) == r"a(?:p(?:\s+news|)|bc|fp)"
    words = newsgathering._outlet_words()
    assert newsgathering._outlet_alternation(frozenset(words)) == newsgathering._outlet_alternation()


def test_outlets_a_text_may_hold() -> None:
    text = "Officials told The Hill and Reuters staff."
    found = newsgathering._outlets_in(text, text.lower())
    assert {"the hill", "reuters", "reuters staff"} <= found and "politico" not in found
    assert newsgathering._outlets_in("Reuters \u212a", "reuters k") is None  # Kelvin sign: str.lower disagrees


def test_patterns_with_only_a_texts_outlets_find_what_the_full_patterns_find(seeds) -> None:
    """Leaving out names a text cannot hold changes no match: checked pattern by pattern, window by window."""
    extra = ("He told THE HILL. Reuters Staff reported it; the Reuters/Ipsos poll, cited by The Daily Bugle "
             "Times, was first reported by Axios. In an interview with the L.A. Times she declined to comment.")
    for text in [_TRICKY, extra, "Nothing to see here."] + [p.read_text(encoding="utf-8") for p in seeds]:
        hits = newsgathering.anchor_hits(text)
        names = newsgathering._outlets_in(text, text.lower())
        for index, rule in enumerate(newsgathering.rules()):
            full, trimmed = newsgathering._compiled(index, None), newsgathering._compiled(index, names)
            if rule.anchor is None:
                assert [m.span() for m in trimmed.finditer(text)] == [m.span() for m in full.finditer(text)]
                continue
            got = [(m.span(), m.groupdict().get("outlet")) for m in newsgathering._matches(text, rule.anchor, trimmed,
                                                                                         None, hits)]
            want = [(m.span(), m.groupdict().get("outlet")) for m in newsgathering._matches(text, rule.anchor, full,
                                                                                          None, hits)]
            assert got == want


def test_a_process_compiles_the_full_patterns_after_its_first_text(monkeypatch) -> None:
    monkeypatch.setattr(newsgathering, "_texts_seen", 0)
    assert newsgathering._outlet_choice("CNN", "cnn") is not None
    assert newsgathering._outlet_choice("CNN", "cnn") is None
