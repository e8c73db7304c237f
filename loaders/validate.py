"""Stage 5: the SHACL gate. A session with a violation never reaches the store.

pyshacl runs the shapes of shapes/ over the session's graph merged with the reference
data (merged, not passed as ``ont_graph``: that mixes in class definitions but not the
types of reference entities, which gives false sh:class violations — DESIGN.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef

from .reference import ontology_graph, reference_graph
from .vocab import OA, PROV, RDF, SHAPES_DIR

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


def validate(graph: Graph) -> Report:
    """Validate one session's graph against the shapes, with the reference data."""
    data = Graph()
    for t in graph:
        data.add(t)
    for t in reference_graph():
        data.add(t)
    _, report_graph, _ = shacl_validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    findings = []
    shn = lambda local: URIRef(SH + local)  # noqa: E731
    for result in report_graph.subjects(RDF.type, shn("ValidationResult")):
        focus = report_graph.value(result, shn("focusNode"))
        path = report_graph.value(result, shn("resultPath"))
        value = report_graph.value(result, shn("value"))
        messages = [str(m) for m in report_graph.objects(result, shn("resultMessage"))]
        en = [
            m
            for m in report_graph.objects(result, shn("resultMessage"))
            if isinstance(m, Literal) and m.language == "en"
        ]
        findings.append(
            Finding(
                severity=SEVERITY.get(
                    report_graph.value(result, shn("resultSeverity")), "violation"
                ),
                focus=str(focus),
                path=str(path) if path is not None else None,
                value=str(value) if value is not None else None,
                message=str(en[0]) if en else (messages[0] if messages else "constraint broken"),
                shape=str(report_graph.value(result, shn("sourceShape"))),
                passage=quote_of(graph, focus),
            )
        )
    findings.sort(key=lambda f: (f.severity != "violation", f.focus, f.shape))
    return Report(findings=findings, graph=report_graph)


def quote_of(graph: Graph, node) -> str | None:
    """The exact source text a node was derived from, following its passage's selectors."""
    for passage in graph.objects(node, PROV.wasDerivedFrom):
        for selector in graph.objects(passage, OA.hasSelector):
            exact = graph.value(selector, OA.exact)
            if exact is not None:
                return str(exact)
    return None
