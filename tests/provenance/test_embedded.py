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
