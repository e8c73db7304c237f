"""`committee-kg serve --store URL` (issue 20): a stateless front over a SPARQL server. The
examples are ingested into Virtuoso, and a `serve` over it answers as a `serve` over the
embedded example store: every catalogue query, a SPARQL query, a meeting's, a member's and an
officer's page (the same facts; the HTML the same but for the generation it names), a graph
view. Two fronts over one server answer alike (fronts behind a load balancer)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.parse
from collections import Counter

import pyoxigraph as ox
import pytest

from committee_kg.server.query import catalogue
from committee_kg.server.settings import default
from committee_kg.server.web.guards import ROWS_HEADER, TRUNCATED_HEADER

from .support import example_files
from .support.server import call, start_server, stop_server
from .support.virtuoso import PASSWORD, USER, as_virtuoso_gives

pytestmark = pytest.mark.slow

BASE = "https://w3id.org/committee-kg/"
ENV = {"COMMITTEE_KG_STORE_USER": USER, "COMMITTEE_KG_STORE_PASSWORD": PASSWORD}
MAX_ROWS = default("max_rows")
PAGES = ["meeting/JP-35/2025-04-09", "member/JP-32/三浦", "officer/JP-35/警務部長"]


@pytest.fixture(scope="module")
def fronts(virtuoso, example_store):
    """(two serves over Virtuoso filled by ingest, one serve over the embedded store)."""
    virtuoso.clear(BASE)
    subprocess.run(
        [sys.executable, "-m", "committee_kg.server.cli", "ingest", "--store", virtuoso.url]
        + [str(f) for f in example_files()],
        check=True,
        capture_output=True,
        timeout=600,
        env={**os.environ, **ENV},
    )
    started = [start_server(virtuoso.url), start_server(virtuoso.url), start_server(example_store)]
    yield [url for _, url in started]
    for proc, _ in started:
        assert "Traceback" not in stop_server(proc)
    virtuoso.clear(BASE)


def _get(url: str, path: str, accept: str = "application/json") -> bytes:
    status, _, body = call(url + path, headers={"Accept": accept}, timeout=120)
    assert status == 200, (path, body[:500])
    return body


def _rows(body: bytes, virtuoso: bool = False) -> Counter:
    answer = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    names = [v.value for v in answer.variables]
    found = Counter(tuple(str(s[n]) if s[n] is not None else None for n in names) for s in answer)
    if virtuoso:  # the two differences of Virtuoso's SPARQL the README lists
        found = Counter({as_virtuoso_gives(r): n for r, n in found.items()})
    return found


def _catalogue_paths() -> list[str]:
    out = []
    for name, q in sorted(catalogue.catalogue().items()):
        examples = {p.name: p.example for p in q.params if p.example}
        out.append(f"/api/queries/{name}?" + urllib.parse.urlencode(examples))
    return out


def test_every_catalogue_query_through_a_front_on_virtuoso_answers_as_on_the_embedded_store(
    fronts,
):
    remote, _, embedded = fronts
    listed = json.loads(_get(remote, "/api/queries"))
    assert [q["name"] for q in listed] == sorted(catalogue.catalogue())
    differ = {}
    for path in _catalogue_paths():
        got = _rows(_get(remote, path))
        expected = _rows(_get(embedded, path), virtuoso=True)
        assert expected, path  # the examples answer every catalogue query with rows
        if got != expected:
            differ[path] = (expected - got, got - expected)
    assert not differ, differ


def test_sparql_through_a_front_keeps_our_rules_and_answers_as_the_embedded_store(fronts):
    remote, _, embedded = fronts
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?m a <{BASE}ontology#Meeting> }}"
    path = "/sparql?" + urllib.parse.urlencode({"query": count})
    got = _rows(_get(remote, path))
    assert got == _rows(_get(embedded, path)) and got == Counter(
        [(f'"{len(example_files())}"^^<http://www.w3.org/2001/XMLSchema#integer>',)]
    )
    # our row cap and refusals apply on the front, whatever the server would do
    everything = f"SELECT * WHERE {{ ?m a <{BASE}ontology#Meeting> . ?s ?p ?o }}"
    status, headers, body = call(
        remote + "/sparql?" + urllib.parse.urlencode({"query": everything}),
        headers={"Accept": "application/sparql-results+json"},
        timeout=120,
    )
    assert status == 200 and headers[TRUNCATED_HEADER] == "true"
    assert sum(_rows(body).values()) == int(headers[ROWS_HEADER]) == MAX_ROWS
    for query in (
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
        "SELECT * FROM <http://example.org/elsewhere> WHERE { ?s ?p ?o }",
        'define get:soft "soft" SELECT * WHERE { ?s ?p ?o }',
        'SELECT * WHERE { ?s ?p ?o FILTER(bif:contains(?o, "x")) }',
    ):
        status, headers, body = call(remote + "/sparql?" + urllib.parse.urlencode({"query": query}))
        assert status in (400, 403), (query, body)
        assert headers.get_content_type() == "application/problem+json"


def _generation_free(html: bytes) -> str:
    return re.sub(r"(remote-)?\d{8}T\d{6}[^\"<\s]*|remote-\d+", "GEN", html.decode())


@pytest.mark.parametrize("page", PAGES)
def test_a_resource_page_through_a_front_shows_the_same_facts(fronts, page):
    remote, _, embedded = fronts
    path = "/id/" + urllib.parse.quote(page)
    facts = [
        set(ox.parse(_get(u, path, "application/n-triples"), format=ox.RdfFormat.N_TRIPLES))
        for u in (remote, embedded)
    ]
    assert facts[0] and facts[0] == facts[1]
    html = [_generation_free(_get(u, path, "text/html")) for u in (remote, embedded)]
    assert html[0] == html[1]


def test_a_graph_view_through_a_front_is_the_embedded_stores(fronts):
    remote, _, embedded = fronts
    views, theirs = (json.loads(_get(u, "/api/graph")) for u in (remote, embedded))
    assert views.pop("generation").startswith("remote-") and theirs.pop("generation")
    assert views == theirs
    name = views["views"][0]["name"]
    path = f"/api/graph/{name}?committee=JP-35"
    got, expected = (json.loads(_get(u, path)) for u in (remote, embedded))
    for d in (got, expected):  # when, and how long it took, not what it is
        d.pop("generation", None), d.pop("seconds", None)
    assert got["nodes"] and got == expected


def test_two_fronts_on_one_server_answer_alike(fronts):
    first, second, _ = fronts
    for path in [*_catalogue_paths(), "/health", "/api/graph"]:
        assert _get(first, path) == _get(second, path), path
    assert json.loads(_get(first, "/health"))["generation"].startswith("remote-")
    search = "/search?" + urllib.parse.urlencode({"q": "援助要求"})
    assert _get(first, search, "text/html") == _get(second, search, "text/html")
