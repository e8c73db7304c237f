"""The full-text index (issue 19) at 1,000, 10,000 and 40,000 sessions: how long it takes to
build, what it weighs, and how fast it answers, against a linear scan of the same texts in
the same run (what the catalogue's text-search did: ``CONTAINS`` over every literal; a
Python ``in`` over the texts is a lower bound of that scan, as it skips the store).

Rows come from converting generated sessions (bench/generate.py, every commission, twenty
years; converted once, untimed) and are repeated under other meeting IRIs to reach each
size, so the texts have the vocabulary of minutes and the index the posting lists a
national corpus would give them.

Queries: a word in nearly every session (委員), words in many (交通事故, 審査請求), a
rare one, one character (a scan), a phrase of two words, and one that is nowhere; each run
``--rounds`` times, median and 95th percentile; limit 100 hits, as /search shows.

Run: .venv/bin/python bench/textindex.py [--sizes 1000 10000 40000] [--sample 200]

``--http``: the catalogue's text-search over HTTP instead, answered through the index
(``/api/queries/text-search``) against the scan it replaced (the same query text, rendered
as the catalogue renders it without the index, sent to ``/sparql``), on one store per size,
one server, one query worker, rounds interleaved; the server's result cache is off (the app
made with ``cache=False`` under the real WSGI server), so every request is evaluated. The
row cap is the server's (10,000), and each answer is checked equal to the scan's, byte for
byte. The smallest size is a store of generated sessions (bench/generate.py; kept under
``--work`` and reused); a larger one repeats its sessions under meeting and source IRIs of
their own (each copy on the same dates), which is how a 10,000-session store can be built
here in minutes instead of an hour of converting:

    .venv/bin/python bench/textindex.py --http --sizes 1000 10000 --work /tmp/ckg-text
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402
from committee_kg.loaders.pipeline import convert  # noqa: E402
from committee_kg.server.query.catalogue import get  # noqa: E402
from committee_kg.server.store.store import Snapshot, Store  # noqa: E402
from committee_kg.server.store.textindex import Row, TextIndex, rows_of  # noqa: E402

QUERIES = ["委員", "交通事故", "審査請求", "援助要求", "鑑", "運転免許 取消", "該当なしの語句"]


def sample_sessions(n: int, work: Path) -> list[list[Row]]:
    """The searchable rows of n generated sessions, one list per session."""
    out = []
    for path, code in generate(n, work / "corpus"):
        graph = convert(path, committee=code).graph
        out.append(rows_of((str(s), str(p), str(o)) for s, p, o in graph))
    return out


def scaled(sample: list[list[Row]], n: int) -> list[tuple[str, list[Row]]]:
    """n sessions: the sample repeated, each copy under meeting IRIs of its own."""
    out = []
    for k in range(n):
        rows = sample[k % len(sample)]
        copy = k // len(sample)
        out.append(
            (
                f"urn:graph:{k}",
                [
                    Row(f"{r.meeting}#{copy}", r.date, f"{r.node}#{copy}", r.kind, r.text)
                    for r in rows
                ],
            )
        )
    return out


def timed(fn, rounds: int) -> tuple[float, float]:
    took = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        took.append(time.perf_counter() - t)
    took.sort()
    return statistics.median(took), took[min(len(took) - 1, int(0.95 * len(took)))]


# -- the catalogue's text-search over HTTP: through the index against the scan -------------

# the real WSGI server and query workers, with the result cache off
SERVER = """
import sys
from committee_kg.server.settings import default
from committee_kg.server.web import httpserver
from committee_kg.server.web.app import create_app
app = create_app(sys.argv[1], timeout=120, workers=1, cache=False)
try:
    httpserver.serve(app, host="127.0.0.1", port=int(sys.argv[2]), threads=app.config["THREADS"],
        request_timeout=default("request_timeout"), max_connections=default("max_connections"),
        max_client_connections=default("max_client_connections"),
        max_request_bytes=default("max_request_bytes"))
finally:
    app.extensions["committee_kg"]["pool"].close()
"""


def generated_store(n: int, work: Path) -> Path:
    """A store of n generated sessions, built once under work."""
    from bench.catalogue import build

    store = work / f"store-{n}"
    if not (store / "CURRENT").exists():
        took = build(store, generate(n, work / f"corpus-{n}"))
        print(f"# built {n:,} generated sessions in {took:.0f} s", file=sys.stderr, flush=True)
    return store


def repeated_store(source: Path, copies: int, target: Path) -> Path:
    """The sessions of source, each ``copies`` times under meeting, graph and source IRIs
    of its own (the meeting's path and the source's hash changed): the named graphs, the
    default graph as their merge and the full-text index, as ingest leaves them, but loaded
    in bulk (storing one session at a time took half an hour for 10,000 here)."""
    if (target / "CURRENT").exists():
        return target
    t = time.perf_counter()
    snapshot = Snapshot(source)
    store = Store(target)
    store.load_reference()
    store._changing()  # as Store does before writing, so that publish knows
    batch: list[ox.Quad] = []
    for s in snapshot.sessions(triples=False):
        quads = snapshot.db.quads_for_pattern(None, None, None, ox.NamedNode(s.graph))
        nt = ox.serialize(
            [ox.Triple(q.subject, q.predicate, q.object) for q in quads],
            format=ox.RdfFormat.N_TRIPLES,
        )
        path = "/meeting/" + s.meeting.split("/id/meeting/", 1)[1]
        session = re.compile(re.escape(path.encode()) + rb"(?=[/>#])")
        for c in range(copies):
            data, graph = nt, s.graph
            if c:
                sha = hashlib.sha256(f"{s.source_sha256}/{c}".encode()).hexdigest()
                data = session.sub(f"{path}-{c}".encode(), nt)
                data = data.replace(s.source_sha256.encode(), sha.encode())
                graph = f"{s.graph}-{c}"
            triples = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
            name = ox.NamedNode(graph)
            batch += [ox.Quad(x.subject, x.predicate, x.object, name) for x in triples]
            batch += [ox.Quad(x.subject, x.predicate, x.object) for x in triples]  # the merge
            store.index.replace(
                graph,
                rows_of((x.subject.value, x.predicate.value, x.object.value) for x in triples),
            )
        if len(batch) > 1_000_000:
            store.db.bulk_extend(batch)
            batch = []
    store.db.bulk_extend(batch)
    store.db.optimize()
    store.publish()
    store.close()
    print(
        f"# stored {copies} copies of {source.name} in {time.perf_counter() - t:.0f} s",
        file=sys.stderr,
        flush=True,
    )
    return target


def _quantiles(took: list[float]) -> tuple[float, float]:
    took = sorted(took)
    return statistics.median(took), took[min(len(took) - 1, int(0.95 * len(took)))]


def http(store: Path, n: int, rounds: int) -> None:
    """One size: every query through the index and by the scan, interleaved."""
    from bench.catalogue import fetch, free_port, wait_until_up

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(store), str(port)], stderr=subprocess.DEVNULL, cwd=ROOT
    )
    base = f"http://127.0.0.1:{port}"
    snapshot = Snapshot(store)
    try:
        wait_until_up(base, seconds=60)
        for q in QUERIES:
            scan_text = get("text-search").render({"text": q}, snapshot.base)
            urls = {
                "index": f"{base}/api/queries/text-search?"
                + urllib.parse.urlencode({"text": q, "format": "json"}),
                "scan": f"{base}/sparql?"
                + urllib.parse.urlencode({"query": scan_text, "format": "json"}),
            }
            took: dict[str, list[float]] = {"index": [], "scan": []}
            bodies = {k: fetch(u)[1] for k, u in urls.items()}  # untimed: the worker warms up
            assert bodies["index"] == bodies["scan"], f"{q}: the answers differ"
            for _ in range(rounds):
                for side, url in urls.items():
                    dt, body, headers = fetch(url)
                    assert body == bodies[side] and headers.get("X-Committee-KG-Cache") != "hit"
                    took[side].append(dt)
            rows = len(json.loads(bodies["index"])["results"]["bindings"])
            cut = headers.get("X-Committee-KG-Truncated") == "true"
            (im, ip), (sm, sp) = _quantiles(took["index"]), _quantiles(took["scan"])
            print(
                f"| {n:,} | {q} | {rows:,}{' (cut)' if cut else ''} | {im * 1000:.1f} "
                f"| {ip * 1000:.1f} | {sm * 1000:.1f} | {sp * 1000:.1f} | {im / sm:.3f} "
                f"| {ip / sp:.3f} |",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(30)


def main_http(args) -> None:
    work = args.work or Path(tempfile.mkdtemp(prefix="ckg-text-"))
    work.mkdir(parents=True, exist_ok=True)
    sizes = sorted(args.sizes)
    first = generated_store(sizes[0], work)
    print(
        f"# Catalogue text-search over HTTP, index against scan ({os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}, {args.rounds} rounds)\n"
    )
    print(
        "| sessions | query | rows | index ms median | index p95 | scan ms median | scan p95 "
        "| index / scan median | index / scan p95 |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        store = (
            first if n == sizes[0] else repeated_store(first, n // sizes[0], work / f"store-{n}")
        )
        http(store, n, args.rounds)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 40000])
    ap.add_argument("--sample", type=int, default=200, help="generated sessions converted")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--http", action="store_true", help="the catalogue's text-search over HTTP")
    ap.add_argument("--work", type=Path, help="--http: keep the stores here (and reuse them)")
    args = ap.parse_args()
    if args.http:
        return main_http(args)
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        sample = sample_sessions(args.sample, work)
        print(f"# Full-text index ({os.cpu_count()} CPUs, load average {load:.2f})\n")
        print(
            "| sessions | texts | build s | sessions/s | index MB | query | index ms median "
            "| p95 | scan ms median | scan / index | hits (limit 100) |"
        )
        print("|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|")
        for n in args.sizes:
            sessions = scaled(sample, n)
            texts = [r.text for _, rows in sessions for r in rows]
            path = work / f"search-{n}.sqlite"
            t = time.perf_counter()
            with TextIndex(path) as ix:
                for graph, rows in sessions:
                    ix.replace(graph, rows)
                built = time.perf_counter() - t
                size = sum(f.stat().st_size for f in work.glob(f"search-{n}.sqlite*"))
                for q in QUERIES:
                    hits = len(ix.search(q, 100)[0])
                    med, p95 = timed(lambda q=q: ix.search(q, 100), args.rounds)
                    scan, _ = timed(lambda q=q, texts=texts: [x for x in texts if q in x], 3)
                    print(
                        f"| {n:,} | {len(texts):,} | {built:.1f} | {n / built:.0f} "
                        f"| {size / 1e6:.0f} | {q} | {med * 1000:.1f} | {p95 * 1000:.1f} "
                        f"| {scan * 1000:.1f} | {scan / med:.0f}x | {hits} |",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
