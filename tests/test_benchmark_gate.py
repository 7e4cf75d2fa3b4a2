"""Regression gate: every benchmark with a committed baseline must stay at or above its floors.

Benchmarks run in their CI mode (``full=False``: a sample where the full run
is slow). A benchmark on gold data in ../shared is skipped when it is absent;
one that needs only the repo (``NEEDS_SHARED = False``) always runs.
"""

from __future__ import annotations

import importlib
import json
import subprocess

import pytest

from benchmarks._common import BASELINES, below_floor
from scorer.paths import REPO, shared_dir

GATED = sorted(p.stem for p in BASELINES.glob("*.json"))


@pytest.mark.parametrize("name", GATED)
def test_benchmark_meets_floors(name: str) -> None:
    module = importlib.import_module(f"benchmarks.{name}")
    if getattr(module, "NEEDS_SHARED", True) and shared_dir() is None:
        pytest.skip("../shared is absent")
    results = module.measure(full=False)
    assert below_floor(name, results) == []


@pytest.mark.parametrize("name", GATED)
def test_floors_never_go_down(name: str) -> None:
    """A floor may only go up: compare with the last committed version of the baseline."""
    rel = f"benchmarks/baselines/{name}.json"
    try:
        old = subprocess.run(["git", "show", f"HEAD:{rel}"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    except (subprocess.CalledProcessError, FileNotFoundError):
        pytest.skip("no committed version to compare with")
    current = json.loads((REPO / rel).read_text())
    for metric, floor in json.loads(old).items():
        assert metric in current, f"{rel}: floor for {metric} was removed"
        assert current[metric] >= floor, f"{rel}: floor for {metric} lowered from {floor} to {current[metric]}"
