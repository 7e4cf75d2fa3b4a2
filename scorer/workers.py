"""Forked worker processes that stop cleanly: one pool recipe for provenance and the archive index.

(:func:`ordered_map_on` does the same mapping on a ``dask.distributed`` cluster.)

A ``concurrent.futures.ProcessPoolExecutor`` on the ``fork`` start method, because
it notices a worker that died (a ``kill`` to the whole process group, the OOM
killer) and can be abandoned at once. ``multiprocessing.Pool`` cannot: a worker
killed while it holds the task queue's lock leaves ``Pool.terminate()`` waiting
for that lock forever, which is how ``scorer index build`` used to hang after
``kill -TERM`` to its process group.

Ctrl-C belongs to the parent: workers ignore SIGINT (it is blocked while they are
forked, so none dies of it before ignoring it), and the parent stops them with
:func:`stop_pool` on its way out.
"""

from __future__ import annotations

import signal
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from itertools import islice
from typing import Any, Callable, Iterable, Iterator


def ignore_sigint() -> None:
    """Worker initializer: ignore Ctrl-C, then unblock it (an interrupt in between is dropped)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def forked_pool(workers: int) -> ProcessPoolExecutor | None:
    """A pool of ``workers`` forked processes (None for one worker, or where fork is missing)."""
    import multiprocessing as mp

    if workers <= 1 or "fork" not in mp.get_all_start_methods():
        return None
    return ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"), initializer=ignore_sigint)


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop a pool at once: cancel queued work and end its workers (on Ctrl-C, ``kill`` or an error)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # pid -> Process (None once shut down)
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        if proc.is_alive():
            proc.terminate()
    for proc in processes:
        proc.join(timeout=2)
        if proc.is_alive():
            proc.kill()


@contextmanager
def sigint_blocked() -> Iterator[None]:
    """Ctrl-C held back while the body runs; wrap the first submit to a pool, which forks its workers.

    No worker may die of a Ctrl-C before its initializer ignores it; the parent
    receives a Ctrl-C that arrived meanwhile when the body ends.
    """
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def default_workers() -> int:
    """Processes to use by default: the cores this process may run on, at most 4.

    The cores it may run on, not ``os.cpu_count()``: in a container or CI job
    the machine can report far more cores than the job is given, and a pool
    that large only competes for memory.
    """
    import os

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(4, usable))


def _apply(fn: Callable[[Any], Any], chunk: list) -> list:
    return [fn(item) for item in chunk]


def _windowed(submit: Callable[..., Any], fn: Callable[[Any], Any], items: Iterable[Any], chunksize: int,
              in_flight: int) -> Iterator[Any]:
    """``fn`` of every item, in input order, with at most ``in_flight`` chunks submitted at a time.

    ``submit(_apply, fn, chunk)`` returns a future (``concurrent.futures`` or Dask);
    stopped early, the futures still pending are cancelled.
    """
    source = iter(items)
    window: deque = deque()
    try:
        while True:
            while len(window) < in_flight:
                chunk = list(islice(source, chunksize))
                if not chunk:
                    break
                window.append(submit(_apply, fn, chunk))
            if not window:
                return
            yield from window.popleft().result()
    finally:
        for future in window:
            future.cancel()


def ordered_map(fn: Callable[[Any], Any], items: Iterable[Any], workers: int, chunksize: int = 32) -> Iterator[Any]:
    """``map(fn, items)`` on forked workers, in input order, reading ``items`` as it goes.

    At most four chunks per worker are in flight, so a corpus streamed from disk is
    never held in memory whole. Stopped early (Ctrl-C, ``kill``, an error, or the
    caller closing the iterator), the workers are stopped with it.
    """
    pool = forked_pool(workers)
    if pool is None:
        yield from map(fn, items)
        return
    forked: list[bool] = []

    def submit(*args: Any) -> Future:
        if forked:
            return pool.submit(*args)
        forked.append(True)
        with sigint_blocked():  # the first submit forks the workers
            return pool.submit(*args)

    done = False
    try:
        yield from _windowed(submit, fn, items, chunksize, 4 * workers)
        done = True
    finally:
        if done:
            pool.shutdown()
        else:
            stop_pool(pool)


def ordered_map_on(client: Any, fn: Callable[[Any], Any], items: Iterable[Any], chunksize: int = 32) -> Iterator[Any]:
    """:func:`ordered_map` on a ``dask.distributed`` client: chunks run as tasks on its workers.

    At most four chunks per worker are in flight, in input order; stopped early, the
    tasks still pending are cancelled (the cluster itself is the caller's).
    """
    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    yield from _windowed(lambda *args: client.submit(*args, pure=False), fn, items, chunksize, 4 * n_workers)
