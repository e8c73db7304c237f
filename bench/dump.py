"""The dump (issue 6): how long ``committee-kg dump`` takes, and its Turtle writer beside
rdflib's on the same triples in the same run.

    .venv/bin/python bench/dump.py [--sessions 1000] [--work DIR] [--rdflib-budget 900]

Builds (once, kept in --work) a store of the example minutes and of N generated sessions
(bench/generate.py), then measures on each:

  * the whole dump (every file: five formats of the dataset, one file per session, VoID,
    DCAT, SHA256SUMS), twice, checking the bytes are the same;
  * the Turtle of the whole dataset (distinct triples of the union, sorted): pyoxigraph's
    writer as the dump uses it, and rdflib's ``Graph.serialize(format="turtle")`` on the
    same triples already in memory. rdflib gets a time budget; a stopped run is reported as
    a lower bound (DESIGN.md: its writer is quadratic on our path-like IRIs).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import signal
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.catalogue import EXAMPLES, build  # noqa: E402
from bench.generate import generate  # noqa: E402
from committee_kg.server.publish.dcat import Metadata  # noqa: E402
from committee_kg.server.publish.dump import dump  # noqa: E402
from committee_kg.server.publish.serialize import NAMESPACES  # noqa: E402
from committee_kg.server.store.store import Snapshot  # noqa: E402


class Stopped(Exception):
    pass


def _alarm(signum, frame):
    raise Stopped


def digest(directory: Path) -> str:
    return hashlib.sha256((directory / "SHA256SUMS").read_bytes()).hexdigest()


def rdflib_turtle(nt: bytes, budget: float) -> tuple[float, bool]:
    """Seconds rdflib's Turtle writer takes for these N-Triples (parsed first, untimed),
    and whether it was stopped at the budget."""
    from rdflib import Graph

    g = Graph()
    for prefix, ns in NAMESPACES.items():
        g.bind(prefix, ns, replace=True)
    g.parse(data=nt, format="nt")
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, budget)
    t = time.perf_counter()
    stopped = False
    try:
        g.serialize(format="turtle")
    except Stopped:
        stopped = True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return time.perf_counter() - t, stopped


def measure(label: str, store: Path, work: Path, budget: float) -> dict:
    snap = Snapshot(store)
    sessions = len(snap.sessions())
    out = work / f"dumps-{store.parent.name}"
    meta = Metadata.from_settings(snap.base)
    t = time.perf_counter()
    dump(snap, out, meta)
    first = time.perf_counter() - t
    before = digest(out)
    t = time.perf_counter()
    dump(snap, out, meta)
    second = time.perf_counter() - t
    assert digest(out) == before, "two dumps of one store differ"

    nt = gzip.decompress((out / "dataset.nt.gz").read_bytes())
    triples = list(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))
    t = time.perf_counter()
    ours = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=NAMESPACES)
    ox_seconds = time.perf_counter() - t
    assert ours == (out / "dataset.ttl").read_bytes()

    rdflib_seconds, stopped = rdflib_turtle(nt, budget)
    ratio = rdflib_seconds / ox_seconds
    sign = ">" if stopped else ""
    lines = [
        f"== {label}: {sessions} sessions, {len(triples)} distinct triples",
        f"whole dump (all files): {first:.1f} s, again {second:.1f} s (same bytes)",
        f"Turtle of the dataset, pyoxigraph: {ox_seconds:.2f} s",
        f"Turtle of the dataset, rdflib:     {sign}{rdflib_seconds:.2f} s"
        + (" (stopped at the budget)" if stopped else ""),
        f"rdflib / pyoxigraph: {sign}{ratio:.0f}x",
    ]
    print("\n".join(lines), flush=True)
    return {"sessions": sessions, "ox": ox_seconds, "rdflib": rdflib_seconds, "ratio": ratio}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=1000, help="generated sessions (0: none)")
    ap.add_argument("--work", type=Path, help="keep the corpus and stores here")
    ap.add_argument("--rdflib-budget", type=float, default=900.0, help="seconds rdflib may take")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="ckg-dump-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    examples = work / "examples" / "store"
    if not (examples / "CURRENT").exists():
        build(examples, [(p, None) for p in EXAMPLES])
    measure(f"example minutes ({len(EXAMPLES)})", examples, work, args.rdflib_budget)
    if args.sessions:
        store = work / f"generated-{args.sessions}" / "store"
        if not (store / "CURRENT").exists():
            files = generate(args.sessions, work / f"corpus-{args.sessions}")
            print(f"built the corpus store in {build(store, files):.1f} s", flush=True)
        measure(f"generated corpus ({args.sessions})", store, work, args.rdflib_budget)


if __name__ == "__main__":
    main()
