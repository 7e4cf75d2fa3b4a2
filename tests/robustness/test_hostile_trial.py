"""The hostile trial of issue 13, one test (or a few) per defect, on the real command line.

Each test reproduces a defect the trial found: control characters in file
names reaching the terminal, two writers on one output, workers outliving a
killed run, super-linear time on unpunctuated text, exit status 0 when rows
fail, provenance outputs at mode 0600, a corpus's ``outlet`` ignored, error ids
depending on how the corpus path is typed, a closed stdout stranding the
journal, outputs inside a directory corpus, and unclear messages for symlink
loops and UTF-16 without a byte-order mark. Commands run as real processes and
receive real signals, as in ``test_interrupt.py``.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from _robust import assert_one_line_error, run_scorer, scorer_env, session_processes, wait_gone
from test_interrupt import (N_ARTICLES, jsonl_rows, start, wait_for_lines,
                            wait_for_workers, write_batch_corpus, write_reuse_corpus)

from scorer.paths import REPO

PROSE = ("Officials said on Tuesday that the plan for the district would go ahead. \"We are confident,\" said "
         "Maria Lopez, a spokeswoman for the city. The figures could not be independently verified.")
#: Bytes that drive a terminal: an OSC title sequence (ESC ... BEL), a screen clear, a colour.
TERMINAL_BYTES = ("\x1b", "\x07", "\x9b")


def _no_terminal_bytes(*texts: str) -> bool:
    return not any(b in t for t in texts for b in TERMINAL_BYTES)


def _run(args: list, *, cwd: Path | None = None, timeout: float = 180, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scorer.cli", *map(str, args)], cwd=str(cwd or REPO),
                          env=scorer_env(), capture_output=True, text=True, encoding="utf-8", errors="replace",
                          timeout=timeout, **kw)


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# ---------------------------------------------------------------- 1. control characters in file names


def test_file_names_with_terminal_sequences_never_reach_the_terminal(tmp_path: Path) -> None:
    osc = tmp_path / "osc\x1b]0;PWNED\x07.txt"
    osc.write_text(PROSE + "\n\n" + PROSE, encoding="utf-8")
    forged = tmp_path / "f\n  score 0.999  (forged).txt"
    forged.write_text(PROSE, encoding="utf-8")
    res = run_scorer(["score", osc, forged])
    assert res.returncode == 0, str(res)
    assert _no_terminal_bytes(res.stdout, res.stderr), repr(res.stdout[:300])
    assert "\n  score 0.999" not in res.stdout, "a file name forged an output line"
    missing = run_scorer(["score", tmp_path / "nope\x1b]0;T\x07"])
    assert_one_line_error(missing, "nope", "no such file")
    assert _no_terminal_bytes(missing.stderr), repr(missing.stderr)
    res = run_scorer(["inspect", osc])
    assert res.returncode == 0 and _no_terminal_bytes(res.stdout, res.stderr), repr(res.stdout[:300])


def test_batch_outputs_carry_no_terminal_sequences_from_file_names(tmp_path: Path) -> None:
    corpus = tmp_path / "pages"
    corpus.mkdir()
    (corpus / "osc\x1b]0;PWNED\x07.txt").write_text(PROSE, encoding="utf-8")
    (corpus / "bad\x1b[2J.txt").write_bytes(b"")  # fails: its name is in the error row and on stderr
    for out in (tmp_path / "r.csv", tmp_path / "r.html"):
        res = _run(["batch", corpus, "--out", out, "--no-progress"])
        assert res.returncode in (0, 3), res.stderr[-2000:]
        assert _no_terminal_bytes(res.stdout, res.stderr), repr(res.stderr[-500:])
        assert _no_terminal_bytes(out.read_text(encoding="utf-8")), f"{out.name} carries terminal bytes"


# ---------------------------------------------------------------- 2. one writer per output


def test_a_second_writer_on_the_same_output_is_refused(tmp_path: Path) -> None:
    corpus, out = tmp_path / "corpus.jsonl", tmp_path / "preds.jsonl"
    ids = write_batch_corpus(corpus, n=N_ARTICLES * 8)  # still running while the second run starts up
    first = start(["batch", corpus, "--out", out, "--no-progress"])
    try:
        wait_for_lines(out, first, 1)
        second = _run(["batch", corpus, "--out", out, "--no-progress", "--resume"], timeout=60)
        assert first.poll() is None, "the first run ended before the second started: the test proved nothing"
        assert_one_line_error(CliLike(second), out, "another scorer run is writing")
        _, err = first.communicate(timeout=300)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
            first.communicate()
    assert first.returncode == 0, err.decode()[-2000:]
    got = [r["id"] for r in jsonl_rows(out)]
    assert sorted(got) == sorted(ids), "rows duplicated or lost"


class CliLike:
    """A CompletedProcess seen as the suite's CliResult (for assert_one_line_error)."""

    def __init__(self, proc: subprocess.CompletedProcess) -> None:
        self.returncode, self.stdout, self.stderr = proc.returncode, proc.stdout, proc.stderr

    def __str__(self) -> str:
        return f"exit {self.returncode}\nstdout: {self.stdout[-1500:]}\nstderr: {self.stderr[-1500:]}"


def test_a_provenance_run_is_refused_while_another_writes_its_output(tmp_path: Path) -> None:
    from scorer.outputs import OutputLock

    corpus, out = _jsonl(tmp_path / "c.jsonl", [{"id": f"a{i}", "text": PROSE} for i in range(3)]), tmp_path / "p.csv"
    with OutputLock(out):  # another process (this test) holds the output
        res = _run(["provenance", corpus, "--out", out, "--quiet"], timeout=60)
    assert_one_line_error(CliLike(res), out, "another scorer run is writing")
    assert not out.exists()


@pytest.mark.parametrize("command, name", [("batch", "preds.jsonl"), ("batch", "preds.csv"),
                                           ("provenance", "pairs.csv")])
def test_replacing_a_finished_output_needs_overwrite(tmp_path: Path, command: str, name: str) -> None:
    corpus = _jsonl(tmp_path / "c.jsonl", [{"id": f"a{i}", "text": PROSE + f" Item {i}."} for i in range(4)])
    out = tmp_path / name
    quiet = "--no-progress" if command == "batch" else "--quiet"
    first = _run([command, corpus, "--out", out, quiet])
    assert first.returncode == 0, first.stderr[-2000:]
    before = out.read_bytes()
    assert before.strip()
    again = _run([command, corpus, "--out", out, quiet])
    assert_one_line_error(CliLike(again), out, "--overwrite")
    assert "--resume" in again.stderr or command == "provenance"
    assert out.read_bytes() == before, "the output was changed"
    replaced = _run([command, corpus, "--out", out, quiet, "--overwrite"])
    assert replaced.returncode == 0, replaced.stderr[-2000:]
    assert out.read_bytes().count(b"\n") == before.count(b"\n"), "rows duplicated on --overwrite"


# ---------------------------------------------------------------- 3. no orphaned workers


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_sigkill_of_the_main_batch_process_leaves_no_process_behind(tmp_path: Path) -> None:
    corpus, out = tmp_path / "corpus.jsonl", tmp_path / "preds.jsonl"
    write_batch_corpus(corpus, n=N_ARTICLES * 2)
    proc = start(["batch", corpus, "--out", out, "--no-progress", "--jobs", "2"])
    try:
        assert wait_for_workers(proc), "no workers started"
        wait_for_lines(out, proc, 1)
        os.kill(proc.pid, signal.SIGKILL)  # the main process only, as `kill -9 PID` does
        proc.communicate(timeout=30)
        alive = wait_gone(proc.pid, 5.0)
        assert not alive, f"processes of the killed run still alive 5 s later: {alive}"
    finally:
        for pid in session_processes(proc.pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_sigterm_stops_batch_like_ctrl_c(tmp_path: Path) -> None:
    corpus, out = tmp_path / "corpus.jsonl", tmp_path / "preds.jsonl"
    ids = write_batch_corpus(corpus)
    proc = start(["batch", corpus, "--out", out, "--no-progress", "--jobs", "2"])
    try:
        wait_for_workers(proc)
        wait_for_lines(out, proc, 1)
        os.kill(proc.pid, signal.SIGTERM)  # the main process only, as `kill PID` does
        _, err = proc.communicate(timeout=60)
        err = err.decode("utf-8", "replace")
        assert proc.returncode == 143, f"exit {proc.returncode}: {err[-1500:]}"
        assert "Traceback" not in err and "terminated" in err, err[-1500:]
        before = jsonl_rows(out)  # flushed, whole rows only
        assert 0 < len(before) < len(ids), "the run finished before the signal: the test proved nothing"
        assert not wait_gone(proc.pid, 5.0), "workers outlived a terminated run"
    finally:
        for pid in session_processes(proc.pid):
            os.kill(pid, signal.SIGKILL)
    res = _run(["batch", corpus, "--out", out, "--no-progress", "--resume"])
    assert res.returncode == 0, res.stderr[-2000:]
    assert sorted(r["id"] for r in jsonl_rows(out)) == sorted(ids)


# ---------------------------------------------------------------- 5. exit status when rows fail


def test_batch_exit_status_says_some_rows_failed(tmp_path: Path) -> None:
    good = [{"id": f"a{i}", "text": PROSE} for i in range(3)]
    clean = _run(["batch", _jsonl(tmp_path / "ok.jsonl", good), "--out", tmp_path / "ok.csv", "--no-progress"])
    assert clean.returncode == 0, clean.stderr[-1500:]
    broken = tmp_path / "broken.jsonl"
    broken.write_text("".join(json.dumps(r) + "\n" for r in good) + "{not json\n" + '{"id": "x", "text": ""}\n',
                      encoding="utf-8")
    res = _run(["batch", broken, "--out", tmp_path / "b.csv", "--no-progress"])
    assert res.returncode == 3, f"exit {res.returncode}: {res.stderr[-1500:]}"
    assert "failed 2" in res.stderr


# ---------------------------------------------------------------- 7. provenance outputs follow the umask


def test_provenance_outputs_follow_the_umask_and_keep_an_existing_mode(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    write_reuse_corpus(corpus, n_orig=6, n_copies=3)
    out, html = tmp_path / "p.csv", tmp_path / "p.html"
    res = _run(["provenance", corpus, "--out", out, "--html", html, "--quiet"], preexec_fn=lambda: os.umask(0o022))
    assert res.returncode == 0, res.stderr[-1500:]
    assert stat.S_IMODE(out.stat().st_mode) == 0o644 and stat.S_IMODE(html.stat().st_mode) == 0o644
    os.chmod(out, 0o640)
    res = _run(["provenance", corpus, "--out", out, "--quiet", "--overwrite"], preexec_fn=lambda: os.umask(0o022))
    assert res.returncode == 0, res.stderr[-1500:]
    assert stat.S_IMODE(out.stat().st_mode) == 0o640, "an existing output's mode was replaced"


# ---------------------------------------------------------------- 8. the corpus's outlet field


def test_a_corpus_outlet_field_is_read_and_used_per_outlet(tmp_path: Path) -> None:
    corpus = tmp_path / "c.csv"
    with open(corpus, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text", "outlet", "url", "label"])
        for i in range(4):
            w.writerow([f"a{i}", PROSE, "Outlet A" if i % 2 else "Outlet B", f"https://a.example/{i}",
                        "reliable" if i % 2 else "unreliable"])
    out = tmp_path / "r.jsonl"
    res = _run(["batch", corpus, "--out", out, "--no-progress"])
    assert res.returncode == 0, res.stderr[-1500:]
    assert {r["outlet"] for r in jsonl_rows(out)} == {"Outlet A", "Outlet B"}
    metrics = json.loads(out.with_name(out.name + ".metrics.json").read_text(encoding="utf-8"))
    assert {r["outlet"] for r in metrics["per_outlet"]} == {"Outlet A", "Outlet B"}


# ---------------------------------------------------------------- 9. error ids independent of the path typed


def test_resume_through_another_spelling_of_the_corpus_path_adds_no_rows(tmp_path: Path) -> None:
    work = tmp_path / "p2"
    work.mkdir()
    corpus = work / "mixed.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": PROSE}) + "\n{broken\n" + '{"id": "b"}\n', encoding="utf-8")
    out = tmp_path / "r.jsonl"
    first = _run(["batch", "mixed.jsonl", "--out", out, "--no-progress"], cwd=work)
    assert first.returncode in (0, 3), first.stderr[-1500:]
    n = len(jsonl_rows(out))
    other = tmp_path / "elsewhere"
    other.mkdir()
    again = _run(["batch", "../p2/mixed.jsonl", "--out", out, "--no-progress", "--resume"], cwd=other)
    assert again.returncode in (0, 3), again.stderr[-1500:]
    rows = jsonl_rows(out)
    assert len(rows) == n == 3, [r["id"] for r in rows]


# ---------------------------------------------------------------- 10. a closed stdout


def test_a_closed_stdout_still_finishes_provenance_outputs(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    write_reuse_corpus(corpus, n_orig=30, n_copies=20)
    out, html = tmp_path / "p.csv", tmp_path / "p.html"
    proc = subprocess.Popen([sys.executable, "-m", "scorer.cli", "provenance", str(corpus), "--out", str(out),
                             "--html", str(html), "--quiet"], cwd=str(REPO), env=scorer_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # as `| head -0` does: every write to stdout fails
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.wait(timeout=180)
    assert "Traceback" not in err and not err.strip(), err[-1500:]
    assert out.exists() and html.exists(), "outputs not written"
    assert not (tmp_path / "p.csv.partial.jsonl").exists(), "the work journal was left behind"


# ---------------------------------------------------------------- 11. directory corpora


@pytest.mark.parametrize("command, flag, name", [("batch", "--out", "r.html"), ("batch", "--out", "r.jsonl"),
                                                 ("provenance", "--html", "p.html")])
def test_an_output_inside_a_directory_corpus_is_refused(tmp_path: Path, command: str, flag: str, name: str) -> None:
    corpus = tmp_path / "pages"
    corpus.mkdir()
    (corpus / "a.txt").write_text(PROSE, encoding="utf-8")
    quiet = "--no-progress" if command == "batch" else "--quiet"
    res = _run([command, corpus, flag, corpus / name, quiet])
    assert_one_line_error(CliLike(res), corpus / name, "inside the corpus")
    assert sorted(p.name for p in corpus.iterdir()) == ["a.txt"]


def test_files_skipped_in_a_directory_corpus_are_counted_by_reason(tmp_path: Path) -> None:
    corpus = tmp_path / "pages"
    corpus.mkdir()
    (corpus / "a.txt").write_text(PROSE, encoding="utf-8")
    (corpus / "rows.jsonl").write_text("{}\n", encoding="utf-8")
    (corpus / "img.png").write_bytes(b"\x89PNG\r\n")
    (corpus / "blob.bin").write_bytes(b"\x00\x01")
    (corpus / "other.bin").write_bytes(b"\x00\x01")
    res = _run(["batch", corpus, "--out", tmp_path / "r.jsonl", "--no-progress"])
    assert res.returncode == 0, res.stderr[-1500:]
    summary = [ln for ln in res.stderr.splitlines() if ln.startswith("scored ")]
    assert len(summary) == 1, res.stderr
    assert "not read 4" in summary[0] and ".bin 2" in summary[0] and ".png 1" in summary[0] \
        and ".jsonl 1" in summary[0], summary[0]


# ---------------------------------------------------------------- also: clear messages


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_symlink_loop_is_called_one(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    os.symlink(loop, loop)
    assert_one_line_error(run_scorer(["score", loop]), loop, "symlink loop")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_named(tmp_path: Path, codec: str) -> None:
    page = tmp_path / "u16.txt"
    page.write_bytes(PROSE.encode(codec))
    assert_one_line_error(run_scorer(["score", page]), page, "UTF-16 without a byte-order mark")
