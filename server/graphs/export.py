"""A computed graph and how it is written: JSON for the page (and for programs), GraphML and
GEXF for people who go on in Gephi.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote

import networkx as nx

from .model import Filters, View

XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass
class GraphResult:
    view: View
    filters: Filters
    generation: str
    graph: nx.Graph
    axes: list[dict]
    guides: list[tuple[str, str]]
    total_nodes: int
    total_edges: int
    truncated: bool
    max_nodes: int
    id_base: str
    seconds: dict[str, float]
    _json: dict[bool, bytes] = field(default_factory=dict)

    def json_bytes(self, compact: bool = False) -> bytes:
        """The JSON answer, made once per form (see to_json for the compact one)."""
        found = self._json.get(compact)
        if found is None:
            found = self._json[compact] = json.dumps(
                to_json(self, compact), ensure_ascii=False, separators=(",", ":")
            ).encode("utf-8")
        return found


def href_of(iri: str, id_base: str) -> str | None:
    """The server path of a resource page, relative to the app's root: id/… with the
    Japanese percent-encoded (IRIs are IRIs; encoding happens at the HTTP boundary)."""
    if not iri.startswith(id_base):
        return None
    return "id/" + quote(iri[len(id_base) :], safe="/-._~!$&'()*+,;=:@")


def to_json(r: GraphResult, compact: bool = False) -> dict:
    """The graph as JSON. compact (what the /graph page asks for): the edges are not a list
    of objects but columns, "links", each node given by its index in "nodes" and each kind
    by its index in links.kinds; their dates are left out (the page shows none) — a fifth
    of the bytes for a big graph, and no per-edge object to parse."""
    g = r.graph
    counts = Counter(d["kind"] for _, d in g.nodes(data=True))
    shown = set(r.filters.kinds)
    nodes = []
    for i, d in g.nodes(data=True):
        neighbours = Counter(
            g.nodes[j]["kind"] for j in (nx.all_neighbors(g, i) if r.view.directed else g[i])
        )
        node = {
            "id": i,
            "iri": d["iri"],
            "href": href_of(d["iri"], r.id_base),
            "kind": d["kind"],
            "label": {"ja": d["label_ja"], "en": d.get("label_en")},
            "x": d["x"],
            "y": d["y"],
            "size": d["size"],
            "centrality": d["centrality"],
            "community": d.get("community", 0),
            "sessions": d["sessions"],
            "first": d["first"],
            "last": d["last"],
            "first_session": d["first_session"],
            "last_session": d["last_session"],
            "counts": dict(sorted(neighbours.items())),
        }
        for key in ("committee", "date", "items", "appeal", "purpose", "title", "disposed"):
            if key in d:
                node[key] = d[key]
        for key in ("text", "answer"):
            if key in d:
                node[key] = d[key][:200]
        for name in ("outcome", "body", "authority"):
            if f"{name}_ja" in d:
                node[name] = {"ja": d[f"{name}_ja"], "en": d.get(f"{name}_en")}
        nodes.append(node)
    if compact:
        shape = {"links": _links(g)}
    else:
        shape = {
            "edges": [
                {
                    "id": f"e{k}",
                    "source": u,
                    "target": v,
                    "kind": d["kind"],
                    "weight": d["weight"],
                    "first": d["first"],
                    "last": d["last"],
                }
                for k, (u, v, d) in enumerate(g.edges(data=True))
            ]
        }
    return {
        "view": r.view.name,
        "generation": r.generation,
        "directed": r.view.directed,
        "timeline": r.view.timeline,
        "filters": r.filters.as_json(),
        "kinds": [
            {**k, "shown": k["name"] in shown, "count": counts.get(k["name"], 0)}
            for k in r.view.as_json()["kinds"]
        ],
        "id_base": r.id_base,
        "nodes": nodes,
        **shape,
        "axes": r.axes,
        "guides": [{"source": a, "target": b} for a, b in r.guides],
        "communities": 1 + max((n["community"] for n in nodes), default=-1),
        "total": {"nodes": r.total_nodes, "edges": r.total_edges},
        "truncated": r.truncated,
        "max_nodes": r.max_nodes,
        "seconds": {k: round(v, 4) for k, v in r.seconds.items()},
    }


def _links(g: nx.Graph) -> dict:
    """The edges as columns (the compact JSON): node indices in the order of g's nodes."""
    index = {i: k for k, i in enumerate(g)}
    edges = list(g.edges(data="kind"))
    kinds = sorted({k for _, _, k in edges})
    number = {k: n for n, k in enumerate(kinds)}
    return {
        "kinds": kinds,
        "source": [index[u] for u, _, _ in edges],
        "target": [index[v] for _, v, _ in edges],
        "kind": [number[k] for _, _, k in edges],
        "weight": [w for _, _, w in g.edges(data="weight")],
    }


def export_graph(r: GraphResult) -> nx.Graph:
    """The graph with flat, typed attributes only (what GraphML and GEXF can carry), and
    GEXF's viz position, size and colour so that Gephi shows what the browser shows."""
    out = nx.DiGraph() if r.view.directed else nx.Graph()
    colours = {k.name: k.colour for k in r.view.kinds}
    for i, d in r.graph.nodes(data=True):
        attrs = {
            k: _xml_safe(v) if isinstance(v, str) else v
            for k, v in d.items()
            if v is not None and isinstance(v, str | int | float)
        }
        attrs["label"] = attrs["label_ja"]
        out.add_node(i, **attrs)
    for u, v, d in r.graph.edges(data=True):
        out.add_edge(u, v, **{k: w for k, w in d.items() if w is not None})
    out.graph.update(view=r.view.name, generation=r.generation)
    out.graph["colours"] = json.dumps(colours)
    return out


def to_graphml(r: GraphResult) -> bytes:
    return "\n".join(nx.generate_graphml(export_graph(r))).encode("utf-8")


def to_gexf(r: GraphResult) -> bytes:
    g = export_graph(r)
    del g.graph["colours"]
    colours = {k.name: k.colour for k in r.view.kinds}
    for _, d in g.nodes(data=True):
        rgb = colours.get(d["kind"], "#888888")
        d["viz"] = {
            "position": {"x": d["x"], "y": -d["y"], "z": 0.0},
            "size": round(4 + 20 * d.get("size", 0), 2),
            "color": {"r": int(rgb[1:3], 16), "g": int(rgb[3:5], 16), "b": int(rgb[5:7], 16)},
        }
    gexf = "\n".join(nx.generate_gexf(g))
    # networkx stamps today's date: use the newest session drawn, so the bytes follow the data
    newest = max((str(d.get("last") or "") for _, d in g.nodes(data=True)), default="")
    return re.sub(
        r'lastmodifieddate="[^"]*"', f'lastmodifieddate="{newest[:10]}"', gexf, count=1
    ).encode("utf-8")


def _xml_safe(text: str) -> str:
    return XML_UNSAFE.sub("", text)
