"""Does the score hold where it was not trained? Leave-one-corpus-out and unseen-outlet evaluation.

Pooled cross-validation rewards whatever separates the classes inside the
pool, including corpus quirks. This module asks the question a new user
asks: trained on the other corpora, how well does a recipe rank the articles
of a corpus it never saw?

Evaluation sets (all read from ``../shared`` by path):

* ``fakehealth`` and ``political`` (BuzzFeedUSE + FakeNewsNet, deduplicated):
  the training pool's two corpora; each is scored by recipes trained on the
  other one (leave one corpus out);
* ``perezrosas2018``: never trained on (its SOURCE.md: evaluation only);
  scored by recipes trained on the whole pool; bootstrap clusters are
  ``subset/pair_id`` so a fake and the article it imitates resample together;
* ``helsinki``: unseen outlets of ``articlecomparisons-helsinki`` rated by
  ``domain-quality-ratings-lin2023`` (the articles and cut-offs of
  ``benchmarks.external_outlets``), scored by recipes trained on the whole
  pool: AUC of outlets rated >= 0.7 against < 0.5, Spearman of score and
  rating, and where Reuters/AP-origin articles fall against the median.

Every recipe (the model's and the length, word-count and TF-IDF baselines)
is trained on exactly the same articles for each held-out set. Intervals are
95% percentile bootstraps over clusters (outlet groups, pairs or outlets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Callable

import numpy as np
from scipy.stats import spearmanr
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import StandardScaler

from scorer.domain import GENERAL, domain_of, load_rule
from scorer.model import DEFAULT_C, fit_head, fit_heads, model_feature_names, predict_heads, required_signs
from scorer.training_data import balanced_weights

#: Labelled evaluation sets, in table order; ``helsinki`` (weak outlet labels) comes last.
LABELLED = ("fakehealth", "political", "perezrosas2018")
#: Sets that may be trained on (perezrosas2018 never is).
TRAINABLE = ("fakehealth", "political")
#: Cut-offs on Lin et al. pc1 (fixed in advance in benchmarks.external_outlets).
HIGH, LOW = 0.7, 0.5
#: Reuters or AP origin stated in a byline, dateline or credit.
WIRE_ORIGIN = re.compile(r"\((?:Reuters|AP)\)|\bBy (?:The )?(?:Associated Press|Reuters)\b|"
                         r"\bAssociated Press\b|\bReuters (?:staff|reporting)\b|\bThomson Reuters\b")


@dataclass
class EvalSet:
    """One evaluation set with everything the recipes read, computed once."""

    name: str
    y: np.ndarray  # 1 reliable / 0 unreliable (helsinki: 1 rated >= HIGH, 0 < LOW, -1 between)
    clusters: np.ndarray  # bootstrap clusters
    corpus: np.ndarray  # source corpus (training weights)
    groups: np.ndarray  # outlet groups (calibration folds)
    texts: list[str]
    X: np.ndarray  # features in ``names`` order
    names: list[str]
    rating: np.ndarray | None = None  # helsinki: outlet pc1
    wire: np.ndarray | None = None  # helsinki: Reuters/AP origin stated
    outlet: np.ndarray | None = None

    def take(self, idx: np.ndarray) -> "EvalSet":
        """The rows ``idx`` of this set."""
        pick = lambda a: None if a is None else a[idx]  # noqa: E731
        return replace(self, y=self.y[idx], clusters=self.clusters[idx], corpus=self.corpus[idx],
                       groups=self.groups[idx], texts=[self.texts[i] for i in idx], X=self.X[idx],
                       rating=pick(self.rating), wire=pick(self.wire), outlet=pick(self.outlet))


def concat(sets: list[EvalSet]) -> EvalSet:
    """Rows of several sets as one training set."""
    cat = lambda attr: np.concatenate([getattr(s, attr) for s in sets])  # noqa: E731
    return EvalSet("+".join(s.name for s in sets), cat("y"), cat("clusters"), cat("corpus"), cat("groups"),
                   [t for s in sets for t in s.texts], np.vstack([s.X for s in sets]), sets[0].names)


# ---------------------------------------------------------------- loading


def _sample(n: int, size: int | None, seed: int = 0) -> np.ndarray:
    if size is None or size >= n:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=size, replace=False))


def load_sets(sample: int | None = None, n_jobs: int = 2) -> dict[str, EvalSet]:
    """The four evaluation sets with features (``sample``: at most this many articles per set, seed 0)."""
    from benchmarks.external_outlets import load_items
    from scorer.featurizer import ArticleFeaturizer, feature_rows
    from scorer.model import pool_reuse
    from scorer.paths import shared_dir
    from scorer.training_data import corpus_path, load_pool

    names = list(ArticleFeaturizer().fit().feature_names_)
    pool = load_pool()
    out: dict[str, EvalSet] = {}
    keep = np.concatenate([np.flatnonzero(pool.eval_corpus == c)[_sample(int((pool.eval_corpus == c).sum()), sample)]
                           for c in TRAINABLE])
    pool = pool.subset(np.isin(np.arange(len(pool)), keep))
    X = feature_rows(pool.articles, names, n_jobs=n_jobs, reuse=pool_reuse(pool.articles, n_jobs))
    for c in TRAINABLE:
        m = pool.eval_corpus == c
        idx = np.flatnonzero(m)
        out[c] = EvalSet(c, pool.y[m], pool.groups[m], pool.corpus[m], pool.groups[m],
                         [pool.articles[i].text for i in idx], X[m], names)
    import scorer

    arts = [a for a in scorer.read_corpus(corpus_path("perezrosas2018"), on_error=lambda e: None)
            if a.label in ("reliable", "unreliable")]
    arts = [arts[i] for i in _sample(len(arts), sample)]
    pair = np.array([f"{a.extra.get('subset')}/{a.extra.get('extra', {}).get('pair_id', a.id)}"
                     if isinstance(a.extra.get("extra"), dict) else f"{a.extra.get('subset')}/{a.id}" for a in arts])
    out["perezrosas2018"] = EvalSet("perezrosas2018", np.array([int(a.label == "reliable") for a in arts]), pair,
                                    np.array(["perezrosas2018"] * len(arts)), pair, [a.text for a in arts],
                                    feature_rows(arts, names, n_jobs=n_jobs), names)
    items, _ = load_items(shared_dir())
    items = [items[i] for i in _sample(len(items), sample)]
    rating = np.array([it.rating for it in items])
    y = np.where(rating >= HIGH, 1, np.where(rating < LOW, 0, -1))
    outlet = np.array([it.outlet for it in items])
    out["helsinki"] = EvalSet("helsinki", y, outlet, np.array(["helsinki"] * len(items)), outlet,
                              [it.article.text for it in items], feature_rows([it.article for it in items], names,
                                                                                 n_jobs=n_jobs), names,
                              rating=rating, wire=np.array([wire_origin(it.article) for it in items]), outlet=outlet)
    return out


def wire_origin(article: Any) -> bool:
    """True when a byline, dateline or credit (kept or cleaned away) states Reuters or AP origin."""
    head = str(getattr(article, "text", ""))[:400]
    extra = " ".join(list(getattr(article, "authors", []) or []) + [r.text for r in getattr(article, "removed", []) or []])
    return bool(WIRE_ORIGIN.search(head) or WIRE_ORIGIN.search(extra))


# ---------------------------------------------------------------- recipes


@dataclass
class Recipe:
    """How a model is built from a training set; ``fit`` returns a scoring function for a test set."""

    name: str
    fit: Callable[[EvalSet], Callable[[EvalSet], np.ndarray]]
    about: str = ""
    params: dict[str, Any] = field(default_factory=dict)


def _lr(Xtr: np.ndarray, y: np.ndarray, w: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    sc = StandardScaler().fit(Xtr)
    lr = LogisticRegression(C=1.0, max_iter=5000).fit(sc.transform(Xtr), y, sample_weight=w)
    return lambda X: lr.predict_proba(sc.transform(X))[:, 1]


def _log_words(s: EvalSet) -> np.ndarray:
    return np.log1p([len(t.split()) for t in s.texts])[:, None]


def fit_length(tr: EvalSet) -> Callable[[EvalSet], np.ndarray]:
    """Log word count, its direction learned on the training set."""
    f = _lr(_log_words(tr), tr.y, balanced_weights(tr.y, tr.corpus))
    return lambda te: f(_log_words(te))


def fit_length_fixed(tr: EvalSet) -> Callable[[EvalSet], np.ndarray]:
    """Log word count with the direction a user would assume (longer = more reliable); nothing fitted."""
    return lambda te: _log_words(te)[:, 0]


def fit_wordcount(tr: EvalSet) -> Callable[[EvalSet], np.ndarray]:
    """The word-count baseline of :mod:`scorer.evaluate` (reporting verbs, hedges, anonymity words, quotes)."""
    from scorer.evaluate import wordcount_matrix

    f = _lr(wordcount_matrix(tr.texts), tr.y, balanced_weights(tr.y, tr.corpus))
    return lambda te: f(wordcount_matrix(te.texts))


def fit_tfidf(tr: EvalSet) -> Callable[[EvalSet], np.ndarray]:
    """Word 1-2-gram TF-IDF + logistic regression (library defaults), as in :mod:`scorer.evaluate`."""
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=100_000)
    lr = LogisticRegression(C=1.0, max_iter=5000).fit(vec.fit_transform(tr.texts), tr.y,
                                                      sample_weight=balanced_weights(tr.y, tr.corpus))
    return lambda te: lr.predict_proba(vec.transform(te.texts))[:, 1]


def _cols(s: EvalSet, names: list[str]) -> np.ndarray:
    pos = {n: i for i, n in enumerate(s.names)}
    return s.X[:, [pos[n] for n in names]]


def group_balanced_weights(y: np.ndarray, corpus: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Classes balanced inside each corpus, and inside each (corpus, class) outlets weighted 1/sqrt(size).

    A few large outlets (Politico, CNN, Reuters Health) otherwise supply most
    of one class and their house style is what gets learned.
    """
    base = balanced_weights(y, corpus)
    w = base.copy()
    for c in np.unique(corpus):
        for k in np.unique(y[corpus == c]):
            cell = (corpus == c) & (y == k)
            g = groups[cell]
            _, inv, counts = np.unique(g, return_inverse=True, return_counts=True)
            f = 1.0 / np.sqrt(counts[inv])
            w[cell] = f * base[cell].sum() / f.sum()
    return w


def per_corpus_standardise(X: np.ndarray, corpus: np.ndarray) -> np.ndarray:
    """Each corpus's features centred and scaled by its own statistics (no labels used)."""
    out = X.astype(float).copy()
    for c in np.unique(corpus):
        m = corpus == c
        sd = X[m].std(axis=0)
        out[m] = (X[m] - X[m].mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    return out


def sign_flips(X: np.ndarray, y: np.ndarray, corpus: np.ndarray, min_rows: int = 100) -> np.ndarray:
    """Features whose standardised class difference has opposite signs in two training corpora."""
    signs = []
    for c in np.unique(corpus):
        m = corpus == c
        if m.sum() < min_rows or len(np.unique(y[m])) < 2:
            continue
        sd = X[m].std(axis=0)
        d = (X[m][y[m] == 1].mean(axis=0) - X[m][y[m] == 0].mean(axis=0)) / np.where(sd > 0, sd, 1.0)
        signs.append(np.where(np.abs(d) < 0.02, 0, np.sign(d)))
    if len(signs) < 2:
        return np.zeros(X.shape[1], dtype=bool)
    S = np.array(signs)
    return (S > 0).any(axis=0) & (S < 0).any(axis=0)


def make_linear(C: float = DEFAULT_C, routed: bool = False, rule: dict[str, Any] | None = None,
                weights: str = "corpus", per_corpus: bool = False, drop_flips: bool = False,
                worst_group: bool = False, signed: bool = True, unit: bool | None = None) -> Callable[[EvalSet], Callable[[EvalSet], np.ndarray]]:
    """The model's recipe (clip, scale, sign-constrained logistic regression, Platt) with one change set.

    ``signed``: only the features of ``model_features.json`` with their
    required signs (else every feature with the catalogue's directions, the
    earlier recipe). ``routed``: one head per domain of ``rule``.
    """
    from scorer.model import feature_directions, unit_weights

    unit = unit_weights() if unit is None else unit

    def fit(tr: EvalSet) -> Callable[[EvalSet], np.ndarray]:
        names = model_feature_names() if signed else list(tr.names)
        dirs = required_signs(names) if signed else feature_directions(names)
        Xtr = _cols(tr, names)
        if per_corpus:
            Xtr = per_corpus_standardise(Xtr, tr.corpus)
        keep = np.ones(len(names), dtype=bool)
        if drop_flips:
            keep &= ~sign_flips(Xtr, tr.y, tr.corpus)
        Xtr, dirs_k = Xtr[:, keep], dirs[keep]
        w = group_balanced_weights(tr.y, tr.corpus, tr.groups) if weights == "group" else balanced_weights(tr.y, tr.corpus)
        if routed:
            doms = np.array([domain_of(t, rule) for t in tr.texts])
            heads = fit_heads(Xtr, tr.y, tr.corpus, tr.groups, doms, directions=dirs_k, C=C, unit=unit)
        else:
            head = fit_head(Xtr, tr.y, w, tr.groups, C=C, directions=dirs_k, unit=unit)
            if worst_group:
                head = _worst_group(Xtr, tr, w, C, dirs_k, head)
            heads = {GENERAL: head}

        def predict(te: EvalSet) -> np.ndarray:
            Xte = _cols(te, names)
            if per_corpus:
                Xte = per_corpus_standardise(Xte, te.corpus)
            Xte = Xte[:, keep]
            doms = np.array([domain_of(t, rule) for t in te.texts]) if routed else np.array([GENERAL] * len(te.texts))
            return predict_heads(heads, Xte, doms)
        return predict
    return fit


def _worst_group(X: np.ndarray, tr: EvalSet, w: np.ndarray, C: float, dirs: np.ndarray, head: Any,
                 rounds: int = 5, eta: float = 2.0) -> Any:
    """Group-DRO-style reweighting: corpora (x class) with the larger training log-loss gain weight, refit."""
    cells = np.array([f"{c}|{k}" for c, k in zip(tr.corpus, tr.y)])
    q = {c: 1.0 for c in np.unique(cells)}
    for _ in range(rounds):
        p = np.clip(head.predict_proba(X), 1e-6, 1 - 1e-6)
        loss = -(tr.y * np.log(p) + (1 - tr.y) * np.log(1 - p))
        for c in q:
            q[c] *= float(np.exp(eta * loss[cells == c].mean()))
        tot = sum(q.values())
        q = {c: v / tot for c, v in q.items()}
        ww = w * np.array([q[c] for c in cells])
        ww *= len(ww) / ww.sum()
        head = fit_head(X, tr.y, ww, tr.groups, C=C, directions=dirs, unit=False)
    return head


def fit_gbt_monotone(tr: EvalSet) -> Callable[[EvalSet], np.ndarray]:
    """Gradient-boosted trees on the signed features, each monotone in its required direction."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    names = model_feature_names()
    gbt = HistGradientBoostingClassifier(max_depth=3, learning_rate=0.05, max_iter=200, random_state=0,
                                         monotonic_cst=[int(s) for s in required_signs(names)])
    gbt.fit(_cols(tr, names), tr.y, sample_weight=balanced_weights(tr.y, tr.corpus))
    return lambda te: gbt.predict_proba(_cols(te, names))[:, 1]


def recipes(full: bool = True) -> list[Recipe]:
    """Baselines, the shipped recipe and (``full``) the train-for-transfer variants."""
    from scorer.domain import LEGACY_RULE_PATH

    out = [Recipe("length", fit_length, "log word count, direction fitted on the training corpora"),
           Recipe("length_fixed", fit_length_fixed, "log word count, longer = more reliable (nothing fitted)"),
           Recipe("wordcount", fit_wordcount, "word-count baseline"),
           Recipe("tfidf", fit_tfidf, "TF-IDF 1-2-grams + LR"),
           Recipe("model", make_linear(), "the shipped recipe: signed features, sign-constrained fitted weights "
                                          f"(C={DEFAULT_C:g}), one set of weights, Platt-calibrated")]
    if full:
        legacy = load_rule(LEGACY_RULE_PATH)
        out += [
            Recipe("prev_routed_free", make_linear(signed=False, routed=True, rule=legacy, C=0.1, unit=False),
                   "previous shipped recipe: every feature, free directions allowed, fitted weights (C=0.1), health "
                   "routing by medical-term density"),
            Recipe("prev_one_head_free", make_linear(signed=False, C=0.1, unit=False), "as prev_routed_free, no routing"),
            Recipe("routed_scope", make_linear(routed=True, rule=load_rule(), unit=True),
                   "unit_weights + health weights for treatment/test/product/procedure stories"),
            Recipe("fitted_C_1", make_linear(C=1.0, unit=False), "signed features, fitted weights, C=1"),
            Recipe("fitted_C_0.1", make_linear(C=0.1, unit=False), "signed features, fitted weights, C=0.1"),
            Recipe("fitted_C_0.01", make_linear(C=0.01, unit=False), "signed features, fitted weights, C=0.01"),
            Recipe("unit_weights", make_linear(unit=True), "signed features, unit weights (sign / number of features; "
                   "only intercept and Platt fitted)"),
            Recipe("group_balanced", make_linear(weights="group", C=0.001, unit=False),
                   "fitted C=0.001, outlets weighted 1/sqrt(size) in each corpus x class"),
            Recipe("worst_group", make_linear(worst_group=True, C=0.001, unit=False),
                   "fitted C=0.001, group-DRO reweighting of corpus x class cells"),
            Recipe("per_corpus_std", make_linear(per_corpus=True, unit=True),
                   "unit weights on features standardised within each corpus"),
            Recipe("drop_flips", make_linear(drop_flips=True, unit=True),
                   "unit weights without features whose sign flips between training corpora"),
            Recipe("gbt_monotone", fit_gbt_monotone, "HistGradientBoosting, monotone in each required sign"),
        ]
    return out


# ---------------------------------------------------------------- figures


def cluster_bootstrap(y: np.ndarray, p: np.ndarray, clusters: np.ndarray, stat: Callable[[np.ndarray, np.ndarray], float],
                      n: int = 1000, seed: int = 0) -> tuple[float, float]:
    """95% percentile interval of ``stat(y, p)`` resampling whole clusters with replacement."""
    rng = np.random.default_rng(seed)
    uniq, inv = np.unique(clusters, return_inverse=True)
    members = [np.flatnonzero(inv == k) for k in range(len(uniq))]
    vals = []
    for _ in range(n):
        idx = np.concatenate([members[k] for k in rng.integers(0, len(uniq), len(uniq))])
        try:
            v = stat(y[idx], p[idx])
        except ValueError:
            continue
        if np.isfinite(v):
            vals.append(v)
    return (float(np.percentile(vals, 2.5)), float(np.percentile(vals, 97.5))) if vals else (float("nan"),) * 2


def _auc(y: np.ndarray, p: np.ndarray) -> float:
    m = y >= 0
    return float(roc_auc_score(y[m], p[m])) if len(np.unique(y[m])) == 2 else float("nan")


def _rho(r: np.ndarray, p: np.ndarray) -> float:
    return float(spearmanr(p, r).statistic) if len(np.unique(r)) > 1 and len(np.unique(p)) > 1 else float("nan")


#: Fewest articles an outlet needs to enter the outlet-level Spearman.
MIN_OUTLET_ARTICLES = 3


def outlet_rho(te: EvalSet, p: np.ndarray) -> float:
    """Spearman of outlet mean score and outlet rating, over outlets with >= MIN_OUTLET_ARTICLES articles."""
    outs, means, rates = np.unique(te.outlet), [], []
    for o in outs:
        m = te.outlet == o
        if m.sum() >= MIN_OUTLET_ARTICLES:
            means.append(p[m].mean())
            rates.append(te.rating[m][0])
    return _rho(np.array(rates), np.array(means))


def training_sets(held_out: str) -> tuple[str, ...]:
    """Sets a recipe is trained on when ``held_out`` is scored: every trainable set but it."""
    return tuple(s for s in TRAINABLE if s != held_out)


def run(sets: dict[str, EvalSet], recipe_list: list[Recipe], boot: int = 1000,
        progress: Callable[[str], None] | None = None) -> dict[str, float]:
    """Flat figures ``<set>.<recipe>.<metric>`` for every held-out set and recipe."""
    out: dict[str, float] = {}
    for held in (*LABELLED, "helsinki"):
        te = sets[held]
        tr = concat([sets[s] for s in training_sets(held)])
        out[f"{held}.n"] = float((te.y >= 0).sum())
        for rc in recipe_list:
            p = rc.fit(tr)(te)
            key = f"{held}.{rc.name}"
            out[f"{key}.auc"] = _auc(te.y, p)
            lo, hi = cluster_bootstrap(te.y, p, te.clusters, _auc, n=boot)
            out[f"{key}.auc_lo"], out[f"{key}.auc_hi"] = lo, hi
            if held == "helsinki":
                out[f"{key}.rho"] = _rho(te.rating, p)
                lo, hi = cluster_bootstrap(te.rating, p, te.clusters, _rho, n=boot)
                out[f"{key}.rho_lo"], out[f"{key}.rho_hi"] = lo, hi
                out[f"{key}.rho_outlet"] = outlet_rho(te, p)
                if te.wire is not None and te.wire.any():
                    out[f"{key}.wire_mean_minus_median"] = float(p[te.wire].mean() - np.median(p))
                    out[f"{key}.wire_mean_percentile"] = float((p < p[te.wire].mean()).mean())
                    out["helsinki.n_wire"] = float(te.wire.sum())
            if progress:
                progress(f"{held} {rc.name} AUC {out[f'{key}.auc']:.3f}")
    for rc in recipe_list:
        aucs = [out[f"{s}.{rc.name}.auc"] for s in (*LABELLED, "helsinki")]
        out[f"worst.{rc.name}.auc"] = float(np.nanmin(aucs))
    return out
