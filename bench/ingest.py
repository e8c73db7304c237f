"""Ingest throughput: one process against worker processes converting and validating while
the main process writes, the same files into fresh stores, in the same run.

What an operator waits for when loading twenty years of minutes at once, or rerunning
today's loaders over every stored session (``reingest``). Reported: wall clock per file,
the ratio, the 40,000-session figure each gives, and whether both stores hold the same quads.

Run: .venv/bin/python bench/ingest.py [--sessions 400] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from bench.generate import generate  # noqa: E402
from committee_kg.server.store.ingest import _prepared, store_prepared  # noqa: E402
from committee_kg.server.store.store import Store  # noqa: E402

SESSIONS_40K = 40_000


def ingest_files(store: Store, files: list[tuple[Path, str]], workers: int | None) -> None:
    """The loop of ``server.ingest.ingest``, with each generated file's committee (ingest
    takes one --committee for a whole batch; the text of two commissions does not name
    theirs); ``workers`` None: as ingest chooses. Publishing is the caller's."""
    jobs = [(path, {"committee": code}) for path, code in files]
    with store.batch():
        outcomes = [store_prepared(store, p) for p in _prepared(jobs, store.base, workers)]
    assert all(o.ok for o in outcomes), [o.message for o in outcomes if not o.ok][:3]


def run(store_dir: Path, files: list[tuple[Path, str]], workers: int) -> tuple[float, set[str]]:
    store = Store(store_dir)
    store.load_reference()
    t = time.perf_counter()
    ingest_files(store, files, workers)
    wall = time.perf_counter() - t
    quads = {
        str(q)
        for q in store.db
        if isinstance(q.graph_name, ox.NamedNode) and "/graph/meeting/" in q.graph_name.value
    }
    store.close()
    return wall, quads


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=400)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        files = generate(args.sessions, work / "corpus")
        load = os.getloadavg()[0]
        one, one_quads = run(work / "one", files, 1)
        many, many_quads = run(work / "many", files, args.workers)
    n = len(files)
    print(f"# Ingest throughput ({os.cpu_count()} CPUs, load average {load:.2f})\n")
    print("| how | wall s | ms/file | 40,000 sessions, min |")
    print("|---|---:|---:|---:|")
    for label, wall in (("one process", one), (f"{args.workers} worker processes", many)):
        at_40k = wall / n * SESSIONS_40K / 60
        print(f"| {label} | {wall:.1f} | {wall / n * 1000:.1f} | {at_40k:.1f} |")
    print(f"\n{n} sessions; worker processes {one / many:.2f}x faster (wall clock, pool start-up")
    print(f"included); same quads in both stores: {one_quads == many_quads}")


if __name__ == "__main__":
    main()
