"""The shipped linear model as plain data, evaluated with NumPy only.

The model (:mod:`scorer.model`) is linear: per set of weights, clip each
feature at an upper bound, standardise it, and apply a logistic regression
with the Platt calibration already folded into its coefficients. Those
numbers are all a score needs, so :func:`write_export` writes them, driven by the
fitted pipelines (no feature names are hard-coded), to a JSON file beside the
skops file (``default.skops`` -> ``default.linear.json``), and
:class:`LinearModel` scores with them. Importing scikit-learn and SciPy takes
~1.7 s, about ten times the rest of ``scorer score FILE``; this module keeps
them off that path. Scoring is ~60 multiply-adds per article, so it is done
in plain Python: even NumPy (~60 ms to import) is only imported to export a
fitted model, never to load or apply one.

The skops file's checksum file vouches for both files: its first line is the
skops file's SHA-256 (as before), a second line the exported file's. The
export also names the SHA-256 of the skops file it came from, so a pair that
does not belong together is refused. Every value is checked on load (shapes,
finiteness, feature names against this version's catalogue, the routing rule)
and a bad file is one :class:`~scorer.errors.InputError` line.

Per set of weights the log-odds of reliable is::

    intercept + sum_i coef_i * (min(x_i, upper_i) - mean_i) / scale_i

and each summand is feature *i*'s exact contribution.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

from scorer.domain import GENERAL, domain_of, rule_problem
from scorer.errors import InputError

#: Where the shipped model lives inside the package.
DEFAULT_MODEL = Path(__file__).resolve().parent / "models" / "default.skops"
#: Identifies the exported-parameter layout, checked on load.
FORMAT = "scorer-linear/1"
#: Suffix of the exported parameters beside a model file (``default.skops`` -> ``default.linear.json``).
SUFFIX = ".linear.json"
#: Largest exported-parameter file read, in bytes (the shipped one is ~20 KB).
MAX_BYTES = 5_000_000
#: Most features a set of weights may hold.
MAX_FEATURES = 10_000
#: Largest difference allowed between the export and the fitted pipeline it came from (log-odds).
EXPORT_TOLERANCE = 1e-9


# ---------------------------------------------------------------- checksums


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def checksum_path(path: Path) -> Path:
    """The ``.sha256`` file that vouches for a model file (and its exported parameters)."""
    return path.with_name(path.name + ".sha256")


def params_path(path: Path) -> Path:
    """Where a model file's exported parameters live (``x.skops`` -> ``x.linear.json``)."""
    return path.with_name(path.name.rsplit(".", 1)[0] + SUFFIX) if "." in path.name else path.with_name(path.name + SUFFIX)


def read_checksums(path: Path) -> list[tuple[str, str]]:
    """(hash, name) per line of a checksum file; the first line is the model file's."""
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split(None, 1)
        if parts:
            out.append((parts[0], parts[1].strip() if len(parts) > 1 else ""))
    return out


def write_checksums(model_path: Path, extra: list[Path]) -> Path:
    """Write the model file's checksum file: its own SHA-256 first, then one line per ``extra`` file."""
    lines = [f"{sha256_of(p)}  {p.name}\n" for p in [model_path, *extra]]
    target = checksum_path(model_path)
    tmp = target.with_name(f".tmp-{target.name}")
    tmp.write_text("".join(lines), encoding="utf-8")
    os.replace(tmp, target)
    return target


# ---------------------------------------------------------------- the model


@dataclass(frozen=True)
class LinearHead:
    """One set of weights: clip bounds, standardisation, coefficients and intercept, per feature name."""

    names: tuple[str, ...]
    upper: tuple[float, ...] | None
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def values(self, feats: Mapping[str, float]) -> list[float]:
        """The feature values the weights apply to: missing or non-finite as 0, clipped at the bounds."""
        x = [_finite(feats.get(n, 0.0)) for n in self.names]
        return x if self.upper is None else [min(v, u) for v, u in zip(x, self.upper)]

    def contributions(self, feats: Mapping[str, float]) -> list[float]:
        """Each feature's exact contribution in log-odds, in :attr:`names` order."""
        return [c * (v - m) / s for v, m, s, c in zip(self.values(feats), self.mean, self.scale, self.coef)]

    def log_odds(self, contributions: list[float]) -> float:
        """Intercept plus the contributions (summed exactly, so the order of features does not matter)."""
        return self.intercept + math.fsum(contributions)


def _finite(value: Any) -> float:
    """A feature value as a float; missing, NaN or infinite values count as 0 (as the featurizer does)."""
    v = float(value or 0.0)
    return v if math.isfinite(v) else 0.0


@dataclass(frozen=True)
class Scored:
    """What a linear model says about one article."""

    probability: float
    contributions: dict[str, float]
    intercept: float
    domain: str


def sigmoid(logit: float) -> float:
    """Probability from log-odds (bounded, so extreme log-odds cannot overflow)."""
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit))))


@dataclass(frozen=True)
class LinearModel:
    """A set of weights per domain and the routing rule choosing between them (see :mod:`scorer.domain`)."""

    heads: dict[str, LinearHead]
    rule: dict[str, Any] | None = None

    def route(self, text: str) -> str:
        """The domain whose weights score ``text`` (as :meth:`scorer.model.RoutedModel.route`)."""
        dom = domain_of(text, self.rule) if self.rule else GENERAL
        return dom if dom in self.heads else GENERAL

    def score(self, feats: Mapping[str, float], text: str = "") -> Scored:
        """Probability of reliable and exact contributions for one article's feature values."""
        domain = self.route(text)
        head = self.heads[domain]
        contrib = head.contributions(feats)
        return Scored(sigmoid(head.log_odds(contrib)), dict(zip(head.names, contrib)), head.intercept, domain)


# ---------------------------------------------------------------- export from a fitted model


def fitted_heads(model: Any) -> dict[str, Any]:
    """Domain -> fitted pipeline of a RoutedModel (a bare pipeline is the ``general`` one)."""
    heads = getattr(model, "heads", None)
    return dict(heads) if isinstance(heads, dict) else {GENERAL: model}


def head_params(pipe: Any) -> dict[str, Any] | None:
    """Plain parameters of one fitted ``featurizer -> StandardScaler -> LogisticRegression`` pipeline.

    None when the pipeline has another shape (another kind of model): it is
    then scored with scikit-learn. Read from the fitted objects' attributes,
    so nothing here imports scikit-learn.
    """
    import numpy as np

    steps = getattr(pipe, "steps", None)
    if not isinstance(steps, list) or len(steps) not in (3, 4):
        return None
    feat, *middle, scaler, clf = (s[1] for s in steps)
    if middle and type(middle[0]).__name__ != "Clip":
        return None
    if type(scaler).__name__ != "StandardScaler" or type(clf).__name__ != "LogisticRegression":
        return None
    names = [str(n) for n in getattr(feat, "feature_names_", None) or []]
    coef = np.asarray(getattr(clf, "coef_", np.zeros((0, 0))), dtype=float)
    if not names or coef.shape != (1, len(names)) or list(getattr(clf, "classes_", [])) != [0, 1]:
        return None
    k = len(names)
    mean = np.asarray(scaler.mean_, dtype=float) if getattr(scaler, "with_mean", True) else np.zeros(k)
    scale = getattr(scaler, "scale_", None) if getattr(scaler, "with_std", True) else None
    scale = np.ones(k) if scale is None else np.where(np.asarray(scale, dtype=float) == 0, 1.0, scale)
    upper = clip_upper(pipe)
    return {"features": names,
            "upper": None if upper is None else [float(v) for v in np.asarray(upper, dtype=float)],
            "mean": [float(v) for v in mean], "scale": [float(v) for v in scale],
            "coef": [float(v) for v in coef[0]], "intercept": float(np.asarray(clf.intercept_, dtype=float)[0])}


def clip_upper(pipe: Any) -> Any:
    """Upper clip bounds of a fitted pipeline: its ``clip`` step's, or (models saved before
    clipping became its own step) the featurizer's ``clip_upper_``; None without clipping."""
    named = getattr(pipe, "named_steps", {})
    if "clip" in named:
        return getattr(named["clip"], "upper_", None)
    return getattr(pipe.steps[0][1], "clip_upper_", None)


def params_of(model: Any) -> dict[str, Any] | None:
    """Plain-data parameters of a fitted model (None when any set of weights is not linear)."""
    heads = {}
    for dom, pipe in fitted_heads(model).items():
        p = head_params(pipe)
        if p is None:
            return None
        heads[str(dom)] = p
    rule = getattr(model, "rule", None)
    return {"format": FORMAT, "rule": dict(rule) if isinstance(rule, dict) else None, "heads": heads}


def mismatch(model: Any, linear: LinearModel) -> float:
    """Largest log-odds difference between a fitted model's pipelines and ``linear``.

    Probed on feature rows at zero, the means, the clip bounds and beyond
    them, so an export that left out a step of the pipeline is caught.
    """
    import numpy as np

    worst = 0.0
    for dom, pipe in fitted_heads(model).items():
        head = linear.heads[dom]
        k = len(head.names)
        clip = clip_upper(pipe)  # the pipeline's own bounds, not the export's
        mean, scale = np.array(head.mean), np.array(head.scale)
        upper = np.asarray(clip, dtype=float) if clip is not None else mean + 3 * scale
        probes = np.vstack([np.zeros(k), mean, upper, upper * 2 + 1, np.linspace(0, 1, k)])
        X = np.minimum(probes, clip) if clip is not None else probes  # what the featurizer passes on
        expected = pipe[-2:].decision_function(X)  # scaler and classifier
        for row, want in zip(probes, expected):
            got = head.log_odds(head.contributions(dict(zip(head.names, row.tolist()))))
            worst = max(worst, abs(got - float(want)))
    return worst


def to_linear(model: Any) -> LinearModel | None:
    """A fitted model as a :class:`LinearModel` (None when it is not linear)."""
    params = params_of(model)
    return None if params is None else from_params(params, "<fitted model>")


def prepare_export(model: Any) -> dict[str, Any] | None:
    """The plain-data parameters of a fitted model, checked to reproduce it (None when it is not linear).

    Raises:
        ValueError: the parameters do not reproduce the fitted pipelines to
            :data:`EXPORT_TOLERANCE` (a pipeline step the export does not know).
    """
    params = params_of(model)
    if params is None:
        return None
    gap = mismatch(model, from_params(params, "<fitted model>"))
    if not gap <= EXPORT_TOLERANCE:
        raise ValueError(f"exported parameters differ from the fitted model by {gap:.3g} log-odds")
    return params


def write_export(params: dict[str, Any] | None, model_path: Path) -> Path | None:
    """Write ``params`` (from :func:`prepare_export`) beside the model file just saved at ``model_path``.

    Called by :func:`scorer.model_file.save` after the skops file is written, so
    retraining always rewrites both; the export records the skops file's
    SHA-256. With ``params`` None (a model that is not linear) any stale
    export is removed and the model is scored with scikit-learn.
    """
    target = params_path(model_path)
    if params is None:
        target.unlink(missing_ok=True)
        return None
    data = dict(params, model_sha256=sha256_of(model_path))
    tmp = target.with_name(f".tmp-{target.name}")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True, allow_nan=False) + "\n", encoding="utf-8")
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)
    return target


# ---------------------------------------------------------------- load and check


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _vector(value: Any, k: int, what: str, positive: bool = False) -> tuple[float, ...]:
    """A vector of ``k`` finite floats (ValueError naming ``what`` otherwise)."""
    if not isinstance(value, list) or not all(_number(v) for v in value):
        raise ValueError(f"{what} is not a list of numbers")
    if len(value) != k:
        raise ValueError(f"{what} has {len(value)} values for {k} features")
    out = tuple(float(v) for v in value)
    if not all(math.isfinite(v) for v in out):
        raise ValueError(f"{what} holds non-finite values (NaN or infinity)")
    if positive and not all(v > 0 for v in out):
        raise ValueError(f"{what} holds values that are not positive")
    return out


def _head(raw: Any, dom: str) -> LinearHead:
    """One set of weights from plain data, every value checked."""
    if not isinstance(raw, dict):
        raise ValueError(f"{dom} weights are not a mapping")
    names = raw.get("features")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise ValueError(f"{dom} weights have no list of feature names")
    if len(names) > MAX_FEATURES or len(set(names)) != len(names):
        raise ValueError(f"{dom} weights list {len(names)} feature names, some repeated or too many")
    k = len(names)
    intercept = raw.get("intercept")
    if not _number(intercept) or not math.isfinite(intercept):
        raise ValueError(f"{dom} intercept is not a finite number")
    upper = raw.get("upper")
    return LinearHead(tuple(names), None if upper is None else _vector(upper, k, f"{dom} clip bounds"),
                      _vector(raw.get("mean"), k, f"{dom} means"), _vector(raw.get("scale"), k, f"{dom} scales", True),
                      _vector(raw.get("coef"), k, f"{dom} coefficients"), float(intercept))


def from_params(params: Any, where: str) -> LinearModel:
    """A :class:`LinearModel` from exported plain data, every value checked.

    Raises:
        InputError: wrong format, a missing or malformed set of weights,
            a shape or non-finite value, an unsound routing rule.
    """
    if not isinstance(params, dict) or params.get("format") != FORMAT:
        found = params.get("format") if isinstance(params, dict) else None
        raise InputError(where, f"not exported scorer model parameters (format {found!r}, expected {FORMAT})")
    raw_heads, rule = params.get("heads"), params.get("rule")
    try:
        if not isinstance(raw_heads, dict) or GENERAL not in raw_heads:
            raise ValueError(f"no {GENERAL} weights")
        heads = {str(dom): _head(raw, str(dom)) for dom, raw in raw_heads.items()}
    except ValueError as exc:
        raise InputError(where, f"model has invalid values: {exc}; refusing to load") from None
    if rule is not None:
        problem = rule_problem(rule)
        if problem:
            raise InputError(where, f"{problem}; refusing to load")
    return LinearModel(heads, dict(rule) if rule is not None else None)


def unknown_names(names: Iterable[str]) -> list[str]:
    """The feature names this version of scorer does not compute, each once, in order.

    A model that reads them would get 0 for every article, silently scoring every
    article as if it lacked them; such a model is refused instead.
    """
    from scorer.features import FEATURE_NAMES  # here, not at the top: loading a model needs no signals

    known = frozenset(FEATURE_NAMES)
    return list(dict.fromkeys(str(n) for n in names if str(n) not in known))


def unknown_features(linear: LinearModel) -> list[str]:
    """Features the exported model reads that this version of scorer does not compute."""
    return unknown_names(n for head in linear.heads.values() for n in head.names)


def _missing(p: Path, default: bool) -> InputError:
    return InputError(p, "no such model file" + (" (train one with `scorer train --out`)" if default else ""))


def load(path: str | os.PathLike[str] | None = None) -> LinearModel | None:
    """The exported parameters of a model file, checked; None when the model file has no export.

    Checks, in order: the model file and its checksum file exist; the
    checksum file has a line for the export (else None: load the skops file
    instead); the skops file and the export match their lines; the export
    names that skops file's hash; every value is sound.

    Raises:
        InputError: missing files, a checksum mismatch (tampered), or bad values.
    """
    p = Path(path) if path is not None else DEFAULT_MODEL
    if not p.is_file():
        raise _missing(p, path is None)
    sums = checksum_path(p)
    if not sums.is_file():
        raise InputError(p, f"refusing to load a model without its checksum file {sums.name}")
    lines = read_checksums(sums)
    target = params_path(p)
    listed = [h for h, name in lines[1:] if name == target.name]
    if not listed or not target.is_file():
        return None
    model_hash = sha256_of(p)
    if lines[0][0] != model_hash:
        raise InputError(p, f"model file does not match {sums.name}: it was modified or replaced; refusing to load")
    if target.stat().st_size > MAX_BYTES:
        raise InputError(target, f"exported parameters are over {MAX_BYTES:,} bytes; refusing to load")
    if listed[0] != sha256_of(target):
        raise InputError(target, f"exported parameters do not match {sums.name}: modified or replaced; refusing to load")
    try:
        params = json.loads(target.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise InputError(target, f"not readable exported parameters ({type(exc).__name__})") from None
    if not isinstance(params, dict) or params.get("model_sha256") != model_hash:
        raise InputError(target, f"exported parameters are not those of {p.name}; refusing to load")
    linear = from_params(params, str(target))
    unknown = unknown_features(linear)
    if unknown:
        raise InputError(target, f"model uses {len(unknown)} feature(s) this version of scorer does not compute "
                                 f"({', '.join(unknown[:5])}); it was trained with another version: retrain it with `scorer train`")
    return linear


@lru_cache(maxsize=4)
def _cached(path: str, stamps: tuple[float, ...]) -> LinearModel | None:
    return load(path)


def _mtime(p: Path) -> float:
    return p.stat().st_mtime if p.is_file() else -1.0


def load_cached(path: str | os.PathLike[str] | None = None) -> LinearModel | None:
    """:func:`load`, memoised per file and modification times (one load per process)."""
    p = Path(path) if path is not None else DEFAULT_MODEL
    if not p.is_file():
        raise _missing(p, path is None)
    return _cached(str(p.resolve()), (_mtime(p), _mtime(checksum_path(p)), _mtime(params_path(p))))


def default_model_exists() -> bool:
    """True when the shipped model file is present."""
    return DEFAULT_MODEL.is_file()
