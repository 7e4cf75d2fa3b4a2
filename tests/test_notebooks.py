"""The notebooks run top to bottom (they are part of ``python -m pytest``) and are committed without outputs.

Each notebook executes in a fresh kernel with nbclient (the ``notebooks`` extra);
without ``../shared`` notebook 02 evaluates the shipped demo corpus instead.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
#: Seconds one cell may take before the run fails (a whole notebook takes well under a minute without ../shared).
CELL_TIMEOUT = 300


def test_both_notebooks_exist():
    assert [p.name for p in NOTEBOOKS] == ["01_explain_an_article.ipynb", "02_evaluate_a_corpus.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path: Path):
    book = json.loads(path.read_text(encoding="utf-8"))
    for cell in book["cells"]:
        if cell["cell_type"] == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None, "clear outputs before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path: Path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    pytest.importorskip("matplotlib")
    book = nbformat.read(str(path), as_version=4)
    client = nbclient.NotebookClient(book, timeout=CELL_TIMEOUT, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError, naming the cell, on any failure
    outputs = [o for c in book.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert images, "the notebook should draw its charts"
    if path.stem.startswith("01"):
        assert any('class="sc-mark' in h for h in html), "highlighted evidence should be shown"
        assert any("sc-reused" in h for h in html), "reused passages should be highlighted"
        assert any('class="sc-compare"' in h for h in html)
    else:
        assert any('class="sc-article"' in h for h in html), "worst errors should be shown with their explanations"
