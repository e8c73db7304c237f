"""The Flask app: SPARQL endpoint, health, and a start page.

It reads the store's current published generation (never the live store), reopening it
when ingest publishes a new one, so ingesting while serving never blocks or corrupts.
"""

from __future__ import annotations

import threading

from flask import Flask, Response, jsonify, render_template, request

from loaders.errors import CommitteeKGError, QueryError, QueryRefused, StoreError

from . import sparql
from .media import GRAPHS, RESULTS, key_for, negotiate
from .settings import default
from .store import Snapshot

MAX_QUERY_BYTES = 100_000


class SnapshotHolder:
    """The current snapshot, swapped when a newer generation is published."""

    def __init__(self, path: str):
        self.path = path
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None

    def get(self) -> Snapshot:
        with self._lock:
            if self._snapshot is None or not self._snapshot.is_current():
                self._snapshot = Snapshot(self.path)
            return self._snapshot


def problem(status: int, title: str, detail: str) -> Response:
    """An RFC 9457 problem document."""
    resp = jsonify({"type": "about:blank", "title": title, "status": status, "detail": detail})
    resp.status_code = status
    resp.mimetype = "application/problem+json"
    return resp


def create_app(store_path: str | None = None) -> Flask:
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_QUERY_BYTES
    holder = SnapshotHolder(store_path or default("store"))
    app.extensions["committee_kg"] = holder

    @app.errorhandler(CommitteeKGError)
    def on_error(exc: CommitteeKGError):
        if isinstance(exc, QueryRefused):
            status = 403 if "read-only" in exc.message else 400
            return problem(status, "Query refused", exc.message)
        if isinstance(exc, QueryError):
            return problem(400, "Bad query", exc.message)
        if isinstance(exc, StoreError):
            return problem(503, "Store unavailable", exc.message)
        return problem(500, "Error", exc.message)

    @app.errorhandler(413)
    def too_large(_exc):
        return problem(413, "Request too large", f"requests are limited to {MAX_QUERY_BYTES} bytes")

    @app.get("/")
    def index():
        snap = holder.get()
        return render_template("index.html", sessions=snap.sessions(), generation=snap.generation)

    @app.get("/health")
    def health():
        snap = holder.get()
        return jsonify(
            {"status": "ok", "generation": snap.generation, "sessions": len(snap.sessions())}
        )

    @app.route("/sparql", methods=["GET", "POST"])
    def endpoint():
        query = _query_from_request()
        if query is None:
            if request.accept_mimetypes.accept_html and not request.args.get("format"):
                return render_template("sparql.html")
            return _service_description()
        snap = holder.get()
        fmt = request.values.get("format")
        results = (
            key_for(fmt, RESULTS)
            if fmt
            else negotiate(request.headers.get("Accept"), RESULTS, "json")
        )
        graphs = (
            key_for(fmt, GRAPHS) if fmt else negotiate(request.headers.get("Accept"), GRAPHS, "ttl")
        )
        result = sparql.run(snap.query, query, results or "json", graphs or "ttl")
        if (result.kind == "graph" and graphs is None) or (
            result.kind != "graph" and results is None
        ):
            return problem(406, "Not acceptable", "no result format matches the Accept header")
        resp = Response(result.body, mimetype=result.media_type)
        resp.headers["Access-Control-Allow-Origin"] = "*"
        return resp

    return app


def _query_from_request() -> str | None:
    if request.method == "POST" and request.mimetype == "application/sparql-query":
        return request.get_data(as_text=True)
    if request.method == "POST" and request.mimetype == "application/sparql-update":
        raise QueryRefused("this endpoint is read-only (SPARQL Update is refused)")
    if "update" in request.values:
        raise QueryRefused("this endpoint is read-only (SPARQL Update is refused)")
    return request.values.get("query")


def _service_description() -> Response:
    url = request.base_url
    body = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
<{url}> a sd:Service ;
    sd:endpoint <{url}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat <http://www.w3.org/ns/formats/SPARQL_Results_JSON>,
        <http://www.w3.org/ns/formats/SPARQL_Results_XML>,
        <http://www.w3.org/ns/formats/SPARQL_Results_CSV>,
        <http://www.w3.org/ns/formats/SPARQL_Results_TSV>,
        <http://www.w3.org/ns/formats/Turtle>,
        <http://www.w3.org/ns/formats/N-Triples>,
        <http://www.w3.org/ns/formats/JSON-LD> ;
    sd:feature sd:UnionDefaultGraph .
"""
    return Response(body, mimetype="text/turtle")
