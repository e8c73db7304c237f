"""Worker processes for batch work: the one way validate, ingest and re-validation start them.

``process_pool`` is a ProcessPoolExecutor whose workers

* are spawned, not forked: a forked child would inherit the parent's open store (its file
  locks and native state), and any lock another thread of the parent held at the moment of
  the fork; a spawned one starts a fresh interpreter and imports what it needs;
* die with the process that made the pool (``die_with_parent``, issue 16): otherwise, after
  kill -9 of their parent (or the out-of-memory killer), they lived on blocked on their
  task queue, some 300 MB each, holding the parent's output open;
* then run the pool's own initialiser, if it has one (compiling the shapes, opening a
  store), once each, before their first task; if it raises, the pool is broken, as a
  ProcessPoolExecutor's is.

The server's query workers (``committee_kg.server.query.workers``) are not made here. Each answers
one query at a time and is killed when the query outruns its time or memory limit, then
replaced while the others go on serving; a ProcessPoolExecutor cannot kill one of its
workers without breaking the whole pool. They also come from a fork server that has their
module loaded already (forking the threaded web server itself could copy a lock another
thread holds), so their parent is the fork server, not the server: each watches the
server's process instead of its parent.

This module lives in loaders, the side the server imports, never the reverse.
"""

from __future__ import annotations

import ctypes
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent dies
WATCH = 0.5  # seconds between looks at the parent, where prctl is missing


def process_pool(
    workers: int,
    initializer: Callable[..., object] | None = None,
    initargs: tuple = (),
) -> ProcessPoolExecutor:
    """A pool of ``workers`` spawned processes that die with this one; each runs
    ``initializer(*initargs)`` (a module-level function: it is sent by name) first."""
    return ProcessPoolExecutor(
        workers,
        get_context("spawn"),
        initializer=_start,
        initargs=(os.getpid(), initializer, initargs),
    )


def _start(parent: int, initializer: Callable[..., object] | None, initargs: tuple) -> None:
    die_with_parent(parent)
    if initializer is not None:
        initializer(*initargs)


def die_with_parent(parent: int) -> None:
    """Make this worker process die when ``parent`` does (issue 16). Linux kills it with
    SIGKILL the moment the parent goes; other systems get a thread that watches the parent.
    Called first thing in the worker."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except AttributeError:  # no prctl: not Linux
        threading.Thread(target=_watch, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before we asked
        os._exit(1)


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH)
    os._exit(1)
