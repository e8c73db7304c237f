"""Serving a store: the app under waitress (a production WSGI server, guarded in
``httpserver.py``), its query workers beside it. Connections, threads and proxies are
bounded by the settings (issue 16). Interrupted (KeyboardInterrupt), it stops the workers
and says so.
"""

from __future__ import annotations

import sys

from ..settings import default, is_url
from . import httpserver
from .app import create_app
from .proxies import networks


def serve(
    store: str,
    host: str,
    port: int,
    *,
    timeout: float | None = None,
    max_rows: int | None = None,
    workers: int | None = None,
    dumps: str | None = None,
) -> None:
    """Serve the store until interrupted; the settings give what is not given."""
    timeout = timeout or default("timeout")
    max_rows = max_rows or default("max_rows")
    workers = workers or default("workers")
    dumps = dumps or default("dumps")
    app = create_app(store, timeout=timeout, max_rows=max_rows, workers=workers, dumps=dumps)
    runs = (
        f"{workers} queries at once to the SPARQL server"
        if is_url(store)
        else f"{workers} query workers"
    )
    print(
        f"Serving {store} — open http://{host}:{port}/ in your browser "
        f"(SPARQL endpoint: http://{host}:{port}/sparql; {runs}, "
        f"{timeout:g} s and {max_rows} rows per query). Ctrl-C stops.",
        file=sys.stderr,
    )
    try:
        httpserver.serve(
            app,
            host=host,
            port=port,
            threads=app.config["THREADS"],
            request_timeout=default("request_timeout"),
            max_connections=default("max_connections"),
            max_client_connections=default("max_client_connections"),
            max_request_bytes=default("max_request_bytes"),
            trusted=networks(default("trusted_proxies")),
        )
    finally:
        app.extensions["committee_kg"]["pool"].close()
        print("committee-kg: stopped", file=sys.stderr)
