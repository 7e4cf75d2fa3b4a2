"""Shared test fixtures: the repo's seeds and the optional ../shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

from scorer.paths import REPO, shared_dir

SEEDS = sorted((REPO / "seeds").glob("*.txt"))


@pytest.fixture
def seeds() -> list[Path]:
    """Paths of the five seed articles shipped in ``seeds/``."""
    return SEEDS


@pytest.fixture
def shared() -> Path:
    """The ../shared folder; the test is skipped when it is absent."""
    root = shared_dir()
    if root is None:
        pytest.skip("../shared is absent")
    return root
