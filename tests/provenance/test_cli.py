"""``scorer provenance``: summary, atomic outputs, escaped HTML, one-line errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from scorer.cli import main
from scorer.provenance.report import write_atomic


def _run(*args: str):
    return CliRunner().invoke(main, ["provenance", *args])


def test_help_has_an_example() -> None:
    result = _run("--help")
    assert result.exit_code == 0
    assert "scorer provenance seeds" in result.output


def test_seeds_summary_and_outputs(seeds: list[Path], tmp_path: Path) -> None:
    out_csv, out_jsonl, out_html = tmp_path / "pairs.csv", tmp_path / "pairs.jsonl", tmp_path / "report.html"
    folder = str(seeds[0].parent)
    result = _run(folder, "--quiet", "--out", str(out_csv), "--html", str(out_html))
    assert result.exit_code == 0, result.output
    assert "000_25b945acff414000 ~ 001_896550752f931eee: paraphrase" in result.output
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    kinds = {(r["a"][:3], r["b"][:3]): r["kind"] for r in rows}
    assert kinds[("000", "001")] == "paraphrase"
    assert set(kinds.values()) <= {"paraphrase", "shared_quotes_only"}
    passages = json.loads(rows[0]["passages"])
    assert {"a_start", "a_end", "b_start", "b_end"} <= set(passages[0])
    assert _run(folder, "--quiet", "--out", str(out_jsonl)).exit_code == 0
    lines = [json.loads(line) for line in out_jsonl.read_text(encoding="utf-8").splitlines()]
    assert any(line.get("cluster") for line in lines)
    assert "<html" in out_html.read_text(encoding="utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_html_escapes_article_text_and_metadata(tmp_path: Path) -> None:
    body = ("<script>alert(1)</script> The committee met on Monday to approve the harbour expansion plan.\n\n"
            "<img src=x onerror=alert(2)> Members voted eleven to two after a long debate on dredging costs.\n\n"
            "The harbour authority said construction of the new quay could begin before the end of the year.")
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("\n".join(json.dumps({"id": f"<b>{k}</b>", "text": body, "title": "<script>x</script>"})
                                for k in range(2)) + "\n", encoding="utf-8")
    out = tmp_path / "r.html"
    result = _run(str(corpus), "--quiet", "--html", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.count("<script>") == 1 and "<script>alert" not in page  # only the page's own sorting script
    assert "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;" in page and "onerror=alert(2)" in page.replace("&#x27;", "'")


def test_errors_are_one_line(tmp_path: Path) -> None:
    result = _run(str(tmp_path / "missing"))
    assert result.exit_code == 2
    assert "no such file" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _run(str(empty))
    assert result.exit_code == 2 and "no readable articles" in result.output
    result = _run(str(empty), "--out", str(tmp_path / "x.txt"))
    assert result.exit_code == 2 and ".csv or .jsonl" in result.output


def test_interrupted_write_leaves_old_file_and_no_temp(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "pairs.csv"
    target.write_text("old\n", encoding="utf-8")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("os.fsync", interrupted)
    try:
        write_atomic(target, "a,b\nnew,row\n")
    except KeyboardInterrupt:
        pass
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["pairs.csv"]


def test_killed_run_leaves_no_corrupt_output(tmp_path: Path) -> None:
    """SIGKILL mid-run: the output is either the previous file or a complete new one."""
    import os
    import signal
    import subprocess
    import sys
    import time

    corpus = tmp_path / "big.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for k in range(3000):
            words = " ".join(f"w{(k * 7 + j * 13) % 5000}" for j in range(120))
            fh.write(json.dumps({"id": str(k), "text": f"Story {k}. {words}. The end of story {k}."}) + "\n")
    out = tmp_path / "pairs.csv"
    out.write_text("previous\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "scorer.cli", "provenance", str(corpus), "--quiet",
                             "--workers", "1", "--out", str(out), "--overwrite"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    content = out.read_text(encoding="utf-8")
    assert content == "previous\n" or content.startswith("a,b,kind,")
