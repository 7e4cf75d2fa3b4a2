"""Any Unicode input gives a valid Analysis: spans in range, types from the allowed set, features finite."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

import scorer
from scorer.features import features_of
from scorer.signals.attribution import SOURCE_TYPES

_PIECES = st.sampled_from([
    "“", "”", '"', "‘", "’", "'", " said ", "According to ", " officials ", "Mr.", " U.S. ", "\n\n", "\n",
    ", a spokesman for the ministry, ", " may ", " can ", " allegedly ", " on condition of anonymity ",
    ".", "?", "!", "—", " he ", " She told reporters: ", "A senior official said", "…",
])
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=12)), max_size=40).map("".join)


@settings(max_examples=150, deadline=None)
@given(_TEXT)
def test_analyse_never_raises_and_spans_are_valid(text: str) -> None:
    a = scorer.analyse(text)
    n = len(text)
    for s in a.sentences + a.paragraphs:
        assert 0 <= s.start < s.end <= n
    for q in a.quotes:
        assert 0 <= q.span.start <= q.inner.start <= q.inner.end <= q.span.end <= n
    for x in a.attributions:
        assert x.source_type in SOURCE_TYPES
        for span in (x.cue, x.source, x.content, x.anonymity_reason, x.sentence):
            if span is not None:
                assert 0 <= span.start <= span.end <= n
    for h in a.hedges:
        assert h.sentence.contains(h.cue)
    assert all(math.isfinite(v) for v in features_of(a).values())
