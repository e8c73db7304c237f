"""The graph views over HTTP (issue 7): the /graph page, /api/graph/<view> as JSON, and
GraphML and GEXF downloads for people who go on in Gephi.

Graphs are read in the web process from the current published generation (fixed queries of
ours, not user SPARQL, so no worker or time limit is needed) and cached with their positions
per generation and filters (``GraphCache``). Every URL the page uses is relative to the
app's root, so it works behind a proxy under a sub-path, like the query editor.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from flask import Blueprint, Response, current_app, render_template, request

from .. import graphs
from ..media import NETWORKS, key_for
from ..settings import default
from ..store.store import Snapshot
from . import site
from .guards import CACHE_HEADER, GENERATION_HEADER, TRUNCATED_HEADER
from .site import problem
from .state import state

blueprint = Blueprint("graphs", __name__)

TIMING_HEADER = "Server-Timing"


class GraphCache:
    """Computed graphs (with their positions) per store generation and filters; a new
    generation empties it. Two requests for the same graph compute it once."""

    def __init__(self, entries: int = 64):
        self.entries = entries
        self._data: OrderedDict[tuple, graphs.GraphResult] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: dict[tuple, threading.Lock] = {}
        self._overview: dict[tuple, dict] = {}

    def overview(self, snap: Snapshot) -> dict:
        """overview() of the generation, computed once (it scans every session)."""
        key = (snap.generation, "overview")
        with self._lock:
            found = self._overview.get(key)
        if found is None:
            found = graphs.overview(snap)
            with self._lock:
                self._overview = {key: found}
        return found

    def get(
        self, snap: Snapshot, view: graphs.View, f: graphs.Filters, max_nodes: int
    ) -> tuple[graphs.GraphResult, bool]:
        key = (snap.generation, view.name, f, max_nodes)
        with self._lock:
            found = self._data.get(key)
            if found is not None:
                self._data.move_to_end(key)
                return found, True
            gate = self._pending.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                found = self._data.get(key)
            if found is not None:
                return found, True
            result = graphs.build(snap, view, f, max_nodes)
            with self._lock:
                for old in [k for k in self._data if k[0] != snap.generation]:
                    del self._data[old]
                self._data[key] = result
                while len(self._data) > self.entries:
                    self._data.popitem(last=False)
                self._pending.pop(key, None)
            return result, False


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
