"""The fast engine's SHACL-SPARQL half: the shapes' SPARQL constraints on pyoxigraph.

Three jobs, all about the same constraints:

* reading them from the shapes (``_sparql_constraints``), checked to use only what this
  engine runs as pyshacl does (node shapes with class targets, one sh:select, only $this
  pre-bound …); anything else raises ``_Unsupported`` and validation falls back to pyshacl;
* seeing what of a session each can read (``_analyse``, ``_shape_predicates``), by walking
  the query's algebra as rdflib translates it. This reads rdflib internals (CompValue
  node names, property-path classes), hence the upper bound on rdflib in pyproject.toml.
  It decides where the fast engine must step aside: a literal pyoxigraph's store keeps
  otherwise than written ("1.0"^^xsd:decimal as "1", xsd:nonNegativeInteger as
  xsd:integer) matters only where a rule could tell (``_observable``);
* running them in an in-memory pyoxigraph store (the store's own engine), once per focus
  node with $this pre-bound (SEP-0007 substitution, the pre-binding SHACL prescribes) or,
  where the answers cannot differ, for all focus nodes at once (``_batched``), the rows
  turned into results as pyshacl turns them (``_run_sparql``: a repeated row dropped,
  ?value the focus node when unbound, every sh:message filled in).

pyshacl-turbo's own SPARQL is not used: it reads ``a - b + c`` as ``a - (b + c)``, which
breaks ckgsh:WeekdayMatchesDate and ckgsh:PassageSelectorsAgree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.paths import NegatedPath, Path
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from ..reference import shapes_graph
from .report import _Raw, _sh

# -- the constraints, and what of a session they read ------------------------------------------


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


# -- running them on pyoxigraph --------------------------------------------------------------

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
