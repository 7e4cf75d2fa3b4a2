"""Train the attribution cue model on PolNeAR train and write its weights.

Run ``python -m scorer.training.train_attribution`` (needs ../shared). The
result, ``scorer/data/models/attribution_cue_model.npz``, holds the
candidate lexicon and the logistic-regression weights as plain arrays
(:meth:`scorer.signals.attribution.CueModel.save`): no pickle, read with
``allow_pickle=False``.
Only the train split is read; dev is for reporting.
"""

from __future__ import annotations

import argparse
import bisect
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from scorer.paths import shared_dir
from scorer.spans import Span

_ANN_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t")
_ANN_FILE = re.compile(r"_[0-9a-f]{4}\.ann$")


@dataclass
class GoldArticle:
    """One PolNeAR article with the first annotator's spans by label (Source, Cue, Content)."""

    id: str
    text: str
    spans: dict[str, list[list[Span]]]  # label -> list of (possibly discontinuous) fragment lists


def polnear_dir() -> Path | None:
    """PolNeAR's data folder in ../shared, or None when absent."""
    root = shared_dir()
    path = root / "data" / "gold" / "polnear" / "data" if root else None
    return path if path and path.is_dir() else None


def load_polnear(split: str) -> list[GoldArticle]:
    """Articles of a PolNeAR split with the first annotator's annotation of each (sorted by id)."""
    base = polnear_dir()
    if base is None:
        raise FileNotFoundError("PolNeAR is absent (../shared/data/gold/polnear)")
    seen: dict[str, GoldArticle] = {}
    for ann in sorted((base / split / "attributions").glob("*.ann")):
        art_id = _ANN_FILE.sub("", ann.name)
        if art_id in seen:
            continue
        text = (base / split / "text" / f"{art_id}.txt").read_text(encoding="utf-8")
        spans: dict[str, list[list[Span]]] = {}
        for line in ann.read_text(encoding="utf-8").splitlines():
            m = _ANN_LINE.match(line)
            if not m:
                continue
            frags = [Span(*map(int, f.split())) for f in m.group(3).split(";")]
            spans.setdefault(m.group(2), []).append(frags)
        seen[art_id] = GoldArticle(art_id, text, spans)
    return list(seen.values())


def _cue_mask(art: GoldArticle) -> list[Span]:
    frags = sorted(f for group in art.spans.get("Cue", []) for f in group)
    return frags


def _overlaps_any(span: Span, sorted_spans: list[Span], starts: list[int]) -> bool:
    """Whether ``span`` overlaps one of ``sorted_spans`` (sorted by start; ``starts`` their starts)."""
    k = bisect.bisect_right(starts, span.start)
    return any(sorted_spans[j].overlaps(span) for j in range(max(0, k - 4), min(len(sorted_spans), k + 1)))


def build_candidates(arts: list[GoldArticle], min_count: int, min_ratio: float,
                     vocabulary: Counter[str] | None = None) -> set[str]:
    """Lower-case tokens that are cue tokens at least ``min_count`` times and ``min_ratio`` of their uses.

    ``vocabulary``, when given, receives the count of every token seen.
    """
    from scorer.signals.attribution import TOKEN

    in_cue: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for art in arts:
        cues = _cue_mask(art)
        starts = [c.start for c in cues]
        for m in TOKEN.finditer(art.text):
            w = m.group().lower()
            total[w] += 1
            if _overlaps_any(Span(m.start(), m.end()), cues, starts):
                in_cue[w] += 1
    from scorer.segment import load_lexicon

    excluded = set(load_lexicon("cue_excluded"))
    if vocabulary is not None:
        vocabulary.update(total)
    return {w for w, c in in_cue.items()
            if c >= min_count and c / total[w] >= min_ratio and (w.isalpha() or w == ":") and w not in excluded}


_SUFFIXES = ("ing", "ed", "es", "s", "d", "")


def inflections(word: str) -> set[str]:
    """Regular inflections of a verb or noun cue ("castigate" -> "castigates", "castigated", "castigating").

    Crude on purpose: forms that are not English words never occur in text, so they cost nothing.
    """
    if not word.isalpha() or len(word) < 4:
        return set()
    stem = word
    for suf in _SUFFIXES[:-1]:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            stem = word[: -len(suf)]
            break
    forms = {stem + suf for suf in ("s", "ed", "ing", "es")}
    if stem.endswith("e"):
        forms |= {stem + "d", stem[:-1] + "ing"}
    else:
        forms |= {stem + "e", stem + "es", stem + "ed", stem + "ing", stem + "e" + "s", stem + "e" + "d"}
    return forms


def examples(arts: list[GoldArticle], candidates: set[str]) -> tuple[list[list[str]], list[int]]:
    """Feature lists and 0/1 labels for every candidate token in ``arts``."""
    from scorer.signals.attribution import _in_spans, cue_features, tokenize

    X: list[list[str]] = []
    y: list[int] = []
    for art in arts:
        a = _light(art.text)
        cues = _cue_mask(art)
        starts = [c.start for c in cues]
        q_spans = [q.inner for q in a.quotes]
        q_starts = [s.start for s in q_spans]
        for sent in a.sentences:
            toks = tokenize(art.text, sent.start, sent.end)
            has_q = any(q.span.overlaps(sent) for q in a.quotes)
            for i, w in enumerate(toks.lows):
                if w not in candidates:
                    continue
                X.append(cue_features(toks, i, _in_spans(toks.starts[i], q_starts, q_spans), has_q))
                y.append(int(_overlaps_any(Span(toks.starts[i], toks.ends[i]), cues, starts)))
    return X, y


def _light(text: str):
    """Sentences and quotes only (what the cue features need)."""
    from scorer import segment
    from scorer.analysis import Analysis
    from scorer.signals.quotes import find_quotes

    paragraphs, sentences = segment.segment(text)
    return Analysis(text=text, paragraphs=paragraphs, sentences=sentences,
                    findings={"quotes": find_quotes(text)})


def fit_token_classifier(X: list[list[str]], y: list[int], c: float):
    """Fit the binary logistic model over one-hot token features used by the cue and hedge models.

    Returns the vectorizer, the fitted classifier and the training matrix (int32 indices
    keep liblinear's memory small on the full training sets).
    """
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    M = vec.fit_transform([{f: 1 for f in feats} for feats in X]).tocsr()
    M.indices = M.indices.astype("int32")
    M.indptr = M.indptr.astype("int32")
    clf = LogisticRegression(C=c, max_iter=2000, solver="liblinear")
    clf.fit(M, y)
    return vec, clf, M


def train(out: Path, min_count: int = 1, min_ratio: float = 0.1, c: float = 0.25,
          threshold: float = 0.4, holdout: float = 0.0, min_weight: float = 0.02,
          inflect: bool = True) -> dict[str, float]:
    """Fit the cue model on PolNeAR train (optionally holding out the last ``holdout`` share) and save it."""
    arts = load_polnear("train")
    n_fit = int(len(arts) * (1 - holdout))
    fit_arts = arts[:n_fit]
    from scorer.segment import load_lexicon

    vocabulary: Counter[str] = Counter()
    candidates = build_candidates(fit_arts, min_count, min_ratio, vocabulary) | set(load_lexicon("reporting_verbs"))
    X, y = examples(fit_arts, candidates)
    vec, clf, M = fit_token_classifier(X, y, c)
    # keep only candidates the model ever accepts on train: the others cost time and never fire
    proba = clf.predict_proba(M)[:, 1]
    fired: Counter[str] = Counter()
    for feats, pr in zip(X, proba):
        if pr >= threshold:
            fired[feats[0][2:]] += 1
    from scorer.segment import load_lexicon

    lexicon = set(load_lexicon("reporting_verbs"))
    candidates = {w for w in candidates if fired[w] >= 2 or w in lexicon}
    if inflect:
        # forms of accepted cues that train never shows ("castigates" beside "castigated") are judged
        # by their stem and context features, so a rare inflection is not unreachable
        unseen = {f for w in candidates for f in inflections(w) if vocabulary[f] == 0}
        candidates |= unseen
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 3) for n, w in zip(names, clf.coef_[0]) if abs(w) >= min_weight}
    from scorer.signals.attribution import CueModel

    CueModel(frozenset(candidates), weights, float(clf.intercept_[0]), threshold,
             f"PolNeAR train, {n_fit} articles, first annotator; C={c}, "
             f"candidates: cue count>={min_count}, cue ratio>={min_ratio}").save(out)
    return {"candidates": float(len(candidates)), "examples": float(len(y)), "positives": float(sum(y)),
            "features": float(len(weights))}


def main() -> None:
    """Command line: train and write the model file."""
    from scorer.signals.attribution import MODEL_PATH

    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--out", type=Path, default=MODEL_PATH)
    p.add_argument("--min-count", type=int, default=1)
    p.add_argument("--min-ratio", type=float, default=0.1)
    p.add_argument("--C", type=float, default=0.25)
    p.add_argument("--threshold", type=float, default=0.4)
    p.add_argument("--min-weight", type=float, default=0.02, help="drop smaller weights to keep the file small")
    p.add_argument("--holdout", type=float, default=0.0, help="share of train articles kept out (for development)")
    args = p.parse_args()
    stats = train(args.out, args.min_count, args.min_ratio, args.C, args.threshold, args.holdout, args.min_weight)
    print(json.dumps(stats))


if __name__ == "__main__":
    main()
