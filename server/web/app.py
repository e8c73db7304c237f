"""The Flask app: the SPARQL endpoint, the query catalogue, the editor, health, start page.

Queries never run in the web process: a pool of worker processes (server/workers.py) holds
the store's current published generation, so a query can be stopped at the time limit
and ingest while serving never blocks or corrupts (DESIGN.md, Store). Every error a client
sees is an RFC 9457 problem document; no stack trace ever leaves the server.
"""

from __future__ import annotations

import json
import threading
import unicodedata
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from flask import Flask, Response, g, has_request_context, jsonify, render_template, request
from rdflib.namespace import OWL, RDF, RDFS
from werkzeug.exceptions import HTTPException

from committee_kg.loaders.errors import CommitteeKGError, QueryError, StoreError, UpdateRefused
from committee_kg.loaders.reference import reference
from committee_kg.loaders.vocab import DEFAULT_BASE, PREFIXES

from ..graphs import COMMITTEE_CODE
from ..media import GRAPHS, RESULTS, key_for, negotiate
from ..publish.dcat import DEFAULT_GRAPH
from ..query import catalogue
from ..query.querytext import analyse
from ..query.sparql import Request, Result, refuse
from ..query.workers import WorkerPool
from ..settings import default
from ..store.store import CURRENT, Snapshot, Store
from . import graph_views, pages, site
from .admission import Admission
from .csp import policy
from .describe import Reader
from .proxies import TrustedProxies

TRUNCATED_HEADER = "X-Committee-KG-Truncated"
ROWS_HEADER = "X-Committee-KG-Rows"
GENERATION_HEADER = "X-Committee-KG-Generation"
CACHE_HEADER = "X-Committee-KG-Cache"
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"


LATEST = 30  # sessions the start page lists when no commission or year is chosen
SEARCH_ROWS = 100  # hits /search shows (the count past it is not known: it says "more")
SEARCH_NAMES = 20  # members, officers, commissions and topics /search lists by name
SNIPPET = 60  # characters either side of a hit that /search quotes
SPARE_THREADS = 4  # threads beyond the admission places: /health, the editor, static files


class SnapshotHolder:
    """The current snapshot for the web process's own light reads (start page, health)."""

    def __init__(self, path: str):
        self.path = path
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._sessions: tuple[str, list] | None = None

    def get(self) -> Snapshot:
        with self._lock:
            if self._snapshot is None or not self._snapshot.is_current():
                self._snapshot = Snapshot(self.path)
            return self._snapshot

    def generation(self) -> str:
        try:
            return (Path(self.path) / CURRENT).read_text().strip()
        except OSError as exc:
            raise StoreError(
                "no published store here; run `committee-kg ingest` first", file=self.path
            ) from exc

    def sessions(self) -> list:
        """The session list (no triple counts: those read the whole store), computed once per
        generation."""
        snap = self.get()
        cached = self._sessions
        if cached is None or cached[0] != snap.generation:
            cached = (snap.generation, snap.sessions(triples=False))
            self._sessions = cached
        return cached[1]


class ResultCache:
    """Results per (generation, request), least recently used first out, within a byte
    budget: a new generation makes every entry stale (DESIGN.md: cached per generation)."""

    def __init__(self, budget: int = 256 << 20, largest: int = 32 << 20):
        self.budget = budget
        self.largest = largest
        self._data: OrderedDict[tuple[str, Request], Result] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, generation: str, req: Request) -> Result | None:
        with self._lock:
            found = self._data.get((generation, req))
            if found is not None:
                self._data.move_to_end((generation, req))
            return found

    def put(self, req: Request, result: Result) -> None:
        if len(result.body) > self.largest:
            return
        with self._lock:
            old = self._data.pop((result.generation, req), None)
            self._bytes -= len(old.body) if old else 0
            self._data[(result.generation, req)] = result
            self._bytes += len(result.body)
            while self._bytes > self.budget:
                _, dropped = self._data.popitem(last=False)
                self._bytes -= len(dropped.body)


def problem(status: int, title: str, detail: str, **extra) -> Response:
    """An RFC 9457 problem document; for a browser, the same as a page people can read."""
    if has_request_context() and site.wants_html():
        return site.error_page(status, title, detail, **extra)
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    resp = Response(json.dumps(body, ensure_ascii=False), status=status)
    resp.mimetype = "application/problem+json"
    return resp


def create_app(
    store_path: str | None = None,
    *,
    timeout: float | None = None,
    max_rows: int | None = None,
    workers: int | None = None,
    max_request_bytes: int | None = None,
    cache: bool = True,
    dumps: str | None = None,
    trusted_proxies: str | None = None,
) -> Flask:
    app = Flask(__name__)
    store_path = store_path or default("store")
    timeout = default("timeout") if timeout is None else timeout
    max_rows = default("max_rows") if max_rows is None else max_rows
    limit = default("max_request_bytes") if max_request_bytes is None else max_request_bytes
    app.config["MAX_CONTENT_LENGTH"] = limit
    max_path = default("max_path_bytes")
    holder = SnapshotHolder(store_path)
    workers = default("workers") if workers is None else workers
    wait = default("request_timeout")  # the longest any request waits to start
    pool = WorkerPool(
        store_path,
        workers=workers,
        timeout=timeout,
        wait=wait,
        memory_mb=default("worker_memory_mb"),
    )
    admission = Admission(
        queries=workers + default("query_queue"),
        pages=default("page_threads"),
        page_queue=default("page_queue"),
        wait=wait,
        retry_after=round(timeout),
    )
    results = ResultCache() if cache else None
    app.extensions["committee_kg"] = {"holder": holder, "pool": pool, "admission": admission}
    app.config["THREADS"] = admission.places + SPARE_THREADS  # what serve gives waitress
    site.register(app)  # the language of every page, the favicon
    pages.register(app, dumps)  # /id/…, /ontology, /dumps/, /.well-known/void (issue 6)
    # behind a proxy under a sub-path: X-Forwarded-Prefix becomes SCRIPT_NAME for url_for,
    # but only from the proxies the deployment names (issue 16)
    trusted = default("trusted_proxies") if trusted_proxies is None else trusted_proxies
    app.wsgi_app = TrustedProxies(app.wsgi_app, trusted)
    app.register_blueprint(graph_views.blueprint)  # /graph and /api/graph/… (issue 7)

    def answer(req: Request) -> tuple[Result, bool]:
        """The result of a query, and whether it came from the cache."""
        hit = results.get(holder.generation(), req) if results is not None else None
        if hit is not None:
            return hit, True
        with admission.place("query"):
            result = pool.run(req)
        if results is not None:
            results.put(req, result)
        return result, False

    def run(req: Request) -> Response:
        return _respond(*answer(req))

    # -- bounds on every request (issue 16) ----------------------------------------------

    @app.before_request
    def bounded():
        if len(request.environ.get("PATH_INFO", "")) > max_path:
            return problem(414, "URI too long", f"request paths are limited to {max_path} bytes")
        if request.blueprint in ("pages", "graphs") or request.endpoint in ("index", "search"):
            admission.enter("page")
            g.page_place = True
        return None

    @app.teardown_request
    def release(_exc):
        if g.pop("page_place", False):
            admission.leave("page")

    # -- errors ------------------------------------------------------------------------

    @app.errorhandler(CommitteeKGError)
    def on_error(exc: CommitteeKGError):
        # every error we raise says its own status, title and any further members or
        # headers (loaders/errors.py)
        resp = problem(exc.http_status, exc.title, exc.http_detail or exc.message, **exc.fields)
        resp.headers.update(exc.headers)
        return resp

    @app.errorhandler(HTTPException)
    def on_http_error(exc: HTTPException):
        if exc.code == 413:
            return problem(413, "Request too large", f"requests are limited to {limit} bytes")
        return problem(exc.code or 500, exc.name, exc.description or exc.name)

    @app.errorhandler(Exception)
    def on_unexpected(exc: Exception):
        # the last resort, so that no stack trace reaches a client; Flask logs it for us
        app.logger.exception("unexpected error", exc_info=exc)
        return problem(500, "Internal error", "the server could not answer this request")

    @app.after_request
    def cors(resp: Response) -> Response:
        if request.method in ("GET", "HEAD"):
            resp.headers["Access-Control-Allow-Origin"] = "*"
            resp.headers["Access-Control-Expose-Headers"] = ", ".join(
                (TRUNCATED_HEADER, ROWS_HEADER, GENERATION_HEADER)
            )
        return resp

    @app.after_request
    def security_headers(resp: Response) -> Response:
        resp.headers["Content-Security-Policy"] = policy()
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        return resp

    # -- pages -------------------------------------------------------------------------

    @app.get("/")
    def index():
        """The start page: a search box first, then the sessions at a glance — how many
        each commission held each year (each count links to those sessions) and the latest;
        ``?committee=JP-35&year=2025`` lists one commission's sessions, of a year or of all
        years. A page of every session would not load at 40,000."""
        sessions = holder.sessions()
        committee = request.args.get("committee", "").strip()
        year = request.args.get("year", "").strip()
        if committee and not COMMITTEE_CODE.match(committee):
            return problem(400, "Bad request", f"committee {committee!r} is not a code like JP-35")
        if year and not (year.isdigit() and len(year) == 4):
            return problem(400, "Bad request", f"year {year!r} is not a year like 2025")
        years = sorted({s.date[:4] for s in sessions})
        counts: dict[str, dict[str, int]] = {}
        for s in sessions:
            row = counts.setdefault(s.committee, {})
            row[s.date[:4]] = row.get(s.date[:4], 0) + 1
        if committee or year:
            shown = [
                s
                for s in sessions
                if (not committee or s.committee == committee)
                and (not year or s.date.startswith(year))
            ]
        else:
            shown = sessions[-LATEST:][::-1]
        reader = _reader()
        return render_template(
            "index.html",
            total=len(sessions),
            years=years,
            counts=sorted(counts.items(), key=lambda kv: (kv[0] != "JP", kv[0])),
            committees={c.code: c for c in reference().committees.values()},
            shown=[(s, reader.label(s.meeting)) for s in shown],
            committee=committee,
            year=year,
            generation=holder.generation(),
        )

    def _reader() -> Reader:
        snapshot = holder.get()
        g.ckg_base = snapshot.base
        return Reader.of(snapshot, app.extensions["committee_kg_pages"].labels)

    @app.get("/search")
    def search():
        """Titles, officers' explanations and remarks that contain the words (the
        catalogue's text-search, in a query worker under its limits), and the members,
        officers, commissions and topics so named. HTML for people, JSON for programs."""
        q = unicodedata.normalize("NFKC", request.args.get("q", "")).strip()
        hits, names, more = [], [], False
        if q:
            base = holder.get().base
            text = catalogue.get("text-search").render({"text": q}, base)
            # newest first, so that the cut keeps the newest (the catalogue lists by date)
            text = text.replace("ORDER BY ?date", "ORDER BY DESC(?date)")
            found, _ = answer(Request(text, results="json", max_rows=SEARCH_ROWS))
            more = found.truncated
            hits = [
                {k: v["value"] for k, v in b.items()}
                for b in json.loads(found.body)["results"]["bindings"]
            ]
            named, _ = answer(Request(_names_query(q), results="json", max_rows=SEARCH_NAMES))
            names = [b["node"]["value"] for b in json.loads(named.body)["results"]["bindings"]]
        if not site.wants_html():
            return jsonify({"q": q, "results": hits, "names": names, "truncated": more})
        reader = _reader()
        shown = [
            {
                "where": h["where"],
                "node": reader.label(h["node"]),
                "meeting": reader.label(h["meeting"]),
                "date": h["date"],
                "parts": _snippet(h["found"], q),
            }
            for h in hits
        ]
        return render_template(
            "search.html",
            q=q,
            hits=shown,
            names=[reader.label(n) for n in names],
            more=more,
            limit=SEARCH_ROWS,
        )

    @app.get("/health")
    def health():
        return jsonify({"status": "ok", "generation": holder.generation()})

    # -- the SPARQL endpoint -----------------------------------------------------------

    @app.route("/sparql", methods=["GET", "POST"])
    def endpoint():
        query = _query_from_request(limit)
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
        key = (
            key_for(fmt, table)
            if fmt
            else negotiate(request.headers.get("Accept"), table, fallback)
        )
        if key is None:
            names = ", ".join(media for media, _, _ in table.values())
            return problem(406, "Not acceptable", f"this result can be sent as: {names}")
        req = Request(
            query,
            results=key if table is RESULTS else "json",
            graphs=key if table is GRAPHS else "ttl",
            default_graphs=tuple(request.values.getlist("default-graph-uri")),
            named_graphs=tuple(request.values.getlist("named-graph-uri")),
            max_rows=max_rows,
        )
        return run(req)

    # -- the catalogue -----------------------------------------------------------------

    @app.get("/api/queries")
    def list_queries():
        return jsonify(
            [{**q.as_json(), "url": f"queries/{q.name}"} for q in catalogue.catalogue().values()]
        )

    @app.get("/api/queries/<name>")
    def run_query(name: str):
        found = catalogue.catalogue().get(name)
        if found is None:
            return problem(404, "Not found", f"no catalogue query named {name!r}")
        params = {k: v for k, v in request.args.items() if k != "format"}
        text = found.render(params, Store.recorded_base(Path(store_path)) or DEFAULT_BASE)
        fmt = request.args.get("format")
        key = (
            key_for(fmt, RESULTS)
            if fmt
            else negotiate(request.headers.get("Accept"), RESULTS, "json")
        )
        if key is None:
            return problem(406, "Not acceptable", "catalogue results come as JSON, CSV, TSV or XML")
        return run(Request(text, results=key, max_rows=max_rows))

    return app


def _names_query(text: str) -> str:
    """Members, officers, commissions and topics whose labels contain the text."""
    literal = json.dumps(text, ensure_ascii=False)  # a JSON string is a SPARQL string too
    return f"""PREFIX ckg: <https://w3id.org/committee-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?node WHERE {{
  VALUES ?type {{ ckg:Member ckg:Officer ckg:Committee skos:Concept }}
  ?node a ?type ; rdfs:label|skos:prefLabel|skos:altLabel ?label .
  FILTER(CONTAINS(?label, {literal}))
}} ORDER BY STRLEN(STR(?node)) ?node"""


def _snippet(text: str, q: str) -> tuple[str, str, str, str, str]:
    """(…, before, the match, after, …): the words around the first match, for a <mark>."""
    text = " ".join(text.split())
    at = text.find(q)
    if at < 0:
        return ("", text[: 2 * SNIPPET], "", "", "…" if len(text) > 2 * SNIPPET else "")
    lo, hi = max(0, at - SNIPPET), min(len(text), at + len(q) + SNIPPET)
    return (
        "…" if lo > 0 else "",
        text[lo:at],
        text[at : at + len(q)],
        text[at + len(q) : hi],
        "…" if hi < len(text) else "",
    )


def _respond(result: Result, cached: bool) -> Response:
    resp = Response(result.body, mimetype=result.media_type)
    if result.media_type.startswith("text/") or "json" in result.media_type:
        resp.charset = "utf-8"
    resp.headers[TRUNCATED_HEADER] = "true" if result.truncated else "false"
    resp.headers[ROWS_HEADER] = str(result.rows)
    resp.headers[GENERATION_HEADER] = result.generation
    resp.headers[CACHE_HEADER] = "hit" if cached else "miss"
    return resp


def _prefers_html() -> bool:
    """A browser names text/html first; a client sending */* gets the service description."""
    accept = request.accept_mimetypes
    best = accept.best_match(["text/turtle", "application/ld+json", "text/html"])
    return best == "text/html" and "text/html" in request.headers.get("Accept", "")


def _query_from_request(limit: int) -> str | None:
    """The query of a SPARQL 1.1 Protocol request (GET, POST form or POST direct)."""
    if len(request.query_string) > limit:
        raise _TooLarge()
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


class _TooLarge(HTTPException):
    code = 413
    description = "request too large"


def _editor_page() -> Response:
    prefixes = {k: str(v) for k, v in PREFIXES.items()}
    return Response(
        render_template("sparql.html", prefixes=prefixes, vocabulary=_vocabulary()),
        mimetype="text/html",
    )


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, list[str]]:
    """Classes and properties for the editor's completion, from our ontology and the
    standard terms the data uses (DESIGN.md, Vocabulary) — no LOV, no outside request."""
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
