"""Stage 5: the SHACL gate. A session with a violation never reaches the store.

The shapes of shapes/ (core.ttl: one node at a time; rules.ttl: SHACL-SPARQL rules across
nodes) run over the session's graph merged with the ontology and the reference data it
mentions (``_context``). Merged, not passed as an ontology graph: that mixes in class
definitions but not the types of reference entities, which gives false sh:class
violations.

Two engines run the same shapes:

* pyshacl, the reference (``validate_pyshacl``). pyshacl hands each SPARQL constraint to
  rdflib as text, once per focus node, and rdflib parses it every time (~13 ms, against
  ~0.3 ms to evaluate it); ``_SessionGraph`` keeps the parsed form of each query text.
  Even so a session costs ~150 ms of CPU, a little more than half of it in SHACL Core:
  40,000 sessions would take 100 CPU-minutes.
* the fast engine (``validate_fast``), ~10x less CPU (bench/validate.py). The session is
  written once as N-Triples (``session_ntriples``), then
  - every shape but the SHACL-SPARQL constraints (core.ttl, the SHACL Core rules of
    rules.ttl, the SPARQL target of ckgsh:TopicLabelled) runs in pyshacl-turbo, a Rust
    SHACL engine that keeps terms as written, and
  - each SHACL-SPARQL constraint runs in an in-memory pyoxigraph store (the store's own
    engine), once per focus node with $this pre-bound (SEP-0007 substitution, the
    pre-binding SHACL prescribes), its rows turned into results as pyshacl turns them
    (a repeated row dropped, ?value the focus node when unbound, every sh:message
    filled in).
  pyshacl-turbo's own SPARQL is not used: it reads ``a - b + c`` as ``a - (b + c)``, which
  breaks ckgsh:WeekdayMatchesDate and ckgsh:PassageSelectorsAgree.

``validate`` (ingest, the CLI) accepts a session the fast engine finds conforming; a
session it would reject is validated again by pyshacl, so a rejection carries exactly the
findings it always did. (The two differ only where a SHACL Core shape rejects the session
anyway: rdflib orders literals SPARQL cannot compare, a date with a dateTime, where
pyoxigraph, as SPARQL says, finds a type error.) The fast engine also steps aside, for
pyshacl, wherever it would not see what pyshacl sees: a blank node, an IRI N-Triples cannot
carry, or a literal pyoxigraph's store keeps otherwise ("1.0"^^xsd:decimal as "1",
xsd:nonNegativeInteger as xsd:integer) where a SPARQL rule could tell (``_analyse``,
``_observable``). tests/test_validation_engines.py runs both engines on every mutation graph
of tests/test_shapes.py and every example session. CKG_SHACL_ENGINE=pyshacl runs the
reference everywhere.

Violations reject the session; warnings are stored and reported (the severities are
argued at the top of each shapes file).
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache, lru_cache
from multiprocessing import get_context

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.paths import NegatedPath, Path
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query

from committee_kg.data import SHAPES_DIR

from .reference import ontology_graph, reference_graph, shapes_graph
from .vocab import OA, PROV

SH = "http://www.w3.org/ns/shacl#"
SEVERITY = {
    URIRef(SH + "Violation"): "violation",
    URIRef(SH + "Warning"): "warning",
    URIRef(SH + "Info"): "info",
}
ENGINES = ("fast", "pyshacl")
ENGINE_VARIABLE = "CKG_SHACL_ENGINE"  # set to "pyshacl" to run the reference everywhere


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


# -- the reference engine: pyshacl ----------------------------------------------------------


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


def validate_pyshacl(graph: Graph) -> Report:
    """Validate one session with pyshacl alone: the reference the fast engine must equal."""
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
    return _report(graph, _results(report_graph), report_graph, "pyshacl")


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


# -- the fast engine: pyshacl-turbo for SHACL Core, pyoxigraph for SHACL-SPARQL ---------------


class _Unsupported(Exception):
    """The fast engine cannot run these shapes, or see this graph, exactly as pyshacl does."""


@dataclass(frozen=True)
class _SparqlConstraint:
    shape: URIRef
    constraint: BNode | URIRef  # the sh:sparql node
    severity: URIRef
    classes: tuple[ox.NamedNode, ...]
    query: str  # with the PREFIX lines pyshacl would put before it
    messages: tuple[Literal, ...]  # the shape's sh:message, filled in per result
    reads: frozenset[str]  # predicates whose values a triple pattern of it can bind
    compares: frozenset[str]  # ... whose values it treats as terms (joins, projection …)
    reads_this: bool  # it has `$this ?p ?o`: it reads every value of its focus node
    reads_all: bool  # it has another pattern with a variable or negated predicate
    batched: str | None = None  # for all focus nodes at once (``_batched``), where it can


_FOCUS = "\x00focus\x00"  # where ``_batched`` puts the focus nodes
_OUTER = re.compile(r"\s*SELECT\s+(?:DISTINCT\s+)?(?P<projection>[^{]*?)\s*WHERE\s*\{", re.I)


def _batched(query: str) -> str | None:
    """The query for every focus node in one run: ``VALUES ?this`` first in its WHERE.

    One run per focus node costs pyoxigraph ~70 µs of parsing and planning each time, a
    third of the rules' cost. The answers are the same where the outer query projects
    $this and has nothing after its WHERE (no GROUP BY, ORDER, LIMIT over all rows): every
    row then belongs to one focus node, and the inner parts (sub-selects, EXISTS) see
    $this joined from outside instead of substituted. tests/test_validation_engines.py
    compares the findings with pyshacl's on every mutation."""
    head, _, body = query.rpartition("\n\n")
    outer = _OUTER.match(body)
    if not outer or not re.search(r"[?$]this\b", outer.group("projection")):
        return None
    if not body.rstrip().endswith("}") or re.search(
        r"\}\s*(GROUP|ORDER|LIMIT|OFFSET|HAVING|VALUES)\b[^{}]*$", body, re.I
    ):
        return None
    return f"{head}\n\n{body[: outer.end()]} VALUES ?this {{ {_FOCUS} }}{body[outer.end() :]}"


_PYSHACL_PREFIXES = {"rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL)}
_NESTING = ("node", "property", "not", "qualifiedValueShape")
_LISTS = ("and", "or", "xone")
_OTHER_TARGETS = ("targetNode", "targetSubjectsOf", "targetObjectsOf", "target")


def _prefixes(sg: Graph, constraint) -> dict[str, str]:
    """The prefixes pyshacl declares for a SPARQL constraint (its SPARQLQueryHelper):
    rdf, rdfs and owl, then the sh:declare of its sh:prefixes and of the ontologies."""
    out = dict(_PYSHACL_PREFIXES)
    ontologies = set(sg.subjects(RDF.type, OWL.Ontology))
    for holder in sg.objects(constraint, _sh("prefixes")):
        declares = set(sg.objects(holder, _sh("declare")))
        if not (declares and holder in ontologies):
            for o in ontologies:
                declares |= set(sg.objects(o, _sh("declare")))
        for d in declares:
            out[str(sg.value(d, _sh("prefix")))] = str(sg.value(d, _sh("namespace")))
    return out


_TERM_USES = {"Builtin_DATATYPE", "Builtin_sameTerm", "Group", "AggregateJoin", "OrderBy"}
_TERM_USES |= {"ToMultiSet", "values", "Distinct", "Reduced"}


def _predicates(p) -> tuple[set[str], bool]:
    """The IRIs a triple pattern's predicate (an IRI or a property path, translated or in
    the parse tree) can match, and whether it can match any (a variable, a negated set)."""
    if isinstance(p, URIRef):
        return {str(p)}, False
    if isinstance(p, (Variable, NegatedPath)):
        return set(), True
    if isinstance(p, CompValue):
        if p.name == "PathNegatedPropertySet":
            return set(), True
        parts = list(p.values())
    elif isinstance(p, Path):
        parts = list(vars(p).values())
    elif isinstance(p, (list, tuple)):
        parts = list(p)
    else:
        return set(), False
    iris, anything = set(), False
    for part in parts:
        more, wild = _predicates(part)
        iris |= more
        anything |= wild
    return iris, anything


def _analyse(query: str) -> tuple[frozenset[str], frozenset[str], bool, bool]:
    """What of a session a SPARQL query can see, for ``_observable``: the predicates whose
    values its triple patterns bind; those whose values it uses as terms (a variable in two
    patterns, projected, grouped, ordered, made distinct, given to DATATYPE or sameTerm,
    compared with = as it is; a literal constant in a pattern); whether it reads every
    value of $this; whether it reads every value of anything else. Over-approximates:
    more than it reads only makes the fast engine hand more sessions to pyshacl."""
    patterns, projected, term_used = [], set(), set()

    def variables(node) -> set:
        if isinstance(node, Variable):
            return {node}
        if isinstance(node, CompValue):  # not its _vars: those of everything below it
            return set().union(*(variables(v) for k, v in node.items() if k != "_vars"))
        if isinstance(node, (list, tuple)):
            return set().union(*(variables(v) for v in node))
        return set()

    def visit(node):
        if isinstance(node, CompValue):
            if node.name == "BGP":
                patterns.extend(node.triples)
            elif node.name == "TriplesBlock":  # the parse tree of an EXISTS pattern
                for chunk in node.triples:
                    patterns.extend(zip(chunk[0::3], chunk[1::3], chunk[2::3], strict=True))
            if "PV" in node:  # CompValue.get returns the key itself when it is missing
                projected.update(node["PV"] or ())
            if node.name in _TERM_USES:
                term_used.update(variables([v for k, v in node.items() if k not in ("p", "_vars")]))
            if node.name == "RelationalExpression" and node["op"] in ("=", "!=", "IN", "NOT IN"):
                # a variable compared as it is (its term); a function of it (STR, SUBSTR, +)
                # compares a value both engines compute alike
                operands = [
                    node["expr"],
                    *(node["other"] if node["op"] in ("IN", "NOT IN") else [node["other"]]),
                ]
                term_used.update(o for o in operands if isinstance(o, Variable))
            if node.name == "Extend" and isinstance(node["expr"], Variable):
                term_used.add(node["expr"])
            for v in node.values():
                visit(v)
        elif isinstance(node, (list, tuple)):
            for v in node:
                visit(v)

    visit(prepareQuery(query).algebra)
    reads, compares, bound_by, seen = set(), set(), {}, {}
    reads_this = reads_all = False
    for s, p, o in patterns:
        iris, anything = _predicates(p)
        if anything:
            if s == Variable("this") and isinstance(p, Variable):
                reads_this = True
            else:
                reads_all = True
        reads |= iris
        if isinstance(o, Literal):
            compares |= iris
        for term in (s, p, o):
            if isinstance(term, Variable):
                seen[term] = seen.get(term, 0) + 1
        if isinstance(o, Variable):
            bound_by.setdefault(o, set()).update(iris)
    for var, iris in bound_by.items():
        if seen[var] > 1 or var in projected or var in term_used:
            compares |= iris
    return frozenset(reads), frozenset(compares), reads_this, reads_all


@cache
def _sparql_constraints() -> tuple[_SparqlConstraint, ...]:
    """The SHACL-SPARQL constraints, checked to use only what the fast engine runs as
    pyshacl does: node shapes with class targets, reached from no other shape, one
    sh:select each, pre-binding only $this, messages on the shape."""
    sg = shapes_graph()
    nested = {o for local in _NESTING for o in sg.objects(None, _sh(local))}
    for local in _LISTS:
        for head in sg.objects(None, _sh(local)):
            nested |= set(Collection(sg, head))
    out = []
    for shape, constraint in sorted(sg.subject_objects(_sh("sparql"))):
        problems = []
        if sg.value(shape, _sh("path")) is not None:
            problems.append("a SPARQL constraint on a property shape ($PATH)")
        if shape in nested:
            problems.append("a SPARQL constraint reached through another shape")
        if any(sg.value(shape, _sh(t)) is not None for t in _OTHER_TARGETS):
            problems.append("a target other than sh:targetClass")
        if {RDFS.Class, OWL.Class} & set(sg.objects(shape, RDF.type)):
            problems.append("an implicit class target")
        if sg.value(shape, _sh("deactivated")) is not None:
            problems.append("sh:deactivated")
        for p in (_sh("message"), _sh("deactivated"), _sh("ask")):
            if sg.value(constraint, p) is not None:
                problems.append(f"{p} on the constraint")
        selects = list(sg.objects(constraint, _sh("select")))
        if len(selects) != 1:
            problems.append("not exactly one sh:select")
        elif re.search(r"[?$](PATH|shapesGraph|currentShape|failure)\b", str(selects[0])):
            problems.append("a pre-bound variable other than $this, or ?failure")
        if problems:
            raise _Unsupported(f"{shape}: " + ", ".join(problems))
        prefixes = _prefixes(sg, constraint)
        query = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())
        query += "\n" + str(selects[0])
        out.append(
            _SparqlConstraint(
                shape,
                constraint,
                sg.value(shape, _sh("severity")) or _sh("Violation"),
                tuple(ox.NamedNode(str(c)) for c in sorted(sg.objects(shape, _sh("targetClass")))),
                query,
                tuple(sorted(sg.objects(shape, _sh("message")))),
                *_analyse(query),
                _batched(query),
            )
        )
    return tuple(out)


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


# -- writing a session once, for both engines -----------------------------------------------

# N-Triples: an IRI with any of these would not parse, or would parse as something else.
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_INTEGERS = {
    str(XSD[t])
    for t in (
        "integer",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}
_CACHE_LIMIT = 50_000  # terms; cleared when full (most are one session's own IRIs)
_nt_cache: dict = {}  # term -> (N-Triples, how the store changes it: None, "datatype", "lexical")


def _nt_term(term) -> tuple[str, str | None]:
    """A term in N-Triples, and how pyoxigraph's store changes it (``_stored``);
    _Unsupported where the fast engine would not see it as pyshacl does."""
    known = _nt_cache.get(term)
    if known is not None:
        return known
    change = None
    if isinstance(term, URIRef):
        if _BAD_IRI.search(term) or ":" not in term:
            raise _Unsupported(f"IRI {term!r}")
        text = f"<{term}>"
    elif isinstance(term, Literal):
        lexical = (
            str(term)
            .replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
        if term.language:
            if _stored(None, term.language) is not None:
                raise _Unsupported(f"language tag {term.language!r}")
            text = f'"{lexical}"@{term.language}'
        elif term.datatype is not None and term.datatype != XSD.string:
            if _BAD_IRI.search(term.datatype):
                raise _Unsupported(f"datatype {term.datatype!r}")
            change = _stored(str(term), str(term.datatype))
            if change == "other":
                raise _Unsupported(f"literal {term.n3()}")
            text = f'"{lexical}"^^<{term.datatype}>'
        else:
            text = f'"{lexical}"'
    else:
        raise _Unsupported(f"{type(term).__name__} {term}")
    if len(_nt_cache) >= _CACHE_LIMIT:
        _nt_cache.clear()
    _nt_cache[term] = (text, change)
    return text, change


@lru_cache(maxsize=65536)
def _stored(lexical: str | None, datatype_or_language: str) -> str | None:
    """How pyoxigraph's store changes a literal: it keeps typed literals by value, so
    "01"^^xsd:integer comes back "1" and "5"^^xsd:nonNegativeInteger comes back
    "5"^^xsd:integer. None: kept as written; "datatype": an integer type become xsd:integer,
    same lexical form; "lexical": another lexical form, same datatype; "other": anything
    else (a language tag in other case …)."""
    if lexical is None:
        literal = ox.Literal("x", language=datatype_or_language)
    else:
        literal = ox.Literal(lexical, datatype=ox.NamedNode(datatype_or_language))
    store = ox.Store()
    node = ox.NamedNode("urn:x")
    store.add(ox.Quad(node, node, literal))
    kept = next(iter(store)).object  # compared with what was written, not with ``literal``
    if lexical is None:  # (pyoxigraph lower-cases a language tag as it makes the literal)
        return None if kept.language == datatype_or_language else "other"
    if kept.datatype.value == datatype_or_language:
        return None if kept.value == lexical else "lexical"
    if datatype_or_language in _INTEGERS and kept.datatype.value == str(XSD.integer):
        return "lexical" if kept.value != lexical else "datatype"
    return "other"


def _lines(triples) -> tuple[list[str], list[tuple]]:
    """N-Triples lines, and the literals the store changes, as (subject, predicate, how)."""
    lines, changes = [], []
    cache = _nt_cache
    for s, p, o in triples:
        a, b, c = cache.get(s) or _nt_term(s), cache.get(p) or _nt_term(p), cache.get(o)
        if c is None:
            c = _nt_term(o)
        if c[1]:
            changes.append((str(s), str(p), c[1]))  # strings: cheap to send to a worker
        lines.append(f"{a[0]} {b[0]} {c[0]} .\n")
    return lines, changes


@cache
def _shape_predicates() -> frozenset[str] | None:
    """The predicates whose triples a shape can read; None: any (a SPARQL pattern with a
    variable predicate on other nodes than $this, or sh:closed). Every IRI a triple of the
    shapes graph has as its object counts, which covers each path, sh:equals, sh:disjoint …
    without listing them; rdf:type and rdfs:subClassOf are how targets and sh:class are
    found."""
    sg = shapes_graph()
    if any(sg.triples((None, _sh("closed"), None))):
        return None
    iris = {str(o) for o in sg.objects() if isinstance(o, URIRef)}
    texts = [r.query for r in _sparql_constraints()]
    for target in sg.subjects(RDF.type, _sh("SPARQLTarget")):
        prefixes = "".join(f"PREFIX {k}: <{v}>\n" for k, v in _prefixes(sg, target).items())
        texts += [prefixes + str(q) for q in sg.objects(target, _sh("select"))]
    for text in texts:
        reads, _, _, reads_all = _analyse(text)
        if reads_all:
            return None
        iris |= reads
    return frozenset(iris | {str(RDF.type), str(RDFS.subClassOf)})


@cache
def _ontology_fast() -> tuple[tuple, frozenset[str]]:
    """The ontology the fast engine reads: its triples a shape can read (about a third: the
    labels, comments, domains and ranges are for people), and the subjects of those it
    leaves out, so that ``validate_written`` can step aside where a rule that reads every
    value of its focus node ($this ?p ?o) has one of them as a focus node."""
    read = _shape_predicates()
    if read is None:
        return _ontology(), frozenset()
    kept = tuple(t for t in _ontology() if str(t[1]) in read)
    left = frozenset(str(t[0]) for t in _ontology() if str(t[1]) not in read)
    return kept, left


@cache
def _ontology_nt() -> tuple[str, frozenset, tuple]:
    lines, changes = _lines(_ontology_fast()[0])
    return "".join(sorted(set(lines))), frozenset(lines), tuple(changes)


@cache
def _reference_nt() -> dict:
    return {node: _lines(triples) for node, triples in _reference_by_subject().items()}


@dataclass(frozen=True)
class Written:
    """A session merged with its context (``_context``), written once for both engines."""

    text: str  # N-Triples
    count: int  # distinct triples (-1: not to be checked)
    changes: tuple  # literals the store keeps otherwise: (subject IRI, predicate IRI, how)


def session_ntriples(graph: Graph) -> Written | None:
    """The session and its context as N-Triples; None when the fast engine cannot see it
    as pyshacl does (a blank node, an IRI N-Triples cannot carry …)."""
    try:
        ontology, ontology_lines, ontology_changes = _ontology_nt()
        reference = _reference_nt()
        triples = list(graph)  # rdflib's iteration is the cost here: once
        lines, changes = _lines(triples)
        for node in {t[0] for t in triples} | {t[2] for t in triples}:
            more = reference.get(node)
            if more:
                lines.extend(more[0])
                changes.extend(more[1])
    except (_Unsupported, UnicodeError):
        return None
    distinct = set(lines) - ontology_lines
    return Written(
        ontology + "".join(distinct),
        len(distinct) + len(ontology_lines),
        tuple(changes) + ontology_changes,
    )


@cache
def _reference_nt_by_iri() -> dict[str, tuple[list[str], list[tuple]]]:
    return {str(node): lines for node, lines in _reference_nt().items()}


def stored_ntriples(text: str) -> Written | None:
    """A stored session (its graph as the store dumps it in N-Triples) with its context,
    without rdflib: re-validating a whole store reads sessions this way. The store has
    already put every literal in the form it keeps, so only the context's literals can
    differ from what pyshacl sees; the count is not checked (``count`` -1) because the text
    is the store's own. None where the fast engine cannot see it as pyshacl does."""
    ontology, _, ontology_changes = _ontology_nt()
    reference = _reference_nt_by_iri()
    mentioned: set[str] = set()
    # the store writes one triple a line, `<s> <p> object .`, and no IRI holds a space
    for line in text.splitlines():
        subject, _, rest = line.partition(" ")
        obj = rest.partition(" ")[2][:-2]
        if subject[:1] != "<" or obj[:2] == "_:":
            return None  # a blank node, or not the store's N-Triples
        mentioned.add(subject[1:-1])
        if obj[:1] == "<":
            mentioned.add(obj[1:-1])
    lines, changes = [ontology, text], list(ontology_changes)
    for iri in mentioned:
        more = reference.get(iri)
        if more:
            lines.extend(more[0])
            changes.extend(more[1])
    return Written("".join(lines), -1, tuple(changes))


# -- running it -----------------------------------------------------------------------------

_THIS = ox.Variable("this")


@cache
def _focus_query() -> str:
    classes = sorted({c.value for r in _sparql_constraints() for c in r.classes})
    values = " ".join(f"<{c}>" for c in classes)
    return (
        f"SELECT DISTINCT ?class ?this WHERE {{ VALUES ?class {{ {values} }} "
        f"?this <{RDF.type}> ?type . ?type <{RDFS.subClassOf}>* ?class }}"
    )


def _focus_nodes(store: ox.Store) -> dict:
    """Each SPARQL constraint's focus nodes: instances of its classes or their subclasses
    (sh:targetClass, as pyshacl finds them in the data graph)."""
    by_class: dict = {}
    for row in store.query(_focus_query()):
        by_class.setdefault(row[0], set()).add(row[1])
    out = {}
    for rule in _sparql_constraints():
        nodes = set()
        for c in rule.classes:
            nodes |= by_class.get(c, set())
        out[rule] = sorted(nodes, key=str)
    return out


def _observable(changes: Iterable[tuple], focus: dict) -> bool:
    """Whether a SPARQL constraint could tell a literal the store changed from the literal
    pyshacl sees. A changed lexical form shows wherever the value is read (STR, messages);
    an integer type become xsd:integer, same lexical form and value, shows only where the
    term itself is used (DATATYPE, sameTerm, joins, DISTINCT …): both engines compute with
    either as the same integer."""
    rules = _sparql_constraints()
    if any(r.reads_all for r in rules):
        return any(True for _ in changes)
    read = frozenset().union(*(r.reads for r in rules))
    compared = frozenset().union(*(r.compares for r in rules))
    whole = {n.value for r in rules if r.reads_this for n in focus[r]}
    for subject, predicate, how in changes:
        if predicate in (read if how == "lexical" else compared):
            return True
        if subject in whole:
            return True
    return False


def _rdflib(term):
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == str(XSD.string) else datatype)


def _fill(message: str, bound: dict) -> str:
    """pyshacl's filling-in of a SHACL-SPARQL message (re.sub, str() of each term)."""
    for var, val in bound.items():
        message = re.sub(f"{{[?$]{var}}}", str(val), message)
    return message


def _run_sparql(store: ox.Store, focus: dict) -> list[_Raw]:
    """Each SHACL-SPARQL constraint on each focus node, as pyshacl runs it: $this pre-bound,
    a row binding none of $this, ?path and ?value ignored, a repeated row dropped, ?value
    the focus node when unbound, each sh:message filled in with the row."""
    out = []
    for rule in _sparql_constraints():
        if rule.batched and len(focus[rule]) > 1:
            values = " ".join(f"<{n.value}>" for n in focus[rule])
            runs = [(None, store.query(rule.batched.replace(_FOCUS, values)))]
        else:
            runs = [(n, store.query(rule.query, substitutions={_THIS: n})) for n in focus[rule]]
        for node, solutions in runs:
            names = [v.value for v in solutions.variables]
            seen = set()
            for row in solutions:
                bound = {n: _rdflib(v) for n, v in zip(names, row, strict=True) if v is not None}
                path, value = bound.pop("path", None), bound.pop("value", None)
                this = bound.pop("this", None)
                if path is None and value is None and this is None:
                    continue
                key = (this, path, value, tuple(sorted(bound.items())))
                if key in seen:
                    continue
                seen.add(key)
                focus_node = this or _rdflib(node)
                value = focus_node if value is None else value
                filled = dict(bound)
                for name, term in (("this", this), ("path", path), ("value", value)):
                    if term is not None:
                        filled[name] = term
                messages = sorted(Literal(_fill(str(m), filled)) for m in rule.messages)
                out.append((rule.severity, focus_node, path, value, messages, rule.shape))
    return out


def _add_results(report: Graph, raw: list[_Raw]) -> None:
    """The SHACL-SPARQL results into pyshacl-turbo's report, as pyshacl writes them."""
    node = report.value(None, RDF.type, _sh("ValidationReport"))
    constraints = {r.shape: r.constraint for r in _sparql_constraints()}
    for severity, focus, path, value, messages, shape in raw:
        result = BNode()
        report.add((node, _sh("result"), result))
        report.add((result, RDF.type, _sh("ValidationResult")))
        report.add((result, _sh("sourceConstraintComponent"), _sh("SPARQLConstraintComponent")))
        report.add((result, _sh("sourceShape"), shape))
        report.add((result, _sh("sourceConstraint"), constraints[shape]))
        report.add((result, _sh("resultSeverity"), severity))
        report.add((result, _sh("focusNode"), focus))
        report.add((result, _sh("value"), value))
        if path is not None:
            report.add((result, _sh("resultPath"), path))
        for m in messages:
            report.add((result, _sh("resultMessage"), m))


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


def validate_fast(graph: Graph) -> Report | None:
    """The fast engine alone, or None where it cannot see the session as pyshacl does.
    ``validate`` uses it to accept sessions; tests compare it with ``validate_pyshacl``."""
    if fast_engine_error() is not None:
        return None
    written = session_ntriples(graph)
    done = validate_written(written) if written else None
    if done is None:
        return None
    return _report(graph, done[0], done[1], "fast")


def validate_stored(text: str) -> Report:
    """One stored session (N-Triples as the store dumps it) against the shapes: the fast
    engine on the text itself; rdflib only for a session with findings (their passages) and
    pyshacl, as in ``validate``, for one the fast engine rejects or cannot see."""
    written = stored_ntriples(text) if _engine(None) == "fast" else None
    done = validate_written(written) if written else None
    if done is not None and not done[0]:
        return Report(graph=done[1], engine="fast")
    return _settle(Graph().parse(data=text, format="nt"), done)


def _settle(graph: Graph, done: tuple[list[_Raw], Graph] | None) -> Report:
    """The fast engine's report where it finds the session conforming, pyshacl's where it
    would reject it or could not see it (``done`` None): a rejection always carries the
    reference's findings."""
    if done is not None:
        report = _report(graph, done[0], done[1], "fast")
        if report.conforms:
            return report
    return validate_pyshacl(graph)


def _engine(engine: str | None) -> str:
    engine = engine or os.environ.get(ENGINE_VARIABLE) or "fast"
    if engine not in ENGINES:
        raise ValueError(f"unknown validation engine {engine!r}; one of {', '.join(ENGINES)}")
    if engine == "fast" and fast_engine_error() is not None:
        _warn_once(fast_engine_error())
        return "pyshacl"
    return engine


@cache
def _warn_once(reason: str) -> None:
    warnings.warn(f"validation falls back to pyshacl: {reason}", RuntimeWarning, stacklevel=3)


def validate(graph: Graph, *, engine: str | None = None) -> Report:
    """Validate one session's graph against the shapes, with the reference data.

    ``engine``: "fast" (the default, or $CKG_SHACL_ENGINE) or "pyshacl" (the reference).
    The fast engine accepts the sessions it finds conforming; a session it would reject,
    or cannot see as pyshacl does, is validated by pyshacl, so a rejection always carries
    the reference's findings (the engines word some findings on ill-typed values
    differently: rdflib orders literals SPARQL cannot compare)."""
    if _engine(engine) != "fast":
        return validate_pyshacl(graph)
    written = session_ntriples(graph)
    return _settle(graph, validate_written(written) if written else None)


_POOL_MINIMUM = 256  # fewer sessions: starting worker processes (~1-2 s each) costs more
_CHUNK = 16  # sessions per task sent to a worker process


def _validate_chunk(chunk: list[Written | None]) -> list[tuple[list[_Raw], str] | None]:
    """``validate_written`` in a worker process; report graphs travel as N-Triples."""
    out = []
    for written in chunk:
        done = validate_written(written) if written is not None else None
        out.append(None if done is None else (done[0], done[1].serialize(format="nt")))
    return out


def _warm() -> None:
    """Compile the shapes once in each worker process, before its first session."""
    fast_engine_error()


def _in_threads(graphs: list[Graph], workers: int) -> list:
    with ThreadPoolExecutor(workers) as pool:
        futures = []
        for g in graphs:  # each submitted as soon as it is written
            written = session_ntriples(g)
            futures.append(pool.submit(validate_written, written) if written else None)
        return [f.result() if f else None for f in futures]


def _in_processes(graphs: list[Graph], workers: int) -> list:
    chunks = [graphs[i : i + _CHUNK] for i in range(0, len(graphs), _CHUNK)]
    # spawn: a forked child would inherit the parent's open store and native state
    with ProcessPoolExecutor(workers, get_context("spawn"), initializer=_warm) as pool:
        futures = [pool.submit(_validate_chunk, [session_ntriples(g) for g in c]) for c in chunks]
        results = [r for f in futures for r in f.result()]
    return [None if r is None else (r[0], Graph().parse(data=r[1], format="nt")) for r in results]


def validate_many(
    graphs: Iterable[Graph],
    *,
    workers: int | None = None,
    processes: bool = False,
    engine: str | None = None,
) -> list[Report]:
    """``validate`` on each session, in order, the fast engine's work spread over
    ``workers`` threads (default: one per CPU), or worker processes with ``processes``
    (by default only for batches of at least _POOL_MINIMUM sessions).

    Threads: pyshacl-turbo and pyoxigraph do their work without the GIL; what needs it
    (writing N-Triples, here, ahead of the workers; turning rows into results) caps two
    threads at ~1.5x on two free cores. Processes have no such cap but cost more CPU in
    all (start-up, sending each session and its report), which on a machine whose cores
    are not free made them slower than one thread (bench/validate.py measures both).
    Sessions the fast engine rejects or cannot see as pyshacl does are validated here
    by pyshacl, as ``validate`` does."""
    graphs = list(graphs)
    if _engine(engine) != "fast":
        return [validate_pyshacl(g) for g in graphs]
    if workers is None:
        pool = len(graphs) >= (_POOL_MINIMUM if processes else 2)
        workers = (os.cpu_count() or 1) if pool else 1
    if workers > 1 and len(graphs) > 1:
        run = _in_processes if processes else _in_threads
        results = run(graphs, workers)
    else:
        results = [validate_written(w) if w else None for w in map(session_ntriples, graphs)]
    return [_settle(g, result) for g, result in zip(graphs, results, strict=True)]


def quote_of(graph: Graph, node) -> str | None:
    """The exact source text a node was derived from, following its passage's selectors."""
    for passage in graph.objects(node, PROV.wasDerivedFrom):
        for selector in graph.objects(passage, OA.hasSelector):
            exact = graph.value(selector, OA.exact)
            if exact is not None:
                return str(exact)
    return None
