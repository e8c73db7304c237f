"""Namespaces, the base IRI and the IRI-minting rules (README.md, Identifiers).

IRIs are derived only from facts the document states, so the same session always yields
the same IRIs and the same fact seen in two sessions is one node.
"""

from __future__ import annotations

from datetime import date

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from .defaults import DEFAULT_BASE

CKG = Namespace(DEFAULT_BASE + "ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("http://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
VOID = Namespace("http://rdfs.org/ns/void#")
TIME = Namespace("http://www.w3.org/2006/time#")

PREFIXES = {
    "ckg": CKG,
    "org": ORG,
    "schema": SCHEMA,
    "dcterms": DCTERMS,
    "prov": PROV,
    "skos": SKOS,
    "oa": OA,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "dcat": DCAT,
    "void": VOID,
    "time": TIME,
}


class Minter:
    """Mints every data IRI under one base (``--base``; the store records it)."""

    def __init__(self, base: str = DEFAULT_BASE):
        if not base.endswith("/"):
            base += "/"
        self.base = base
        self.id = base + "id/"

    def iri(self, *parts: str) -> URIRef:
        for p in parts:
            if not p or "/" in p or any(c in p for c in ' <>"{}|\\^`'):
                raise ValueError(f"unusable IRI segment {p!r}")
        return URIRef(self.id + "/".join(parts))

    def graph(self, *parts: str) -> URIRef:
        return URIRef(self.base + "graph/" + "/".join(parts))

    def committee(self, code: str) -> URIRef:
        return self.iri("committee", code)

    def meeting(self, committee: str, day: date, kind: str | None) -> URIRef:
        return self.iri("meeting", committee, day.isoformat() + (f"-{kind}" if kind else ""))

    def meeting_graph(self, meeting: URIRef) -> URIRef:
        return URIRef(self.base + "graph/" + str(meeting)[len(self.id) :])

    def member(self, committee: str, surname: str) -> URIRef:
        return self.iri("member", committee, surname)

    def officer(self, committee: str, post: str) -> URIRef:
        return self.iri("officer", committee, post)

    def post(self, post: str) -> URIRef:
        return self.iri("post", post)

    def role(self, role: str) -> URIRef:
        return self.iri("role", role)

    def outcome(self, outcome: str) -> URIRef:
        return self.iri("outcome", outcome)

    def org(self, name: str) -> URIRef:
        return self.iri("org", _segment(name))

    def place(self, label: str) -> URIRef:
        return self.iri("place", _segment(label))

    def source(self, sha256: str) -> URIRef:
        return self.iri("source", sha256)

    def loader(self, name: str, version: str) -> URIRef:
        return self.iri("loader", name, version)

    def under(self, node: URIRef, *parts: str) -> URIRef:
        """A node that exists only inside another (item 3 of a meeting, a passage of a source)."""
        tail = str(node)[len(self.id) :].split("/")
        return self.iri(*tail, *parts)


def _segment(text: str) -> str:
    """A name as one IRI path segment: spaces and slashes would break the path."""
    return "".join("_" if c.isspace() or c in '/<>"{}|\\^`' else c for c in text.strip())
