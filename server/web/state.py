"""What one app holds and its routes share, in ``app.extensions["committee_kg"]``: the
current snapshot, the query workers, the admission's places, the caches and the limits.
``create_app`` makes it; a route reads it with ``state()``.

The snapshot is whatever ``open_snapshot`` gives for the store: a directory's current
generation, or a SPARQL server read through ``RemoteSnapshot`` (issue 20), whose
"generation" is the server's publication counter; routes read either the same way.
"""

from __future__ import annotations

import threading
from pathlib import Path

from flask import current_app

from committee_kg.loaders.errors import StoreError
from committee_kg.loaders.vocab import DEFAULT_BASE

from ..settings import is_url
from ..store.remote import RemoteSnapshot, open_snapshot
from ..store.store import Session, Snapshot, Store
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

    def get(self) -> Snapshot | RemoteSnapshot:
        with self._lock:
            if self._snapshot is None or not self._snapshot.is_current():
                self._snapshot = open_snapshot(self.path)
            return self._snapshot

    def generation(self) -> str:
        """The generation (or a server's publication) requests are answered from now."""
        return self.get().generation

    def base(self) -> str:
        """The store's base; without a published store, the base it would have."""
        try:
            return self.get().base
        except StoreError:
            if is_url(self.path):
                raise
            return Store.recorded_base(Path(self.path)) or DEFAULT_BASE

    def sessions(self) -> list[Session]:
        """The session list (no triple counts: those read the whole store), computed once per
        generation."""
        snap = self.get()
        found, _ = self._sessions.get_or_make(snap.generation, lambda: snap.sessions(triples=False))
        return found
