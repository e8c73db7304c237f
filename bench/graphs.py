"""Speed of the graph views (issue 7, point 4): the API for a year of one commission, and a
graph of about 2,000 nodes and 10,000 edges made interactive by Chromium.

The corpus: N sessions from bench/generate.py (every commission, 2006–2025) plus one
commission (JP-35) meeting every ten days through 2024, as a real commission does — so that
"a year of one commission" has the size it has in life (36 sessions). The store is
bulk-loaded as bench/catalogue.py does; ``committee-kg serve`` answers over HTTP.

- API: each view with ``committee=JP-35&from=2024&to=2024``, cold (the first request on a
  new store generation: the graph is extracted, computed and laid out) and warm (from the
  cache), medians over rounds; the server's own time (Server-Timing) beside the client's.
- Browser: Debian's Chromium opens /graph on the largest graph of the corpus near 2,000
  nodes and 10,000 edges (found by widening the period of the members view, remarks
  folded into member–officer and member–topic links), and the time from navigation to the
  first frame drawn with every node (``body[data-state=ready]``) is measured, with the
  layout cached on the server (warm) and not (cold); then a pan and a zoom are timed.

    .venv/bin/python bench/graphs.py [--sessions 2000] [--rounds 5] [--work DIR]
    .venv/bin/python bench/graphs.py --synthetic-only   # the browser on the synthetic graph
                                                        # alone, over a store of examples/

Each browser figure comes with its breakdown (ms from the start of the navigation to: the
HTML received, DOMContentLoaded, the API fetched, and graph.js's own timing).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.catalogue import build, free_port, wait_until_up  # noqa: E402
from bench.generate import (  # noqa: E402
    COMMITTEES,
    CommitteeState,
    draw_session,
    generate,
    seed_text,
)
from committee_kg.server.store.store import Store  # noqa: E402
from tests.support.browser import ARGS, CHROMIUM  # noqa: E402

SERVE = [sys.executable, "-m", "committee_kg.server.cli", "serve"]
YEAR = {"committee": "JP-35", "from": "2024", "to": "2024"}


def dense_year(
    out: Path, taken: set[str], code: str = "JP-35", year: int = 2024
) -> list[tuple[Path, str]]:
    """One commission meeting every ten days through a year, in the seed's layout (on days
    the generated corpus leaves free: one session a day makes one meeting IRI)."""
    rng = random.Random(35)
    state = CommitteeState(code, dict(COMMITTEES)[code])
    written = []
    day = date(year, 1, 10)
    n = 0
    while day.year == year:
        if day.weekday() < 5 and day.isoformat() not in taken:
            path = out / f"{code}_{day.isoformat()}_dense.txt"
            session = draw_session(rng, state, "seed", day, n)
            path.write_text(seed_text(session), encoding="utf-8")
            written.append((path, code))
            n += 1
        day += timedelta(days=10)
    return written


def get(url: str) -> tuple[float, Any, bytes]:
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as r:
        body = r.read()
        return time.perf_counter() - t, r.headers, body


def server_ms(headers) -> float:
    return float(headers.get("Server-Timing", "graph;dur=0").split("dur=")[1])


def new_generation(store_dir: Path, base: str) -> None:
    s = Store(store_dir)
    s.publish()
    s.close()
    get(base + "/api/graph")  # the web process opens the new generation


VIEWS = ("officers", "members", "dispatch", "appeals")


def api_latency(store_dir: Path, base: str, rounds: int, params: dict | None = None) -> dict:
    """Each view cold (the first request on a new generation, one per round for all views)
    and warm; ``params`` the filters (default: a year of one commission)."""
    qs = urllib.parse.urlencode(YEAR if params is None else params)
    cold = {v: [] for v in VIEWS}
    warm = {v: [] for v in VIEWS}
    cold_server = {v: [] for v in VIEWS}
    bodies = {}
    for _ in range(rounds):
        new_generation(store_dir, base)
        for view in VIEWS:
            t, headers, bodies[view] = get(f"{base}/api/graph/{view}?{qs}")
            assert headers["X-Committee-KG-Cache"] == "miss"
            cold[view].append(t)
            cold_server[view].append(server_ms(headers))
            t, headers, _ = get(f"{base}/api/graph/{view}?{qs}")
            assert headers["X-Committee-KG-Cache"] == "hit"
            warm[view].append(t)
    out = {}
    for view in VIEWS:
        doc = json.loads(bodies[view])
        out[view] = {
            "nodes": len(doc["nodes"]),
            "edges": len(doc["edges"]),
            "cold_ms": round(statistics.median(cold[view]) * 1000, 1),
            "cold_server_ms": round(statistics.median(cold_server[view]), 1),
            "warm_ms": round(statistics.median(warm[view]) * 1000, 1),
            "bytes": len(bodies[view]),
            "server_seconds": doc["seconds"],
        }
    return out


def find_big(base: str, target_nodes: int = 2000, target_edges: int = 10000) -> dict:
    """The members view (remarks folded) over a widening period, until about 2,000 nodes."""
    best = None
    for start in range(2025, 2005, -1):
        params = {"kinds": "member,officer,topic", "from": str(start)}
        _, _, body = get(f"{base}/api/graph/members?{urllib.parse.urlencode(params)}")
        doc = json.loads(body)
        n, m = len(doc["nodes"]), len(doc["edges"])
        best = (params, n, m)
        print(f"  members from {start}: {n} nodes, {m} edges", file=sys.stderr)
        if n >= target_nodes or m >= target_edges:
            break
    params, n, m = best
    return {"params": params, "nodes": n, "edges": m}


def synthetic(nodes: int = 2000, edges: int = 10000) -> bytes:
    """A members-view answer of exactly this size (a random graph, laid out by our own
    force layout), for the browser's part alone: the corpus has no graph this dense. It is
    written by the server's own code, in the compact form the page asks for."""
    import networkx as nx
    import numpy as np

    from committee_kg.server import graphs

    g = nx.gnm_random_graph(nodes, edges, seed=7)
    e = np.array(list(g.edges()))
    pos = graphs.force_layout(nodes, e[:, 0], e[:, 1], np.ones(len(e)))
    scale = graphs.SCALE + graphs.SPREAD / nodes**0.5
    kinds = ["member", "officer", "topic"]
    top = max(d for _, d in g.degree())
    base = "https://w3id.org/committee-kg/id/"
    iri = [f"{base}member/JP-35/n{i}" for i in range(nodes)]
    day, session = "2024-01-10", f"{base}meeting/JP-35/2024-01-10"
    out = nx.Graph()
    for i in range(nodes):
        out.add_node(
            iri[i],
            iri=iri[i],
            kind=kinds[i % 3],
            label_ja=f"ノード{i}",
            label_en=f"node {i}",
            x=round(float(pos[i, 0]) * scale, 1),
            y=round(float(pos[i, 1]) * scale, 1),
            size=round((g.degree(i) / top) ** 0.5, 4),
            centrality=g.degree(i),
            community=i % 12,
            sessions=1,
            first=day,
            last=day,
            first_session=session,
            last_session=session,
            committee="JP-35",
        )
    for u, v in g.edges():
        out.add_edge(iri[u], iri[v], kind="member–topic", weight=1, first=day, last=day)
    view = graphs.VIEWS["members"]
    result = graphs.GraphResult(
        view,
        graphs.parse_filters(view, {"kinds": ",".join(kinds)}),
        "synthetic",
        out,
        [],
        [],
        nodes,
        edges,
        False,
        3000,
        base,
        {},
    )
    return result.json_bytes(compact=True)


# where the time of one page goes (ms): when, from the start of the navigation, the HTML was
# received (html), DOMContentLoaded ended, the API was asked (fetch_start) and the first
# frame was drawn (ready); and how long the API took (fetch: request to parsed JSON) and
# graph.js's own steps (api.timing: build the elements, make Cytoscape and add them, then
# the first frame)
BREAKDOWN = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const g = window.ckgGraph, t = g.timing || {};
  return { html: nav.responseEnd, dom_content_loaded: nav.domContentLoadedEventEnd,
    fetch_start: g.fetchStartedAt || 0, fetch: g.fetchMs || 0, build: t.build || 0,
    cytoscape: t.cytoscape || 0, render: t.render || 0, ready: g.readyAt || 0 };
}"""


# after a zoom: until the labels of the nodes in view are drawn, if the page adds any (false
# at once when every node was labelled already, or when none is added within 5 s)
LABELLED = """() => window.ckgGraph.cy.nodes('.data').not('.labelled').empty() ? false :
  Promise.race([window.benchLabels, new Promise(done => setTimeout(() => done(false), 5000))])"""


def browser_time(
    base: str, params: dict, store_dir: Path, rounds: int, body: bytes | None = None
) -> dict:
    """Navigation to the first frame with every node drawn; with body, the API's answer is
    replaced by it (page.route), so only the page and the browser are measured."""
    from playwright.sync_api import sync_playwright

    url = f"{base}/graph?view=members&{urllib.parse.urlencode(params)}"
    warm, cold, pan, parts, labels = [], [], [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for k in range(rounds * 2):
            if k % 2 == 0:
                new_generation(store_dir, base)
            page = browser.new_page(viewport={"width": 1400, "height": 850})
            if body is not None:
                page.route(
                    "**/api/graph/members*",
                    lambda route: route.fulfill(body=body, content_type="application/json"),
                )
            t = time.perf_counter()
            page.goto(url)
            page.wait_for_selector("body[data-state=ready]", state="attached", timeout=120_000)
            spent = time.perf_counter() - t
            (cold if k % 2 == 0 else warm).append(spent)
            parts.append(page.evaluate(BREAKDOWN))
            nodes = page.evaluate("window.ckgGraph.cy.nodes('.data').length")
            edges = page.evaluate("window.ckgGraph.cy.edges().length")
            # interactive: a pan and a zoom, each until the next frame is drawn
            t = time.perf_counter()
            page.evaluate(
                """() => new Promise(done => { const cy = window.ckgGraph.cy;
                cy.one('render', () => requestAnimationFrame(() => done()));
                cy.panBy({x: 120, y: 80}); })"""
            )
            zoomed = time.perf_counter()
            page.evaluate(
                """() => new Promise(done => { const cy = window.ckgGraph.cy;
                window.benchLabels = new Promise(drawn => cy.one('class', () =>
                  cy.one('render', () => requestAnimationFrame(() => drawn(true)))));
                cy.one('render', () => requestAnimationFrame(() => done()));
                cy.zoom({level: cy.zoom() * 1.5, renderedPosition: {x: 500, y: 400}}); })"""
            )
            pan.append(time.perf_counter() - t)
            # a big graph labels the nodes in view once the view stands still: until drawn
            if page.evaluate(LABELLED):
                labels.append(time.perf_counter() - zoomed)
            if k == 1:
                name = "graph-synthetic.png" if body else "graph-corpus.png"
                page.screenshot(path=str(store_dir.parent / name))
            page.close()
        browser.close()
    return {
        "url": url,
        "drawn_nodes": nodes,
        "drawn_edges": edges,
        "cold_s": round(statistics.median(cold), 3),
        "warm_s": round(statistics.median(warm), 3),
        "pan_and_zoom_s": round(statistics.median(pan), 3),
        "labels_after_zoom_s": round(statistics.median(labels), 3) if labels else None,
        "breakdown_ms": {
            key: round(statistics.median(p[key] for p in parts), 1) for key in parts[0]
        },
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--browser-rounds", type=int, default=3)
    ap.add_argument("--work", type=Path)
    ap.add_argument(
        "--synthetic-only",
        action="store_true",
        help="serve a store of examples/minutes and measure the synthetic graph alone",
    )
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-graphs-"))
    corpus, store_dir = work / "corpus", work / "store"
    if args.synthetic_only:
        if not (store_dir / "CURRENT").exists():
            examples = sorted((ROOT / "examples" / "minutes").glob("*.txt"))
            subprocess.run(
                [*SERVE[:-1], "ingest", "--store", str(store_dir), *map(str, examples)],
                check=True,
                capture_output=True,
            )
    elif not (store_dir / "CURRENT").exists():
        files = generate(args.sessions, corpus)
        taken = {p.stem.split("_")[1] for p, c in files if c == "JP-35"}
        files += dense_year(corpus, taken)
        load = build(store_dir, [(p, c) for p, c in files])
        print(f"store of {len(files)} sessions built in {load:.0f} s", file=sys.stderr)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*SERVE, "--store", str(store_dir), "--port", str(port), "--workers", "1"],
        stderr=subprocess.DEVNULL,
    )
    rounds = args.browser_rounds
    try:
        wait_until_up(base)
        result = {"sessions": 0 if args.synthetic_only else args.sessions}
        if not args.synthetic_only:
            result["api_year_of_one_commission"] = api_latency(store_dir, base, args.rounds)
            big = find_big(base)
            result["browser_corpus"] = {
                "graph": big,
                **browser_time(base, big["params"], store_dir, rounds),
            }
        result["browser_2000_nodes_10000_edges"] = browser_time(
            base, {"kinds": "member,officer,topic"}, store_dir, rounds, body=synthetic()
        )
    finally:
        server.terminate()
        server.wait(30)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
