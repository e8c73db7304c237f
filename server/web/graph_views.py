"""The graph views over HTTP (issue 7): the /graph page, /api/graph/<view> as JSON, and
GraphML and GEXF downloads for people who go on in Gephi.

Graphs are read in the web process from the current published generation (fixed queries of
ours, not user SPARQL, so no worker or time limit is needed) and cached with their positions
per generation and filters (``GraphViews``). Every URL the page uses is relative to the
app's root, so it works behind a proxy under a sub-path, like the query editor.
"""

from __future__ import annotations

import time

from flask import Blueprint, Response, current_app, render_template, request

from .. import graphs
from ..media import NETWORKS, key_for
from ..settings import default
from ..store.store import Snapshot
from . import site
from .cache import Cache
from .guards import CACHE_HEADER, GENERATION_HEADER, TRUNCATED_HEADER
from .site import problem
from .state import state

blueprint = Blueprint("graphs", __name__)

TIMING_HEADER = "Server-Timing"
RESULTS = 64  # graphs kept, each with its positions (a new generation's push out the old)


class GraphViews:
    """Per app: the overview of the current generation, and the graphs computed for it per
    view, filters and size; two requests for the same graph compute it once."""

    def __init__(self, entries: int = RESULTS):
        self._overview: Cache[str, dict] = Cache(1)
        self._results: Cache[tuple, graphs.GraphResult] = Cache(entries)

    def overview(self, snap: Snapshot) -> dict:
        """The overview of the generation, computed once (it scans every session)."""
        found, _ = self._overview.get_or_make(snap.generation, lambda: graphs.overview(snap))
        return found

    def get(
        self, snap: Snapshot, view: graphs.View, f: graphs.Filters, max_nodes: int
    ) -> tuple[graphs.GraphResult, bool]:
        key = (snap.generation, view.name, f, max_nodes)
        return self._results.get_or_make(key, lambda: graphs.build(snap, view, f, max_nodes))


def _state() -> tuple:
    return state()["holder"], state()["graphs"]


def _max_nodes() -> int:
    return current_app.config.get("GRAPH_MAX_NODES") or default("graph_max_nodes")


@blueprint.get("/graph")
def page():
    holder, cache = _state()
    config = dict(cache.overview(holder.get()))
    config["max_nodes"] = _max_nodes()
    config["lang"] = site.language()
    return Response(render_template("graph.html", config=config), mimetype="text/html")


@blueprint.get("/api/graph")
def index():
    holder, cache = _state()
    body = dict(cache.overview(holder.get()))
    body["url"] = {v["name"]: f"api/graph/{v['name']}" for v in body["views"]}
    return body


@blueprint.get("/api/graph/<name>")
def view(name: str):
    found = graphs.VIEWS.get(name)
    if found is None:
        return problem(
            404, "Not found", f"no graph view {name!r} (there are {', '.join(graphs.VIEWS)})"
        )
    fmt = request.args.get("format") or "json"
    key = key_for(fmt, NETWORKS)
    if key is None:
        names = ", ".join(NETWORKS)
        return problem(406, "Not acceptable", f"graphs come as {names} (format=…)")
    filters = graphs.parse_filters(found, request.args)
    holder, cache = _state()
    started = time.perf_counter()
    result, hit = cache.get(holder.get(), found, filters, _max_nodes())
    media, writer, ext = NETWORKS[key]
    if key == "json":
        # compact=1: the edges as columns of node indices (what the page draws from)
        body = result.json_bytes(compact=request.args.get("compact") == "1")
    else:
        body = getattr(graphs, writer)(result)
    resp = Response(body, mimetype=media)
    resp.charset = "utf-8"
    if key != "json":
        resp.headers["Content-Disposition"] = (
            f'attachment; filename="committee-kg-{name}-{result.generation}.{ext}"'
        )
    resp.headers[GENERATION_HEADER] = result.generation
    resp.headers[CACHE_HEADER] = "hit" if hit else "miss"
    resp.headers[TRUNCATED_HEADER] = "true" if result.truncated else "false"
    spent = (time.perf_counter() - started) * 1000
    resp.headers[TIMING_HEADER] = f"graph;dur={spent:.1f}"
    return resp
