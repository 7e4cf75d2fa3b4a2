"""Routing: which weights score an article."""

from __future__ import annotations

import pytest

from scorer.domain import GENERAL, default_rule, domain_of, load_rule, terms_per_100_words

HEALTH = ("The drug cut symptoms in patients with early disease, researchers reported after a clinical trial at "
          "three hospitals. Doctors cautioned that the study was small.")
POLITICAL = "The senator said on Tuesday that the bill would pass, according to two aides who attended the meeting."


def test_shipped_rule_is_data_with_a_threshold() -> None:
    rule = load_rule()
    assert rule == default_rule() and rule["domain"] == "health"
    assert rule["patterns"] and rule["min_per_100_words"] > 0


def test_health_story_and_general_story_are_told_apart() -> None:
    assert domain_of(HEALTH) == "health"
    assert domain_of(POLITICAL) == GENERAL
    assert domain_of("") == GENERAL


def test_density_counts_terms_per_100_words() -> None:
    rule = {"domain": "health", "patterns": [r"\bdrug\b"], "min_per_100_words": 10.0}
    text = "drug " + "word " * 9
    assert terms_per_100_words(text, rule) == pytest.approx(10.0)
    assert domain_of(text, rule) == "health"
    assert domain_of(text + "word", rule) == GENERAL


@pytest.mark.parametrize("rule,problem", [
    ({"domain": "health", "patterns": ["(a+)+b"], "min_per_100_words": 1.0}, "not plain words"),
    ({"domain": "health", "patterns": [r"\bx\b"] * 2000, "min_per_100_words": 1.0}, "no pattern list"),
    ({"domain": "Health!", "patterns": [r"\bx\b"], "min_per_100_words": 1.0}, "no plain domain name"),
    ({"domain": "health", "patterns": [r"\bx\b"], "min_per_100_words": -1}, "threshold"),
    (["not", "a", "dict"], "not a mapping"),
])
def test_unsound_rules_are_named(rule: object, problem: str) -> None:
    from scorer.domain import rule_problem

    assert problem in (rule_problem(rule) or "")
