"""The store on a SPARQL server (issue 20): `committee-kg ingest --store http://…/sparql`, then
`query`, `sessions`, `dump` and `validate --store` over the same URL, give what the embedded
store gives; each test runs on the embedded store and on Virtuoso (parametrized), so that the
two stay equal. The default graph stays the merge of the graphs as a set through replacement
and removal (issue 15), on the server as in the embedded store."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from committee_kg.server.store.remote import open_snapshot

from .support import example_files
from .support.virtuoso import PASSWORD, USER, as_virtuoso_gives
from .test_replicas import _cases, rows

pytestmark = pytest.mark.slow

CLI = [sys.executable, "-m", "committee_kg.server.cli"]
BASE = "https://w3id.org/committee-kg/"
ENV = {"COMMITTEE_KG_STORE_USER": USER, "COMMITTEE_KG_STORE_PASSWORD": PASSWORD}


def run(*argv, cwd=None) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [*CLI, *map(str, argv)],
        capture_output=True,
        timeout=600,
        cwd=cwd,
        env={**os.environ, **ENV},
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b"Traceback" not in done.stderr
    return done


@pytest.fixture(params=["embedded", "virtuoso"])
def store(request, tmp_path):
    """Where the test's store is: a new directory, or a Virtuoso emptied of our graphs."""
    if request.param == "embedded":
        yield str(tmp_path / "store")
        return
    server = request.getfixturevalue("virtuoso")
    server.clear(BASE)
    yield server.url
    server.clear(BASE)


def _expected(snapshot, virtuoso: bool) -> dict[str, Counter]:
    out = {}
    for name, text in _cases(snapshot.base):
        answer = rows(snapshot.query(text))
        if virtuoso:
            answer = Counter({as_virtuoso_gives(r): n for r, n in answer.items()})
        out[name] = answer
    return out


def test_ingest_then_read_over_the_store_gives_what_the_embedded_store_gives(
    store, example_store, tmp_path
):
    run("ingest", "--store", store, *example_files(), cwd=tmp_path)
    assert not any(p.name.startswith("http") for p in tmp_path.iterdir())
    mine = open_snapshot(store)
    reference = open_snapshot(example_store)
    virtuoso = store.startswith("http")
    expected = _expected(reference, virtuoso)
    got = {n: rows(mine.query(t)) for n, t in _cases(BASE)}
    differ = {n: (expected[n] - got[n], got[n] - expected[n]) for n in got if got[n] != expected[n]}
    assert not differ, differ
    assert [s.meeting for s in mine.sessions()] == [s.meeting for s in reference.sessions()]
    # the command line over the URL: a catalogue query, the sessions, the dumps, validation
    csv = run("query", "--store", store, "--name", "meetings-per-year", "--format", "csv")
    assert csv.stdout.decode().count("\n") == 1 + sum(expected["meetings-per-year[none]"].values())
    listed = run("sessions", "--store", store).stdout.decode().splitlines()
    assert len(listed) == len(example_files())
    run("dump", "--store", store, "--out", tmp_path / "dumps")
    run("dump", "--store", example_store, "--out", tmp_path / "reference-dumps")
    ours, theirs = tmp_path / "dumps" / "meetings", tmp_path / "reference-dumps" / "meetings"
    files = sorted(str(p.relative_to(theirs)) for p in theirs.rglob("*.ttl"))
    assert files and sorted(str(p.relative_to(ours)) for p in ours.rglob("*.ttl")) == files
    # byte for byte: a server holds each literal in the embedded store's canonical form
    # (xsd:nonNegativeInteger offsets as xsd:integer), so the dumps are the same files
    _, mismatch, errors = filecmp.cmpfiles(ours, theirs, files, shallow=False)
    assert not mismatch and not errors
    checked = run("validate", "--store", store).stdout.decode()
    assert f"{len(files)} session(s) checked: 0 invalid" in checked


def _merge(db) -> set:
    """The store's default graph, as a set of triples (what a query without FROM reads)."""
    return {(r["s"], r["p"], r["o"]) for r in db.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")}


def _union_of_graphs(db) -> set:
    """The union of the stored named graphs, computed here from each graph."""
    out = set()
    for g in db.named_graphs():
        out |= {
            (q.subject, q.predicate, q.object) for q in db.quads_for_pattern(None, None, None, g)
        }
    return out


def test_replacing_and_removing_sessions_keeps_the_default_graph_their_merge(store, tmp_path):
    files = example_files()[:4]
    run("ingest", "--store", store, *files, cwd=tmp_path)
    # one session again, changed: its remarks gone, a title reworded
    changed = tmp_path / files[0].name
    text = files[0].read_text(encoding="utf-8")
    shutil.copy(files[0], changed)
    lines = [ln for ln in text.splitlines() if "発言" not in ln]
    changed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run("ingest", "--store", store, changed, cwd=tmp_path)
    snap = open_snapshot(store)
    merge = _merge(snap.db)
    assert merge == _union_of_graphs(snap.db)
    sessions = snap.sessions()
    run("sessions", "--store", store, "--remove", sessions[0].meeting, sessions[1].meeting)
    snap = open_snapshot(store)
    after = _merge(snap.db)
    assert after == _union_of_graphs(snap.db)
    assert len(after) < len(merge)
    assert [s.meeting for s in snap.sessions()] == [s.meeting for s in sessions[2:]]
    # the removed sessions' own nodes are gone from the default graph
    gone = ox.NamedNode(sessions[0].meeting)
    assert not [t for t in after if t[0] == gone]


def test_a_server_that_refuses_the_credentials_is_said_in_one_line(virtuoso, tmp_path):
    done = subprocess.run(
        [*CLI, "ingest", "--store", virtuoso.url, str(example_files()[0])],
        capture_output=True,
        timeout=300,
        cwd=tmp_path,
        env={**os.environ, "COMMITTEE_KG_STORE_USER": "dba", "COMMITTEE_KG_STORE_PASSWORD": "no"},
    )
    err = done.stderr.decode()
    assert done.returncode == 4, err
    assert "store_user and store_password" in err and "Traceback" not in err
    assert not list(Path(tmp_path).iterdir())
