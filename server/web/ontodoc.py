"""Documentation of the ontology, generated from it (issue 6, point 5): every class and
property with its Japanese and English labels and comments, and the SHACL shapes that
apply to it (shapes/*.ttl), for the page at the ontology namespace's path (/ontology).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from committee_kg.loaders.reference import ontology_graph, shapes_graph
from committee_kg.loaders.vocab import CKG

from .describe import STANDARD_TERMS, curie

ONTOLOGY = URIRef(str(CKG).rstrip("#"))


@dataclass
class Text:
    ja: str = ""
    en: str = ""


@dataclass
class PropertyShape:
    iri: str
    path: str
    name: Text
    description: Text
    severity: str
    counts: str  # "1", "0..1", "1..*" …


@dataclass
class NodeShape:
    iri: str
    name: Text
    description: Text
    severity: str
    properties: list[PropertyShape] = field(default_factory=list)
    sparql: bool = False


@dataclass
class ClassDoc:
    iri: str
    local: str
    label: Text
    comment: Text
    superclasses: list[str]
    subclasses: list[str]
    properties: list[str]  # local names of ckg: properties with this domain
    shapes: list[NodeShape]
    examples: list[str] = field(default_factory=list)  # SPARQL queries (skos:example)


@dataclass
class PropertyDoc:
    iri: str
    local: str
    kind: str
    label: Text
    comment: Text
    domain: list[str]
    range: list[str]
    shapes: list[tuple[NodeShape, PropertyShape]]
    examples: list[str] = field(default_factory=list)


@dataclass
class OntologyDoc:
    iri: str
    title: Text
    description: Text
    version: str
    license: str
    classes: list[ClassDoc]
    properties: list[PropertyDoc]
    standard: list[tuple[str, str, str, str]]  # (iri, curie, ja, en)


def _text(g: Graph, s, p) -> Text:
    t = Text()
    for o in g.objects(s, p):
        if isinstance(o, Literal) and o.language == "ja" and not t.ja:
            t.ja = str(o)
        elif isinstance(o, Literal) and o.language in ("en", None) and not t.en:
            t.en = str(o)
    return t


def _examples(g: Graph, s) -> list[str]:
    """A term's example queries (skos:example): what a reader of its page runs first."""
    return sorted(str(o) for o in g.objects(s, SKOS.example))


def _severity(g: Graph, s) -> str:
    sev = g.value(s, SH.severity)
    return str(sev).rsplit("#", 1)[-1] if sev else "Violation"


def _counts(g: Graph, s) -> str:
    lo = g.value(s, SH.minCount)
    hi = g.value(s, SH.maxCount)
    lo_s = str(lo) if lo is not None else "0"
    hi_s = str(hi) if hi is not None else "*"
    if lo is None and hi is None:
        return ""
    return lo_s if lo_s == hi_s else f"{lo_s}..{hi_s}"


def _property_shape(g: Graph, ps) -> PropertyShape | None:
    path = g.value(ps, SH.path)
    if path is None:
        return None
    if isinstance(path, URIRef):
        shown = curie(str(path))
    else:  # a path expression (a list, an inverse …): shown by its first IRI
        items = list(Collection(g, path)) if (path, RDF.first, None) in g else []
        inverse = g.value(path, SH.inversePath)
        shown = " / ".join(curie(str(i)) for i in items) or (
            f"^{curie(str(inverse))}" if inverse else "(path)"
        )
    return PropertyShape(
        iri=str(ps),
        path=shown,
        name=_text(g, ps, SH.name),
        description=_text(g, ps, SH.description),
        severity=_severity(g, ps),
        counts=_counts(g, ps),
    )


@cache
def node_shapes() -> dict[str, list[NodeShape]]:
    """Node shapes by the class they target."""
    g = shapes_graph()
    out: dict[str, list[NodeShape]] = {}
    for shape in sorted(set(g.subjects(SH.targetClass, None)), key=str):
        ns = NodeShape(
            iri=str(shape),
            name=_text(g, shape, SH.name),
            description=_text(g, shape, SH.description),
            severity=_severity(g, shape),
            sparql=(shape, SH.sparql, None) in g,
        )
        for ps in sorted(g.objects(shape, SH.property), key=str):
            found = _property_shape(g, ps)
            if found:
                ns.properties.append(found)
        if (shape, SH.path, None) in g:  # a property shape with a target of its own
            found = _property_shape(g, shape)
            if found:
                ns.properties.append(found)
        for cls in g.objects(shape, SH.targetClass):
            out.setdefault(str(cls), []).append(ns)
    return out


@cache
def document() -> OntologyDoc:
    g = ontology_graph()
    shapes = node_shapes()
    classes, properties = [], []
    domain_of: dict[str, list[str]] = {}
    for p in g.subjects(RDFS.domain, None):
        for d in g.objects(p, RDFS.domain):
            domain_of.setdefault(str(d), []).append(str(p).split("#")[-1])
    for c in sorted(set(g.subjects(RDF.type, OWL.Class)), key=str):
        if not str(c).startswith(str(CKG)):
            continue
        classes.append(
            ClassDoc(
                iri=str(c),
                local=str(c).split("#")[-1],
                label=_text(g, c, RDFS.label),
                comment=_text(g, c, RDFS.comment),
                superclasses=sorted(str(x) for x in g.objects(c, RDFS.subClassOf)),
                subclasses=sorted(str(x) for x in g.subjects(RDFS.subClassOf, c)),
                properties=sorted(domain_of.get(str(c), [])),
                shapes=shapes.get(str(c), []),
                examples=_examples(g, c),
            )
        )
    by_path: dict[str, list[tuple[NodeShape, PropertyShape]]] = {}
    seen = set()
    for nss in shapes.values():
        for ns in nss:
            for ps in ns.properties:
                if (ns.iri, ps.iri) not in seen:
                    seen.add((ns.iri, ps.iri))
                    by_path.setdefault(ps.path, []).append((ns, ps))
    kinds = {
        OWL.ObjectProperty: "ObjectProperty",
        OWL.DatatypeProperty: "DatatypeProperty",
        OWL.AnnotationProperty: "AnnotationProperty",
        RDF.Property: "Property",
    }
    for kind, name in kinds.items():
        for p in sorted(set(g.subjects(RDF.type, kind)), key=str):
            if not str(p).startswith(str(CKG)):
                continue
            properties.append(
                PropertyDoc(
                    iri=str(p),
                    local=str(p).split("#")[-1],
                    kind=name,
                    label=_text(g, p, RDFS.label),
                    comment=_text(g, p, RDFS.comment),
                    domain=sorted(str(x) for x in g.objects(p, RDFS.domain)),
                    range=sorted(str(x) for x in g.objects(p, RDFS.range)),
                    shapes=by_path.get(curie(str(p)), []),
                    examples=_examples(g, p),
                )
            )
    properties.sort(key=lambda p: p.local)
    standard = sorted(
        ((iri, curie(iri), ja, en) for iri, (ja, en) in STANDARD_TERMS.items()),
        key=lambda x: x[1],
    )
    return OntologyDoc(
        iri=str(ONTOLOGY),
        title=_text(g, ONTOLOGY, DCTERMS.title),
        description=_text(g, ONTOLOGY, DCTERMS.description),
        version=str(g.value(ONTOLOGY, OWL.versionInfo) or ""),
        license=str(g.value(ONTOLOGY, DCTERMS.license) or ""),
        classes=classes,
        properties=properties,
        standard=standard,
    )
