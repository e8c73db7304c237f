"""The N-Triples writer: a session and its context written once, for the fast engine.

pyshacl-turbo parses the text, and pyoxigraph loads the same text for the SHACL-SPARQL
rules, so a session is written once (``session_ntriples``; a stored session, already
N-Triples, only gains its context: ``stored_ntriples``). Written here, term by term,
rather than by rdflib's serialiser, because the fast engine needs to know besides:

* where it would not see the session as pyshacl does: a blank node, an IRI N-Triples
  cannot carry, a language tag the store writes otherwise (``_Unsupported``: the session
  goes to pyshacl);
* which literals pyoxigraph's store keeps otherwise than written (``_stored``: it keeps
  typed literals by value), so that ``fast_engine`` can ask whether a rule could tell.

Of the ontology only the triples a shape can read are written (``_ontology_fast``): about a
third; the labels, comments, domains and ranges are for people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from ..defaults import DEFAULT_BASE
from .context import _ontology, _reference_by_subject
from .sparql_engine import _shape_predicates, _Unsupported

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
def _reference_nt(base: str = DEFAULT_BASE) -> dict:
    return {node: _lines(triples) for node, triples in _reference_by_subject(base).items()}


@dataclass(frozen=True)
class Written:
    """A session merged with its context (``_context``), written once for both engines."""

    text: str  # N-Triples
    count: int  # distinct triples (-1: not to be checked)
    changes: tuple  # literals the store keeps otherwise: (subject IRI, predicate IRI, how)
    session: str = ""  # the session's own triples in N-Triples, its context left out


def session_ntriples(graph: Graph, base: str = DEFAULT_BASE) -> Written | None:
    """The session (minted under ``base``) and its context as N-Triples; None when the fast
    engine cannot see it as pyshacl does (a blank node, an IRI N-Triples cannot carry …)."""
    try:
        ontology, ontology_lines, ontology_changes = _ontology_nt()
        reference = _reference_nt(base)
        # rdflib's iteration is the cost here: once, and through iter() so that list() does
        # not ask len() first (rdflib's memory store counts by iterating every triple)
        triples = list(iter(graph))
        lines, changes = _lines(triples)
        session = "".join(lines)  # what ingest stores, written once
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
        session,
    )


@cache
def _reference_nt_by_iri(base: str = DEFAULT_BASE) -> dict[str, tuple[list[str], list[tuple]]]:
    return {str(node): lines for node, lines in _reference_nt(base).items()}


def stored_ntriples(text: str, base: str = DEFAULT_BASE) -> Written | None:
    """A stored session (its graph as the store dumps it in N-Triples) with its context,
    without rdflib: re-validating a whole store reads sessions this way. The store has
    already put every literal in the form it keeps, so only the context's literals can
    differ from what pyshacl sees; the count is not checked (``count`` -1) because the text
    is the store's own. None where the fast engine cannot see it as pyshacl does."""
    ontology, _, ontology_changes = _ontology_nt()
    reference = _reference_nt_by_iri(base)
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
