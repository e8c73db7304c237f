"""Re-validating a stored store: every session checked again, in worker processes, with the
same findings as pyshacl on the same stored graph."""

from __future__ import annotations

import subprocess
import sys

import pyoxigraph as ox
import pytest
from rdflib import Graph

from committee_kg.loaders.validate import validate_pyshacl, validate_stored
from committee_kg.server.store.ingest import ingest
from committee_kg.server.store.revalidate import revalidate
from committee_kg.server.store.store import Store

from .support import EXAMPLES

pytestmark = pytest.mark.slow  # ingest, and revalidation in worker processes

CKG = "https://w3id.org/committee-kg/ontology#"


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """A store of every example session, one of them then broken in place: its chair no
    longer among the members present (as an older parser or a hand edit could leave it)."""
    path = tmp_path_factory.mktemp("revalidate") / "store"
    files = sorted(EXAMPLES.glob("*.txt"))
    store = Store(path)
    assert all(o.status == "loaded" for o in ingest(store, files))
    broken = next(
        row[0].value
        for row in store.db.query(
            f"SELECT ?g WHERE {{ GRAPH ?g {{ ?m <{CKG}chair> ?c }} }} ORDER BY ?g LIMIT 1"
        )
    )
    store.db.update(
        f"""DELETE {{ GRAPH <{broken}> {{ ?m <{CKG}memberPresent> ?c }} }}
        WHERE {{ GRAPH <{broken}> {{ ?m <{CKG}chair> ?c ; <{CKG}memberPresent> ?c }} }}"""
    )
    store.publish()
    store.close()
    return path, broken, len(files)


def test_every_session_checked_and_the_broken_one_refused(stored):
    path, broken, n = stored
    checked = list(revalidate(path, workers=2))
    assert len(checked) == n
    assert [c.graph for c in checked] == sorted(c.graph for c in checked)
    invalid = [c for c in checked if not c.conforms]
    assert [c.graph for c in invalid] == [broken]
    rules = {f.shape.rsplit("#", 1)[-1] for f in invalid[0].findings if f.severity == "violation"}
    assert "ChairIsPresent" in rules
    assert all(c.engine == "fast" for c in checked if c.conforms)


def test_one_process_and_several_agree(stored):
    path, _, _ = stored
    one = [(c.graph, c.conforms, [f.line() for f in c.findings]) for c in revalidate(path, 1)]
    two = [(c.graph, c.conforms, [f.line() for f in c.findings]) for c in revalidate(path, 2)]
    assert one == two


def test_stored_text_gives_pyshacls_findings(stored):
    """The fast path on the store's own N-Triples finds what pyshacl finds on that graph."""
    path, broken, _ = stored
    db = ox.Store.read_only(str(path / "live"))
    for name in (broken, *[c.graph for c in revalidate(path, 1)][:3]):
        text = db.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name)).decode()
        fast = validate_stored(text)
        reference = validate_pyshacl(Graph().parse(data=text, format="nt"))
        assert [f.line() for f in fast.findings] == [f.line() for f in reference.findings]
        assert fast.conforms == reference.conforms


def test_cli_exit_code_and_report(stored):
    path, broken, n = stored
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "committee_kg.server.cli",
            "validate",
            "--store",
            str(path),
            "--workers",
            "2",
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 3, run.stderr
    assert f"(graph {broken}): INVALID" in run.stdout
    assert "ChairIsPresent" in run.stdout
    assert f"{n} session(s) checked: 1 invalid" in run.stdout


def test_cli_refuses_files_and_store_together(stored, tmp_path):
    path, _, _ = stored
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "committee_kg.server.cli",
            "validate",
            "--store",
            str(path),
            "x.txt",
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    assert "not both" in run.stderr
