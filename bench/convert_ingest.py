"""Conversion time of one session and ingest rate over the example minutes.

Each figure is set beside a baseline measured in the same run, and reported as a ratio:
- convert: the whole pipeline up to the graph (extract → normalize → parse → RDF) against
  rdflib parsing the same session's graph from N-Triples (the cost of merely reading it);
- ingest: convert + validate + one-transaction replace into the on-disk store (+ publish),
  against adding the same, already converted graphs to an in-memory rdflib Dataset.

Run: .venv/bin/python bench/convert_ingest.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Dataset, Graph

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from committee_kg.loaders.pipeline import convert  # noqa: E402
from committee_kg.server.store.ingest import ingest  # noqa: E402
from committee_kg.server.store.store import Store  # noqa: E402

EXAMPLES = sorted((ROOT / "examples" / "minutes").glob("*.txt"))
SEED = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    session = SEED[0] if SEED else EXAMPLES[0]
    convert(session)  # warm caches (reference data, regexes)
    nt = convert(session).graph.serialize(format="nt")

    conv = median_time(lambda: convert(session), args.repeat)
    parse = median_time(lambda: Graph().parse(data=nt, format="nt"), args.repeat)
    print(f"session: {session.name}")
    print(f"convert one session      median {conv * 1000:8.1f} ms")
    print(f"baseline rdflib N-Triples parse of the same graph {parse * 1000:8.1f} ms")
    print(f"ratio convert / baseline {conv / parse:8.2f}x")

    graphs = [(c.graph_name, c.graph) for c in (convert(p) for p in EXAMPLES)]

    def to_rdflib():
        ds = Dataset()
        for name, g in graphs:
            target = ds.graph(name)
            for t in g:
                target.add(t)

    def to_store():
        with tempfile.TemporaryDirectory() as d:
            outcomes = ingest(Store(Path(d) / "s"), EXAMPLES, progress=False)
            assert all(o.ok for o in outcomes), [o.message for o in outcomes if not o.ok]

    repeat = max(3, args.repeat // 4)
    ing = median_time(to_store, repeat)
    base = median_time(to_rdflib, repeat)
    n = len(EXAMPLES)
    print(
        f"ingest {n} sessions (convert+validate+store+publish) median {ing:6.2f} s "
        f"= {n / ing:6.1f} sessions/s"
    )
    print(
        f"baseline rdflib in-memory add of the converted graphs {base:6.3f} s "
        f"= {n / base:6.1f} sessions/s"
    )
    print(f"ratio ingest / baseline  {ing / base:8.1f}x")


if __name__ == "__main__":
    main()
