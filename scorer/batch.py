"""Score a whole corpus: parallel, resumable, never losing a finished row.

``score_corpus(corpus, out=...)`` reads a directory, ``.jsonl`` or ``.csv``
corpus, scores every article (read, analyse, score, explain) in ``jobs``
worker processes, and appends each result to ``out`` as soon as it is
produced, flushing after every row. So:

* an interrupted run (Ctrl-C, SIGKILL, power cut after the flush) keeps every
  finished row; a half-written last line is cut off when the run resumes;
* ``resume=True`` skips ids already in ``out`` and appends the rest, so the
  file ends with each article exactly once;
* an article that fails (unreadable record, analysis error) becomes a row
  with its ``error`` and the run goes on; an error row's id names the corpus
  by its name, not the path as typed, so ``--resume`` recognises it;
* one run writes ``out`` at a time (:class:`scorer.outputs.OutputLock`), an
  ``out`` that holds rows is only continued (``resume``) or replaced
  (``overwrite``), and ``out`` may not lie inside a directory corpus;
* worker processes exit within a second when the main process dies, even by
  ``kill -9`` (:func:`_watch_parent`).

``.jsonl`` and ``.csv`` outputs are the journal themselves; for ``.html`` the
rows stream to ``<out>.rows.jsonl`` and the report is rendered (atomically)
at the end. With labels (a ``label`` field in the corpus, or ``labels`` = a CSV
keyed by ``id``), metrics are computed over every row in the output and
written to ``<out>.metrics.json``.

Parallelism uses joblib, so a cluster backend needs no code change::

    from joblib import parallel_config
    with parallel_config(backend="dask"):      # after creating a dask.distributed Client
        score_corpus("corpus.jsonl", out="preds.jsonl", jobs=-1)

(``backend="ray"`` after ``ray.util.joblib.register_ray()`` works the same way.)

Length: about 670 lines, one job (a resumable, parallel corpus run); worker management and reuse lookup could move to modules of their own (not yet done).
"""

from __future__ import annotations

import csv
import io
import json
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import numpy as np

from scorer.article import Article, read_corpus
from scorer.errors import InputError
from scorer.labels import RELIABLE_LABELS, UNRELIABLE_LABELS, label_value  # noqa: F401  (part of this API)
from scorer.outputs import (LineJournal, OutputLock, complete_length, csv_line, csv_value,
                            jsonl_line, one_line, refuse_to_replace, terminal_safe, write_csv, write_json)

#: Columns of a CSV output.
CSV_COLUMNS = ["id", "score", "weights", "label", "outlet", "title", "url", "top_features", "error"]
#: Label spellings understood as reliable (1) and unreliable (0); anything else is unlabelled.
#: Articles per task sent to a worker (amortises inter-process overhead).
CHUNK = 64


@dataclass
class BatchRun:
    """What a batch run did: counts, every row in the output, and metrics when labels were known."""

    out: Path | None
    scored: int = 0
    failed: int = 0
    skipped: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)
    metrics: dict[str, Any] | None = None
    metrics_path: Path | None = None
    #: Files of a directory corpus not read, counted by reason (their suffix).
    not_read: dict[str, int] = field(default_factory=dict)
    #: Ids met a second time in this corpus (the later articles are not scored).
    duplicates: list[str] = field(default_factory=list)
    #: Per-article provenance (reuse across this corpus), when asked for with ``reuse=True``.
    reuse: list[dict[str, Any]] | None = None
    reuse_path: Path | None = None


# ---------------------------------------------------------------- rows




def error_row(rid: str, error: str, label: Any = None, outlet: str | None = None) -> dict[str, Any]:
    """The row recorded for an article that could not be scored."""
    return {"id": rid, "score": None, "weights": None, "label": label, "outlet": outlet, "title": None, "url": None,
            "top": [], "error": " ".join(str(error).split())}


def score_row(article: Article, model: str | None, top: int = 5, reuse: dict[str, float] | None = None,
              reuse_evidence: str | None = None) -> dict[str, Any]:
    """Read-analyse-score-explain one article into an output row (errors become the row's error).

    ``reuse`` holds the article's provenance feature values from reuse found
    across its corpus (absent: zeros, as for an article scored alone), and
    ``reuse_evidence`` the reused passage and the other article they point to.
    """
    from scorer.features import features_of
    from scorer.linear import DEFAULT_MODEL
    from scorer.pipeline import analyse
    from scorer.scoring import resolve_model, score_features

    outlet = outlet_of(article)
    try:
        pipe, _ = resolve_model(model)  # exported parameters when the file has them: no scikit-learn in workers
        analysis = analyse(article)
        feats = features_of(analysis)
        feats.update(reuse or {})
        result = score_features(article.id, feats, pipe, analysis=analysis,
                                model_name=Path(model).name if model else DEFAULT_MODEL.name)
        tops = []
        if top:
            from scorer.features import evidence_of

            best = result.top(top)
            evidence = evidence_of(analysis, [name for name, _ in best])
            for name, c in best:
                ev = evidence.get(name) or []
                text = " ".join(ev[0].text.split())[:300] if ev else None
                if name.startswith("provenance_") and reuse_evidence and feats.get(name):
                    text = reuse_evidence
                tops.append({"feature": name, "value": feats.get(name), "contribution": round(c, 4),
                             "evidence": text})
    except InputError as err:
        return error_row(article.id, str(err), article.label, outlet)
    except Exception as exc:  # one bad article must not stop a corpus run
        return error_row(article.id, f"{type(exc).__name__}: {exc}", article.label, outlet)
    return {"id": article.id, "score": round(result.score, 6) if result.score is not None else None,
            "weights": result.domain, "label": article.label, "outlet": outlet, "title": article.title, "url": article.url,
            "top": tops, "error": None}


def outlet_of(article: Article) -> str | None:
    """The outlet a row is grouped by: the corpus's own ``outlet`` field, else the web domain, else the outlet read."""
    if article.extra.get("outlet") not in (None, "") and article.outlet:
        return article.outlet
    return article.domain or article.outlet


def _score_chunk(articles: list[Article], model: str | None, top: int,
                 reuse: dict[str, tuple[dict[str, float], str]] | None = None,
                 parent: int | None = None) -> list[dict[str, Any]]:
    """Rows for a chunk of articles; in a worker process, first make sure it dies with ``parent``."""
    _watch_parent(parent)
    reuse = reuse or {}
    return [score_row(a, model, top, *reuse.get(a.id, (None, None))) for a in articles]


#: The run's main process a worker watches (set once per worker process).
_WATCHED: int | None = None
#: Seconds between a worker's checks that the main process is still there.
WATCH_SECONDS = 0.5


def _watch_parent(parent: int | None) -> None:
    """In a worker process started by the run's main process ``parent``: exit as soon as that process is gone.

    A ``kill -9`` of ``scorer batch`` leaves its pool workers reparented and
    scoring on for minutes; a daemon thread checking ``getppid()`` ends them
    within a second, on every POSIX system. Workers not started by ``parent``
    (a Dask or Ray cluster's) are left alone.
    """
    global _WATCHED
    if parent is None or _WATCHED == parent or os.getpid() == parent or os.getppid() != parent:
        return
    _WATCHED = parent

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_SECONDS)
        os._exit(1)  # the parent died: nothing this worker computes can be written any more

    threading.Thread(target=watch, name="scorer-parent-watch", daemon=True).start()


def _chunk_reuse(chunk: list[Article], reuse: dict[str, tuple[dict[str, float], str]] | None
                 ) -> dict[str, tuple[dict[str, float], str]] | None:
    """The part of the corpus reuse a chunk needs (so workers do not receive all of it)."""
    if not reuse:
        return None
    return {a.id: reuse[a.id] for a in chunk if a.id in reuse}


def _top_features_text(top: list[dict[str, Any]]) -> str:
    return "; ".join(f"{t['feature']}:{t['contribution']:+.3f}" for t in top if t.get("contribution") is not None)


# ---------------------------------------------------------------- output journal


def id_key(rid: Any) -> str:
    """An id as it survives every output format (CSV cells hold one line, no controls): matched on resume."""
    return one_line(rid)


class Journal:
    """The rows of a batch output (JSONL or CSV): a :class:`~scorer.outputs.LineJournal`, one flushed row per line.

    Started afresh, or (``resume``) checked to be a scorer output, its
    half-written last line cut, and its ids loaded so they are not scored again.
    """

    def __init__(self, path: Path, fmt: str, resume: bool) -> None:
        self.path, self.fmt = path, fmt
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(path, f"cannot write: {exc.strerror or exc}") from None
        if resume and path.exists():
            self._check_ours()
            self.lines = LineJournal.reopen(path)
        else:
            self.lines = LineJournal.start(path)
        self.done = {id_key(r.get("id")) for r in self.rows()}
        if fmt == "csv" and path.stat().st_size == 0:
            self.lines.append([_csv_line(dict(zip(CSV_COLUMNS, CSV_COLUMNS))).rstrip("\n")])

    def _check_ours(self) -> None:
        """Refuse to append to a file this tool did not write (a labels file named as --out by mistake)."""
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise InputError(self.path, f"cannot read: {exc.strerror or exc}") from None
        complete = data[: complete_length(data)].decode("utf-8", errors="replace")
        if not complete.strip():
            return
        if self.fmt == "csv":
            header = complete.splitlines()[0]
            if header != ",".join(CSV_COLUMNS):
                raise InputError(self.path, f"not a scorer batch output (header {header[:60]!r}); refusing to resume into it")
            return
        for n, line in enumerate(complete.split("\n"), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                rec = None
            if not isinstance(rec, dict) or "id" not in rec:
                raise InputError(self.path, f"line {n} is not a scorer batch row; refusing to resume into it")

    def rows(self) -> Iterator[dict[str, Any]]:
        """Every complete row in the file, as dicts (CSV values as strings; blank -> None)."""
        if not self.path.exists():
            return
        with open(self.path, encoding="utf-8", newline="") as fh:
            if self.fmt == "csv":
                for rec in csv.DictReader(fh):
                    yield {k: (csv_value(v) if v != "" else None) for k, v in rec.items()}
            else:
                for line in fh:
                    line = line.strip()
                    if not line:
                        continue
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError:
                        continue

    def write(self, rows: list[dict[str, Any]]) -> None:
        """Append rows (a finished chunk) in one write and flush them to the operating system."""
        lines = []
        for row in rows:
            if self.fmt == "csv":
                rec = dict(row)
                rec["top_features"] = _top_features_text(row.get("top") or [])
                lines.append(_csv_line(rec)[:-1])
            else:
                lines.append(jsonl_line(row)[:-1])
        self.lines.append(lines)
        self.done.update(id_key(row.get("id")) for row in rows)

    def close(self) -> None:
        """Flush, fsync and close (the rows stay)."""
        self.lines.close()


def _csv_line(rec: dict[str, Any]) -> str:
    return csv_line(rec, CSV_COLUMNS)


def _format_of(out: Path) -> tuple[str, Path]:
    """(format, journal path) for an output path."""
    suffix = out.suffix.lower()
    if suffix == ".jsonl":
        return "jsonl", out
    if suffix == ".csv":
        return "csv", out
    if suffix in (".html", ".htm"):
        return "html", out.with_name(out.name + ".rows.jsonl")
    raise InputError(out, "output must end in .jsonl, .csv or .html")


# ---------------------------------------------------------------- labels and metrics


def read_labels(path: str | os.PathLike[str]) -> dict[str, str]:
    """``id -> label`` from a CSV with ``id`` and ``label`` columns.

    The file may be UTF-8 or a legacy encoding (cp1252); a binary file, a
    missing column or a label that is neither reliable nor unreliable is an
    error naming the file.

    Raises:
        InputError: missing, binary, unreadable, wrong columns or unknown labels.
    """
    from scorer.article import decode_bytes

    p = Path(path)
    if not p.is_file():
        raise InputError(p, "no such labels file")
    try:
        raw = decode_bytes(p.read_bytes(), p)  # binary refused; cp1252 / latin-1 accepted
    except OSError as exc:
        raise InputError(p, f"cannot read: {exc.strerror or exc}") from None
    reader = csv.DictReader(io.StringIO(raw.lstrip("\ufeff"), newline=""))
    cols = reader.fieldnames or []
    if "id" not in cols or "label" not in cols:
        raise InputError(p, f"labels CSV needs columns id and label; found {', '.join(cols) or 'none'}")
    try:
        labels = {str(r["id"]): r["label"] for r in reader if r.get("id")}
    except csv.Error as exc:
        raise InputError(p, f"unreadable CSV ({exc})") from None
    unknown = sorted({str(v) for v in labels.values() if v not in (None, "") and label_value(v) is None})
    if unknown:
        raise InputError(p, f"unknown label(s) {', '.join(map(repr, unknown[:5]))}; "
                            "use reliable/unreliable (or true/false, real/fake, 1/0)")
    return labels


def metrics(rows: Iterable[dict[str, Any]], min_outlet: int = 1) -> dict[str, Any] | None:
    """ROC AUC, accuracy, macro-F1, Brier, confusion matrix and a per-outlet table.

    Only rows with a score and a reliable/unreliable label count. Returns None
    when there are none.
    """
    from sklearn.metrics import accuracy_score, brier_score_loss, confusion_matrix, f1_score, roc_auc_score

    ys, ps, outlets = [], [], []
    for r in rows:
        y = label_value(r.get("label"))
        s = r.get("score")
        if y is None or s is None or s == "":
            continue
        ys.append(y)
        ps.append(float(s))
        outlets.append(r.get("outlet") or "(unknown)")
    if not ys:
        return None
    y, p = np.array(ys), np.array(ps)
    pred = (p >= 0.5).astype(int)
    out: dict[str, Any] = {
        "n": int(len(y)), "n_reliable": int(y.sum()),
        "auc": float(roc_auc_score(y, p)) if len(set(ys)) == 2 else None,
        "accuracy": float(accuracy_score(y, pred)),
        "macro_f1": float(f1_score(y, pred, average="macro", zero_division=0)),
        "brier": float(brier_score_loss(y, p)),
        "confusion": confusion_matrix(y, pred, labels=[0, 1]).tolist(),
    }
    per = []
    outl = np.array(outlets)
    for name in sorted(set(outlets), key=lambda o: (-int((outl == o).sum()), o)):
        m = outl == name
        if m.sum() < min_outlet:
            continue
        yo, po = y[m], p[m]
        per.append({"outlet": name, "n": int(m.sum()), "reliable_share": float(yo.mean()),
                    "mean_score": float(po.mean()), "accuracy": float(((po >= 0.5).astype(int) == yo).mean()),
                    "auc": float(roc_auc_score(yo, po)) if len(set(yo)) == 2 else None})
    out["per_outlet"] = per
    return out


# ---------------------------------------------------------------- reuse across the corpus


def corpus_reuse(corpus: Path, jobs: int = 1, progress: bool = False, index: Any = None,
                 clean_records: bool = True) -> tuple[list[dict[str, Any]], dict[str, tuple[dict[str, float], str]]]:
    """Reuse across the corpus (and against an archive ``index`` when given): the rows of
    :func:`reuse_rows`, and per article with reuse its provenance feature values and an
    evidence line (first reused passage, the other article's id)."""
    from scorer.provenance import article_features, find_reuse
    from scorer.workers import default_workers

    articles = list(read_corpus(corpus, on_error=lambda err: None, clean_records=clean_records))
    report = find_reuse(articles, workers=jobs if jobs > 0 else default_workers(), progress=progress,
                        index=index)
    ids = [a.id for a in articles]
    table = article_features(report, ids)
    texts = {a.id: a.text for a in articles}
    rows = _reuse_rows(report, table, ids)
    values: dict[str, tuple[dict[str, float], str]] = {}
    for row in rows:
        rid = row["id"]
        ev = report.evidence_for(rid)
        passage = ""
        if ev and rid in texts:
            e = ev[0]
            passage = "'" + " ".join(e.span.of(texts[rid]).split())[:200] + "' "
        values[rid] = ({k: float(v) for k, v in table.loc[rid].items()}, (passage + row["reuse"])[:400])
    return rows, values


def reuse_rows(corpus: Path, jobs: int = 1, progress: bool = False) -> list[dict[str, Any]]:
    """Per article with reuse: provenance features and the articles (and outlets) it shares text with."""
    return corpus_reuse(corpus, jobs, progress)[0]


def _reuse_rows(report: Any, table: Any, ids: list[str]) -> list[dict[str, Any]]:
    """One row per article with reuse: its provenance features and who it shares text with."""
    out = []
    for rid in ids:
        pairs = report.pairs_of(rid)
        if not pairs:
            continue
        row: dict[str, Any] = {"id": rid}
        row.update({k: float(v) for k, v in table.loc[rid].items()} if rid in table.index else {})
        shared = []
        for p in pairs:
            other = p.b if p.a == rid else p.a
            meta = report.meta.get(other)
            if p.direction == ("a_from_b" if p.a == rid else "b_from_a"):
                relation = "copied from"
            elif p.direction == ("b_from_a" if p.a == rid else "a_from_b"):
                relation = "copied by"
            else:
                relation = p.direction.replace("_", " ")
            share = p.a_share if p.a == rid else p.b_share
            if meta is not None and meta.archived:  # an archived article: name it fully
                from scorer.archive.scoring import describe

                shared.append(f"{p.kind} {relation} {describe(meta, other)}, {p.a_share if p.a == rid else p.b_share:.0%} "
                              "of this text")
                continue
            shared.append(f"{p.kind} {relation} {other}" + (f" ({meta.outlet})" if meta and meta.outlet else "")
                          + f", {share:.0%} of this text")
        row["reuse"] = "; ".join(shared)
        out.append(row)
    return out


# ---------------------------------------------------------------- the run


def _count(corpus: Path) -> int | None:
    """Number of records, cheaply, for the progress bar (None when unknown)."""
    try:
        if corpus.is_dir():
            from scorer.article import ARTICLE_SUFFIXES

            return sum(1 for f in corpus.rglob("*") if f.suffix.lower() in ARTICLE_SUFFIXES and f.is_file())
        if corpus.suffix.lower() == ".jsonl":
            with open(corpus, "rb") as fh:
                return sum(1 for line in fh if line.strip())
    except OSError:
        return None
    return None


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _corpus_relative(source: str, corpus: Path) -> str:
    """An error's source with the corpus path as typed replaced by the corpus's name.

    ``mixed.jsonl:3`` whether the run was given ``mixed.jsonl``,
    ``./mixed.jsonl`` or ``../p2/mixed.jsonl``, so ``--resume`` recognises the
    error rows it already wrote.
    """
    typed = str(corpus)
    name = corpus.resolve().name or typed
    if source == typed or source.startswith((typed + os.sep, typed + ":", typed + " ")):
        return name + source[len(typed):]
    return source


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` is (or would be created) inside ``folder``."""
    return folder.resolve() in path.resolve().parents


def _check_output(out: Path, corpus: Path) -> None:
    """Refuse an output that is the corpus, or lies in a directory corpus (a later run would read it)."""
    for target in {out, _format_of(out)[1]}:
        if target.exists() and os.path.samefile(target, corpus):
            raise InputError(target, f"is the corpus {corpus} itself; choose another output")
    if corpus.is_dir() and _inside(out, corpus):
        raise InputError(out, f"is inside the corpus directory {corpus} (a later run would read the output as "
                              "articles); write it outside the corpus")


def score_corpus(corpus: str | os.PathLike[str], out: str | os.PathLike[str] | None = None, *,
                 labels: str | os.PathLike[str] | dict[str, str] | None = None, jobs: int = 1,
                 resume: bool = False, overwrite: bool = False, progress: bool = False,
                 model: str | os.PathLike[str] | None = None, top: int = 5, chunk_size: int = CHUNK,
                 reuse: bool = False, index: Any = None, clean_records: bool = True,
                 on_row: Callable[[dict[str, Any]], None] | None = None) -> BatchRun:
    """Score every article of ``corpus``; see the module docstring for guarantees.

    Args:
        corpus: a directory, ``.jsonl`` or ``.csv`` corpus.
        out: output ``.jsonl``, ``.csv`` or ``.html`` (None keeps rows in memory only).
            It is locked for the run (a second run writing it is refused) and
            may not lie inside a directory corpus.
        labels: CSV keyed by ``id`` (or a dict) overriding/adding labels.
        jobs: worker processes (joblib; -1 = all cores).
        resume: skip ids already in ``out`` instead of starting it afresh.
        overwrite: replace an ``out`` that already holds rows (without it, and
            without ``resume``, such an output is refused).
        progress: show a progress bar on stderr.
        model: model file (None: the shipped model).
        top: contributions kept per row.
        reuse: first find text reuse across the corpus (``scorer.provenance``):
            its per-article provenance features enter the scores (without it
            they are 0, as for an article scored alone), the explanation
            shows the reused passage and the other article, and the pairs are
            written to ``<out>.reuse.csv``.
        index: an archive (:class:`scorer.archive.Archive` or its path): reuse is also
            looked for against the archived articles (implies ``reuse``).
        clean_records: clean ``.jsonl``/``.csv`` record texts as pages are cleaned
            (False: take a clean corpus's texts as given).

    Raises:
        InputError: the corpus, labels file, output or model cannot be used.
    """
    corpus = Path(corpus)
    if not corpus.exists():
        raise InputError(corpus, "no such file or directory")
    if jobs == 0:
        raise InputError("jobs", "must be a positive number of processes, or -1 for all cores")
    if out is None:
        return _score_corpus(corpus, None, labels, jobs, resume, progress, model, top, chunk_size, reuse, on_row, index,
                             clean_records)
    out = Path(out)
    _check_output(out, corpus)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(out, f"cannot write: {exc.strerror or exc}") from None
    with OutputLock(out):
        if not resume and not overwrite:
            for target in dict.fromkeys([out, _format_of(out)[1]]):
                refuse_to_replace(target, "use --resume to complete it or --overwrite to replace it")
        return _score_corpus(corpus, out, labels, jobs, resume, progress, model, top, chunk_size, reuse, on_row, index,
                             clean_records)


def _score_corpus(corpus: Path, out: Path | None, labels: str | os.PathLike[str] | dict[str, str] | None,
                  jobs: int, resume: bool, progress: bool, model: str | os.PathLike[str] | None, top: int,
                  chunk_size: int, reuse: bool, on_row: Callable[[dict[str, Any]], None] | None,
                  index: Any = None, clean_records: bool = True) -> BatchRun:
    """:func:`score_corpus` once its output is checked and locked."""
    from scorer.model_file import load_cached

    model_str = str(model) if model is not None else None
    load_cached(model_str)  # fail once, early, on a missing or untrusted model
    label_map = read_labels(labels) if isinstance(labels, (str, os.PathLike)) else dict(labels or {})
    run = BatchRun(out=out)
    fmt, journal_path = _format_of(out) if out is not None else ("memory", None)
    journal = Journal(journal_path, fmt if fmt != "html" else "jsonl", resume) if journal_path else None
    done = set(journal.done) if journal else set()
    seen_now: set[str] = set()
    memory_rows: list[dict[str, Any]] = []
    read_errors: list[InputError] = []

    def emit(rows: list[dict[str, Any]]) -> None:
        """Record finished rows: one write for the chunk, so output stays off the scoring path."""
        for row in rows:
            if row.get("id") in label_map:
                row["label"] = label_map[row["id"]]
            if row.get("error"):
                run.failed += 1
            else:
                run.scored += 1
        if journal:
            journal.write(rows)
        else:
            memory_rows.extend(rows)
        if on_row:
            for row in rows:
                on_row(row)

    def skipped_file(path: Path, reason: str) -> None:
        run.not_read[reason] = run.not_read.get(reason, 0) + 1

    def articles() -> Iterator[Article]:
        # May run in a joblib dispatch thread: it only appends to read_errors
        # (thread-safe); rows are written by the main loop alone.
        for art in read_corpus(corpus, on_error=read_errors.append, on_skip=skipped_file, clean_records=clean_records):
            key = id_key(art.id)
            if key in seen_now:
                run.duplicates.append(art.id)
                continue
            seen_now.add(key)
            if key in done:
                run.skipped += 1
                continue
            done.add(key)
            yield art

    def drain_read_errors() -> None:
        while read_errors:
            err = read_errors.pop(0)
            rid = terminal_safe(_corpus_relative(err.source, corpus))
            if id_key(rid) not in done:
                done.add(id_key(rid))
                emit([error_row(rid, terminal_safe(err.problem))])

    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=_count(corpus), unit="art", desc="scoring", dynamic_ncols=True, mininterval=0.5)
    reuse_map: dict[str, tuple[dict[str, float], str]] | None = None
    if reuse or index is not None:
        if index is not None and not hasattr(index, "add"):
            from scorer.archive import Archive

            index = Archive(index)
        run.reuse, reuse_map = corpus_reuse(corpus, jobs=jobs, progress=progress, index=index,
                                             clean_records=clean_records)
    me = os.getpid()
    try:
        if jobs == 1:
            for chunk in _chunks(articles(), chunk_size):
                drain_read_errors()
                emit(_score_chunk(chunk, model_str, top, _chunk_reuse(chunk, reuse_map)))
                if bar is not None:
                    bar.update(len(chunk))
        else:
            from joblib import Parallel, delayed

            parallel = Parallel(n_jobs=jobs, return_as="generator_unordered", pre_dispatch="2*n_jobs")
            tasks = (delayed(_score_chunk)(c, model_str, top, _chunk_reuse(c, reuse_map), me)
                     for c in _chunks(articles(), chunk_size))
            for rows in parallel(tasks):
                drain_read_errors()
                emit(rows)
                if bar is not None:
                    bar.update(len(rows))
        drain_read_errors()
    finally:
        if bar is not None:
            bar.close()
        if journal:
            journal.close()
    run.rows = list(journal.rows()) if journal else memory_rows
    if label_map:
        for r in run.rows:
            if r.get("id") in label_map:
                r["label"] = label_map[r["id"]]
    run.metrics = metrics(run.rows)
    if out is not None:
        if fmt == "html":
            from scorer.reports.batch import write_batch_report

            write_batch_report(out, run.rows, run.metrics, corpus=corpus, model=model_str, reuse=run.reuse, jobs=jobs)
        if run.metrics is not None:
            run.metrics_path = write_json(run.metrics, out.with_name(out.name + ".metrics.json"))
    if (reuse or index is not None) and run.reuse is not None and out is not None:
        cols = ["id"] + sorted({k for r in run.reuse for k in r} - {"id", "reuse"}) + ["reuse"]
        run.reuse_path = write_csv(run.reuse, cols, out.with_name(out.name + ".reuse.csv"))
    return run
