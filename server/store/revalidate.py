"""Re-validating a published store: every session in it against the shapes of today.

Shapes change (a new rule, a stricter datatype); the sessions stored under the old ones
must then be checked again, and a store of every commission over twenty years holds some
40,000. Each session is read as the store dumps it (N-Triples) and goes to the fast
engine as text, never through rdflib unless it has findings (loaders.validate.
validate_stored). The work is spread over worker processes that each open the same
generation read-only: the GIL does not cap them, and only the graph names and the
findings travel between processes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from committee_kg.loaders.pool import process_pool
from committee_kg.loaders.validate import Finding, fast_engine_error, validate_stored
from committee_kg.loaders.vocab import CKG, DEFAULT_BASE

from ..settings import is_url
from .store import GENERATIONS, Snapshot

_CHUNK = 32  # sessions per task: few enough messages, small enough to share out evenly
_db: ox.Store | None = None  # a worker's read-only view of the generation
_base = DEFAULT_BASE


@dataclass
class Checked:
    """One stored session's verdict: what travels back from a worker."""

    graph: str
    meeting: str
    conforms: bool
    engine: str
    findings: list[Finding] = field(default_factory=list)


def sessions(db: ox.Store) -> list[tuple[str, str]]:
    """(graph, meeting) of every stored session, in graph order (sorted here: pyoxigraph's
    ORDER BY took 3.3 s of 3.9 at 40,000 sessions)."""
    rows = db.query(f"SELECT ?g ?m WHERE {{ GRAPH ?g {{ ?m a <{CKG.Meeting}> }} }}")
    return sorted((row[0].value, row[1].value) for row in rows)


def _open(generation: str, base: str) -> None:
    global _db, _base
    _db = ox.Store.read_only(generation)
    _base = base  # the store's: its sessions name the reference data under it
    fast_engine_error()  # compile the shapes once, before the first session


def _check(jobs: list[tuple[str, str]]) -> list[Checked]:
    out = []
    for graph, meeting in jobs:
        text = _db.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
        report = validate_stored(text.decode("utf-8"), _base)
        out.append(Checked(graph, meeting, report.conforms, report.engine, report.findings))
    return out


def revalidate(store_dir: str | Path, workers: int | None = None) -> Iterator[Checked]:
    """Every session of the store's current generation, checked, in graph order.

    ``workers``: processes (default: one per CPU); 1 runs in this process."""
    global _db, _base
    if is_url(store_dir):  # a SPARQL server: each session read over HTTP, here
        from .remote import remote_db

        fast_engine_error()
        _db = remote_db(str(store_dir))
        _base = _db.base
        jobs = sessions(_db)
        for i in range(0, len(jobs), _CHUNK):
            yield from _check(jobs[i : i + _CHUNK])
        return
    snapshot = Snapshot(store_dir)
    generation = str(Path(store_dir) / GENERATIONS / snapshot.generation)
    base = snapshot.base
    jobs = sessions(snapshot.db)
    del snapshot
    chunks = [jobs[i : i + _CHUNK] for i in range(0, len(jobs), _CHUNK)]
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(chunks) < 2:
        _open(generation, base)
        for chunk in chunks:
            yield from _check(chunk)
        return
    with process_pool(workers, _open, (generation, base)) as pool:
        for done in pool.map(_check, chunks):
            yield from done
