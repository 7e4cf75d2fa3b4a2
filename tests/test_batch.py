"""score_corpus: rows as produced, failures recorded, resume without duplicates, metrics, kill safety."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scorer.batch import label_value, metrics, read_labels, score_corpus
from scorer.errors import InputError

GOOD = ("The health minister said on Tuesday that the trial involved 4,000 patients. "
        "\"The results are clear,\" said Dr Ana Ruiz, who led the study at Oxford University.")
BAD = "You won't believe this miracle cure! Some say it may reverse ageing, allegedly, insiders claim."


def write_corpus(path: Path, n: int = 12, broken: bool = True) -> Path:
    lines = []
    for i in range(n):
        rec = {"id": f"a{i}", "text": (GOOD if i % 2 else BAD) + f" Item {i}.", "label": "reliable" if i % 2 else "unreliable",
               "domain": f"outlet{i % 3}.com"}
        lines.append(json.dumps(rec))
    if broken:
        lines.insert(3, "{not json")
        lines.insert(5, json.dumps({"id": "notext", "text": ""}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_jsonl_rows_failures_and_metrics(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl")
    out = tmp_path / "preds.jsonl"
    run = score_corpus(corpus, out)
    ids = _ids(out)
    assert len(ids) == len(set(ids)) == 14
    assert run.scored == 12 and run.failed == 2
    errors = [r for r in run.rows if r["error"]]
    assert any("invalid JSON" in r["error"] for r in errors)
    assert any("no text" in r["error"] for r in errors)
    ok = [r for r in run.rows if not r["error"]]
    assert all(0 < r["score"] < 1 and r["top"] for r in ok)
    assert run.metrics["n"] == 12 and set(run.metrics) >= {"auc", "accuracy", "macro_f1", "brier", "confusion", "per_outlet"}
    assert {o["outlet"] for o in run.metrics["per_outlet"]} == {"outlet0.com", "outlet1.com", "outlet2.com"}
    assert json.loads(run.metrics_path.read_text())["n"] == 12


def test_resume_skips_written_ids_and_repairs_a_torn_line(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl", broken=False)
    out = tmp_path / "preds.jsonl"
    score_corpus(corpus, out)
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(lines[:5]) + lines[5][: len(lines[5]) // 2], encoding="utf-8")  # killed mid-write
    run = score_corpus(corpus, out, resume=True)
    assert run.skipped == 5 and run.scored == 7
    ids = _ids(out)
    assert sorted(ids) == sorted(f"a{i}" for i in range(12))


def test_csv_resume_with_formula_like_ids_writes_no_duplicates(tmp_path: Path) -> None:
    text = "The minister said on Tuesday that the plan would go ahead, according to two aides. " * 8
    corpus = tmp_path / "c.jsonl"
    ids = ["=1+1", "@cmd", "-x", "'q", "plain"]
    corpus.write_text("".join(json.dumps({"id": i, "text": text, "title": "=HYPERLINK(1)"}) + "\n" for i in ids))
    out = tmp_path / "p.csv"
    score_corpus(corpus, out)
    body = out.read_text(encoding="utf-8")
    assert "\n=" not in body and ",=" not in body and "\n@" not in body
    again = score_corpus(corpus, out, resume=True)
    assert again.scored == 0 and again.skipped == len(ids)
    assert len(body.splitlines()) == len(ids) + 1


def test_csv_output_and_labels_file(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl", broken=False)
    labels = tmp_path / "labels.csv"
    labels.write_text("id,label\n" + "".join(f"a{i},{'reliable' if i < 6 else 'unreliable'}\n" for i in range(12)))
    out = tmp_path / "p.csv"
    run = score_corpus(corpus, out, labels=labels, jobs=2)
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert header == "id,score,weights,label,outlet,title,url,top_features,error"
    assert run.metrics["n_reliable"] == 6
    again = score_corpus(corpus, out, labels=labels, resume=True)
    assert again.scored == 0 and again.skipped == 12
    assert len(out.read_text(encoding="utf-8").splitlines()) == 13


def test_html_report_is_escaped(tmp_path: Path) -> None:
    evil = {"id": "<script>alert(1)</script>", "title": "<img src=x onerror=alert(2)>",
            "text": GOOD + " <script>alert(3)</script> <b onmouseover=alert(4)>x</b>", "url": "javascript:alert(5)"}
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps(evil) + "\n", encoding="utf-8")
    out = tmp_path / "r.html"
    score_corpus(corpus, out)
    html = out.read_text(encoding="utf-8")
    assert html.count("<script>") == 1 and "<script>alert" not in html  # only the page's own sorting script
    assert "<img" not in html and "<b onmouseover" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html


def test_bad_inputs_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        score_corpus(tmp_path / "missing.jsonl")
    corpus = write_corpus(tmp_path / "c.jsonl")
    with pytest.raises(InputError, match="must end in"):
        score_corpus(corpus, tmp_path / "out.txt")
    bad = tmp_path / "l.csv"
    bad.write_text("name,value\n")
    with pytest.raises(InputError, match="id and label"):
        read_labels(bad)


def test_label_values_and_metrics_without_labels() -> None:
    assert label_value("Reliable") == 1 and label_value("fake") == 0 and label_value("satire") is None
    assert metrics([{"score": 0.4, "label": None}]) is None


def _batch_running(tmp_path: Path, stderr: int) -> tuple[subprocess.Popen, list[str], Path]:
    """A `scorer batch` of 3,000 articles started in a subprocess, once it has written some rows."""
    corpus = write_corpus(tmp_path / "c.jsonl", n=3000, broken=False)
    out = tmp_path / "preds.jsonl"
    cmd = [sys.executable, "-c", "from scorer.cli import main; main()", "batch", str(corpus), "--out", str(out), "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = time.time() + 60
    while time.time() < deadline and (not out.exists() or out.stat().st_size < 2000):
        time.sleep(0.05)
    return proc, cmd, out


def test_sigkill_mid_run_loses_nothing_and_resume_completes(tmp_path: Path) -> None:
    proc, cmd, out = _batch_running(tmp_path, subprocess.DEVNULL)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = out.read_text(encoding="utf-8").splitlines()
    assert 0 < len(partial) < 3000, "the run should have been killed mid-way"
    for line in partial[:-1]:
        json.loads(line)  # every finished row is intact
    subprocess.run(cmd + ["--resume"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ids = _ids(out)
    assert len(ids) == len(set(ids)) == 3000


def test_sigint_stops_cleanly(tmp_path: Path) -> None:
    proc, _, out = _batch_running(tmp_path, subprocess.PIPE)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert b"Traceback" not in err
    text = out.read_text(encoding="utf-8")
    assert text.endswith("\n")
    ids = _ids(out)
    assert len(ids) == len(set(ids)) > 0


def test_reuse_across_the_corpus_is_written_beside_the_scores(tmp_path: Path, seeds) -> None:
    out = tmp_path / "p.csv"
    run = score_corpus(seeds[0].parent, out, reuse=True)
    assert run.scored == len(seeds)
    assert run.reuse and all(r["id"] in {s.stem for s in seeds} for r in run.reuse)
    text = run.reuse_path.read_text(encoding="utf-8")
    assert text.startswith("id,") and "provenance_reused_share" in text.splitlines()[0]
    assert any("paraphrase" in r["reuse"] or "copied" in r["reuse"] or "verbatim" in r["reuse"] for r in run.reuse)


def test_labels_file_encodings_and_unknown_values(tmp_path: Path) -> None:
    legacy = tmp_path / "l.csv"
    legacy.write_bytes("id,label\na,reliable\nb,fake\n".encode("cp1252"))
    assert read_labels(legacy) == {"a": "reliable", "b": "fake"}
    odd = tmp_path / "o.csv"
    odd.write_bytes("id,label\na,r\xe9liable\n".encode("cp1252"))
    with pytest.raises(InputError, match="unknown label"):
        read_labels(odd)
    binary = tmp_path / "b.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match="binary"):
        read_labels(binary)


def test_reuse_enters_the_scores_of_a_corpus_with_a_planted_copy(tmp_path: Path, seeds) -> None:
    original = seeds[0].read_text(encoding="utf-8")
    other = seeds[1].read_text(encoding="utf-8")
    recs = [{"id": "orig", "text": original, "date": "2020-01-01", "domain": "first.com"},
            {"id": "copy", "text": original, "date": "2020-01-03", "domain": "second.com"},
            {"id": "other", "text": other, "date": "2020-01-02", "domain": "third.com"}]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    run = score_corpus(corpus, reuse=True, top=500)
    rows = {r["id"]: r for r in run.rows}
    copy = {t["feature"]: t for t in rows["copy"]["top"]}
    assert "provenance_reused_share" not in copy  # symmetric: left out of the model (see docs/model.md)
    assert "provenance_is_derived" not in copy  # free direction: not weighted (model_features.json)
    assert copy["provenance_undisclosed_reuse"]["value"] == 1.0
    assert "orig" in copy["provenance_undisclosed_reuse"]["evidence"]
    assert all(not t["value"] for t in rows["other"]["top"] if t["feature"].startswith("provenance_"))
    alone = {t["feature"]: t for t in score_corpus(corpus, top=500).rows[1]["top"]}
    assert not any(alone[n]["value"] for n in alone if n.startswith("provenance_"))
