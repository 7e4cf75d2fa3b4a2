"""The attribution CRF: exported weights read back exactly, exact Viterbi, BIO decoding, integration rules."""

from __future__ import annotations

import json

import numpy as np

import scorer
from scorer.segment import segment
from scorer.signals import attribution_crf as crf
from scorer.signals.attribution import _antecedent, tokenize
from scorer.signals.quotes import find_quotes

TEXT = ("“We will not back down,” Kirby said on Friday. A spokesperson for Exxon, citing a report, "
        "told reporters that the deal was off. Analysts said the talks, which began in May, could fail.")


def _flat(text: str) -> crf.Flat:
    _, sentences = segment(text)
    toks = [tokenize(text, s.start, s.end) for s in sentences]
    return crf.flatten(toks, [(q.inner.start, q.inner.end) for q in find_quotes(text)])


def test_fast_emissions_equal_the_sum_of_the_exported_feature_weights() -> None:
    data = json.loads(crf.MODEL_PATH.read_text(encoding="utf-8"))
    model = crf.CrfModel.from_json(data)
    flat = _flat(TEXT)
    fast = model.emissions(flat)
    feats = crf.feature_strings(flat, frozenset(data["candidates"]), set(data["words"]))
    slow = np.zeros_like(fast)
    for i, fs in enumerate(feats):
        for f in fs:
            k = f.index("]=")
            for label, w in data["states"].get(f[:k + 1], {}).get(f[k + 2:], {}).items():
                slow[i, crf.LABELS.index(label)] += w
    assert np.abs(fast - slow).max() < 1e-9


def test_batched_viterbi_equals_viterbi_per_sentence() -> None:
    model = crf.crf_model()
    flat = _flat(TEXT)
    em = model.emissions(flat)
    batched = model.decode(em, flat.sent_start, flat.sent_end)
    i = 0
    while i < len(em):
        j = int(flat.sent_end[i])
        assert (batched[i:j] == model._viterbi(em[i:j], False, False)).all()
        i = j


def test_the_crf_tags_a_speech_verb_and_its_speaker() -> None:
    labels = crf.tag(_flat(TEXT))
    flat = _flat(TEXT)
    said = flat.texts.index("said")
    assert labels[said].endswith("CUE")
    assert labels[flat.texts.index("Kirby")].endswith("SRC")


def test_bio_spans_open_on_a_stray_inside_tag() -> None:
    got = crf.spans_of(["O", "B-SRC", "I-SRC", "B-CUE", "I-CNT", "I-CNT", "O", "I-SRC"])
    assert got == [("SRC", 1, 2), ("CUE", 3, 3), ("CNT", 4, 5), ("SRC", 7, 7)]


def test_relative_that_is_never_a_source() -> None:
    text = "It cited a new report that says the ban failed."
    toks = tokenize(text, 0, len(text))
    that = toks.lows.index("that")
    rng = _antecedent(toks, (that, that))
    assert rng is not None and toks.span(*rng).of(text) == "a new report"
    sources = [a.source.of(text) for a in scorer.analyse(text).attributions if a.source is not None]
    assert "that" not in sources


def test_modifiers_of_a_noun_cue_are_not_its_source() -> None:
    text = "The assessment builds on previous U.S. reports of drone deliveries."
    sources = [a.source.of(text) for a in scorer.analyse(text).attributions if a.source is not None]
    assert "previous U.S." not in sources


def test_rule_layers_alone_never_run_the_crf(monkeypatch) -> None:
    from scorer.signals import attribution

    monkeypatch.setitem(attribution.LAYERS, "source", "rule")
    monkeypatch.setitem(attribution.LAYERS, "content", "rule")
    monkeypatch.setattr(attribution, "crf_spans", lambda *a, **k: (_ for _ in ()).throw(AssertionError("ran")))
    text = "Kirby said the talks would go on."
    assert [x.source.of(text) for x in scorer.analyse(text).attributions if x.source] == ["Kirby"]
