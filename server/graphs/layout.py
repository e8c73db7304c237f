"""Positions, computed on the server so that a browser only draws (issue 7): a
Fruchterman–Reingold layout in numpy, deterministic, for the network views, and lanes by
commission along a time axis for the timeline.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date

import networkx as nx
import numpy as np

from .model import SEED, Filters, committee_order

SCALE = 40.0  # model units per ideal edge length (Cytoscape draws nodes ~12–52 units wide)
SPREAD = 300.0  # ... and more for small graphs, whose labels would overlap: + SPREAD/√n
GRAVITY = 0.6  # pull towards the centre, in units of the ideal edge length


def force_layout(n: int, src: np.ndarray, dst: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Fruchterman–Reingold positions (ideal edge length 1), deterministic.

    networkx's spring_layout takes ~13 s for 2,000 nodes here (dense float64 arrays, or
    scipy's sparse path); this is the same force model in float32, repulsion computed in
    blocks of rows so that the arrays stay in cache: ~1 s for 2,000 nodes and 10,000 edges.
    A weak gravity keeps separate components near each other.
    """
    if n == 0:
        return np.zeros((0, 2), np.float32)
    if n == 1:
        return np.zeros((1, 2), np.float32)
    rng = np.random.default_rng(SEED)
    side = math.sqrt(n)
    pos = (rng.random((n, 2)) * side).astype(np.float32)
    iterations = 300 if n <= 200 else 150 if n <= 700 else 80 if n <= 1500 else 60
    temp = side / 6
    cool = temp / (iterations + 1)
    pull = (1.0 + np.log(np.maximum(weight, 1))).astype(np.float32)
    gravity = np.float32(GRAVITY)
    x = np.empty(n, np.float32)
    y = np.empty(n, np.float32)
    disp = np.empty((n, 2), np.float32)
    block = 256
    for _ in range(iterations):
        x[:] = pos[:, 0]
        y[:] = pos[:, 1]
        for a in range(0, n, block):
            b = min(a + block, n)
            dx = x[a:b, None] - x[None, :]
            dy = y[a:b, None] - y[None, :]
            inv = dx * dx
            inv += dy * dy
            inv += np.float32(1e-3)
            np.reciprocal(inv, out=inv)  # repulsion k²/d along the unit vector: Δ/d²
            disp[a:b, 0] = (dx * inv).sum(1)
            disp[a:b, 1] = (dy * inv).sum(1)
        if len(src):
            delta = pos[src] - pos[dst]
            length = np.sqrt((delta * delta).sum(1)) * pull  # attraction d²/k along Δ/d
            fx, fy = delta[:, 0] * length, delta[:, 1] * length
            disp[:, 0] -= np.bincount(src, fx, n) - np.bincount(dst, fx, n)
            disp[:, 1] -= np.bincount(src, fy, n) - np.bincount(dst, fy, n)
        disp -= gravity * (pos - pos.mean(0))
        norm = np.maximum(np.sqrt((disp * disp).sum(1)), 1e-9)
        pos += disp * (np.minimum(norm, temp) / norm)[:, None]
        temp -= cool
    return pos - pos.mean(0)


def force_positions(g: nx.Graph) -> None:
    order = list(g)  # sorted by id when built, so positions are deterministic
    index = {i: k for k, i in enumerate(order)}
    edges = [(index[u], index[v], d["weight"]) for u, v, d in g.edges(data=True) if u != v]
    arr = np.array(edges, dtype=np.float64).reshape(-1, 3)
    pos = force_layout(
        len(order), arr[:, 0].astype(np.int64), arr[:, 1].astype(np.int64), arr[:, 2]
    )
    scale = SCALE + SPREAD / math.sqrt(max(len(order), 1))
    for k, i in enumerate(order):
        g.nodes[i]["x"] = round(float(pos[k, 0]) * scale, 1)
        g.nodes[i]["y"] = round(float(pos[k, 1]) * scale, 1)


LANE_ROW = 36.0  # model units between rows of a committee's lane
LANE_GAP = 70.0


def timeline_positions(g: nx.Graph, f: Filters) -> tuple[list[dict], list[tuple[str, str]]]:
    """x from the date, y from the committee's lane: sessions on its first row, each appeal
    on a row of its own below (rows reused once an appeal is over)."""
    if g.number_of_nodes() == 0:
        return [], []
    days = [date.fromisoformat(d["date"]) for _, d in g.nodes(data=True)]
    lo = min(days) if f.start is None else min(f.start, min(days))
    hi = max(days) if f.end is None else max(f.end, max(days))
    lo = date(lo.year, 1, 1)
    hi = date(hi.year, 12, 31)
    lanes = sorted({d["committee"] for _, d in g.nodes(data=True)}, key=committee_order)
    rows = len(lanes) + len(
        {(d["committee"], d["appeal"]) for _, d in g.nodes(data=True) if d.get("appeal")}
    )
    height = rows * LANE_ROW + len(lanes) * LANE_GAP
    # about the shape of a screen, and at least a hundred units a year
    width = max(1.7 * height, 100.0 * (hi.year - lo.year + 1), 800.0)
    per_day = width / max((hi - lo).days, 1)

    def x_of(day: str | date) -> float:
        d = date.fromisoformat(day) if isinstance(day, str) else day
        return round((d - lo).days * per_day, 1)

    spans: dict[str, list] = defaultdict(list)
    for i, d in g.nodes(data=True):
        if d.get("appeal"):
            spans[d["committee"], d["appeal"]].append((d["date"], i))
    axes, guides = [], []
    top = 0.0
    for code in lanes:
        rows_end: list[str] = []  # the last date on each row of appeals
        row_of: dict[str, int] = {}
        appeals = sorted(((min(s)[0], max(s)[0], a) for (c, a), s in spans.items() if c == code))
        for first, last, appeal in appeals:
            free = next((r for r, end in enumerate(rows_end) if end < first), None)
            if free is None:
                rows_end.append(last)
                free = len(rows_end) - 1
            else:
                rows_end[free] = last
            row_of[appeal] = free
        for _, d in g.nodes(data=True):
            if d["committee"] != code:
                continue
            row = 0 if d["kind"] == "session" else 1 + row_of[d["appeal"]]
            d["x"] = x_of(d["date"])
            d["y"] = round(top + row * LANE_ROW, 1)
        start, end = f"lane:{code}:start", f"lane:{code}:end"
        axes.append({"id": start, "role": "lane", "committee": code, "x": -20.0, "y": top})
        axes.append({"id": end, "role": "lane-end", "x": x_of(hi) + 20, "y": top})
        guides.append((start, end))
        top += (1 + len(rows_end)) * LANE_ROW + LANE_GAP
    for year in range(lo.year, hi.year + 1):
        a, b = f"year:{year}", f"year:{year}:end"
        axes.append(
            {
                "id": a,
                "role": "year",
                "label": str(year),
                "x": x_of(date(year, 1, 1)),
                "y": -LANE_ROW,
            }
        )
        axes.append(
            {
                "id": b,
                "role": "year-end",
                "x": x_of(date(year, 1, 1)),
                "y": top - LANE_GAP + LANE_ROW / 2,
            }
        )
        guides.append((a, b))
    return axes, guides
