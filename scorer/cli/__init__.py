"""The ``scorer`` command line: thin click commands over the Python API.

Each command lives in its own module and is registered here. Commands parse
arguments, call the API and print; they never compute features themselves.
Every :class:`~scorer.errors.ScorerError` becomes one line on stderr and exit
status 2, never a traceback.
"""

from __future__ import annotations

import click

from scorer import __version__
from scorer.cli._common import ScorerGroup


@click.group(cls=ScorerGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="scorer")
def main() -> None:
    """Tell how much to trust a news article, and where its text came from.

    \b
    Examples:
      scorer score seeds/*.txt            score articles, with the evidence
      scorer inspect seeds/004_c5f29e39a883f2f0.txt
                                          everything the analysis found
    Run `scorer COMMAND --help` for the options of each command.
    """


def _register() -> None:
    """Attach every command module that exists (each is one concern)."""
    import importlib

    for name in ("score", "inspect", "batch", "provenance", "train", "outlets"):
        try:
            module = importlib.import_module(f"scorer.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"scorer.cli.{name}":
                raise
            continue
        main.add_command(module.command)


_register()
