"""The fast engine: pyshacl-turbo for SHACL Core, pyoxigraph for SHACL-SPARQL.

About ten times less CPU than pyshacl (bench/validate.py). The session is written once as
N-Triples (``ntriples``), then

* every shape but the SHACL-SPARQL constraints (core.ttl, the SHACL Core rules of
  rules.ttl, the SPARQL target of ckgsh:TopicLabelled) runs in pyshacl-turbo, a Rust SHACL
  engine that keeps terms as written, compiled once per process (``_core_program``), and
* each SHACL-SPARQL constraint runs on pyoxigraph (``sparql_engine``); its results are
  added to pyshacl-turbo's report graph as pyshacl would write them.

It answers only where it sees the session exactly as pyshacl does, and otherwise returns
None (a blank node, a literal the store keeps otherwise where a rule could tell, a focus
node whose ontology triples were not written …): the caller then asks pyshacl.
"""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import RDF

from committee_kg.data import SHAPES_DIR

from ..defaults import DEFAULT_BASE
from .ntriples import Written, _ontology_fast, session_ntriples
from .report import SEVERITY, Report, _Raw, _report, _results, _sh
from .sparql_engine import (
    _add_results,
    _focus_nodes,
    _observable,
    _run_sparql,
    _sparql_constraints,
    _Unsupported,
)


@cache
def _core_program():
    """pyshacl-turbo compiled with every shape but the SHACL-SPARQL constraints."""
    import pyshacl_turbo

    parsed = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        parsed.parse(path)
    for c in _sparql_constraints():  # its own parse: the constraints are other blank nodes
        parsed.remove((c.shape, _sh("sparql"), None))
    assert not any(parsed.triples((None, _sh("sparql"), None)))
    sg = Graph(bind_namespaces="none")  # no prefixes: it binds each one into every report
    sg += parsed
    return pyshacl_turbo.compile_shapes(sg, advanced=True)


@cache
def fast_engine_error() -> str | None:
    """Why the fast engine cannot run these shapes, or None when it can."""
    try:
        _sparql_constraints()
        _core_program()
    except _Unsupported as exc:
        return str(exc)
    except ImportError as exc:  # pragma: no cover - pyshacl-turbo is a dependency
        return f"pyshacl-turbo is not installed ({exc})"
    return None


def validate_written(written: Written) -> tuple[list[_Raw], Graph] | None:
    """The fast engine on a written session: its results and its SHACL report graph;
    None when it cannot see the session exactly as pyshacl does."""
    from pyshacl_turbo.rdf import Input

    store = ox.Store()
    try:
        store.load(written.text, format=ox.RdfFormat.N_TRIPLES)
    except (SyntaxError, ValueError):
        return None
    if written.count >= 0 and len(store) != written.count:
        return None  # two terms the store takes for one ("a", "a"^^xsd:string)
    focus = _focus_nodes(store)
    if written.changes and _observable(written.changes, focus):
        return None
    left_out = _ontology_fast()[1]
    if left_out and any(n.value in left_out for r, ns in focus.items() if r.reads_this for n in ns):
        return None  # a rule would read ontology triples the fast engine left out
    try:
        _, report, _ = _core_program().validate(
            Input(written.text, "nt", None, {}, {}), allow_warnings=True, allow_infos=True
        )
    except (RuntimeError, ValueError):  # text it does not parse: pyshacl will say why
        return None
    raw = _results(report)
    sparql = _run_sparql(store, focus)
    if sparql:
        _add_results(report, sparql)
        raw += sparql
    conforms = not any(SEVERITY.get(r[0], "violation") == "violation" for r in raw)
    for node in report.subjects(RDF.type, _sh("ValidationReport")):
        report.set((node, _sh("conforms"), Literal(conforms)))
    return raw, report


def validate_fast(graph: Graph, base: str = DEFAULT_BASE) -> Report | None:
    """The fast engine alone, or None where it cannot see the session as pyshacl does.
    ``validate`` uses it to accept sessions; tests compare it with ``validate_pyshacl``."""
    if fast_engine_error() is not None:
        return None
    written = session_ntriples(graph, base)
    done = validate_written(written) if written else None
    if done is None:
        return None
    return _report(graph, done[0], done[1], "fast")
