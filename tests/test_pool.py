"""The one pool of worker processes (loaders/pool.py) that validate, ingest and
re-validation use: spawned workers, each initialised once before its first task, that die
with the process that made the pool (issue 16)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from committee_kg.loaders.pool import process_pool

MARK = "imported"  # the test sets it at run time: a forked worker would inherit the change
_given = None


def _remember(value: str) -> None:
    global _given
    _given = value


def _state() -> tuple:
    return os.getpid(), os.getppid(), MARK, _given


def _fail() -> None:
    raise RuntimeError("no start")


def test_workers_are_spawned_and_initialised_first(monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "MARK", "changed in the parent")
    with process_pool(2, _remember, ("given",)) as pool:
        states = [pool.submit(_state).result() for _ in range(4)]
    for pid, parent, mark, given in states:
        assert pid != os.getpid() and parent == os.getpid()
        assert mark == "imported"  # spawned: a fresh interpreter, nothing of the parent's
        assert given == "given"


def test_an_initialiser_that_fails_breaks_the_pool():
    with process_pool(1, _fail) as pool, pytest.raises(BrokenProcessPool):
        pool.submit(_state).result()


PARENT = """
    import os, signal, sys, time
    from pathlib import Path

    from committee_kg.loaders.pool import process_pool


    def hold(folder):
        Path(folder, str(os.getpid())).touch()
        time.sleep(60)


    if __name__ == "__main__":
        folder = sys.argv[1]
        pool = process_pool(2)
        futures = [pool.submit(hold, folder) for _ in range(2)]  # two busy workers
        deadline = time.monotonic() + 60
        while len(os.listdir(folder)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGKILL)
"""


def test_workers_die_with_a_killed_parent(tmp_path):
    script, folder = tmp_path / "parent.py", tmp_path / "workers"
    script.write_text(textwrap.dedent(PARENT))
    folder.mkdir()
    with open(tmp_path / "output", "w") as out:  # not a pipe: a survivor would hold it open
        done = subprocess.run(
            [sys.executable, str(script), str(folder)], stdout=out, stderr=out, timeout=120
        )
    assert done.returncode == -signal.SIGKILL, (tmp_path / "output").read_text()
    workers = [int(p.name) for p in folder.iterdir()]
    assert len(workers) == 2, (tmp_path / "output").read_text()
    deadline = time.monotonic() + 20
    while (left := [p for p in workers if alive(p)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left, f"workers of the killed parent still alive: {left}"


def alive(pid: int) -> bool:
    """Running, not a zombie waiting for its parent to read its status."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except OSError:
        return False
