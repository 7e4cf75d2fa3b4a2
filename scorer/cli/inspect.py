"""``scorer inspect``: show everything read and found in one article."""

from __future__ import annotations

import json
import textwrap

import click

from scorer.analysis import Analysis
from scorer.article import Article, read
from scorer.pipeline import SIGNALS, analyse
from scorer.signals.spec import short


def inspection(article: Article, analysis: Analysis) -> dict:
    """The JSON form of an inspection: metadata, body, removed furniture, findings."""
    return {
        "id": article.id,
        "path": article.path,
        "title": article.title,
        "authors": article.authors,
        "date": article.date,
        "outlet": article.outlet,
        "url": article.url,
        "text": article.text,
        "removed": [{"kind": r.kind, "start": r.span.start, "end": r.span.end, "text": r.text} for r in article.removed],
        "analysis": analysis.to_dict(),
    }


def _print_human(article: Article, analysis: Analysis) -> None:
    echo = click.echo
    echo(click.style(f"== {article.id}", bold=True))
    for key in ("title", "authors", "date", "outlet", "url", "path"):
        value = getattr(article, key)
        shown = ", ".join(value) if isinstance(value, list) else value
        echo(f"{key:>8}: {shown or '-'}")
    echo(f"{'words':>8}: {analysis.word_count}   sentences: {len(analysis.sentences)}   quotes: {len(analysis.quotes)}")

    echo(click.style("\n-- Body", bold=True))
    for para in analysis.paragraphs:
        echo(textwrap.fill(para.of(analysis.text), width=100))
        echo("")

    echo(click.style(f"-- Removed by cleaning ({len(article.removed)} blocks)", bold=True))
    for r in article.removed:
        echo(f"  [{r.kind}] {short(r.text, 80)}")

    for signal in SIGNALS:
        if signal.describe is None:
            continue
        found = analysis.found(signal.name)
        echo(click.style(f"\n-- {signal.title} ({len(found)})", bold=True))
        for item in found:
            for line in signal.describe(item, analysis.text):
                echo(line)
    for problem in analysis.problems:
        echo(click.style(f"\n!! {problem}", fg="red"))


@click.command("inspect")
@click.argument("file", type=click.Path(path_type=str))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")
def command(file: str, as_json: bool) -> None:
    """Show the cleaned body, metadata, what cleaning removed, and every finding.

    Findings are the attributions (source, cue, content, source type, the
    reason given for an anonymous source), hedges, quotes and statements of
    where the text came from. Every finding carries character offsets into the
    cleaned body (in --json).

    \b
    Examples:
      scorer inspect seeds/004_c5f29e39a883f2f0.txt
      scorer inspect --json seeds/004_c5f29e39a883f2f0.txt | jq '.analysis.attributions'
    """
    article = read(file)
    analysis = analyse(article)
    if as_json:
        click.echo(json.dumps(inspection(article, analysis), ensure_ascii=False, indent=2))
    else:
        _print_human(article, analysis)
