"""RDF out: the one place that turns triples or quads into bytes for /id/…, /ontology,
/graph/… and the dumps (issue 6).

pyoxigraph's writers do the work (rdflib's Turtle writer takes time quadratic in the number
of our path-like IRIs; ``bench/dump.py`` measures). Input is sorted first, so the same
triples always give the same bytes. pyoxigraph writes JSON-LD expanded, without a context;
ours is compacted with the published context (``CONTEXT``: our prefixes), one node object
per line, so that it reads and diffs like the other formats and parses offline (the context
is inline, not fetched).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from typing import IO

import pyoxigraph as ox

from committee_kg.loaders.vocab import PREFIXES

from ..media import GRAPHS

NAMESPACES = {k: str(v) for k, v in sorted(PREFIXES.items())}
CONTEXT = {"@context": NAMESPACES}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def term_key(term) -> str:
    return str(term)


def triple_key(t) -> tuple[str, str, str]:
    return (str(t.subject), str(t.predicate), str(t.object))


def sorted_lines(data: bytes) -> list[bytes]:
    """N-Triples or N-Quads bytes as sorted lines (each a statement ending in `` .``).

    Byte order of UTF-8 is code-point order, and a subject term ends with ``>`` (or a blank
    node label), so the lines of one subject stay together."""
    lines = data.split(b"\n")
    lines.sort()
    return lines[1:] if lines and lines[0] == b"" else [ln for ln in lines if ln]


def write(
    statements: Iterable[ox.Triple] | Iterable[ox.Quad],
    key: str,
    output: IO[bytes] | None = None,
    *,
    presorted: bool = False,
) -> bytes | None:
    """Serialize triples or quads in the GRAPHS format ``key`` (sorted unless presorted)."""
    if not presorted:
        statements = sorted(statements, key=_statement_key)
    if key == "jsonld":
        return write_jsonld(statements, output)
    _, fmt, _ = GRAPHS[key]
    return ox.serialize(statements, output, fmt, prefixes=NAMESPACES)


def _statement_key(s) -> tuple[str, ...]:
    g = getattr(s, "graph_name", None)
    return ("" if g is None or isinstance(g, ox.DefaultGraph) else str(g), *triple_key(s))


# -- JSON-LD -------------------------------------------------------------------------------


_PREFIX_OF = {ns: prefix for prefix, ns in NAMESPACES.items()}
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")


def compact(iri: str) -> str:
    """A compact IRI (``ckg:Meeting``) when a prefix of the context covers it with a plain
    local name; the full IRI otherwise (our data IRIs have no prefix)."""
    cut = max(iri.rfind("#"), iri.rfind("/")) + 1
    prefix = _PREFIX_OF.get(iri[:cut])
    if prefix and _LOCAL.match(iri, cut):
        return f"{prefix}:{iri[cut:]}"
    return iri


def _node_ref(term) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _value(term) -> object:
    if isinstance(term, ox.Literal):
        if term.language:
            return {"@value": term.value, "@language": term.language}
        if term.datatype.value == XSD_STRING:
            return term.value
        return {"@value": term.value, "@type": compact(term.datatype.value)}
    return {"@id": compact(_node_ref(term))}


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


class JsonLdWriter:
    """Compact JSON-LD, one node object per line, named graphs as ``{"@id": g, "@graph":
    […]}``; statements are pushed one by one (sorted: a subject's statements together), so
    that one pass over a dump's quads can feed this writer and pyoxigraph's at once."""

    def __init__(self, output: IO[bytes]):
        self.output = output
        self.graph: str | None = None
        self.subject = None
        self.node: dict | None = None
        self.open_graph: str | None = None
        self.first = True
        self.keys: dict[str, str] = {}  # predicate → its compact form
        self._write('{"@context":' + _dumps(NAMESPACES) + ',\n"@graph":[')

    def _write(self, text: str) -> None:
        self.output.write(text.encode("utf-8"))

    def add(self, s) -> None:
        g = getattr(s, "graph_name", None)
        g = None if g is None or isinstance(g, ox.DefaultGraph) else _node_ref(g)
        if s.subject != self.subject or g != self.graph:
            self._flush()
            self.graph, self.subject = g, s.subject
            self.node = {"@id": _node_ref(s.subject)}
        node = self.node
        p = s.predicate.value
        if p == RDF_TYPE and not isinstance(s.object, ox.Literal):
            node.setdefault("@type", []).append(compact(_node_ref(s.object)))
        else:
            key = self.keys.get(p)
            if key is None:
                key = self.keys[p] = compact(p)
            node.setdefault(key, []).append(_value(s.object))

    def _flush(self) -> None:
        if self.node is None:
            return
        if self.graph != self.open_graph:
            if self.open_graph is not None:
                self._write("\n]}")
            if self.graph is not None:
                head = '{"@id":' + _dumps(self.graph) + ',"@graph":['
                self._write(("" if self.first else ",") + "\n" + head)
                self.first = True
            self.open_graph = self.graph
        self._write(("" if self.first else ",") + "\n" + _dumps(self.node))
        self.first = False
        self.node = None

    def close(self) -> None:
        self._flush()
        if self.open_graph is not None:
            self._write("\n]}")
        self._write("\n]}\n")


def write_jsonld(statements: Iterable, output: IO[bytes] | None = None) -> bytes | None:
    buffer = io.BytesIO() if output is None else output
    writer = JsonLdWriter(buffer)
    for s in statements:
        writer.add(s)
    writer.close()
    return buffer.getvalue() if output is None else None


def context_document() -> bytes:
    """The published JSON-LD context (``/context.jsonld`` and ``dumps/context.jsonld``)."""
    return (json.dumps(CONTEXT, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
