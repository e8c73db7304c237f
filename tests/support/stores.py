"""The stores every reading test shares, built once per test session (conftest.py's
``example_store`` and ``marked_up_store``), and the guard that keeps them as built.

A shared store is built in-process from the session's conversions of the examples, as
ingest stores a session (its graph, and its source kept under its hash), then published
once. ``tests/test_cli_store.py`` checks that it holds exactly what `committee-kg ingest`
stores from the same files.

A test that shares a store must only read it: open it through ``Snapshot`` (read-only),
serve it, query it, dump it elsewhere. Its fingerprint (every file's path, size and
modification time, CURRENT among them) is taken when the store is built and compared after
every test that uses it, so a test that writes to it fails at once, by name. A test that
writes copies it first (``writable_copy``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from committee_kg.server.store.store import Store


def build_published_store(path: Path, conversions: Iterable) -> Path:
    """A published store of these conversions, stored in the order given as ingest stores a
    session: its source kept under its sha256, then its graph replaced."""
    store = Store(path)
    store.load_reference()
    for conv in conversions:
        document = conv.minutes.document
        store.keep_source(Path(document.path), document.sha256)
        store.replace_graph(conv.graph_name, conv.graph)
    store.publish()
    store.close()
    return path


def fingerprint(path: Path) -> dict[str, tuple[int, int]]:
    """Every file under the store: its size and modification time (ns), by relative path.
    Any write — a new generation, CURRENT switched, the live store opened for writing, a
    source kept — changes it."""
    out = {}
    for folder, _, files in os.walk(path):
        for name in files:
            full = Path(folder, name)
            st = full.stat()
            out[str(full.relative_to(path))] = (st.st_size, st.st_mtime_ns)
    return out


def changes(path: Path, before: dict[str, tuple[int, int]]) -> list[str]:
    """What differs from the fingerprint ``before``, one line per file (the first five)."""
    after = fingerprint(path)

    def how(name: str) -> str:
        return "added" if name not in before else "removed" if name not in after else "changed"

    lines = [
        f"{name}: {how(name)}"
        for name in sorted(before.keys() | after.keys())
        if before.get(name) != after.get(name)
    ]
    return lines[:5] + ([f"and {len(lines) - 5} more"] if len(lines) > 5 else [])


def writable_copy(shared: Path, target: Path) -> Path:
    """A store of one's own to write to, copied from a shared one (cheaper than building)."""
    shutil.copytree(shared, target, symlinks=True)
    return target
