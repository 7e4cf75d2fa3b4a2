"""No data loss: ``scorer batch`` and ``scorer provenance`` really killed mid-run.

Each test writes a synthetic corpus, starts the real command in its own
process group, kills it (SIGINT, as Ctrl-C does, or SIGKILL, as the OOM killer
or a power cut does) once it is under way, and checks that

* the output holds only complete, parseable rows (at most a half-written last
  line after SIGKILL, which the next run repairs),
* every row finished before the kill is still there, unchanged,
* ``--resume`` completes the run, and the final output has each id exactly once.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from _corpora import write_planted_copies
from _robust import needs_command, scorer_env, wait_gone

from scorer.paths import REPO

#: Articles in the batch corpus: enough that the run is still going when the first rows appear.
N_ARTICLES = 200
PARA = ('Officials said on Tuesday that the plan for district {i} would go ahead. "We are confident," said '
        'Maria Lopez, a spokeswoman for the city. A senior official, who spoke on condition of anonymity '
        'because he was not authorised to discuss it, said the costs may rise. The figures could not be '
        'independently verified.')


def write_batch_corpus(path: Path, n: int = N_ARTICLES) -> list[str]:
    """A .jsonl corpus of ``n`` short labelled articles; returns their ids in order."""
    rng = random.Random(11)
    ids = []
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            rid = f"art-{i:04d}"
            ids.append(rid)
            text = f"Story number {i}.\n\n" + "\n\n".join(PARA.format(i=i + k) for k in range(3))
            fh.write(json.dumps({"id": rid, "text": text, "label": rng.choice(["reliable", "unreliable"]),
                                 "domain": f"outlet{i % 5}.example"}) + "\n")
    return ids


def start(args: list[str]) -> subprocess.Popen:
    """Start ``scorer ARGS`` in a new process group (so a signal reaches it and its workers, like Ctrl-C)."""
    return subprocess.Popen([sys.executable, "-m", "scorer.cli", *map(str, args)], cwd=str(REPO),
                            env=scorer_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)


def kill_and_wait(proc: subprocess.Popen, sig: int, timeout: float = 30) -> tuple[int, str]:
    """Send ``sig`` to the process group; return (exit status, stderr). A hang fails the test."""
    os.killpg(proc.pid, sig)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"the command did not stop within {timeout}s of signal {sig}")
    return proc.returncode, err.decode("utf-8", "replace")


def wait_for_lines(path: Path, proc: subprocess.Popen, n_lines: int, timeout: float = 60) -> None:
    """Wait until ``path`` holds at least ``n_lines`` complete lines (the run is under way)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_bytes().count(b"\n") >= n_lines:
            return
        if proc.poll() is not None:
            _, err = proc.communicate()
            pytest.fail(f"the command ended (exit {proc.returncode}) before writing output: {err.decode()[-1500:]}")
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()
    pytest.fail(f"no output in {path} after {timeout}s")


def children(pid: int) -> list[int]:
    """Process ids of ``pid``'s children (Linux /proc; empty elsewhere)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def wait_for_workers(proc: subprocess.Popen, timeout: float = 30) -> bool:
    """Wait until ``proc`` has forked worker processes; False if it ended or never did."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if children(proc.pid):
            return True
        time.sleep(0.005)
    return False


def jsonl_rows(path: Path, allow_partial_last: bool = False) -> list[dict]:
    """Rows of a JSONL output; every line must be a complete object with an id."""
    data = path.read_text(encoding="utf-8")
    lines = data.split("\n")
    tail = lines.pop()  # text after the last newline: empty unless a write was cut short
    assert allow_partial_last or tail == "", f"output ends in a partial line: {tail[:80]!r}"
    rows = []
    for n, line in enumerate(lines, 1):
        assert line.strip(), f"blank line {n} in {path}"
        row = json.loads(line)  # a corrupt row fails here
        assert isinstance(row, dict) and row.get("id"), f"line {n} has no id: {line[:80]}"
        rows.append(row)
    return rows


def csv_rows(path: Path, allow_partial_last: bool = False, key: str = "id") -> list[dict]:
    """Rows of a CSV output: one header, then complete rows of the header's width."""
    data = path.read_text(encoding="utf-8")
    if allow_partial_last and not data.endswith("\n"):
        data = data[: data.rfind("\n") + 1]
    assert data.endswith("\n"), "output ends in a partial row"
    reader = csv.reader(io.StringIO(data, newline=""))
    header = next(reader)
    assert key in header
    rows = []
    for rec in reader:
        assert len(rec) == len(header), f"corrupt row: {rec[:3]}"
        assert rec != header, "header repeated inside the file"
        rows.append(dict(zip(header, rec)))
    return rows


def _assert_complete(final: list[dict], before: list[dict], ids: list[str]) -> None:
    """Each id exactly once; rows finished before the kill kept unchanged."""
    got = [str(r["id"]) for r in final]
    dupes = sorted({i for i in got if got.count(i) > 1})
    assert not dupes, f"ids written more than once: {dupes[:10]}"
    assert sorted(got) == sorted(ids), f"missing ids: {sorted(set(ids) - set(got))[:10]}"
    by_id = {str(r["id"]): r for r in final}
    for row in before:
        assert by_id[str(row["id"])] == row, f"row {row['id']} changed or lost after resuming"
    assert all(not r.get("error") for r in final), [r for r in final if r.get("error")][:3]


# ---------------------------------------------------------------- batch


@needs_command("batch")
def test_batch_sigint_keeps_finished_rows_and_resume_completes(tmp_path: Path) -> None:
    """HTML output: rows stream to <out>.rows.jsonl, the report is rendered when the run completes."""
    corpus, out = tmp_path / "corpus.jsonl", tmp_path / "report.html"
    journal = out.with_name(out.name + ".rows.jsonl")
    ids = write_batch_corpus(corpus)
    proc = start(["batch", corpus, "--out", out, "--no-progress"])
    wait_for_lines(journal, proc, 1)
    code, err = kill_and_wait(proc, signal.SIGINT)
    assert code != 0, "an interrupted run must not exit 0"
    assert "Traceback" not in err, err[-2000:]
    before = jsonl_rows(journal)  # SIGINT: no partial line at all
    assert 0 < len(before) < len(ids), "the run finished before the kill: the test proved nothing"
    assert not out.exists() or "art-" not in out.read_text(encoding="utf-8"), "a report of a partial run"

    # a later kill mid-write leaves half a line: resume must repair it, not keep or choke on it
    with open(journal, "a", encoding="utf-8") as fh:
        fh.write('{"id": "art-0199", "score": 0.5, "lab')
    result = subprocess.run([sys.executable, "-m", "scorer.cli", "batch", str(corpus), "--out", str(out),
                             "--resume", "--no-progress"], cwd=str(REPO), env=scorer_env(),
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    _assert_complete(jsonl_rows(journal), before, ids)
    page = out.read_text(encoding="utf-8")
    assert page.count('<details class="row"') == len(ids)  # one row per article, named once in its detail line
    assert all(page.count(f'meta">{i} ') + page.count(f'meta">{i}<') == 1 for i in ids), \
        "the report lists an article twice or not at all"


@needs_command("batch")
def test_batch_sigkill_csv_output_resumes_without_duplicates(tmp_path: Path) -> None:
    corpus, out = tmp_path / "corpus.jsonl", tmp_path / "preds.csv"
    ids = write_batch_corpus(corpus)
    proc = start(["batch", corpus, "--out", out, "--no-progress"])
    wait_for_lines(out, proc, 2)  # header and at least one row
    code, _ = kill_and_wait(proc, signal.SIGKILL)
    assert code == -signal.SIGKILL
    before = csv_rows(out, allow_partial_last=True)
    assert 0 < len(before) < len(ids), "the run finished before the kill: the test proved nothing"

    result = subprocess.run([sys.executable, "-m", "scorer.cli", "batch", str(corpus), "--out", str(out),
                             "--resume", "--no-progress"], cwd=str(REPO), env=scorer_env(),
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    _assert_complete(csv_rows(out), before, ids)


# ---------------------------------------------------------------- provenance


def write_reuse_corpus(path: Path, n_orig: int = 400, n_copies: int = 250) -> list[str]:
    """Originals of random pseudo-words and verbatim copies with a sentence added (planted reuse)."""
    return write_planted_copies(path, n_orig, n_copies, paragraphs=4, vocab_size=3000, dates=("2024-01-01", "2024-02-01"))


def _run_provenance(corpus: Path, out: Path, html: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scorer.cli", "provenance", str(corpus), "--out", str(out),
                           "--html", str(html), "--quiet", *extra], cwd=str(REPO), env=scorer_env(),
                          capture_output=True, text=True, timeout=300)


def _pair_keys(out: Path) -> list[tuple[str, str]]:
    return [(r["a"], r["b"]) for r in csv_rows(out, key="a")]


@needs_command("provenance")
@pytest.mark.parametrize("sig", [
    pytest.param(signal.SIGINT, id="SIGINT"),
    pytest.param(signal.SIGKILL, id="SIGKILL"),
])
def test_provenance_killed_mid_run_leaves_previous_outputs_intact(tmp_path: Path, sig: int) -> None:
    """Outputs are replaced atomically: a killed re-run leaves the last complete ones as they were."""
    corpus, out, html = tmp_path / "corpus.jsonl", tmp_path / "pairs.csv", tmp_path / "report.html"
    write_reuse_corpus(corpus)
    first = _run_provenance(corpus, out, html)
    assert first.returncode == 0, first.stderr[-2000:]
    pairs, page = out.read_bytes(), html.read_bytes()
    assert len(_pair_keys(out)) >= 240  # the planted copies are found

    # two workers, so the kill lands while the worker pool runs: mid-run, and the hardest moment to stop cleanly
    proc = start(["provenance", corpus, "--out", out, "--html", html, "--quiet", "--workers", "2", "--overwrite"])
    if not wait_for_workers(proc):
        time.sleep(1.0)
    assert proc.poll() is None, "the run ended before the kill: the test proved nothing"
    code, err = kill_and_wait(proc, sig, timeout=5)
    assert code != 0, "the interrupt was ignored"
    assert out.read_bytes() == pairs and html.read_bytes() == page
    # the work journal (finished work for --resume) is kept on purpose
    leftovers = sorted(p.name for p in tmp_path.iterdir()
                       if p.name not in {"corpus.jsonl", "pairs.csv", "report.html", "pairs.csv.partial.jsonl"})
    if sig == signal.SIGINT:  # an orderly stop cleans its temporary files (SIGKILL cannot) and says so in one line
        assert leftovers == [], leftovers
        assert "Traceback" not in err, err[-2000:]
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("scorer: interrupted"), err[-2000:]


@needs_command("provenance")
def test_provenance_resume_completes_an_interrupted_run(tmp_path: Path) -> None:
    corpus, out, html = tmp_path / "corpus.jsonl", tmp_path / "pairs.csv", tmp_path / "report.html"
    write_reuse_corpus(corpus)
    proc = start(["provenance", corpus, "--out", out, "--html", html, "--quiet", "--workers", "2"])
    if not wait_for_workers(proc):
        time.sleep(1.0)
    kill_and_wait(proc, signal.SIGKILL)
    result = _run_provenance(corpus, out, html, "--resume")
    assert result.returncode == 0, result.stderr[-2000:]
    keys = _pair_keys(out)
    assert len(keys) == len(set(keys)) and len(keys) >= 240


# ---------------------------------------------------------------- resume with awkward ids

AWKWARD_IDS = ["plain", "line\nbreak", "carriage\rreturn", "sep\u2028arator", "comma,id", 'quote"id', "tab\tid",
               "=1+1", "ünï©ødé", "../../up", "/abs/path"]


def _awkward_corpus(path: Path) -> Path:
    text = "Officials said on Tuesday that the plan for {} would go ahead, according to a statement."
    with open(path, "w", encoding="utf-8") as fh:
        for n, rid in enumerate(AWKWARD_IDS):
            fh.write(json.dumps({"id": rid, "text": text.format(n)}) + "\n")
    return path


@needs_command("batch")
@pytest.mark.parametrize("suffix", [
    ".jsonl",
    ".csv",
])
def test_resume_recognises_every_id_written(tmp_path: Path, suffix: str) -> None:
    """Running --resume on a finished output scores nothing and leaves each id exactly once."""
    from scorer.batch import score_corpus

    corpus, out = _awkward_corpus(tmp_path / "c.jsonl"), tmp_path / f"out{suffix}"
    first = score_corpus(corpus, out)
    assert first.scored == len(AWKWARD_IDS)
    again = score_corpus(corpus, out, resume=True)
    assert (again.scored, again.failed) == (0, 0), "finished articles were scored again"
    rows = jsonl_rows(out) if suffix == ".jsonl" else csv_rows(out)
    got = [r["id"] for r in rows]
    assert len(got) == len(set(got)) == len(AWKWARD_IDS)


@needs_command("batch")
def test_duplicate_ids_in_a_corpus_are_reported(tmp_path: Path) -> None:
    corpus = tmp_path / "dup.jsonl"
    corpus.write_text(json.dumps({"id": "same", "text": "Officials said on Tuesday that the plan would go ahead."})
                      + "\n" + json.dumps({"id": "same", "text": "A different story said the minister on Monday."})
                      + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    from _robust import invoke

    result = invoke(["batch", corpus, "--out", out, "--no-progress"])
    assert result.returncode == 0, str(result)
    assert [r["id"] for r in jsonl_rows(out)] == ["same"]
    assert "duplicate" in result.stderr and "same" in result.stderr, result.stderr


@needs_command("batch")
@pytest.mark.parametrize("name, content", [("labels.csv", "id_x,label\nfoo,reliable\n"),
                                           ("notes.jsonl", "not json at all\n{\"x\": 1}\n")])
def test_resume_refuses_a_file_it_did_not_write(tmp_path: Path, name: str, content: str) -> None:
    from _robust import assert_one_line_error, invoke

    corpus = _awkward_corpus(tmp_path / "c.jsonl")
    out = tmp_path / name
    out.write_text(content, encoding="utf-8")
    assert_one_line_error(invoke(["batch", corpus, "--out", out, "--resume", "--no-progress"]), out)
    assert out.read_text(encoding="utf-8") == content, "the file was changed"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_index_build_stopped_mid_run_leaves_no_index_and_no_process(tmp_path: Path, sig: int) -> None:
    """Ctrl-C or ``kill`` to the whole process group while the workers sketch: a clean stop, nothing left."""
    corpus = tmp_path / "c.jsonl"
    write_planted_copies(corpus, 3000, 0)
    index = tmp_path / "ix.sqlite"
    proc = start(["index", "build", corpus, "--index", index, "--workers", "2", "--quiet"])
    assert wait_for_workers(proc), "the build ended before its workers started"
    time.sleep(0.5)  # under way: workers sketching, the writer inserting
    code, err = kill_and_wait(proc, sig)
    assert code == (130 if sig == signal.SIGINT else 143), err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.jsonl"], "no index, no temporary file"
    assert wait_gone(proc.pid, 5) == [], "a worker outlived the stopped build"  # its own session (start())


def test_index_build_whose_worker_is_killed_stops_with_one_line(tmp_path: Path) -> None:
    """The OOM killer takes one worker: the build stops at once, says so in one line, and leaves no index."""
    corpus = tmp_path / "c.jsonl"
    write_planted_copies(corpus, 3000, 0)
    index = tmp_path / "ix.sqlite"
    proc = start(["index", "build", corpus, "--index", index, "--workers", "2", "--quiet"])
    assert wait_for_workers(proc), "the build ended before its workers started"
    time.sleep(0.5)
    argv = Path(f"/proc/{proc.pid}/cmdline").read_bytes()
    workers = [c for c in children(proc.pid) if Path(f"/proc/{c}/cmdline").read_bytes() == argv]  # forked: same argv
    assert workers and proc.poll() is None, "the build ended before a worker could be killed"
    os.kill(workers[-1], signal.SIGKILL)
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("the build hung after one of its workers was killed")
    text = err.decode("utf-8", "replace")
    assert proc.returncode == 1 and "Traceback" not in text and "worker process died" in text, text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.jsonl"]
