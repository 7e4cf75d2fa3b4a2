"""``scorer batch CORPUS``: score a whole corpus, resumably, with metrics when labels are known."""

from __future__ import annotations

import sys

import click

from scorer.cli._common import EXIT_ROWS_FAILED
from scorer.outputs import terminal_safe


def _check_jobs(value: int) -> int:
    if value == 0 or value < -1:
        raise click.BadParameter("must be a positive number of processes, or -1 for all cores")
    return value


@click.command("batch")
@click.argument("corpus", type=click.Path(path_type=str))
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="write rows to a .jsonl, .csv or .html file as they are produced")
@click.option("--labels", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="CSV with columns id,label (reliable/unreliable) to evaluate against")
@click.option("--jobs", "-j", default=1, show_default=True, callback=lambda ctx, param, v: _check_jobs(v),
              help="worker processes (-1: all cores)")
@click.option("--resume", is_flag=True, help="keep rows already in --out and score only the missing ids")
@click.option("--overwrite", is_flag=True, help="replace an --out that already holds rows (without it, such an output is refused)")
@click.option("--model", "model_path", type=click.Path(path_type=str), default=None,
              help="model file (default: the shipped model)")
@click.option("--top", type=click.IntRange(min=0), default=5, show_default=True,
              help="contributing features kept per article")
@click.option("--reuse", is_flag=True,
              help="first find text reused between articles of the corpus: its provenance features enter the scores, pairs go to OUT.reuse.csv")
@click.option("--index", "index_path", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="archive index (scorer index build): also find reuse against it (implies --reuse)")
@click.option("--no-clean", is_flag=True,
              help="take .jsonl/.csv record texts as given (a clean corpus); by default they are cleaned like pages")
@click.option("--no-progress", is_flag=True, help="no progress bar")
def command(corpus: str, out: str | None, labels: str | None, jobs: int, resume: bool, overwrite: bool,
            model_path: str | None, top: int, reuse: bool, no_progress: bool, index_path: str | None,
            no_clean: bool) -> None:
    """Score every article of CORPUS (a directory, .jsonl or .csv).

    \b
    Each output row has id, score (probability reliable), label when known,
    outlet and the top contributing features (log-odds). Rows are appended and
    flushed as they are produced: an interrupted run keeps what it finished,
    and --resume completes it without duplicates. An article that fails is a
    row with its error; the run goes on. With labels (a `label` field in the
    corpus or --labels), prints ROC AUC, accuracy, macro-F1, Brier score, the
    confusion matrix and a per-outlet table, and writes them to OUT.metrics.json.

    \b
    One run writes an output at a time (a second run on the same OUT is
    refused); an OUT that already holds rows is only continued (--resume) or
    replaced (--overwrite), never silently. OUT may not lie inside a
    directory CORPUS. Files of a directory that are not articles are counted,
    by suffix, in the summary line.

    \b
    Exit status: 0 every article scored; 3 the run finished but some rows are
    errors (listed on stderr); 2 the run could not start (bad corpus, output
    or model); 130 / 143 stopped by Ctrl-C / SIGTERM (finished rows are kept:
    rerun with --resume).

    \b
    Examples:
      scorer batch corpus.jsonl --out preds.jsonl --jobs 2
      scorer batch pages/ --labels labels.csv --out report.html
      scorer batch corpus.jsonl --out preds.jsonl --resume
      scorer batch pages/ --out preds.csv --reuse    # + who copied whom, to preds.csv.reuse.csv
    """
    from scorer.batch import score_corpus
    from scorer.report import metrics_text

    if resume and out is None:
        raise click.UsageError("--resume needs --out")
    if resume and overwrite:
        raise click.UsageError("--resume and --overwrite exclude each other")
    run = score_corpus(corpus, out, labels=labels, jobs=jobs, resume=resume, overwrite=overwrite,
                       progress=not no_progress, model=model_path, top=top, reuse=reuse, index=index_path,
                       clean_records=not no_clean)
    click.echo(_summary(run), err=True)
    for rid in run.duplicates:
        click.echo(f"scorer: duplicate id {terminal_safe(repr(rid))} in the corpus: only its first article was scored",
                   err=True)
    for row in run.rows:
        if row.get("error"):
            click.echo(f"scorer: failed: {terminal_safe(row['id'])}: {terminal_safe(row['error'])}", err=True)
    if out is None:
        from scorer.report import format_table

        shown = [{"id": r["id"], "score": r.get("score"), "label": r.get("label"),
                  "top feature": (r.get("top") or [{}])[0].get("feature"), "error": r.get("error")} for r in run.rows]
        click.echo(format_table(shown, ["id", "score", "label", "top feature", "error"]))
    else:
        click.echo(f"wrote {out}", err=True)
    if run.reuse is not None:
        click.echo(f"articles sharing text with another article of the corpus{' or the index' if index_path else ''}: "
                   f"{len(run.reuse)}", err=True)
        for r in run.reuse[:20] if out is None else []:
            click.echo(terminal_safe(f"  {r['id']}: {r['reuse']}"))
        if run.reuse_path:
            click.echo(f"wrote {run.reuse_path}", err=True)
    if run.metrics:
        click.echo(metrics_text(run.metrics))
        if run.metrics_path:
            click.echo(f"wrote {run.metrics_path}", err=True)
    if run.failed:
        sys.exit(EXIT_ROWS_FAILED)


def _summary(run) -> str:
    """The one summary line: scored, failed, already in the output, and files not read by reason."""
    line = f"scored {run.scored}, failed {run.failed}, skipped (already in output) {run.skipped}"
    if run.not_read:
        reasons = ", ".join(f"{terminal_safe(reason)} {n}" for reason, n in
                            sorted(run.not_read.items(), key=lambda kv: (-kv[1], kv[0])))
        line += f", not read {sum(run.not_read.values())} (not article files: {reasons})"
    return line
