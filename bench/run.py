"""One command for the figures of issue 19: generated corpora at the sizes given, each
measured end to end beside a baseline taken in the same run, as one Markdown table.

    bench/run                                   # 1,000 sessions
    bench/run --sizes 1000 10000 40000          # the national scale
    bench/run --work DIR --out FILE.md          # keep corpora and stores; where to write

The table goes to stdout and to ``bench/results/run-<date>.md`` (git-ignored). It opens
with the machine (CPUs, RAM, load average at the start and the end), the date, the commit
and the versions that matter; then, for each size (sessions from bench/generate.py, six
published layouts, 48 commissions over twenty years; the same files for the same size):

- **ingest**: files → converted and validated in worker processes → stored → published,
  the loop of ``committee-kg ingest`` (bench/ingest.py: each file with its commission, as
  the text of two commissions does not name it), in a process of its own. Sessions/s,
  peak RSS of that process and of its largest worker (getrusage), the store on disk.
  Baseline: pyoxigraph's ``bulk_load`` of the same quads (every graph, the default graph
  too) into a fresh store, in a process of its own.
- **where the time goes**: the stages the pipeline calls (extract, normalize, parse,
  topics, RDF, validate, the N-Triples handed to the writer, store), timed one by one in
  this process over an evenly spaced sample of the corpus stored into a fresh store; and
  publish, timed in the ingest above (once per batch, shown per session).
- **re-ingest** (``reingest``: every stored source read again) and **re-validate**
  (``validate --store``): sessions/s; baselines: the ingest above, and reading every
  session's N-Triples out of the store with no validation.
- **catalogue**: every query over HTTP, cold (first request on a new generation) and
  cached, median and p95 over the rounds (bench/catalogue.py); baseline: the same query on
  rdflib in memory, stopped at a budget.
- **graph API**: every view of the whole store, cold and cached (bench/graphs.py).
- **dump**: every file of ``committee-kg dump`` (bench/dump.py writes it the same way),
  seconds and bytes; baselines: pyoxigraph's own writer of the same statements straight
  from the store, and rdflib's Turtle writer, stopped at a budget.
- **throughput**: 8 clients for a bounded time on a mix of catalogue, page and graph
  requests, then on cached catalogue answers alone (bench/load.py); requests/s, p50, p99,
  errors (5xx or no answer), the memory of the server with its workers, as RSS and as PSS
  (a page the server shares with the workers it forked counted once); baseline: ``/health``.

Columns: "ratio" is always ours ÷ baseline in time (for a rate, the baseline's rate ÷
ours): 2.0 means ours takes twice as long; below 1, ours is the faster. p95 and p99 are
nearest-rank (over 5 rounds, p95 is the slowest). The machine is shared: read the load
average beside the figures.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import itertools
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import catalogue as cat  # noqa: E402
from bench.dump import rdflib_turtle  # noqa: E402
from bench.generate import generate  # noqa: E402
from bench.graphs import api_latency  # noqa: E402
from bench.ingest import ingest_files  # noqa: E402
from bench.load import Run, mix  # noqa: E402
from committee_kg.server.store.store import Snapshot, Store  # noqa: E402

STAGES = ["extract", "normalize", "parse", "topics", "RDF", "validate", "N-Triples", "store"]


def mb(n_bytes: float) -> str:
    return f"{n_bytes / 2**20:,.0f} MB"


def disk(path: Path) -> int:
    """Bytes on disk under path, each file once (generations share files by hard links)."""
    seen, total = set(), 0
    for p in path.rglob("*"):
        st = p.lstat()
        if p.is_file() and (st.st_dev, st.st_ino) not in seen:
            seen.add((st.st_dev, st.st_ino))
            total += st.st_blocks * 512
    return total


def ratio(ours: float, baseline: float) -> str:
    return f"{ours / baseline:.3g}" if baseline else "—"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def corpus_files(corpus: Path) -> list[tuple[Path, str]]:
    lines = (corpus / "manifest.tsv").read_text(encoding="utf-8").splitlines()
    return [(corpus / name, code) for name, code in (ln.split("\t") for ln in lines)]


# -- in processes of their own, so that their peak memory is theirs -------------------------


def child(*args: str) -> dict:
    """Run ``bench/run.py --child ARGS`` and return the JSON it prints last."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args], cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode:
        raise RuntimeError(f"{args[0]} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.splitlines()[-1])


def child_ingest(store_dir: str, corpus: str) -> dict:
    files = corpus_files(Path(corpus))
    t = time.perf_counter()
    store = Store(store_dir)
    store.load_reference()
    ingest_files(store, files, None)  # workers as ingest chooses them
    p = time.perf_counter()
    store.publish()
    publish = time.perf_counter() - p
    store.close()
    return {"seconds": time.perf_counter() - t, "publish": publish, **_peak()}


def child_bulk(target: str, nquads: str) -> dict:
    t = time.perf_counter()
    db = ox.Store(target)
    db.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
    db.flush()
    del db
    return {"seconds": time.perf_counter() - t, **_peak()}


def _peak() -> dict:
    kb = 1024  # ru_maxrss is in KiB on Linux
    return {
        "rss_self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * kb,
        "rss_workers": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * kb,
    }


# -- the sections ---------------------------------------------------------------------------


def ingest_section(n: int, corpus: Path, store: Path, work: Path) -> tuple[list[str], dict]:
    ing = child("ingest", str(store), str(corpus))
    nquads = work / f"quads-{n}.nq"
    Snapshot(store).db.dump(str(nquads), ox.RdfFormat.N_QUADS)  # every quad stored
    bulk_dir = work / f"bulk-{n}"
    shutil.rmtree(bulk_dir, ignore_errors=True)
    bulk = child("bulk", str(bulk_dir), str(nquads))
    quads = len(Snapshot(store).db)
    nquads.unlink()
    live, whole, bulk_disk = disk(store / "live"), disk(store), disk(bulk_dir)
    shutil.rmtree(bulk_dir)
    rate, bulk_rate = n / ing["seconds"], n / bulk["seconds"]
    lines = [
        "| ingest | ours | baseline: pyoxigraph bulk load | ratio |",
        "|---|---:|---:|---:|",
        f"| sessions/s | {rate:.1f} ({ing['seconds']:.0f} s) | {bulk_rate:.0f} "
        f"({bulk['seconds']:.1f} s) | {ratio(bulk_rate, rate)} |",
        f"| peak RSS, main process | {mb(ing['rss_self'])} | {mb(bulk['rss_self'])} "
        f"| {ratio(ing['rss_self'], bulk['rss_self'])} |",
        f"| peak RSS, largest worker | {mb(ing['rss_workers'])} | — | |",
        f"| store on disk (live/) | {mb(live)} | {mb(bulk_disk)} | {ratio(live, bulk_disk)} |",
        f"| store directory (generations, sources, index) | {mb(whole)} | | |",
        "",
        f"{quads:,} quads stored (named graphs and the default graph), bulk-loaded from "
        "their N-Quads dump.",
    ]
    return lines, {"rate": rate, "publish": ing["publish"], "seconds": ing["seconds"]}


def stage_split(files: list[tuple[Path, str]], sample: int, work: Path) -> dict[str, float]:
    """Seconds per stage, summed over an evenly spaced sample, the stages called as
    loaders/pipeline.py and server/store/ingest.py call them, stored into a fresh store."""
    from committee_kg.loaders.extract import extract
    from committee_kg.loaders.normalize import normalize
    from committee_kg.loaders.registry import choose
    from committee_kg.loaders.to_rdf import DEFAULT_LICENSE, meeting_iri, to_rdf
    from committee_kg.loaders.topics import tag
    from committee_kg.loaders.validate import validate
    from committee_kg.server.settings import limits
    from committee_kg.server.store.ingest import Prepared, prepare, store_prepared

    picked = files[:: max(1, len(files) // sample)][:sample]
    target = work / "stages"
    shutil.rmtree(target, ignore_errors=True)
    store = Store(target)
    store.load_reference()
    spent = dict.fromkeys(STAGES, 0.0)
    clock = time.perf_counter

    def timed(stage, fn, *args, **kw):
        t = clock()
        out = fn(*args, **kw)
        spent[stage] += clock() - t
        return out

    first, code = picked[0]  # untimed: dictionaries and shapes load once per process
    prepare(first, committee=code, base=store.base)
    with store.batch():  # as ingest stores: in batches, journaled then bulk-loaded
        for path, code in picked:
            doc = timed("extract", extract, path, committee=code, limits=limits())
            text = timed("normalize", normalize, doc.text, by_width=doc.media_type != "text/html")
            minutes = timed("parse", lambda: choose(doc, text).parse(doc, text))  # noqa: B023
            tags = timed("topics", tag, minutes)
            minter = store.minter
            graph = timed("RDF", lambda: to_rdf(minutes, minter, DEFAULT_LICENSE, tags=tags))  # noqa: B023
            report = timed("validate", validate, graph, base=store.base)
            assert report.conforms, path
            # what prepare hands the writer: the N-Triples validation wrote, or the graph written
            nt = timed(
                "N-Triples",
                lambda: (report.ntriples or graph.serialize(format="nt")).encode("utf-8"),  # noqa: B023
            )
            meeting = meeting_iri(minutes, minter)
            prepared = Prepared(
                str(path), doc.sha256, str(minter.meeting_graph(meeting)), nt, meeting=str(meeting)
            )
            assert timed("store", store_prepared, store, prepared).ok
        timed("store", store.flush)  # the last batch loaded
    store.close()
    shutil.rmtree(target)
    return {stage: s / len(picked) for stage, s in spent.items()} | {"sample": len(picked)}


def stages_section(per: dict[str, float], ingest: dict, n: int) -> list[str]:
    publish = ingest["publish"] / n
    total = sum(per[s] for s in STAGES) + publish
    lines = [
        "| stage | ms per session | share |",
        "|---|---:|---:|",
        *(f"| {s} | {per[s] * 1000:.1f} | {per[s] / total:.0%} |" for s in STAGES),
        f"| publish ({ingest['publish']:.1f} s for the batch) | {publish * 1000:.1f} "
        f"| {publish / total:.0%} |",
        f"| **sum, one process** | **{total * 1000:.1f}** | |",
        "",
        f"Stages timed one by one in one process over {per['sample']} sessions of the corpus "
        f"(every {max(1, n // per['sample'])}th), stored into a fresh store (storing costs "
        "more in a fuller one); publish from the ingest above. End to end the ingest took "
        f"{ingest['seconds'] / n * 1000:.1f} ms a session, converting in worker processes "
        "while one process stores.",
    ]
    return lines


def again_section(n: int, store: Path, ingest_rate: float) -> list[str]:
    from committee_kg.server.store.ingest import reingest
    from committee_kg.server.store.revalidate import revalidate, sessions

    t = time.perf_counter()
    outcomes = reingest(Store(store), progress=False)
    re_s = time.perf_counter() - t
    statuses = Counter(o.status for o in outcomes)
    t = time.perf_counter()
    checked = list(revalidate(store))
    val_s = time.perf_counter() - t
    snap = Snapshot(store)
    t = time.perf_counter()
    for graph, _ in sessions(snap.db):
        snap.db.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
    read_s = time.perf_counter() - t
    re_rate, val_rate, read_rate = n / re_s, len(checked) / val_s, len(checked) / read_s
    conform = sum(c.conforms for c in checked)
    return [
        "| whole store | sessions/s | baseline | sessions/s | ratio |",
        "|---|---:|---:|---:|---:|",
        f"| re-ingest ({', '.join(f'{v} {k}' for k, v in sorted(statuses.items()))}) "
        f"| {re_rate:.1f} ({re_s:.0f} s) | the first ingest | {ingest_rate:.1f} "
        f"| {ratio(ingest_rate, re_rate)} |",
        f"| re-validate ({conform} of {len(checked)} conform) | {val_rate:.1f} ({val_s:.0f} s) "
        f"| reading each session's N-Triples, one process | {read_rate:.0f} "
        f"| {ratio(read_rate, val_rate)} |",
    ]


def rdflib_section(store: Path, params: dict, rounds: int, budget: float, max_quads: int):
    snap = Snapshot(store)
    quads = len(snap.db)
    if quads > max_quads:
        return None, f"rdflib not attempted: {quads:,} quads (more than --rdflib-max-quads)"
    ds, load = cat.rdflib_dataset(store)
    in_memory = cat.rdflib_latency(ds, snap.base, params, rounds, budget)
    del ds
    return in_memory, (
        f"rdflib: the named graphs parsed into a Dataset in {load:.0f} s (not counted), "
        f"each query run {rounds} time(s), stopped at {budget:g} s"
    )


def catalogue_table(cold, warm, rows, in_memory, note: str, budget: float) -> list[str]:
    lines = [
        "| query | rows | cold median ms | cold p95 | cached median ms | cached p95 "
        "| rdflib median ms | ratio cold / rdflib |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in sorted(cold):
        c, w = cold[name], warm[name]
        if in_memory is None:
            base, r = "—", "—"
        elif max(in_memory[name]) >= budget:
            base = f"stopped at {budget:g} s"
            r = f"≤ {ratio(statistics.median(c), budget)}"
        else:
            m = statistics.median(in_memory[name])
            base, r = f"{m * 1000:.1f}", ratio(statistics.median(c), m)
        lines.append(
            f"| {name} | {rows[name]:,} | {statistics.median(c) * 1000:.1f} "
            f"| {pct(c, 0.95) * 1000:.1f} | {statistics.median(w) * 1000:.1f} "
            f"| {pct(w, 0.95) * 1000:.1f} | {base} | {r} |"
        )
    all_cold = [statistics.median(v) for v in cold.values()]
    lines += [
        "",
        f"Median of the queries' cold medians: {statistics.median(all_cold) * 1000:.1f} "
        f"ms; {note}.",
    ]
    return lines


def graph_table(views: dict) -> list[str]:
    lines = [
        "| view (whole store) | nodes | edges | cold median ms | cached median ms "
        "| ratio cold / cached |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for view, r in views.items():
        lines.append(
            f"| {view} | {r['nodes']:,} | {r['edges']:,} | {r['cold_ms']:.1f} "
            f"| {r['warm_ms']:.1f} | {ratio(r['cold_ms'], r['warm_ms'])} |"
        )
    return lines


def load_section(server, base: str, params: dict, clients: int, seconds: float) -> list[str]:
    names = sorted(params)
    cached = [
        f"{base}/api/queries/{n}?" + urllib.parse.urlencode({**params[n], "format": "json"})
        for n in names
    ]
    for url in cached:  # into the cache of this generation
        cat.fetch(url)
    runs = {
        "mix: catalogue 3, page 4, graph 2": ({"catalogue": 3, "page": 4, "graph": 2}, mix(base)),
        "cached catalogue answers": ({"catalogue": 1}, {"catalogue": cached}),
        "baseline: /health": ({"health": 1}, {"health": [f"{base}/health"]}),
    }
    results = {}
    for label, (weights, urls) in runs.items():
        run = Run(base, urls, seconds, seed=19, weights=weights, runaway=False)
        memory = run.go(clients, server.pid)
        took = [s for xs in run.latency.values() for s in xs]
        statuses = sum((run.statuses[k] for k in run.statuses), Counter())
        results[label] = (len(took) / seconds, took, statuses, len(run.errors), memory)
    health = results["baseline: /health"][0]
    lines = [
        f"| {clients} clients, {seconds:g} s | requests/s | p50 ms | p99 ms | errors | statuses "
        "| server RSS, max | server PSS, max | ratio to /health |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for label, (rps, took, statuses, errors, memory) in results.items():
        st = ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items(), key=str))
        lines.append(
            f"| {label} | {rps:.1f} | {pct(took, 0.5) * 1000:.0f} | {pct(took, 0.99) * 1000:.0f} "
            f"| {errors} | {st} | {max(m for _, m, _ in memory):.0f} MB "
            f"| {max(pss for _, _, pss in memory):.0f} MB | {ratio(health, rps)} |"
        )
    return lines


def dump_section(store: Path, work: Path, budget: float, max_quads: int) -> list[str]:
    import gzip

    from committee_kg.server.publish.dcat import Metadata
    from committee_kg.server.publish.dump import dump

    snap = Snapshot(store)
    out = work / "dump"
    t = time.perf_counter()
    files = dump(snap, out, Metadata.from_settings(snap.base))
    whole = time.perf_counter() - t
    db = snap.db
    named = list(db.named_graphs())
    plain = {}  # pyoxigraph's own writer, the same statements, unsorted, uncompressed
    for name, fmt in [
        ("dataset.ttl", ox.RdfFormat.TURTLE),
        ("dataset.nt.gz", ox.RdfFormat.N_TRIPLES),
        ("dataset.nq.gz", ox.RdfFormat.N_QUADS),
        ("dataset.trig", ox.RdfFormat.TRIG),
        ("dataset.jsonld", ox.RdfFormat.JSON_LD),
    ]:
        target = work / f"plain.{fmt.file_extension}"
        t = time.perf_counter()
        if fmt.supports_datasets:  # the named graphs, as the dump holds them
            quads = itertools.chain.from_iterable(
                db.quads_for_pattern(None, None, None, g) for g in named
            )
            ox.serialize(quads, str(target), fmt)
        else:  # the default graph: the merge, as the dump's triples are
            db.dump(str(target), fmt, from_graph=ox.DefaultGraph())
        plain[name] = (time.perf_counter() - t, target.stat().st_size)
        target.unlink()
    lines = [
        "| dump file | bytes | baseline: pyoxigraph's writer alone, s | its bytes |",
        "|---|---:|---:|---:|",
    ]
    for name, (s, size) in plain.items():
        lines.append(f"| {name} | {(out / name).stat().st_size:,} | {s:.1f} | {size:,} |")
    sessions = [f for f in files if "/meetings/" in str(f)]
    total = sum(f.stat().st_size for f in files)
    plain_s = sum(s for s, _ in plain.values())
    nt = gzip.decompress((out / "dataset.nt.gz").read_bytes())
    t = time.perf_counter()
    ox.serialize(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE)
    ox_ttl = time.perf_counter() - t
    if len(db) <= max_quads:
        rdf_s, stopped = rdflib_turtle(nt, budget)
        rdflib_cell = f"stopped at {budget:g} s" if stopped else f"{rdf_s:.1f} s"
        versus = f"{'≤ ' if stopped else ''}{ratio(ox_ttl, rdf_s)}"
    else:  # parsing 10,000 sessions into rdflib took 18 GB before its writer began
        rdflib_cell, versus = f"not attempted above {max_quads:,} quads", "—"
    shutil.rmtree(out.resolve(), ignore_errors=True)
    out.unlink(missing_ok=True)
    return [
        *lines,
        "",
        f"Whole dump (`committee-kg dump`: the five files above, {len(sessions):,} session "
        f"files, VoID, DCAT, SHA256SUMS; {len(files):,} files, {total:,} bytes): "
        f"**{whole:.1f} s**, against {plain_s:.1f} s for pyoxigraph's writer alone on the five "
        f"(unsorted, uncompressed; for Turtle and N-Triples the store's own dump of its default "
        f"graph, for N-Quads, TriG and JSON-LD the named graphs' quads handed over from Python, "
        f"as the store cannot write its named graphs alone): ratio {ratio(whole, plain_s)}. "
        f"Turtle of the "
        f"dataset from its N-Triples in memory: pyoxigraph {ox_ttl:.1f} s, rdflib "
        f"{rdflib_cell} (ratio pyoxigraph / rdflib {versus}).",
    ]


# -- one size, and the whole run ------------------------------------------------------------


def measure(n: int, work: Path, args) -> list[str]:
    started = time.perf_counter()
    corpus, store = work / f"corpus-{n}", work / f"store-{n}"
    files = generate(n, corpus)
    shutil.rmtree(store, ignore_errors=True)

    def say(what: str) -> None:
        print(f"# {n}: {what} ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)

    say("corpus generated; ingesting")
    ingest_lines, ingest = ingest_section(n, corpus, store, work)
    say("ingested; stages")
    stages = stages_section(stage_split(files, args.sample, work), ingest, n)
    say("re-ingest, re-validate")
    again = again_section(n, store, ingest["rate"])
    say("serving: catalogue")
    server, base = cat.serve(store)
    try:
        params = cat.parameters(Snapshot(store), synthetic=True)
        cold, warm, rows = cat.http_rounds(store, base, params, args.rounds)
        say("graph API")
        views = api_latency(store, base, args.graph_rounds, params={})
        say("load")
        load = load_section(server, base, params, args.clients, args.load_seconds)
    finally:
        server.terminate()
        server.wait(30)
    say("rdflib")
    in_memory, note = rdflib_section(
        store, params, args.rdflib_rounds, args.rdflib_budget, args.rdflib_max_quads
    )
    say("dump")
    dump = dump_section(store, work, args.rdflib_budget, args.rdflib_max_quads)
    say("done")
    ingest_lines.append(
        f"live/ on disk once every measurement of this size is done (RocksDB compacts in its "
        f"own time): {mb(disk(store / 'live'))}."
    )
    return [
        f"## {n:,} sessions ({time.perf_counter() - started:.0f} s to measure, load average "
        f"{os.getloadavg()[0]:.1f} at the end)",
        "",
        "### Ingest",
        "",
        *ingest_lines,
        "",
        "Where the time goes:",
        "",
        *stages,
        "",
        "### Re-ingest and re-validate",
        "",
        *again,
        "",
        f"### Catalogue over HTTP ({args.rounds} rounds)",
        "",
        *catalogue_table(cold, warm, rows, in_memory, note, args.rdflib_budget),
        "",
        f"### Graph API ({args.graph_rounds} rounds)",
        "",
        *graph_table(views),
        "",
        "### Dump",
        "",
        *dump,
        "",
        "### Throughput",
        "",
        *load,
        "",
    ]


def header(load_start: tuple, started: datetime, seconds: float) -> list[str]:
    def version(dist: str) -> str:
        return importlib.metadata.version(dist)

    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    end = os.getloadavg()
    return [
        f"# bench/run, {started:%Y-%m-%d %H:%M}",
        "",
        f"- machine: {os.cpu_count()} CPUs, {ram / 2**30:.1f} GiB RAM, {platform.platform()}; "
        f"load average (1, 5, 15 min) at the start {' '.join(f'{x:.2f}' for x in load_start)}, "
        f"at the end {' '.join(f'{x:.2f}' for x in end)}",
        f"- commit {commit}; Python {platform.python_version()}, pyoxigraph "
        f"{version('pyoxigraph')}, rdflib {version('rdflib')}, pyshacl-turbo "
        f"{version('pyshacl-turbo')}",
        f"- wall time of the run: {seconds / 60:.1f} min",
        "",
        "Ratios are ours ÷ baseline in time (for rates, the baseline's rate ÷ ours): below 1, "
        "ours is the faster. p95/p99 are nearest-rank.",
        "",
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000], help="sessions per corpus")
    ap.add_argument("--out", type=Path, help="default: bench/results/run-<date>.md")
    ap.add_argument("--work", type=Path, help="corpora and stores (default: a temporary one)")
    ap.add_argument("--sample", type=int, default=200, help="sessions timed stage by stage")
    ap.add_argument("--rounds", type=int, default=5, help="catalogue rounds")
    ap.add_argument("--graph-rounds", type=int, default=3)
    ap.add_argument("--rdflib-rounds", type=int, default=3)
    ap.add_argument("--rdflib-budget", type=float, default=30, help="seconds per rdflib run")
    ap.add_argument("--rdflib-max-quads", type=int, default=5_000_000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--load-seconds", type=float, default=30)
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, *rest = args.child
        print(json.dumps({"ingest": child_ingest, "bulk": child_bulk}[kind](*rest)))
        return
    started, load_start, t = datetime.now(), os.getloadavg(), time.perf_counter()
    out = args.out or ROOT / "bench" / "results" / f"run-{started:%Y-%m-%d}.md"
    temporary = args.work is None
    work = args.work or Path(tempfile.mkdtemp(prefix="ckg-run-"))
    work.mkdir(parents=True, exist_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    body: list[str] = []
    try:
        for n in args.sizes:  # the table so far written after each size: a long run that
            body += measure(n, work, args)  # stops at 40,000 keeps what it measured
            text = "\n".join(header(load_start, started, time.perf_counter() - t) + body)
            out.write_text(text, encoding="utf-8")
    finally:
        if temporary:
            shutil.rmtree(work, ignore_errors=True)
    print(text)
    print(f"written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
