"""Train the hedge cue model on the Szeged uncertainty corpus (WikiWeasel, BioScope) and write JSON weights.

Run ``python -m scorer.training.train_hedging`` (needs ../shared). Only
``wiki.xml`` and the BioScope files are read for training; the FactBank news
half in ``factbank_dev.xml`` is kept for reporting. The output,
``scorer/data/lexicons/hedge_cue_model.json``, holds the candidate lexicon and
logistic-regression weights as plain JSON.
"""

from __future__ import annotations

import argparse
import json
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from scorer.paths import shared_dir
from scorer.spans import Span


@dataclass
class GoldDoc:
    """One Szeged document as text (sentences joined by a space) with gold sentence and cue spans."""

    id: str
    text: str
    sentences: list[Span]
    cues: list[tuple[Span, str]]  # (span, type)


def szeged_dir() -> Path | None:
    """The Szeged uncertainty folder in ../shared, or None when absent."""
    root = shared_dir()
    path = root / "data" / "gold" / "szeged-uncertainty" if root else None
    return path if path and path.is_dir() else None


def load_szeged(name: str) -> list[GoldDoc]:
    """Documents of ``<name>.xml`` (e.g. "wiki", "factbank_dev", "bio_bmc")."""
    base = szeged_dir()
    if base is None:
        raise FileNotFoundError("Szeged uncertainty corpus is absent (../shared/data/gold/szeged-uncertainty)")
    tree = ET.parse(base / f"{name}.xml")
    docs = []
    for n, doc in enumerate(tree.iter("Document")):
        doc_id = (doc.findtext("DocID") or f"{name}-{n}").strip()
        parts: list[str] = []
        pos = 0
        sentences: list[Span] = []
        cues: list[tuple[Span, str]] = []
        for sent in doc.iter("Sentence"):
            start = pos
            pieces: list[str] = []

            def walk(el: ET.Element) -> None:
                nonlocal pos
                if el.text:
                    if el.tag == "ccue":
                        cues.append((Span(pos, pos + len(el.text)), el.get("type", "").strip()))
                    pieces.append(el.text)
                    pos += len(el.text)
                for child in el:
                    walk(child)
                    if child.tail:
                        pieces.append(child.tail)
                        pos += len(child.tail)

            walk(sent)
            parts.append("".join(pieces))
            sentences.append(Span(start, pos))
            parts.append(" ")
            pos += 1
        docs.append(GoldDoc(doc_id, "".join(parts), sentences, cues))
    return docs


def _examples(docs: list[GoldDoc], candidates: set[str]) -> tuple[list[list[str]], list[int]]:
    from scorer.signals.attribution import tokenize
    from scorer.signals.hedging import hedge_features

    X, y = [], []
    for doc in docs:
        cue_spans = [c for c, _ in doc.cues]
        for sent in doc.sentences:
            toks = tokenize(doc.text, sent.start, sent.end)
            inside = [c for c in cue_spans if c.start >= sent.start and c.end <= sent.end]
            for i, w in enumerate(toks.lows):
                if w in candidates:
                    X.append(hedge_features(toks, i))
                    tok = Span(toks.starts[i], toks.ends[i])
                    y.append(int(any(c.overlaps(tok) for c in inside)))
    return X, y


def build_candidates(docs: list[GoldDoc], min_count: int, min_ratio: float) -> set[str]:
    """Lower-case words that are (part of) a cue at least ``min_count`` times and ``min_ratio`` of their uses."""
    from scorer.signals.attribution import TOKEN

    in_cue: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for doc in docs:
        cue_spans = sorted(c for c, _ in doc.cues)
        for m in TOKEN.finditer(doc.text):
            w = m.group().lower()
            total[w] += 1
            if any(c.start <= m.start() < c.end for c in cue_spans):
                in_cue[w] += 1
    return {w for w, c in in_cue.items() if c >= min_count and c / total[w] >= min_ratio and w.isalpha()}


def train(out: Path, parts: tuple[str, ...] = ("wiki", "bio_bmc", "bio_fly"), min_count: int = 3,
          min_ratio: float = 0.05, c: float = 0.5, threshold: float = 0.4, holdout: float = 0.0,
          lexicon: bool = True) -> dict[str, float]:
    """Fit the hedge model on the given Szeged parts (minus a held-out tail share) and save it."""
    docs: list[GoldDoc] = []
    for part in parts:
        part_docs = load_szeged(part)
        docs.extend(part_docs[: int(len(part_docs) * (1 - holdout))])
    return train_docs(out, docs, min_count, min_ratio, c, threshold, lexicon, "+".join(parts))


def train_docs(out: Path, docs: list[GoldDoc], min_count: int = 3, min_ratio: float = 0.05, c: float = 0.5,
               threshold: float = 0.4, lexicon: bool = True, name: str = "documents") -> dict[str, float]:
    """Fit the hedge model on ``docs`` and write it to ``out`` (also used by cross-validation)."""
    from scorer.training.train_attribution import fit_token_classifier

    candidates = build_candidates(docs, min_count, min_ratio)
    if lexicon:
        # the project's hedge words ("expects", "potential") are candidates too, judged by the model
        # from their stem and context like any other, so a word the training genres rarely use can fire
        from scorer.segment import load_lexicon
        from scorer.training.train_attribution import inflections

        words = {line.split("\t")[0].strip().lower() for line in load_lexicon("hedge_kinds")}
        words = {w for w in words if w.isalpha()} - set(load_lexicon("hedge_never"))
        candidates |= words | {f for w in words for f in inflections(w)}
    X, y = _examples(docs, candidates)
    vec, clf, _ = fit_token_classifier(X, y, c)
    weights = {str(n): round(float(w), 3) for n, w in zip(vec.get_feature_names_out(), clf.coef_[0]) if abs(w) >= 0.01}
    model = {"candidates": sorted(candidates), "weights": weights, "bias": float(clf.intercept_[0]),
             "threshold": threshold,
             "trained_on": f"Szeged uncertainty {name}, {len(docs)} documents; C={c}, "
                           f"candidates: cue count>={min_count}, cue ratio>={min_ratio}"}
    out.write_text(json.dumps(model, sort_keys=True, separators=(",", ":")), encoding="utf-8")
    return {"candidates": float(len(candidates)), "examples": float(len(y)), "positives": float(sum(y))}


def main() -> None:
    """Command line: train and write the model file."""
    from scorer.signals.hedging import MODEL_PATH

    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--out", type=Path, default=MODEL_PATH)
    p.add_argument("--parts", default="wiki,bio_bmc,bio_fly")
    p.add_argument("--min-count", type=int, default=3)
    p.add_argument("--min-ratio", type=float, default=0.05)
    p.add_argument("--C", type=float, default=0.5)
    p.add_argument("--threshold", type=float, default=0.4)
    p.add_argument("--holdout", type=float, default=0.0)
    a = p.parse_args()
    print(json.dumps(train(a.out, tuple(a.parts.split(",")), a.min_count, a.min_ratio, a.C, a.threshold, a.holdout)))


if __name__ == "__main__":
    main()
