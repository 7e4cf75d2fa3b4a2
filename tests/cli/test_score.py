"""scorer score: readable table, --json, and one clear line per unusable file."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from scorer.cli import main


def test_scores_all_seeds(seeds) -> None:
    res = CliRunner().invoke(main, ["score", *map(str, seeds)])
    assert res.exit_code == 0, res.output
    for s in seeds:
        assert s.stem in res.output
    assert res.output.count("score 0.") == len(seeds)
    assert "log-odds" in res.output


def test_json_lists_one_object_per_file_with_all_contributions(seeds) -> None:
    res = CliRunner().invoke(main, ["score", "--json", *map(str, seeds[:2])])
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert [d["id"] for d in data] == [s.stem for s in seeds[:2]]
    assert all(0 < d["score"] < 1 and len(d["contributions"]) > 5 for d in data)


def test_bad_files_reported_and_others_still_scored(tmp_path: Path, seeds) -> None:
    binary = tmp_path / "x.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    args = ["score", str(tmp_path / "missing.txt"), str(tmp_path), str(binary), str(empty), str(seeds[0])]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 1
    err = res.stderr.splitlines()
    assert len(err) == 4
    for name in ("missing.txt", str(tmp_path), "x.txt", "empty.txt"):
        assert any(name in line for line in err)
    assert "Traceback" not in res.output
    assert seeds[0].stem in res.stdout


def test_untrusted_model_file_is_one_error(tmp_path: Path, seeds) -> None:
    fake = tmp_path / "m.skops"
    fake.write_bytes(b"not a model")
    res = CliRunner().invoke(main, ["score", "--model", str(fake), str(seeds[0])])
    assert res.exit_code == 2
    assert "checksum" in res.stderr
