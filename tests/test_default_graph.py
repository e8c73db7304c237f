"""The default graph is the RDF merge of the stored graphs, each triple once (issue 15).

pyoxigraph 0.5's union default graph gives a triple once per session that states it
(oxigraph issue 1919), so every shared label, type or link multiplied plain counts and
joins. The store keeps the merge itself; these tests hold it against rdflib's
``Dataset(default_union=True)`` over the same named graphs (an independent engine whose
union is a set): after ingest, re-ingest and removal, on sessions that all name the same
committee, members, officers, agreements and appeals.
"""

from __future__ import annotations

import csv
import functools
import io
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD
from rdflib.plugins.sparql import prepareQuery

from committee_kg.loaders.reference import ontology_graph, reference_graph, topics_graph
from committee_kg.loaders.vocab import Minter
from committee_kg.server.query.catalogue import catalogue, get
from committee_kg.server.query.sparql import Request, execute
from committee_kg.server.store import statistics
from committee_kg.server.store.store import GENERATIONS, Store

from .support.store import copies, days_from, named_quads, rdflib_union, serving, sparql_csv

pytestmark = pytest.mark.slow  # big stores, random histories of ingest and removal, served stores

BASE = "https://w3id.org/committee-kg/"
CKG = BASE + "ontology#"
PREFIXES = """PREFIX ckg: <https://w3id.org/committee-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <http://schema.org/>
"""
# what a researcher new to the endpoint writes first: plain counts, labels, SELECT * through
# shared nodes, SUM — each multiplied by the number of sessions under a union with repeats
NAIVE = {
    "count-officers": "SELECT (COUNT(?o) AS ?n) (COUNT(DISTINCT ?o) AS ?d) { ?o a ckg:Officer }",
    "count-everything": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
    "committee-labels": f"SELECT ?l {{ <{BASE}id/committee/JP-35> rdfs:label ?l }}",
    "items-per-officer-with-label": """SELECT ?o ?l (COUNT(?i) AS ?items) {
        ?i ckg:presentedBy ?o . ?o rdfs:label ?l } GROUP BY ?o ?l""",
    "select-star-shared": "SELECT * { ?m ckg:officerPresent ?o . ?o a ?t ; rdfs:label ?l }",
    "sum-over-labels": """SELECT (SUM(STRLEN(?l)) AS ?n) {
        ?o a ckg:Officer ; rdfs:label ?l }""",
    "types": "SELECT ?t (COUNT(*) AS ?n) { ?s a ?t } GROUP BY ?t",
    "agreement-parties": "SELECT ?a ?p ?l { ?a ckg:party ?p . ?p rdfs:label ?l }",
    "appeal-sessions": """SELECT ?a (COUNT(?m) AS ?n) {
        ?m ckg:agendaItem ?i . ?i ckg:concerns ?a . ?a a ckg:Appeal } GROUP BY ?a""",
}
# four examples with what sessions share (two commissions, agreements, appeals whose receipt
# and ruling are in different sessions), each stored on its own day and on three more
EXAMPLES = ("JP-35_2025-09-10", "JP-32_2025-02-13", "JP-35_2019-06-12", "JP-35_2019-08-21")


def table(body: bytes) -> list[tuple]:
    """CSV rows, sorted, their columns in the order of their names (engines order the
    variables of SELECT * as they like); GROUP_CONCAT cells sorted too (no fixed order);
    rdflib's one empty row for an aggregate over no solutions dropped (pyoxigraph gives
    none)."""
    header, *rows = csv.reader(io.StringIO(body.decode("utf-8")))
    order = sorted(range(len(header)), key=header.__getitem__)
    return sorted(tuple(" ".join(sorted(r[k].split(" "))) for k in order) for r in rows if any(r))


def ours(db: ox.Store, query: str) -> list[tuple]:
    return table(execute(db, Request(query, results="csv", max_rows=10**6)).body)


def theirs(ds: Dataset, query: str) -> list[tuple]:
    return table(ds.query(rdflib_query(query)).serialize(format="csv"))


def merge_of_named_graphs(db: ox.Store) -> set[ox.Triple]:
    return {q.triple for q in named_quads(db)}


def default_graph(db: ox.Store) -> set[ox.Triple]:
    return {q.triple for q in db.quads_for_pattern(None, None, None, ox.DefaultGraph())}


def without(ntriples: bytes, *needles: str) -> bytes:
    """A session as an older or newer loader might have read it: lines naming any of these
    left out."""
    lines = ntriples.decode("utf-8").splitlines(keepends=True)
    return "".join(x for x in lines if not any(n in x for n in needles)).encode("utf-8")


@pytest.fixture(scope="module")
def phases(example_conversions, tmp_path_factory) -> dict[str, Path]:
    """One store taken through ingest, re-ingest and removal; the generation each phase
    published (three generations are kept)."""
    sessions: dict[str, bytes] = {}
    for name in EXAMPLES:
        conv = example_conversions[f"{name}.txt"]
        day = name.split("_")[1]
        nt = conv.graph.serialize(format="nt", encoding="utf-8")
        sessions.update(copies(nt, str(conv.graph_name), day, days_from(day, 4)))
    path = tmp_path_factory.mktemp("merge") / "store"
    store = Store(path)
    store.load_reference()
    for graph, nt in sessions.items():
        store.replace_graph(graph, nt)
    out = {"ingested": store.publish()}
    # re-ingest: one session loses its remarks (nodes of its own), another stops naming its
    # agreement and a third names an officer by another label (shared nodes)
    graphs = sorted(sessions)
    jp35 = [g for g in graphs if "/JP-35/2025-" in g]
    assert store.replace_graph(jp35[0], without(sessions[jp35[0]], "/remark/"))
    assert store.replace_graph(jp35[1], without(sessions[jp35[1]], "/id/agreement/"))
    relabelled = sessions[jp35[2]].replace('"警務部長"@ja'.encode(), '"警務部長（仮）"@ja'.encode())
    assert relabelled != sessions[jp35[2]] and store.replace_graph(jp35[2], relabelled)
    assert not store.replace_graph(jp35[3], sessions[jp35[3]])  # the same: nothing changes
    out["re-ingested"] = store.publish()
    # removal: every session of JP-32 (its members, officers and agreement leave the merge)
    # and two copies of a JP-35 session (what they share stays)
    minter = Minter(BASE)
    gone = [g for g in graphs if "/JP-32/" in g] + jp35[:2]
    for g in gone:
        assert store.remove(minter.id + g[len(BASE + "graph/") :])
    out["removed"] = store.publish()
    store.close()
    return out


@pytest.fixture(scope="module")
def generations(phases) -> dict[str, tuple[ox.Store, Dataset]]:
    out = {}
    for phase, path in phases.items():
        db = ox.Store.read_only(str(path))
        out[phase] = (db, rdflib_union(db))
    return out


PHASES = ("ingested", "re-ingested", "removed")


@pytest.mark.parametrize("phase", PHASES)
def test_the_default_graph_holds_each_stored_triple_once(generations, phase):
    db, _ = generations[phase]
    merge = merge_of_named_graphs(db)
    assert default_graph(db) == merge
    # the naive count is the number of distinct triples, whatever the sessions share
    (row,) = ours(db, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    assert int(row[0]) == len(merge)


def test_a_shared_node_leaves_the_merge_only_with_the_last_session_naming_it(generations):
    ingested, _ = generations["ingested"]
    removed, _ = generations["removed"]
    jp32 = f"<{BASE}id/committee/JP-32>"
    members = "SELECT DISTINCT ?m { ?m a ckg:Member FILTER(CONTAINS(STR(?m), '/JP-32/')) }"
    assert ours(ingested, PREFIXES + members) and not ours(removed, PREFIXES + members)
    # the committee itself is stated by the reference data too: it stays
    assert ours(removed, f"SELECT ?t {{ {jp32} a ?t }}")
    agreement = PREFIXES + "SELECT DISTINCT ?a { ?a a ckg:Agreement ; ckg:party ?p }"
    assert len(ours(removed, agreement)) == 1  # JP-35's, still named by other copies


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("name", sorted(NAIVE))
def test_naive_queries_answer_as_rdflib_does(generations, phase, name):
    db, ds = generations[phase]
    query = PREFIXES + NAIVE[name]
    assert ours(db, query) == theirs(ds, query)


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("name", sorted(catalogue()))
def test_catalogue_queries_answer_as_rdflib_does(generations, phase, name):
    db, ds = generations[phase]
    q = get(name)
    text = q.render({p.name: p.example for p in q.params if p.required}, BASE)
    assert ours(db, text) == theirs(ds, text)


@pytest.mark.parametrize("phase", PHASES)
def test_the_statistics_are_what_rdflib_computes_from_the_sessions(generations, phase):
    """The statistics graph the publish computed against the same CONSTRUCT queries run by
    rdflib over the union of every other graph."""
    db, _ = generations[phase]
    graph = ox.NamedNode(BASE + "graph/statistics")
    stored = {q.triple for q in db.quads_for_pattern(None, None, None, graph)}
    assert stored
    ds = Dataset(default_union=True)
    others = [q for q in named_quads(db) if q.graph_name != graph]
    ds.parse(data=ox.serialize(others, format=ox.RdfFormat.N_QUADS).decode(), format="nquads")
    target = ds.graph(URIRef(BASE + "graph/statistics"))
    for stage in statistics.STAGES:  # what is derived first, then the figures reading it
        for triple in [t for text in statistics.texts(BASE, stage) for t in ds.query(text)]:
            target.add(triple)
    want = {tuple(_term(t) for t in triple) for triple in target}
    assert {tuple(_term(t) for t in triple) for triple in stored} == want


def _term(term) -> str:
    """A term as N-Triples, a duration without its type: a date minus a date is an
    xsd:dayTimeDuration in pyoxigraph (as in XPath) and an xsd:duration in rdflib."""
    text = term.n3() if isinstance(term, URIRef | Literal) else str(term)
    for duration in (f"^^<{XSD}dayTimeDuration>", f"^^<{XSD}duration>"):
        text = text.replace(duration, "^^duration")
    return text


def test_several_default_graphs_are_merged_as_a_set(generations):
    """FROM and default-graph-uri naming several graphs: their merge, each triple once."""
    db, _ = generations["ingested"]
    g1, g2 = sorted(g.value for g in db.named_graphs() if "/JP-35/2025-" in g.value)[:2]
    both = {
        q.triple for g in (g1, g2) for q in db.quads_for_pattern(None, None, None, ox.NamedNode(g))
    }
    query = f"SELECT (COUNT(*) AS ?n) FROM <{g1}> FROM <{g2}> {{ ?s ?p ?o }}"
    assert ours(db, query) == [(str(len(both)),)]
    protocol = Request("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "csv", default_graphs=(g1, g2))
    assert table(execute(db, protocol).body) == [(str(len(both)),)]
    named = Request(
        "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
        "csv",
        default_graphs=(g1, g2),
        named_graphs=(g1,),
    )
    one = sum(1 for _ in db.quads_for_pattern(None, None, None, ox.NamedNode(g1)))
    assert table(execute(db, named).body) == [(g1, str(one))]


# -- differential, over random sets of sessions ----------------------------------------------

# what a re-ingest may change: nodes of the session's own, a link to a shared node, a shared
# node's label (or nothing, when the file is the same)
CHANGES = {
    "the same": lambda nt: nt,
    "without its remarks": lambda nt: without(nt, "/remark/"),
    "no longer naming its agreement": lambda nt: without(nt, "/id/agreement/"),
    "an officer relabelled": lambda nt: nt.replace(
        '"警務部長"@ja'.encode(), '"警務部長（仮）"@ja'.encode()
    ),
}
STATISTICS = BASE + "graph/statistics"
# rdflib gives a sub-select grouped over no solutions one row of unbound values (SPARQL, and
# pyoxigraph, give none), which these queries' OPTIONAL topic label then joins to every
# topic: on a store without sessions their answers cannot be compared
RDFLIB_EMPTY_GROUP = ("officer-topics", "topics-over-time")


class Graphs(dict):
    """Graphs by name, as N-Triples; shown by their names alone when hypothesis reports an
    example (their text runs to megabytes)."""

    def __repr__(self) -> str:
        return f"<{len(self)} graphs>"


@pytest.fixture(scope="module")
def pool(example_conversions) -> Graphs:
    """Twelve sessions: each of the four examples on its own day and on two more, so that
    any two drawn are likely to name the same commission, members, officers, agreement or
    appeals."""
    out = Graphs()
    for name in EXAMPLES:
        conv = example_conversions[f"{name}.txt"]
        day = name.split("_")[1]
        nt = conv.graph.serialize(format="nt", encoding="utf-8")
        out.update(copies(nt, str(conv.graph_name), day, days_from(day, 3)))
    return out


@pytest.fixture(scope="module")
def reference_graphs() -> Graphs:
    """The graphs every store holds besides its sessions, read from the loaders' own files."""
    minter = Minter(BASE)
    graphs = {"ontology": ontology_graph(), "reference": reference_graph()}
    graphs["topics"] = topics_graph()
    return Graphs(
        (str(minter.graph(k)), g.serialize(format="nt", encoding="utf-8"))
        for k, g in graphs.items()
    )


@functools.cache
def stated(ntriples: bytes) -> frozenset[ox.Triple]:
    """The triples of a graph as a store keeps them (numeric literals in canonical form)."""
    kept = ox.Store()
    triples = ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)
    kept.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return frozenset(q.triple for q in kept)


@functools.cache
def rdflib_triples(ntriples: bytes) -> tuple:
    """The same triples as rdflib terms (parsed once: rdflib's parser is the slow part)."""
    canonical = ox.serialize(stated(ntriples), format=ox.RdfFormat.N_TRIPLES)
    return tuple(Graph().parse(data=canonical.decode("utf-8"), format="nt"))


@functools.cache
def rdflib_query(text: str):
    return prepareQuery(text)


def expected(graphs: dict[str, bytes]) -> Dataset:
    """rdflib's dataset of these graphs, and of the statistics rdflib computes from them:
    what every query on the store must answer (its union default graph is a set)."""
    ds = Dataset(default_union=True)
    for name, ntriples in graphs.items():
        graph = ds.graph(URIRef(name))
        graph.addN((*t, graph) for t in rdflib_triples(ntriples))
    target = ds.graph(URIRef(STATISTICS))
    for stage in statistics.STAGES:  # what is derived first, then the figures reading it
        found = [t for text in statistics.texts(BASE, stage) for t in ds.query(rdflib_query(text))]
        for triple in found:
            target.add(triple)
    return ds


def researcher_queries(meeting: str) -> dict[str, str]:
    """The naive queries and every catalogue query (its required parameters bound: the
    session to a stored one, the others to their examples, which these sessions name)."""
    out = {name: PREFIXES + text for name, text in NAIVE.items()}
    for name in catalogue():
        q = get(name)
        params = {p.name: p.example for p in q.params if p.required}
        if "meeting" in params:
            params["meeting"] = meeting
        out[name] = q.render(params, BASE)
    return out


def assert_answers_as_rdflib(generation: Path, graphs: dict[str, bytes]) -> None:
    """The published generation against rdflib on the graphs a user stored: the same graphs,
    the default graph their merge, and every query the same rows, as multisets."""
    db = ox.Store.read_only(str(generation))
    named = {g.value for g in db.named_graphs()} - {STATISTICS}
    assert named == set(graphs)
    for name, ntriples in graphs.items():
        stored = db.quads_for_pattern(None, None, None, ox.NamedNode(name))
        assert {q.triple for q in stored} == stated(ntriples), name
    assert default_graph(db) == merge_of_named_graphs(db)
    ds = expected(graphs)
    meetings = sorted(g for g in graphs if "/graph/meeting/" in g)
    meeting = meetings[0].split("/graph/meeting/")[1] if meetings else "JP-35/2025-04-09"
    queries = researcher_queries(meeting)
    if not meetings:
        for name in RDFLIB_EMPTY_GROUP:
            del queries[name]
    differ = {
        name: (len(a), len(b))
        for name, text in queries.items()
        if (a := ours(db, text)) != (b := theirs(ds, text))
    }
    assert not differ, f"rows (ours, rdflib's) where the answers differ: {differ}"


@st.composite
def histories(draw):
    """Sessions drawn from the pool in any order; one of them ingested again, changed as
    CHANGES says; some of them removed."""
    ingested = draw(st.lists(st.integers(0, 11), min_size=2, max_size=6, unique=True))
    again = (draw(st.sampled_from(ingested)), draw(st.sampled_from(sorted(CHANGES))))
    removed = draw(st.lists(st.sampled_from(ingested), unique=True))
    return ingested, again, removed


# no shrinking: each example takes seconds, and a failing one is already small enough to read
@settings(max_examples=5, deadline=None, phases=(Phase.explicit, Phase.reuse, Phase.generate))
@given(history=histories())
def test_random_sessions_answer_as_rdflib_after_ingest_reingest_and_removal(
    pool, reference_graphs, history
):
    """Every catalogue query and the naive ones, on a store of sessions sharing nodes, give
    rdflib's answers after each phase; before issue 15 the plain counts, the labels and the
    joins through shared nodes all came out multiplied (see the test below)."""
    ingested, (again, change), removed = history
    names = list(pool)
    graphs = Graphs(reference_graphs)
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        store = Store(Path(tmp) / "store")
        try:
            store.load_reference()
            for name in (names[k] for k in ingested):
                store.replace_graph(name, pool[name])
                graphs[name] = pool[name]
            assert_answers_as_rdflib(store.publish(), graphs)
            name = names[again]
            graphs[name] = CHANGES[change](pool[name])
            assert store.replace_graph(name, graphs[name]) == (graphs[name] != pool[name])
            assert_answers_as_rdflib(store.publish(), graphs)
            for name in (names[k] for k in removed):
                assert store.remove(_MINTER.id + name.split("/graph/")[1])
                del graphs[name]
            assert_answers_as_rdflib(store.publish(), graphs)
        finally:
            store.close()


def repeating(db: ox.Store, query: str) -> list[tuple]:
    """An answer from pyoxigraph's own union default graph, which repeats a triple once per
    graph stating it (oxigraph issue 1919): the default graph before issue 15."""
    answer = db.query(query, use_default_graph_as_union=True)
    return table(answer.serialize(format=ox.QueryResultsFormat.CSV))


def repeating_triples(db: ox.Store, construct: str) -> list[ox.Triple]:
    return list(db.query(construct, use_default_graph_as_union=True))


def _in(graph: str, triples) -> list[ox.Quad]:
    name = ox.NamedNode(graph)
    return [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples]


def test_the_comparison_catches_a_union_that_repeats_triples(pool, reference_graphs):
    """The differential tests can fail: the same comparison, on the union with repeats that
    issue 15 replaced, finds the naive queries and the catalogue wrong."""
    three = list(pool.items())[:3]  # one example on three days
    graphs = Graphs({**reference_graphs, **dict(three)})
    db = ox.Store()
    for name, ntriples in graphs.items():
        db.extend(_in(name, stated(ntriples)))
    for stage in statistics.STAGES:  # computed as it was then, on the same union
        figures = [t for text in statistics.texts(BASE, stage) for t in repeating_triples(db, text)]
        db.extend(_in(STATISTICS, figures))
    ds = expected(graphs)
    meeting = three[0][0].split("/graph/meeting/")[1]
    wrong = {
        name
        for name, text in researcher_queries(meeting).items()
        if repeating(db, text) != theirs(ds, text)
    }
    assert set(NAIVE) <= wrong, set(NAIVE) - wrong
    assert {"session", "officer-topics", "topics-over-time"} <= wrong, wrong


# -- the merge kept under any sequence of changes -------------------------------------------

_MINTER = Minter(BASE)
_MEETINGS = [_MINTER.id + f"meeting/JP-35/2025-01-0{k}" for k in range(1, 5)]
_TERMS = [f"<{BASE}id/x/{k}>" for k in range(3)]
_TRIPLES = [f"{s} {p} {o} .\n" for s in _TERMS for p in _TERMS[:2] for o in _TERMS]
_graphs = st.sets(st.sampled_from(_TRIPLES), max_size=8)
_steps = st.lists(
    st.tuples(st.sampled_from(range(len(_MEETINGS))), st.none() | _graphs), min_size=1, max_size=10
)


@settings(max_examples=40, deadline=None)
@given(_steps)
def test_the_merge_survives_any_sequence_of_replacements_and_removals(steps):
    """Sessions drawn from a handful of triples, so that most are shared: after every
    replacement (None: a removal), the default graph is the set of triples some stored graph
    states, no more, no less."""
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(tmp)
        for k, triples in steps:
            meeting = _MEETINGS[k]
            if triples is None:
                store.remove(meeting)
            else:
                graph = _MINTER.meeting_graph(URIRef(meeting))
                store.replace_graph(graph, "".join(sorted(triples)).encode())
            assert default_graph(store.db) == merge_of_named_graphs(store.db)
        store.close()


def test_a_store_made_before_the_merge_gets_it_when_opened(tmp_path):
    """A store whose default graph is empty (made by an earlier version) is given the merge
    and published again by whichever command opens it first."""
    path = tmp_path / "store"
    store = Store(path)
    for k, meeting in enumerate(_MEETINGS):
        store.replace_graph(_MINTER.meeting_graph(URIRef(meeting)), "".join(_TRIPLES[k:]).encode())
    store.publish()
    store.db.clear_graph(ox.DefaultGraph())  # as an earlier version left it
    store.close()
    (path / "FORMAT").unlink()
    generation = (path / "CURRENT").read_text().strip()
    again = Store(path)
    assert again.recovered and again.recovered != generation
    assert default_graph(again.db) == merge_of_named_graphs(again.db)
    published = ox.Store.read_only(str(path / GENERATIONS / again.recovered))
    assert default_graph(published) == merge_of_named_graphs(published)
    again.close()


# -- over HTTP, as a researcher meets it ------------------------------------------------------

OFFICERS = PREFIXES + "SELECT (COUNT(?o) AS ?n) (COUNT(DISTINCT ?o) AS ?d) { ?o a ckg:Officer }"
LABELS = PREFIXES + f"SELECT ?l {{ <{BASE}id/committee/JP-35> rdfs:label ?l }}"
MOST_ITEMS = (
    PREFIXES
    + """SELECT ?o (COUNT(?i) AS ?items) { ?i ckg:presentedBy ?o }
    GROUP BY ?o ORDER BY DESC(?items) ?o"""
)
MOST_ITEMS_LABELLED = (
    PREFIXES
    + """SELECT ?o ?l (COUNT(?i) AS ?items) {
    ?i ckg:presentedBy ?o . ?o rdfs:label ?l FILTER(LANG(?l) = "ja") }
    GROUP BY ?o ?l ORDER BY DESC(?items) ?o"""
)


def thirty_copies(conv, path: Path) -> Path:
    """A published store of one session on 30 days."""
    day = str(conv.graph_name).rsplit("/", 1)[1][:10]
    nt = conv.graph.serialize(format="nt", encoding="utf-8")
    store = Store(path)
    store.load_reference()
    for graph, data in copies(nt, str(conv.graph_name), day, days_from(day, 30)):
        store.replace_graph(graph, data)
    store.publish()
    store.close()
    return path


def naive_answers_over_http(store: Path) -> tuple[int, int, int]:
    with serving(store) as url:
        ((row),) = sparql_csv(url, OFFICERS)
        labels = sparql_csv(url, LABELS)
        plain = [(r["o"], r["items"]) for r in sparql_csv(url, MOST_ITEMS)]
        labelled = [(r["o"], r["items"]) for r in sparql_csv(url, MOST_ITEMS_LABELLED)]
        meetings = sparql_csv(url, PREFIXES + "SELECT (COUNT(*) AS ?n) { ?m a ckg:Meeting }")
        description = Graph().parse(url + "/sparql?format=ttl", format="turtle")
    said = {
        o.language: str(o)
        for s, o in description.subject_objects(DCTERMS.description)
        if str(s).endswith("#default-graph")
    }
    assert "union" in said["en"] and "once" in said["en"] and "一度だけ" in said["ja"]
    assert meetings == [{"n": "30"}]
    # naming the officer changes no count (it multiplied each by the sessions labelling it)
    assert labelled == plain and plain
    return int(row["n"]), int(row["d"]), len(labels)


def test_thirty_copies_of_a_session_count_as_one_over_http(example_conversions, tmp_path):
    conv = example_conversions["JP-35_2025-09-10.txt"]
    one = set(conv.graph.subjects(RDF.type, URIRef(CKG + "Officer")))
    n, distinct, labels = naive_answers_over_http(thirty_copies(conv, tmp_path / "store"))
    assert n == distinct == len(one) > 10  # every one of its officers, once
    assert labels == 2  # 山口県公安委員会 and its English name, once each


def test_thirty_copies_of_the_seed_give_15_officers_and_2_labels_over_http(
    seed_conversion, tmp_path
):
    """The issue's own figures: 450 officers and 62 label rows before."""
    store = thirty_copies(seed_conversion, tmp_path / "store")
    assert naive_answers_over_http(store) == (15, 15, 2)
