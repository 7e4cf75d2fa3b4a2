"""Honest evaluation: outlet-grouped cross-validation against the baselines a user would try.

Every model is cross-validated with folds grouped by outlet domain (an
article without a domain is its own group; duplicates share a group), in
three settings: ``fakehealth`` (HealthStory), ``political`` (BuzzFeedUSE and
FakeNewsNet, deduplicated) and ``pooled`` (all), with several fold seeds.
Training folds are weighted so the classes are balanced inside each corpus,
except for the *corpus identity* baseline, whose point is to show what
knowing the corpus alone earns when base rates differ.

Compared in the same run:

* ``majority``: always the training majority class;
* ``length``: log word count alone;
* ``corpus``: one-hot corpus identity alone (pooled only);
* ``tfidf``: word 1-2-gram TF-IDF + logistic regression;
* ``wordcount``: log counts of reporting verbs, hedges, anonymous-source
  words and quote marks (``scorer/data/baselines/wordcount_terms.json``);
* ``model``: the shipped model's recipe (the features of
  ``scorer/data/model/model_features.json``, each weight held to its
  required sign, scaler, calibrated logistic regression; health weights only
  when that file enables routing, see :mod:`scorer.model`);
* ablations (full run): ``model_one_head``, the same recipe with one set of
  weights for every article; the recipe on the sourcing/hedging/origin
  signals only, on the reporting-quality cues only and on the style markers
  only; and ``gbt``, a small gradient-boosted tree model on the same
  features (the estimator the linear model was measured against).

Metrics per test fold: ROC AUC, accuracy, macro-F1 and Brier score; the
calibration curve comes from the model's pooled out-of-fold predictions.
No hyper-parameter is chosen on a test fold.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, brier_score_loss, f1_score, roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.preprocessing import StandardScaler

from scorer.featurizer import CUE_GROUPS
from scorer.domain import default_rule, domain_of
from scorer.model import (DEFAULT_C, fit_head, fit_heads, model_feature_names, predict_heads, required_signs,
                          routing_enabled, unit_weights)
from scorer.training_data import TrainingPool, balanced_weights

WORDCOUNT_TERMS = Path(__file__).resolve().parent / "data" / "baselines" / "wordcount_terms.json"
SETTINGS = ("fakehealth", "political", "pooled")
MODELS = ("majority", "length", "corpus", "wordcount", "tfidf", "model")


@dataclass
class EvalData:
    """Everything the models need, computed once per article."""

    pool: TrainingPool
    X: np.ndarray  # model feature matrix
    names: list[str]
    texts: list[str]
    log_words: np.ndarray
    wordcount: np.ndarray
    corpus_onehot: np.ndarray
    domains: np.ndarray  # which weights score each article (scorer.domain)


def wordcount_matrix(texts: list[str], path: Path = WORDCOUNT_TERMS) -> np.ndarray:
    """log(1 + matches) of each word list of the word-count baseline.

    Plain counts, as a user counting words would build it (so it also knows
    length); the model's own features are rates and shares instead.
    """
    spec = {k: v for k, v in json.loads(path.read_text(encoding="utf-8")).items() if not k.startswith("_")}
    word = re.compile(r"[A-Za-z']+")
    out = np.zeros((len(texts), len(spec)))
    for i, text in enumerate(texts):
        tokens = [t.lower() for t in word.findall(text)]
        for j, terms in enumerate(spec.values()):
            marks = [t for t in terms if not t[0].isalpha()]
            words = {t for t in terms if t[0].isalpha()}
            count = sum(tok in words for tok in tokens) + sum(text.count(m) for m in marks)
            out[i, j] = np.log1p(count)
    return out


def prepare(pool: TrainingPool, n_jobs: int = 1, X: np.ndarray | None = None) -> EvalData:
    """Compute features (analysis in ``n_jobs`` processes) and baseline inputs for a pool."""
    from scorer.featurizer import ArticleFeaturizer, feature_rows

    feat = ArticleFeaturizer().fit()
    if X is None:
        from scorer.model import pool_reuse

        X = feature_rows(pool.articles, feat.feature_names_, n_jobs=n_jobs, reuse=pool_reuse(pool.articles, n_jobs))
    texts = [a.text for a in pool.articles]
    corpora = sorted(set(pool.corpus))
    onehot = np.array([[float(c == k) for k in corpora] for c in pool.corpus])
    rule = default_rule() if routing_enabled() else None
    domains = np.array([domain_of(t, rule) if rule else "general" for t in texts])
    return EvalData(pool, X, list(feat.feature_names_), texts,
                    np.log1p([len(t.split()) for t in texts])[:, None], wordcount_matrix(texts), onehot, domains)


# ---------------------------------------------------------------- models

FitPredict = Callable[[EvalData, np.ndarray, np.ndarray, np.ndarray], np.ndarray]


def _linear(X: np.ndarray, tr: np.ndarray, te: np.ndarray, y: np.ndarray, w: np.ndarray, C: float = 1.0) -> np.ndarray:
    scaler = StandardScaler().fit(X[tr])
    lr = LogisticRegression(C=C, max_iter=5000).fit(scaler.transform(X[tr]), y[tr], sample_weight=w)
    return lr.predict_proba(scaler.transform(X[te]))[:, 1]


def fit_majority(d: EvalData, tr: np.ndarray, te: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Training majority class, as a constant probability (its training share)."""
    return np.full(len(te), d.pool.y[tr].mean())


def fit_length(d: EvalData, tr: np.ndarray, te: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Log word count alone."""
    return _linear(d.log_words, tr, te, d.pool.y, w)


def fit_corpus(d: EvalData, tr: np.ndarray, te: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Corpus identity alone, unweighted (so corpus base rates are what it learns)."""
    return _linear(d.corpus_onehot, tr, te, d.pool.y, np.ones(len(tr)))


def fit_wordcount(d: EvalData, tr: np.ndarray, te: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Reporting-verb / hedge / anonymity / quote-mark rates."""
    return _linear(d.wordcount, tr, te, d.pool.y, w)


def fit_tfidf(d: EvalData, tr: np.ndarray, te: np.ndarray, w: np.ndarray) -> np.ndarray:
    """TF-IDF word 1-2-grams + logistic regression with library defaults (C=1)."""
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=100_000)
    Xtr = vec.fit_transform([d.texts[i] for i in tr])
    lr = LogisticRegression(C=1.0, max_iter=5000).fit(Xtr, d.pool.y[tr], sample_weight=w)
    return lr.predict_proba(vec.transform([d.texts[i] for i in te]))[:, 1]


def fit_model(d: EvalData, tr: np.ndarray, te: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The shipped model's recipe: the signed features, calibration fitted inside the training fold only."""
    return _fit_columns(d, tr, te, w, np.ones(len(d.names), dtype=bool))


def fit_model_one_head(d: EvalData, tr: np.ndarray, te: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Ablation: the shipped recipe with one set of weights for every article (no health weights)."""
    keep = _weighted(d)
    head = fit_head(d.X[tr][:, keep], d.pool.y[tr], w, d.pool.groups[tr], C=DEFAULT_C,
                    directions=required_signs(d.names)[keep], unit=unit_weights())
    return head.predict_proba(d.X[te][:, keep])


def _weighted(d: EvalData) -> np.ndarray:
    """Columns the model may weight (``scorer/data/model/model_features.json``)."""
    return np.isin(d.names, model_feature_names())


def _groups_of(d: EvalData) -> np.ndarray:
    from scorer.featurizer import feature_catalogue

    cat = feature_catalogue().drop_duplicates("name").set_index("name")
    return np.array([cat.loc[n, "group"] if n in cat.index else "" for n in d.names])


def _fit_columns(d: EvalData, tr: np.ndarray, te: np.ndarray, w: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """The shipped recipe on the weighted columns in ``keep``; ``w`` is recomputed per head."""
    keep = keep & _weighted(d)
    dirs = required_signs(d.names)[keep]
    heads = fit_heads(d.X[tr][:, keep], d.pool.y[tr], d.pool.corpus[tr], d.pool.groups[tr], d.domains[tr],
                      directions=dirs, C=DEFAULT_C, unit=unit_weights())
    return predict_heads(heads, d.X[te][:, keep], d.domains[te])


def fit_model_signals(d: EvalData, tr: np.ndarray, te: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Ablation: the model's recipe on the sourcing/hedging/transparency/origin/provenance catalogue only."""
    return _fit_columns(d, tr, te, w, ~np.isin(_groups_of(d), CUE_GROUPS))


def fit_model_reporting(d: EvalData, tr: np.ndarray, te: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Ablation: the model's recipe on the reporting-quality cues only (group ``reporting``)."""
    return _fit_columns(d, tr, te, w, _groups_of(d) == "reporting")


def fit_model_style(d: EvalData, tr: np.ndarray, te: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Ablation: the model's recipe on the style markers only (group ``style``)."""
    return _fit_columns(d, tr, te, w, _groups_of(d) == "style")


def fit_gbt(d: EvalData, tr: np.ndarray, te: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Estimator comparison: a small gradient-boosted tree model on the model's features."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    gbt = HistGradientBoostingClassifier(max_depth=3, learning_rate=0.05, max_iter=200, random_state=0)
    gbt.fit(d.X[tr], d.pool.y[tr], sample_weight=w)
    return gbt.predict_proba(d.X[te])[:, 1]


FITTERS: dict[str, FitPredict] = {
    "majority": fit_majority, "length": fit_length, "corpus": fit_corpus,
    "wordcount": fit_wordcount, "tfidf": fit_tfidf, "model": fit_model,
    "model_signals_only": fit_model_signals, "model_reporting_only": fit_model_reporting,
    "model_style_only": fit_model_style, "model_one_head": fit_model_one_head, "gbt": fit_gbt,
}
#: Ablations and the estimator comparison, run in the full evaluation only.
ABLATIONS = ("model_one_head", "model_signals_only", "model_reporting_only", "model_style_only", "gbt")


# ---------------------------------------------------------------- cross-validation


def fold_metrics(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    """ROC AUC, accuracy, macro-F1 and Brier score of probabilities ``p``."""
    pred = (p >= 0.5).astype(int)
    return {
        "auc": float(roc_auc_score(y, p)) if len(np.unique(y)) == 2 else float("nan"),
        "accuracy": float(accuracy_score(y, pred)),
        "macro_f1": float(f1_score(y, pred, average="macro", zero_division=0)),
        "brier": float(brier_score_loss(y, p)),
    }


def setting_mask(pool: TrainingPool, setting: str) -> np.ndarray:
    """Rows of the pool evaluated in ``setting``."""
    if setting == "pooled":
        return np.ones(len(pool), dtype=bool)
    return pool.eval_corpus == setting


@dataclass
class CVResult:
    """Per-fold metrics and out-of-fold predictions."""

    folds: pd.DataFrame
    oof: pd.DataFrame  # setting, model, seed, row, y, p, corpus
    sizes: dict[str, dict[str, int]] = field(default_factory=dict)


def cross_validate(d: EvalData, settings: tuple[str, ...] = SETTINGS, models: tuple[str, ...] = MODELS,
                   seeds: tuple[int, ...] = (0, 1, 2), n_splits: int = 5,
                   progress: Callable[[str], None] | None = None) -> CVResult:
    """Outlet-grouped stratified K-fold for every setting, model and fold seed."""
    rows, oof_parts, sizes = [], [], {}
    for setting in settings:
        idx = np.flatnonzero(setting_mask(d.pool, setting))
        y, groups, corpus = d.pool.y[idx], d.pool.groups[idx], d.pool.corpus[idx]
        sizes[setting] = {"articles": int(len(idx)), "reliable": int(y.sum()), "outlets": int(len(set(groups)))}
        for seed in seeds:
            cv = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
            for fold, (tr, te) in enumerate(cv.split(idx, y, groups)):
                w = balanced_weights(y[tr], corpus[tr])
                for name in models:
                    if name == "corpus" and (setting != "pooled"):
                        continue
                    p = FITTERS[name](d, idx[tr], idx[te], w)
                    m = fold_metrics(y[te], p)
                    rows.append({"setting": setting, "model": name, "seed": seed, "fold": fold, "n_test": len(te), **m})
                    oof_parts.append(pd.DataFrame({"setting": setting, "model": name, "seed": seed,
                                                   "row": idx[te], "y": y[te], "p": p, "corpus": corpus[te]}))
            if progress:
                progress(f"{setting} seed {seed} done")
    return CVResult(pd.DataFrame(rows), pd.concat(oof_parts, ignore_index=True), sizes)


def summarise(res: CVResult) -> pd.DataFrame:
    """Mean and spread of each metric per setting and model, plus the AUC range across fold seeds.

    ``auc_within`` (pooled only) averages the out-of-fold AUC computed
    separately inside each corpus: it cannot be earned by corpus base rates.
    """
    out = []
    for (setting, model), g in res.folds.groupby(["setting", "model"], sort=False):
        seed_auc = g.groupby("seed")["auc"].mean()
        row = {"setting": setting, "model": model,
               "auc": g["auc"].mean(), "auc_sd": g["auc"].std(ddof=0),
               "auc_seed_min": seed_auc.min(), "auc_seed_max": seed_auc.max(),
               "accuracy": g["accuracy"].mean(), "macro_f1": g["macro_f1"].mean(), "brier": g["brier"].mean()}
        o = res.oof[(res.oof.setting == setting) & (res.oof.model == model)]
        within = []
        for (_, corpus), oc in o.groupby(["seed", "corpus"]):
            if oc["y"].nunique() == 2:
                within.append(roc_auc_score(oc["y"], oc["p"]))
        row["auc_within"] = float(np.mean(within)) if within else float("nan")
        out.append(row)
    return pd.DataFrame(out)


def auc_by_corpus(res: CVResult, setting: str = "pooled") -> pd.DataFrame:
    """Out-of-fold AUC of each model on each corpus's articles (pooled training), averaged over fold seeds.

    What the shipped recipe, trained on everything, achieves on the articles
    of one corpus (the ``auc_within`` column is the mean of these). The
    majority and corpus-identity baselines are left out: they give one
    constant per fold, so inside a corpus their AUC only measures the folds.
    """
    o = res.oof[(res.oof.setting == setting) & ~res.oof.model.isin(["majority", "corpus"])]
    rows = {}
    for (model, corpus), g in o.groupby(["model", "corpus"], sort=False):
        aucs = [roc_auc_score(s["y"], s["p"]) for _, s in g.groupby("seed") if s["y"].nunique() == 2]
        if aucs:
            rows.setdefault(model, {})[corpus] = float(np.mean(aucs))
    return pd.DataFrame(rows).T


def calibration_table(y: np.ndarray, p: np.ndarray, bins: int = 10) -> pd.DataFrame:
    """Observed share reliable against mean predicted probability, per quantile bin."""
    frac, mean = calibration_curve(y, p, n_bins=bins, strategy="quantile")
    return pd.DataFrame({"mean_predicted": mean, "observed_reliable": frac})


# ---------------------------------------------------------------- the whole run


@dataclass
class Evaluation:
    """Summary table, calibration curve and the run's parameters."""

    summary: pd.DataFrame
    calibration: pd.DataFrame
    cv: CVResult
    params: dict[str, object]
    pool_info: dict[str, object]


def run(pool: TrainingPool | None = None, full: bool = True, n_jobs: int = 2,
        progress: Callable[[str], None] | None = None, sample: int | None = None) -> Evaluation:
    """The evaluation the documentation reports (``full``) or its quick CI version.

    The quick version uses one fold seed, 3 folds and a stratified sample of
    ``sample`` articles (default 1,200) so it runs in about a minute on 2 cores.
    """
    from scorer.training_data import load_pool

    pool = pool if pool is not None else load_pool()
    if not full:
        sample = sample or 1200
    if sample and sample < len(pool):
        rng = np.random.default_rng(0)
        # sample whole outlet groups' rows uniformly but keep every corpus represented
        keep = np.zeros(len(pool), dtype=bool)
        for c in np.unique(pool.eval_corpus):
            rows = np.flatnonzero(pool.eval_corpus == c)
            k = int(round(sample * len(rows) / len(pool)))
            keep[rng.choice(rows, size=min(k, len(rows)), replace=False)] = True
        pool = pool.subset(keep)
    seeds = (0, 1, 2) if full else (0,)
    n_splits = 5 if full else 3
    d = prepare(pool, n_jobs=n_jobs)
    models = MODELS + ABLATIONS if full else MODELS
    res = cross_validate(d, models=models, seeds=seeds, n_splits=n_splits, progress=progress)
    summary = summarise(res)
    o = res.oof[(res.oof.setting == "pooled") & (res.oof.model == "model") & (res.oof.seed == seeds[0])]
    calib = calibration_table(o["y"].to_numpy(), o["p"].to_numpy())
    params = {"seeds": list(seeds), "n_splits": n_splits, "sample": sample or len(pool), "C": DEFAULT_C,
              "features": d.names}
    info = {"sizes": res.sizes, "dropped": pool.dropped}
    return Evaluation(summary, calib, res, params, info)


def headline(ev: Evaluation) -> dict[str, float]:
    """Flat figures for the benchmark gate: AUC per setting and model, and margins."""
    out: dict[str, float] = {}
    s = ev.summary.set_index(["setting", "model"])
    for (setting, model), row in s.iterrows():
        out[f"{setting}.{model}.auc"] = round(float(row["auc"]), 4)
    for setting in SETTINGS:
        if (setting, "model") in s.index and (setting, "length") in s.index:
            out[f"{setting}.model_minus_length.auc"] = round(float(s.loc[(setting, "model"), "auc"] - s.loc[(setting, "length"), "auc"]), 4)
    if ("pooled", "model") in s.index:
        out["pooled.model.auc_within"] = round(float(s.loc[("pooled", "model"), "auc_within"]), 4)
        out["pooled.model.brier"] = round(float(s.loc[("pooled", "model"), "brier"]), 4)
    return out


#: How the evaluation computes the corpus-level features (stated under the feature list).
PROVENANCE_NOTE = 'The `provenance_*` columns come from reuse found once across the evaluated pool (`scorer.provenance.find_reuse`, no labels), as `scorer batch --reuse` finds it across a scored corpus.'


def to_markdown(ev: Evaluation, command: str) -> str:
    """The evaluation report as Markdown (what docs/evaluation.md holds)."""
    p = ev.params
    lines = [
        "# Evaluation",
        "",
        f"Generated by `{command}`. Outlet-grouped stratified {p['n_splits']}-fold cross-validation, "
        f"fold seeds {p['seeds']}; figures are the mean over all folds and seeds (AUC also ± the standard "
        "deviation over folds, and the range of the per-seed means). Folds are grouped by outlet domain "
        "(an article without a domain is its own group; duplicates share a group). Every model except "
        "`corpus` is trained with the classes balanced inside each corpus (each corpus keeps a weight in "
        "proportion to its size).",
        "",
        "`auc_within` (pooled setting): the out-of-fold AUC computed inside each corpus separately, then "
        "averaged; knowing which corpus an article came from earns nothing on it.",
        "",
    ]
    sizes = ev.pool_info["sizes"]
    lines += ["| setting | articles | reliable | outlet groups |", "|---|---|---|---|"]
    for setting, sz in sizes.items():
        lines.append(f"| {setting} | {sz['articles']} | {sz['reliable']} | {sz['outlets']} |")
    lines += ["", f"Left out of the pool: {json.dumps(ev.pool_info['dropped'], sort_keys=True)}.", ""]
    for setting in SETTINGS:
        s = ev.summary[ev.summary.setting == setting]
        if s.empty:
            continue
        lines += [f"## {setting}", "",
                  "| model | ROC AUC | AUC range over seeds | auc_within | accuracy | macro-F1 | Brier |",
                  "|---|---|---|---|---|---|---|"]
        for _, r in s.iterrows():
            within = f"{r['auc_within']:.3f}" if setting == "pooled" else ""
            lines.append(f"| {r['model']} | {r['auc']:.3f} ± {r['auc_sd']:.3f} | {r['auc_seed_min']:.3f}-{r['auc_seed_max']:.3f} "
                         f"| {within} | {r['accuracy']:.3f} | {r['macro_f1']:.3f} | {r['brier']:.3f} |")
        lines.append("")
    per_corpus = auc_by_corpus(ev.cv)
    if not per_corpus.empty:
        cols = list(per_corpus.columns)
        lines += ["## Pooled training, scored per corpus", "",
                  "Out-of-fold ROC AUC on each corpus's articles when training on the whole pool (the shipped "
                  "model's situation), mean over fold seeds.", "",
                  "| model | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
        for model, r in per_corpus.iterrows():
            lines.append(f"| {model} | " + " | ".join(f"{r[c]:.3f}" for c in cols) + " |")
        lines.append("")
    lines += ["## Calibration (model, pooled, out-of-fold, first seed)", "",
              "| mean predicted P(reliable) | observed share reliable |", "|---|---|"]
    for _, r in ev.calibration.iterrows():
        lines.append(f"| {r['mean_predicted']:.3f} | {r['observed_reliable']:.3f} |")
    lines += ["", "Probabilities are calibrated under an even prior (each corpus balanced 50/50 in training), "
              "so in a corpus where most articles are reliable the observed share sits above the prediction.", ""]
    lines += ["## Features used by the model", "", ", ".join(f"`{n}`" for n in p["features"]), "", PROVENANCE_NOTE, ""]
    return "\n".join(lines)
