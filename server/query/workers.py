"""Query workers: processes that each hold the current store generation open read-only.

pyoxigraph cannot cancel a running query, so a query runs in a worker process, and a query
past the time limit is stopped by killing that process; a fresh worker takes its place and
the server keeps answering. Workers reopen the store when a new generation is published
(``Snapshot.is_current``), so ingest while serving never blocks them. Processes come from a
fork server: forking the threaded web server itself could copy a lock held by another
thread.

Each worker is confined before it opens the store (``sandbox.py``, issue 16): it cannot
open a network connection, whatever query reaches the engine, and it is stopped when it
holds more memory than ``worker_memory_mb`` (checked while the query runs; an allocation
far past the cap fails in the worker itself).

A store on a SPARQL server (issue 20) needs no worker processes: no engine runs here, a
query is an HTTP request, and what stops it is the time limit on our side
(``RemoteQueries``). ``query_runner`` picks one or the other for the store; both have
``run`` and ``close``.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import resource
import select
import signal
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

from committee_kg.loaders import errors
from committee_kg.loaders.errors import (
    CommitteeKGError,
    QueryError,
    QueryTimeout,
    ServerBusy,
    StoreError,
)

from ..settings import is_url
from ..store.remote import RemoteSnapshot
from ..store.store import Snapshot
from .sandbox import confine
from .sparql import Request, Result
from .textsearch import run

IDLE_CHECK = 0.5  # seconds between an idle worker's looks for a new generation
WATCH = 0.05  # seconds between looks at a busy worker's memory
_PAGE = resource.getpagesize()

# errors a worker may send back, rebuilt by name on the server's side
_ERRORS = {
    cls.__name__: cls
    for cls in (
        errors.QueryError,
        errors.QueryRefused,
        errors.UpdateRefused,
        errors.QueryTimeout,
        errors.StoreError,
    )
}


def die_with(server: int) -> None:
    """Make this query worker die when the server process does (issue 16). Its parent is
    the fork server, which lives as long as any of its children does, so a worker busy
    with a runaway query outlived a killed server, and kept the fork server alive too. A
    thread waits for the server's end (the engine lets it run while a query does)."""
    threading.Thread(target=_wait_for_end, args=(server,), daemon=True).start()


def _wait_for_end(pid: int) -> None:
    try:
        handle = os.pidfd_open(pid)  # readable once the process has ended
    except (AttributeError, OSError):  # not Linux 5.3+, or already gone
        while _alive(pid):
            time.sleep(IDLE_CHECK)
    else:
        select.select([handle], [], [])
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's: ours has gone and the number was reused
        return False
    return True


class WorkerLost(QueryError):
    """A worker died while answering (a crash, not a refusal): the server says 500, and
    keeps how it died to itself."""

    http_status = 500
    title = "Internal error"
    http_detail = "the query could not be answered"


class QueryMemoryExceeded(QueryTimeout):
    """A query took its worker past the memory cap and was stopped, like one past the time
    limit: 503, and the server goes on with a fresh worker."""


def _serve(
    store: str, conn: Connection, memory_cap: int | None = None, server: int | None = None
) -> None:
    """A worker's life: answer requests on conn until the server goes away. While idle it
    watches for a newly published generation and opens it before the next query comes,
    so the first query on a new generation does not pay for opening the store."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    if server is not None:
        die_with(server)
    confine(memory_cap)  # before anything of the engine runs here (issue 16)
    snapshot = _open(store, None)
    while True:
        try:
            if not conn.poll(IDLE_CHECK):
                snapshot = _open(store, snapshot)
                continue
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            snapshot = _open(store, snapshot)
            if snapshot is None:
                snapshot = Snapshot(store)  # raises StoreError saying what is missing
            result = run(snapshot, request)  # narrowed by the text index if it can be
            result.generation = snapshot.generation
        except CommitteeKGError as exc:
            conn.send(("error", type(exc).__name__, exc.message, exc.where, exc.fields))
            continue
        conn.send(("ok", result))


def _open(store: str, snapshot: Snapshot | None) -> Snapshot | None:
    """The current generation: the one already open, or a newly published one."""
    if snapshot is not None and snapshot.is_current():
        return snapshot
    try:
        return Snapshot(store)
    except StoreError:
        return snapshot


@dataclass(eq=False)  # identity, so workers can sit in a set
class _Worker:
    process: mp.process.BaseProcess
    conn: Connection


class WorkerPool:
    """A fixed number of query workers; ``run`` lends one to a request. Not a pool of
    ``committee_kg.loaders.pool``: a worker is killed and replaced on its own, which would
    break a ProcessPoolExecutor as a whole."""

    def __init__(
        self,
        store: str,
        *,
        workers: int,
        timeout: float,
        wait: float | None = None,
        memory_mb: int | None = None,
    ):
        self.store = store
        self.size = max(1, workers)
        self.timeout = timeout
        self.wait = timeout if wait is None else wait  # for a worker to become free
        self.memory = memory_mb << 20 if memory_mb else None
        self._ctx = mp.get_context("forkserver")
        self._ctx.set_forkserver_preload(["committee_kg.server.query.workers"])
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(self.size):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(
            target=_serve,
            args=(self.store, child, self.memory, os.getpid()),
            name="committee-kg query worker",
            daemon=True,
        )
        proc.start()
        child.close()
        worker = _Worker(proc, parent)
        with self._lock:
            self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker (stuck or dead) and put a fresh one in its place."""
        worker.process.kill()
        worker.process.join(5)
        worker.conn.close()
        with self._lock:
            self._all.discard(worker)
            if self._closed:
                return
        self._idle.put(self._start())

    def run(self, request: Request, timeout: float | None = None) -> Result:
        """Answer one request within the time limit, or raise QueryTimeout."""
        limit = self.timeout if timeout is None else timeout
        try:
            worker = self._idle.get(timeout=self.wait)
        except queue.Empty:
            raise ServerBusy(
                f"all {self.size} query workers stayed busy for {self.wait:g} s; try again later",
                retry_after=max(1, round(limit)),
            ) from None
        try:
            worker.conn.send(request)
        except OSError:
            self._replace(worker)
            raise WorkerLost("the query worker stopped unexpectedly") from None
        self._wait(worker, limit)
        try:
            reply = worker.conn.recv()
        except (EOFError, OSError):
            self._replace(worker)
            if worker.process.exitcode == -signal.SIGABRT:
                # the engine aborts when an allocation fails: the backstop under the cap
                raise self._over_memory(limit) from None
            raise WorkerLost("the query worker stopped unexpectedly") from None
        self._idle.put(worker)
        if reply[0] == "ok":
            return reply[1]
        _, name, message, where, fields = reply
        raise _ERRORS.get(name, QueryError)(message, where=where, fields=fields)

    def _wait(self, worker: _Worker, limit: float) -> None:
        """Until the worker answers (or dies: a dead worker reads as ready, EOF), watching
        its memory; past the time limit or the memory cap it is killed and replaced."""
        deadline = time.monotonic() + limit
        while not worker.conn.poll(min(WATCH, max(0.0, deadline - time.monotonic()))):
            if time.monotonic() >= deadline:
                self._replace(worker)
                raise QueryTimeout(
                    f"the query ran longer than the time limit of {limit:g} s and was stopped",
                    fields={"timeout": limit},
                )
            if self.memory and _anonymous_bytes(worker.process.pid) > self.memory:
                self._replace(worker)
                raise self._over_memory(limit)

    def _over_memory(self, limit: float) -> QueryMemoryExceeded:
        return QueryMemoryExceeded(
            f"the query needed more memory than the {self.memory >> 20} MB a query worker "
            "may hold, and was stopped",
            fields={"timeout": limit},
        )

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.process.kill()
        for w in workers:
            w.process.join(5)
            w.conn.close()


def _anonymous_bytes(pid: int) -> int:
    """Memory the process holds that is not a mapped file (resident minus shared)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            fields = f.read().split()
    except OSError:  # gone, or not Linux: nothing to measure
        return 0
    return (int(fields[1]) - int(fields[2])) * _PAGE


class RemoteQueries:
    """Queries on a store on a SPARQL server: each one an HTTP request, in a thread of its
    own holding one of ``workers`` places until the server has answered. Our rules run as
    in a worker (``run``: updates, SERVICE, graphs not stored, nesting refused; the row
    cap). The request waits at most the time limit: past it the client has its 503, and the
    thread, left to end with the HTTP timeout (the same limit), keeps its place till then,
    so a slow server cannot have more than ``workers`` queries from us at once. Nothing is
    killed here: the server stops the query by its own limits (the README says which)."""

    def __init__(self, store: str, *, workers: int, timeout: float, wait: float | None = None):
        self.store = store
        self.size = max(1, workers)
        self.timeout = timeout
        self.wait = timeout if wait is None else wait
        self._places = threading.BoundedSemaphore(self.size)
        self._lock = threading.Lock()
        self._snapshot: RemoteSnapshot | None = None

    def _current(self) -> RemoteSnapshot:
        with self._lock:
            if self._snapshot is None or not self._snapshot.is_current():
                self._snapshot = RemoteSnapshot(self.store, timeout=self.timeout)
            return self._snapshot

    def run(self, request: Request, timeout: float | None = None) -> Result:
        limit = self.timeout if timeout is None else timeout
        if not self._places.acquire(timeout=self.wait):
            raise ServerBusy(
                f"all {self.size} places for queries to the SPARQL server stayed busy for "
                f"{self.wait:g} s; try again later",
                retry_after=max(1, round(limit)),
            )
        box: dict[str, object] = {}

        def work() -> None:
            try:
                snapshot = self._current()
                result = run(snapshot, request)  # no index on a server: the scan
                result.generation = snapshot.generation
                box["ok"] = result
            except CommitteeKGError as exc:
                box["error"] = exc
            except Exception as exc:  # said as a lost query; the log has what it was
                print(
                    f"committee-kg: a query to the SPARQL server failed: {exc!r}", file=sys.stderr
                )
                box["error"] = WorkerLost("the query to the SPARQL server failed")
            finally:
                self._places.release()

        thread = threading.Thread(target=work, name="committee-kg remote query", daemon=True)
        thread.start()
        thread.join(limit)
        if "ok" in box:
            return box["ok"]  # type: ignore[return-value]
        if "error" in box:
            raise box["error"]  # type: ignore[misc]
        raise QueryTimeout(
            f"the SPARQL server did not answer within the time limit of {limit:g} s",
            fields={"timeout": limit},
        )

    def close(self) -> None:
        pass  # threads end with their HTTP requests


def query_runner(
    store: str, *, workers: int, timeout: float, wait: float | None, memory_mb: int | None
) -> WorkerPool | RemoteQueries:
    """What answers queries on this store: worker processes on a directory's generation,
    HTTP requests for a SPARQL server's URL."""
    if is_url(store):
        return RemoteQueries(store, workers=workers, timeout=timeout, wait=wait)
    return WorkerPool(store, workers=workers, timeout=timeout, wait=wait, memory_mb=memory_mb)
