"""The Flask app: what it holds, and its routes, every one registered as a blueprint.

    guards       bounds, errors as problem documents, CORS and security headers (all requests)
    site         the language, the layout's template globals, /favicon.ico
    home         /  /search
    sparql       /sparql  /api/queries…  /health
    pages        /id/…  /graph/…  /ontology  /context.jsonld  /dumps/…  /.well-known/void
    graphs       /graph  /api/graph…

Every error a client sees is an RFC 9457 problem document (or, for a browser, a page);
no stack trace ever leaves the server.
"""

from __future__ import annotations

from flask import Flask

from ..query.workers import query_runner
from ..settings import default
from . import endpoint, graph_views, guards, home, pages, site
from .admission import Admission
from .cache import Cache
from .endpoint import ResultCache
from .proxies import TrustedProxies
from .state import KEY, SnapshotHolder

SPARE_THREADS = 4  # threads beyond the admission places: /health, the editor, static files
LABELS = 20_000  # node labels kept (they do not change within a generation)
BLUEPRINTS = (
    guards.blueprint,
    site.blueprint,
    home.blueprint,
    endpoint.blueprint,
    pages.blueprint,
    graph_views.blueprint,
)


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
    workers = default("workers") if workers is None else workers
    wait = default("request_timeout")  # the longest any request waits to start
    pool = query_runner(  # worker processes, or HTTP requests for a SPARQL server's URL
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
    app.extensions[KEY] = {
        "holder": SnapshotHolder(store_path),
        "pool": pool,
        "admission": admission,
        "results": ResultCache() if cache else None,
        "labels": Cache(LABELS),
        "dumps": pages.DumpFiles(dumps or default("dumps")),
        "graphs": graph_views.GraphViews(),
        "max_rows": max_rows,
        "max_request_bytes": limit,
        "max_path_bytes": default("max_path_bytes"),
    }
    app.config["THREADS"] = admission.places + SPARE_THREADS  # what serve gives waitress
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    # behind a proxy under a sub-path: X-Forwarded-Prefix becomes SCRIPT_NAME for url_for,
    # but only from the proxies the deployment names (issue 16)
    trusted = default("trusted_proxies") if trusted_proxies is None else trusted_proxies
    app.wsgi_app = TrustedProxies(app.wsgi_app, trusted)
    return app
