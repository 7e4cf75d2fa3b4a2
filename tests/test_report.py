"""Report writers: escaped HTML, one-line CSV rows, atomic files, terminal tables."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from scorer.report import (atomic_write_text, batch_html, csv_line, esc, format_result, format_table, jsonl_line,
                           metrics_text, write_csv, write_json)
from scorer.scoring import score

HOSTILE = '<script>alert("x")</script><img src=x onerror="alert(1)">'


def test_esc_escapes_everything() -> None:
    assert esc(HOSTILE) == html_escaped(HOSTILE)


def html_escaped(s: str) -> str:
    import html

    return html.escape(s, quote=True)


def test_batch_html_escapes_rows_metrics_and_refuses_script_urls() -> None:
    rows = [{"id": HOSTILE, "outlet": HOSTILE, "title": HOSTILE, "url": "javascript:alert(1)", "score": 0.5,
             "label": HOSTILE, "top": [{"feature": HOSTILE, "contribution": 0.1}], "error": HOSTILE}]
    metrics = {"n": 1, "auc": None, "confusion": [[0, 1], [0, 0]],
               "per_outlet": [{"outlet": HOSTILE, "n": 1, "auc": None}]}
    page = batch_html(rows, metrics, title=HOSTILE)
    assert page.count("<script>") == 1 and "<script>alert" not in page and "<img" not in page  # only the page's own sorting script
    assert 'href="javascript' not in page
    assert "Content-Security-Policy" in page


def test_result_html_escapes_article_text() -> None:
    r = score("Officials said the plan <script>alert(1)</script> would work. It may fail, analysts said.")
    page = r._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_csv_line_keeps_one_row_per_record() -> None:
    line = csv_line({"id": "a", "error": "line one\nline two", "top": [1, 2]}, ["id", "error", "top"])
    assert line.count("\n") == 1
    assert next(csv.reader(io.StringIO(line))) == ["a", "line one line two", "[1, 2]"]
    assert jsonl_line({"t": "a\nb"}).count("\n") == 1


def test_atomic_writers(tmp_path: Path) -> None:
    p = atomic_write_text(tmp_path / "sub" / "x.txt", "hello")
    assert p.read_text() == "hello"
    assert [f.name for f in p.parent.iterdir()] == ["x.txt"]
    write_json({"a": 1}, tmp_path / "a.json")
    assert json.loads((tmp_path / "a.json").read_text()) == {"a": 1}
    write_csv([{"id": 1, "v": "x"}], ["id", "v"], tmp_path / "a.csv")
    assert (tmp_path / "a.csv").read_text().splitlines() == ["id,v", "1,x"]


def test_terminal_formats(seeds) -> None:
    t = format_table([{"name": "a", "n": 3, "x": 0.12345}], ["name", "n", "x"])
    assert t.splitlines()[2].split() == ["a", "3", "0.123"]
    r = score(seeds[0])
    text = format_result(r, source=str(seeds[0]))
    assert str(seeds[0]) in text and "log-odds" in text and f"{r.score:.3f}" in text
    m = metrics_text({"n": 2, "auc": 0.5, "confusion": [[1, 0], [0, 1]], "per_outlet": [{"outlet": "a", "n": 2}]})
    assert "auc" in m and "per outlet" in m


def test_csv_cells_cannot_run_as_spreadsheet_formulas_and_read_back_exactly() -> None:
    from scorer.report import csv_value

    hostile = ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "'quoted", "plain", "a=b"]
    line = csv_line({"id": v for v in hostile[:1]} | {"t": "@SUM(A1)"}, ["id", "t"])
    cells = next(csv.reader(io.StringIO(line)))
    assert cells == ["'=HYPERLINK(\"http://x\")", "'@SUM(A1)"]
    for v in hostile:
        cell = next(csv.reader(io.StringIO(csv_line({"v": v}, ["v"]))))[0]
        assert not cell.startswith(("=", "+", "-", "@", "\t"))
        assert csv_value(cell) == v
    assert csv_line({"s": -0.5}, ["s"]) == "-0.5\n"  # numbers are not text cells
