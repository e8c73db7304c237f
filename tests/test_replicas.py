"""Read replicas from the dumps (issue 20): the N-Quads dump of the example store loaded into
Virtuoso with its bulk loader and into Oxigraph's own server answers every catalogue query,
with and without its example parameters, with the rows the store itself gives.

A replica's default graph must be ours, the merge of the graphs as a set (issue 15): Oxigraph
server gets the N-Triples dump (that merge) as its default graph; Virtuoso gets it as the
graph <base>graph/merge, which ``server/store/remote.py`` makes the default graph of every
query (Virtuoso's own union of graphs repeats a triple once per graph that states it: the
naive counts below show the difference)."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest

from committee_kg.loaders.errors import CommitteeKGError
from committee_kg.server.publish.dump import dump_store
from committee_kg.server.query import catalogue
from committee_kg.server.store.remote import remote_db
from committee_kg.server.store.store import Snapshot

from .support.oxigraph_server import OxigraphServer, load_dumps
from .support.oxigraph_server import available as oxigraph_available
from .support.virtuoso import as_virtuoso_gives

pytestmark = pytest.mark.slow

CKG = "https://w3id.org/committee-kg/ontology#"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
NAIVE = {  # a researcher's plain queries, each triple of the merge once
    "officers": f"SELECT (COUNT(?o) AS ?n) WHERE {{ ?o a <{CKG}Officer> }}",
    "labels": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?x <{LABEL}> ?l }}",
    "commission-labels": f"SELECT ?l WHERE {{ <BASEid/committee/JP-35> <{LABEL}> ?l }}",
    "meetings": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?m a <{CKG}Meeting> }}",
}


def _cases(base: str) -> list[tuple[str, str]]:
    """Every catalogue query as (id, text): with its example parameters, and, when none is
    required, with none."""
    out = []
    for name, q in sorted(catalogue.catalogue().items()):
        examples = {p.name: p.example for p in q.params if p.example}
        out.append((f"{name}[examples]", q.render(examples, base)))
        if not any(p.required for p in q.params) and q.params:
            out.append((f"{name}[none]", q.render({}, base)))
    out += [(f"naive-{k}", text.replace("BASE", base)) for k, text in NAIVE.items()]
    return out


def rows(answer) -> Counter:
    """A query's answer as a multiset of rows, each term in N-Triples form."""
    if isinstance(answer, ox.QueryBoolean):
        return Counter([bool(answer)])
    names = [v.value for v in answer.variables]
    return Counter(tuple(str(s[n]) if s[n] is not None else None for n in names) for s in answer)


@pytest.fixture(scope="module")
def dumps(example_store, tmp_path_factory):
    out = tmp_path_factory.mktemp("replica-dumps") / "dumps"
    dump_store(example_store, out)
    return out


@pytest.fixture(scope="module")
def expected(example_store):
    snap = Snapshot(example_store)
    return snap.base, {name: rows(snap.query(text)) for name, text in _cases(snap.base)}


@pytest.fixture(scope="module")
def oxigraph_replica(dumps, tmp_path_factory):
    if reason := oxigraph_available():
        pytest.skip(reason)
    server = OxigraphServer(load_dumps(dumps, tmp_path_factory.mktemp("oxigraph") / "db"))
    yield server.start()
    server.stop()


@pytest.fixture(scope="module")
def virtuoso_replica(virtuoso, dumps, example_store):
    """The dumps loaded into Virtuoso by its bulk loader: the N-Quads name their graphs, the
    N-Triples (the merge) go into <base>graph/merge."""
    import shutil

    base = Snapshot(example_store).base
    virtuoso.clear(base)
    here = virtuoso.load_dir / "replica"
    (here / "graphs").mkdir(parents=True)
    (here / "merge").mkdir()
    shutil.copy(dumps / "dataset.nq.gz", here / "graphs")
    shutil.copy(dumps / "dataset.nt.gz", here / "merge")
    virtuoso.bulk_load(here / "graphs", "*.nq.gz", base + "graph/unnamed")
    virtuoso.bulk_load(here / "merge", "*.nt.gz", base + "graph/merge")
    yield virtuoso
    virtuoso.clear(base)


@pytest.mark.parametrize("server", ["oxigraph_replica", "virtuoso_replica"])
def test_a_replica_from_the_dumps_answers_every_catalogue_query_as_the_store(
    server, expected, request
):
    base, answers = expected
    replica = request.getfixturevalue(server)
    db = remote_db(replica.url, base, timeout=120)
    differ = {}
    for name, text in _cases(base):
        try:
            got = rows(db.query(text))
        except CommitteeKGError as exc:
            differ[name] = str(exc)[:300]
            continue
        want = answers[name]
        if server == "virtuoso_replica":
            want = Counter({as_virtuoso_gives(row): n for row, n in want.items()})
        if got != want:
            differ[name] = (list((want - got).items())[:2], list((got - want).items())[:2])
    assert not differ, differ
    assert sum(answers["session[examples]"].values()) > 0  # the comparison compared something


def test_virtuosos_own_union_repeats_triples_and_the_merge_does_not(virtuoso_replica, expected):
    """Why the replica reads <base>graph/merge: Virtuoso without it counts a shared triple once
    per graph (this is the difference the dialect handles)."""
    import urllib.parse
    import urllib.request

    base, answers = expected
    text = NAIVE["commission-labels"].replace("BASE", base)
    query = urllib.parse.urlencode({"query": text, "format": "text/csv"})
    with urllib.request.urlopen(f"{virtuoso_replica.url}?{query}", timeout=60) as r:
        plain = len(r.read().decode().splitlines()) - 1
    merged = sum(answers["naive-commission-labels"].values())
    assert 0 < merged < plain  # each label once per session that states it, without the merge
