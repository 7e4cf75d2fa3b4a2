"""Build, train, save and safely load the reliability model.

The model (:class:`RoutedModel`) holds one scikit-learn ``Pipeline`` per
domain, each::

    ArticleFeaturizer -> StandardScaler -> LogisticRegression

and scores an article with its domain's pipeline (:mod:`scorer.domain`:
health stories get weights fitted on health stories, every other article the
weights fitted on the whole pool).

A linear model on standardised inputs keeps every contribution exact: the
score's log-odds is the intercept plus ``coef_i * (x_i - mean_i) / scale_i``
summed over features, so an explanation never approximates the model.

Training balances the classes 50/50 inside each corpus, so corpus base
rates are not learned, then calibrates with Platt scaling fitted on
outlet-grouped out-of-fold decision values; the Platt slope and offset are
folded into the logistic regression's coefficients, which keeps the model a
plain linear one. The probability is therefore calibrated under an even
prior (a reliable and an unreliable article equally likely).

Model files are written with ``skops.io`` and loaded only when every type in
them is on :data:`TRUSTED_TYPES` and the file's SHA-256 matches the
``.sha256`` file written beside it: loading never runs code from the file,
and a tampered or foreign file is refused with an :class:`InputError`, as is
one whose values are unsound (shapes, NaN, feature counts; see
:func:`model_problem`). :func:`save` also exports the parameters of a linear
model as plain data (:mod:`scorer.linear`), which is what ``scorer score``
reads, so that scoring one article never imports scikit-learn.

Length: about 680 lines: fitting, routing and storage. The NumPy scoring path (``scorer.linear``) and the value checks (``scorer.model_checks``) are already split out; separating fitting from storage is not yet done.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
import zipfile
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
from scorer.domain import GENERAL, default_rule, domain_of, rule_problem
from scorer.errors import InputError
from scorer.featurizer import ArticleFeaturizer, Clip
from scorer.linear import DEFAULT_MODEL, checksum_path, default_model_exists  # noqa: F401 (part of this API)
from scorer.model_checks import model_problem
#: Fixed seed for everything random in training, so retraining reproduces the file.
SEED = 20240601
#: Inverse regularisation strength of the logistic regression.
DEFAULT_C = 0.001
#: Identifies the saved-object layout, checked on load.
FORMAT = "scorer-model/2"
#: The only types a model file may contain (besides builtins and numpy arrays skops trusts).
TRUSTED_TYPES: tuple[str, ...] = (
    "scorer.featurizer.ArticleFeaturizer",
    "scorer.featurizer.Clip",
    "scorer.model.RoutedModel",
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing._data.StandardScaler",
    "sklearn.linear_model._logistic.LogisticRegression",
    "numpy.ndarray",
    "numpy.dtype",
    "numpy.float64",
    "numpy.int64",
    "builtins.dict",
    "builtins.list",
    "builtins.tuple",
    "builtins.str",
    "builtins.int",
    "builtins.float",
    "builtins.bool",
    "builtins.NoneType",
    "builtins.object",
)


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


# ---------------------------------------------------------------- files


def _deterministic_zip(data: bytes) -> bytes:
    """The same skops archive made reproducible: fixed timestamps, object ids renumbered.

    skops names objects by their memory address (``"__id__"`` and ``<id>.npy``
    entries), which differs between runs; renumbering them in order of first
    appearance keeps every reference intact and makes identical models give
    identical bytes.
    """
    src = zipfile.ZipFile(io.BytesIO(data))
    schema = src.read("schema.json").decode("utf-8")
    ids: dict[str, str] = {}

    def renumber(m: re.Match[str]) -> str:
        old = m.group(2)
        ids.setdefault(old, str(len(ids) + 1))
        return m.group(1) + ids[old] + m.group(3)

    schema = re.sub(r'("__id__": |"file": ")(\d+)(\.npy"|\b)', renumber, schema)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        entries = []
        for info in src.infolist():
            name = info.filename
            stem = name[:-4] if name.endswith(".npy") else None
            if name == "schema.json":
                entries.append((name, schema.encode("utf-8")))
            elif stem is not None and stem in ids:
                entries.append((ids[stem] + ".npy", src.read(name)))
            else:
                entries.append((name, src.read(name)))
        for name, payload in sorted(entries, key=lambda e: (e[0] != "schema.json", e[0])):
            fixed = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, payload)
    return out.getvalue()


def save(pipeline: "RoutedModel | Pipeline", path: str | os.PathLike[str], metadata: dict[str, Any] | None = None) -> Path:
    """Write the model with skops.io (atomically), its exported parameters and the SHA-256 of both beside it.

    ``metadata`` (strings and numbers) travels inside the file. The same
    pipeline and metadata always give the same bytes, so retraining with the
    fixed seeds reproduces the shipped file exactly. A linear model's
    parameters go to ``<name>.linear.json`` (:func:`scorer.linear.write_export`),
    the file ``scorer score`` reads; the checksum file lists both.

    Raises:
        ValueError: the model's values are unsound (:func:`model_problem`), or
            its export would not reproduce it exactly; nothing is written.
    """
    import skops.io as sio

    problem = model_problem(pipeline)
    if problem:
        raise ValueError(f"model has invalid values: {problem}; not saved")
    params = linear.prepare_export(pipeline)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"format": FORMAT, "pipeline": pipeline, "metadata": dict(metadata or {})}
    data = _deterministic_zip(sio.dumps(payload))
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".skops")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    exported = linear.write_export(params, path)
    linear.write_checksums(path, [exported] if exported is not None else [])
    return path


def refresh_export(path: str | os.PathLike[str] | None = None) -> Path | None:
    """Write (again) the exported parameters of an existing model file and its two-line checksum file.

    For a model saved before exports existed: the skops file is loaded with
    every check (:func:`load`) and left byte for byte as it is.
    """
    p = Path(path) if path is not None else DEFAULT_MODEL
    model, _ = load(p)
    exported = linear.write_export(linear.prepare_export(model), p)
    linear.write_checksums(p, [exported] if exported is not None else [])
    return exported


#: Largest uncompressed size a model file may declare (all members together), in bytes.
MAX_UNCOMPRESSED = 50_000_000
#: Largest declared size of a model file's schema, in bytes.
MAX_SCHEMA = 5_000_000


def check_archive(path: Path) -> None:
    """Refuse a model archive whose declared sizes are out of bounds, before inflating anything.

    A few kilobytes of zip can declare gigabytes of content (a zip bomb);
    zipfile never reads past a member's declared size, so checking the
    declarations first bounds the memory a hostile file can take.

    Raises:
        InputError: not a zip archive, no schema, or sizes over the limits.
    """
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(path, f"not a readable model file ({type(exc).__name__})") from None
    total = sum(i.file_size for i in infos)
    schema = next((i for i in infos if i.filename == "schema.json"), None)
    if schema is None:
        raise InputError(path, "not a readable model file (no schema)")
    if schema.file_size > MAX_SCHEMA or total > MAX_UNCOMPRESSED:
        raise InputError(path, f"model file would inflate to {total:,} bytes, over the {MAX_UNCOMPRESSED:,}-byte limit; "
                               "refusing to load")


def schema_types(path: Path) -> set[str]:
    """Every ``module.Class`` named anywhere in a skops file's schema.

    skops trusts most scikit-learn types by default; this project trusts only
    the few its model is made of, so the check is done on the full list.
    """
    check_archive(path)
    with zipfile.ZipFile(path) as z:
        schema = json.loads(z.read("schema.json"))
    found: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "__class__" in node and "__module__" in node:
                found.add(f"{node['__module__']}.{node['__class__']}")
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def load(path: str | os.PathLike[str] | None = None) -> tuple["RoutedModel | Pipeline", dict[str, Any]]:
    """Load a model file safely: checksum first, then only trusted types.

    Raises:
        InputError: the file is missing, its checksum file is missing or does
            not match (tampered), it contains a type outside
            :data:`TRUSTED_TYPES`, or it is not a scorer model.
    """
    import skops.io as sio

    p = Path(path) if path is not None else DEFAULT_MODEL
    if not p.is_file():
        raise InputError(p, "no such model file" + (" (train one with `scorer train --out`)" if path is None else ""))
    sums = checksum_path(p)
    if not sums.is_file():
        raise InputError(p, f"refusing to load a model without its checksum file {sums.name}")
    expected = sums.read_text(encoding="utf-8").split()[:1]
    if not expected or expected[0] != linear.sha256_of(p):
        raise InputError(p, f"model file does not match {sums.name}: it was modified or replaced; refusing to load")
    check_archive(p)
    try:
        found = schema_types(p) | set(sio.get_untrusted_types(file=p))
    except InputError:
        raise
    except Exception as exc:  # skops and zipfile raise several kinds on a non-skops file
        raise InputError(p, f"not a readable model file ({type(exc).__name__})") from None
    untrusted = sorted(found - set(TRUSTED_TYPES))
    if untrusted:
        raise InputError(p, f"model file contains untrusted types ({', '.join(untrusted[:5])}); refusing to load")
    try:
        payload = sio.load(p, trusted=list(TRUSTED_TYPES))
    except Exception as exc:
        raise InputError(p, f"not a readable model file ({type(exc).__name__}: {exc})") from None
    if isinstance(payload, dict) and str(payload.get("format", "")).startswith("scorer-model/") and payload.get("format") != FORMAT:
        raise InputError(p, f"model file format {payload.get('format')} is from another version of scorer "
                            f"(this one reads {FORMAT}); retrain it with `scorer train`")
    if not isinstance(payload, dict) or payload.get("format") != FORMAT or not _is_model(payload.get("pipeline")):
        raise InputError(p, "not a scorer model file")
    if isinstance(payload["pipeline"], RoutedModel) and payload["pipeline"].rule is not None:
        problem = rule_problem(payload["pipeline"].rule)
        if problem:
            raise InputError(p, f"{problem}; refusing to load")
    problem = model_problem(payload["pipeline"])
    if problem:
        raise InputError(p, f"model has invalid values: {problem}; refusing to load")
    unknown = unknown_features(payload["pipeline"])
    if unknown:
        raise InputError(p, f"model uses {len(unknown)} feature(s) this version of scorer does not compute "
                            f"({', '.join(unknown[:5])}); it was trained with another version: retrain it with `scorer train`")
    return payload["pipeline"], dict(payload.get("metadata") or {})


def _is_model(obj: Any) -> bool:
    """A Pipeline, or a RoutedModel whose heads are all Pipelines (general among them)."""
    if isinstance(obj, Pipeline):
        return True
    return (isinstance(obj, RoutedModel) and isinstance(obj.heads, dict) and GENERAL in obj.heads
            and all(isinstance(p, Pipeline) for p in obj.heads.values()))


def heads(model: "RoutedModel | Pipeline") -> dict[str, Pipeline]:
    """Domain -> fitted pipeline of a model (a bare Pipeline is the ``general`` one)."""
    return dict(model.heads) if isinstance(model, RoutedModel) else {GENERAL: model}


def unknown_features(model: "RoutedModel | Pipeline") -> list[str]:
    """Features a model reads that the catalogue does not define.

    The featurizer would give them 0 for every article, silently scoring
    every article as if it lacked them; a model trained with another feature
    set is refused instead.
    """
    from scorer.featurizer import feature_catalogue

    known = set(feature_catalogue()["name"])
    out: list[str] = []
    for pipe in heads(model).values():
        names = getattr(pipe.steps[0][1], "feature_names_", None) or []
        out += [str(n) for n in names if n not in known and str(n) not in out]
    return out


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> tuple["RoutedModel | Pipeline", dict[str, Any]]:
    return load(path)


def load_cached(path: str | os.PathLike[str] | None = None) -> tuple["RoutedModel | Pipeline", dict[str, Any]]:
    """:func:`load`, memoised per file and modification time (one load per process)."""
    p = Path(path) if path is not None else DEFAULT_MODEL
    if not p.is_file():
        return load(p)
    return _cached(str(p.resolve()), p.stat().st_mtime)


def linear_parts(pipeline: Pipeline) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, float]:
    """Feature names, means, scales, coefficients and intercept of a fitted pipeline.

    These five give exact contributions: ``coef * (min(x, upper) - mean) / scale``
    in log-odds, with ``upper`` from :func:`clip_bounds`.
    """
    featurizer = pipeline.named_steps["features"]
    scaler = pipeline.named_steps["scale"]
    lr = pipeline.named_steps["classify"]
    names = [str(n) for n in featurizer.get_feature_names_out()]
    scale = np.where(scaler.scale_ == 0, 1.0, scaler.scale_)
    return names, scaler.mean_, scale, lr.coef_[0], float(lr.intercept_[0])


def clip_bounds(pipeline: Pipeline) -> np.ndarray | None:
    """Upper clip bound per feature of a fitted pipeline (None for a model without clipping)."""
    return linear.clip_upper(pipeline)


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


def train_corpora(corpora: list[str | os.PathLike[str]] | None = None, out: str | os.PathLike[str] | None = None,
                  n_jobs: int = 2) -> RoutedModel:
    """Train on labelled corpora (default: the shared training pool) and optionally save to ``out``.

    This is ``scorer.train``; ``scorer train --out MODEL`` is the same from the shell.
    """
    from scorer.training_data import load_pool

    pool = load_pool(list(corpora) if corpora else None)
    pipe = train(pool, n_jobs=n_jobs)
    if out is not None:
        save(pipe, out, training_metadata(pool, DEFAULT_C))
    return pipe
