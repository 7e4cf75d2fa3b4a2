"""Embedded partial reuse: two lightly edited sentences inside long unrelated articles are found."""

from __future__ import annotations

import random

from scorer.article import Article
from scorer.provenance import find_reuse

from _corpora import SYLLABLES

_VOCAB_RNG = random.Random(1)
WORDS = ["".join(_VOCAB_RNG.choice(SYLLABLES) for _ in range(_VOCAB_RNG.randint(2, 4))) for _ in range(5000)]

DONOR = ("The regional water authority confirmed that the northern reservoir had fallen to its lowest level "
         "since records began, forcing engineers to pump supplies from three neighbouring basins. "
         "Officials warned households across the valley to expect pressure cuts during the evening hours "
         "until autumn rains replenish the depleted reservoir and its feeder streams.")
EDITED = ("The regional water authority confirmed that the northern reservoir had fallen to its lowest level "
          "since records began, forcing engineers to pump supplies from four neighbouring basins. "
          "Officials warned households across the valley to expect cuts during the evening hours "
          "until autumn rains replenish the reservoir and its feeder streams.")


def _filler(rng: random.Random, sentences: int) -> str:
    out = []
    for _ in range(sentences):
        words = [rng.choice(WORDS) for _ in range(rng.randint(12, 18))]
        out.append(words[0].capitalize() + " " + " ".join(words[1:]) + ".")
    return "\n\n".join(" ".join(out[k:k + 3]) for k in range(0, len(out), 3))


def test_two_edited_sentences_inside_long_articles_are_reuse() -> None:
    rng = random.Random(3)
    donor = Article(id="donor", text=_filler(rng, 30) + "\n\n" + DONOR + "\n\n" + _filler(rng, 30))
    host = Article(id="host", text=_filler(rng, 40) + "\n\n" + EDITED + "\n\n" + _filler(rng, 40))
    report = find_reuse([donor, host])
    pair = next(p for p in report.pairs if {p.a, p.b} == {"donor", "host"})
    assert pair.kind == "paraphrase"
    assert len([ps for ps in pair.passages if not ps.quoted]) == 2


def test_one_shared_sentence_is_not_reuse() -> None:
    rng = random.Random(4)
    first = DONOR.split(". ")[0] + "."
    donor = Article(id="donor", text=_filler(rng, 30) + "\n\n" + first + "\n\n" + _filler(rng, 30))
    host = Article(id="host", text=_filler(rng, 40) + "\n\n" + first.replace("three", "four") + "\n\n" + _filler(rng, 40))
    report = find_reuse([donor, host])
    assert not [p for p in report.pairs if p.kind in ("verbatim", "partial", "paraphrase")]


def test_exact_copy_of_two_sentences_is_partial_and_edited_copy_is_paraphrase() -> None:
    """Kind: a block left word for word is a partial copy; with every sentence edited, a paraphrase."""
    rng = random.Random(5)
    donor = Article(id="donor", text=_filler(rng, 30) + "\n\n" + DONOR + "\n\n" + _filler(rng, 30))
    exact = Article(id="exact", text=_filler(rng, 40) + "\n\n" + DONOR + "\n\n" + _filler(rng, 40))
    edited = Article(id="edited", text=_filler(rng, 40) + "\n\n" + EDITED + "\n\n" + _filler(rng, 40))
    kinds = {frozenset((p.a, p.b)): p.kind for p in find_reuse([donor, exact, edited]).pairs}
    assert kinds[frozenset(("donor", "exact"))] == "partial"
    assert kinds[frozenset(("donor", "edited"))] == "paraphrase"


def test_a_quote_inside_an_edited_passage_is_part_of_it() -> None:
    """Framing sentences rewritten around a shared quote: the run is copying, the quote rides along."""
    quote = '"We will not open the gates again until the reservoir has recovered," said the chief engineer.'
    edited_quote = '"We will not open gates again until the reservoir has recovered," said the chief engineer.'
    rng = random.Random(6)
    donor = Article(id="donor", text=_filler(rng, 30) + "\n\n" + DONOR.replace(". ", f". {quote} ") + "\n\n"
                    + _filler(rng, 30))
    host = Article(id="host", text=_filler(rng, 40) + "\n\n" + EDITED.replace(". ", f". {edited_quote} ") + "\n\n"
                   + _filler(rng, 40))
    pair = next(p for p in find_reuse([donor, host]).pairs if {p.a, p.b} == {"donor", "host"})
    assert pair.kind == "paraphrase"
    assert len(pair.passages) == 3 and not any(ps.quoted for ps in pair.passages)


def test_shared_quotes_alone_stay_shared_quotes() -> None:
    """Two consecutive quoted sentences, and nothing else shared, are not copying."""
    q1 = '"The reservoir is lower than at any time in living memory and we are worried about the summer," she said.'
    q2 = '"Households should expect the evening pressure cuts to last until the autumn rains arrive," she added.'
    rng = random.Random(7)
    a = Article(id="a", text=_filler(rng, 30) + "\n\n" + q1 + " " + q2 + "\n\n" + _filler(rng, 30))
    b = Article(id="b", text=_filler(rng, 30) + "\n\n" + q1 + " " + q2 + "\n\n" + _filler(rng, 30))
    assert not [p for p in find_reuse([a, b]).pairs if p.kind in ("verbatim", "partial", "paraphrase")]


def test_winnowed_keys_cover_every_short_shared_passage() -> None:
    """Any run of WINNOW + 1 content words shared word for word gives both sketches a common key."""
    import numpy as np

    from scorer.provenance.fingerprint import WINNOW, sketch

    rng = random.Random(8)
    for _ in range(20):
        passage = " ".join(rng.choice(WORDS) for _ in range(WINNOW + 1))
        a = sketch("a", _filler(rng, 20) + " " + passage + " " + _filler(rng, 20))
        b = sketch("b", _filler(rng, 20) + " " + passage + " " + _filler(rng, 20))
        assert len(np.intersect1d(a.keys, b.keys)) >= 1


# Issue 17, part 3: the edits of the embedded-reuse benchmark, one at a time.

FIGURES = ("In 2016, about 8,000 patients in 14 hospitals were treated for the infection, 312 of them children. "
           "By projecting the figures forward, the agency estimates that 25,000 patients would need treatment "
           "by 2020, an extra 17,000 cases for the hospitals.")
FIGURES_EDITED = ("In 2019, about 9,400 patients in 17 hospitals were treated for the infection, 318 of them children. "
                  "By projecting the figures forward, the agency estimates that 33,600 patients would need treatment "
                  "by 2024, an extra 21,900 cases for hospitals.")


def _pair(donor_block: str, host_block: str, seed: int) -> list:
    rng = random.Random(seed)
    donor = Article(id="donor", text=_filler(rng, 30) + "\n\n" + donor_block + "\n\n" + _filler(rng, 30))
    host = Article(id="host", text=_filler(rng, 40) + "\n\n" + host_block + "\n\n" + _filler(rng, 40))
    return [p for p in find_reuse([donor, host]).pairs if {p.a, p.b} == {"donor", "host"}]


def test_two_sentences_with_changed_figures_are_an_edited_passage() -> None:
    """Every number changed and a word dropped: the block keeps its word order around the figures.

    Aligned directly: with every figure changed the two long articles share 7 index keys, under
    the candidate thresholds (the candidate step's limit, see docs/provenance.md).
    """
    from scorer.provenance.align import align
    from scorer.provenance.meta import article_detail

    rng = random.Random(11)
    donor = _filler(rng, 30) + "\n\n" + FIGURES + "\n\n" + _filler(rng, 30)
    host = _filler(rng, 40) + "\n\n" + FIGURES_EDITED + "\n\n" + _filler(rng, 40)
    al = align(article_detail("donor", donor), article_detail("host", host))
    assert al.kind == "paraphrase"
    assert len([ps for ps in al.passages if not ps.quoted]) == 2


def test_sentences_differing_only_in_figures_are_not_linked_alone() -> None:
    """Changed figures are forgiven inside a block only: one such sentence is no reuse."""
    first, second = FIGURES.split(". ", 1)
    first_edited = FIGURES_EDITED.split(". ", 1)[0]
    assert not [p for p in _pair(first + ".", first_edited + ".", 12) if p.kind in ("verbatim", "partial", "paraphrase")]


def test_short_sentences_the_copier_left_out_do_not_break_the_block() -> None:
    """The donor has two short sentences between the two copied ones (too short to be evidence)."""
    first, second = DONOR.split(". ", 1)
    donor_block = first + ". It was dry. Rain is rare. " + second
    pairs = _pair(donor_block, EDITED, 13)
    assert [p.kind for p in pairs] == ["paraphrase"]


def test_one_word_cut_from_the_end_is_an_edit_not_a_word_for_word_sentence() -> None:
    """A sentence that lost its last word was edited: a block of such sentences is a paraphrase."""
    cut = DONOR.replace("neighbouring basins.", "neighbouring.").replace("feeder streams.", "feeder.")
    pairs = _pair(DONOR, cut, 14)
    assert [p.kind for p in pairs] == ["paraphrase"]
    trimmed = DONOR.replace("forcing engineers to pump supplies from three neighbouring basins.", "forcing engineers.")
    assert _pair(DONOR, DONOR.split(". ")[0] + ". " + trimmed.split(". ", 1)[1], 15)[0].kind == "partial"


QUOTED = ('"We will not open the gates again until the reservoir has recovered," the chief engineer told the '
          'Valley Herald. "Every household will have to share the burden this summer."')
QUOTED_EDITED = ('"We will not open gates again until the reservoir has recovered," the chief engineer told the '
                 'Valley Herald. "Every household will have to share burden this summer."')
SHORT = "Officials warned households to expect evening pressure cuts."
SHORT_EDITED = "Officials warned households to expect pressure cuts."


def test_a_quoted_block_copied_with_its_framing_and_a_short_sentence_is_reuse() -> None:
    """Quotes copied with their attribution word for word ("... told the Valley Herald") beside a
    short unquoted sentence the copier kept: the block is reuse, the quotes ride along."""
    pairs = _pair(SHORT + " " + QUOTED, SHORT_EDITED + " " + QUOTED_EDITED, 16)
    assert [p.kind for p in pairs] == ["paraphrase"]


def test_the_same_quotes_with_their_own_framing_stay_shared_quotes() -> None:
    """Two reports quoting the same engineer, each attributing in its own words, with one short
    fact in common: not copying."""
    other = QUOTED.replace("the chief engineer told the Valley Herald", "said Dana Ortiz, the utility's engineer")
    pairs = _pair(SHORT + " " + QUOTED, SHORT_EDITED + " " + other, 17)
    assert not [p for p in pairs if p.kind in ("verbatim", "partial", "paraphrase")]


def test_one_caption_repeated_is_not_a_block() -> None:
    """The same short caption under two photos in both articles is one shared sentence, not a passage."""
    caption = "Firefighters walked past the burned hillside above the reservoir."
    edited = "Firefighters walked past the burned hillside above reservoir."
    rng = random.Random(18)
    donor = Article(id="donor", text=_filler(rng, 20) + "\n\n" + caption + "\n\nPhoto\n\n" + caption + "\n\n"
                    + _filler(rng, 20))
    host = Article(id="host", text=_filler(rng, 20) + "\n\n" + edited + "\n\nPhoto\n\nPhoto\n\n" + edited + "\n\n"
                   + _filler(rng, 20))
    assert not [p for p in find_reuse([donor, host]).pairs if p.kind in ("verbatim", "partial", "paraphrase")]


def test_independent_reports_of_one_event_are_not_reuse() -> None:
    """Two reporters telling the same facts (same figures, same official) in their own words, in
    adjacent sentences: the words overlap, the word order does not, so there is no passage."""
    one = ("The regional water authority said on Tuesday that the northern reservoir held 41 percent of its "
           "capacity, its lowest level since 1976. Engineers will pump water from three neighbouring basins, "
           "authority director Dana Ortiz said.")
    two = ("Dana Ortiz, director of the regional water authority, said pumping from three neighbouring basins "
           "would begin after the northern reservoir fell to 41 percent of capacity. No lower level has been "
           "recorded at the reservoir since 1976, the authority said on Tuesday.")
    assert not [p for p in _pair(one, two, 19) if p.kind in ("verbatim", "partial", "paraphrase")]
