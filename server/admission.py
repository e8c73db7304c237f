"""How many requests of each kind are in flight at once (issue 16, problem 2).

waitress gives each request a thread from a fixed pool and queues the rest without bound,
so twenty runaway queries once held every thread and /health waited behind them for
13 s. Here each kind of request has a bounded number of places: queries (those that go to
a worker: the workers plus ``query_queue`` waiting for one) and pages (``page_threads``:
resource pages, graph views, dumps). A request that finds no free place is answered at
once with 503 and Retry-After; the server's thread pool is larger than all places
together, so /health, the editor and static files always find a thread.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from loaders.errors import CommitteeKGError


class ServerBusy(CommitteeKGError):
    """Every place for this kind of request is taken: try again after ``retry_after`` s."""

    status = 503
    title = "Server busy"

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.headers = {"Retry-After": str(retry_after)}


class Admission:
    def __init__(self, *, queries: int, pages: int, retry_after: int):
        self.sizes = {"query": max(1, queries), "page": max(1, pages)}
        self._places = {kind: threading.BoundedSemaphore(n) for kind, n in self.sizes.items()}
        self.retry_after = max(1, retry_after)

    @property
    def places(self) -> int:
        return sum(self.sizes.values())

    def enter(self, kind: str) -> None:
        if not self._places[kind].acquire(blocking=False):
            raise ServerBusy(
                f"all {self.sizes[kind]} places for {kind} requests are taken; "
                f"try again in {self.retry_after} s",
                retry_after=self.retry_after,
            )

    def leave(self, kind: str) -> None:
        self._places[kind].release()

    @contextmanager
    def place(self, kind: str) -> Iterator[None]:
        self.enter(kind)
        try:
            yield
        finally:
            self.leave(kind)
