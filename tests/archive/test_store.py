"""The archive index file: contents, versioning, atomic adds (a real process killed), concurrent readers."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from _corpora import write_planted_copies
from scorer.archive import Archive, build
from scorer.archive.store import SCHEMA_VERSION
from scorer.article import Article
from scorer.cli import main
from scorer.errors import InputError
from scorer.paths import REPO


def _arts(n: int, prefix: str = "a") -> list[Article]:
    return [Article(id=f"{prefix}{i}", text=f"Report number {i} says the harbour crane {i} lifted cargo "
                                            f"for the northern shipping company on the pier today. " * 3,
                    outlet=f"Outlet {i % 3}", url=f"https://example.org/{prefix}{i}", date=f"2022-12-{i % 28 + 1:02d}",
                    title=f"Crane {i}") for i in range(n)]


def test_build_info_and_entries(tmp_path: Path) -> None:
    path = tmp_path / "ix.sqlite"
    assert build(path, _arts(5)) == (5, 0)
    with Archive(path) as ix:
        info = ix.info()
        assert (info["articles"], info["first_date"], info["last_date"]) == (5, "2022-12-01", "2022-12-05")
        assert info["bytes"] > 0
        entry = ix.entry(ix.doc_of("a3"))
        assert (entry.id, entry.url, entry.title) == ("a3", "https://example.org/a3", "Crane 3")
        assert entry.text == _arts(5)[3].text
        assert entry.meta.archived and str(entry.meta.date) == "2022-12-04"
        assert ix.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert ix.add(_arts(7)) == (2, 5)  # ids already indexed are left as they are
        assert len(ix) == 7


def test_build_refuses_existing_and_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "ix.sqlite"
    build(path, _arts(2))
    with pytest.raises(InputError, match="already exists"):
        build(path, _arts(3))
    assert build(path, _arts(3), replace=True) == (3, 0)
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database at all " * 100)
    with pytest.raises(InputError, match="not a scorer index"):
        Archive(junk)
    with pytest.raises(InputError, match="no such index"):
        Archive(tmp_path / "missing.sqlite")


def test_other_schema_version_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "ix.sqlite"
    build(path, _arts(2))
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value='99' WHERE name='schema'")
    db.commit()
    db.close()
    with pytest.raises(InputError) as err:
        Archive(path)
    assert "schema version 99" in str(err.value) and str(SCHEMA_VERSION) in str(err.value)
    result = CliRunner().invoke(main, ["index", "info", "--index", str(path)])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "schema version 99" in result.output


def test_readers_see_the_index_as_before_while_an_add_runs(tmp_path: Path) -> None:
    path = tmp_path / "ix.sqlite"
    build(path, _arts(4))
    readers = [Archive(path) for _ in range(3)]
    seen = []

    def articles():
        for k, art in enumerate(_arts(6, "new")):
            if k == 3:  # mid-transaction: every reader still sees the committed index, without waiting
                seen.extend(len(r) for r in readers)
            yield art

    with Archive(path) as writer:
        writer.add(articles())
    assert seen == [4, 4, 4]
    assert [len(r) for r in readers] == [10, 10, 10]
    for r in readers:
        r.close()


def test_interrupted_add_rolls_back(tmp_path: Path) -> None:
    path = tmp_path / "ix.sqlite"
    build(path, _arts(3))

    def failing():
        yield from _arts(5, "x")
        raise KeyboardInterrupt

    with Archive(path) as ix:
        with pytest.raises(KeyboardInterrupt):
            ix.add(failing())
        assert len(ix) == 3
        assert ix.add(_arts(2, "y")) == (2, 0)


def test_sigkill_while_an_add_writes_leaves_the_index_before_or_after_never_between(tmp_path: Path) -> None:
    """A real ``scorer index add`` is killed with SIGKILL while it writes its transaction's pages.

    The writer keeps its pages in a large cache, so they reach the write-ahead log as
    the transaction commits: the kill lands in the middle of that write. The index
    must then hold the 10 articles it had or all 3,010, each with its keys and bands,
    and take the next add.
    """
    path = tmp_path / "ix.sqlite"
    build(path, _arts(10))
    corpus = tmp_path / "big.jsonl"
    write_planted_copies(corpus, 3000, 0)
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.Popen([sys.executable, "-m", "scorer.cli", "index", "add", str(corpus), "--index", str(path),
                             "--quiet"], cwd=str(REPO), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    wal = Path(f"{path}-wal")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 1_000_000:  # the transaction's pages are being written
            break
        time.sleep(0.001)
    assert proc.poll() is None, "the add finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    with Archive(path) as ix:
        assert len(ix) in (10, 3010)
        assert ix.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for table in ("keys", "bands"):  # no row of an article that is not there, every article has rows
            assert ix.db.execute(f"SELECT COUNT(*) FROM {table} WHERE doc NOT IN (SELECT doc FROM articles)"
                                 ).fetchone()[0] == 0
            assert ix.db.execute(f"SELECT COUNT(DISTINCT doc) FROM {table}").fetchone()[0] == len(ix)
        assert ix.add(_arts(2, "after")) == (2, 0)


def test_cli_build_add_info(tmp_path: Path) -> None:
    path = tmp_path / "ix.sqlite"
    seeds = sorted((REPO / "seeds").glob("*.txt"))
    others = tmp_path / "others"
    others.mkdir()
    for p in seeds[:2]:
        (others / p.name).write_bytes(p.read_bytes())
    runner = CliRunner()
    res = runner.invoke(main, ["index", "build", str(others), "--index", str(path), "--quiet"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["index", "add", str(REPO / "seeds"), "--index", str(path), "--quiet"])
    assert res.exit_code == 0 and "3 articles added, 2 already indexed" in res.output
    res = runner.invoke(main, ["index", "info", "--index", str(path)])
    assert res.exit_code == 0 and "articles  5" in res.output
    res = runner.invoke(main, ["index", "build", str(others), "--index", str(path)])
    assert res.exit_code == 2 and "already exists" in res.output
    res = runner.invoke(main, ["index", "add", str(tmp_path / "nope"), "--index", str(path)])
    assert res.exit_code == 2 and "no such file" in res.output


def test_parallel_add_writes_the_same_index(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    write_planted_copies(corpus, 300, 20)
    import scorer

    rows = []
    for workers in (1, 2):
        path = tmp_path / f"ix{workers}.sqlite"
        assert build(path, scorer.read_corpus(corpus), workers=workers) == (320, 0)
        with Archive(path) as ix:
            rows.append([ix.db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in ("articles", "keys", "bands")])
    assert rows[0] == rows[1]


def test_index_build_from_article_files_and_a_bad_one(tmp_path: Path) -> None:
    """Article files are corpora of one; a bad one is reported and the run neither hangs nor aborts."""
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    seeds = sorted(str(p) for p in (REPO / "seeds").glob("*.txt"))[:2]
    path = tmp_path / "ix.sqlite"
    res = subprocess.run([sys.executable, "-m", "scorer.cli", "index", "build", *seeds, str(bad), "--index", str(path)],
                         capture_output=True, text=True, timeout=120, cwd=REPO)
    assert res.returncode == 0, res.stderr
    assert "bad.txt" in res.stderr and "Traceback" not in res.stderr
    with Archive(path) as ix:
        assert len(ix) == 2


def test_interrupted_build_leaves_no_index(tmp_path: Path) -> None:
    """A build writes a journal-less temporary file: an interruption must leave nothing behind."""
    def failing():
        yield from _arts(5)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build(tmp_path / "ix.sqlite", failing())
    assert list(tmp_path.iterdir()) == []
    assert build(tmp_path / "ix.sqlite", _arts(3)) == (3, 0)
    with Archive(tmp_path / "ix.sqlite") as ix:  # the finished index is in WAL mode, as readers expect
        assert ix.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal" and len(ix) == 3
