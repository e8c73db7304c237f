"""Scale-out (issue 20): the embedded store beside a SPARQL server, in one run on the same
N generated sessions (bench/generate.py).

- Ingest: the loop of ``committee-kg ingest`` (convert and validate in worker processes,
  store each session, publish once) into a fresh embedded store, and into a fresh Virtuoso
  through ``--store URL`` (one Graph Store Protocol PUT per session, the merge kept around
  it). Each session is converted once and stored into both (conversion costs the same for
  either); sessions/s of storing and publishing alone, and with the conversion added.
- Catalogue latency: every catalogue query, with parameters that exist in the corpus, sent
  over HTTP as a SPARQL query, to ``committee-kg serve`` on the embedded store, to ``serve
  --store URL`` in front of that Virtuoso, directly to that Virtuoso (the text the front
  sends it: the merge as default graph), and directly to an Oxigraph server read replica
  loaded from the embedded store's dumps (``oxigraph load``, ``serve-read-only``): the same
  query texts, each round's marked by a comment so that no cache of ours answers it.
  Median and p95 over the rounds, and each one's ratio to the embedded store's median.

Virtuoso and Oxigraph server are started here on free loopback ports, as the tests start
them (tests/support/virtuoso.py, tests/support/oxigraph_server.py), and stopped at the end.
A query that takes longer than ``--query-timeout`` counts as that many seconds and is marked.

    .venv/bin/python bench/scaleout.py [--sessions 1000] [--rounds 5] [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.catalogue import parameters  # noqa: E402
from bench.generate import generate  # noqa: E402
from committee_kg.server.publish.dump import dump_store  # noqa: E402
from committee_kg.server.query.catalogue import catalogue  # noqa: E402
from committee_kg.server.store.ingest import _prepared, store_prepared  # noqa: E402
from committee_kg.server.store.remote import open_store, remote_db  # noqa: E402
from committee_kg.server.store.store import Snapshot  # noqa: E402
from tests.support.oxigraph_server import OxigraphServer, load_dumps  # noqa: E402
from tests.support.server import start_server, stop_server  # noqa: E402
from tests.support.virtuoso import PASSWORD, USER, Virtuoso  # noqa: E402

JSON = "application/sparql-results+json"
FORM = "application/x-www-form-urlencoded"


CHUNK = 250  # sessions converted at a time, then stored into each store in turn


def ingest(stores: list[str], files: list[tuple[Path, str]], workers: int):
    """The loop of ``committee-kg ingest`` into each store: every session converted and
    validated once (worker processes), then stored into each store in turn, a chunk at a
    time (memory stays bounded), each store published at the end. Returns the seconds spent
    converting, and for each store the seconds spent storing and publishing."""
    opened = [open_store(at) for at in stores]
    storing = [0.0] * len(stores)
    for k, store in enumerate(opened):
        s = time.perf_counter()
        store.load_reference()
        storing[k] += time.perf_counter() - s
    converting = 0.0
    jobs = [(path, {"committee": code}) for path, code in files]
    for at in range(0, len(jobs), CHUNK):
        s = time.perf_counter()
        prepared = list(_prepared(jobs[at : at + CHUNK], opened[0].base, workers))
        converting += time.perf_counter() - s
        for k, store in enumerate(opened):
            s = time.perf_counter()
            with store.batch():
                for p in prepared:
                    outcome = store_prepared(store, p)
                    if not outcome.ok:
                        raise SystemExit(f"ingest into {stores[k]} failed: {outcome.message}")
            storing[k] += time.perf_counter() - s
    for k, store in enumerate(opened):
        s = time.perf_counter()
        store.publish()
        store.close()
        storing[k] += time.perf_counter() - s
    return converting, storing


def post(url: str, query: str, timeout: float) -> float:
    data = urllib.parse.urlencode({"query": query}).encode()
    req = urllib.request.Request(url, data=data, headers={"Accept": JSON, "Content-Type": FORM})
    t = time.perf_counter()
    with urllib.request.urlopen(req, timeout=timeout) as r:
        r.read()
    return time.perf_counter() - t


def latencies(targets, texts, rounds: int, timeout: float, virtuoso_texts):
    """{target: {query: [seconds, …]}}, and the (target, query) pairs that timed out or
    failed. Rounds go target by target within a round, so load drifts hit all alike."""
    out = {t: {q: [] for q in texts} for t in targets}
    bad: dict[tuple[str, str], str] = {}
    for k in range(rounds):
        for target, url in targets.items():
            for name, text in texts.items():
                if (target, name) in bad:
                    continue
                if target == "Virtuoso (direct)":
                    text = virtuoso_texts[name]
                try:
                    # the mark after the text: Virtuoso's DEFINE lines must come first
                    out[target][name].append(post(url, f"{text}\n# round {k}", timeout))
                except (TimeoutError, urllib.error.URLError, OSError) as exc:
                    bad[(target, name)] = str(getattr(exc, "code", "")) or type(exc).__name__
                    out[target][name] = [timeout]
    return out, bad


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--query-timeout", type=float, default=60.0)
    ap.add_argument("--work", type=Path, help="keep the corpus, stores and dumps here")
    args = ap.parse_args()
    os.environ.update({"COMMITTEE_KG_STORE_USER": USER, "COMMITTEE_KG_STORE_PASSWORD": PASSWORD})
    started = time.perf_counter()
    tmp = None
    if args.work:
        work = args.work
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
    else:
        tmp = tempfile.TemporaryDirectory()
        work = Path(tmp.name)
    virtuoso = Virtuoso(work / "virtuoso" / "db", allowed=(work,)).start()
    replica = None
    servers = []
    try:
        files = generate(args.sessions, work / "corpus")
        embedded = str(work / "store")
        converting, (store_e, store_v) = ingest([embedded, virtuoso.url], files, args.workers)
        dump_store(embedded, work / "dumps")
        replica = OxigraphServer(load_dumps(work / "dumps", work / "oxigraph")).start()
        limits = ["--timeout", str(args.query_timeout), "--max-rows", "10000"]
        servers = [start_server(embedded, *limits), start_server(virtuoso.url, *limits)]
        snapshot = Snapshot(embedded)
        params = parameters(snapshot, synthetic=True)
        texts = {
            name: q.render(params.get(name, {}), snapshot.base)
            for name, q in sorted(catalogue().items())
        }
        targets = {
            "embedded (serve)": servers[0][1] + "/sparql",
            "Virtuoso (serve --store URL)": servers[1][1] + "/sparql",
            "Virtuoso (direct)": virtuoso.url,
            "Oxigraph replica (direct)": replica.url,
        }
        # Virtuoso direct is sent what the front sends it (the merge as the default graph)
        db = remote_db(virtuoso.url)
        direct = {n: db.dialect.query(t, db.merge, False) for n, t in texts.items()}
        times, bad = latencies(targets, texts, args.rounds, args.query_timeout, direct)
    finally:
        for proc, _ in servers:
            stop_server(proc)
        if replica:
            replica.stop()
        virtuoso.stop()
        if tmp:
            tmp.cleanup()
    n = len(files)
    print(f"# Scale-out: {n} generated sessions, {args.rounds} rounds")
    print(
        f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node() or 'this machine'}: "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the end; "
        f"run took {(time.perf_counter() - started) / 60:.1f} min\n"
    )
    print(
        f"Converting and validating ({args.workers} processes): {converting:.1f} s, "
        f"{n / converting:.1f} sessions/s (once, for both stores)\n"
    )
    print("| ingest into | storing s | sessions/s storing | with converting, sessions/s |")
    print("|---|---:|---:|---:|")
    for label, stored in (("embedded store", store_e), ("Virtuoso (--store URL)", store_v)):
        print(f"| {label} | {stored:.1f} | {n / stored:.1f} | {n / (stored + converting):.1f} |")
    print(f"\nVirtuoso: {store_v / store_e:.2f}x the embedded store's storing time\n")
    names = list(texts)
    base = {q: statistics.median(times["embedded (serve)"][q]) for q in names}
    header = " | ".join(f"{t} median ms, p95, ×" for t in targets)
    print(f"| query | {header} |")
    print("|---|" + "---:|---:|---:|" * len(targets))
    for q in names:
        cells = []
        for t in targets:
            xs = times[t][q]
            mark = f" ({bad[(t, q)]})" if (t, q) in bad else ""
            med = statistics.median(xs)
            cells.append(
                f"{med * 1000:.0f}{mark} | {p95(xs) * 1000:.0f} | {med / base[q]:.2f}"
                if base[q]
                else f"{med * 1000:.0f}{mark} | {p95(xs) * 1000:.0f} | –"
            )
        print(f"| {q} | " + " | ".join(cells) + " |")
    totals = {t: sum(statistics.median(times[t][q]) for q in names) for t in targets}
    print(
        "| **all, sum of medians** | "
        + " | ".join(
            f"{totals[t] * 1000:.0f} | | {totals[t] / totals['embedded (serve)']:.2f}"
            for t in targets
        )
        + " |"
    )


if __name__ == "__main__":
    main()
