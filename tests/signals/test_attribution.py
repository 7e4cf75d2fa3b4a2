"""Attribution and source typing on small hand-written texts and on seed 004."""

from __future__ import annotations

import pytest

import scorer
from scorer.paths import REPO
from scorer.signals.sourcing import classify_phrase


def _atts(text: str) -> list[tuple[str | None, str, str]]:
    a = scorer.analyse(text)
    return [(x.source.of(text) if x.source else None, x.cue.of(text) if x.cue else "", x.source_type)
            for x in a.attributions]


def test_source_before_and_after_cue_with_offsets() -> None:
    text = "The bridge will close in May, Mayor Dana Ortiz said on Tuesday. “It is unsafe,” said Ortiz."
    a = scorer.analyse(text)
    found = {(x.source.of(text), x.source_type) for x in a.attributions if x.source}
    assert ("Mayor Dana Ortiz", "named_person") in found and ("Ortiz", "named_person") in found
    for x in a.attributions:
        assert text[x.cue.start:x.cue.end] == x.cue.of(text)
        assert x.sentence.contains(x.cue)
    direct = [x for x in a.attributions if x.source and x.source.of(text) == "Ortiz"][0]
    assert direct.direct and direct.content.of(text) == "It is unsafe,"
    assert direct.resolved_source == "Dana Ortiz"


def test_according_to_and_outlet() -> None:
    text = ("Prices rose sharply last year, according to the statistics agency. "
            "The Harbor Times reported that the port would reopen.")
    got = _atts(text)
    assert ("the statistics agency", "according to", "named_organization") in got
    assert ("The Harbor Times", "reported", "document_or_outlet") in got


def test_appositive_and_pronoun() -> None:
    text = ("Lena Marsh, a spokeswoman for the ministry, said the talks had stalled. "
            "She added that a new round was planned.")
    got = _atts(text)
    # the source takes its appositive, as PolNeAR marks it; the name is what it resolves to
    assert got[0][0] == "Lena Marsh, a spokeswoman for the ministry," and got[0][2] == "named_person"
    assert scorer.analyse(text).attributions[0].resolved_source == "Lena Marsh"
    assert ("She", "named_person") in [(s, t) for s, _, t in got]


def test_description_with_appositive_name() -> None:
    text = "A lawyer for the news outlets, David Schulz, said the ruling would be appealed."
    att = scorer.analyse(text).attributions[0]
    assert att.source_type == "named_person" and att.resolved_source == "David Schulz"


def test_participle_appositive_is_not_the_source() -> None:
    text = "The official, citing intercepts, said the convoy had turned back."
    att = scorer.analyse(text).attributions[0]
    assert att.source is not None and att.source.of(text) == "The official"


def test_multiword_cue_is_one_cue() -> None:
    text = "Ware said in a statement that the committee would not comment. Kirby went on to say it was over."
    cues = [a.cue.of(text) for a in scorer.analyse(text).attributions]
    assert cues == ["said in a statement", "went on to say"]


def test_document_source_keeps_its_author() -> None:
    text = "A 2014 study by Harvard researchers found that turnout fell."
    att = scorer.analyse(text).attributions[0]
    assert att.source.of(text) == "A 2014 study by Harvard researchers"
    assert att.source_type == "document_or_outlet"


def test_told_then_participle_takes_the_speaker() -> None:
    text = "“I regard him as a friend,” Gingrich told O’Reilly, noting that they had met twice."
    atts = scorer.analyse(text).attributions
    assert [a.source.of(text) for a in atts if a.source is not None] == ["Gingrich", "Gingrich"]


def test_anonymous_with_reason_and_group() -> None:
    text = ("A senior diplomat familiar with the talks said the deal was close. "
            "The diplomat spoke on condition of anonymity because he was not authorized to discuss the matter. "
            "Analysts said the deal would not hold.")
    a = scorer.analyse(text)
    anon = [x for x in a.attributions if x.source_type == "anonymous_person"]
    assert anon and anon[0].source.of(text).startswith("A senior diplomat")
    assert anon[0].anonymity_reason is not None
    assert "condition of anonymity" in anon[0].anonymity_reason.of(text)
    groups = [x for x in a.attributions if x.source_type == "unnamed_group"]
    assert groups and groups[0].source.of(text) == "Analysts"


@pytest.mark.parametrize("phrase,expected", [
    ("two diplomatic sources", "anonymous_person"),
    ("a person familiar with the matter", "anonymous_person"),
    ("Western governments", "unnamed_group"),
    ("analysts", "unnamed_group"),
    ("Ukraine’s defense ministry", "named_organization"),
    ("Tehran", "named_organization"),
    ("the White House", "named_organization"),
    ("The Washington Post", "document_or_outlet"),
    ("a statement", "document_or_outlet"),
    ("Mr. Kirby", "named_person"),
])
def test_classify_phrase(phrase: str, expected: str) -> None:
    assert classify_phrase(phrase) == expected


def test_odd_input_never_raises() -> None:
    for text in ["", "said", "“said”", "according to", ", said ,", "He said: “", "\u202e said x"]:
        a = scorer.analyse(text)
        assert all(0 <= x.cue.start <= x.cue.end <= len(text) for x in a.attributions)


def test_seed_004_sources() -> None:
    path = REPO / "seeds" / "004_c5f29e39a883f2f0.txt"
    art = scorer.read(path)
    a = scorer.analyse(art)
    text = a.text
    by_source: dict[str, list] = {}
    for x in a.attributions:
        if x.source is not None:
            by_source.setdefault(x.source.of(text), []).append(x)
    anon = [s for s in by_source if s.startswith("One senior military official briefed on details")]
    assert anon and by_source[anon[0]][0].source_type == "anonymous_person"
    assert by_source[anon[0]][0].anonymity_reason is not None
    reason = by_source[anon[0]][0].anonymity_reason.of(text)
    assert "identity and nationality not be revealed" in reason and "sensitive nature" in reason
    for name in ("National Security Council spokesman John Kirby", "Kirby", "He"):
        assert by_source[name][0].source_type == "named_person", name
    assert by_source["The Washington Post"][0].source_type == "document_or_outlet"
    # officials who could be named, with a nationality: anonymous sources in AP's sense (issue 14)
    assert by_source["U.S. and allied officials"][0].source_type == "anonymous_person"
    # the group is typed as a group whether the source takes the whole phrase or its head
    phrase = "security officials from NATO and other U.S.-allied countries"
    at = text.index(phrase)
    sec = [x for x in a.attributions if x.source is not None and x.source.start < at + len(phrase)
           and x.source.end > at]
    assert sec and all(x.source_type == "unnamed_group" for x in sec)


def test_fast_cue_score_matches_feature_sum() -> None:
    from scorer.signals.attribution import cue_features, cue_model, tokenize

    model = cue_model()
    text = "“We will see,” the minister told reporters on Friday, according to a statement she said."
    toks = tokenize(text, 0, len(text))
    for i in range(len(toks)):
        for inq in (True, False):
            slow = model.bias + sum(model.weights.get(f, 0.0) for f in cue_features(toks, i, inq, True))
            assert abs(model.token_logit(toks, i, inq, True, {}) - slow) < 1e-9


def test_cue_word_parts_are_kept_for_candidate_words_only() -> None:
    """The per-word parts of the cue score live as long as the model, so they must stay bounded."""
    from scorer.signals.attribution import cue_model

    model = cue_model()
    scorer.analyse("The minister said on Friday, according to a statement, that the | talks “went well,” he told us.")
    assert model.word_keys and set(model.word_keys) <= model.candidates


def test_cue_score_reads_pipes_and_edges_like_the_feature_sum() -> None:
    from scorer.signals.attribution import cue_features, cue_model, tokenize

    model = cue_model()
    text = "| said | “told,” according | to | he said"
    toks = tokenize(text, 0, len(text))
    for i in range(len(toks)):
        slow = model.bias + sum(model.weights.get(f, 0.0) for f in cue_features(toks, i, False, True))
        assert abs(model.token_logit(toks, i, False, True, {}) - slow) < 1e-9


def test_participle_after_a_quote_takes_the_speaker() -> None:
    text = ("On a radio show the day before, she stated, “We acted,” adding, “It was the right call.”")
    atts = scorer.analyse(text).attributions
    adding = [a for a in atts if a.cue.of(text) == "adding"]
    assert adding and adding[0].source is not None and adding[0].source.of(text) == "she"


def test_appositive_after_an_age_or_a_parenthesis_keeps_the_name() -> None:
    text = ("Schiff, 56, who has served on the committee for a decade, told reporters it was over. "
            "Rep. Jim Jordan (R-Ohio), an oversight panel member, said the inquiry would go on.")
    got = [(a.source.of(text) if a.source else None, a.source_type) for a in scorer.analyse(text).attributions]
    assert got[0][0].startswith("Schiff") and got[0][1] == "named_person"
    assert got[1][0].startswith("Rep. Jim Jordan") and got[1][1] == "named_person"


def test_counted_share_of_people_is_a_group() -> None:
    assert classify_phrase("Nearly eight of 10 voters") == "unnamed_group"


def test_source_phrase_stops_at_a_verb() -> None:
    text = "Trump sent a typical campaign jab the billionaire’s way by suggesting that he was wrong."
    sources = {a.source.of(text) for a in scorer.analyse(text).attributions if a.source is not None}
    assert sources == {"Trump"}


def test_cue_model_weights_save_and_load_back_exactly(tmp_path) -> None:
    from scorer.signals.attribution import CueModel, cue_model

    shipped = cue_model()
    assert len(shipped.weights) > 1000 and shipped.trained_on.startswith("PolNeAR train")
    assert CueModel.load(shipped.save(tmp_path / "cue.npz")) == shipped
