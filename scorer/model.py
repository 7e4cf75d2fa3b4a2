"""What the reliability model is and how it is fitted.

The model (:class:`RoutedModel`) holds one scikit-learn ``Pipeline`` per
domain, each::

    ArticleFeaturizer -> Clip -> StandardScaler -> LogisticRegression

and scores an article with its domain's pipeline (:mod:`scorer.domain`). The
shipped model has one, ``general``: routing is off in
``data/model/model_features.json`` because separate health weights did not
pay on leave-one-corpus-out.

A linear model on standardised inputs keeps every contribution exact: the
score's log-odds is the intercept plus ``coef_i * (x_i - mean_i) / scale_i``
summed over features, so an explanation never approximates the model. Each
weight is held to the sign its published standard gives
(``model_features.json``).

Training balances the classes 50/50 inside each corpus, so corpus base
rates are not learned, then calibrates with Platt scaling fitted on
outlet-grouped out-of-fold decision values; the Platt slope and offset are
folded into the logistic regression's coefficients, which keeps the model a
plain linear one. The probability is therefore calibrated under an even
prior (a reliable and an unreliable article equally likely).

Writing and safely loading model files is :mod:`scorer.model_file`; scoring
with the exported weights is :mod:`scorer.linear`; value checks are
:mod:`scorer.model_checks`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from scorer import linear
from scorer.domain import GENERAL, default_rule, domain_of
from scorer.featurizer import ArticleFeaturizer, Clip

#: Fixed seed for everything random in training, so retraining reproduces the file.
SEED = 20240601
#: Inverse regularisation strength of the logistic regression.
DEFAULT_C = 0.001
#: A feature non-zero in fewer training articles than this gets no weight: too rare to estimate.
MIN_SUPPORT = 30
#: Upper quantile at which every feature is clipped before scaling (heavy tails cannot dominate).
CLIP_QUANTILE = 0.99


class Head(NamedTuple):
    """The fitted part after the featurizer: clip bounds, scaler, logistic regression."""

    upper: np.ndarray
    scaler: StandardScaler
    lr: LogisticRegression

    def decision(self, X: np.ndarray) -> np.ndarray:
        """Log-odds of reliable for raw feature rows."""
        return self.lr.decision_function(self.scaler.transform(np.minimum(X, self.upper)))

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """Probability of reliable for raw feature rows."""
        return self.lr.predict_proba(self.scaler.transform(np.minimum(X, self.upper)))[:, 1]


def _unit_linear(Xs: np.ndarray, y: np.ndarray, w: np.ndarray, C: float, dirs: np.ndarray,
                 active: np.ndarray) -> LogisticRegression:
    """A logistic regression whose weights are not fitted: each active feature's required sign over their number.

    The score is then the mean signed z-score of the features, in the
    directions their standards give; only the intercept (and, in
    :func:`fit_head`, the Platt slope and offset) is fitted, so nothing
    corpus-specific is learned about any one feature.
    """
    k = Xs.shape[1]
    lr = LogisticRegression(C=C, max_iter=5000).fit(np.zeros((len(y), 1)), y, sample_weight=w)  # intercept only
    coef = np.where(active, dirs, 0.0)
    lr.coef_ = (coef / max(1, int(np.count_nonzero(coef))))[None, :]
    lr.n_features_in_ = k
    return lr


def _fit_linear(X: np.ndarray, y: np.ndarray, w: np.ndarray, C: float,
                directions: np.ndarray | None, unit: bool = False) -> tuple[StandardScaler, LogisticRegression]:
    """Scaler + logistic regression whose coefficients agree with the documented directions.

    A feature documented as raising reliability (direction +1) may not get a
    negative weight, and the reverse; a feature whose fitted weight
    contradicts its direction is dropped (weight 0) and the rest refitted,
    until all agree. Direction 0 leaves the sign free. A feature non-zero in
    fewer than :data:`MIN_SUPPORT` rows (or in fewer than half of them, for
    small data) gets no weight: a rare flag fitted on a handful of articles
    would otherwise swing scores by several log-odds.
    """
    scaler = StandardScaler().fit(X)
    Xs = scaler.transform(X)
    k = X.shape[1]
    dirs = np.zeros(k) if directions is None else np.asarray(directions, dtype=float)
    support = (X != 0).sum(axis=0)
    active = (support >= min(MIN_SUPPORT, max(1, len(X) // 2))) & (scaler.scale_ > 0)
    if unit:
        return scaler, _unit_linear(Xs, y, w, C, dirs, active)
    coef = np.zeros(k)
    lr = LogisticRegression(C=C, max_iter=5000)
    for _ in range(k):
        if not active.any():
            lr.fit(np.zeros((len(y), 1)), y, sample_weight=w)  # intercept only
            coef = np.zeros(k)
            break
        lr = LogisticRegression(C=C, max_iter=5000).fit(Xs[:, active], y, sample_weight=w)
        coef = np.zeros(k)
        coef[active] = lr.coef_[0]
        wrong = active & (dirs * coef < 0)
        if not wrong.any():
            break
        active &= ~wrong
    lr.coef_ = coef[None, :]
    lr.n_features_in_ = k
    return scaler, lr


def fit_head(X: np.ndarray, y: np.ndarray, weights: np.ndarray, groups: np.ndarray,
             C: float = DEFAULT_C, seed: int = SEED, calibrate: bool = True,
             directions: np.ndarray | None = None, unit: bool = False) -> Head:
    """Fit clip bounds, scaler and sign-constrained logistic regression, with Platt calibration folded in.

    Features are clipped at their training :data:`CLIP_QUANTILE` so a rare
    extreme value (an article with 30 anonymous sources) cannot swing the
    score beyond what the training data supports. The calibration map is
    fitted on outlet-grouped out-of-fold decision values (never on the rows it
    is applied to), weighted like training.
    """
    upper = np.quantile(X, CLIP_QUANTILE, axis=0)
    upper = np.where(upper > 0, upper, np.max(X, axis=0))  # keep rare binary flags usable
    Xc = np.minimum(X, upper)
    scaler, lr = _fit_linear(Xc, y, weights, C, directions, unit)
    head = Head(upper, scaler, lr)
    if not calibrate or len(np.unique(groups)) < 3:
        return head
    n_splits = min(5, len(np.unique(groups)))
    oof = np.full(len(y), np.nan)
    cv = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    for tr, te in cv.split(X, y, groups):
        if len(np.unique(y[tr])) < 2:
            continue
        s, m = _fit_linear(Xc[tr], y[tr], weights[tr], C, directions, unit)
        oof[te] = m.decision_function(s.transform(Xc[te]))
    ok = ~np.isnan(oof)
    if ok.sum() < 20 or len(np.unique(y[ok])) < 2:
        return head
    platt = LogisticRegression(C=1e6, max_iter=5000).fit(oof[ok, None], y[ok], sample_weight=weights[ok])
    a, b = float(platt.coef_[0, 0]), float(platt.intercept_[0])
    if a > 0:
        lr.coef_ = lr.coef_ * a
        lr.intercept_ = lr.intercept_ * a + b
    return head


#: Which features the model may weight and the sign each must have (with the standard behind it).
MODEL_FEATURES = Path(__file__).resolve().parent / "data" / "model" / "model_features.json"


@lru_cache(maxsize=4)
def weighted_features(path: Path = MODEL_FEATURES) -> dict[str, int]:
    """``name -> required sign`` (+1/-1) of every feature the model may weight, in file order.

    Every entry must cite a standard and have a sign of +1 or -1: a
    free-direction feature cannot enter the model.
    """
    spec = json.loads(Path(path).read_text(encoding="utf-8"))
    out: dict[str, int] = {}
    for name, entry in spec["weighted"].items():
        sign = int(entry["sign"])
        if sign not in (1, -1) or not str(entry.get("standard", "")).strip():
            raise ValueError(f"{path}: feature {name} needs a sign of +1 or -1 and a cited standard")
        out[str(name)] = sign
    return out


def model_feature_names(path: Path = MODEL_FEATURES) -> list[str]:
    """Features the model is trained on: the weighted ones the featurizer computes, in featurizer order."""
    wanted = weighted_features(path)
    return [n for n in ArticleFeaturizer().fit().feature_names_ if n in wanted]


def required_signs(names: list[str], path: Path = MODEL_FEATURES) -> np.ndarray:
    """Required sign of each feature in ``names`` (0 for a feature the model may not weight)."""
    signs = weighted_features(path)
    return np.array([float(signs.get(n, 0)) for n in names])


def feature_directions(names: list[str]) -> np.ndarray:
    """Documented direction (+1 raises reliability, -1 lowers it, 0 either) of each feature."""
    from scorer.featurizer import feature_catalogue

    cat = feature_catalogue().drop_duplicates("name").set_index("name")
    return np.array([float(cat.loc[n, "direction"]) if n in cat.index else 0.0 for n in names])


def assemble(featurizer: ArticleFeaturizer, head: Head) -> Pipeline:
    """A fitted Pipeline from the featurizer and a fitted head: features -> clip -> scale -> classify."""
    clip = Clip.fitted(np.asarray(head.upper, dtype=float), quantile=CLIP_QUANTILE)
    return Pipeline([("features", featurizer), ("clip", clip), ("scale", head.scaler), ("classify", head.lr)])


#: Fewest training articles (and of each class) a domain needs for weights of its own.
MIN_DOMAIN_ARTICLES = 100
MIN_DOMAIN_CLASS = 20


def fit_heads(X: np.ndarray, y: np.ndarray, corpus: np.ndarray, groups: np.ndarray, domains: np.ndarray,
              directions: np.ndarray | None, C: float = DEFAULT_C, calibrate: bool = True,
              unit: bool = False) -> dict[str, Head]:
    """One head per domain: ``general`` on every row, and one on each other domain's rows when it has enough.

    Each head's rows are weighted with :func:`~scorer.training_data.balanced_weights`.
    """
    from scorer.training_data import balanced_weights

    heads = {GENERAL: fit_head(X, y, balanced_weights(y, corpus), groups, C=C, directions=directions,
                               calibrate=calibrate, unit=unit)}
    for dom in sorted({str(x) for x in domains} - {GENERAL}):
        m = domains == dom
        if m.sum() >= MIN_DOMAIN_ARTICLES and min(y[m].sum(), (1 - y[m]).sum()) >= MIN_DOMAIN_CLASS:
            heads[dom] = fit_head(X[m], y[m], balanced_weights(y[m], corpus[m]), groups[m], C=C,
                                  directions=directions, calibrate=calibrate, unit=unit)
    return heads


def predict_heads(heads: dict[str, Head], X: np.ndarray, domains: np.ndarray) -> np.ndarray:
    """Probability of reliable for each row, from the head of its domain (``general`` when it has none)."""
    out = heads[GENERAL].predict_proba(X)
    for dom, head in heads.items():
        m = domains == dom
        if dom != GENERAL and m.any():
            out[m] = head.predict_proba(X[m])
    return out


def unit_weights(path: Path = MODEL_FEATURES) -> bool:
    """Whether weights are the required signs over their number (``"weights": "unit"``) instead of fitted."""
    return json.loads(Path(path).read_text(encoding="utf-8")).get("weights", "fitted") == "unit"


def routing_enabled(path: Path = MODEL_FEATURES) -> bool:
    """Whether the model keeps separate health weights (``"routing"`` in ``model_features.json``)."""
    return bool(json.loads(Path(path).read_text(encoding="utf-8")).get("routing", False))


def train(pool: Any, n_jobs: int = 1, C: float = DEFAULT_C, features: list[str] | None = None,
          X: np.ndarray | None = None) -> "RoutedModel":
    """Train the model on a :class:`~scorer.training_data.TrainingPool`.

    Only the features of ``model_features.json`` are weighted, each with its
    required sign (:func:`_fit_linear` drops a feature whose fitted weight
    has the other sign); ``features`` may narrow them. ``X`` may pass a
    precomputed feature matrix (columns in the order of ``features``). Health
    weights are fitted only when ``model_features.json`` enables routing.
    """
    features = [f for f in (features or model_feature_names()) if f in weighted_features()]
    featurizer = ArticleFeaturizer(features=features).fit()
    if X is None:
        X = feature_rows_parallel(pool.articles, featurizer, n_jobs, reuse=pool_reuse(pool.articles, n_jobs))
    routed = routing_enabled()
    rule = default_rule() if routed else None
    domains = np.array([domain_of(a.text, rule) if rule else GENERAL for a in pool.articles])
    heads = fit_heads(X, pool.y, pool.corpus, pool.groups, domains,
                      directions=required_signs(featurizer.feature_names_), C=C, unit=unit_weights())
    return RoutedModel({dom: assemble(ArticleFeaturizer(features=features).fit(), head) for dom, head in heads.items()},
                       dict(rule) if rule else None)


def text_of(item: Any) -> str:
    """The text of an Article, an Analysis or a plain string (what routing reads)."""
    return item if isinstance(item, str) else str(getattr(item, "text", "") or "")


class RoutedModel(BaseEstimator):
    """One fitted pipeline per domain; each article is scored by its own domain's pipeline.

    Parameters:
        heads: domain name -> fitted Pipeline (featurizer, scaler, logistic
            regression); ``general`` is always present.
        rule: the routing rule the model was trained with (see
            :mod:`scorer.domain`), stored in the file so routing never
            changes under a trained model.
    """

    def __init__(self, heads: dict[str, Pipeline] | None = None, rule: dict[str, Any] | None = None) -> None:
        self.heads = heads
        self.rule = rule

    def route(self, text: str) -> str:
        """The domain whose pipeline scores ``text``."""
        dom = domain_of(text, self.rule) if self.rule else GENERAL
        return dom if self.heads and dom in self.heads else GENERAL

    def pipeline_for(self, item: Any) -> Pipeline:
        """The fitted pipeline that scores ``item`` (an Article, an Analysis or a text)."""
        return self.heads[self.route(text_of(item))]

    @property
    def classes_(self) -> np.ndarray:
        return np.array([0, 1])

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities [unreliable, reliable] of each item, each from its domain's pipeline."""
        items = list(X)
        routes = [self.route(text_of(it)) for it in items]
        out = np.zeros((len(items), 2))
        for dom, pipe in (self.heads or {}).items():
            rows = [i for i, r in enumerate(routes) if r == dom]
            if rows:
                out[rows] = pipe.predict_proba([items[i] for i in rows])
        return out

    def predict(self, X: Any) -> np.ndarray:
        """1 (reliable) where the probability is at least 0.5."""
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)


def pool_reuse(articles: list[Any], n_jobs: int = 1) -> Any:
    """Provenance features of every article, from reuse found across ``articles`` (no labels used).

    Training and evaluation see the whole pool at once, as a corpus run does,
    so the provenance columns are learned from the same kind of values
    ``scorer batch --reuse`` scores with. The table is passed to the feature
    computation only; it is not stored in the model.
    """
    from scorer.provenance import article_features, find_reuse

    report = find_reuse(articles, workers=max(1, n_jobs))
    return article_features(report, [a.id for a in articles])


def feature_rows_parallel(articles: list[Any], featurizer: ArticleFeaturizer, n_jobs: int,
                          reuse: Any = None) -> np.ndarray:
    """Feature matrix of ``articles`` computed in ``n_jobs`` processes (provenance from ``reuse``)."""
    from scorer.featurizer import feature_rows

    return feature_rows(articles, featurizer.feature_names_, n_jobs=n_jobs, reuse=reuse)


def heads(model: "RoutedModel | Pipeline") -> dict[str, Pipeline]:
    """Domain -> fitted pipeline of a model (a bare Pipeline is the ``general`` one)."""
    return linear.fitted_heads(model)


def linear_parts(pipeline: Pipeline) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, float]:
    """Feature names, means, scales, coefficients and intercept of a fitted pipeline.

    These five give exact contributions: ``coef * (min(x, upper) - mean) / scale``
    in log-odds, with ``upper`` from :func:`scorer.linear.clip_upper`. Read by
    :func:`scorer.linear.head_params`, the same reading the exported model is written from.
    """
    p = linear.head_params(pipeline)
    if p is None:
        raise ValueError("not a fitted featurizer -> (clip ->) scaler -> logistic regression pipeline")
    return p["features"], np.array(p["mean"]), np.array(p["scale"]), np.array(p["coef"]), p["intercept"]


def training_metadata(pool: Any, C: float, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """What the model card needs to know about a training run (no article text).

    No date or host goes in, so retraining reproduces the file byte for byte.
    """
    meta: dict[str, Any] = {
        "n_articles": int(len(pool)),
        "n_reliable": int(pool.y.sum()),
        "n_unreliable": int(len(pool) - pool.y.sum()),
        "corpora": ",".join(sorted(set(map(str, pool.corpus)))),
        "C": float(C),
        "seed": SEED,
    }
    rule = default_rule() if routing_enabled() else None
    doms = [domain_of(a.text, rule) if rule else GENERAL for a in pool.articles]
    meta["domains"] = ",".join(f"{d}={doms.count(d)}" for d in sorted(set(doms)))
    meta.update(extra or {})
    return meta
