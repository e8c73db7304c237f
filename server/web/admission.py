"""How many requests of each kind are in flight at once (issue 16, problem 2).

waitress gives each request a thread from a fixed pool and queues the rest without bound,
so twenty runaway queries once held every thread and /health waited behind them for
13 s. Here each kind of request has a bounded number of places, some to run and some to
wait in: queries (the workers run them, ``query_queue`` more wait for a worker) and pages
(``page_threads`` run at once — resource pages, graph views, dumps — and ``page_queue``
more wait). A request that finds no place at all is answered at once with 503 and
Retry-After, as is one that waited ``request_timeout`` in vain; the server's thread pool
is larger than all places together, so /health, the editor and static files always find
a thread.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from committee_kg.loaders.errors import ServerBusy


@dataclass
class _Kind:
    places: int  # in flight at once, running or waiting
    admitted: threading.BoundedSemaphore
    running: threading.BoundedSemaphore | None  # None: the caller bounds it (the workers)


class Admission:
    def __init__(self, *, queries: int, pages: int, page_queue: int, wait: float, retry_after: int):
        self.wait = wait
        self.retry_after = max(1, retry_after)
        self.kinds = {
            "query": _kind(max(1, queries), None),
            "page": _kind(max(1, pages) + max(0, page_queue), max(1, pages)),
        }

    @property
    def places(self) -> int:
        return sum(k.places for k in self.kinds.values())

    def enter(self, kind: str) -> None:
        k = self.kinds[kind]
        if not k.admitted.acquire(blocking=False):
            raise self._busy(f"all {k.places} places for {kind} requests are taken")
        if k.running is not None and not k.running.acquire(timeout=self.wait):
            k.admitted.release()
            raise self._busy(f"no {kind} request could start within {self.wait:g} s")

    def leave(self, kind: str) -> None:
        k = self.kinds[kind]
        if k.running is not None:
            k.running.release()
        k.admitted.release()

    @contextmanager
    def place(self, kind: str) -> Iterator[None]:
        self.enter(kind)
        try:
            yield
        finally:
            self.leave(kind)

    def _busy(self, why: str) -> ServerBusy:
        return ServerBusy(f"{why}; try again in {self.retry_after} s", retry_after=self.retry_after)


def _kind(places: int, running: int | None) -> _Kind:
    return _Kind(
        places,
        threading.BoundedSemaphore(places),
        threading.BoundedSemaphore(running) if running is not None else None,
    )
