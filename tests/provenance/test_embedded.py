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
