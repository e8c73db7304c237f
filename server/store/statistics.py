"""Statistics computed once per published generation, kept in a graph of their own.

The catalogue's questions about the whole corpus (sessions per commission and year,
members' tenure, the dates of every appeal) aggregate tens of thousands of agenda items at
every request; the answers change only when a generation is published. Publishing computes
them (CONSTRUCT queries in ``queries/statistics/``) into ``<base>graph/statistics`` as RDF
Data Cube observations, and the catalogue reads those: a researcher can read, and dump,
the same figures. Each query's file says how a figure is computed from the sessions.

Before the figures, the same step derives what no session states alone but a researcher
looks for on the node itself (``queries/derived/``): an appeal's receipt, hearings, opinion
and ruling, which its sessions show one at a time, become dates of the ``ckg:Appeal``
(issue 18). They are kept in the same graph, and the figures are computed from them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from committee_kg.data import QUERIES_DIR

DERIVED = QUERIES_DIR / "derived"
DIRECTORY = QUERIES_DIR / "statistics"
STAGES = (DERIVED, DIRECTORY)  # in this order: the figures read what is derived first
NAME = "statistics"  # the graph: <base>graph/statistics


@cache
def _queries(directory: Path) -> tuple[tuple[str, str], ...]:
    return tuple((p.stem, p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.rq")))


def compute(db: ox.Store, base: str, replace: Callable[[bytes], object]) -> int:
    """Compute the statistics of the sessions now in ``db`` into the statistics graph, stage
    by stage (what is derived first, then the figures that read it), each stage's result
    handed to ``replace`` as the graph's N-Triples so far; return the number of triples.
    Runs inside the writer, before a generation is copied; the queries read the default
    graph, where each triple is once however many sessions state it (issue 15), so their
    cost grows with the sessions, not with the sessions naming the same node."""
    triples = []
    for directory in STAGES:
        for text in texts(base, directory):
            triples.extend(db.query(text))
        replace(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    return len(triples)


def texts(base: str, directory: Path = DIRECTORY) -> list[str]:
    """The queries of one stage, with the store's base IRI bound."""
    bound = f'VALUES (?base) {{ ("{base}") }}'
    return [text.replace("VALUES (?base) { (UNDEF) }", bound) for _, text in _queries(directory)]
