"""Helpers for the robustness suite: time bounds, running the real CLI, error checks.

Every hostile input must end in a valid result or one clear error line naming
the input, never a traceback and never a hang. The helpers here make a hang
fail fast (``time_limit``) and run the command line exactly as a user does
(``run_scorer``: a fresh ``python -m scorer.cli`` process).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

import pytest

from scorer.paths import REPO


class TimeLimitExceeded(Exception):
    """Raised inside the code under test when it runs past its time bound."""


@contextlib.contextmanager
def time_limit(seconds: float, what: str = "call") -> Iterator[None]:
    """Fail the test when the body runs longer than ``seconds`` (wall clock).

    Uses SIGALRM via ``setitimer``, which also interrupts a runaway regular
    expression (the regex engine checks for signals), so a catastrophic
    backtrack fails the test instead of blocking CI. The alarm can land where
    Python ignores exceptions (a garbage-collector callback), so the elapsed
    time is checked again at the end.
    """
    fired = []

    def _alarm(signum, frame):  # noqa: ARG001 - signal handler signature
        fired.append(True)
        raise TimeLimitExceeded(f"{what} took longer than {seconds:g}s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    start = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except TimeLimitExceeded as exc:
        pytest.fail(str(exc), pytrace=False)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    elapsed = time.monotonic() - start
    if fired or elapsed > seconds:
        pytest.fail(f"{what} took {elapsed:.1f}s, over its {seconds:g}s bound", pytrace=False)


@dataclass
class CliResult:
    """What one run of the command line produced."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    def __str__(self) -> str:
        return f"scorer {' '.join(self.args)} -> exit {self.returncode}\nstdout: {self.stdout[-2000:]}\nstderr: {self.stderr[-2000:]}"


def invoke(args: list[str | Path], env: dict[str, str] | None = None) -> CliResult:
    """Run ``scorer ARGS`` in-process; an uncaught exception is re-raised so the test shows it."""
    from click.testing import CliRunner

    from scorer.cli import main

    runner = CliRunner()
    with time_limit(60, "scorer " + " ".join(map(str, args))):
        res = runner.invoke(main, [str(a) for a in args], env=env, catch_exceptions=True)
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        import traceback

        tb = "".join(traceback.format_exception(res.exception))
        return CliResult([str(a) for a in args], 1, res.stdout, "Traceback (uncaught exception)\n" + tb)
    return CliResult([str(a) for a in args], res.exit_code, res.stdout, res.stderr)


def scorer_env(**extra: str) -> dict[str, str]:
    """Environment for a CLI subprocess: the current one, without colour, plus ``extra``."""
    env = dict(os.environ)
    env.update({"NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"})
    env.update(extra)
    return env


def run_scorer(args: Sequence[str], *, timeout: float = 60, cwd: Path | None = None,
               env: dict[str, str] | None = None) -> CliResult:
    """Run ``python -m scorer.cli ARGS`` in a fresh process, as a user would run ``scorer``."""
    cmd = [sys.executable, "-m", "scorer.cli", *map(str, args)]
    proc = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", errors="replace",
                          timeout=timeout, cwd=str(cwd or REPO), env=env or scorer_env())
    return CliResult([str(a) for a in args], proc.returncode, proc.stdout, proc.stderr)


def assert_one_line_error(result: CliResult, names: str | Path, problem: str | None = None) -> None:
    """A bad input ends in a non-zero exit and one stderr line naming it, with no traceback."""
    assert result.returncode != 0, str(result)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, str(result)
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    if lines and lines[0].startswith("Usage:"):  # click's own usage error: "Usage: ...", "Try ...", "Error: ..."
        lines = [ln for ln in lines if ln.startswith("Error:")]
    assert len(lines) == 1, str(result)
    assert str(names) in lines[0], str(result)
    if problem is not None:
        assert problem in lines[0], str(result)


def available_commands() -> set[str]:
    """Names of the ``scorer`` subcommands registered right now."""
    from scorer.cli import main

    return set(main.commands)


def needs_command(name: str):
    """Skip marker for tests of a command that does not exist yet."""
    return pytest.mark.skipif(name not in available_commands(), reason=f"`scorer {name}` does not exist yet")


def fuzz_settings(max_examples: int, deadline_ms: int):
    """Hypothesis settings for the suite: modest and repeatable in CI, wider on request.

    By default examples are derandomised (the same inputs every run, so CI
    never fails on a new draw); ``SCORER_FUZZ=random`` explores fresh inputs and
    ``SCORER_FUZZ_EXAMPLES=N`` multiplies the examples, for bug hunting.
    """
    from hypothesis import HealthCheck, settings

    explore = os.environ.get("SCORER_FUZZ") == "random"
    scale = int(os.environ.get("SCORER_FUZZ_EXAMPLES", "1") or 1)
    return settings(max_examples=max_examples * max(scale, 1), deadline=deadline_ms, derandomize=not explore,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.filter_too_much])


def session_processes(sid: int) -> list[int]:
    """Live processes (not zombies) of the session ``sid`` (Linux /proc)."""
    found = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[3]) == sid:  # state, ppid, pgrp, session
            found.append(int(stat_file.parent.name))
    return found


def wait_gone(sid: int, seconds: float) -> list[int]:
    """The processes of session ``sid`` still alive after waiting up to ``seconds`` for all to end."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = session_processes(sid)
        if not alive:
            return []
        time.sleep(0.2)
    return session_processes(sid)
