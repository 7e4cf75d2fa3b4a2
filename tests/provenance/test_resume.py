"""``scorer provenance --out FILE --resume``: an interrupted run keeps its finished work.

The real command is killed (SIGKILL, SIGINT) once its work journal holds finished
sketches, then resumed; the final outputs must equal those of an uninterrupted run,
with each pair once, and the journal must be gone. In-process tests check that a
resumed run does not redo finished alignments and that a foreign journal is refused.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from _corpora import write_planted_copies

from scorer.errors import InputError
from scorer.paths import REPO
from scorer.provenance.journal import Journal, corpus_digest, journal_path

#: Originals and verbatim copies (plus an added sentence) in the generated corpus.
N_ORIG, N_COPIES = 1200, 400


def write_corpus(path: Path, n_orig: int = N_ORIG, n_copies: int = N_COPIES) -> None:
    """Articles of random pseudo-words (no third-party text) with planted copies."""
    write_planted_copies(path, n_orig, n_copies)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _cmd(corpus: Path, out: Path, *extra: str, option: str = "--out") -> list[str]:
    return [sys.executable, "-m", "scorer.cli", "provenance", str(corpus), option, str(out), "--quiet",
            "--max-pairs", "0", *extra]


def run(corpus: Path, out: Path, *extra: str, option: str = "--out") -> subprocess.CompletedProcess:
    """Run the command to completion (``option``: which output ``out`` is)."""
    result = subprocess.run(_cmd(corpus, out, *extra, option=option), cwd=str(REPO), env=_env(), capture_output=True, text=True,
                            timeout=120)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    return result


def interrupt(corpus: Path, out: Path, sig: int, min_lines: int = 20, option: str = "--out") -> tuple[int, str]:
    """Start the command, send ``sig`` once its journal holds ``min_lines`` lines; (exit status, stderr)."""
    journal = journal_path(out)
    proc = subprocess.Popen(_cmd(corpus, out, "--workers", "1", option=option), cwd=str(REPO), env=_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if journal.exists() and journal.read_bytes().count(b"\n") >= min_lines:
            break
        time.sleep(0.005)
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
    _, err = proc.communicate(timeout=30)
    return proc.returncode, err.decode("utf-8", "replace")


def journal_records(path: Path) -> list[dict]:
    """Complete lines of a journal (a half-written last line after SIGKILL is left out)."""
    data = path.read_bytes()
    return [json.loads(line) for line in data[: data.rfind(b"\n") + 1].splitlines()]


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """The corpus and the pairs table of an uninterrupted run."""
    folder = tmp_path_factory.mktemp("resume")
    corpus, out = folder / "corpus.jsonl", folder / "pairs.csv"
    write_corpus(corpus)
    result = run(corpus, out)
    assert result.returncode == 0, result.stderr[-2000:]
    assert not journal_path(out).exists(), "a completed run leaves no journal"
    table = out.read_bytes()
    assert table.count(b"\ncopy-") + table.count(b"\norig-") >= N_COPIES  # the planted copies are found
    return corpus, table


def _pairs(table: bytes) -> list[tuple[str, str]]:
    import csv
    import io

    return [(r["a"], r["b"]) for r in csv.DictReader(io.StringIO(table.decode("utf-8"), newline=""))]


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_killed_run_resumes_to_the_uninterrupted_result(baseline: tuple[Path, bytes], tmp_path: Path,
                                                        sig: int) -> None:
    corpus, expected = baseline
    out = tmp_path / "pairs.csv"
    journal = journal_path(out)
    code, err = interrupt(corpus, out, sig)
    assert code == (-signal.SIGKILL if sig == signal.SIGKILL else 130), f"exit {code}: {err[-2000:]}"
    assert not out.exists(), "an interrupted run wrote a partial pairs table"
    records = journal_records(journal)
    assert records[0]["journal"].startswith("scorer-provenance-journal")
    kept = [r["sketch"] for r in records if "sketch" in r]
    assert 0 < len(kept) < N_ORIG + N_COPIES or any("candidates" in r for r in records)
    if sig == signal.SIGINT:
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("scorer: interrupted;") and "--resume" in lines[0], err
        assert f"; {len(kept)} sketched articles and 0 finished pairs kept in {journal}" in lines[0], err
        assert journal.read_bytes().endswith(b"\n"), "an orderly stop leaves only complete lines"
    else:  # a kill mid-write leaves half a line: resume must drop it, not choke on it
        with open(journal, "ab") as fh:
            fh.write(b'{"sketch": "orig-0000", "keys": "AAA')

    result = run(corpus, out, "--resume")
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"{len(kept)} sketched articles" in result.stderr, result.stderr
    table = out.read_bytes()
    assert table == expected, "the resumed run differs from an uninterrupted one"
    keys = _pairs(table)
    assert len(keys) == len(set(keys))
    assert not journal.exists(), "the journal is removed once the outputs are written"


def test_rerun_without_resume_starts_afresh_and_says_so(baseline: tuple[Path, bytes], tmp_path: Path) -> None:
    corpus, expected = baseline
    out = tmp_path / "pairs.jsonl"
    journal = journal_path(out)
    journal.write_text('{"journal": "scorer-provenance-journal/1", "digest": "x"}\n', encoding="utf-8")
    result = run(corpus, out)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "starting afresh" in result.stderr and str(journal) in result.stderr
    assert not journal.exists()
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted((r["a"], r["b"]) for r in rows if "a" in r) == sorted(_pairs(expected))


def test_resume_refuses_a_journal_of_another_corpus(baseline: tuple[Path, bytes], tmp_path: Path) -> None:
    corpus, _ = baseline
    other = tmp_path / "other.jsonl"
    other.write_text(corpus.read_text(encoding="utf-8").replace("orig-0001", "orig-X001", 1), encoding="utf-8")
    out = tmp_path / "pairs.csv"
    journal = journal_path(out)
    code, _ = interrupt(corpus, out, signal.SIGKILL)
    assert code == -signal.SIGKILL
    before = journal.read_bytes()
    result = run(other, out, "--resume")
    assert result.returncode == 2
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and str(journal) in lines[0] and "another corpus" in lines[0], result.stderr
    assert journal.read_bytes() == before, "a refused journal is left as it was"
    assert not out.exists()


# ---------------------------------------------------------------- in process


def _articles(texts: dict[str, str]) -> list:
    from scorer.article import Article

    return [Article(id=k, text=v) for k, v in texts.items()]


def _header(arts: list) -> dict:
    digest, n = corpus_digest((a.id, a.text) for a in arts)
    return {"scorer": "test", "corpus": "mem", "articles": n, "digest": digest}


def test_resume_does_not_align_finished_pairs_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Interrupted after some alignments: the resumed run aligns only the rest, with the same report."""
    import scorer.provenance as prov

    corpus = tmp_path / "c.jsonl"
    write_corpus(corpus, 60, 30)
    arts = _articles({r["id"]: r["text"] for r in map(json.loads, corpus.read_text(encoding="utf-8").splitlines())})
    expected = prov.find_reuse(arts)
    assert len(expected.pairs) >= 30

    real_align, calls = prov.align, []

    def counting_align(a, b):
        calls.append((a.id, b.id))
        if len(calls) > 27 and stop:
            raise KeyboardInterrupt
        return real_align(a, b)

    monkeypatch.setattr(prov, "align", counting_align)
    path = tmp_path / "j.partial.jsonl"
    stop = True
    journal = Journal.start(path, _header(arts))
    with pytest.raises(KeyboardInterrupt):
        prov.find_reuse(arts, checkpoint=journal)
    journal.close()
    finished = journal.n_pairs
    assert finished == 25  # the first chunk of alignments is kept; the interrupted one is not

    stop, calls[:] = False, []
    resumed = Journal.resume(path, _header(arts))
    assert len(resumed.sketches) == len(arts) and resumed.candidates is not None
    assert len(resumed.aligned) == finished
    report = prov.find_reuse(arts, checkpoint=resumed)
    resumed.remove()
    assert not set(calls) & set(resumed.aligned), "finished pairs were aligned again"
    assert len(calls) == report.n_candidates - finished
    assert [(p.a, p.b, p.kind, p.a_share, p.passages) for p in report.pairs] == \
        [(p.a, p.b, p.kind, p.a_share, p.passages) for p in expected.pairs]
    assert not path.exists()


def test_journal_round_trips_sketches_and_alignments(tmp_path: Path, texts: dict[str, str]) -> None:
    from scorer.provenance import article_detail
    from scorer.provenance.align import align
    from scorer.provenance.fingerprint import sketch

    arts = _articles(texts)
    path = tmp_path / "j.jsonl"
    journal = Journal.start(path, _header(arts))
    sk = sketch("source", texts["source"])
    al = align(article_detail("source", texts["source"]), article_detail("spun", texts["spun"]))
    assert al.kind == "paraphrase" and al.passages
    journal.add_sketch(sk)
    journal.add_aligned([("source", "spun"), ("source", "other")], [al])
    journal.close()
    back = Journal.resume(path, _header(arts))
    got = back.sketches["source"]
    assert (got.keys == sk.keys).all() and (got.minhash == sk.minhash).all() and got.n_bigrams == sk.n_bigrams
    assert got.keys.dtype == sk.keys.dtype and got.minhash.dtype == sk.minhash.dtype
    assert back.aligned[("source", "spun")] == al and back.aligned[("source", "other")] is None
    back.close()


@pytest.mark.parametrize("content, problem", [
    ("", "empty or unreadable"),
    ('{"id": "x", "text": "a corpus, not a journal"}\n', "not a scorer provenance work journal"),
    ('{"journal": "scorer-provenance-journal/1", "scorer": "test", "corpus": "mem", "articles": 1, '
     '"digest": "0"}\n', "another corpus"),
])
def test_resume_refuses_what_is_not_this_corpus_journal(tmp_path: Path, texts: dict[str, str], content: str,
                                                        problem: str) -> None:
    path = tmp_path / "j.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=problem) as err:
        Journal.resume(path, _header(_articles(texts)))
    assert str(path) in str(err.value)
    assert path.read_text(encoding="utf-8") == content


def test_resume_needs_an_output(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from scorer.cli import main

    corpus = tmp_path / "c.jsonl"
    write_corpus(corpus, 3, 1)
    result = CliRunner().invoke(main, ["provenance", str(corpus), "--resume", "--quiet"])
    assert result.exit_code == 2 and "--resume" in result.output and "needs --out" in result.output, result.output


def test_html_only_run_keeps_its_journal_next_to_the_report(baseline: tuple[Path, bytes], tmp_path: Path) -> None:
    corpus, _ = baseline
    html = tmp_path / "r.html"
    journal = journal_path(html)
    code, _ = interrupt(corpus, html, signal.SIGKILL, option="--html")
    assert code == -signal.SIGKILL and journal.exists() and not html.exists()
    result = run(corpus, html, "--resume", option="--html")
    assert result.returncode == 0 and "scorer: resuming from" in result.stderr, result.stderr
    assert html.read_text(encoding="utf-8").count("copy-0399") >= 1 and not journal.exists()
