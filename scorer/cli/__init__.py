"""The ``scorer`` command line: thin click commands over the Python API.

Each command lives in its own module and is registered here. Commands parse
arguments, call the API and print; they never compute features themselves.
Every :class:`~scorer.errors.ScorerError` becomes one line on stderr and exit
status 2, never a traceback.
"""

from __future__ import annotations

import importlib

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


#: Every command, by module name (one concern each). A missing module is an import error at
#: start-up, never a silently absent command; tests/cli/test_commands.py checks the list is complete.
COMMANDS = ("score", "inspect", "batch", "provenance", "index", "outlets", "train")


def _register() -> None:
    """Attach every command module."""
    for name in COMMANDS:
        main.add_command(importlib.import_module(f"scorer.cli.{name}").command)


_register()
