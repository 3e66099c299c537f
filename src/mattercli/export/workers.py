"""Worker processes for an export: tasks run in order of submission with a bounded number in flight, so neither
the inputs (matter files, a list's rows) nor the results pile up in memory or in the pool's queues.

The pool is started (forked where the system can) when the first task is submitted — before the catalogue is
loaded, while this process is small — and serves both the reading of matter files and the writing of formats.
With one job everything runs in this process."""

from __future__ import annotations

import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context
from typing import Any, TypeVar

from mattercli.catalogue import leftovers

T = TypeVar("T")
R = TypeVar("R")

#: Tasks in flight per worker: one running, one queued behind it so the worker never waits, one spare.
IN_FLIGHT_PER_WORKER = 3


def _call(fn: Callable[[T], R], item: bytes) -> R:
    return fn(pickle.loads(item))


def _start(initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    """Each worker: die with the parent (kill -9 included), then the caller's initializer."""
    leftovers.die_with_parent()
    if initializer is not None:
        initializer(*initargs)


class Workers:
    """`jobs` processes (or this one) running tasks; `initializer(*initargs)` runs first in each of them."""

    def __init__(
        self, jobs: int, initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()
    ) -> None:
        self.jobs = max(1, jobs)
        self._pool: ProcessPoolExecutor | None = None
        if self.jobs == 1:
            if initializer is not None:
                initializer(*initargs)
        else:
            methods = get_all_start_methods()
            context = get_context("fork") if "fork" in methods else get_context()
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=context, initializer=_start, initargs=(initializer, initargs)
            )

    @property
    def parallel(self) -> bool:
        return self._pool is not None

    def map(self, fn: Callable[[T], R], items: Iterable[T], per_worker: int = IN_FLIGHT_PER_WORKER) -> Iterator[R]:
        """fn(item) for each item, in order. At most `per_worker` items per worker are taken from `items` and not yet
        given back; the next item is only taken when there is room. An item is pickled when it is taken, so what
        waits for a worker is its pickle (compact: a pickle holds each shared object once), not the item."""
        if self._pool is None:
            for item in items:
                result = fn(item)
                del item
                yield result
            return
        in_flight = self.jobs * max(1, per_worker)
        pending: deque[Future[R]] = deque()
        try:
            for item in items:
                pending.append(self._pool.submit(_call, fn, pickle.dumps(item, pickle.HIGHEST_PROTOCOL)))
                del item  # not kept alive while `items` makes the next one
                if len(pending) >= in_flight:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()

    def map_with_input(
        self, fn: Callable[[T], R], items: Iterable[T], per_worker: int = IN_FLIGHT_PER_WORKER
    ) -> Iterator[tuple[T, R]]:
        """(item, fn(item)) for each item, in order (as `map`; the items in flight are kept here)."""
        taken: deque[T] = deque()

        def remembered() -> Iterator[T]:
            for item in items:
                taken.append(item)
                yield item

        for result in self.map(fn, remembered(), per_worker):
            yield taken.popleft(), result

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
