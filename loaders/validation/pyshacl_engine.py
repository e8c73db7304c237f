"""The reference engine: pyshacl, on the session merged with its context.

Every finding a rejected session carries comes from here (``loaders/validate.py``), and
the fast engine is tested against it. pyshacl hands each SPARQL constraint to rdflib as
text, once per focus node, and rdflib parses it every time (~13 ms, against ~0.3 ms to
evaluate it); ``_SessionGraph`` keeps the parsed form of each query text. Even so a session
costs ~150 ms of CPU, a little more than half of it in SHACL Core: 40,000 sessions would
take 100 CPU-minutes, hence the fast engine (``fast_engine``).
"""

from __future__ import annotations

from functools import lru_cache

from pyshacl import validate as shacl_validate
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query

from ..defaults import DEFAULT_BASE
from ..reference import shapes_graph
from .context import _context
from .report import Report, _report, _results


@lru_cache(maxsize=512)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


class _SessionGraph(Graph):
    """A session merged with its context; SPARQL text is parsed once per process."""

    def query(
        self,
        query_object,
        processor="sparql",
        result="sparql",
        initNs=None,
        initBindings=None,
        use_store_provided=True,
        **kwargs,
    ):
        if isinstance(query_object, str) and not initNs:
            query_object = _prepared(query_object)
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )


def validate_pyshacl(graph: Graph, base: str = DEFAULT_BASE) -> Report:
    """Validate one session (minted under ``base``) with pyshacl alone: the reference the
    fast engine must equal."""
    data = _SessionGraph()
    data += graph
    data.addN((s, p, o, data) for s, p, o in _context(graph, base))
    _, report_graph, _ = shacl_validate(
        data,
        shacl_graph=shapes_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=True,  # ``data`` is our own copy; the shapes have no sh:rule to add triples
    )
    return _report(graph, _results(report_graph), report_graph, "pyshacl")
