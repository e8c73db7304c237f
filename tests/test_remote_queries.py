"""Queries to a SPARQL server behind `serve --store URL` (issue 20): our time limit holds on
our side whatever the server does, at most `workers` queries go to it at once, and our
refusals run before anything is sent. The server here is a small real HTTP server in this
process that answers the publication counter at once and a query marked SLOW only after a
while (or never, within the test)."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from committee_kg.loaders.errors import (
    CommitteeKGError,
    QueryRefused,
    QueryTimeout,
    ServerBusy,
    UpdateRefused,
)
from committee_kg.server.query.sparql import Request
from committee_kg.server.query.workers import RemoteQueries, query_runner

EMPTY = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": []}}).encode()
# an answer of 20,000 rows (~1 MB): what a server gives a query that asks for too much
BIG = json.dumps(
    {
        "head": {"vars": ["n"]},
        "results": {
            "bindings": [{"n": {"type": "literal", "value": f"row {k}"}} for k in range(20_000)]
        },
    }
).encode()


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        query = urllib.parse.parse_qs(self.rfile.read(length).decode())["query"][0]
        self.server.seen.append(query)
        if "SLOW" in query:
            self.server.release.wait(10)
        body = BIG if "BIG" in query else EMPTY
        try:
            self.send_response(200)
            if "PARTIAL" in query:  # Virtuoso's anytime query: a part of the answer, a 200
                self.send_header("X-SQL-State", "S1TAT")
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client stopped waiting (the time limit): nothing to answer

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.seen, httpd.release = [], threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, f"http://127.0.0.1:{httpd.server_address[1]}/query"
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()


def test_a_url_gets_http_queries_not_worker_processes(server):
    _, url = server
    runner = query_runner(url, workers=2, timeout=5, wait=1, memory_mb=None)
    assert isinstance(runner, RemoteQueries)
    result = runner.run(Request("SELECT ?n WHERE { ?n ?p ?o }"))
    assert result.kind == "solutions" and result.rows == 0 and result.generation == "remote-0"


def test_a_server_slower_than_the_time_limit_gives_a_timeout(server):
    _, url = server
    runner = RemoteQueries(url, workers=1, timeout=0.5, wait=5)
    with pytest.raises(QueryTimeout, match="did not answer within the time limit"):
        runner.run(Request("SELECT * WHERE { ?s ?p ?o } # SLOW"))


def test_no_more_than_workers_queries_go_to_the_server_at_once(server):
    httpd, url = server
    runner = RemoteQueries(url, workers=1, timeout=30, wait=0.2)
    first: dict = {}
    slow = threading.Thread(
        target=lambda: first.update(r=runner.run(Request("SELECT * WHERE { ?s ?p ?o } # SLOW"))),
        daemon=True,
    )
    slow.start()
    for _ in range(1000):  # until the slow query has reached the server
        if any("SLOW" in q for q in httpd.seen):
            break
        slow.join(0.01)
    # the one place is taken by a query the server has not answered: the next is told to
    # come back later rather than piling onto a slow server
    with pytest.raises(ServerBusy):
        runner.run(Request("SELECT * WHERE { ?s ?p ?o }"))
    httpd.release.set()
    slow.join(10)
    assert first["r"].kind == "solutions"
    assert runner.run(Request("SELECT * WHERE { ?s ?p ?o }")).kind == "solutions"


def test_an_answer_past_the_byte_cap_fails_before_it_fills_memory(server, monkeypatch):
    """The server's answer is read only up to store_max_answer_bytes: past it the query
    fails with a message saying why, rather than the whole answer being held before our row
    cap applies; an answer under the cap is read as before."""
    _, url = server
    monkeypatch.setenv("COMMITTEE_KG_STORE_MAX_ANSWER_BYTES", str(len(BIG) // 2))
    runner = RemoteQueries(url, workers=1, timeout=5)
    with pytest.raises(CommitteeKGError, match=r"larger than .* bytes"):
        runner.run(Request("SELECT * WHERE { ?s ?p ?o } # BIG"))
    assert runner.run(Request("SELECT * WHERE { ?s ?p ?o }")).kind == "solutions"
    monkeypatch.setenv("COMMITTEE_KG_STORE_MAX_ANSWER_BYTES", str(len(BIG)))
    big = RemoteQueries(url, workers=1, timeout=5).run(Request("SELECT * WHERE { ?s ?p ?o } # BIG"))
    assert big.rows == 10_000 and big.truncated  # read whole, then our row cap


def test_a_partial_answer_is_no_answer(server):
    """Virtuoso answers a query that reached its own limit with what it had, a 200 and an
    X-SQL-State header: that is a time-out, never rows passed on as the whole answer."""
    _, url = server
    runner = RemoteQueries(url, workers=1, timeout=5)
    with pytest.raises(QueryTimeout, match="only part of its answer"):
        runner.run(Request("SELECT * WHERE { ?s ?p ?o } # PARTIAL"))


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", UpdateRefused),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }", QueryRefused),
    ],
)
def test_our_refusals_run_before_anything_reaches_the_server(server, query, error):
    httpd, url = server
    runner = RemoteQueries(url, workers=1, timeout=5)
    before = list(httpd.seen)
    with pytest.raises(error):
        runner.run(Request(query))
    assert not [q for q in httpd.seen[len(before) :] if "urn:b" in q or "SERVICE" in q]
