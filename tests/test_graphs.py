"""The graph views (issue 7): graphs computed from the store with networkx, /api/graph/<view>
as JSON, GraphML and GEXF, the /graph page — through Flask's test client, on a store of the
example minutes. What the facts say is checked against the store with plain SPARQL."""

from __future__ import annotations

import io
import json
import math
import re
import urllib.parse
from collections import defaultdict

import networkx as nx
import numpy as np
import pytest

from committee_kg.server import graphs
from committee_kg.server.store.store import Snapshot, Store

from .support import ROOT
from .support.stores import writable_copy

ID = "https://w3id.org/committee-kg/id/"
P = """PREFIX ckg: <https://w3id.org/committee-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX schema: <http://schema.org/>
"""


@pytest.fixture(scope="module")
def store(example_store):
    return example_store


@pytest.fixture(scope="module")
def app(store):
    from committee_kg.server.web.app import create_app

    app = create_app(str(store), workers=1)
    yield app
    app.extensions["committee_kg"]["pool"].close()


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def api(client, view, **params):
    qs = urllib.parse.urlencode(params, doseq=True)
    resp = client.get(f"/api/graph/{view}" + (f"?{qs}" if qs else ""))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return resp.get_json()


def rows(store, query):
    """Rows of a SELECT on the store, as tuples of plain strings."""
    return [tuple(term.value for term in s) for s in Snapshot(store).query(P + query)]


def nodes_of(doc, kind=None):
    return {n["id"]: n for n in doc["nodes"] if kind is None or n["kind"] == kind}


def edge_map(doc):
    return {frozenset((e["source"], e["target"])): e for e in doc["edges"]}


# -- the index and every view ---------------------------------------------------------------


def test_the_index_lists_the_views_the_commissions_and_the_period(client):
    doc = client.get("/api/graph").get_json()
    assert [v["name"] for v in doc["views"]] == ["officers", "members", "dispatch", "appeals"]
    assert [c["code"] for c in doc["committees"]] == ["JP-32", "JP-35"]
    assert doc["committees"][1]["label"] == {
        "ja": "山口県公安委員会",
        "en": "Yamaguchi Prefectural Public Safety Commission",
    }
    assert doc["period"] == {"first": "2019-04-18", "last": "2025-09-10"}
    assert doc["url"]["officers"] == "api/graph/officers"


@pytest.mark.parametrize("view", list(graphs.VIEWS))
def test_every_node_keeps_its_iri_labels_sessions_and_position(client, view):
    doc = api(client, view)
    assert doc["nodes"], view
    kinds = {k["name"] for k in doc["kinds"]}
    ids = set()
    for n in doc["nodes"]:
        ids.add(n["id"])
        assert n["iri"].startswith(ID) and n["kind"] in kinds
        assert n["href"] == "id/" + urllib.parse.quote(
            n["iri"][len(ID) :], safe="/-._~!$&'()*+,;=:@"
        )
        assert n["label"]["ja"] and isinstance(n["label"], dict)
        assert math.isfinite(n["x"]) and math.isfinite(n["y"]) and 0 <= n["size"] <= 1
        assert n["first"] <= n["last"]
        if n["sessions"]:
            assert n["first_session"].startswith(ID + "meeting/")
    assert len(ids) == len(doc["nodes"])
    for e in doc["edges"]:
        assert e["source"] in ids and e["target"] in ids and e["weight"] >= 1
        assert e["first"] <= e["last"]
    counted = {k["name"]: k["count"] for k in doc["kinds"]}
    for kind, count in counted.items():
        assert count == len(nodes_of(doc, kind))
    assert doc["total"] == {"nodes": len(doc["nodes"]), "edges": len(doc["edges"])}
    assert doc["truncated"] is False


@pytest.mark.parametrize("view", list(graphs.VIEWS))
def test_the_compact_answer_gives_the_same_edges_as_columns(client, view):
    """What the page asks for (compact=1): the same document, but the edges as columns of
    node indices, kind indices and weights, in the same order (edge k is "e{k}")."""
    doc = api(client, view)
    compact = api(client, view, compact="1")
    assert "edges" not in compact and compact["nodes"] == doc["nodes"]
    assert {k: v for k, v in compact.items() if k != "links"} == {
        k: v for k, v in doc.items() if k != "edges"
    }
    links, ids = compact["links"], [n["id"] for n in compact["nodes"]]
    assert sorted(links["kinds"]) == links["kinds"]
    assert [
        {
            "id": f"e{k}",
            "source": ids[s],
            "target": ids[t],
            "kind": links["kinds"][kind],
            "weight": w,
        }
        for k, (s, t, kind, w) in enumerate(
            zip(links["source"], links["target"], links["kind"], links["weight"], strict=True)
        )
    ] == [{k: v for k, v in e.items() if k not in ("first", "last")} for e in doc["edges"]]


# -- officers: who presented what, on which topic, with what outcome -------------------------


def test_officers_present_items_on_topics_as_the_store_says(client, store):
    doc = api(client, "officers")
    found = rows(
        store,
        """SELECT DISTINCT ?item ?officer WHERE { ?m ckg:agendaItem ?item .
        ?item ckg:presentedBy ?officer }""",
    )
    edges = edge_map(doc)
    assert found and all(frozenset(r) in edges for r in found)
    item = nodes_of(doc)[ID + "meeting/JP-35/2025-04-09/item/3"]
    assert item["kind"] == "decision" and item["label"]["ja"] == "警察職員の派遣に関する援助要求"
    assert item["outcome"] == {"ja": "決裁", "en": "Approved"}
    assert item["first"] == item["last"] == "2025-04-09" and item["sessions"] == 1
    officer = nodes_of(doc)[ID + "officer/JP-35/警備課長"]
    assert officer["label"]["ja"] == "警備課長" and officer["committee"] == "JP-35"
    assert officer["counts"].get("decision", 0) >= 1


def test_hiding_the_items_links_officers_to_topics_weighted_by_sessions(client, store):
    doc = api(client, "officers", kinds="officer,topic")
    assert {n["kind"] for n in doc["nodes"]} == {"officer", "topic"}
    expected = defaultdict(set)
    for m, officer, topic in rows(
        store,
        """SELECT DISTINCT ?m ?officer ?topic WHERE { ?m ckg:agendaItem ?item .
        ?item ckg:presentedBy ?officer ; dcterms:subject ?topic }""",
    ):
        expected[frozenset((officer, topic))].add(m)
    got = {k: e["weight"] for k, e in edge_map(doc).items()}
    assert got == {k: len(v) for k, v in expected.items()}
    assert max(got.values()) >= 2  # some officer brought one topic to several sessions


def test_the_committee_and_period_filters_narrow_the_graph(client):
    whole = api(client, "officers")
    shimane = api(client, "officers", committee="JP-32")
    assert 0 < len(shimane["nodes"]) < len(whole["nodes"])
    assert {n["committee"] for n in shimane["nodes"] if "committee" in n} == {"JP-32"}
    recent = api(client, "officers", **{"from": "2025", "to": "2025-06"})
    assert recent["filters"]["from"] == "2025-01-01" and recent["filters"]["to"] == "2025-06-30"
    assert recent["nodes"] and all(
        "2025-01-01" <= n["first"] <= n["last"] <= "2025-06-30" for n in recent["nodes"]
    )
    assert api(client, "officers", **{"from": "2030"})["nodes"] == []


def test_positions_are_the_same_every_time(app, store):
    from committee_kg.server.web.app import create_app

    first = api(app.test_client(), "members")
    other = create_app(str(store), workers=1)
    try:
        again = api(other.test_client(), "members")
    finally:
        other.extensions["committee_kg"]["pool"].close()
    pos = lambda d: {n["id"]: (n["x"], n["y"]) for n in d["nodes"]}  # noqa: E731
    assert pos(first) == pos(again)
    assert first["nodes"] == again["nodes"]


# -- members, dispatch, appeals -------------------------------------------------------------


def test_members_link_to_topics_and_the_officers_who_answered(client):
    doc = api(client, "members", committee="JP-35")
    remark = nodes_of(doc)[ID + "meeting/JP-35/2025-04-09/remark/1"]
    assert remark["kind"] == "remark" and remark["title"].startswith("発言1")
    edges = edge_map(doc)
    assert frozenset((ID + "member/JP-35/岡本", remark["id"])) in edges
    assert frozenset((remark["id"], ID + "officer/JP-35/生活安全部長")) in edges
    aggregate = api(client, "members", committee="JP-35", kinds="member,officer")
    assert frozenset((ID + "member/JP-35/岡本", ID + "officer/JP-35/生活安全部長")) in edge_map(
        aggregate
    )
    unnamed = api(client, "members", kinds="unnamed-member,topic")
    assert all(n["kind"] in ("unnamed-member", "topic") for n in unnamed["nodes"])


def test_an_answer_given_together_links_each_officer(client):
    """JP-35_2025-09-10: 松尾's question answered by 「生活安全部長及び刑事部長」."""
    doc = api(client, "members", committee="JP-35")
    remark = ID + "meeting/JP-35/2025-09-10/remark/1"
    edges = edge_map(doc)
    for post in ("生活安全部長", "刑事部長"):
        assert edges[frozenset((remark, ID + "officer/JP-35/" + post))]["kind"] == "answered"
    assert nodes_of(doc)[remark]["answer"].startswith("共同研究で用いるデータ")


def test_dispatch_requests_run_from_the_requesting_to_the_requested_committee(client):
    doc = api(client, "dispatch")
    assert doc["directed"] is True
    req = ID + "meeting/JP-35/2025-04-09/dispatch-request/JP-34"
    pairs = {(e["source"], e["target"]) for e in doc["edges"]}
    assert (ID + "committee/JP-34", req) in pairs and (req, ID + "committee/JP-35") in pairs
    direct = api(client, "dispatch", kinds="committee")
    edges = {(e["source"], e["target"]): e for e in direct["edges"]}
    assert (ID + "committee/JP-34", ID + "committee/JP-35") in edges
    assert (ID + "committee/JP-35", ID + "committee/JP-34") not in edges
    labels = nodes_of(direct)[ID + "committee/JP-34"]["label"]
    assert labels == {
        "ja": "広島県公安委員会",
        "en": "Hiroshima Prefectural Public Safety Commission",
    }


def test_an_appeal_is_a_path_through_time_on_its_own_row(client):
    doc = api(client, "appeals", committee="JP-35")
    assert doc["timeline"] is True
    appeal = ID + "appeal/JP-35/警察本部長/2019-05-10/1"
    events = sorted((n for n in doc["nodes"] if n.get("appeal") == appeal), key=lambda n: n["x"])
    assert [(n["kind"], n["date"]) for n in events] == [
        ("appeal", "2019-05-10"),
        ("receipt", "2019-06-12"),
        ("ruling", "2019-08-21"),
    ]
    assert events[1]["iri"] == ID + "meeting/JP-35/2019-06-12/item/2"
    assert events[2]["href"] == "id/meeting/JP-35/2019-08-21/item/3"
    assert len({n["y"] for n in events}) == 1
    chain = {(e["source"], e["target"]) for e in doc["edges"]}
    assert (events[0]["id"], events[1]["id"]) in chain and (
        events[1]["id"],
        events[2]["id"],
    ) in chain
    sessions = nodes_of(doc, "session")
    assert len(sessions) == 4 and len({n["y"] for n in sessions.values()}) == 1
    assert events[0]["y"] > next(iter(sessions.values()))["y"]
    xs = [n["x"] for n in sorted(sessions.values(), key=lambda n: n["date"])]
    assert xs == sorted(xs)
    assert any(a["role"] == "lane" and a["committee"] == "JP-35" for a in doc["axes"])


# -- sizes, communities, the cut ------------------------------------------------------------


@pytest.mark.parametrize("size", graphs.SIZES)
def test_node_size_follows_the_centrality_asked_for(client, size):
    doc = api(client, "officers", size=size)
    top = max(doc["nodes"], key=lambda n: n["centrality"])
    assert top["size"] == 1.0
    assert doc["communities"] >= 2
    assert {n["community"] for n in doc["nodes"]} == set(range(doc["communities"]))


def test_a_graph_past_the_limit_is_cut_and_says_so(app):
    app.config["GRAPH_MAX_NODES"] = 10
    try:
        resp = app.test_client().get("/api/graph/officers")
    finally:
        app.config["GRAPH_MAX_NODES"] = None
    doc = resp.get_json()
    assert resp.headers["X-Committee-KG-Truncated"] == "true"
    assert doc["truncated"] is True and len(doc["nodes"]) == 10
    assert doc["total"]["nodes"] > 10


def test_answers_are_cached_per_store_generation(example_store, tmp_path):
    from committee_kg.server.web.app import create_app

    store = writable_copy(example_store, tmp_path / "store")  # a new generation is written
    app = create_app(str(store), workers=1)
    try:
        client = app.test_client()
        client.get("/api/graph/dispatch")
        hit = client.get("/api/graph/dispatch")
        assert hit.headers["X-Committee-KG-Cache"] == "hit"
        assert hit.headers["Server-Timing"].startswith("graph;dur=")
        before = hit.headers["X-Committee-KG-Generation"]
        s = Store(store)
        s.publish()
        s.close()
        fresh = client.get("/api/graph/dispatch")
        assert fresh.headers["X-Committee-KG-Cache"] == "miss"
        assert fresh.headers["X-Committee-KG-Generation"] > before
        assert fresh.get_json()["nodes"] == hit.get_json()["nodes"]
    finally:
        app.extensions["committee_kg"]["pool"].close()


# -- downloads --------------------------------------------------------------------------------


def test_graphml_and_gexf_carry_the_same_graph_for_gephi(client):
    doc = api(client, "officers", committee="JP-35")
    resp = client.get("/api/graph/officers?committee=JP-35&format=graphml")
    assert resp.mimetype == "application/graphml+xml"
    assert resp.headers["Content-Disposition"].startswith("attachment; filename=")
    g = nx.read_graphml(io.BytesIO(resp.data))
    assert g.number_of_nodes() == len(doc["nodes"]) and g.number_of_edges() == len(doc["edges"])
    item = g.nodes[ID + "meeting/JP-35/2025-04-09/item/3"]
    assert item["label_ja"] == "警察職員の派遣に関する援助要求" and item["kind"] == "decision"
    resp = client.get("/api/graph/officers?committee=JP-35&format=gexf")
    assert resp.mimetype == "application/gexf+xml"
    g = nx.read_gexf(io.BytesIO(resp.data))
    assert g.number_of_nodes() == len(doc["nodes"])
    node = g.nodes[ID + "officer/JP-35/交通部長"]
    assert node["label"] == "交通部長" and "position" in node["viz"] and "color" in node["viz"]


# -- refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status", "says"),
    [
        ("/api/graph/nothing", 404, "no graph view"),
        ("/api/graph/officers?from=2019-13", 400, "from="),
        ("/api/graph/officers?from=2025&to=2019", 400, "after"),
        ("/api/graph/officers?committee=Yamaguchi", 400, "committee="),
        ("/api/graph/officers?kinds=officer,remark", 400, "remark"),
        ("/api/graph/officers?size=closeness", 400, "size="),
        ("/api/graph/officers?format=png", 406, "graphml"),
    ],
)
def test_bad_requests_get_a_problem_document(client, path, status, says):
    resp = client.get(path)
    assert resp.status_code == status and resp.mimetype == "application/problem+json"
    assert says in resp.get_json()["detail"]


# -- the page -----------------------------------------------------------------------------------


def test_the_page_works_under_a_proxy_prefix_with_a_strict_policy(client):
    """Every address on the page is the server's own, under the prefix a proxy serves it at
    (SCRIPT_NAME), and the graph is asked for relative to the page."""
    resp = client.get("/graph", environ_overrides={"SCRIPT_NAME": "/other"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "static/vendor/cytoscape/cytoscape.min.js" in html
    before, config = html.split('<script id="graph-config"')
    markup = before + config.split("</script>", 1)[1]
    urls = re.findall(r'(?:src|href)="([^"]*)"', markup)
    assert urls and all(u.startswith(("/other/", "#")) for u in urls), urls
    assert "http" not in markup
    script = ROOT / "server" / "web" / "static" / "graph" / "graph.js"
    assert 'return "api/graph/"' in script.read_text(encoding="utf-8")
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp


def test_labels_from_the_minutes_cannot_break_out_of_the_page(client, monkeypatch):
    evil = "</script><script>alert(1)</script><b>"
    real = graphs.overview

    def overview(snap):
        doc = real(snap)
        doc["committees"][0]["label"]["ja"] = evil
        return doc

    monkeypatch.setattr(graphs, "overview", overview)
    cache = client.application.extensions["committee_kg"]["graphs"]
    cache._overview.clear()  # computed once per generation: make it again, with the label
    try:
        html = client.get("/graph").get_data(as_text=True)
    finally:
        cache._overview.clear()
    assert evil not in html and "<script>alert" not in html
    config = html.split('id="graph-config" type="application/json">')[1].split("</script>")[0]
    assert json.loads(config)["committees"][0]["label"]["ja"] == evil


def test_the_vendored_cytoscape_keeps_its_licence():
    vendor = ROOT / "server" / "web" / "static" / "vendor" / "cytoscape"
    assert "Permission is hereby granted" in (vendor / "LICENSE").read_text()
    assert json.loads((vendor / "package.json").read_text())["license"] == "MIT"
    assert "sourceMappingURL" not in (vendor / "cytoscape.min.js").read_text()[-300:]


# -- pieces -------------------------------------------------------------------------------------


def test_dates_of_a_filter_take_a_year_a_month_or_a_day():
    view = graphs.VIEWS["officers"]
    f = graphs.parse_filters(view, {"from": "2024-02", "to": "2024-02"})
    assert (f.start.isoformat(), f.end.isoformat()) == ("2024-02-01", "2024-02-29")
    f = graphs.parse_filters(view, {"from": "2019-05-01", "to": "2020"})
    assert (f.start.isoformat(), f.end.isoformat()) == ("2019-05-01", "2020-12-31")
    assert graphs.parse_filters(view, {}).kinds == (
        "officer",
        "report",
        "decision",
        "consultation",
        "topic",
    )


def test_resource_paths_are_percent_encoded_only_at_the_boundary():
    assert graphs.href_of(ID + "officer/JP-35/交通部長", ID) == (
        "id/officer/JP-35/%E4%BA%A4%E9%80%9A%E9%83%A8%E9%95%B7"
    )
    assert graphs.href_of(ID + "meeting/JP-32/2025-06-19-臨時会/item/2", ID).endswith("/item/2")
    assert graphs.href_of("https://example.org/x", ID) is None


def test_the_force_layout_is_deterministic_and_keeps_neighbours_close():
    g = nx.connected_caveman_graph(12, 8)
    edges = np.array(list(g.edges()))
    w = np.ones(len(edges))
    a = graphs.force_layout(g.number_of_nodes(), edges[:, 0], edges[:, 1], w)
    b = graphs.force_layout(g.number_of_nodes(), edges[:, 0], edges[:, 1], w)
    assert np.array_equal(a, b) and np.isfinite(a).all()
    dist = np.sqrt(((a[:, None, :] - a[None, :, :]) ** 2).sum(-1))
    linked = np.mean([dist[u, v] for u, v in g.edges()])
    assert linked < 0.5 * dist[np.triu_indices(len(a), 1)].mean()
    assert dist[np.triu_indices(len(a), 1)].min() > 0.05  # no two nodes on top of each other
