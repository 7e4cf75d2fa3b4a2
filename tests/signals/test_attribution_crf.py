"""The attribution CRF: exported weights read back exactly, exact Viterbi, BIO decoding, integration rules."""

from __future__ import annotations

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


def _weight_row(model: crf.CrfModel, feature: str) -> np.ndarray:
    """The label weights of one feature string ("w[-1]=said", "bg[0]=he|said") read straight from the tables."""
    k = feature.index("]=")
    base, off = feature[:k].split("[")
    value = feature[k + 2:]
    table = model.tables[(base, int(off))]
    if base == "bg":
        if value == crf.EOS:
            return table[1]
        a, _, b = value.partition("|")
        words = model.vocab["w"]
        if a not in words or b not in words:
            return np.zeros(table.shape[1])
        key = words[a] * len(words) + words[b]
        at = int(np.searchsorted(model.pair_keys, key))
        found = at < len(model.pair_keys) and model.pair_keys[at] == key
        return table[model.pair_rows[at]] if found else table[0]
    row = model.vocab[base].get(value)
    return table[row] if row is not None else np.zeros(table.shape[1])


def test_fast_emissions_equal_the_sum_of_the_feature_weights() -> None:
    model = crf.crf_model()
    flat = _flat(TEXT)
    fast = model.emissions(flat)
    words = set(model.vocab["w"]) - {crf.UNK, crf.BOS, crf.EOS}
    feats = crf.feature_strings(flat, model.candidates, words)
    slow = np.zeros_like(fast)
    for i, fs in enumerate(feats):
        for f in fs:
            slow[i] += _weight_row(model, f)
    assert np.abs(fast - slow).max() < 1e-9


def test_saved_weights_load_back_exactly(tmp_path) -> None:
    model = crf.crf_model()
    again = crf.CrfModel.load(model.save(tmp_path / "crf.npz"))
    assert (again.labels, again.vocab, again.candidates) == (model.labels, model.vocab, model.candidates)
    assert list(again.tables) == list(model.tables)
    assert all(np.array_equal(again.tables[k], model.tables[k]) for k in model.tables)
    assert np.array_equal(again.transitions, model.transitions) and np.array_equal(again.pair_keys, model.pair_keys)


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


def test_batched_viterbi_equals_viterbi_per_sentence_on_random_scores() -> None:
    """Sentences of any lengths (one token, equal lengths, one long one) decode as they would alone."""
    model = crf.crf_model()
    rng = np.random.default_rng(12)
    for _ in range(20):
        lens = rng.integers(1, 40, size=int(rng.integers(1, 12)))
        bounds = np.concatenate(([0], np.cumsum(lens)))
        sent_start = np.repeat(bounds[:-1], lens)
        sent_end = np.repeat(bounds[1:], lens)
        em = rng.normal(scale=3.0, size=(int(bounds[-1]), len(model.labels)))
        batched = model.decode(em, sent_start, sent_end)
        for i, j in zip(bounds[:-1], bounds[1:]):
            assert (batched[i:j] == model._viterbi(em[i:j], False, False)).all()


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


def test_label_spans_equal_bio_spans_per_segment() -> None:
    rng = np.random.default_rng(0)
    labels = crf.LABELS
    for _ in range(200):
        n = int(rng.integers(1, 30))
        tags = rng.integers(0, len(labels), n)
        starts = rng.random(n) < 0.2
        starts[0] = True
        want = []
        bounds = list(np.flatnonzero(starts)) + [n]
        for a, b in zip(bounds, bounds[1:]):
            want += [(k, i + a, j + a) for k, i, j in crf.spans_of([labels[t] for t in tags[a:b]])]
        assert crf.label_spans(labels, tags, starts) == want


def test_distinct_equals_numpy_unique() -> None:
    rng = np.random.default_rng(7)
    for n in (1, 2, 9, 500):
        values = rng.integers(0, 40, n)
        got, want = crf._distinct(values), np.unique(values)
        assert got.dtype == want.dtype and got.tolist() == want.tolist()
