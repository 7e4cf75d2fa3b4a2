"""Errors the tool reports to users as one clear line instead of a traceback."""

from __future__ import annotations


class ScorerError(Exception):
    """Base class: anything the command line prints as a one-line message."""


class InputError(ScorerError):
    """An input (file, corpus record, model file) that cannot be used, and why.

    The message always names the input first, so that a user scanning a long
    batch log can find the file: ``"seeds/x.bin: binary file, not text"``.
    """

    def __init__(self, source: object, problem: str) -> None:
        self.source = str(source)
        self.problem = problem
        super().__init__(f"{self.source}: {problem}")

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        """Rebuilt from (source, problem), so the error crosses a process pool intact.

        Without this, unpickling calls ``InputError(message)`` and fails, and a
        multiprocessing worker that receives one dies silently, hanging the pool.
        """
        return (type(self), (self.source, self.problem))
