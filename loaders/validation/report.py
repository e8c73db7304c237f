"""The validation report: what a session's findings are, and the forms they take.

A ``Finding`` is one result of one shape on one node, read by the operator as one line of
text (``Finding.line``: ingest lists them under a rejected file, the command line prints
them); a ``Report`` holds a session's findings, whether it conforms (no violation), and the
standard sh:ValidationReport graph the engine wrote (``Report.turtle``, what
``committee-kg validate --report`` saves).

Both engines end here: each gives its results as raw tuples, read from a SHACL report graph
(``_results``) or made by the fast engine's SPARQL half, and ``_report`` turns them into
findings the same way (the English message, a blank-node path written as SPARQL, the
quoted passage of the focus node, one order), so that the two engines' reports compare
finding by finding (tests/test_validation_engines.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from ..reference import shapes_graph
from ..vocab import OA, PROV

SH = "http://www.w3.org/ns/shacl#"
SEVERITY = {
    URIRef(SH + "Violation"): "violation",
    URIRef(SH + "Warning"): "warning",
    URIRef(SH + "Info"): "info",
}


def _sh(local: str) -> URIRef:
    return URIRef(SH + local)


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
    engine: str = "pyshacl"  # the engine that produced the findings
    # the session as the fast engine read it, in N-Triples: ingest stores this text rather
    # than writing the graph a second time (None from pyshacl)
    ntriples: str | None = None

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "violation" for f in self.findings)

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != "violation"]

    def turtle(self) -> str:
        """The standard sh:ValidationReport, in Turtle with the shapes' prefixes (the fast
        engine's report graph has none: binding them for every session cost 0.5 ms)."""
        for prefix, namespace in shapes_graph().namespaces():
            self.graph.bind(prefix, namespace, override=False)
        return self.graph.serialize(format="turtle")


@cache
def _english_messages() -> dict[str, list[re.Pattern]]:
    """Each shape's English sh:message, as a pattern matching it once filled in.

    pyshacl fills the {?var} of a SHACL-SPARQL message in as a plain string and drops its
    language tag, so the English one is recognised by its wording instead.
    """
    out: dict[str, list[re.Pattern]] = {}
    for shape, message in shapes_graph().subject_objects(_sh("message")):
        if isinstance(message, Literal) and message.language == "en":
            parts = re.split(r"\{[?$]\w+\}", str(message))
            pattern = re.compile(".*?".join(map(re.escape, parts)) + r"\Z", re.S)
            out.setdefault(str(shape), []).append(pattern)
    return out


def _english(messages: list, shape: str) -> str:
    """The English message of a result: every shape says its message in Japanese and in
    English, and a report is read by whoever runs ingest or the command line, who need not
    read Japanese (the Japanese stays in the report graph)."""
    for m in messages:
        if isinstance(m, Literal) and m.language == "en":
            return str(m)
    patterns = _english_messages().get(shape, ())
    for m in messages:
        if any(p.match(str(m)) for p in patterns):
            return str(m)
    return str(messages[0]) if messages else "constraint broken"


# A result before it becomes a Finding: (severity IRI, focus, path, value, messages, shape).
_Raw = tuple


def _results(report_graph: Graph) -> list[_Raw]:
    """The results of a SHACL validation report, as raw tuples.

    Only the report's own results: those nested under sh:detail (why an sh:node or sh:or
    value failed) are typed sh:ValidationResult too, but are not findings of their own.
    """
    out = []
    for result in report_graph.objects(None, _sh("result")):
        out.append(
            (
                report_graph.value(result, _sh("resultSeverity")),
                report_graph.value(result, _sh("focusNode")),
                _path(report_graph, report_graph.value(result, _sh("resultPath"))),
                report_graph.value(result, _sh("value")),
                sorted(report_graph.objects(result, _sh("resultMessage"))),
                report_graph.value(result, _sh("sourceShape")),
            )
        )
    return out


_PATH_SUFFIX = {"zeroOrMorePath": "*", "oneOrMorePath": "+", "zeroOrOnePath": "?"}


def _path(g: Graph, node):
    """A result's path: the property's IRI, or a blank-node path (``sh:inversePath`` …)
    written in SPARQL's syntax, so that it reads, and compares, the same in every report."""
    if node is None or isinstance(node, URIRef):
        return node
    if (node, RDF.first, None) in g:
        return "(" + "/".join(_step(g, n) for n in Collection(g, node)) + ")"
    inverse = g.value(node, _sh("inversePath"))
    if inverse is not None:
        return "^" + _step(g, inverse)
    alternatives = g.value(node, _sh("alternativePath"))
    if alternatives is not None:
        return "(" + "|".join(_step(g, n) for n in Collection(g, alternatives)) + ")"
    for local, suffix in _PATH_SUFFIX.items():
        inner = g.value(node, _sh(local))
        if inner is not None:
            return _step(g, inner) + suffix
    return node


def _step(g: Graph, node) -> str:
    return f"<{node}>" if isinstance(node, URIRef) else str(_path(g, node))


def _report(graph: Graph, raw: Iterable[_Raw], report_graph: Graph, engine: str) -> Report:
    findings = []
    for severity, focus, path, value, messages, shape in raw:
        shape = str(shape)
        findings.append(
            Finding(
                severity=SEVERITY.get(severity, "violation"),
                focus=str(focus),
                path=str(path) if path is not None else None,
                value=str(value) if value is not None else None,
                message=_english(messages, shape),
                shape=shape,
                passage=quote_of(graph, focus),
            )
        )
    findings.sort(
        key=lambda f: (
            f.severity != "violation",
            f.focus,
            f.shape,
            f.value or "",
            f.path or "",
            f.message,
        )
    )
    return Report(findings=findings, graph=report_graph, engine=engine)


def quote_of(graph: Graph, node) -> str | None:
    """The exact source text a node was derived from, following its passage's selectors."""
    for passage in graph.objects(node, PROV.wasDerivedFrom):
        for selector in graph.objects(passage, OA.hasSelector):
            exact = graph.value(selector, OA.exact)
            if exact is not None:
                return str(exact)
    return None
