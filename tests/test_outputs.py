"""scorer.outputs: terminal-safe text, cells, atomic files with normal modes, the output lock, the line journal."""

from __future__ import annotations

import csv
import io
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from scorer.errors import InputError
from scorer.outputs import (LineJournal, OutputLock, atomic_write_text, csv_line, csv_value, esc, interrupts_held,
                            one_line, refuse_to_replace, terminal_safe)


def test_the_module_is_a_leaf() -> None:
    """It imports nothing from scorer but the errors, so every layer can use it."""
    import ast

    import scorer.outputs as mod

    tree = ast.parse(Path(mod.__file__).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert {m for m in imported if m.startswith("scorer")} == {"scorer.errors"}


@pytest.mark.parametrize("raw", ["osc\x1b]0;PWNED\x07", "a\nb", "a\rb", "csi\x9b2J", "bidi\u202egnp.exe",
                                 "sep\u2028x", "tab\tx", "lone\ud800"])
def test_terminal_safe_leaves_no_control_character(raw: str) -> None:
    safe = terminal_safe(raw)
    assert len(safe) == len(raw)  # one U+FFFD per character: offsets and widths hold
    assert all(ch == "\ufffd" or (ch.isprintable() and ch not in "\u2028\u2029\u202e") for ch in safe), repr(safe)
    assert terminal_safe("plain text, ünïcödé") == "plain text, ünïcödé"


def test_one_line_cells_read_back_as_one_line_and_keep_tabs() -> None:
    assert one_line("a\nb\r\nc") == "a b c"
    assert one_line("x\x1by") == "x\ufffdy"
    assert one_line("tab\tx") == "tab\tx"
    cell = next(csv.reader(io.StringIO(csv_line({"v": "=1+\x1b2\nz"}, ["v"]))))[0]
    assert cell == "'=1+\ufffd2 z" and csv_value(cell) == one_line("=1+\x1b2\nz")


def test_esc_escapes_markup_and_controls() -> None:
    assert esc('<a href="x">\x1b') == "&lt;a href=&quot;x&quot;&gt;\ufffd"
    assert esc(None) == ""


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_atomic_write_follows_the_umask_and_keeps_a_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        p = atomic_write_text(tmp_path / "new.txt", "x")
        assert _mode(p) == 0o640
        os.chmod(p, 0o604)
        atomic_write_text(p, "y")
        assert _mode(p) == 0o604 and p.read_text() == "y"
    finally:
        os.umask(old)
    assert sorted(f.name for f in tmp_path.iterdir()) == ["new.txt"]


def test_atomic_write_names_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="output folder does not exist"):
        atomic_write_text(tmp_path / "no" / "x.txt", "x", make_parents=False)


def test_refuse_to_replace_only_non_empty_files(tmp_path: Path) -> None:
    refuse_to_replace(tmp_path / "missing.csv")
    (tmp_path / "empty.csv").write_text("")
    refuse_to_replace(tmp_path / "empty.csv")
    (tmp_path / "full.csv").write_text("a\n")
    with pytest.raises(InputError, match="--overwrite"):
        refuse_to_replace(tmp_path / "full.csv")


@pytest.mark.skipif(sys.platform == "win32", reason="flock is POSIX")
def test_the_output_lock_refuses_another_process_and_is_dropped_when_released(tmp_path: Path) -> None:
    out = tmp_path / "o.jsonl"
    probe = ("import sys\nfrom scorer.outputs import OutputLock\nfrom scorer.errors import InputError\n"
             "try:\n    OutputLock(sys.argv[1]).acquire()\nexcept InputError as e:\n    print(e); sys.exit(9)\n")
    with OutputLock(out) as lock:
        assert lock.path.exists()
        res = subprocess.run([sys.executable, "-c", probe, str(out)], capture_output=True, text=True, timeout=60)
        assert res.returncode == 9 and "another scorer run is writing" in res.stdout and str(out) in res.stdout
    assert not lock.path.exists(), "the sidecar is removed when the run ends"
    res = subprocess.run([sys.executable, "-c", probe, str(out)], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stdout


def test_line_journal_appends_whole_lines_and_reopen_cuts_a_partial_tail(tmp_path: Path) -> None:
    path = tmp_path / "j.jsonl"
    j = LineJournal.start(path)
    j.append(["one", "two"])
    assert path.read_text() == "one\ntwo\n"  # unbuffered: on disk at once
    j.append(["three"], buffered=True)
    j.close()
    assert path.read_text() == "one\ntwo\nthree\n"
    with open(path, "a") as fh:
        fh.write('{"half')
    j = LineJournal.reopen(path)
    j.append(["four"])
    j.remove()
    assert not path.exists()


def test_interrupts_are_held_until_the_write_is_done() -> None:
    got = []
    previous = signal.signal(signal.SIGINT, lambda s, f: got.append("handled"))
    try:
        with interrupts_held():
            os.kill(os.getpid(), signal.SIGINT)
            got.append("body finished")
        assert got == ["body finished", "handled"]
    finally:
        signal.signal(signal.SIGINT, previous)
