"""``scorer index build|add|info``: the archive index incoming articles are checked against."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

import click

from scorer.errors import InputError

_WORKERS = click.option("--workers", type=click.IntRange(min=1), default=None,
                        help="processes sketching articles (default: the machine's cores, at most 4)")
_INDEX = click.option("--index", "index_path", required=True, type=click.Path(dir_okay=False, path_type=str),
                      help="the index file (SQLite)")
_ENGINE = click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
                       help="where articles are sketched: forked processes here, or a Dask cluster (the index "
                            "is written here either way)")
_SCHEDULER = click.option("--scheduler", default=None, metavar="ADDRESS",
                          help="Dask scheduler address (tcp://host:8786); without it --engine dask starts a local "
                               "cluster of --workers")


@click.group("index")
def command() -> None:
    """Keep an archive of articles (one SQLite file) for provenance checks against it.

    \b
    Examples:
      scorer index build wire/ back_issues.jsonl --index archive.sqlite
      scorer index add today.jsonl --index archive.sqlite
      scorer index build crawl/ --index crawl.sqlite --engine dask --scheduler tcp://scheduler:8786
      scorer index info --index archive.sqlite
      scorer score incoming.html --index archive.sqlite
    """


def _articles(corpora: tuple[str, ...], skipped: list[str]):
    """Every readable article of the corpora, in order; unreadable inputs are reported and skipped."""
    import scorer

    def on_error(err: InputError) -> None:
        skipped.append(str(err))
        click.echo(f"scorer: skipped {err}", err=True)

    for corpus in corpora:
        yield from scorer.read_corpus(corpus, on_error=on_error)


def _check(corpora: tuple[str, ...]) -> None:
    from pathlib import Path

    for corpus in corpora:
        if not Path(corpus).exists():
            raise InputError(corpus, "no such file or directory")


@contextmanager
def _sketching(engine: str, scheduler: str | None, workers: int | None) -> Iterator[tuple[int, Any]]:
    """(workers, Dask client or None) for an add: a client on the cluster when asked for, closed after."""
    from scorer.workers import default_workers

    n = workers or default_workers()
    if engine == "local" and scheduler is None:
        yield n, None
        return
    from scorer.provenance.distributed import dask_client

    with dask_client(scheduler, n) as client:
        yield n, client


def _done(verb: str, added: int, present: int, skipped: list[str], path: str) -> None:
    click.echo(f"{verb} {path}: {added} articles added, {present} already indexed (or empty) left out"
               + (f", {len(skipped)} unreadable inputs skipped" if skipped else ""), err=True)


@command.command("build")
@click.argument("corpora", nargs=-1, required=True, type=click.Path(path_type=str))
@_INDEX
@click.option("--force", is_flag=True, help="replace an existing index")
@_WORKERS
@_ENGINE
@_SCHEDULER
@click.option("--quiet", is_flag=True, help="no progress bar")
def build_cmd(corpora: tuple[str, ...], index_path: str, force: bool, workers: int | None, engine: str,
              scheduler: str | None, quiet: bool) -> None:
    """A new index of every article in CORPORA (directories, .jsonl or .csv files, article files).

    The index is written to a temporary file and renamed into place when complete:
    an interrupted build leaves no index behind. With --engine dask the articles
    are sketched on a Dask cluster and the index is the same file a local build writes.
    """
    from scorer.archive import build

    _check(corpora)
    skipped: list[str] = []
    with _sketching(engine, scheduler, workers) as (n, client):
        added, present = build(index_path, _articles(corpora, skipped), progress=not quiet, replace=force,
                               workers=n, client=client)
    _done("built", added, present, skipped, index_path)


@command.command("add")
@click.argument("corpora", nargs=-1, required=True, type=click.Path(path_type=str))
@_INDEX
@_WORKERS
@_ENGINE
@_SCHEDULER
@click.option("--quiet", is_flag=True, help="no progress bar")
def add_cmd(corpora: tuple[str, ...], index_path: str, workers: int | None, engine: str, scheduler: str | None,
            quiet: bool) -> None:
    """Add the articles of CORPORA to an existing index, in one transaction.

    Articles whose id is already indexed are left as they are. If the add is
    interrupted (Ctrl-C, a crash, a killed process), the index stays exactly as it was.
    """
    from scorer.archive import Archive

    _check(corpora)
    skipped: list[str] = []
    with Archive(index_path) as archive, _sketching(engine, scheduler, workers) as (n, client):
        added, present = archive.add(_articles(corpora, skipped), progress=not quiet, workers=n, client=client)
    _done("updated", added, present, skipped, index_path)


@command.command("info")
@_INDEX
def info_cmd(index_path: str) -> None:
    """Articles, outlets, date range and size of an index."""
    from scorer.archive import Archive

    with Archive(index_path) as archive:
        info = archive.info()
    click.echo(f"index     {info['path']} (schema {info['schema']})")
    click.echo(f"articles  {info['articles']}")
    click.echo(f"outlets   {info['outlets']}")
    click.echo(f"dates     {info['first_date'] or '-'} to {info['last_date'] or '-'}")
    click.echo(f"size      {info['bytes'] / 1e6:.1f} MB")
