"""Every command module is registered, and every registered command exists."""

from __future__ import annotations

from pathlib import Path

import scorer.cli as cli


def test_every_command_module_is_registered_and_none_is_missing() -> None:
    modules = {p.stem for p in Path(cli.__file__).parent.glob("*.py") if not p.stem.startswith("_")}
    assert modules == set(cli.COMMANDS)
    assert set(cli.main.commands) == set(cli.COMMANDS)
