"""The README shows real output: its example blocks are what the commands print today."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from scorer.cli import main
from scorer.paths import REPO


def _block_starting(text: str, first_line: str) -> str:
    """The fenced block of ``text`` whose first line is ``first_line`` (without the fences)."""
    start = text.index("```\n" + first_line) + 4
    return text[start:text.index("```\n", start)]


def test_readme_score_example_is_the_current_output(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)  # the README runs it from the repository root
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = _block_starting(readme, "seeds/004_c5f29e39a883f2f0.txt  (id 004_c5f29e39a883f2f0)")
    res = CliRunner().invoke(main, ["score", "seeds/004_c5f29e39a883f2f0.txt"])
    assert res.exit_code == 0
    assert shown == res.output, "README's example is stale: paste the output of the command above it"
