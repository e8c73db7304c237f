"""Measures of a graph's nodes: the centrality that sizes them, and their communities."""

from __future__ import annotations

import math

import networkx as nx

from .model import SEED


def size_by(g: nx.Graph, measure: str) -> None:
    if g.number_of_nodes() == 0:
        return
    if measure == "pagerank":
        values = nx.pagerank(g, weight="weight") if g.number_of_edges() else {}
    elif measure == "betweenness":
        k = min(g.number_of_nodes(), 256)
        values = nx.betweenness_centrality(g, k=k, seed=SEED)
    else:
        values = dict(g.degree(weight="weight"))
    top = max(values.values(), default=0) or 1
    for i in g:
        c = values.get(i, 0) / top
        g.nodes[i]["centrality"] = round(values.get(i, 0), 6)
        g.nodes[i]["size"] = round(math.sqrt(c), 4)


def size_timeline(g: nx.Graph) -> None:
    top = max((d.get("items", 0) for _, d in g.nodes(data=True)), default=0) or 1
    for i, d in g.nodes(data=True):
        share = d["items"] / top if d["kind"] == "session" else 0.6
        d["centrality"] = float(g.degree(i))
        d["size"] = round(math.sqrt(share) * 0.6, 4)


def find_communities(g: nx.Graph) -> list[set]:
    if g.number_of_edges() == 0:
        return [{i} for i in g]
    return nx.community.louvain_communities(g, weight="weight", seed=SEED)
