"""Scoring one article stays light: checked in fresh processes, by what lands in ``sys.modules``.

scikit-learn and SciPy (~1.7 s to import) are for training, evaluation and
``scorer.featurizer`` users; matplotlib for notebooks; trafilatura for HTML
pages only. Each check runs in a new interpreter, since the test process has
long imported all of them.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from scorer.paths import REPO

SEEDS = sorted((REPO / "seeds").glob("*.txt"))
SEED = str(SEEDS[0])
#: Never imported by `import scorer.cli`, nor by scoring a .txt file (CLI or API).
NEVER = ("sklearn", "scipy", "matplotlib", "trafilatura", "skops", "joblib")

ACTIONS = {
    "import scorer.cli": "import scorer.cli",
    "scorer score FILE.txt": f"from scorer.cli import main\nmain(['score', {SEED!r}], standalone_mode=False)",
    "scorer.score(FILE.txt)": f"import scorer\nassert scorer.score({SEED!r}).score is not None",
    # INDEX is an archive of the other seeds, made by the fixture below
    "scorer score FILE.txt --index": f"from scorer.cli import main\nmain(['score', {SEED!r}, '--index', INDEX], "
                                     "standalone_mode=False)",
}

_PROBE = """
import builtins, json, sys
by = {{}}
_orig = builtins.__import__
def _watch(name, globals=None, *args, **kwargs):
    who = str((globals or {{}}).get("__name__"))
    if who.split(".")[0] == "scorer":
        by.setdefault(name.split(".")[0], set()).add(who)
    return _orig(name, globals, *args, **kwargs)
builtins.__import__ = _watch
INDEX = {index!r}
{action}
builtins.__import__ = _orig
print(json.dumps({{"loaded": sorted({{m.split(".")[0] for m in sys.modules}}),
                  "importers": {{k: sorted(v) for k, v in by.items()}}}}))
"""


def _fresh(action: str, index: str) -> dict:
    """Top-level modules loaded by ``action`` in a new interpreter, and which scorer modules import each."""
    out = subprocess.run([sys.executable, "-c", _PROBE.format(action=action, index=index)], capture_output=True, text=True,
                         cwd=REPO, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> dict[str, dict]:
    from scorer.archive import build
    from scorer.article import read

    index = tmp_path_factory.mktemp("archive") / "seeds.sqlite"
    build(index, [read(p) for p in SEEDS[1:]])
    return {name: _fresh(action, str(index)) for name, action in ACTIONS.items()}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_no_heavy_import(loaded, action: str) -> None:
    heavy = sorted(set(loaded[action]["loaded"]) & set(NEVER))
    assert not heavy, f"{action} imports {heavy} (scorer importers: {[loaded[action]['importers'].get(m) for m in heavy]})"


def test_import_scorer_cli_imports_neither_pandas_nor_numpy(loaded) -> None:
    assert not {"pandas", "numpy"} & set(loaded["import scorer.cli"]["loaded"])


@pytest.mark.parametrize("action", ["scorer score FILE.txt", "scorer.score(FILE.txt)"])
def test_numpy_comes_only_from_the_attribution_decoder(loaded, action: str) -> None:
    """Scoring code, explanations and the terminal report need no pandas; NumPy only for the CRF's Viterbi."""
    importers = loaded[action]["importers"]
    assert not importers.get("pandas")
    assert set(importers.get("numpy", [])) <= {"scorer.signals.attribution", "scorer.signals.attribution_crf"}


@pytest.mark.parametrize("action", ["scorer score FILE.txt", "scorer.score(FILE.txt)", "scorer score FILE.txt --index"])
def test_scoring_a_text_file_imports_no_pandas(loaded, action: str) -> None:
    assert "pandas" not in loaded[action]["loaded"]
