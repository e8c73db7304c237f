"""Running a SPARQL query on a published snapshot and writing the result natively.

Results are written by pyoxigraph's own serializers, never row by row in Python (DESIGN.md:
~10x cheaper on large results). Updates and outbound requests are refused before the
query reaches the engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from loaders.errors import QueryError, QueryRefused

from .media import GRAPHS, RESULTS

# Keywords that make a query write or reach outside the store. Checked on the query with
# its strings, IRIs and comments blanked out, so a literal "SERVICE" is harmless.
_REFUSED = re.compile(
    r"\b(SERVICE|LOAD|INSERT|DELETE|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE
)
_STRINGS = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*'
)


@dataclass
class Result:
    body: bytes
    media_type: str
    kind: str  # "solutions", "boolean" or "graph"


def check(query: str) -> None:
    """Refuse updates and SERVICE/LOAD before parsing (no outbound connection is ever made)."""
    stripped = _STRINGS.sub(" ", query)
    m = _REFUSED.search(stripped)
    if m:
        word = m.group(1).upper()
        if word in ("SERVICE", "LOAD"):
            raise QueryRefused(f"{word} is refused: this endpoint makes no outbound requests")
        raise QueryRefused(f"{word}: this endpoint is read-only (SPARQL Update is refused)")
    if re.search(r"\bFROM\b", stripped, re.IGNORECASE):
        raise QueryRefused(
            "FROM / FROM NAMED are refused: the default graph is the union of all "
            "graphs; use GRAPH ?g { … } to select sessions"
        )


def run(db_query, query: str, results_format: str = "json", graph_format: str = "ttl") -> Result:
    """Run query with ``db_query`` (a snapshot's query method) and serialize the result."""
    check(query)
    try:
        answer = db_query(query)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from exc
    except OSError as exc:
        raise QueryError(f"query failed: {exc}") from exc
    if isinstance(answer, ox.QueryBoolean):
        media, fmt, _ = RESULTS[results_format]
        return Result(answer.serialize(format=fmt), media, "boolean")
    if isinstance(answer, ox.QuerySolutions):
        media, fmt, _ = RESULTS[results_format]
        return Result(answer.serialize(format=fmt), media, "solutions")
    media, fmt, _ = GRAPHS[graph_format]
    if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        fmt = ox.RdfFormat.TURTLE if fmt == ox.RdfFormat.TRIG else ox.RdfFormat.N_TRIPLES
    return Result(answer.serialize(format=fmt), media, "graph")
