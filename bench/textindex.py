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
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402
from committee_kg.loaders.pipeline import convert  # noqa: E402
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 40000])
    ap.add_argument("--sample", type=int, default=200, help="generated sessions converted")
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
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
