"""Pieces every command shares: turning errors into one clear line."""

from __future__ import annotations

import sys

import click

from scorer.errors import ScorerError


class ScorerGroup(click.Group):
    """A click group that reports ScorerError (and Ctrl-C) as one line, not a traceback."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except ScorerError as err:
            click.echo(f"scorer: error: {err}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("scorer: interrupted", err=True)
            sys.exit(130)
