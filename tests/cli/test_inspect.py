"""``scorer inspect``: readable and JSON output, and one-line errors on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scorer.cli import main

SEED = "004_c5f29e39a883f2f0"


def _run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_inspect_json_has_metadata_body_and_findings(seeds: list[Path]) -> None:
    path = next(p for p in seeds if p.stem == SEED)
    result = _run("inspect", "--json", str(path))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["id"] == SEED
    assert "John Kirby" in data["text"]
    for key in ("quotes", "attributions", "hedges", "origin"):
        assert isinstance(data["analysis"][key], list)
    quote = data["analysis"]["quotes"][0]
    assert data["text"][quote["span"]["start"]:quote["span"]["end"]] == quote["span"]["text"]


def test_inspect_human_output_names_sections(seeds: list[Path]) -> None:
    result = _run("inspect", str(seeds[0]))
    assert result.exit_code == 0, result.output
    for section in ("-- Body", "-- Removed by cleaning", "-- Attributions", "-- Hedges", "-- Disclosed origin"):
        assert section in result.output


@pytest.mark.parametrize(
    "make, problem",
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "is a directory"),
        (lambda d: _write(d / "empty.txt", b""), "empty file"),
        (lambda d: _write(d / "blob.txt", bytes(range(256)) * 8), "binary file"),
        (lambda d: _write(d / "blob.bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20), "binary file"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path: Path, make, problem: str) -> None:
    target = make(tmp_path)
    result = CliRunner().invoke(main, ["inspect", str(target)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and str(target) in lines[0] and problem in lines[0]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
