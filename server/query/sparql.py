"""One SPARQL request run on a store and written with the store's own serializers.

Results are written by pyoxigraph, never row by row in Python (about ten times cheaper on
large results than building Python rows first). The row cap asks the engine for one solution
more than it returns and counts TSV lines (one per solution, newlines inside values are
escaped), so a cut result is known without Python rows; graphs are cut by triples. Updates,
SERVICE and graphs that are not in the store are refused before the engine sees the query:
nothing leaves the machine, so an endpoint open to anyone cannot be made to fetch from
elsewhere for them.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox

from committee_kg.loaders.errors import QueryError, QueryRefused, UpdateRefused
from committee_kg.loaders.vocab import PREFIXES

from ..media import GRAPHS, RESULTS
from ..store.store import query_dataset
from .querytext import MAX_NESTING, QueryText, analyse, error_position

TSV = ox.QueryResultsFormat.TSV
_PREFIXES = {k: str(v) for k, v in PREFIXES.items()}


@dataclass(frozen=True)
class Request:
    """What a query worker is asked to do (picklable, hashable: it keys the result cache)."""

    query: str
    results: str = "json"  # a key of media.RESULTS, for SELECT and ASK
    graphs: str = "ttl"  # a key of media.GRAPHS, for CONSTRUCT and DESCRIBE
    default_graphs: tuple[str, ...] = ()  # SPARQL Protocol default-graph-uri
    named_graphs: tuple[str, ...] = ()  # SPARQL Protocol named-graph-uri
    max_rows: int = 10000
    # a catalogue query the full-text index may narrow (textsearch.py): its name, parameters
    # and base; ``query`` is then its text as rendered without the index
    catalogue: tuple[str, tuple[tuple[str, str], ...], str] | None = None


@dataclass
class Result:
    body: bytes
    media_type: str
    kind: str  # "solutions", "boolean" or "graph"
    truncated: bool = False
    rows: int = 0
    generation: str = ""


def refuse(info: QueryText) -> None:
    """Refuse what a read-only endpoint without outbound requests must not run."""
    if info.update:
        raise UpdateRefused(f"{info.update}: this endpoint is read-only (SPARQL Update is refused)")
    if info.service:
        raise QueryRefused(
            "SERVICE is refused: this endpoint makes no outbound requests. The letters "
            "'service' are read as the keyword anywhere in a name, as the engine may read "
            "them (service:x, SERVICESILENT); write such an IRI in full, <…>"
        )
    if info.nesting > MAX_NESTING:
        raise QueryRefused(
            f"the query nests {{ }}, ( ) or [ ] {info.nesting} deep; at most {MAX_NESTING} "
            "levels of nesting are accepted"
        )


def check_graphs(db: ox.Store, info: QueryText, request: Request) -> None:
    """Every graph a request names must be one of the store's own graphs: a FROM on any
    other IRI would be an outbound request in engines that dereference it (rdflib does)."""
    named = [*info.from_graphs, *info.from_named, *request.default_graphs, *request.named_graphs]
    for iri in named:
        if not _stored_graph(db, iri):
            raise QueryRefused(
                f"graph <{iri}> is not in this store; FROM, FROM NAMED, default-graph-uri and "
                "named-graph-uri may only name its graphs (this endpoint makes no outbound "
                "requests). Without them the default graph is the union of all graphs."
            )


def _stored_graph(db: ox.Store, iri: str) -> bool:
    try:
        return db.contains_named_graph(ox.NamedNode(iri))
    except ValueError:  # not an IRI at all
        return False


def execute(db: ox.Store, request: Request, info: QueryText | None = None) -> Result:
    """Run one request on db (a read-only snapshot) and serialize the answer."""
    info = info or analyse(request.query)
    refuse(info)
    check_graphs(db, info, request)
    # without graphs named, the default graph is the store's: the merge of its graphs as a
    # set (issue 15); several named as the default graph are merged as a set too
    dataset: dict = {}
    if request.default_graphs or request.named_graphs:
        # the protocol's graphs override the query's own FROM (SPARQL 1.1 Protocol 2.1.4)
        db, dataset = query_dataset(db, request.default_graphs, request.named_graphs)
    elif len(set(info.from_graphs)) > 1:
        db, dataset = query_dataset(db, info.from_graphs, info.from_named)
    capped = info.with_limit(request.max_rows + 1) if info.form == "SELECT" else request.query
    try:
        answer = _query(db, capped, dataset)
    except QueryError:
        if capped == request.query:
            raise
        # report the error against the query as written, or run it uncapped if our LIMIT
        # was what the parser disliked (the TSV count below still cuts it)
        answer = _query(db, request.query, dataset)
    if isinstance(answer, ox.QueryBoolean):
        media, fmt, _ = RESULTS[request.results]
        return Result(answer.serialize(format=fmt), media, "boolean", rows=1)
    if isinstance(answer, ox.QuerySolutions):
        return _solutions(answer, request)
    return _graph(answer, request)


def _query(db: ox.Store, text: str, dataset: dict):
    try:
        return db.query(text, **dataset)
    except SyntaxError as exc:
        message = str(exc)
        pos = error_position(message)
        where = f"line {pos[0]}, column {pos[1]}" if pos else None
        fields = {"line": pos[0], "column": pos[1]} if pos else None
        raise QueryError(f"SPARQL syntax error: {message}", where=where, fields=fields) from exc
    except (ValueError, RuntimeError) as exc:  # e.g. an IRI pyoxigraph cannot accept
        raise QueryError(f"the query cannot be evaluated: {exc}") from exc
    except OSError as exc:
        raise _io_error(exc) from exc


def _solutions(answer: ox.QuerySolutions, request: Request) -> Result:
    media, fmt, _ = RESULTS[request.results]
    tsv = _evaluate(lambda: answer.serialize(format=TSV))
    rows = tsv.count(b"\n") - 1
    truncated = rows > request.max_rows
    if truncated:
        cut = -1
        for _ in range(request.max_rows + 1):  # the header line, then max_rows rows
            cut = tsv.index(b"\n", cut + 1)
        tsv, rows = tsv[: cut + 1], request.max_rows
    body = tsv if fmt == TSV else ox.parse_query_results(tsv, format=TSV).serialize(format=fmt)
    return Result(body, media, "solutions", truncated, rows)


def _graph(answer: ox.QueryTriples, request: Request) -> Result:
    media, fmt, _ = GRAPHS[request.graphs]
    # triples are pulled lazily, so the engine stops after max_rows + 1 of them
    triples = _evaluate(lambda: list(islice(answer, request.max_rows + 1)))
    truncated = len(triples) > request.max_rows
    triples = triples[: request.max_rows]
    if fmt == ox.RdfFormat.N_QUADS:
        fmt = ox.RdfFormat.N_TRIPLES  # a graph result has no graph names
    prefixes = _PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    body = ox.serialize(triples, format=fmt, prefixes=prefixes)
    return Result(body, media, "graph", truncated, len(triples))


def _evaluate(produce):
    """Evaluation errors surface while results are pulled (e.g. a store read failing)."""
    try:
        return produce()
    except OSError as exc:
        raise _io_error(exc) from exc
    except (ValueError, RuntimeError) as exc:
        raise QueryError(f"the query failed while running: {exc}") from exc


def _io_error(exc: OSError) -> QueryError:
    """An I/O error while evaluating: said to the client without its text, which could be
    the body another server answered with (issue 16: a SERVICE target's error page was
    copied into the problem document); the server's log has it."""
    print(f"committee-kg query worker: I/O error while evaluating: {exc}", file=sys.stderr)
    return QueryError("the query could not be evaluated: an input/output error occurred")
