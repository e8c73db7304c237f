"""The default graph as a set (issue 15): what storing and publishing cost when every
session names the same nodes, against sessions that do not, and against main's union with
repeats on the same data, in the same run.

Corpora, made from one converted example session (JP-35_2025-09-10: a commission, three
members, officers, an agreement with two parties, two appeals; 1,443 triples):

    shared     N copies on N days: every copy names the same commission, members, officers,
               agreement and appeals (the worst case for a union that repeats them)
    distinct   the same copies with the members, officers, agreement and appeals renamed in
               each (only the commission, its place and the topics are shared)
    realistic  bench/generate.py N: 48 commissions over 20 years, converted once (untimed)

*store* is the writer's part of ingest (Store.replace_graph for every session: the named
graph and the default graph in one transaction); *publish* is Store.publish (the statistics
queries on the default graph, the snapshot). Converting and validating a file does not
depend on what it shares with other sessions, so the corpora are made at the RDF level: the
ratios are the part that does (a whole ingest adds the same conversion time to both sides,
so its ratio is nearer 1). On the realistic corpus, *reads* are the catalogue queries
(their examples as parameters), the same text on the published default graph and on the
union with repeats, run once to warm the caches and once timed (once only past 10 s).

*Before* is main's way on the same data: the named graph written alone (DROP + INSERT
DATA), and the same statistics queries through pyoxigraph's union default graph, which
repeats a triple once per session that states it (oxigraph issue 1919), each in a process
stopped after --limit seconds.

The stores compared are filled in lockstep, session by session, so that a change in the
machine's load falls on all of them alike.

Run: .venv/bin/python bench/default_graph.py [--sizes 100 1000 5000] [--realistic 1000]
     [--before 100 1000] [--limit 120]
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing as mp
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from bench.generate import generate  # noqa: E402
from committee_kg.loaders.pipeline import convert  # noqa: E402
from committee_kg.loaders.reference import ontology_graph, reference_graph, topics_graph  # noqa: E402
from committee_kg.loaders.vocab import DEFAULT_BASE  # noqa: E402
from committee_kg.server.query.catalogue import catalogue, get  # noqa: E402
from committee_kg.server.store import statistics  # noqa: E402
from committee_kg.server.store.ingest import _prepared  # noqa: E402
from committee_kg.server.store.store import Store, insert_data  # noqa: E402

EXAMPLE = ROOT / "examples" / "minutes" / "JP-35_2025-09-10.txt"
DAY = "2025-09-10"
RENAMED = re.compile(r"(/id/(?:agreement|appeal|officer|member)/[^>]*)>")
NAIVE = {
    "officers": "SELECT (COUNT(?o) AS ?n) (COUNT(DISTINCT ?o) AS ?d) "
    "{ ?o a <https://w3id.org/committee-kg/ontology#Officer> }",
    "labels": "SELECT (COUNT(?l) AS ?n) { <https://w3id.org/committee-kg/id/committee/JP-35> "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?l }",
}


@cache
def template() -> tuple[str, str, str]:
    conv = convert(EXAMPLE)
    text = conv.graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    (sha,) = set(re.findall(r"/id/source/([0-9a-f]{64})", text))
    return str(conv.graph_name), text, sha


def copy(k: int, shared: bool) -> tuple[str, bytes]:
    """The example moved to its k-th day (its shared nodes renamed, unless shared)."""
    graph, text, sha = template()
    day = (date(2000, 1, 5) + timedelta(days=k)).isoformat()
    moved = text.replace(DAY, day).replace(sha, hashlib.sha256(day.encode()).hexdigest())
    if not shared:
        moved = RENAMED.sub(lambda m: f"{m.group(1)}-{k}>", moved)
    return graph.replace(DAY, day), moved.encode("utf-8")


def size_of(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


class Now:
    """A store filled and published as this branch does."""

    def __init__(self, path: Path):
        self.path = path
        self.store = Store(path)
        self.store.load_reference()
        self.stored = 0.0

    def add(self, name: str, nt: bytes) -> None:
        t = time.perf_counter()
        self.store.replace_graph(name, nt)
        self.stored += time.perf_counter() - t

    def finish(self, limit: float, reads: dict[str, str] | None = None) -> dict:
        t = time.perf_counter()
        generation = self.store.publish()
        published = time.perf_counter() - t
        self.store.close()
        db = ox.Store.read_only(str(generation))
        naive = {k: [t.value for t in next(iter(db.query(q)))] for k, q in NAIVE.items()}
        size = size_of(self.path / "live")
        out = {"store": self.stored, "publish": published, "naive": naive, "bytes": size}
        if reads:
            out["reads"] = {k: _timed(db, q, {}) for k, q in reads.items()}
        return out


class Before:
    """Main's way: the named graphs alone; the statistics through the union with repeats."""

    def __init__(self, path: Path):
        self.path = path
        self.db = ox.Store(str(path))
        for name, graph in (("ontology", ontology_graph()), ("reference", reference_graph())):
            self.db.update(insert_data(graph, f"{DEFAULT_BASE}graph/{name}"))
        self.db.update(insert_data(topics_graph(), f"{DEFAULT_BASE}graph/topics"))
        self.stored = 0.0

    def add(self, name: str, nt: bytes) -> None:
        t = time.perf_counter()
        self.db.update(f"DROP SILENT GRAPH <{name}> ;\n{insert_data(nt, name)}")
        self.stored += time.perf_counter() - t

    def finish(self, limit: float, reads: dict[str, str] | None = None) -> dict:
        self.db.flush()
        union = {"use_default_graph_as_union": True}
        naive = {
            k: [t.value for t in next(iter(self.db.query(q, **union)))] for k, q in NAIVE.items()
        }
        size = size_of(self.path)
        del self.db
        took, figures = [], []
        for text in statistics.texts(DEFAULT_BASE):
            answer = _union_query(str(self.path), text, limit, keep=True)
            took.append(answer and answer[0])
            figures.append(answer[1] if answer else b"")
        done = [x for x in took if x is not None]
        db = ox.Store(str(self.path))  # the figures, as main kept them for the catalogue
        db.update(insert_data(b"".join(figures), f"{DEFAULT_BASE}graph/statistics"))
        db.flush()
        del db
        out = {
            "store": self.stored,
            "statistics": sum(done),
            "finished": len(done) == len(took),
            "naive": naive,
            "bytes": size,
        }
        if reads:
            out["reads"] = {k: _union_query(str(self.path), q, limit) for k, q in reads.items()}
        return out


def catalogue_texts(graphs: list[tuple[str, bytes]]) -> dict[str, str]:
    """Every catalogue query, its required parameters bound to the first meeting, appeal and
    officer the corpus names (the examples where it names none)."""
    text = b"".join(nt for _, nt in graphs[:200]).decode("utf-8")
    values = {}
    for param, parts in (("meeting", 2), ("appeal", 4), ("officer", 2)):
        tail = "/".join(["[^/>]+"] * parts)
        found = re.search(rf"<{DEFAULT_BASE}id/{param}/({tail})>", text)
        if found:
            values[param] = found.group(1)
    out = {}
    for name in catalogue():
        q = get(name)
        given = {p.name: values.get(p.name, p.example) for p in q.params if p.required}
        out[name] = q.render(given, DEFAULT_BASE)
    return out


def _timed(db: ox.Store, text: str, options: dict) -> float:
    """Seconds a query takes to its last row, the second time it runs (the first warms the
    caches)."""
    for _ in db.query(text, **options):
        pass
    t = time.perf_counter()
    for _ in db.query(text, **options):
        pass
    return time.perf_counter() - t


def _union_query(path: str, text: str, limit: float, keep: bool = False):
    """Seconds one query takes on the union with repeats (and, with ``keep``, the triples a
    CONSTRUCT gave, as N-Triples), or None when it did not finish within the limit
    (pyoxigraph cannot stop a query: its process is killed)."""
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_run_union, args=(path, text, child, keep))
    proc.start()
    answer = parent.recv() if parent.poll(limit + 30) else None  # (+ the process's start-up)
    proc.kill()
    proc.join()
    if answer is None or answer[0] > limit:
        return None
    return answer if keep else answer[0]


def _run_union(path: str, text: str, conn, keep: bool) -> None:
    db = ox.Store.read_only(path)
    union = {"use_default_graph_as_union": True}
    t = time.perf_counter()
    rows = list(db.query(text, **union))
    first = time.perf_counter() - t
    if keep:
        conn.send((first, ox.serialize(rows, format=ox.RdfFormat.N_TRIPLES)))
    else:
        conn.send((_timed(db, text, union) if first < 10 else first,))


def lockstep(
    work: Path,
    n: int,
    sources: dict[str, Callable[[int], tuple[str, bytes]]],
    limit: float,
    reads: dict[str, str] | None = None,
) -> dict[str, dict]:
    """Fill one store per way, a session at a time each in turn; then finish each."""
    ways = {}
    for key in sources:
        path = work / f"{key.replace(' ', '-')}-{n}"
        ways[key] = Before(path) if key.endswith("before") else Now(path)
    for k in range(n):
        for key, source in sources.items():
            ways[key].add(*source(k))
    out = {}
    for key, way in ways.items():
        out[key] = way.finish(limit, reads)
        print(f"{key} {n}: {out[key]}", file=sys.stderr, flush=True)
    return out


def realistic(n: int, work: Path) -> list[tuple[str, bytes]]:
    files = generate(n, work / "corpus")
    jobs = [(path, {"committee": code}) for path, code in files]
    out = []
    for p in _prepared(jobs, DEFAULT_BASE, 2):
        assert not p.failed, p.failed.message
        out.append((p.graph_name, p.ntriples))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    ap.add_argument("--realistic", type=int, default=1000, help="generated sessions (0: none)")
    ap.add_argument("--before", type=int, nargs="*", default=[100, 1000], help="sizes for main")
    ap.add_argument("--limit", type=float, default=120, help="seconds per statistics query")
    args = ap.parse_args()
    load = os.getloadavg()[0]
    results: dict[tuple[str, int], dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for n in args.sizes:
            sources = {"shared": lambda k: copy(k, True), "distinct": lambda k: copy(k, False)}
            if n in args.before:
                sources["shared before"] = sources["shared"]
                sources["distinct before"] = sources["distinct"]
            for key, r in lockstep(work, n, sources, args.limit).items():
                results[(key, n)] = r
        if args.realistic:
            graphs = realistic(args.realistic, work)
            sources = {"realistic": graphs.__getitem__, "realistic before": graphs.__getitem__}
            texts = catalogue_texts(graphs)
            for key, r in lockstep(work, len(graphs), sources, args.limit, texts).items():
                results[(key, len(graphs))] = r
    report(args, results, load)


def report(args, results: dict, load: float) -> None:
    print(f"# The default graph as a set ({os.cpu_count()} CPUs, load average {load:.2f})\n")
    print(
        "| corpus | sessions | store s | ms/session | publish s | live KB/session "
        "| officers (COUNT, DISTINCT) | labels of JP-35 |"
    )
    print("|---|---:|---:|---:|---:|---:|---|---|")
    for (key, n), r in results.items():
        if key.endswith("before"):
            continue
        print(
            f"| {key} | {n:,} | {r['store']:.1f} | {r['store'] * 1000 / n:.1f} "
            f"| {r['publish']:.2f} | {r['bytes'] / n / 1024:.0f} | {r['naive']['officers']} "
            f"| {r['naive']['labels']} |"
        )
    print("\nShared against distinct (the worst case against no sharing), in lockstep:\n")
    print("| sessions | store | publish |")
    print("|---:|---:|---:|")
    for n in args.sizes:
        s, d = results[("shared", n)], results[("distinct", n)]
        print(f"| {n:,} | {s['store'] / d['store']:.2f}x | {s['publish'] / d['publish']:.2f}x |")
    print("\nMain's way on the same data, in lockstep (named graphs alone; the same statistics")
    print(f"queries on the union with repeats, each stopped after {args.limit:g} s):\n")
    print(
        "| corpus | sessions | store now / before | statistics before s | publish now s "
        "| live size now / before | officers before | labels before |"
    )
    print("|---|---:|---:|---:|---:|---:|---|---|")
    for (key, n), b in results.items():
        if not key.endswith("before"):
            continue
        r = results[(key.removesuffix(" before"), n)]
        stats = f"{b['statistics']:.2f}" if b["finished"] else f"> {args.limit:g} (stopped)"
        print(
            f"| {key.removesuffix(' before')} | {n:,} | {r['store'] / b['store']:.2f}x | {stats} "
            f"| {r['publish']:.2f} | {r['bytes'] / b['bytes']:.2f}x | {b['naive']['officers']} "
            f"| {b['naive']['labels']} |"
        )
    reads = [(key, n, r) for (key, n), r in results.items() if "reads" in r and key == "realistic"]
    for key, n, r in reads:
        b = results[(f"{key} before", n)]["reads"]
        print(f"\nReads on the {key} corpus of {n:,} sessions: each catalogue query, the same")
        print("text on the default graph and on the union with repeats:\n")
        print("| query | default graph ms | union with repeats ms | ratio |")
        print("|---|---:|---:|---:|")
        for name, now in r["reads"].items():
            then = b[name]
            shown = f"{then * 1000:.1f}" if then is not None else f"> {args.limit:g} s"
            ratio = f"{then / now:.1f}x" if then is not None and now > 0 else "—"
            print(f"| {name} | {now * 1000:.1f} | {shown} | {ratio} |")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    print(f"\n(commit {commit.stdout.strip()})")


if __name__ == "__main__":
    main()
