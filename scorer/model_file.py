"""The model file: write it reproducibly, load it safely, train one from corpora.

Model files are written with ``skops.io`` and loaded only when every type in
them is on :data:`TRUSTED_TYPES` and the file's SHA-256 matches the
``.sha256`` file written beside it: loading never runs code from the file,
and a tampered or foreign file is refused with an :class:`InputError`, as is
one whose values are unsound (shapes, NaN, feature counts; see
:func:`scorer.model_checks.model_problem`) or that reads features this
version does not compute. :func:`save` also exports the parameters of a
linear model as plain data (:mod:`scorer.linear`), which is what
``scorer score`` reads, so that scoring one article never imports
scikit-learn.

What the model is and how it is fitted is :mod:`scorer.model`.
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
from typing import Any

from sklearn.pipeline import Pipeline

from scorer import linear
from scorer.domain import GENERAL, rule_problem
from scorer.errors import InputError
from scorer.linear import DEFAULT_MODEL, checksum_path
from scorer.model import DEFAULT_C, RoutedModel, heads, train, training_metadata
from scorer.model_checks import model_problem

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


def unknown_features(model: "RoutedModel | Pipeline") -> list[str]:
    """Features a model reads that this version of scorer does not compute (:func:`scorer.linear.unknown_names`)."""
    return linear.unknown_names(n for pipe in heads(model).values()
                                for n in getattr(pipe.steps[0][1], "feature_names_", None) or [])


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> tuple["RoutedModel | Pipeline", dict[str, Any]]:
    return load(path)


def load_cached(path: str | os.PathLike[str] | None = None) -> tuple["RoutedModel | Pipeline", dict[str, Any]]:
    """:func:`load`, memoised per file and modification time (one load per process)."""
    p = Path(path) if path is not None else DEFAULT_MODEL
    if not p.is_file():
        return load(p)
    return _cached(str(p.resolve()), p.stat().st_mtime)



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
