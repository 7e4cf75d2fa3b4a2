"""The provenance tests' hand-written articles (source, unrelated, spun rewrite), reused here."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("_provenance_texts", Path(__file__).parents[1] / "provenance" / "conftest.py")
_texts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_texts)


@pytest.fixture
def texts() -> dict[str, str]:
    """A source article, an unrelated one, and a synonym-spun rewrite of the source."""
    return {"source": _texts.SOURCE, "other": _texts.OTHER, "spun": _texts.SPUN}
