"""Validation time per session, its share of ingest, and 40,000 sessions on 2 cores: the
fast engine beside pyshacl, the path it replaces, measured in the same run.

Corpora: the example sessions (examples/minutes/*.txt and examples/layouts/**, converted
with loaders.pipeline.convert; pages that are not a complete session skipped) and N
sessions from bench/generate.py (six published layouts, 48 commissions, 20 years).

Engines (loaders/validate.py), all with the SHACL-SPARQL rules:
- pyshacl: ``validate_pyshacl``, pyshacl on rdflib, the reference (the path before);
- fast: ``validate``, pyshacl-turbo for SHACL Core, pyoxigraph for the SHACL-SPARQL rules;
- the options weighed against it: pyshacl-turbo alone (its own SPARQL too), and pyshacl for
  SHACL Core alone (what would remain of the old path with the rules moved to pyoxigraph).

Figures:
1. CPU time per session (time.process_time: other load on the machine counts less than in
   wall time), median and 90th percentile, and how many sessions each engine's findings
   differ from pyshacl's on;
2. the share of ingest spent validating: ``server.ingest.ingest_one`` over the same files
   into fresh stores, with each engine and with validation replaced by nothing, files
   interleaved, the median of rounds; share = (with - without) / with;
3. 40,000 sessions on 2 cores: from the CPU medians (40,000 x median / 2), and measured:
   ``validate_many(workers=2)`` over the generated sessions, wall clock, pool start-up
   counted once. Ratios are pyshacl / fast.
4. re-validating a stored store (``committee-kg validate --store``, server/store/revalidate.py):
   every session of a store of generated sessions (built, or --store), read as the store
   dumps it, 2 worker processes; wall clock and CPU, scaled to 40,000.

Run: .venv/bin/python bench/validate.py [--sessions 200] [--ingest-sessions 24] [--rounds 3]
     [--store DIR | --store-sessions 1000] [--only-store]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rdflib import Graph, URIRef

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import committee_kg.server.store.ingest  # noqa: E402
from bench.generate import generate  # noqa: E402
from committee_kg.loaders import validate as V  # noqa: E402
from committee_kg.loaders.errors import SessionIncomplete  # noqa: E402
from committee_kg.loaders.pipeline import convert  # noqa: E402
from committee_kg.loaders.reference import shapes_graph  # noqa: E402
from committee_kg.loaders.validation.context import _context  # noqa: E402
from committee_kg.loaders.validation.fast_engine import _core_program  # noqa: E402
from committee_kg.loaders.validation.pyshacl_engine import _SessionGraph  # noqa: E402
from committee_kg.loaders.validation.report import SH, _report, _results  # noqa: E402
from committee_kg.loaders.validation.sparql_engine import (  # noqa: E402
    _focus_nodes,
    _observable,
    _run_sparql,
)
from committee_kg.server.store.store import Store  # noqa: E402

SESSIONS_40K = 40_000
CORES = 2
EXAMPLES = sorted((ROOT / "examples" / "minutes").glob("*.txt")) + sorted(
    p for p in (ROOT / "examples" / "layouts").rglob("*") if p.suffix in {".txt", ".html", ".pdf"}
)


def cpu(fn, *args):
    t = time.process_time()
    result = fn(*args)
    return time.process_time() - t, result


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def p90_ms(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1] * 1000 if len(values) > 1 else values[0] * 1000


def keys(report: V.Report) -> set:
    return {(f.severity, f.focus, f.shape, f.path) for f in report.findings}


# -- the options weighed ----------------------------------------------------------------------


def turbo_alone():
    """pyshacl-turbo with every shape, its own SPARQL included."""
    import pyshacl_turbo

    program = pyshacl_turbo.compile_shapes(shapes_graph(), advanced=True)

    def run(graph: Graph) -> V.Report:
        from pyshacl_turbo.rdf import Input

        written = V.session_ntriples(graph)
        _, report, _ = program.validate(
            Input(written.text, "nt", None, {}, {}), allow_warnings=True, allow_infos=True
        )
        return _report(graph, _results(report), report, "turbo")

    return run


def pyshacl_core_alone():
    """pyshacl with the shapes minus the SHACL-SPARQL constraints: the part of the old path
    that would remain if only the rules moved to pyoxigraph."""
    from pyshacl import validate as shacl_validate

    shapes = Graph()
    shapes += shapes_graph()
    shapes.remove((None, URIRef(SH + "sparql"), None))

    def run(graph: Graph) -> None:
        data = _SessionGraph()
        data += graph
        data.addN((s, p, o, data) for s, p, o in _context(graph))
        shacl_validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=True,
            allow_warnings=True,
            inplace=True,
        )

    return run


def fast_parts(graph: Graph) -> dict[str, float]:
    """The fast engine's steps, each timed."""
    import pyoxigraph as ox
    from pyshacl_turbo.rdf import Input

    out = {}
    t, written = cpu(V.session_ntriples, graph)
    out["write N-Triples"] = t
    store = ox.Store()
    t, _ = cpu(store.load, written.text, ox.RdfFormat.N_TRIPLES)
    out["load into pyoxigraph"] = t
    t, focus = cpu(_focus_nodes, store)
    t2, _ = cpu(_observable, written.changes, focus)
    out["focus nodes, exactness check"] = t + t2
    program = _core_program()
    t, _ = cpu(
        lambda: program.validate(
            Input(written.text, "nt", None, {}, {}), allow_warnings=True, allow_infos=True
        )
    )
    out["SHACL Core (pyshacl-turbo)"] = t
    t, _ = cpu(_run_sparql, store, focus)
    out["SHACL-SPARQL (pyoxigraph)"] = t
    return out


# -- corpora --------------------------------------------------------------------------------


def example_sessions() -> list[tuple[Path, str | None, Graph]]:
    out = []
    for path in EXAMPLES:
        try:
            out.append((path, None, convert(path).graph))
        except SessionIncomplete:
            continue
    return out


def generated_sessions(n: int, work: Path) -> list[tuple[Path, str | None, Graph]]:
    return [(p, code, convert(p, committee=code).graph) for p, code in generate(n, work)]


# -- 1. per session -------------------------------------------------------------------------


def per_session(corpus, engines) -> dict[str, dict]:
    out = {}
    reference = {}
    for name, run in engines.items():
        times, differ = [], 0
        for i, (_, _, graph) in enumerate(corpus):
            t, report = cpu(run, graph)
            times.append(t)
            if name == "pyshacl":
                reference[i] = keys(report)
            elif isinstance(report, V.Report) and keys(report) != reference[i]:
                differ += 1
        out[name] = {"median": median_ms(times), "p90": p90_ms(times), "differ": differ}
    return out


# -- 2. share of ingest ---------------------------------------------------------------------


def ingest_share(files: list[tuple[Path, str | None]], rounds: int) -> dict[str, dict]:
    """ingest_one per file with each validator, into fresh stores, files interleaved and
    the order of validators rotated per file. Besides ingest with and without validation,
    the validator's own CPU time inside each ingest_one call is counted: the share it
    gives does not rest on the difference of two noisy totals."""
    variants = {
        "pyshacl": V.validate_pyshacl,
        "fast": V.validate,
        "none": lambda graph: V.Report(),
    }
    names = list(variants)
    totals = {name: {"cpu": [], "wall": [], "inside": []} for name in variants}
    original = committee_kg.server.store.ingest.validate
    try:
        for _ in range(rounds):
            spent = {name: {"cpu": 0.0, "wall": 0.0, "inside": 0.0} for name in variants}
            with tempfile.TemporaryDirectory() as tmp:
                stores = {name: Store(Path(tmp) / name) for name in variants}
                for store in stores.values():
                    store.load_reference()
                for k, (path, committee) in enumerate(files):
                    for name in names[k % 3 :] + names[: k % 3]:
                        check = variants[name]

                        def timed(graph, check=check, into=spent[name]):
                            t, report = cpu(check, graph)
                            into["inside"] += t
                            return report

                        committee_kg.server.store.ingest.validate = timed
                        w, c = time.perf_counter(), time.process_time()
                        outcome = committee_kg.server.store.ingest.ingest_one(
                            stores[name], path, committee=committee
                        )
                        spent[name]["cpu"] += time.process_time() - c
                        spent[name]["wall"] += time.perf_counter() - w
                        assert outcome.ok, outcome.message
                for store in stores.values():
                    store.close()
            for name in variants:
                for k, v in spent[name].items():
                    totals[name][k].append(v / len(files) * 1000)
    finally:
        committee_kg.server.store.ingest.validate = original
    out = {name: {k: statistics.median(v) for k, v in totals[name].items()} for name in variants}
    for name in ("pyshacl", "fast"):
        for k in ("cpu", "wall"):
            out[name][f"share {k}"] = (out[name][k] - out["none"][k]) / out[name][k]
        out[name]["share inside"] = out[name]["inside"] / out[name]["cpu"]
    return out


# -- 3. 40,000 sessions on 2 cores ----------------------------------------------------------


def pool_run(graphs: list[Graph]) -> dict[str, dict]:
    """validate_many on 2 threads and on 2 worker processes, beside one thread: the wall
    clock of the whole batch, less that of a batch of four (start-up and the first
    sessions) so that start-up counts once; and the CPU time of this process and of the
    workers (all the work: writing, sending, start-up excepted)."""
    import resource

    def run(batch, **kw):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        w, c = time.perf_counter(), time.process_time()
        reports = V.validate_many(batch, **kw)
        wall, parent = time.perf_counter() - w, time.process_time() - c
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        children = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        return wall, parent + children, reports

    out = {}
    rest = max(len(graphs) - 2 * CORES, 1)
    for name, kw in (
        ("1 thread", {"workers": 1}),
        (f"{CORES} threads", {"workers": CORES}),
        (f"{CORES} processes", {"workers": CORES, "processes": True}),
    ):
        wall0, cpu0, _ = run(graphs[: 2 * CORES], **kw)
        wall, used, reports = run(graphs, **kw)
        per = max(wall - wall0, 0.0) / rest
        out[name] = {
            "startup": wall0,
            "per session": per,
            "cpu per session": max(used - cpu0, 0.0) / rest,
            "40k": (wall0 + per * SESSIONS_40K) / 60,
            "fast path": sum(r.engine == "fast" for r in reports),
        }
    return out


def store_run(store_dir: Path | None, sessions: int, work: Path) -> dict:
    """``committee-kg validate --store``: every session of a stored store, read as the store
    dumps it, in 2 worker processes; wall clock and CPU (this process and its workers)."""
    import resource

    from bench.catalogue import build
    from committee_kg.server.store.revalidate import revalidate

    if store_dir is None:
        store_dir = work / f"store-{sessions}"
        if not (store_dir / "CURRENT").exists():
            build(store_dir, generate(sessions, work / f"corpus-{sessions}"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    w, c = time.perf_counter(), time.process_time()
    checked = list(revalidate(store_dir, CORES))
    wall, parent = time.perf_counter() - w, time.process_time() - c
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    children = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    n = len(checked)
    return {
        "store": str(store_dir),
        "sessions": n,
        "wall": wall,
        "cpu per session": (parent + children) / n,
        "wall per session": wall / n,
        "40k": wall / n * SESSIONS_40K / 60,
        "fast": sum(c.engine == "fast" for c in checked),
        "invalid": sum(not c.conforms for c in checked),
        "refused": [
            (c.meeting, next((f.shape for f in c.findings if f.severity == "violation"), "?"))
            for c in checked
            if not c.conforms
        ],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=200, help="generated sessions")
    ap.add_argument("--ingest-sessions", type=int, default=24, help="generated, for ingest")
    ap.add_argument("--rounds", type=int, default=3, help="ingest rounds")
    ap.add_argument("--work", type=Path, help="where to write the generated sessions")
    ap.add_argument("--store", type=Path, help="section 4 on this store (else one is built)")
    ap.add_argument("--store-sessions", type=int, default=1000, help="sessions of that store")
    ap.add_argument("--only-store", action="store_true", help="section 4 alone")
    args = ap.parse_args()
    load = os.getloadavg()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-validate-"))

    print(f"# Validation benchmark ({os.cpu_count()} CPUs, load average {load[0]:.2f})\n")
    if args.only_store:
        report_store(store_run(args.store, args.store_sessions, work), None)
        return
    examples = example_sessions()
    generated = generated_sessions(args.sessions, work / "corpus")
    for _, _, g in examples[:2]:  # warm every engine's caches (shapes, prepared queries)
        V.validate(g)
        V.validate_pyshacl(g)
    engines = {
        "pyshacl": V.validate_pyshacl,
        "fast": V.validate,
        "pyshacl-turbo alone": turbo_alone(),
        "pyshacl, SHACL Core alone": pyshacl_core_alone(),
    }
    print("## 1. CPU per session (ms), all with the SHACL-SPARQL rules\n")
    print("| engine | corpus | sessions | median | p90 | x faster than pyshacl | findings differ |")
    print("|---|---|---:|---:|---:|---:|---:|")
    results = {}
    for corpus_name, corpus in (("examples", examples), ("generated", generated)):
        results[corpus_name] = per_session(corpus, engines)
        base = results[corpus_name]["pyshacl"]["median"]
        for name, r in results[corpus_name].items():
            differ = "—" if name in ("pyshacl", "pyshacl, SHACL Core alone") else r["differ"]
            print(
                f"| {name} | {corpus_name} | {len(corpus)} | {r['median']:.1f} | "
                f"{r['p90']:.1f} | {base / r['median']:.1f} | {differ} |"
            )
    parts = [fast_parts(g) for _, _, g in generated]
    print("\nThe fast engine's steps, median CPU ms per generated session:\n")
    for step in parts[0]:
        print(f"- {step}: {median_ms([p[step] for p in parts]):.1f}")

    files = [(p, c) for p, c, _ in examples] + [(p, c) for p, c, _ in generated][
        : args.ingest_sessions
    ]
    share = ingest_share(files, args.rounds)
    print(f"\n## 2. Share of ingest spent validating ({len(files)} files, {args.rounds} rounds)\n")
    print(
        "| validation | ingest_one CPU ms/file | wall ms/file | validating, CPU ms/file "
        "| share (validating / ingest CPU) | share (with - without, CPU) | (wall) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in ("pyshacl", "fast", "none"):
        r = share[name]
        cells = (
            f"{r['inside']:.0f} | {r['share inside']:.0%} | {r['share cpu']:.0%} | "
            f"{r['share wall']:.0%}"
            if name != "none"
            else "— | — | — | —"
        )
        print(f"| {name} | {r['cpu']:.0f} | {r['wall']:.0f} | {cells} |")

    graphs = [g for _, _, g in generated]
    pool = pool_run(graphs)
    gen = results["generated"]
    slow, fast = gen["pyshacl"]["median"], gen["fast"]["median"]
    cpu_slow = SESSIONS_40K * slow / 1000 / CORES / 60
    cpu_fast = SESSIONS_40K * fast / 1000 / CORES / 60
    print(f"\n## 3. {SESSIONS_40K:,} sessions on {CORES} cores (minutes)\n")
    print("| how | pyshacl | fast | ratio |")
    print("|---|---:|---:|---:|")
    print(
        f"| CPU medians x 40,000 / {CORES} cores | {cpu_slow:.1f} | {cpu_fast:.1f} | "
        f"{cpu_slow / cpu_fast:.1f}x |"
    )
    print(
        f"| CPU medians x 40,000 on 1 core | {cpu_slow * CORES:.1f} | {cpu_fast * CORES:.1f} | "
        f"{cpu_slow / cpu_fast:.1f}x |"
    )
    for name, r in pool.items():
        print(
            f"| validate_many, {name}: wall clock, {len(graphs)} sessions scaled | "
            f"{cpu_slow:.1f}* | {r['40k']:.1f} | {cpu_slow / r['40k']:.1f}x |"
        )
    print(
        "\n(*) pyshacl from its CPU median over 2 cores (the best a pool could do).\n\n"
        "| validate_many | start-up s | wall ms/session | CPU ms/session | fast path |"
    )
    print("|---|---:|---:|---:|---:|")
    for name, r in pool.items():
        print(
            f"| {name} | {r['startup']:.1f} | {r['per session'] * 1000:.1f} | "
            f"{r['cpu per session'] * 1000:.1f} | {r['fast path']}/{len(graphs)} |"
        )
    report_store(store_run(args.store, args.store_sessions, work), cpu_slow)
    best = min(r["40k"] for r in pool.values())
    print(
        f"\nGoal, 40,000 sessions under 10 min on {CORES} cores: {cpu_fast:.1f} min from the "
        f"CPU medians; {best:.1f} min measured (best of the three) at load average "
        f"{os.getloadavg()[0]:.2f} — the wall clock is only as good as the share of the "
        f"{CORES} cores this process got."
    )


def report_store(r: dict, pyshacl_40k: float | None) -> None:
    print(
        f"\n## 4. Re-validating a stored store: `committee-kg validate --store`, "
        f"{CORES} worker processes\n"
    )
    print(
        "| sessions | wall s | wall ms/session | CPU ms/session | 40,000 sessions, min | "
        "x faster than pyshacl | fast path | invalid |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    ratio = f"{pyshacl_40k / r['40k']:.1f}x" if pyshacl_40k else "—"
    print(
        f"| {r['sessions']} | {r['wall']:.1f} | {r['wall per session'] * 1000:.1f} | "
        f"{r['cpu per session'] * 1000:.1f} | {r['40k']:.1f} | {ratio} | "
        f"{r['fast']}/{r['sessions']} | {r['invalid']} |"
    )
    print(
        f"\n40,000 sessions scaled from the measured wall clock at load average "
        f"{os.getloadavg()[0]:.2f} (load from other work slows it; CPU per session is the "
        f"steadier figure: 40,000 x CPU / {CORES} cores = "
        f"{SESSIONS_40K * r['cpu per session'] / CORES / 60:.1f} min)."
    )
    for meeting, shape in r["refused"][:20]:
        print(f"- refused: {meeting} ({shape})")


if __name__ == "__main__":
    main()
