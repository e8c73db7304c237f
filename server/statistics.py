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

from functools import cache
from pathlib import Path

import pyoxigraph as ox

from loaders.vocab import QUERIES_DIR

DERIVED = QUERIES_DIR / "derived"
DIRECTORY = QUERIES_DIR / "statistics"
STAGES = (DERIVED, DIRECTORY)  # in this order: the figures read what is derived first
NAME = "statistics"  # the graph: <base>graph/statistics


@cache
def _queries(directory: Path) -> tuple[tuple[str, str], ...]:
    return tuple((p.stem, p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.rq")))


def compute(db: ox.Store, graph: str, base: str) -> int:
    """Replace the statistics graph with what is derived and computed from the sessions now
    in ``db``; return the number of triples. Runs inside the writer, before a generation is
    copied."""
    db.update(f"DROP SILENT GRAPH <{graph}>")
    name = ox.NamedNode(graph)
    total = 0
    for directory in STAGES:
        quads = []
        for _, text in _queries(directory):
            text = text.replace("VALUES (?base) { (UNDEF) }", f'VALUES (?base) {{ ("{base}") }}')
            for triple in db.query(text, use_default_graph_as_union=True):
                quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, name))
        db.extend(quads)
        total += len(quads)
    return total
