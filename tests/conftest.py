"""Shared test fixtures (the repo's seeds, the optional ../shared data) and helper modules.

pytest runs in importlib mode, so test directories are not on ``sys.path``;
this folder is put there so test files in any subfolder can import the
shared helpers beside this file (``_corpora``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from scorer.paths import REPO, shared_dir

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

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
