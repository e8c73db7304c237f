"""The command line against a real on-disk store: ingest, query, dump, sessions, bad input."""

from __future__ import annotations

import csv
import gzip
import io
import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from .support import EXAMPLES, example_files
from .support.store import named_quads

pytestmark = pytest.mark.slow  # the command line as processes, ingest among them

COUNT_ITEMS = (
    "PREFIX ckg: <https://w3id.org/committee-kg/ontology#> "
    "SELECT (COUNT(?i) AS ?n) WHERE { ?m a ckg:Meeting ; ckg:agendaItem ?i }"
)


def cli(*args, check=False) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "committee_kg.server.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def all_quads(store: Path) -> set:
    """Every quad of the current generation, the default graph's too."""
    gen = (store / "CURRENT").read_text().strip()
    db = ox.Store.read_only(str(store / "generations" / gen))
    return {str(q) for q in db}


def stored_quads(store: Path) -> set:
    """The quads of the current generation's named graphs: what the dumps' N-Quads hold
    (the default graph is derived from them)."""
    gen = (store / "CURRENT").read_text().strip()
    return {str(q) for q in named_quads(ox.Store.read_only(str(store / "generations" / gen)))}


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("kg") / "store"
    cli("ingest", "--store", path, *example_files(), check=True)
    return path


def test_ingest_reports_and_is_idempotent(store):
    before = all_quads(store)
    gens = sorted((store / "generations").iterdir())
    again = cli("ingest", "--store", store, *example_files())
    assert again.returncode == 0
    assert f"0 loaded, {len(example_files())} unchanged" in again.stderr
    assert all_quads(store) == before
    assert sorted((store / "generations").iterdir()) == gens  # nothing new to publish


def test_ingest_stores_what_the_shared_example_store_holds(store, example_store):
    """The store the reading tests share is built in-process from the session's conversions
    (tests/support/stores.py); `committee-kg ingest` of the same files stores the same."""
    assert all_quads(store) == all_quads(example_store)
    assert sorted(p.name for p in (store / "sources").iterdir()) == sorted(
        p.name for p in (example_store / "sources").iterdir()
    )


def test_query_through_the_store(store):
    out = cli("query", "--store", store, "--format", "csv", COUNT_ITEMS, check=True).stdout
    expected = sum(
        len(json.loads(p.with_suffix(".expected.json").read_text())["items"])
        for p in example_files()
    )
    assert list(csv.reader(io.StringIO(out)))[1] == [str(expected)]


def test_sessions_lists_every_meeting(store):
    out = cli("sessions", "--store", store, check=True).stdout.splitlines()
    assert len(out) == len(example_files())
    assert any("2025-06-19-臨時会" in line for line in out)


def test_dump_round_trips(store, tmp_path):
    out = tmp_path / "dumps"
    cli("dump", "--store", store, "--out", out, check=True)
    quads = stored_quads(store)
    ds = Dataset()
    ds.parse(data=gzip.decompress((out / "dataset.nq.gz").read_bytes()).decode(), format="nquads")
    assert len(list(ds.quads((None, None, None, None)))) == len(quads)
    assert len(Graph().parse(out / "dataset.ttl")) > 0
    assert len(list((out / "meetings").rglob("*.ttl"))) == len(example_files())
    sums = (out / "SHA256SUMS").read_text()
    assert "dataset.ttl" in sums and "dataset.nq.gz" in sums
    first = (out / "dataset.nq.gz").read_bytes()
    cli("dump", "--store", store, "--out", out, check=True)
    assert (out / "dataset.nq.gz").read_bytes() == first  # deterministic, no timestamps


def test_remove_a_session(tmp_path):
    path = tmp_path / "store"
    cli("ingest", "--store", path, EXAMPLES / "JP-35_2025-04-09.txt", check=True)
    iri = "https://w3id.org/committee-kg/id/meeting/JP-35/2025-04-09"
    cli("sessions", "--store", path, "--remove", iri, check=True)
    assert cli("sessions", "--store", path, check=True).stdout == ""


def test_convert_exit_codes(tmp_path):
    ok = cli("convert", EXAMPLES / "JP-35_2025-04-09.txt")
    assert ok.returncode == 0 and "ckg:Meeting" in ok.stdout and ok.stderr == ""
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes(range(256)) * 8)
    bad = cli("convert", garbage)
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "garbage.txt" in bad.stderr


@pytest.mark.parametrize("encoding", ["cp932", "euc_jp", "iso2022_jp", "utf-8-sig"])
def test_japanese_encodings_read_like_utf8(tmp_path, encoding):
    # ⑴ has no code point in CP932/EUC-JP/ISO-2022-JP; such files write (1) instead
    text = (EXAMPLES / "JP-32_2025-02-13.txt").read_text(encoding="utf-8")
    for k in range(1, 10):
        text = text.replace(chr(0x2473 + k), f"（{chr(0xFF10 + k)}）")
    utf8, other = tmp_path / "utf8.txt", tmp_path / f"{encoding}.txt"
    utf8.write_text(text, encoding="utf-8")
    other.write_bytes(text.encode(encoding))
    a, b = cli("convert", "--format", "nt", utf8), cli("convert", "--format", "nt", other)
    assert a.returncode == b.returncode == 0, b.stderr

    def facts(out):  # the source IRI holds the file's sha256, which differs by encoding
        return sorted(line for line in out.splitlines() if "/id/source/" not in line)

    assert facts(a.stdout) == facts(b.stdout)


def test_a_session_without_its_date_is_refused_and_the_store_kept(store, tmp_path):
    text = (EXAMPLES / "JP-35_2025-04-09.txt").read_text(encoding="utf-8")
    broken = tmp_path / "nodate.txt"
    broken.write_text(text.replace("令和７年４月９日", "", 1), encoding="utf-8")
    before = all_quads(store)
    proc = cli("ingest", "--store", store, broken)
    assert proc.returncode != 0
    assert "nodate.txt" in proc.stderr and "date" in proc.stderr
    assert all_quads(store) == before
    conv = cli("convert", broken)
    assert conv.returncode == 2


def test_data_minted_under_another_base_is_refused(store):
    proc = cli(
        "ingest",
        "--store",
        store,
        "--base",
        "https://example.org/other/",
        EXAMPLES / "JP-35_2025-04-09.txt",
    )
    assert proc.returncode == 4
    assert "minted under" in proc.stderr


POST_LABELS = (
    "PREFIX org: <http://www.w3.org/ns/org#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "SELECT DISTINCT ?post ?label WHERE { ?officer org:role ?post . "
    "?post skos:prefLabel ?label FILTER(LANG(?label) = 'ja') } ORDER BY ?label"
)


def test_a_store_under_its_own_base_joins_the_reference_data(store, tmp_path):
    """A deployment's --base: the committees, posts and roles its sessions name are stored
    under it too, so their labels join, and validation finds every post known, as under the
    default base (it warned of an unknown post for every officer, and labels joined nothing)."""
    other = "https://example.org/kg/"
    path = tmp_path / "store"
    files = [EXAMPLES / "JP-35_2025-04-09.txt", EXAMPLES / "JP-35_2025-09-10.txt"]
    ours = cli("ingest", "--store", path, "--base", other, *files, check=True)
    assert "not in the reference data" not in ours.stderr
    default = cli("ingest", "--store", tmp_path / "default", *files, check=True)
    assert ours.stderr.count("warning") == default.stderr.count("warning")
    checked = cli("validate", "--store", path, check=True).stdout
    assert checked.strip().endswith("0 invalid, 0 valid with warnings")

    def labels(store_path):
        out = cli("query", "--store", store_path, "--format", "csv", POST_LABELS, check=True)
        return [row["label"] for row in csv.DictReader(io.StringIO(out.stdout))]

    assert labels(path) and labels(path) == labels(tmp_path / "default")


def test_loaders_are_listed():
    assert "yamaguchi-kaigiroku" in cli("loaders", check=True).stdout


def test_reingest_reruns_todays_loaders_over_the_kept_sources(tmp_path):
    from committee_kg.loaders.pipeline import convert
    from committee_kg.server.store.store import Store

    path = tmp_path / "store"
    source = EXAMPLES / "JP-35_2025-04-09.txt"
    cli("ingest", "--store", path, source, check=True)
    # as if an older loader had read less: drop the remarks from the stored session
    conv = convert(source)
    older = conv.graph
    for r in list(older.subjects(predicate=None, object=None)):
        if "/remark/" in str(r):
            older.remove((r, None, None))
    store = Store(path)
    store.replace_graph(conv.graph_name, older)
    store.publish()
    del store
    proc = cli("reingest", "--store", path)
    assert proc.returncode == 0, proc.stderr
    assert "1 changed, 0 unchanged, 0 failed" in proc.stderr
    out = cli(
        "query",
        "--store",
        path,
        "--format",
        "csv",
        "SELECT (COUNT(*) AS ?n) WHERE { ?r a <https://w3id.org/committee-kg/ontology#Remark> }",
        check=True,
    ).stdout
    assert out.splitlines()[1] != "0"


def test_ingest_keeps_the_dumps_in_step_with_the_store(tmp_path):
    """``ingest --dump``: the portal's files never lag the endpoint; an ingest that changes
    nothing leaves them as they are."""
    path, out = tmp_path / "store", tmp_path / "dumps"
    first, second = example_files()[:2]
    cli("ingest", "--store", path, "--dump", out, first, check=True)
    assert len(list((out / "meetings").rglob("*.ttl"))) == 1
    cli("ingest", "--store", path, "--dump", out, second, check=True)
    assert len(list((out / "meetings").rglob("*.ttl"))) == 2
    sums = (out / "SHA256SUMS").read_bytes()
    again = cli("ingest", "--store", path, "--dump", out, first, second, check=True)
    assert "dumps:" not in again.stderr
    assert (out / "SHA256SUMS").read_bytes() == sums
    quads = stored_quads(path)
    ds = Dataset()
    ds.parse(data=gzip.decompress((out / "dataset.nq.gz").read_bytes()).decode(), format="nquads")
    assert len(list(ds.quads((None, None, None, None)))) == len(quads)
