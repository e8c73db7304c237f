"""A bounded load test (issue 16): 16 clients for 60 s against a real server on a loopback
port — catalogue queries, resource pages, graph views, ad-hoc SPARQL, and one client that
sends nothing but runaway queries. Reports throughput, p50 and p99 of the normal requests
per kind, every 5xx (the runaway ones are expected: 503), and the memory of the server and
its workers over the run. Stops by itself.

    .venv/bin/python bench/load.py                       # examples + seed, 16 clients, 60 s
    .venv/bin/python bench/load.py --sessions 500        # plus 500 generated sessions
    .venv/bin/python bench/load.py --checkout DIR        # another checkout's server

The server is `committee-kg serve --timeout 3`, as the issue measured it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.probes import RUNAWAY, pss_mb, rss_mb, tree  # noqa: E402
from committee_kg.server.query.catalogue import catalogue  # noqa: E402
from tests.support.server import call, ingest, start_server, stop_server  # noqa: E402

TIMEOUT = 3
CKG = "https://w3id.org/committee-kg/ontology#"


def sparql(url: str, text: str, fmt: str = "json") -> str:
    return f"{url}/sparql?" + urllib.parse.urlencode({"query": text, "format": fmt})


def ids(url: str, cls: str) -> list[str]:
    status, _, body = call(sparql(url, f"SELECT DISTINCT ?x WHERE {{ ?x a <{CKG}{cls}> }}"))
    assert status == 200, body
    return [b["x"]["value"] for b in json.loads(body)["results"]["bindings"]]


def mix(url: str) -> dict[str, list[str]]:
    """URLs of each kind of normal request, from what the store holds."""
    base = "https://w3id.org/committee-kg/"
    meetings, members, officers = ids(url, "Meeting"), ids(url, "Member"), ids(url, "Officer")
    local = [iri[len(base) :] for iri in meetings + members + officers]
    queries = []
    for q in catalogue().values():
        params = {p.name: p.example for p in q.params if p.required}
        queries.append(f"{url}/api/queries/{q.name}?" + urllib.parse.urlencode(params))
    for m in meetings:
        short = m[len(base) + len("id/meeting/") :]
        queries.append(f"{url}/api/queries/session?" + urllib.parse.urlencode({"meeting": short}))
    graphs = [f"{url}/graph", f"{url}/api/graph"] + [
        f"{url}/api/graph/{view}?{extra}"
        for view in ("officers", "members", "dispatch", "appeals")
        for extra in ("", "committee=JP-35", "from=2019&to=2025", "size=pagerank")
    ]
    pages = [f"{url}/{urllib.parse.quote(path)}" for path in local]
    pages += [f"{url}/", f"{url}/ontology", f"{url}/id/committee/JP-35"]
    adhoc = [
        sparql(url, f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT 20 OFFSET {k * 20}")
        for k in range(200)
    ] + [sparql(url, f"DESCRIBE <{m}>", "ttl") for m in meetings]
    return {"catalogue": queries, "page": pages, "graph": graphs, "sparql": adhoc}


WEIGHTS = {"catalogue": 3, "page": 4, "graph": 2, "sparql": 1}


class Run:
    """Clients for ``seconds``, each picking a kind of request by ``weights`` and a URL of
    it; with ``runaway``, client 0 sends nothing but runaway queries."""

    def __init__(
        self,
        url: str,
        urls: dict[str, list[str]],
        seconds: float,
        seed: int,
        weights: dict[str, int] = WEIGHTS,
        runaway: bool = True,
    ):
        self.url, self.urls, self.seconds = url, urls, seconds
        self.weights, self.runaway = weights, runaway
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[str, Counter] = defaultdict(Counter)
        self.errors: list[str] = []
        self.deadline = 0.0

    def record(self, kind: str, status: int | str, seconds: float, detail: str = "") -> None:
        with self.lock:
            self.latency[kind].append(seconds)
            self.statuses[kind][status] += 1
            if isinstance(status, int) and status >= 500 and kind != "runaway":
                self.errors.append(f"{kind} {status} {detail[:160]}")

    def client(self, k: int) -> None:
        rng = random.Random(k)
        weights = self.weights
        kinds = list(weights)
        n = 0
        while time.monotonic() < self.deadline:
            if k == 0 and self.runaway:  # a client sending only runaway queries, one at a time
                kind, target = "runaway", sparql(self.url, RUNAWAY % n)
            else:
                kind = rng.choices(kinds, weights=[weights[x] for x in kinds])[0]
                target = rng.choice(self.urls[kind])
            n += 1
            started = time.monotonic()
            try:
                status, _, body = call(target, timeout=30)
                detail = body[:300].decode("utf-8", "replace") if status >= 500 else ""
            except OSError as exc:
                status, detail = "no answer", str(exc)
                with self.lock:
                    self.errors.append(f"{kind} {exc}")
            self.record(kind, status, time.monotonic() - started, detail)

    def go(self, clients: int, pid: int) -> list[tuple[float, float, float]]:
        """Run the clients; the server's memory each second: (seconds, RSS, PSS), in MB."""
        self.deadline = time.monotonic() + self.seconds
        threads = [threading.Thread(target=self.client, args=(k,)) for k in range(clients)]
        memory = []
        started = time.monotonic()
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            pids = tree(pid)
            memory.append((time.monotonic() - started, rss_mb(pids), pss_mb(pids)))
            time.sleep(1)
        for t in threads:
            t.join()
        return memory


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--sessions", type=int, default=0, help="generated sessions to add")
    ap.add_argument("--checkout", help="run the server of this checkout (default: this one)")
    ap.add_argument("--json", help="also write the figures here")
    args = ap.parse_args()
    os.chdir(args.checkout or ROOT)
    seeds = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        files = [*sorted((ROOT / "examples" / "minutes").glob("*.txt")), *seeds]
        store = Path(tmp) / "store"
        ingest(store, *files)
        if args.sessions:  # a command per commission: some layouts do not name theirs
            from bench.generate import generate

            by_committee = defaultdict(list)
            for path, code in generate(args.sessions, Path(tmp) / "generated"):
                by_committee[code].append(path)
            for code, paths in by_committee.items():
                ingest(store, "--committee", code, *paths)
        proc, url = start_server(store, "--timeout", str(TIMEOUT))
        try:
            urls = mix(url)
            run = Run(url, urls, args.seconds, seed=16)
            memory = run.go(args.clients, proc.pid)
        finally:
            log = stop_server(proc)
    normal = [s for kind, xs in run.latency.items() if kind != "runaway" for s in xs]
    total = sum(len(xs) for xs in run.latency.values())
    print(
        f"{args.clients} clients, {args.seconds:g} s, {len(files)} sessions: {total} requests, "
        f"{total / args.seconds:.1f}/s"
    )
    print("| kind | requests | p50 ms | p99 ms | statuses |")
    print("|---|---|---|---|---|")
    for kind in ("catalogue", "page", "graph", "sparql", "runaway"):
        xs = run.latency.get(kind, [])
        if xs:
            statuses = ", ".join(
                f"{s}: {n}" for s, n in sorted(run.statuses[kind].items(), key=str)
            )
            print(f"| {kind} | {len(xs)} | {pct(xs, 0.5):.0f} | {pct(xs, 0.99):.0f} | {statuses} |")
    print(f"| all normal | {len(normal)} | {pct(normal, 0.5):.0f} | {pct(normal, 0.99):.0f} | |")
    warm = [m for t, m, _ in memory if t >= 5] or [m for _, m, _ in memory]
    print(
        f"memory (RSS) of the server and its workers: {memory[0][1]:.0f} MB at the start, "
        f"{warm[0]:.0f} MB after 5 s, at most {max(warm):.0f} MB, {warm[-1]:.0f} MB at the end "
        f"(median {statistics.median(warm):.0f} MB); PSS (shared pages once) at most "
        f"{max(pss for _, _, pss in memory):.0f} MB"
    )
    print(
        f"unexpected 5xx or no answer: {len(run.errors)}; tracebacks in the server log: "
        f"{log.count('Traceback')}"
    )
    for e in run.errors[:10]:
        print("  ", e)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "requests": total,
                    "per_second": total / args.seconds,
                    "p50_ms": pct(normal, 0.5),
                    "p99_ms": pct(normal, 0.99),
                    "statuses": {k: dict(v) for k, v in run.statuses.items()},
                    "errors": run.errors,
                    "memory": memory,
                },
                indent=1,
                default=str,
            )
        )


if __name__ == "__main__":
    main()
