"""``scorer score FILE...``: score articles, with the sentences behind the score."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from scorer.errors import ScorerError
from scorer.outputs import terminal_safe


@click.command("score")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True, path_type=str))
@click.option("--json", "as_json", is_flag=True, help="print a JSON list, one object per file, with every contribution")
@click.option("--model", "model_path", type=click.Path(path_type=str), default=None,
              help="model file (default: the shipped model)")
@click.option("--top", type=click.IntRange(min=0), default=5, show_default=True,
              help="contributions shown per article in the table")
@click.option("--index", "index_path", type=click.Path(dir_okay=False, path_type=str), default=None,
              help="archive index (scorer index build): check each article for reuse against it")
def command(files: tuple[str, ...], as_json: bool, model_path: str | None, top: int, index_path: str | None) -> None:
    """Score each FILE: probability the article is reliable and the features that moved it.

    \b
    Each article gets a probability (0-1) that it is reliable and its top
    contributing features in log-odds (+ pushes towards reliable), each with
    the sentences that are its evidence. A file that cannot be read is
    reported on stderr and the others are still scored (exit status 1).

    \b
    Examples:
      scorer score seeds/*.txt
      scorer score article.html --json > scores.json
      scorer score incoming.html --index archive.sqlite   # + reuse of archived articles
    """
    from scorer.report import format_result
    from scorer.scoring import resolve_model, score

    if model_path is not None:
        resolve_model(model_path)  # a bad model file is one error for the whole run (then cached)
    index = None
    if index_path is not None:
        from scorer.archive import Archive

        index = Archive(index_path)  # a bad index is one error for the whole run
    failed = 0
    records = []
    for i, path in enumerate(files):
        try:
            result = score(Path(path), model=model_path, index=index)
        except ScorerError as err:
            click.echo(f"scorer: error: {terminal_safe(err)}", err=True)
            failed += 1
            continue
        if as_json:
            rec = result.to_dict()
            rec["file"] = path
            records.append(rec)
        else:
            if i:
                click.echo("")
            click.echo(format_result(result, source=path, top=top))
    if as_json:
        click.echo(json.dumps(records, indent=2, ensure_ascii=False))
    if failed:
        sys.exit(1)
