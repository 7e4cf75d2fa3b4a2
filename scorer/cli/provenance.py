"""``scorer provenance``: find copied, rewritten and syndicated text across a corpus."""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack
from pathlib import Path

import click

from scorer.cli._common import interrupt_status, interrupt_word
from scorer.errors import InputError
from scorer.outputs import OutputLock, refuse_to_replace, terminal_safe


def terminal_safe_lines(text: str) -> str:
    """Multi-line text with every line made terminal-safe (the line breaks themselves kept)."""
    return "\n".join(terminal_safe(line) for line in text.split("\n"))


@click.command("provenance")
@click.argument("corpus", type=click.Path(path_type=str))
@click.option("--out", "out", type=click.Path(path_type=str), default=None,
              help="Write the pairs table to this .csv or .jsonl file (atomically).")
@click.option("--html", "html_out", type=click.Path(path_type=str), default=None,
              help="Write a browsable HTML report of pairs, passages and clusters.")
@click.option("--workers", type=int, default=None, help="Processes to use (default: the machine's cores, at most 4).")
@click.option("--max-pairs", type=click.IntRange(min=0), default=50, show_default=True, help="Pairs shown in the printed summary.")
@click.option("--resume", is_flag=True,
              help="Continue an interrupted run from its work journal (<out>.partial.jsonl) instead of starting afresh.")
@click.option("--overwrite", is_flag=True,
              help="Replace --out / --html files that already exist (without it, or --resume, they are refused).")
@click.option("--quiet", is_flag=True, help="No progress bars.")
@click.option("--index", "index_path", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="Archive index (scorer index build): also find reuse of archived articles.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: processes on this machine; dask: tasks on a dask.distributed cluster")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="Dask scheduler address (tcp://host:8786); without it --engine dask starts a local cluster of --workers")
def command(corpus: str, out: str | None, html_out: str | None, workers: int | None, max_pairs: int,
            resume: bool, overwrite: bool, quiet: bool, index_path: str | None, engine: str,
            scheduler: str | None) -> None:
    """Find which articles of CORPUS reuse each other's text, and how.

    CORPUS is a directory of article files or a .jsonl/.csv corpus. For each pair
    with reused text it reports the kind (verbatim, partial, paraphrase, or
    shared_quotes_only when the articles share nothing but direct quotes), the
    share of each article reused, the direction (a_from_b, b_from_a,
    common_source, unknown), whether the derived text discloses its origin, and
    the aligned passages; then the clusters of articles sharing one origin.

    With --out (or --html), finished work is kept in a journal next to the output
    (<out>.partial.jsonl) while the run goes; after Ctrl-C or a crash, the same
    command with --resume continues where the run stopped. The outputs are written
    atomically when the run completes, and the journal is then removed. One run
    writes an output at a time (a second run on the same file is refused), an
    existing output is replaced only with --overwrite (or --resume), and no
    output may lie inside a directory CORPUS.

    With --engine dask (or --scheduler), a .jsonl CORPUS is read by the workers in
    byte ranges, so it must be at the same path on every worker (shared storage);
    this machine then holds only the articles of the pairs found. A directory or
    .csv corpus is read here and sent to the workers.

    \b
    Examples:
      scorer provenance seeds
      scorer provenance corpus.jsonl --out pairs.csv --html report.html
      scorer provenance corpus.jsonl --out pairs.csv --resume
      scorer provenance corpus.jsonl --engine dask --scheduler tcp://scheduler:8786
    """
    targets = [t for t in (out, html_out) if t]
    for target in targets:
        if not Path(target).resolve().parent.is_dir():
            raise InputError(target, "output folder does not exist")
    if out and Path(out).suffix.lower() not in (".csv", ".jsonl", ".json"):
        raise InputError(out, "--out must end in .csv or .jsonl")
    for target in targets:
        if Path(target).exists() and Path(corpus).exists() and os.path.samefile(target, corpus):
            raise InputError(target, "is the corpus itself; choose another output file")
        if Path(target).is_dir():
            raise InputError(target, "is a directory; give an output file name")
        if Path(corpus).is_dir() and Path(corpus).resolve() in Path(target).resolve().parents:
            raise InputError(target, f"is inside the corpus directory {corpus} (a later run would read it as an "
                                     "article); write it outside the corpus")
    with ExitStack() as locks:
        for target in targets:
            locks.enter_context(OutputLock(target))
        if not resume and not overwrite:
            for target in targets:
                refuse_to_replace(target, "use --overwrite to replace it")
        _run(corpus, out, html_out, workers, max_pairs, resume, quiet, index_path, engine, scheduler)


def _run(corpus: str, out: str | None, html_out: str | None, workers: int | None, max_pairs: int,
         resume: bool, quiet: bool, index_path: str | None = None, engine: str = "local",
         scheduler: str | None = None) -> None:
    """The command once its outputs are checked and locked: find reuse, write the outputs, then print."""
    import scorer
    from scorer.provenance import find_reuse
    from scorer.workers import default_workers

    skipped: list[str] = []

    def on_error(err: InputError) -> None:
        skipped.append(str(err))
        click.echo(f"scorer: skipped {terminal_safe(err)}", err=True)

    engine = "dask" if scheduler is not None else engine
    if engine == "dask" and (resume or index_path):
        raise InputError("--engine dask", "does not take --resume or --index yet; run those with --engine local")
    if engine == "dask" and _is_jsonl(corpus):  # the workers read the file: the client never holds the corpus
        report, texts = _on_dask_jsonl(corpus, scheduler, workers or default_workers(), not quiet, on_error)
        _write_outputs(report, texts, out, html_out)
        _print(report, texts, out, html_out, max_pairs, skipped)
        return
    index = None
    if index_path is not None:
        from scorer.archive import Archive

        index = Archive(index_path)
    articles = list(scorer.read_corpus(corpus, on_error=on_error))
    if not articles:
        raise InputError(corpus, "no readable articles in the corpus")
    journal = _open_journal(corpus, articles, out or html_out, resume) if engine == "local" else None
    try:
        if engine == "dask":
            report = _on_dask(articles, scheduler, workers or default_workers(), not quiet)
        else:
            report = find_reuse(articles, workers=workers or default_workers(), progress=not quiet,
                                checkpoint=journal, index=index)
    except KeyboardInterrupt as exc:
        if journal is None:
            raise
        click.echo(f"scorer: {interrupt_word(exc)}; {journal.n_sketches} sketched articles and {journal.n_pairs} "
                   f"finished pairs kept in {journal.path}, rerun with --resume", err=True)
        sys.exit(interrupt_status(exc))
    finally:
        if journal is not None:
            journal.close()  # all finished work on disk, whatever happens next
    texts = {a.id: a.text for a in articles}
    if index is not None:  # archived partners: their text for the passages shown
        from scorer.archive.query import archived_texts

        texts.update(archived_texts(index, report))
    # outputs first, printing last: a closed stdout (`| head -1`) must not strand the journal
    _write_outputs(report, texts, out, html_out)
    if journal is not None:
        journal.remove()
    _print(report, texts, out, html_out, max_pairs, skipped)


def _write_outputs(report, texts: dict[str, str], out: str | None, html_out: str | None) -> None:
    """The pairs table and the HTML report, each written atomically."""
    from scorer.provenance.report import write_atomic, write_pairs
    from scorer.reports.provenance import provenance_page as html_report

    if out:
        write_pairs(report, out, texts if Path(out).suffix.lower() != ".csv" else None)
    if html_out:
        write_atomic(html_out, html_report(report, texts))


def _print(report, texts: dict[str, str], out: str | None, html_out: str | None, max_pairs: int,
           skipped: list[str]) -> None:
    """The summary on stdout, then where the outputs went and how many inputs were skipped."""
    click.echo(terminal_safe_lines(report.summary(texts, max_pairs=max_pairs)), nl=False)
    if out:
        click.echo(f"pairs written to {out}")
    if html_out:
        click.echo(f"HTML report written to {html_out}")
    if skipped:
        click.echo(f"{len(skipped)} input(s) skipped (see messages above)", err=True)


def _open_journal(corpus: str, articles: list, target: str | None, resume: bool):
    """The work journal next to ``target`` (None without an output): resumed, or started afresh.

    The header records the corpus and a digest of its ids and texts; a journal of
    another corpus is refused on resume. Without --resume an earlier journal is
    replaced, and the user is told so in one line.
    """
    import os
    from pathlib import Path

    from scorer import __version__
    from scorer.provenance.journal import Journal, corpus_digest, journal_path

    if target is None:
        if resume:
            raise InputError("--resume", "needs --out (or --html): the work journal is kept next to the output")
        return None
    path = journal_path(target)
    if path.exists() and Path(corpus).exists() and os.path.samefile(path, corpus):
        raise InputError(target, f"its work journal {path} would be the corpus itself; choose another output name")
    digest, n = corpus_digest((a.id, a.text) for a in articles)
    header = {"scorer": __version__, "corpus": str(Path(corpus).resolve()), "articles": n, "digest": digest}
    if resume and path.exists():
        journal = Journal.resume(path, header)
        click.echo(f"scorer: resuming from {path}: {journal.n_sketches} sketched articles and {journal.n_pairs} "
                   f"aligned pairs kept", err=True)
        return journal
    if resume:
        click.echo(f"scorer: no work journal at {path}; starting afresh", err=True)
    elif path.exists():
        click.echo(f"scorer: starting afresh; the work journal of an earlier run ({path}) is replaced "
                   "(use --resume to continue it)", err=True)
    return Journal.start(path, header)


def _on_dask(articles: list, scheduler: str | None, workers: int, progress: bool):
    """The run on a Dask cluster (the scheduler at ``scheduler``, else a local one of ``workers``)."""
    from scorer.provenance.distributed import dask_client, find_reuse_dask

    with dask_client(scheduler, workers) as client:
        return find_reuse_dask(articles, client, progress=progress)


def _is_jsonl(corpus: str) -> bool:
    return Path(corpus).is_file() and Path(corpus).suffix.lower() == ".jsonl"


def _on_dask_jsonl(corpus: str, scheduler: str | None, workers: int, progress: bool, on_error):
    """(report, texts of the paired articles) of a .jsonl corpus the workers read in byte ranges.

    The file must be at the same path on every worker (shared storage). The client then
    reads the file once, streaming, for the texts of the articles in pairs (the passages
    shown) and to report bad records; it never holds the corpus.
    """
    import scorer
    from scorer.provenance.distributed import dask_client, find_reuse_dask_parts, jsonl_parts

    corpus = str(Path(corpus).resolve())
    with dask_client(scheduler, workers) as client:
        report = find_reuse_dask_parts(jsonl_parts(corpus), client, progress=progress)
    needed = {x for p in report.pairs for x in (p.a, p.b)}
    texts: dict[str, str] = {}
    seen = 0
    for art in scorer.read_corpus(corpus, on_error=on_error):
        seen += 1
        if art.id in needed and art.text:
            texts.setdefault(art.id, art.text)  # the first of a repeated id, as the run kept
    if not seen:
        raise InputError(corpus, "no readable articles in the corpus")
    return report, texts
