"""The graph views over HTTP (issue 7): the /graph page, /api/graph/<view> as JSON, and
GraphML and GEXF downloads for people who go on in Gephi.

Graphs are read in the web process from the current published generation (fixed queries of
ours, not user SPARQL, so no worker or time limit is needed) and cached with their positions
per generation and filters (server/graphs.py). Every URL the page uses is relative to the
app's root, so it works behind a proxy under a sub-path, like the query editor.
"""

from __future__ import annotations

import time

from flask import Blueprint, Response, current_app, render_template, request

from .. import graphs
from ..media import NETWORKS, key_for
from ..settings import default
from . import site

blueprint = Blueprint("graphs", __name__)

TIMING_HEADER = "Server-Timing"


def _state() -> tuple:
    ext = current_app.extensions["committee_kg"]
    cache = ext.get("graphs")
    if cache is None:
        cache = ext["graphs"] = graphs.GraphCache()
    return ext["holder"], cache


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
    from .app import problem

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
    resp.headers["X-Committee-KG-Generation"] = result.generation
    resp.headers["X-Committee-KG-Cache"] = "hit" if hit else "miss"
    resp.headers["X-Committee-KG-Truncated"] = "true" if result.truncated else "false"
    spent = (time.perf_counter() - started) * 1000
    resp.headers[TIMING_HEADER] = f"graph;dur={spent:.1f}"
    return resp
