"""Train the attribution CRF on PolNeAR train with CRFsuite and export its weights as plain arrays.

Run ``python -m scorer.training.train_attribution_crf`` (needs ../shared and the
``train`` extra, which brings ``python-crfsuite``). Every token of every
sentence is tagged O, B-/I-CUE, B-/I-SRC or B-/I-CNT from the first
annotator's spans (a token in two spans takes cue over source over content).
Features are those of :mod:`scorer.signals.attribution_crf`. Training is
deterministic (L-BFGS, fixed order, fixed iterations). The CRFsuite model file
is written to a temporary folder, read back with CRFsuite's own reader, turned
into the runtime's tables (:meth:`CrfModel.from_json` of the exported
transitions and state weights per feature) and saved as
``scorer/data/models/attribution_crf.npz``; the runtime decodes with its own Viterbi.
Only train is read; dev is for reporting (``benchmarks/attribution.py``).
"""

from __future__ import annotations

import argparse
import bisect
import json
import tempfile
from collections import Counter
from pathlib import Path

from scorer.signals import attribution_crf as crf
from scorer.training.train_attribution import GoldArticle, _light, build_candidates, load_polnear

_PRIORITY = {"Cue": ("CUE", 3), "Source": ("SRC", 2), "Content": ("CNT", 1)}


def article_flat(text: str) -> crf.Flat:
    """Sentences, tokens and quotes of a text as the runtime sees them, flattened."""
    from scorer.signals.attribution import tokenize

    a = _light(text)
    toks = [tokenize(text, s.start, s.end) for s in a.sentences]
    return crf.flatten(toks, [(q.inner.start, q.inner.end) for q in a.quotes])


def gold_labels(flat: crf.Flat, art: GoldArticle) -> list[str]:
    """BIO label of every token from the gold spans (cue over source over content)."""
    n = len(flat.starts)
    best: list[tuple[int, int, str]] = [(0, -1, "")] * n  # (priority, span id, kind)
    sid = 0
    for label, (kind, prio) in _PRIORITY.items():
        for frags in art.spans.get(label, []):
            for f in frags:
                sid += 1
                k = bisect.bisect_right(flat.ends, f.start)
                while k < n and flat.starts[k] < f.end:
                    if prio > best[k][0]:
                        best[k] = (prio, sid, kind)
                    k += 1
    out = []
    for i, (prio, span_id, kind) in enumerate(best):
        if not prio:
            out.append("O")
            continue
        same_prev = i > 0 and best[i - 1][1] == span_id and flat.sent_start[i] != i
        out.append(("I-" if same_prev else "B-") + kind)
    return out


def sequences(arts: list[GoldArticle], candidates: frozenset[str], vocab: set[str]):
    """(features, labels) of every sentence of ``arts``; words outside ``vocab`` read as <unk>."""
    for art in arts:
        flat = article_flat(art.text)
        labels = gold_labels(flat, art)
        feats = crf.feature_strings(flat, candidates, vocab)
        i = 0
        n = len(labels)
        while i < n:
            j = int(flat.sent_end[i])
            yield feats[i:j], labels[i:j]
            i = j


def export(model_file: Path, candidates: frozenset[str], vocab: set[str], min_weight: float, note: str) -> dict:
    """The CRFsuite model as the JSON layout :meth:`CrfModel.from_json` reads."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_file))
    info = tagger.info()
    states: dict[str, dict[str, dict[str, float]]] = {}
    for (attr, label), w in sorted(info.state_features.items()):
        if abs(w) < min_weight:
            continue
        k = attr.index("]=")
        states.setdefault(attr[:k + 1], {}).setdefault(attr[k + 2:], {})[label] = round(float(w), 3)
    transitions = [[a, b, round(float(w), 3)] for (a, b), w in sorted(info.transitions.items())]
    return {"labels": list(crf.LABELS), "transitions": transitions, "states": states,
            "candidates": sorted(candidates), "words": sorted(vocab), "templates": {k: list(v) for k, v in crf.TEMPLATES.items()},
            "trained_on": note}


def train(out: Path, holdout: float = 0.0, c1: float = 0.05, c2: float = 0.01, iterations: int = 200,
          min_word: int = 2, min_weight: float = 0.01) -> dict[str, float]:
    """Fit on PolNeAR train (minus a held-out tail share) and write the weights to ``out`` (.npz)."""
    import pycrfsuite

    from scorer.signals.attribution import TOKEN

    arts = load_polnear("train")
    fit = arts[: int(len(arts) * (1 - holdout))]
    counts: Counter[str] = Counter(m.group().lower() for a in fit for m in TOKEN.finditer(a.text))
    vocab = {w for w, c in counts.items() if c >= min_word}
    candidates = frozenset(build_candidates(fit, 2, 0.1))
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    n_seq = n_tok = 0
    for xseq, yseq in sequences(fit, candidates, vocab):
        trainer.append(xseq, yseq)
        n_seq += 1
        n_tok += len(yseq)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations, "feature.possible_transitions": True})
    with tempfile.TemporaryDirectory() as tmp:
        model_file = Path(tmp) / "attribution.crfsuite"
        trainer.train(str(model_file))
        note = (f"PolNeAR train, {len(fit)} articles ({n_seq} sentences, {n_tok} tokens), first annotator; "
                f"CRFsuite L-BFGS c1={c1} c2={c2} {iterations} iterations; words seen < {min_word} times read <unk>")
        data = export(model_file, candidates, vocab, min_weight, note)
    out.parent.mkdir(parents=True, exist_ok=True)
    crf.CrfModel.from_json(data).save(out)
    return {"sentences": float(n_seq), "tokens": float(n_tok),
            "state_weights": float(sum(len(v) for s in data["states"].values() for v in s.values()))}


def main() -> None:
    """Command line: train and write the weights."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--out", type=Path, default=crf.MODEL_PATH)
    p.add_argument("--holdout", type=float, default=0.0, help="share of train articles kept out (development)")
    p.add_argument("--c1", type=float, default=0.05)
    p.add_argument("--c2", type=float, default=0.01)
    p.add_argument("--iterations", type=int, default=200)
    p.add_argument("--min-word", type=int, default=2)
    a = p.parse_args()
    print(json.dumps(train(a.out, a.holdout, a.c1, a.c2, a.iterations, a.min_word)))


if __name__ == "__main__":
    main()
