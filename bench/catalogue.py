"""Latency of every catalogue query over HTTP, beside the same queries on rdflib in memory.

For each corpus — the example minutes, and N sessions from bench/generate.py — the script
builds a store, starts ``committee-kg serve`` on it (waitress, query worker processes), and
measures each catalogue query:

- cold: the first run on a new store generation (a generation is published before each
  round, so the per-generation result cache is empty; the workers, which look for a new
  generation while idle, have opened it — the benchmark waits 1.5 s for that);
- warm: the same request again on that generation (answered from the result cache);
- rdflib: the same query text on an rdflib Dataset in memory (default graph = union), in
  this process, no HTTP — the baseline the issue asks for.

Figures are medians over rounds. Run:

    .venv/bin/python bench/catalogue.py [--sessions 5000] [--rounds 5] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import math
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402
from committee_kg.loaders.pipeline import convert  # noqa: E402
from committee_kg.server.query.catalogue import catalogue  # noqa: E402
from committee_kg.server.store.store import Snapshot, Store  # noqa: E402

SERVE = [sys.executable, "-m", "committee_kg.server.cli", "serve"]
# idle workers look for a new generation every 0.5 s and open it before queries come
PICKUP = 1.5
LIMITS = ["--timeout", "120", "--max-rows", "100000"]  # measure the queries, not the caps
EXAMPLES = sorted((ROOT / "examples" / "minutes").glob("*.txt"))


def _convert(job: tuple[str, str | None]) -> tuple[str, bytes]:
    path, committee = job
    conv = convert(path, committee=committee)
    return str(conv.graph_name), conv.graph.serialize(format="nt", encoding="utf-8")


def build(store_dir: Path, files: list[tuple[Path, str | None]]) -> float:
    """A fresh store of these files: the quads ingest would store, without validation (the
    ingest's business, not the query benchmark's); return the seconds it took."""
    t = time.perf_counter()
    store = Store(store_dir)
    store.load_reference()
    jobs = [(str(p), c) for p, c in files]
    with ProcessPoolExecutor(2) as pool, store.batch():
        # a few hundred sessions at a time: the writer is the slower side, and converted
        # sessions waiting for it would otherwise pile up in memory (gigabytes at 40,000)
        for k in range(0, len(jobs), 512):
            converted = pool.map(_convert, jobs[k : k + 512], chunksize=16)
            for name, nt in converted:
                # as ingest writes: journaled, bulk-loaded about a hundred sessions at a
                # time (not one tiny file a session), the default graph kept the merge
                store.replace_graph(name, nt)
    store.db.optimize()
    store.publish()
    store.close()
    return time.perf_counter() - t


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[float, bytes, dict]:
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as r:
        body = r.read()
        headers = dict(r.headers)
    return time.perf_counter() - t, body, headers


def parameters(snapshot: Snapshot, synthetic: bool) -> dict[str, dict[str, str]]:
    """Values for required parameters that exist in this corpus."""
    out = {}
    for q in catalogue().values():
        out[q.name] = {p.name: p.example for p in q.params if p.required}
    if synthetic:
        ckg = "https://w3id.org/committee-kg/ontology#"
        meeting = next(
            iter(snapshot.query(f"SELECT ?m WHERE {{ ?m a <{ckg}Meeting> }} ORDER BY ?m LIMIT 1"))
        )["m"].value
        appeal = next(
            iter(
                snapshot.query(
                    f"SELECT ?a WHERE {{ ?i <{ckg}concerns> ?a ; <{ckg}outcome> ?o . "
                    f"?a a <{ckg}Appeal> }} ORDER BY ?a LIMIT 1"
                )
            )
        )["a"].value
        out["session"] = {"meeting": meeting}
        out["appeal-path"] = {"appeal": appeal}
    return out


def serve(store_dir: Path) -> tuple[subprocess.Popen, str]:
    """``committee-kg serve`` on this store (limits off), once /health answers."""
    port = free_port()
    server = subprocess.Popen(
        [*SERVE, "--store", str(store_dir), "--port", str(port), *LIMITS],
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base)
    return server, base


def wait_until_up(base: str, seconds: float = 20) -> None:
    """Until the server at base answers /health (at most ``seconds``)."""
    for _ in range(int(seconds * 10)):
        try:
            fetch(base + "/health")
            return
        except OSError:
            time.sleep(0.1)


def http_rounds(store_dir: Path, base: str, params: dict, rounds: int):
    """Each catalogue query cold (first on a new generation) and warm (again), ``rounds``
    times; (cold seconds, warm seconds, rows) per query."""
    names = sorted(catalogue())
    cold: dict[str, list[float]] = {n: [] for n in names}
    warm: dict[str, list[float]] = {n: [] for n in names}
    row_counts: dict[str, int] = {}
    for _ in range(rounds):
        store = Store(store_dir)  # a new generation: workers reopen, the cache is stale
        store.publish()
        store.close()
        time.sleep(PICKUP)
        for n in names:
            url = f"{base}/api/queries/{n}?" + urllib.parse.urlencode(
                {**params[n], "format": "json"}
            )
            dt, body, headers = fetch(url)
            assert headers.get("X-Committee-KG-Cache") != "hit"
            cold[n].append(dt)
            row_counts[n] = len(json.loads(body)["results"]["bindings"])
            warm[n].append(fetch(url)[0])
    return cold, warm, row_counts


def rdflib_dataset(store_dir: Path) -> tuple[Dataset, float]:
    """The store's named graphs (not the merge) in an rdflib Dataset whose default graph is
    their union; and the seconds the parse took."""
    snapshot = Snapshot(store_dir)
    t = time.perf_counter()
    ds = Dataset(default_union=True)
    named = (q for q in snapshot.db if isinstance(q.graph_name, ox.NamedNode))  # not the merge
    ds.parse(data=ox.serialize(named, format=ox.RdfFormat.N_QUADS).decode(), format="nquads")
    return ds, time.perf_counter() - t


def rdflib_latency(ds: Dataset, base_iri: str, params: dict, rounds: int, budget: float):
    """Seconds of each catalogue query on rdflib in memory, per round (one run past the
    budget ends that query's rounds)."""
    in_memory: dict[str, list[float]] = {n: [] for n in sorted(catalogue())}
    for n in in_memory:
        text = catalogue()[n].render(params[n], base_iri)
        for _ in range(rounds):
            in_memory[n].append(_timed_rdflib(ds, text, budget))
            if in_memory[n][-1] >= budget:
                break  # one run past the budget says enough
    return in_memory


def measure(
    label: str, store_dir: Path, synthetic: bool, rounds: int, rdflib_rounds: int, budget: float
):
    snapshot = Snapshot(store_dir)
    params = parameters(snapshot, synthetic)
    names = sorted(catalogue())
    server, base = serve(store_dir)
    try:
        cold, warm, row_counts = http_rounds(store_dir, base, params, rounds)
    finally:
        server.terminate()
        server.wait(30)

    http_ms = {n: statistics.median(cold[n]) * 1000 for n in names}
    print(f"{label}: HTTP cold medians (ms), rdflib to follow: {json.dumps(http_ms)}", flush=True)
    if not rdflib_rounds:
        return report(label, names, cold, warm, None, row_counts, 0.0, budget)
    ds, load = rdflib_dataset(store_dir)  # the generation opened above is gone by now
    in_memory = rdflib_latency(ds, snapshot.base, params, rdflib_rounds, budget)
    return report(label, names, cold, warm, in_memory, row_counts, load, budget)


class _OverBudget(Exception):
    pass


def _alarm(_signum, _frame):
    raise _OverBudget


def _timed_rdflib(ds: Dataset, text: str, budget: float) -> float:
    """Seconds rdflib takes for one query, or the budget if it takes longer: rdflib is pure
    Python, so a timer signal stops it between two bytecodes and the dataset stays usable."""
    signal.signal(signal.SIGALRM, _alarm)
    t = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, budget)
    try:
        ds.query(text).serialize(format="json")
    except _OverBudget:
        return budget
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return time.perf_counter() - t


def report(label, names, cold, warm, in_memory, row_counts, load, budget) -> dict:
    if in_memory is None:  # --rdflib-rounds 0: HTTP figures only
        in_memory = {n: [float("nan")] for n in names}
    ms = {
        k: {n: statistics.median(v[n]) * 1000 for n in names}
        for k, v in (("cold", cold), ("warm", warm), ("rdflib", in_memory))
    }
    lines = [
        f"### {label}",
        "",
        "| query | rows | HTTP cold (ms) | HTTP warm, cached (ms) | rdflib in memory (ms) "
        "| rdflib / cold |",
        "|---|---:|---:|---:|---:|---:|",
    ]

    def baseline(rdflib_ms: float, cold_ms: float, bold: str = "") -> str:
        if math.isnan(rdflib_ms):
            return "| — | — |"
        mark = "≥ " if rdflib_ms >= budget * 1000 else ""  # stopped at the budget: a bound
        ratio = rdflib_ms / cold_ms
        return f"| {bold}{mark}{rdflib_ms:.1f}{bold} | {bold}{mark}{ratio:.1f}x{bold} |"

    for n in names:
        lines.append(
            f"| {n} | {row_counts[n]} | {ms['cold'][n]:.1f} | {ms['warm'][n]:.1f} "
            + baseline(ms["rdflib"][n], ms["cold"][n])
        )
    med = {k: statistics.median(v.values()) for k, v in ms.items()}
    lines.append(
        f"| **median of the catalogue** | | **{med['cold']:.1f}** | **{med['warm']:.1f}** "
        + baseline(med["rdflib"], med["cold"], "**")
    )
    lines.append("")
    if not math.isnan(med["rdflib"]):
        lines.append(
            f"rdflib parse of the dataset (not in the figures): {load:.1f} s; an rdflib query "
            f"still running after {budget:g} s was stopped, and its figure (≥) is a lower bound"
        )
    print("\n".join(lines), flush=True)
    return {"label": label, "median": med, "per_query": ms}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=5000, help="synthetic sessions (0: none)")
    ap.add_argument("--rounds", type=int, default=5, help="cold rounds (new generations)")
    ap.add_argument("--rdflib-rounds", type=int, default=3, help="0: HTTP figures only")
    ap.add_argument("--rdflib-budget", type=float, default=120, help="seconds per rdflib query")
    ap.add_argument("--work", type=Path, help="keep the corpus and stores here")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="ckg-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    examples_store = work / "examples-store"
    if not (examples_store / "CURRENT").exists():
        build(examples_store, [(p, None) for p in EXAMPLES])
    measure(
        f"example minutes ({len(EXAMPLES)} sessions)",
        examples_store,
        False,
        args.rounds,
        args.rdflib_rounds,
        args.rdflib_budget,
    )
    if args.sessions:
        corpus = work / f"corpus-{args.sessions}"
        store_dir = work / f"store-{args.sessions}"
        if not (store_dir / "CURRENT").exists():
            t = time.perf_counter()
            files = generate(args.sessions, corpus)
            print(f"generated {len(files)} sessions in {time.perf_counter() - t:.1f} s")
            print(f"converted and stored them in {build(store_dir, files):.1f} s", flush=True)
        measure(
            f"generated corpus ({args.sessions} sessions)",
            store_dir,
            True,
            args.rounds,
            args.rdflib_rounds,
            args.rdflib_budget,
        )


if __name__ == "__main__":
    main()
