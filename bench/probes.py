"""The probes of issue 16, against a real server on a loopback port: what each did, and
that nothing was lost. Prints the Markdown table the README's Reliability section holds.

    .venv/bin/python bench/probes.py                  # this checkout, ~1.5 min
    .venv/bin/python bench/probes.py --checkout DIR   # the same probes against another one

The server is `committee-kg serve --timeout 3` (as the issue probed it) over the example
minutes and the seed (when the workplace's seeds are beside the checkout), with
worker_memory_mb 256 so that the memory cap shows within the time limit. Every client
wait is bounded: a probe that the server does not answer says so and the suite goes on.
Traffic goes to loopback only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.server import (  # noqa: E402
    OTHER_CLIENT,
    Listener,
    call,
    call_from,
    ingest,
    start_server,
    stop_server,
)

TIMEOUT = 3
ENV = {"COMMITTEE_KG_WORKER_MEMORY_MB": "256"}
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . # %d\n}"
MEETINGS = (
    "SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE "
    "{ ?m a <https://w3id.org/committee-kg/ontology#Meeting> }"
)


@dataclass
class Row:
    probe: str
    happened: str
    held: bool


def timed(fn, *args, **kw):
    started = time.monotonic()
    try:
        return fn(*args, **kw), time.monotonic() - started
    except OSError as exc:
        return exc, time.monotonic() - started


def query(url: str, text: str, timeout: float = 30):
    return call(f"{url}/sparql?" + urllib.parse.urlencode({"query": text}), timeout=timeout)


def _port(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


# -- the server's processes ---------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    out = []
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            ppid = int((p / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid:
            out.append(int(p.name))
    return out


def workers(pid: int) -> list[int]:
    """The query workers: the fork server's children."""
    return sorted(w for c in _children(pid) for w in _children(c))


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


def pss_mb(pids: list[int]) -> float:
    """The proportional set size of the processes together: a page shared by the server and
    the workers it forked counted once, where their RSS counts it in each."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError):
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            total += next(int(ln.split()[1]) for ln in rollup.splitlines() if ln.startswith("Pss:"))
    return total / 1024


def tree(pid: int) -> list[int]:
    out, todo = [pid], [pid]
    while todo:
        kids = _children(todo.pop())
        out += kids
        todo += kids
    return out


# -- the probes -----------------------------------------------------------------------------------


def probe_service(url: str) -> Row:
    variants = {
        "#\\r comment": "SELECT ?s WHERE {{ #\rSERVICE <{u}> {{ ?x ?y ?z }} \n}}",
        "service:x": "PREFIX : <{u}/> SELECT * WHERE {{ service:x {{ ?s ?p ?o }} }}",
        "SERVICESILENT<…>": "SELECT * WHERE {{ SERVICESILENT<{u}>{{ ?x ?y ?z }} }}",
        "SERVICEx:y": "PREFIX x: <{u}/> SELECT * WHERE {{ SERVICEx:y {{ ?x ?y ?z }} }}",
    }
    seen, statuses, leaked = 0, [], False
    for template in variants.values():
        with Listener() as target:
            status, _, body = query(url, template.format(u=target.url))
            time.sleep(0.2)
            seen += target.connections
        statuses.append(status)
        leaked |= Listener.SECRET in body
    held = seen == 0 and not leaked
    return Row(
        f"SERVICE past the check ({', '.join(variants)}), GET",
        f"statuses {statuses}; the internal listener saw {seen} connection(s); "
        f"its answer {'was' if leaked else 'was not'} copied into a response",
        held,
    )


def probe_half_open(url: str) -> Row:
    held = []
    try:
        for _ in range(99):
            s = socket.create_connection(("127.0.0.1", _port(url)))
            with contextlib.suppress(OSError):
                s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Half: aaa")
            held.append(s)
        time.sleep(0.3)
        answer, seconds = timed(call_from, url, "/health", OTHER_CLIENT, timeout=10)
        ok = not isinstance(answer, Exception) and answer[0] == 200
        health = (
            f"/health from another address: {answer[0]} in {seconds:.2f} s"
            if ok
            else (f"/health from another address: no answer in {seconds:.0f} s")
        )
        started, open_ = time.monotonic(), set(range(len(held)))
        while open_ and time.monotonic() - started < 30:
            for k in list(open_):
                held[k].settimeout(0.01)
                try:
                    if held[k].recv(4096) == b"":
                        open_.discard(k)
                except TimeoutError:
                    pass
                except OSError:
                    open_.discard(k)
        freed = time.monotonic() - started
    finally:
        for s in held:
            s.close()
    closed = (
        f"all closed by the server within {freed:.1f} s"
        if not open_
        else (f"{len(open_)} still open after {freed:.0f} s")
    )
    return Row(
        "99 half-open connections (half a header line, then silence)",
        f"{health}; {closed}",
        ok and not open_,
    )


def probe_trickle(url: str) -> Row:
    sock = socket.create_connection(("127.0.0.1", _port(url)))
    sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    started, closed = time.monotonic(), False
    try:
        while not closed and time.monotonic() - started < 30:
            sock.sendall(b"a")
            sock.settimeout(0.5)
            with contextlib.suppress(TimeoutError):
                closed = sock.recv(4096) == b""
    except OSError:
        closed = True
    finally:
        sock.close()
    spent = time.monotonic() - started
    said = f"cut off after {spent:.1f} s" if closed else f"still connected after {spent:.0f} s"
    return Row("a client sending its request a byte every 0.5 s", said, closed)


def probe_long_path(url: str) -> Row:
    said, ok = [], True
    for name, path in (
        ("10 KB", "/id/" + "a/" * 5 * 1024),
        ("80 KB", "/id/" + "a/" * 40 * 1024),
        ("2 KB of 1,000 levels", "/id/" + "a/" * 1000),
    ):
        answer, seconds = timed(call, url + path, headers={"Accept": "text/html"}, timeout=60)
        status = answer[0] if not isinstance(answer, Exception) else "no answer"
        said.append(f"{name}: {status} in {seconds:.2f} s")
        ok &= status in (404, 414, 431) and seconds < 2
    return Row("long /id/ paths (the not-found page walked every ancestor)", "; ".join(said), ok)


def probe_runaway(url: str) -> Row:
    answers: list = []

    def one(k: int):
        answers.append(query(url, RUNAWAY % k, timeout=60))

    threads = [threading.Thread(target=one, args=(k,)) for k in range(20)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    health, seconds = timed(call_from, url, "/health", OTHER_CLIENT, timeout=30)
    for t in threads:
        t.join(90)
    stopped = sum(1 for a in answers if a[0] == 503 and b"time limit" in a[2])
    waited = sum(1 for a in answers if a[0] == 503 and b"stayed busy" in a[2])
    busy = sum(1 for a in answers if a[0] == 503 and b"places" in a[2])
    other = [a[0] for a in answers if a[0] != 503]
    ok = not isinstance(health, Exception) and seconds < 2 and not other
    answered = (
        f"/health answered in {seconds:.2f} s while they ran"
        if not isinstance(health, Exception)
        else f"/health: no answer in {seconds:.0f} s"
    )
    said = (
        f"{answered}; {stopped} stopped at the time limit, {waited} waited for a worker in "
        f"vain, {busy} turned away at once (503, Retry-After)"
        + (f"; other statuses {other}" if other else "")
    )
    return Row("20 runaway queries at once", said, ok)


def probe_nesting(url: str, pid: int) -> Row:
    before = workers(pid)
    outcomes = []
    for name, text in (
        ("5,000 { }", "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000),
        ("5,000 ( )", "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"),
    ):
        status, _, _ = query(url, text)
        outcomes.append(f"{name}: {status}")
    time.sleep(0.5)
    replaced = len(set(before) - set(workers(pid)))
    ok = all(o.endswith("400") for o in outcomes) and replaced == 0
    return Row("deeply nested queries", f"{'; '.join(outcomes)}; {replaced} worker(s) crashed", ok)


def probe_memory(url: str, pid: int) -> Row:
    binds = " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(28))
    text = f'SELECT (STRLEN(?s28) AS ?n) WHERE {{ BIND("xxxxxxxx" AS ?s0) {binds} }}'
    before = rss_mb(workers(pid))
    peak, done = before, threading.Event()

    def watch():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, rss_mb(workers(pid)))
            time.sleep(0.05)

    watcher = threading.Thread(target=watch)
    watcher.start()
    (status, _, body), seconds = timed(query, url, text)
    done.set()
    watcher.join()
    detail = json.loads(body).get("detail", "") if status >= 400 else ""
    ok = status == 503 and "memory" in detail
    return Row(
        "a query doubling a string with CONCAT (28 times)",
        f"{status} after {seconds:.1f} s ({detail[:60]}…); the workers' memory went from "
        f"{before:.0f} MB to at most {peak:.0f} MB",
        ok,
    )


def probe_bad_iris(url: str) -> Row:
    paths = ["/id/%00", "/id/a%3Cb", "/id/a%22b", "/id/a%20b", "/graph/%3C"]
    statuses = [call(url + p, headers={"Accept": "text/html"})[0] for p in paths]
    said = ", ".join(f"{p} {s}" for p, s in zip(paths, statuses, strict=True))
    return Row("paths that are no IRI", said, all(s in (400, 404) for s in statuses))


def probe_proxy(url: str) -> Row:
    meeting = "/id/meeting/JP-35/2025-04-09"
    headers = {"X-Forwarded-Prefix": "//evil.example", "Accept": "text/html"}
    _, _, body = call_from(url, meeting, "127.0.0.1", headers)
    _, resp, _ = call_from(url, meeting.replace("/id/", "/graph/"), "127.0.0.1", headers)
    in_links = b"//evil.example" in body
    location = resp.get("Location", "")
    ok = not in_links and "evil" not in location
    return Row(
        "X-Forwarded-Prefix: //evil.example from a client that is no proxy",
        f"{'in' if in_links else 'not in'} the page's links; 303 Location {location}",
        ok,
    )


def state(url: str, pid: int) -> dict:
    status, _, body = call(url + "/health", timeout=10)
    _, _, rows = query(url, f"{MEETINGS} # {time.time()}")  # not a cached answer
    return {
        "health": status,
        "generation": json.loads(body).get("generation"),
        "sessions": json.loads(rows)["results"]["bindings"][0]["n"]["value"],
        "workers": len(workers(pid)),
        "memory_mb": round(rss_mb(tree(pid))),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--checkout", help="run the server of this checkout (default: this one)")
    ap.add_argument("--json", help="also write the rows here")
    args = ap.parse_args()
    if args.checkout:
        os.chdir(args.checkout)
    else:
        os.chdir(ROOT)
    seeds = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        ingest(store, *sorted((ROOT / "examples" / "minutes").glob("*.txt")), *seeds)
        proc, url = start_server(store, "--timeout", str(TIMEOUT), env=ENV)
        try:
            before = state(url, proc.pid)
            rows = [
                probe_service(url),
                probe_half_open(url),
                probe_trickle(url),
                probe_long_path(url),
                probe_runaway(url),
                probe_nesting(url, proc.pid),
                probe_memory(url, proc.pid),
                probe_bad_iris(url),
                probe_proxy(url),
            ]
            time.sleep(1)
            after = state(url, proc.pid)
        finally:
            log = stop_server(proc)
    lost = {k: (before[k], after[k]) for k in before if k != "memory_mb" and before[k] != after[k]}
    rows.append(
        Row(
            "after all of the above: nothing lost",
            f"/health {after['health']}, generation {after['generation']}, "
            f"{after['sessions']} sessions as before, {after['workers']} workers; server and "
            f"workers {before['memory_mb']} MB before, {after['memory_mb']} MB after; "
            f"{log.count('Traceback')} tracebacks in the log",
            not lost and "Traceback" not in log,
        )
    )
    print("| probe | what happened | held |")
    print("|---|---|---|")
    for r in rows:
        print(f"| {r.probe} | {r.happened} | {'yes' if r.held else '**no**'} |")
    if args.json:
        Path(args.json).write_text(json.dumps([r.__dict__ for r in rows], indent=1))


if __name__ == "__main__":
    main()
