"""Statistics computed once per published generation, kept in a graph of their own.

The catalogue's questions about the whole corpus (sessions per commission and year,
members' tenure, the dates of every appeal) aggregate tens of thousands of agenda items at
every request; the answers change only when a generation is published. Publishing computes
them (CONSTRUCT queries in ``queries/statistics/``) into ``<base>graph/statistics`` as RDF
Data Cube observations, and the catalogue reads those: a researcher can read, and dump,
the same figures. Each query's file says how a figure is computed from the sessions.
"""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox

from loaders.vocab import QUERIES_DIR

DIRECTORY = QUERIES_DIR / "statistics"
NAME = "statistics"  # the graph: <base>graph/statistics


@cache
def _queries() -> tuple[tuple[str, str], ...]:
    return tuple((p.stem, p.read_text(encoding="utf-8")) for p in sorted(DIRECTORY.glob("*.rq")))


def compute(db: ox.Store, base: str) -> bytes:
    """The statistics of the sessions now in ``db``, as N-Triples for the statistics graph.
    Runs inside the writer, before a generation is copied; the queries read the default
    graph, where each triple is once however many sessions state it (issue 15), so their
    cost grows with the sessions, not with the sessions naming the same node."""
    triples = []
    for text in texts(base):
        triples.extend(db.query(text))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def texts(base: str) -> list[str]:
    """The statistics queries, with the store's base IRI bound."""
    bound = f'VALUES (?base) {{ ("{base}") }}'
    return [text.replace("VALUES (?base) { (UNDEF) }", bound) for _, text in _queries()]
