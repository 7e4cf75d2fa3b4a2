"""Every command's bad-input behaviour: one stderr line naming the input, non-zero exit, no traceback.

The matrix runs in-process (click's test runner, fast); one case per command
also runs the real program in a fresh process (``python -m scorer.cli``), as a
user or a shell script would.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import pytest

from _robust import assert_one_line_error, available_commands, invoke, run_scorer, scorer_env

COMMANDS = available_commands()


def _w(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# Each case: (name, make(tmp) -> (args-after-command, the input that must be named, problem words or None))
Case = Callable[[Path], tuple[list, Path, str | None]]

FILE_CASES: dict[str, Case] = {
    "missing file": lambda d: ([d / "missing.txt"], d / "missing.txt", "no such file"),
    "directory": lambda d: ([d], d, "directory"),
    "empty file": lambda d: ([_w(d / "empty.txt", b"")], d / "empty.txt", "empty"),
    "binary file": lambda d: ([_w(d / "blob.txt", bytes(range(256)) * 8)], d / "blob.txt", "binary"),
    "png named .html": lambda d: ([_w(d / "img.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 30)], d / "img.html", "binary"),
    "all-script html": lambda d: ([_w(d / "s.html", "<html><body>" + "<script>alert(1)</script>" * 50 + "</body></html>")],
                                  d / "s.html", "no article text"),
    "deeply nested json": lambda d: ([_w(d / "deep.json", "[" * 100_000 + "]" * 100_000)], d / "deep.json", "JSON"),
    "json without text": lambda d: ([_w(d / "notext.json", '{"id": "a", "text": 5}')], d / "notext.json", "no text"),
    "device": lambda d: ([Path("/dev/zero")], Path("/dev/zero"), "not a regular file"),
}

CORPUS_CASES: dict[str, Case] = {
    "missing corpus": lambda d: ([d / "missing.jsonl"], d / "missing.jsonl", "no such"),
    "corpus of unknown kind": lambda d: ([_w(d / "corpus.parquet", b"PAR1")], d / "corpus.parquet", None),
    "csv without text column": lambda d: ([_w(d / "c.csv", "id,body\n1,hello world\n")], d / "c.csv", "text"),
    "empty csv": lambda d: ([_w(d / "e.csv", b"")], d / "e.csv", "empty"),
    "binary csv": lambda d: ([_w(d / "b.csv", bytes(range(256)) * 8)], d / "b.csv", "binary"),
}


def _corpus(d: Path) -> Path:
    return _w(d / "ok.jsonl", json.dumps({"id": "a", "text": "Officials said on Tuesday that the plan "
                                          "would go ahead, according to a statement."}) + "\n")


BATCH_OPTION_CASES: dict[str, Case] = {
    "bad --out suffix": lambda d: ([_corpus(d), "--out", d / "out.txt"], d / "out.txt", "must end in"),
    "--out is a directory": lambda d: ([_corpus(d), "--out", d], d, None),
    "missing --labels": lambda d: ([_corpus(d), "--labels", d / "nolabels.csv"], d / "nolabels.csv", "no such"),
    "--labels without columns": lambda d: ([_corpus(d), "--labels", _w(d / "l.csv", "x,y\n1,2\n")], d / "l.csv", "columns"),
    "binary --labels": lambda d: ([_corpus(d), "--labels", _w(d / "lb.csv", bytes(range(256)) * 4)], d / "lb.csv", None),
    "cp1252 --labels": lambda d: ([_corpus(d), "--labels", _w(d / "lc.csv", "id,label\na,r\xe9liable\n".encode("cp1252"))],
                                  d / "lc.csv", None),
    "missing --model": lambda d: ([_corpus(d), "--model", d / "none.skops"], d / "none.skops", "no such"),
}


def _params(cases: dict[str, Case], commands: list[str]):
    return [pytest.param(cmd, name, id=f"{cmd}: {name}",
                         marks=pytest.mark.skipif(cmd not in COMMANDS, reason=f"`scorer {cmd}` does not exist yet"))
            for cmd in commands for name in cases]


@pytest.mark.parametrize("command, case", _params(FILE_CASES, ["inspect", "score"]))
def test_file_commands_bad_input(tmp_path: Path, command: str, case: str) -> None:
    args, named, problem = FILE_CASES[case](tmp_path)
    assert_one_line_error(invoke([command, *args]), named, problem)


@pytest.mark.parametrize("command, case", _params(CORPUS_CASES, ["batch", "provenance"]))
def test_corpus_commands_bad_input(tmp_path: Path, command: str, case: str) -> None:
    args, named, problem = CORPUS_CASES[case](tmp_path)
    extra = ["--no-progress"] if command == "batch" else ["--quiet"]
    assert_one_line_error(invoke([command, *args, *extra]), named, problem)


@pytest.mark.parametrize("command, case", _params(BATCH_OPTION_CASES, ["batch"]))
def test_batch_bad_options(tmp_path: Path, command: str, case: str) -> None:
    args, named, problem = BATCH_OPTION_CASES[case](tmp_path)
    assert_one_line_error(invoke([command, *args, "--no-progress"]), named, problem)


@pytest.mark.skipif("provenance" not in COMMANDS, reason="`scorer provenance` does not exist yet")
@pytest.mark.parametrize("flag, name, problem", [("--out", "pairs.txt", "must end in"),
                                                 ("--out", "nodir/pairs.csv", "folder"),
                                                 ("--html", "nodir/r.html", "folder")])
def test_provenance_bad_outputs(tmp_path: Path, flag: str, name: str, problem: str) -> None:
    target = tmp_path / name
    assert_one_line_error(invoke(["provenance", _corpus(tmp_path), flag, target, "--quiet"]), target, problem)


@pytest.mark.skipif("provenance" not in COMMANDS, reason="`scorer provenance` does not exist yet")
def test_provenance_corpus_of_only_bad_records(tmp_path: Path) -> None:
    corpus = _w(tmp_path / "bad.jsonl", '{broken\n{"id": "a", "text": null}\n[1]\n')
    result = invoke(["provenance", corpus, "--quiet"])
    assert result.returncode != 0 and "Traceback" not in result.stderr, str(result)
    last = [ln for ln in result.stderr.splitlines() if ln.strip()][-1]
    assert str(corpus) in last and "no readable articles" in last


@pytest.mark.skipif("batch" not in COMMANDS, reason="`scorer batch` does not exist yet")
def test_batch_corpus_with_bad_records_reports_each_and_goes_on(tmp_path: Path) -> None:
    corpus = _w(tmp_path / "mixed.jsonl", "\n".join([
        json.dumps({"id": "good", "text": "Officials said on Tuesday that the plan would go ahead."}),
        "{broken", json.dumps({"id": "num", "text": 12}), json.dumps({"text": "no id"}),
        json.dumps({"id": ["list"], "text": "list id"}), "[" * 5000,
    ]) + "\n")
    out = tmp_path / "out.jsonl"
    result = invoke(["batch", corpus, "--out", out, "--no-progress"])
    assert result.returncode == 3 and "Traceback" not in result.stderr, str(result)  # 3: finished, rows failed
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows if not r["error"]] == ["good"]
    errors = [r for r in rows if r["error"]]
    # each error row names the corpus (by name, however its path was typed) and the line
    assert len(errors) == 5 and all(r["id"].startswith("mixed.jsonl:") for r in errors), errors


@pytest.mark.skipif("train" not in COMMANDS, reason="`scorer train` does not exist yet")
@pytest.mark.parametrize("case", ["missing corpus", "binary corpus"])
def test_train_bad_input(tmp_path: Path, case: str) -> None:
    corpus = tmp_path / "missing.jsonl" if case == "missing corpus" else _w(tmp_path / "b.jsonl", bytes(range(256)) * 8)
    result = invoke(["train", corpus, "--out", tmp_path / "m.skops"])
    assert result.returncode != 0 and "Traceback" not in result.stderr, str(result)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert lines and str(corpus) in lines[-1], str(result)
    assert not (tmp_path / "m.skops").exists()


# ---------------------------------------------------------------- the real program


# score and batch run as real programs in test_untrusted and test_interrupt; each start costs seconds
@pytest.mark.parametrize("command, extra", [("inspect", []), ("provenance", ["--quiet"]),
                                            ("train", ["--out", "m.skops"])])
def test_real_program_names_the_missing_input(tmp_path: Path, command: str, extra: list[str]) -> None:
    if command not in COMMANDS:
        pytest.skip(f"`scorer {command}` does not exist yet")
    missing = tmp_path / ("missing.txt" if command in ("inspect", "score") else "missing.jsonl")
    extra = [str(tmp_path / e) if e.endswith(".skops") else e for e in extra]
    assert_one_line_error(run_scorer([command, missing, *extra]), missing)


def test_invalid_size_limit_setting_is_one_warning_not_a_crash(tmp_path: Path) -> None:
    page = _w(tmp_path / "a.txt", "Officials said on Tuesday that the plan would go ahead, according to a statement.\n")
    result = run_scorer(["inspect", page], env=scorer_env(SCORER_MAX_BYTES="twenty megabytes"))
    assert result.returncode == 0 and "Traceback" not in result.stderr, str(result)
    assert "SCORER_MAX_BYTES" in result.stderr


def test_real_program_binary_input_and_unknown_option(tmp_path: Path) -> None:
    blob = _w(tmp_path / "blob.html", bytes(range(256)) * 16)
    assert_one_line_error(run_scorer(["inspect", blob]), blob, "binary")
    usage = run_scorer(["inspect", "--no-such-option", blob])
    assert usage.returncode == 2 and "Traceback" not in usage.stderr and "no-such-option" in usage.stderr


_SURROGATES = ('{"id": "a\\ud800", "title": "T\\udfff", "text": "Officials said on Tuesday \\ud800 that the '
               'plan would go ahead, according to a statement from the city."}')


def test_lone_surrogates_in_json_do_not_stop_a_run(tmp_path: Path) -> None:
    """A JSON escape like \\ud800 is legal JSON but unencodable: every command still finishes."""
    corpus = _w(tmp_path / "c.jsonl", _SURROGATES + "\n" + _SURROGATES.replace('"a\\ud800"', '"b"') + "\n")
    one = _w(tmp_path / "one.json", _SURROGATES)
    if "batch" in COMMANDS:
        for name in ("o.jsonl", "o.csv", "o.html"):
            res = invoke(["batch", corpus, "--out", tmp_path / name, "--no-progress"])
            assert res.returncode == 0 and "Traceback" not in res.stderr, str(res)
    if "provenance" in COMMANDS:
        res = invoke(["provenance", corpus, "--out", tmp_path / "p.jsonl", "--html", tmp_path / "p.html", "--quiet"])
        assert res.returncode == 0 and "Traceback" not in res.stderr, str(res)
    for command, run in (("inspect", run_scorer), ("score", invoke)):  # inspect: the real program, a real pipe
        if command in COMMANDS:
            res = run([command, one])
            assert res.returncode == 0 and "Traceback" not in res.stderr, str(res)


# ---------------------------------------------------------------- option values and unwritable outputs


@pytest.mark.skipif("batch" not in COMMANDS, reason="`scorer batch` does not exist yet")
def test_batch_jobs_zero_is_a_usage_error(tmp_path: Path) -> None:
    assert_one_line_error(invoke(["batch", _corpus(tmp_path), "--jobs", "0", "--no-progress"]), "jobs")


@pytest.mark.skipif("batch" not in COMMANDS, reason="`scorer batch` does not exist yet")
@pytest.mark.parametrize("where", [
    pytest.param("under a file"),
    pytest.param("in /proc"),
])
def test_batch_unwritable_output_is_one_line(tmp_path: Path, where: str) -> None:
    if where == "in /proc" and not Path("/proc/self").exists():
        pytest.skip("no /proc here")
    out = _w(tmp_path / "afile", "x") / "out.jsonl" if where == "under a file" else Path("/proc/scorer-out.jsonl")
    assert_one_line_error(invoke(["batch", _corpus(tmp_path), "--out", out, "--no-progress"]), out)


@pytest.mark.skipif("provenance" not in COMMANDS, reason="`scorer provenance` does not exist yet")
@pytest.mark.skipif(not Path("/proc/self").exists(), reason="no /proc here")
@pytest.mark.parametrize("flag, name", [("--out", "scorer-pairs.csv"), ("--html", "scorer-report.html")])
def test_provenance_unwritable_output_is_one_line(tmp_path: Path, flag: str, name: str) -> None:
    out = Path("/proc") / name
    assert_one_line_error(invoke(["provenance", _corpus(tmp_path), flag, out, "--quiet"]), out)


def test_printed_output_carries_no_terminal_control_sequences(tmp_path: Path) -> None:
    """An article carrying ESC/BEL sequences cannot retitle, clear or recolour the user's terminal."""
    para = "Officials said on Tuesday that the plan would go ahead, according to a statement from the city."
    page = _w(tmp_path / "esc.txt", f"{para}\n\nThe mayor said \x1b]0;PWNED\x07\x1b[2J\x1b[31mred\x1b[0m was fine, "
                                    f"officials said on Tuesday in a statement.\n\n{para}\n")
    for args in (["inspect", page], ["inspect", "--json", page], ["score", page], ["score", "--json", page]):
        if args[0] not in COMMANDS:
            continue
        res = invoke(args)
        assert res.returncode == 0, str(res)
        assert "\x1b" not in res.stdout and "\x07" not in res.stdout, f"scorer {' '.join(map(str, args))}"


@pytest.mark.parametrize("command, suffix", [
    pytest.param("batch", ".jsonl", id="batch"),
    pytest.param("provenance", ".csv", id="provenance"),
])
def test_output_that_is_the_corpus_is_refused(tmp_path: Path, command: str, suffix: str) -> None:
    if command not in COMMANDS:
        pytest.skip(f"`scorer {command}` does not exist yet")
    text = "Officials said on Tuesday that the plan would go ahead, according to a statement."
    corpus = tmp_path / f"corpus{suffix}"
    corpus.write_text(json.dumps({"id": "a", "text": text}) + "\n" if suffix == ".jsonl" else f'id,text\na,"{text}"\n',
                      encoding="utf-8")
    before = corpus.read_bytes()
    extra = ["--no-progress"] if command == "batch" else ["--quiet"]
    result = invoke([command, corpus, "--out", tmp_path / ".." / tmp_path.name / corpus.name, *extra])
    assert corpus.read_bytes() == before, "the corpus was overwritten"
    assert result.returncode != 0 and str(corpus.name) in result.stderr, str(result)
