"""``scorer provenance``: find copied, rewritten and syndicated text across a corpus."""

from __future__ import annotations

import click

from scorer.errors import InputError


@click.command("provenance")
@click.argument("corpus", type=click.Path(path_type=str))
@click.option("--out", "out", type=click.Path(path_type=str), default=None,
              help="Write the pairs table to this .csv or .jsonl file (atomically).")
@click.option("--html", "html_out", type=click.Path(path_type=str), default=None,
              help="Write a browsable HTML report of pairs, passages and clusters.")
@click.option("--workers", type=int, default=None, help="Processes to use (default: the machine's cores, at most 4).")
@click.option("--max-pairs", type=int, default=50, show_default=True, help="Pairs shown in the printed summary.")
@click.option("--quiet", is_flag=True, help="No progress bars.")
def command(corpus: str, out: str | None, html_out: str | None, workers: int | None, max_pairs: int,
            quiet: bool) -> None:
    """Find which articles of CORPUS reuse each other's text, and how.

    CORPUS is a directory of article files or a .jsonl/.csv corpus. For each pair
    with reused text it reports the kind (verbatim, partial, paraphrase, or
    shared_quotes_only when the articles share nothing but direct quotes), the
    share of each article reused, the direction (a_from_b, b_from_a,
    common_source, unknown), whether the derived text discloses its origin, and
    the aligned passages; then the clusters of articles sharing one origin.

    \b
    Examples:
      scorer provenance seeds
      scorer provenance corpus.jsonl --out pairs.csv --html report.html
    """
    import os
    from pathlib import Path

    import scorer
    from scorer.provenance import default_workers, find_reuse
    from scorer.provenance.report import html_report, write_atomic, write_pairs

    for target in (out, html_out):
        if target and not Path(target).resolve().parent.is_dir():
            raise InputError(target, "output folder does not exist")
    if out and Path(out).suffix.lower() not in (".csv", ".jsonl", ".json"):
        raise InputError(out, "--out must end in .csv or .jsonl")
    for target in (out, html_out):
        if target and Path(target).exists() and Path(corpus).exists() and os.path.samefile(target, corpus):
            raise InputError(target, "is the corpus itself; choose another output file")
        if target and Path(target).is_dir():
            raise InputError(target, "is a directory; give an output file name")

    skipped: list[str] = []

    def on_error(err: InputError) -> None:
        skipped.append(str(err))
        click.echo(f"scorer: skipped {err}", err=True)

    articles = list(scorer.read_corpus(corpus, on_error=on_error))
    if not articles:
        raise InputError(corpus, "no readable articles in the corpus")
    report = find_reuse(articles, workers=workers or default_workers(), progress=not quiet)
    texts = {a.id: a.text for a in articles}
    click.echo(report.summary(texts, max_pairs=max_pairs), nl=False)
    if out:
        write_pairs(report, out, texts if Path(out).suffix.lower() != ".csv" else None)
        click.echo(f"pairs written to {out}")
    if html_out:
        write_atomic(html_out, html_report(report, texts))
        click.echo(f"HTML report written to {html_out}")
    if skipped:
        click.echo(f"{len(skipped)} input(s) skipped (see messages above)", err=True)
