"""Helpers for tests that read a store's quads: what was stored is its named graphs; the
default graph is derived from them (their merge, each triple once: issue 15)."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset


def named_quads(db: ox.Store) -> list[ox.Quad]:
    """Every quad of the store's named graphs."""
    return [q for q in db if isinstance(q.graph_name, ox.NamedNode)]


def named_nquads(db: ox.Store) -> bytes:
    """The named graphs as N-Quads."""
    return ox.serialize(named_quads(db), format=ox.RdfFormat.N_QUADS)


def rdflib_union(db: ox.Store) -> Dataset:
    """The store's named graphs in rdflib, whose default graph is then their union as a set
    (``default_union``): the independent answer the store's default graph must match."""
    ds = Dataset(default_union=True)
    ds.parse(data=named_nquads(db).decode("utf-8"), format="nquads")
    return ds


def copies(ntriples: bytes, graph_name: str, day: str, days: list[str]) -> list[tuple[str, bytes]]:
    """One converted session moved to other days, as (graph name, N-Triples): every copy
    names the same committee, members, officers, agreements and appeals — the worst case
    for a union that repeats shared triples (issue 15). Each copy gets a source document
    of its own (another sha256), as a different file would."""
    text = ntriples.decode("utf-8")
    (sha,) = set(re.findall(r"/id/source/([0-9a-f]{64})", text))
    out = []
    for other in days:
        moved = text.replace(day, other).replace(sha, hashlib.sha256(other.encode()).hexdigest())
        out.append((graph_name.replace(day, other), moved.encode("utf-8")))
    return out


def days_from(first: str, n: int, step: int = 7) -> list[str]:
    """n days a week apart, from ``first`` (ISO)."""
    start = date.fromisoformat(first)
    return [(start + timedelta(days=step * k)).isoformat() for k in range(n)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serving(store: Path, *extra: str) -> Iterator[str]:
    """``committee-kg serve`` on the store, as a real process; yields its URL."""
    port = free_port()
    command = [sys.executable, "-m", "committee_kg.server.cli", "serve", "--store", str(store)]
    proc = subprocess.Popen([*command, "--port", str(port), *extra], stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(400):
            try:
                urllib.request.urlopen(url + "/health", timeout=1)
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
        assert b"Traceback" not in err, err.decode("utf-8", "replace")


def sparql_csv(url: str, query: str, **params: str | list[str]) -> list[dict[str, str]]:
    """A query over HTTP (GET /sparql), its rows as dicts of strings."""
    qs = urllib.parse.urlencode({"query": query, "format": "csv", **params}, doseq=True)
    with urllib.request.urlopen(f"{url}/sparql?{qs}", timeout=60) as r:
        return list(csv.DictReader(io.StringIO(r.read().decode("utf-8"))))


TEMPLATE = "JP-35_2025-04-09.txt"  # an example session, a Wednesday
TEMPLATE_DATE = "令和７年４月９日（水）"


def session_files(examples: Path, directory: Path, n: int, first: int = 0) -> list[Path]:
    """n distinct source files: the template minutes moved to other days of 2025."""
    text = (examples / TEMPLATE).read_text(encoding="utf-8")
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    out = []
    for k in range(first, first + n):
        day = date(2025, 1, 1) + timedelta(days=k)
        written = f"令和７年{day.month}月{day.day}日（{'月火水木金土日'[day.weekday()]}）"
        path = directory / f"s{k:03d}.txt"
        path.write_text(text.replace(TEMPLATE_DATE, written.translate(wide)), encoding="utf-8")
        out.append(path)
    return out
