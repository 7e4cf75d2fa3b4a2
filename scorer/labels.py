"""Reliability labels as the corpora write them, read as 1 (reliable), 0 (unreliable) or unknown."""

from __future__ import annotations

import math
from typing import Any

RELIABLE_LABELS = frozenset({"reliable", "true", "real", "1", "mostly true", "yes"})
UNRELIABLE_LABELS = frozenset({"unreliable", "false", "fake", "0", "mostly false", "mixed", "no"})


def label_value(label: Any) -> int | None:
    """1 for a reliable label, 0 for an unreliable one, None when unknown or neither."""
    if label is None or (isinstance(label, float) and math.isnan(label)):
        return None
    text = str(label).strip().lower()
    if text in RELIABLE_LABELS:
        return 1
    if text in UNRELIABLE_LABELS:
        return 0
    return None
