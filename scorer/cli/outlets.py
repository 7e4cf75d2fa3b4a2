"""``scorer outlets CORPUS``: mean score per outlet, with what drives it and the outlet's ratings beside it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import click


@click.command("outlets")
@click.argument("corpus", type=click.Path(path_type=str))
@click.option("--model", "model_path", type=click.Path(path_type=str), default=None,
              help="model file (default: the shipped model)")
@click.option("--ratings", "ratings_dir", type=click.Path(file_okay=False, path_type=str), default=None,
              help="folder of outlet rating tables (default: ../shared/data/ratings when present; "
                   "absent: no rating columns)")
@click.option("--min-articles", type=click.IntRange(min=1), default=1, show_default=True,
              help="leave out outlets with fewer articles")
@click.option("--no-clean", is_flag=True, help="take .jsonl/.csv record texts as given (a clean corpus)")
@click.option("--csv", "as_csv", is_flag=True, help="print CSV instead of a table")
def command(corpus: str, model_path: str | None, ratings_dir: str | None, min_articles: int, no_clean: bool,
            as_csv: bool) -> None:
    """Score every article of CORPUS and summarise the scores per outlet.

    \b
    Per outlet (web domain, else the outlet name the record gives): number of
    articles, mean score with a 95% bootstrap interval, the three features
    whose mean contribution (log-odds, against the training average) moves
    the outlet most, and the outlet's entry in the rating tables found under
    --ratings. Ratings are shown beside the score; they never change it.
    Unreadable records are skipped (counted on stderr).

    \b
    Example:
      scorer outlets ../shared/data/corpora/articlecomparisons-helsinki --min-articles 3
    """
    from scorer.article import read_corpus
    from scorer.model_file import load_cached
    from scorer.outlets import RATING_TABLES, load_ratings, score_corpus_by_outlet, summarise, to_rows
    from scorer.paths import shared_dir

    load_cached(model_path)  # a bad model file is one error for the whole run
    path = Path(corpus)
    if path.is_dir() and (path / "articles.jsonl").is_file():
        path = path / "articles.jsonl"
    errors: list[object] = []
    articles = list(read_corpus(path, on_error=errors.append, clean_records=not no_clean))
    if errors:
        click.echo(f"scorer: {len(errors)} unreadable record(s) skipped (first: {errors[0]})", err=True)
    root = Path(ratings_dir) if ratings_dir else (shared_dir() / "data" / "ratings" if shared_dir() else None)
    ratings = load_ratings(root)
    rows = summarise(score_corpus_by_outlet(articles, model=model_path), ratings, min_articles=min_articles)
    tables = [t for t in RATING_TABLES if t in ratings]
    flat = to_rows(rows, tables)
    if as_csv:
        buf = io.StringIO()
        w = csv.DictWriter(buf, ["outlet", "n", "mean_score", "ci_low", "ci_high", "drivers", *tables])
        w.writeheader()
        w.writerows(flat)
        click.echo(buf.getvalue(), nl=False)
        return
    head = f"{'outlet':28s} {'n':>4s} {'mean [95% CI]':>20s}  " + "".join(f"{t:>16s}" for t in tables) + "  drivers"
    click.echo(head)
    for d in flat:
        click.echo(f"{d['outlet'][:28]:28s} {d['n']:4d} {d['mean_score']:6.3f} [{d['ci_low']:.3f}, {d['ci_high']:.3f}]  "
                   + "".join(f"{str(d[t]):>16s}" for t in tables) + f"  {d['drivers']}")
