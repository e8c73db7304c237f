"""Stage 5: the SHACL gate. A session with a violation never reaches the store.

pyshacl runs the shapes of shapes/ (core.ttl: one node at a time; rules.ttl: SHACL-SPARQL
rules across nodes, hence ``advanced=True``) over the session's graph merged with the
ontology and the reference data it mentions (``_context``). Merged, not passed as
``ont_graph``: that mixes in class definitions but not the types of reference entities,
which gives false sh:class violations (DESIGN.md); and merging them ourselves lets pyshacl
validate our copy in place instead of cloning it once more.

pyshacl hands each SPARQL constraint to rdflib as text, once per focus node, and rdflib
parses it every time (~13 ms, against ~0.3 ms to evaluate it). ``_SessionGraph`` keeps the
parsed form of each query text, which makes validation an order of magnitude faster
without changing what is evaluated.

Violations reject the session; warnings are stored and reported (the severities are
argued at the top of each shapes file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query

from .reference import ontology_graph, reference_graph
from .vocab import OA, PROV, SHAPES_DIR

SH = "http://www.w3.org/ns/shacl#"
SEVERITY = {
    URIRef(SH + "Violation"): "violation",
    URIRef(SH + "Warning"): "warning",
    URIRef(SH + "Info"): "info",
}


@dataclass
class Finding:
    severity: str  # violation, warning or info
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str
    passage: str | None = None  # the quoted source text of the focus node, when known

    def line(self) -> str:
        parts = [f"{self.severity}: {self.message}", f"node {self.focus}"]
        if self.path:
            parts.append(f"property {self.path}")
        if self.value is not None:
            parts.append(f"value {self.value!r}")
        parts.append(f"rule {self.shape}")
        if self.passage:
            parts.append(f"passage 「{self.passage}」")
        return "; ".join(parts)


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    graph: Graph | None = None

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "violation" for f in self.findings)

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != "violation"]


@cache
def shapes_graph() -> Graph:
    g = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        g.parse(path)
    return g


@cache
def _english_messages() -> dict[str, list[re.Pattern]]:
    """Each shape's English sh:message, as a pattern matching it once filled in.

    pyshacl fills the {?var} of a SHACL-SPARQL message in as a plain string and drops its
    language tag, so the English one is recognised by its wording instead.
    """
    out: dict[str, list[re.Pattern]] = {}
    for shape, message in shapes_graph().subject_objects(URIRef(SH + "message")):
        if isinstance(message, Literal) and message.language == "en":
            parts = re.split(r"\{[?$]\w+\}", str(message))
            pattern = re.compile(".*?".join(map(re.escape, parts)) + r"\Z", re.S)
            out.setdefault(str(shape), []).append(pattern)
    return out


def _english(messages: list, shape: str) -> str:
    """The English message of a result (DESIGN: reports are read by the operator)."""
    for m in messages:
        if isinstance(m, Literal) and m.language == "en":
            return str(m)
    patterns = _english_messages().get(shape, ())
    for m in messages:
        if any(p.match(str(m)) for p in patterns):
            return str(m)
    return str(messages[0]) if messages else "constraint broken"


@cache
def _ontology() -> tuple:
    return tuple(ontology_graph())


@cache
def _reference_by_subject() -> dict:
    index: dict = {}
    for triple in reference_graph():
        index.setdefault(triple[0], []).append(triple)
    return index


def _context(graph: Graph) -> list:
    """The ontology, and what the reference data says about the nodes the session mentions.

    The reference data is static: merging only the descriptions of the committees, posts,
    roles and outcomes a session mentions gives the shapes every fact they follow (they
    look one step into the reference data: a post's prefLabel, a committee's type) without
    validating all 52 committees and every post again for each session. The reference data
    as a whole is validated by the tests (tests/test_shapes.py).
    """
    index = _reference_by_subject()
    mentioned = set(graph.subjects()) | set(graph.objects())
    triples = list(_ontology())
    for node in mentioned:
        triples.extend(index.get(node, ()))
    return triples


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


def validate(graph: Graph) -> Report:
    """Validate one session's graph against the shapes, with the reference data."""
    data = _SessionGraph()
    data += graph
    data.addN((s, p, o, data) for s, p, o in _context(graph))
    _, report_graph, _ = shacl_validate(
        data,
        shacl_graph=shapes_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=True,  # ``data`` is our own copy; the shapes have no sh:rule to add triples
    )
    findings = []
    shn = lambda local: URIRef(SH + local)  # noqa: E731
    # Only the report's own results: those nested under sh:detail (why an sh:node or sh:or
    # value failed) are typed sh:ValidationResult too, but are not findings of their own.
    for result in report_graph.objects(None, shn("result")):
        focus = report_graph.value(result, shn("focusNode"))
        path = report_graph.value(result, shn("resultPath"))
        value = report_graph.value(result, shn("value"))
        shape = str(report_graph.value(result, shn("sourceShape")))
        messages = sorted(report_graph.objects(result, shn("resultMessage")))
        findings.append(
            Finding(
                severity=SEVERITY.get(
                    report_graph.value(result, shn("resultSeverity")), "violation"
                ),
                focus=str(focus),
                path=str(path) if path is not None else None,
                value=str(value) if value is not None else None,
                message=_english(messages, shape),
                shape=shape,
                passage=quote_of(graph, focus),
            )
        )
    findings.sort(key=lambda f: (f.severity != "violation", f.focus, f.shape, f.value or ""))
    return Report(findings=findings, graph=report_graph)


def quote_of(graph: Graph, node) -> str | None:
    """The exact source text a node was derived from, following its passage's selectors."""
    for passage in graph.objects(node, PROV.wasDerivedFrom):
        for selector in graph.objects(passage, OA.hasSelector):
            exact = graph.value(selector, OA.exact)
            if exact is not None:
                return str(exact)
    return None
