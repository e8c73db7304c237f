"""What one app holds and its routes share, in ``app.extensions["committee_kg"]``: the
current snapshot, the query workers, the admission's places, the caches and the limits.
``create_app`` makes it; a route reads it with ``state()``.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import current_app

from committee_kg.loaders.errors import StoreError

from ..store.store import CURRENT, Session, Snapshot
from .cache import Cache

KEY = "committee_kg"


def state() -> dict:
    """The state of the app serving this request."""
    return current_app.extensions[KEY]


class SnapshotHolder:
    """The current snapshot for the web process's own light reads (start page, health)."""

    def __init__(self, path: str):
        self.path = path
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._sessions: Cache[str, list[Session]] = Cache(1)  # of the current generation

    def get(self) -> Snapshot:
        with self._lock:
            if self._snapshot is None or not self._snapshot.is_current():
                self._snapshot = Snapshot(self.path)
            return self._snapshot

    def generation(self) -> str:
        try:
            return (Path(self.path) / CURRENT).read_text().strip()
        except OSError as exc:
            raise StoreError(
                "no published store here; run `committee-kg ingest` first", file=self.path
            ) from exc

    def sessions(self) -> list[Session]:
        """The session list (no triple counts: those read the whole store), computed once per
        generation."""
        snap = self.get()
        found, _ = self._sessions.get_or_make(snap.generation, lambda: snap.sessions(triples=False))
        return found
