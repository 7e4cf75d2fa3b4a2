"""No undefined name, unused import or unused variable anywhere in the project (pyflakes' checks, via ruff).

An undefined name inside a rarely taken branch is a crash waiting for a user;
the test suite may never reach it, the linter always does.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from scorer.paths import REPO


def _ruff() -> list[str]:
    """The ruff of this environment (installed with the test extra)."""
    exe = Path(sys.executable).with_name("ruff")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("ruff")
    assert found, "ruff is not installed: pip install -e '.[test]'"
    return [found]


def test_no_pyflakes_findings() -> None:
    res = subprocess.run([*_ruff(), "check", "--no-cache", "--select", "F", "scorer", "tests", "benchmarks"],
                         cwd=REPO, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
