"""Where the shared data (corpora, gold sets) lives, if it is present at all.

The project never ships third-party data; it reads it by path. The default is
``../shared`` beside the checkout; ``SCORER_SHARED`` overrides it.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def shared_dir() -> Path | None:
    """The shared data folder, or None when it is absent (tests then skip)."""
    env = os.environ.get("SCORER_SHARED")
    candidate = Path(env) if env else REPO.parent / "shared"
    return candidate if (candidate / "data").is_dir() else None
