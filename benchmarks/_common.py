"""Shared plumbing for benchmarks: locating data, printing results, the regression gate.

Each benchmark module exposes ``measure(full: bool = False) -> dict[str, float]``
and a ``main()`` that prints the figures. Floors live in
``benchmarks/baselines/<name>.json`` as ``{"metric": floor, ...}``; the test
``tests/test_benchmark_gate.py`` runs every benchmark that has a baseline and
fails when a metric falls below its floor (floors are for that CI mode; a
``--full`` run only reports). A floor may only go up. A module
that needs nothing from ../shared sets ``NEEDS_SHARED = False`` so the gate
runs it even where the shared data is absent.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable

from scorer.paths import shared_dir

BASELINES = Path(__file__).resolve().parent / "baselines"


def require_shared() -> Path:
    """The shared data folder; exits with a clear message when absent."""
    root = shared_dir()
    if root is None:
        sys.exit("benchmark needs ../shared/data (or SCORER_SHARED); it is absent")
    return root


def shared_records(corpora: tuple[str, ...], fields: tuple[str, ...]) -> list[dict]:
    """The records with text of the shared ``corpora``, in file order, cut to ``fields``."""
    root = require_shared()
    records = []
    for name in corpora:
        with open(root / "data" / "corpora" / name / "articles.jsonl", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if isinstance(rec.get("text"), str) and rec["text"].strip():
                    records.append({k: rec.get(k) for k in fields})
    return records


def load_floors(name: str) -> dict[str, float]:
    """Floors for benchmark ``name`` (empty when it has no baseline file)."""
    path = BASELINES / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def below_floor(name: str, results: dict[str, float]) -> list[str]:
    """Human-readable list of metrics of ``name`` below their floors."""
    out = []
    for metric, floor in load_floors(name).items():
        got = results.get(metric)
        if got is None:
            out.append(f"{name}.{metric}: not measured (floor {floor})")
        elif got < floor:
            out.append(f"{name}.{metric}: {got:.4f} < floor {floor}")
    return out


def run_cli(name: str, measure: Callable[..., dict[str, float]], description: str) -> None:
    """Standard command line for a benchmark: print figures as JSON, check floors (CI mode only).

    Floors are set on the CI mode the gate runs (a sample, fewer folds); a
    ``--full`` run measures something else, so it reports without gating.
    """
    parser = argparse.ArgumentParser(prog=f"python -m benchmarks.{name}", description=description)
    parser.add_argument("--full", action="store_true", help="run on the full data instead of the CI sample")
    args = parser.parse_args()
    results = measure(full=args.full)
    print(json.dumps(results, indent=2, sort_keys=True))
    if args.full:
        return
    failures = below_floor(name, results)
    for line in failures:
        print("BELOW FLOOR:", line, file=sys.stderr)
    sys.exit(1 if failures else 0)
