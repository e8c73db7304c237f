"""Stage 5: the SHACL gate. A session with a violation never reaches the store.

The shapes of shapes/ (core.ttl: one node at a time; rules.ttl: SHACL-SPARQL rules across
nodes) run over the session's graph merged with the ontology and the reference data it
mentions. Two engines run the same shapes:

* pyshacl, the reference (``validate_pyshacl``): ~150 ms of CPU a session;
* the fast engine (``validate_fast``), ~10x less CPU (bench/validate.py): pyshacl-turbo for
  SHACL Core, pyoxigraph for the SHACL-SPARQL rules, on the session written once as
  N-Triples.

``validate`` (ingest, the CLI) accepts a session the fast engine finds conforming; a
session it would reject is validated again by pyshacl, so a rejection carries exactly the
findings it always did. (The two differ only where a SHACL Core shape rejects the session
anyway: rdflib orders literals SPARQL cannot compare, a date with a dateTime, where
pyoxigraph, as SPARQL says, finds a type error.) The fast engine also steps aside, for
pyshacl, wherever it would not see what pyshacl sees: a blank node, an IRI N-Triples cannot
carry, or a literal pyoxigraph's store keeps otherwise ("1.0"^^xsd:decimal as "1",
xsd:nonNegativeInteger as xsd:integer) where a SPARQL rule could tell.
tests/test_validation_engines.py runs both engines on every mutation graph of
tests/test_shapes.py and every example session. CKG_SHACL_ENGINE=pyshacl runs the
reference everywhere.

Violations reject the session; warnings are stored and reported (the severities are
argued at the top of each shapes file).

This module is the stage, and the one place callers import from: which engine's verdict a
session gets (``validate``, ``validate_stored``), and many sessions at once
(``validate_many``). The parts live in ``loaders/validation/``, one job each: the report
model (``report``), the context a session is validated with (``context``), the engines
(``pyshacl_engine``; ``fast_engine`` with its SHACL-SPARQL half, ``sparql_engine``) and the
N-Triples writer (``ntriples``).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from rdflib import Graph

from .defaults import DEFAULT_BASE
from .pool import process_pool
from .validation import context, ntriples, sparql_engine
from .validation.fast_engine import fast_engine_error, validate_fast, validate_written
from .validation.ntriples import Written, session_ntriples, stored_ntriples
from .validation.pyshacl_engine import validate_pyshacl
from .validation.report import Finding, Report, _Raw, _report

__all__ = [
    "ENGINES",
    "ENGINE_VARIABLE",
    "Finding",
    "Report",
    "Written",
    "fast_engine_error",
    "session_ntriples",
    "stored_ntriples",
    "validate",
    "validate_fast",
    "validate_many",
    "validate_pyshacl",
    "validate_stored",
    "validate_written",
]

# what tests/test_validation_engines.py reads of the engines' insides, through this module
_ontology = context._ontology
_ontology_fast = ntriples._ontology_fast
_analyse = sparql_engine._analyse
_sparql_constraints = sparql_engine._sparql_constraints

ENGINES = ("fast", "pyshacl")
ENGINE_VARIABLE = "CKG_SHACL_ENGINE"  # set to "pyshacl" to run the reference everywhere


def validate_stored(text: str, base: str = DEFAULT_BASE) -> Report:
    """One stored session (N-Triples as the store dumps it) against the shapes: the fast
    engine on the text itself; rdflib only for a session with findings (their passages) and
    pyshacl, as in ``validate``, for one the fast engine rejects or cannot see. ``base``: the
    store's, under which its sessions name the reference data."""
    written = stored_ntriples(text, base) if _engine(None) == "fast" else None
    done = validate_written(written) if written else None
    if done is not None and not done[0]:
        return Report(graph=done[1], engine="fast")
    return _settle(Graph().parse(data=text, format="nt"), done, base)


def _settle(graph: Graph, done: tuple[list[_Raw], Graph] | None, base: str) -> Report:
    """The fast engine's report where it finds the session conforming, pyshacl's where it
    would reject it or could not see it (``done`` None): a rejection always carries the
    reference's findings."""
    if done is not None:
        report = _report(graph, done[0], done[1], "fast")
        if report.conforms:
            return report
    return validate_pyshacl(graph, base)


def _engine(engine: str | None) -> str:
    engine = engine or os.environ.get(ENGINE_VARIABLE) or "fast"
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r}; one of {', '.join(ENGINES)}")
    if engine == "fast" and fast_engine_error() is not None:
        _warn_once(fast_engine_error())
        return "pyshacl"
    return engine


@cache
def _warn_once(reason: str) -> None:
    warnings.warn(f"validation falls back to pyshacl: {reason}", RuntimeWarning, stacklevel=3)


def validate(graph: Graph, *, engine: str | None = None, base: str = DEFAULT_BASE) -> Report:
    """Validate one session's graph against the shapes, with the reference data.

    ``engine``: "fast" (the default, or $CKG_SHACL_ENGINE) or "pyshacl" (the reference).
    The fast engine accepts the sessions it finds conforming; a session it would reject,
    or cannot see as pyshacl does, is validated by pyshacl, so a rejection always carries
    the reference's findings (the engines word some findings on ill-typed values
    differently: rdflib orders literals SPARQL cannot compare).

    ``base``: the one the session was minted under (the store's), so that the reference
    data it names is found there."""
    if _engine(engine) != "fast":
        return validate_pyshacl(graph, base)
    written = session_ntriples(graph, base)
    report = _settle(graph, validate_written(written) if written else None, base)
    if report.engine == "fast" and written is not None:
        report.ntriples = written.session
    return report


_POOL_MINIMUM = 256  # fewer sessions: starting worker processes (~1-2 s each) costs more
_CHUNK = 16  # sessions per task sent to a worker process


def _validate_chunk(chunk: list[Written | None]) -> list[tuple[list[_Raw], str] | None]:
    """``validate_written`` in a worker process; report graphs travel as N-Triples."""
    out = []
    for written in chunk:
        done = validate_written(written) if written is not None else None
        out.append(None if done is None else (done[0], done[1].serialize(format="nt")))
    return out


def _warm() -> None:
    """Compile the shapes once in each worker process, before its first session."""
    fast_engine_error()


def _in_threads(graphs: list[Graph], workers: int, base: str) -> list:
    with ThreadPoolExecutor(workers) as pool:
        futures = []
        for g in graphs:  # each submitted as soon as it is written
            written = session_ntriples(g, base)
            futures.append(pool.submit(validate_written, written) if written else None)
        return [f.result() if f else None for f in futures]


def _in_processes(graphs: list[Graph], workers: int, base: str) -> list:
    chunks = [graphs[i : i + _CHUNK] for i in range(0, len(graphs), _CHUNK)]
    with process_pool(workers, _warm) as pool:
        futures = [
            pool.submit(_validate_chunk, [session_ntriples(g, base) for g in c]) for c in chunks
        ]
        results = [r for f in futures for r in f.result()]
    return [None if r is None else (r[0], Graph().parse(data=r[1], format="nt")) for r in results]


def validate_many(
    graphs: Iterable[Graph],
    *,
    workers: int | None = None,
    processes: bool = False,
    engine: str | None = None,
    base: str = DEFAULT_BASE,
) -> list[Report]:
    """``validate`` on each session, in order, the fast engine's work spread over
    ``workers`` threads (default: one per CPU), or worker processes with ``processes``
    (by default only for batches of at least _POOL_MINIMUM sessions).

    Threads: pyshacl-turbo and pyoxigraph do their work without the GIL; what needs it
    (writing N-Triples, here, ahead of the workers; turning rows into results) caps two
    threads at ~1.5x on two free cores. Processes have no such cap but cost more CPU in
    all (start-up, sending each session and its report), which on a machine whose cores
    are not free made them slower than one thread (bench/validate.py measures both).
    Sessions the fast engine rejects or cannot see as pyshacl does are validated here
    by pyshacl, as ``validate`` does."""
    graphs = list(graphs)
    if _engine(engine) != "fast":
        return [validate_pyshacl(g, base) for g in graphs]
    if workers is None:
        pool = len(graphs) >= (_POOL_MINIMUM if processes else 2)
        workers = (os.cpu_count() or 1) if pool else 1
    if workers > 1 and len(graphs) > 1:
        run = _in_processes if processes else _in_threads
        results = run(graphs, workers, base)
    else:
        written = (session_ntriples(g, base) for g in graphs)
        results = [validate_written(w) if w else None for w in written]
    return [_settle(g, result, base) for g, result in zip(graphs, results, strict=True)]
