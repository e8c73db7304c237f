"""What programs call: the SPARQL endpoint (SPARQL 1.1 Protocol, with its service
description, and the query editor for a browser), the catalogue of named queries, and
/health.

Queries never run in the web process: a pool of worker processes (``query/workers.py``)
holds the store's current published generation, so a query can be stopped at the time
limit (the engine cannot cancel one) and ingest while serving never blocks or corrupts.
Results are cached per generation and request (``answer``).
"""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox
from flask import Blueprint, Response, jsonify, render_template, request
from rdflib.namespace import OWL, RDF, RDFS
from werkzeug.exceptions import RequestEntityTooLarge

from committee_kg.loaders.errors import QueryError, UpdateRefused
from committee_kg.loaders.vocab import PREFIXES

from ..media import GRAPHS, RESULTS, key_for, negotiate
from ..publish.dcat import DEFAULT_GRAPH
from ..query import catalogue
from ..query.querytext import analyse
from ..query.sparql import Request, Result, refuse
from ..query.textsearch import catalogue_request
from .cache import Cache
from .guards import CACHE_HEADER, GENERATION_HEADER, ROWS_HEADER, TRUNCATED_HEADER
from .site import problem
from .state import state

blueprint = Blueprint("sparql", __name__)

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"


class ResultCache:
    """Results per (generation, request), least recently used first out, within a byte
    budget; one larger than ``largest`` is not kept. A result is only ever valid for the
    generation it was computed on, so a new generation makes every entry stale."""

    def __init__(self, budget: int = 256 << 20, largest: int = 32 << 20):
        self._cache: Cache[tuple[str, Request], Result] = Cache(
            budget, weigh=lambda r: len(r.body), largest=largest
        )

    def get(self, generation: str, req: Request) -> Result | None:
        return self._cache.get((generation, req))

    def put(self, req: Request, result: Result) -> None:
        self._cache.put((result.generation, req), result)


def answer(req: Request) -> tuple[Result, bool]:
    """The result of a query, and whether it came from the cache: from a worker, within one
    of the admission's places for queries."""
    app = state()
    results = app["results"]
    hit = results.get(app["holder"].generation(), req) if results is not None else None
    if hit is not None:
        return hit, True
    with app["admission"].place("query"):
        result = app["pool"].run(req)
    if results is not None:
        results.put(req, result)
    return result, False


def respond(result: Result, cached: bool) -> Response:
    resp = Response(result.body, mimetype=result.media_type)
    if result.media_type.startswith("text/") or "json" in result.media_type:
        resp.charset = "utf-8"
    resp.headers[TRUNCATED_HEADER] = "true" if result.truncated else "false"
    resp.headers[ROWS_HEADER] = str(result.rows)
    resp.headers[GENERATION_HEADER] = result.generation
    resp.headers[CACHE_HEADER] = "hit" if cached else "miss"
    return resp


# -- /sparql -------------------------------------------------------------------------------


@blueprint.route("/sparql", methods=["GET", "POST"])
def endpoint():
    query = _query_from_request(state()["max_request_bytes"])
    fmt = request.values.get("format")
    if query is None:
        if request.accept_mimetypes.accept_html and not fmt and _prefers_html():
            return _editor_page()
        return _service_description(fmt)
    info = analyse(query)
    refuse(info)
    table, fallback = (
        (GRAPHS, "ttl")
        if info.form in ("CONSTRUCT", "DESCRIBE")
        else (
            RESULTS,
            "json",
        )
    )
    key = key_for(fmt, table) if fmt else negotiate(request.headers.get("Accept"), table, fallback)
    if key is None:
        names = ", ".join(media for media, _, _ in table.values())
        return problem(406, "Not acceptable", f"this result can be sent as: {names}")
    req = Request(
        query,
        results=key if table is RESULTS else "json",
        graphs=key if table is GRAPHS else "ttl",
        default_graphs=tuple(request.values.getlist("default-graph-uri")),
        named_graphs=tuple(request.values.getlist("named-graph-uri")),
        max_rows=state()["max_rows"],
    )
    return respond(*answer(req))


def _prefers_html() -> bool:
    """A browser names text/html first; a client sending */* gets the service description."""
    accept = request.accept_mimetypes
    best = accept.best_match(["text/turtle", "application/ld+json", "text/html"])
    return best == "text/html" and "text/html" in request.headers.get("Accept", "")


def _query_from_request(limit: int) -> str | None:
    """The query of a SPARQL 1.1 Protocol request (GET, POST form or POST direct)."""
    if len(request.query_string) > limit:
        raise RequestEntityTooLarge()
    if request.method == "POST":
        if request.mimetype == "application/sparql-update" or "update" in request.form:
            raise UpdateRefused("this endpoint is read-only (SPARQL Update is refused)")
        if request.mimetype == "application/sparql-query":
            return request.get_data(as_text=True)
        form = request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data")
        if not form and request.content_length:
            raise QueryError(
                f"a POST body must be application/sparql-query or a form, not "
                f"{request.mimetype or 'untyped'}"
            )
    if "update" in request.args:
        raise UpdateRefused("this endpoint is read-only (SPARQL Update is refused)")
    queries = request.values.getlist("query")
    if len(queries) > 1:
        raise QueryError("give exactly one query parameter")
    return queries[0] if queries else None


def _editor_page() -> Response:
    prefixes = {k: str(v) for k, v in PREFIXES.items()}
    return Response(
        render_template("sparql.html", prefixes=prefixes, vocabulary=_vocabulary()),
        mimetype="text/html",
    )


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, list[str]]:
    """Classes and properties for the editor's completion, from our ontology and the
    standard terms the data uses (those below): no LOV, no outside request, so the editor
    works offline and tells no one what is being written."""
    from committee_kg.loaders.reference import ontology_graph, reference_graph

    classes, properties = set(), set()
    for graph in (ontology_graph(), reference_graph()):
        for term, kind in graph.subject_objects(RDF.type):
            if kind in (OWL.Class, RDFS.Class):
                classes.add(str(term))
            elif kind in (OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property):
                properties.add(str(term))
    for prefix, locals_ in _STANDARD_TERMS.items():
        for local in locals_.split():
            (classes if local[0].isupper() else properties).add(str(PREFIXES[prefix]) + local)
    return {"classes": sorted(classes), "properties": sorted(properties)}


_STANDARD_TERMS = {
    "dcterms": "date title subject isPartOf source license format",
    "schema": "startDate endDate organizer location position text description familyName Place",
    "rdfs": "label comment",
    "rdf": "type",
    "skos": "prefLabel altLabel notation inScheme Concept ConceptScheme",
    "org": "member role organization Membership Organization Post FormalOrganization",
    "prov": "wasDerivedFrom wasGeneratedBy used Activity Entity",
    "oa": "hasSource hasSelector exact prefix suffix start end TextQuoteSelector",
}


def _service_description(fmt: str | None) -> Response:
    """The SPARQL 1.1 Service Description, as Turtle or JSON-LD."""
    key = key_for(fmt, GRAPHS) if fmt else negotiate(request.headers.get("Accept"), GRAPHS, "ttl")
    if key is None:
        key = "ttl"
    url = request.base_url
    results = "".join(
        f"    sd:resultFormat <{FORMATS}{f}> ;\n"
        for f in (
            "SPARQL_Results_JSON",
            "SPARQL_Results_XML",
            "SPARQL_Results_CSV",
            "SPARQL_Results_TSV",
            "Turtle",
            "N-Triples",
            "JSON-LD",
            "RDF_XML",
            "TriG",
        )
    )
    body = f"""@prefix sd: <{SD}> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<{url}> a sd:Service ;
    sd:endpoint <{url}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
{results}    sd:feature sd:UnionDefaultGraph ;
    sd:defaultDataset <{url}#dataset> .
<{url}#dataset> a sd:Dataset ;
    sd:defaultGraph <{url}#default-graph> .
<{url}#default-graph> a sd:Graph ;
    dcterms:description "{DEFAULT_GRAPH["en"]}"@en, "{DEFAULT_GRAPH["ja"]}"@ja .
"""
    media, rdf_format, _ = GRAPHS[key]
    if rdf_format == ox.RdfFormat.TURTLE:
        return Response(body, mimetype=media)
    triples = ox.parse(body.encode(), format=ox.RdfFormat.TURTLE)
    out = ox.serialize(triples, format=rdf_format)
    return Response(out, mimetype=media)


# -- the catalogue ---------------------------------------------------------------------------


@blueprint.get("/api/queries")
def list_queries():
    return jsonify(
        [{**q.as_json(), "url": f"queries/{q.name}"} for q in catalogue.catalogue().values()]
    )


@blueprint.get("/api/queries/<name>")
def run_query(name: str):
    found = catalogue.catalogue().get(name)
    if found is None:
        return problem(404, "Not found", f"no catalogue query named {name!r}")
    params = {k: v for k, v in request.args.items() if k != "format"}
    base = state()["holder"].base()
    fmt = request.args.get("format")
    key = (
        key_for(fmt, RESULTS) if fmt else negotiate(request.headers.get("Accept"), RESULTS, "json")
    )
    if key is None:
        return problem(406, "Not acceptable", "catalogue results come as JSON, CSV, TSV or XML")
    # the text-search is narrowed by the generation's full-text index in the worker
    req = catalogue_request(name, params, base, results=key, max_rows=state()["max_rows"])
    return respond(*answer(req))


# -- /health ---------------------------------------------------------------------------------


@blueprint.get("/health")
def health():
    return jsonify({"status": "ok", "generation": state()["holder"].generation()})
