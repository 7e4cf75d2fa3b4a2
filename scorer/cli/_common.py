"""Pieces every command shares: one clear line for errors, signals and a closed stdout.

* a :class:`~scorer.errors.ScorerError` is one line on stderr (made terminal-safe:
  it may quote a file name holding ESC or BEL) and exit status 2;
* Ctrl-C (SIGINT) and ``kill`` (SIGTERM) stop a command the same orderly way:
  finished work is flushed by the ``finally`` blocks on the way out, then one
  line and exit status 130 (SIGINT) or 143 (SIGTERM);
* a closed stdout (``scorer ... | head -1``) ends the command quietly (status 141,
  as a shell reports SIGPIPE), after the outputs and journals were finished.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from typing import Any

import click

from scorer.errors import ScorerError
from scorer.outputs import terminal_safe

#: Exit status of ``scorer batch`` when the run finished but some rows are errors.
EXIT_ROWS_FAILED = 3


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every cleanup path for an interrupt runs for it too."""


#: The process that installed the SIGTERM handler (a forked worker inherits the handler, not the role).
_MAIN_PID: int | None = None


def _raise_terminated(signum: int, frame: Any) -> None:  # noqa: ARG001 - signal handler signature
    if os.getpid() != _MAIN_PID:  # a forked pool worker being shut down: die as SIGTERM says, quietly
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        return
    raise Terminated()


def interrupt_status(exc: KeyboardInterrupt) -> int:
    """Exit status for an interrupt: 143 for SIGTERM, 130 for Ctrl-C."""
    return 128 + signal.SIGTERM if isinstance(exc, Terminated) else 128 + signal.SIGINT


def interrupt_word(exc: KeyboardInterrupt) -> str:
    """How the stop is reported: "terminated" (SIGTERM) or "interrupted" (Ctrl-C)."""
    return "terminated" if isinstance(exc, Terminated) else "interrupted"


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush of a closed pipe prints nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


class ScorerGroup(click.Group):
    """A click group that reports errors, Ctrl-C, SIGTERM and a closed stdout as one line (or none)."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        global _MAIN_PID
        main_thread = threading.current_thread() is threading.main_thread()
        _MAIN_PID = os.getpid()
        previous = signal.signal(signal.SIGTERM, _raise_terminated) if main_thread else None
        try:
            return super().invoke(ctx)
        except ScorerError as err:
            click.echo(f"scorer: error: {terminal_safe(err)}", err=True)
            sys.exit(2)
        except KeyboardInterrupt as exc:
            click.echo(f"scorer: {interrupt_word(exc)}", err=True)
            sys.exit(interrupt_status(exc))
        except BrokenPipeError:
            _quiet_stdout()
            sys.exit(128 + 13)
        except RuntimeError as exc:
            # a worker was killed (the OOM killer, a kill): BrokenProcessPool, looked up only if a
            # pool was used at all (importing it would load multiprocessing on every command)
            pools = sys.modules.get("concurrent.futures.process")
            if pools is None or not isinstance(exc, pools.BrokenProcessPool):
                raise
            click.echo("scorer: error: a worker process died (killed, or out of memory); finished work is kept "
                       "as each command says (an index add is all or nothing); rerun with fewer --workers",
                       err=True)
            sys.exit(1)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
