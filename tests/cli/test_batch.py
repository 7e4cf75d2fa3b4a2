"""scorer batch: output file, failures on stderr, metrics printed with labels."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from scorer.cli import main

TEXT = "The minister said on Tuesday that the plan would go ahead, officials confirmed. It may cost more."


def _corpus(tmp_path: Path) -> Path:
    recs = [{"id": f"r{i}", "text": TEXT + " x" * i, "label": "reliable" if i % 2 else "unreliable", "domain": "a.com"}
            for i in range(6)]
    p = tmp_path / "c.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in recs) + "\n{bad\n", encoding="utf-8")
    return p


def test_batch_writes_rows_prints_metrics_and_failures(tmp_path: Path) -> None:
    out = tmp_path / "p.jsonl"
    res = CliRunner().invoke(main, ["batch", str(_corpus(tmp_path)), "--out", str(out), "--no-progress"])
    assert res.exit_code == 3, res.output  # finished, but one row failed
    assert len(out.read_text().splitlines()) == 7
    assert "accuracy" in res.stdout and "per outlet" in res.stdout
    assert "failed: " in res.stderr and "invalid JSON" in res.stderr


def test_batch_without_out_prints_a_table_and_resume_needs_out(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    res = CliRunner().invoke(main, ["batch", str(corpus), "--no-progress"])
    assert res.exit_code == 3  # the broken line is a failed row
    assert "r0" in res.stdout and "r5" in res.stdout
    res = CliRunner().invoke(main, ["batch", str(corpus), "--resume"])
    assert res.exit_code != 0


def test_missing_corpus_is_one_line(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["batch", str(tmp_path / "nope.jsonl")])
    assert res.exit_code == 2
    assert res.stderr.startswith("scorer: error:") and "nope.jsonl" in res.stderr


def test_records_are_cleaned_unless_no_clean(tmp_path: Path) -> None:
    """Page furniture in a record's text is removed by default; --no-clean scores the text as given."""
    body = ("The mayor said on Monday that the bridge would reopen in May, according to a statement.\n\n"
            "Advertisement\n\nShare this article\n\nSkip to main content\n\n" * 6)
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": body}) + "\n", encoding="utf-8")
    scores = []
    for extra in ([], ["--no-clean"]):
        out = tmp_path / f"o{len(extra)}.jsonl"
        res = CliRunner().invoke(main, ["batch", str(corpus), "--out", str(out), "--no-progress", *extra])
        assert res.exit_code == 0, res.output
        scores.append(json.loads(out.read_text().splitlines()[0])["score"])
    assert scores[0] != scores[1]
