"""The open-data dumps (issue 6, points 1, 2 and 7): every file parses in plain rdflib and
gives back exactly the store's content; the same content gives the same bytes whatever the
order it was loaded in, in another process, at another time; a dump that fails midway
leaves the previous one; the DCAT catalogue conforms to DCAT-AP 3.0.0; VoID counts what
is there."""

from __future__ import annotations

import gzip
import hashlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

import committee_kg.server.publish.dump as dump_module
from committee_kg.data import SHAPES_DIR
from committee_kg.server.publish.dcat import Metadata
from committee_kg.server.publish.dump import dump, read_sums
from committee_kg.server.settings import default
from committee_kg.server.store.store import Snapshot

from .support import ROOT
from .support.pages import build_store
from .support.store import named_nquads

pytestmark = pytest.mark.slow  # dumps of the whole store, written and read back by rdflib

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")  # DCAT 3 (rdflib's DCAT lacks the series terms)
SPDX = Namespace("http://spdx.org/rdf/terms#")
STANDARDS = ROOT.parent / "shared" / "standards"
BASE = "https://w3id.org/committee-kg/"
PUBLIC = "http://data.example.org/kg/"


@pytest.fixture(scope="module")
def conversions(example_conversions, marked_up_conversion):
    return [example_conversions[k] for k in sorted(example_conversions)] + [marked_up_conversion]


@pytest.fixture(scope="module")
def store(marked_up_store) -> Path:
    return marked_up_store


def meta(**kw) -> Metadata:
    return Metadata.from_settings(BASE, public_url=PUBLIC, **kw)


@pytest.fixture(scope="module")
def dumped(store, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dumps-a") / "dumps"
    dump(Snapshot(store), out, meta())
    return out


def quads_of(ds: Dataset) -> set:
    return {(s, p, o, getattr(c, "identifier", c)) for s, p, o, c in ds.quads((None, None, None))}


@pytest.fixture(scope="module")
def stored(store) -> set:
    ds = Dataset()
    ds.parse(data=named_nquads(Snapshot(store).db), format="nquads")  # the default graph is derived
    return quads_of(ds)


def union_of(quads: set) -> Graph:
    g = Graph()
    for s, p, o, _ in quads:
        g.add((s, p, o))
    return g


def files_of(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


# -- round trip -----------------------------------------------------------------------------


def test_every_file_is_there_and_listed_in_the_checksums(dumped, conversions):
    files = files_of(dumped)
    for name in (
        "dataset.ttl",
        "dataset.nt.gz",
        "dataset.nq.gz",
        "dataset.trig",
        "dataset.jsonld",
        "context.jsonld",
        "ontology.ttl",
        "reference.ttl",
        "topics.ttl",
        "shapes.ttl",
        "void.ttl",
        "catalog.ttl",
        "SHA256SUMS",
    ):
        assert name in files, name
    meetings = [n for n in files if n.startswith("meetings/")]
    assert len(meetings) == len(conversions)
    assert "meetings/JP-32/2025-06-19-臨時会.ttl" in meetings
    sums = read_sums(dumped)
    assert set(sums) == set(files) - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest, name


def test_the_dataset_files_round_trip_through_plain_rdflib(dumped, stored):
    for name, fmt in (("dataset.trig", "trig"), ("dataset.jsonld", "json-ld")):
        ds = Dataset()
        ds.parse(dumped / name, format=fmt)
        assert quads_of(ds) == stored, name
    ds = Dataset()
    ds.parse(data=gzip.decompress((dumped / "dataset.nq.gz").read_bytes()), format="nquads")
    assert quads_of(ds) == stored
    union = union_of(stored)
    turtle = Graph().parse(dumped / "dataset.ttl", format="turtle")
    assert isomorphic(turtle, union)
    nt = Graph().parse(data=gzip.decompress((dumped / "dataset.nt.gz").read_bytes()), format="nt")
    assert isomorphic(nt, union)
    assert len(nt) == len(union)


def test_each_meeting_file_is_its_named_graph(dumped, stored, conversions):
    for conv in conversions:
        rel = str(conv.graph_name).split("/graph/meeting/", 1)[1]
        graph = Graph()
        for s, p, o, g in stored:
            if g == conv.graph_name:
                graph.add((s, p, o))
        parsed = Graph().parse(dumped / "meetings" / f"{rel}.ttl", format="turtle")
        assert isomorphic(parsed, graph), rel


def test_ontology_reference_topics_and_shapes_are_files_of_their_own(dumped, stored):
    for name in ("ontology", "reference", "topics"):
        graph = Graph()
        for s, p, o, g in stored:
            if g == URIRef(BASE + "graph/" + name):
                graph.add((s, p, o))
        assert len(graph) > 0
        assert isomorphic(Graph().parse(dumped / f"{name}.ttl", format="turtle"), graph)
    shapes = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        shapes.parse(path)
    assert isomorphic(Graph().parse(dumped / "shapes.ttl", format="turtle"), shapes)


def test_turtle_has_no_blank_nodes_and_no_escaped_slashes(dumped):
    for path in [dumped / "dataset.ttl", *sorted((dumped / "meetings").rglob("*.ttl"))]:
        text = path.read_text(encoding="utf-8")
        assert "\\/" not in text, path  # pyoxigraph escapes '/' in prefixed names
        assert "_:" not in text and "[" not in text.replace('"[', ""), path


def test_the_json_ld_uses_the_published_context(dumped):
    import json

    context = json.loads((dumped / "context.jsonld").read_text(encoding="utf-8"))
    document = json.loads((dumped / "dataset.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == context["@context"]
    assert context["@context"]["ckg"] == "https://w3id.org/committee-kg/ontology#"
    first = document["@graph"][0]["@graph"][0]
    assert any(k.startswith(("ckg:", "prov:", "rdfs:")) for k in first)


# -- determinism ----------------------------------------------------------------------------


def test_the_same_content_gives_the_same_bytes_whatever_the_load_order(
    store, dumped, conversions, tmp_path
):
    # the same sessions loaded backwards, one of them first in another version
    shortened = Graph()
    for t in list(conversions[0].graph)[:50]:
        shortened.add(t)
    other = tmp_path / "store-b"
    from committee_kg.server.store.store import Store

    s = Store(other)
    s.replace_graph(conversions[0].graph_name, shortened)
    s.publish()
    s.close()
    build_store(other, list(reversed(conversions)))
    out = tmp_path / "dumps-b"
    dump(Snapshot(other), out, meta())
    assert files_of(out) == files_of(dumped)
    # and in another process (another hash seed), through the command line
    env = dict(os.environ, PYTHONHASHSEED="12345", COMMITTEE_KG_PUBLIC_URL=PUBLIC)
    cli = tmp_path / "dumps-c"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "committee_kg.server.cli",
            "dump",
            "--store",
            str(other),
            "--out",
            str(cli),
        ],
        check=True,
        capture_output=True,
        env=env,
        timeout=300,
    )
    assert files_of(cli) == files_of(dumped)


def test_a_dump_made_later_is_the_same_and_keeps_the_file_times(store, tmp_path):
    out = tmp_path / "dumps"
    dump(Snapshot(store), out, meta())
    before = {p: (out / p).stat().st_mtime_ns for p in files_of(out)}
    first = files_of(out)
    target = os.path.realpath(out)
    os.utime(out / "dataset.ttl", ns=(1, 1))  # a time the next dump must keep
    before["dataset.ttl"] = 1
    dump(Snapshot(store), out, meta())
    assert os.path.realpath(out) != target  # a new directory, switched to
    assert not Path(target).exists()  # and the previous one removed
    assert files_of(out) == first
    assert {p: (out / p).stat().st_mtime_ns for p in files_of(out)} == before


def test_the_union_merged_from_many_small_runs_is_the_same(store, dumped, tmp_path):
    out = tmp_path / "dumps"
    dump(Snapshot(store), out, meta(), run_bytes=20_000)
    assert files_of(out) == files_of(dumped)


# -- atomic ---------------------------------------------------------------------------------


def test_a_dump_that_fails_midway_leaves_the_previous_one(store, monkeypatch, tmp_path):
    out = tmp_path / "dumps"
    dump(Snapshot(store), out, meta())
    before = files_of(out)

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(dump_module, "_metadata", broken)
    with pytest.raises(OSError, match="disk full"):
        dump(Snapshot(store), out, meta(license="https://example.org/other-licence"))
    assert files_of(out) == before
    leftovers = sorted(p.name for p in tmp_path.iterdir())
    assert leftovers == sorted([".dumps.lock", "dumps", Path(os.path.realpath(out)).name])


def test_a_killed_dump_leaves_a_directory_the_next_one_removes(store, tmp_path):
    out = tmp_path / "dumps"
    dump(Snapshot(store), out, meta())
    stale = tmp_path / ".dumps.killed"
    (stale / "meetings").mkdir(parents=True)
    (stale / "dataset.ttl").write_text("half")
    dump(Snapshot(store), out, meta())
    assert not stale.exists()


def test_a_plain_directory_in_the_way_becomes_the_link(store, tmp_path):
    out = tmp_path / "dumps"
    out.mkdir()
    (out / "old.txt").write_text("an earlier dump")
    dump(Snapshot(store), out, meta())
    assert out.is_symlink() and (out / "SHA256SUMS").exists()
    assert not (out / "old.txt").exists()


# -- metadata -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def void(dumped) -> Graph:
    return Graph().parse(dumped / "void.ttl")


@pytest.fixture(scope="module")
def catalogue(dumped) -> Graph:
    return Graph().parse(dumped / "catalog.ttl")


def test_void_counts_what_the_dump_holds(void, stored, conversions):
    ds = URIRef(BASE + "id/dataset")
    union = union_of(stored)
    assert void.value(ds, VOID.triples).toPython() == len(union)
    subjects = {s for s in union.subjects()}
    assert void.value(ds, VOID.distinctSubjects).toPython() == len(subjects)
    entities = {s for s in subjects if str(s).startswith(BASE + "id/")}
    assert void.value(ds, VOID.entities).toPython() == len(entities)
    meetings = URIRef("https://w3id.org/committee-kg/ontology#Meeting")
    for part in void.objects(ds, VOID.classPartition):
        cls = void.value(part, VOID["class"])
        assert void.value(part, VOID.entities).toPython() == len(set(union.subjects(RDF.type, cls)))
    classes = {void.value(p, VOID["class"]) for p in void.objects(ds, VOID.classPartition)}
    assert meetings in classes
    for part in void.objects(ds, VOID.propertyPartition):
        prop = void.value(part, VOID.property)
        assert void.value(part, VOID.triples).toPython() == len(
            list(union.triples((None, prop, None)))
        )
    assert void.value(ds, VOID.sparqlEndpoint) == URIRef(PUBLIC + "sparql")
    assert str(void.value(ds, VOID.uriSpace)) == BASE + "id/"
    dumps = {str(d) for d in void.objects(ds, VOID.dataDump)}
    assert PUBLIC + "dumps/dataset.nt.gz" in dumps and PUBLIC + "dumps/dataset.ttl" in dumps
    newest = max(c.minutes.date for c in conversions)
    assert void.value(ds, DCTERMS.modified) == Literal(newest.isoformat(), datatype=XSD.date)
    vocabularies = {str(v) for v in void.objects(ds, VOID.vocabulary)}
    assert {"http://schema.org/", "https://w3id.org/committee-kg/ontology"} <= vocabularies
    subsets = list(void.objects(ds, VOID.subset))
    assert len(subsets) == len(conversions) + 4  # + ontology, reference, topics, statistics


def test_the_catalogue_describes_every_file_with_its_size_and_checksum(catalogue, dumped):
    sums = read_sums(dumped)
    described = {}
    for dist in catalogue.subjects(RDF.type, DCAT.Distribution):
        url = catalogue.value(dist, DCAT.downloadURL)
        if url is None:
            assert catalogue.value(dist, DCAT.accessService) is not None  # the endpoint
            continue
        name = unquote(str(url)[len(PUBLIC + "dumps/") :])
        checksum = catalogue.value(dist, SPDX.checksum)
        described[name] = (
            catalogue.value(dist, DCAT.byteSize).toPython(),
            str(catalogue.value(checksum, SPDX.checksumValue)),
        )
        assert catalogue.value(dist, DCTERMS.license) is not None
        assert catalogue.value(dist, DCAT.mediaType) is not None
    data_files = {n for n in sums if n not in ("void.ttl", "catalog.ttl", "context.jsonld")}
    assert set(described) == data_files
    for name, (size, digest) in described.items():
        assert size == (dumped / name).stat().st_size, name
        assert digest == sums[name], name
    cat = URIRef(BASE + "id/catalog")
    see_also = {str(o) for o in catalogue.objects(cat, URIRef(str(RDFS.seeAlso)))}
    assert see_also == {PUBLIC + "dumps/void.ttl", PUBLIC + "dumps/SHA256SUMS"}


def test_licence_and_publisher_are_configurable(store, tmp_path):
    out = tmp_path / "dumps"
    dump(
        Snapshot(store),
        out,
        meta(
            license="https://example.org/licence",
            publisher_name="Example Open Data Office",
            publisher_iri="https://example.org/office",
            contact_email="data@example.org",
        ),
    )
    g = Graph().parse(out / "catalog.ttl")
    ds = URIRef(BASE + "id/dataset")
    assert g.value(ds, DCTERMS.license) == URIRef("https://example.org/licence")
    assert g.value(ds, DCTERMS.publisher) == URIRef("https://example.org/office")
    assert (
        str(g.value(URIRef("https://example.org/office"), URIRef("http://xmlns.com/foaf/0.1/name")))
        == "Example Open Data Office"
    )
    assert g.value(ds, DCAT.contactPoint) is not None


def test_every_dataset_and_the_catalogue_state_the_licence(catalogue):
    """The series too (issue 18): a portal shows each dataset's licence, none may lack it."""
    licence = URIRef(default("license"))
    datasets = set(catalogue.subjects(RDF.type, DCAT.Dataset))
    assert URIRef(BASE + "id/dataset/meetings") in datasets
    for d in (*datasets, URIRef(BASE + "id/catalog")):
        assert set(catalogue.objects(d, DCTERMS.license)) == {licence}, d


def test_each_session_is_a_dataset_of_a_series_with_its_commission_as_creator(catalogue):
    series = URIRef(BASE + "id/dataset/meetings")
    assert (series, RDF.type, DCAT.DatasetSeries) in catalogue
    members = set(catalogue.subjects(DCAT.inSeries, series))
    assert len(members) == 10
    d = URIRef(BASE + "id/dataset/meeting/JP-35/2025-04-09")
    assert d in members
    assert catalogue.value(d, DCTERMS.creator) == URIRef(BASE + "id/committee/JP-35")
    titles = {str(t) for t in catalogue.objects(d, DCTERMS.title)}
    assert "山口県公安委員会 2025-04-09" in titles


@pytest.mark.skipif(not STANDARDS.is_dir(), reason="../shared/standards is not here")
def test_the_catalogue_conforms_to_dcat_ap_3(catalogue):
    import pyshacl

    shapes = Graph().parse(STANDARDS / "dcat-ap-3.0.0-SHACL.ttl")
    conforms, _, text = pyshacl.validate(catalogue, shacl_graph=shapes, inference="rdfs")
    assert conforms, text
