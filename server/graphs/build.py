"""From facts to the graph: a view's draft projected onto the kinds shown, labelled, cut to
the most connected nodes when too many, placed and measured.
"""

from __future__ import annotations

import time
from collections import defaultdict
from itertools import pairwise
from typing import Any

import networkx as nx

from ..store.store import Snapshot
from .export import GraphResult
from .extract import read_labels
from .layout import force_positions, timeline_positions
from .measures import find_communities, size_by, size_timeline
from .model import ITEM_TYPES, Draft, Filters, View

EVENT_WORDS = {
    "appeal": ("処分", "disposition"),
    "received": ("受付", "received"),
    "receipt": ("受理報告", "receipt reported"),
    "hearing": ("審理", "hearing"),
    "opinion": ("答申", "opinion"),
    "ruling": ("裁決", "ruling"),
}


def project(view: View, draft: Draft, shown: set[str]) -> tuple[dict, dict]:
    """The nodes of the shown kinds, and edges: those between shown nodes, plus, through
    each hidden connector, its neighbours linked pairwise as the view allows."""
    nodes = {i: n for i, n in draft.nodes.items() if n["kind"] in shown}
    edges: dict[tuple[str, str, str], set[str]] = {}
    through: dict[str, list[tuple[str, str]]] = defaultdict(list)  # connector → (end, dir)
    for (u, v, kind), sessions in draft.edges.items():
        if u in nodes and v in nodes:
            edges[(u, v, kind)] = set(sessions)
            continue
        for a, b, direction in ((u, v, "out"), (v, u, "in")):
            conn = draft.nodes.get(a)
            if a not in nodes and b in nodes and conn and view.kind(conn["kind"]).connector:
                through[a].append((b, direction))
    for conn, ends in through.items():
        sessions = draft.nodes[conn]["sessions"]
        for a, da in ends:
            for b, db in ends:
                if a == b:
                    continue
                ka, kb = nodes[a]["kind"], nodes[b]["kind"]
                if view.directed:
                    if not (da == "in" and db == "out"):  # a → conn → b
                        continue
                elif a > b:
                    continue
                if (ka, kb) in view.projections or (kb, ka) in view.projections:
                    key = (a, b, f"{ka}–{kb}")
                    edges.setdefault(key, set()).update(sessions)
    return nodes, edges


def chain(nodes: dict) -> dict:
    """Timeline edges: each appeal's shown events in the order of their dates."""
    by_appeal: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    order = {k: i for i, k in enumerate(("appeal", "received", "receipt", "hearing", "opinion"))}
    for i, n in nodes.items():
        if n.get("appeal"):
            by_appeal[n["appeal"]].append((n["date"], order.get(n["kind"], 9), i))
    edges = {}
    for events in by_appeal.values():
        events.sort()
        for (d1, _, a), (_, _, b) in pairwise(events):
            sessions = nodes[b]["sessions"] or nodes[a]["sessions"]
            edges[(a, b, "then")] = set(sessions) or {d1}
    return edges


def build(snap: Snapshot, view: View, f: Filters, max_nodes: int) -> GraphResult:
    t0 = time.perf_counter()
    draft = view.extract(snap, f)
    t1 = time.perf_counter()
    shown = set(f.kinds)
    if view.timeline:
        nodes = {i: n for i, n in draft.nodes.items() if n["kind"] in shown}
        edges = chain(nodes)
    else:
        nodes, edges = project(view, draft, shown)
    iris = (
        {n["iri"] for n in nodes.values()}
        | {n["outcome_iri"] for n in nodes.values() if n.get("outcome_iri")}
        | {n["body_iri"] for n in nodes.values() if n.get("body_iri")}
        | {n["authority_iri"] for n in nodes.values() if n.get("authority_iri")}
    )
    labels = read_labels(snap, {i: draft.where.get(i) for i in iris})
    g = nx.DiGraph() if view.directed else nx.Graph()
    for i in sorted(nodes):
        g.add_node(i, **_node_attrs(i, nodes[i], labels, draft))
    for (u, v, kind), sessions in sorted(edges.items()):
        days = sorted(draft.dates.get(s, s) for s in sessions)
        if g.has_edge(u, v):  # two kinds of link between one pair: one edge, sessions merged
            data = g.edges[u, v]
            merged = set(data["_sessions"]) | sessions
            days = sorted(draft.dates.get(s, s) for s in merged)
            data.update(_sessions=merged, weight=len(merged), first=days[0], last=days[-1])
            continue
        g.add_edge(
            u, v, kind=kind, weight=len(sessions), first=days[0], last=days[-1], _sessions=sessions
        )
    total_nodes, total_edges = g.number_of_nodes(), g.number_of_edges()
    truncated = total_nodes > max_nodes
    if truncated:
        strength = dict(g.degree(weight="weight"))
        keep = sorted(g, key=lambda i: (-strength[i], i))[:max_nodes]
        g = g.subgraph(sorted(keep)).copy()
    for _, _, data in g.edges(data=True):
        del data["_sessions"]
    t2 = time.perf_counter()
    if view.timeline:
        axes, guides = timeline_positions(g, f)
        communities = list(nx.connected_components(g.to_undirected(as_view=True)))
        size_timeline(g)
    else:
        axes, guides = [], []
        force_positions(g)
        communities = find_communities(g)
        size_by(g, f.size)
    for k, members in enumerate(sorted(communities, key=lambda c: (-len(c), min(c)))):
        for i in members:
            g.nodes[i]["community"] = k
    t3 = time.perf_counter()
    return GraphResult(
        view,
        f,
        snap.generation,
        g,
        axes,
        guides,
        total_nodes,
        total_edges,
        truncated,
        max_nodes,
        snap.minter.id,
        {"extract": t1 - t0, "graph": t2 - t1, "layout": t3 - t2},
    )


def _node_attrs(i: str, n: dict, labels: dict, draft: Draft) -> dict:
    sessions = sorted((draft.dates[s], s) for s in n["sessions"])
    kind = n["kind"]
    label = dict(labels.get(n["iri"], {}))
    if n.get("title") and kind in ITEM_TYPES.values():
        label = {"ja": n["title"]}
    if kind in EVENT_WORDS and kind != "appeal":
        ja, en = EVENT_WORDS[kind]
        label = {"ja": f"{ja} {n['date']}", "en": f"{en} {n['date']}"}
    if kind == "appeal":  # the contested disposition: by whom, and when
        who = labels.get(n.get("authority_iri") or "", {})
        who_ja = who.get("ja") or (n.get("authority_iri") or "").rsplit("/", 1)[-1]
        label = {
            "ja": f"審査請求 {who_ja} {n['date']} 処分",
            "en": f"appeal: disposition by {who.get('en') or who_ja} of {n['date']}",
        }
    if kind == "remark":  # the words say more than 「発言3（今村委員）」, which stays as its title
        said = label.get("ja")
        label = {"ja": _snippet(n.get("text") or said or i.rsplit("/", 1)[-1])}
        n.setdefault("title", said)
    if kind == "request":
        n.setdefault("title", label.get("ja"))
        day = draft.dates[sessions[0][1]]
        purpose = n.get("purpose")
        label = {"ja": _snippet(purpose) if purpose else f"援助要求 {day}"}
        label["en"] = None if purpose else f"dispatch request {day}"
    if kind == "session":
        n.setdefault("title", label.get("ja"))
        label = {"ja": n["date"], "en": n["date"]}
    attrs: dict[str, Any] = {
        "kind": kind,
        "iri": n["iri"],
        "label_ja": label.get("ja") or label.get("en") or n["iri"].rsplit("/", 1)[-1],
        "label_en": label.get("en"),
        "sessions": len(sessions),
        "first": sessions[0][0] if sessions else n.get("date"),
        "last": sessions[-1][0] if sessions else n.get("date"),
        "first_session": sessions[0][1] if sessions else None,
        "last_session": sessions[-1][1] if sessions else None,
    }
    for key in ("committee", "date", "items", "appeal", "purpose", "text", "answer", "disposed"):
        if n.get(key) is not None:
            attrs[key] = n[key]
    if kind not in ITEM_TYPES.values() and n.get("title"):
        attrs["title"] = n["title"]
    for key, name in (
        ("outcome_iri", "outcome"),
        ("body_iri", "body"),
        ("authority_iri", "authority"),
    ):
        if n.get(key):
            lab = labels.get(n[key], {})
            attrs[f"{name}_ja"] = lab.get("ja") or n[key].rsplit("/", 1)[-1]
            if lab.get("en"):
                attrs[f"{name}_en"] = lab["en"]
    return attrs


def _snippet(text: str, n: int = 28) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
