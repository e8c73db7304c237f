"""The SPARQL endpoint under the real WSGI server, queried by real clients."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from SPARQLWrapper import CSV, JSON, SPARQLWrapper

from .conftest import example_files

COUNT = (
    "PREFIX ckg: <https://w3id.org/committee-kg/ontology#> "
    "SELECT (COUNT(?m) AS ?n) WHERE { ?m a ckg:Meeting }"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store = tmp_path_factory.mktemp("srv") / "store"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "server.cli",
            "ingest",
            "--store",
            str(store),
            *map(str, example_files()),
        ],
        check=True,
        capture_output=True,
    )
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "server.cli", "serve", "--store", str(store), "--port", str(port)],
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/health", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def get(url, accept=None):
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers.get_content_type(), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get_content_type(), e.read()


def test_sparqlwrapper_json_and_csv(server):
    sw = SPARQLWrapper(server + "/sparql")
    sw.setQuery(COUNT)
    sw.setReturnFormat(JSON)
    n = sw.query().convert()["results"]["bindings"][0]["n"]["value"]
    assert int(n) == len(example_files())
    sw.setReturnFormat(CSV)
    sw.setMethod("POST")
    assert sw.query().convert().decode().splitlines()[1] == str(len(example_files()))


def test_construct_as_turtle(server):
    q = urllib.parse.quote("CONSTRUCT { ?m a ?t } WHERE { ?m a ?t } LIMIT 3")
    status, ctype, body = get(f"{server}/sparql?query={q}", "text/turtle")
    assert status == 200 and ctype == "text/turtle" and b" a " in body


def test_update_is_forbidden(server):
    data = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    req = urllib.request.Request(server + "/sparql", data=data)
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code == 403
    assert "read-only" in json.loads(err.value.read())["detail"]


def test_service_is_refused(server):
    q = urllib.parse.quote("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    status, ctype, _body = get(f"{server}/sparql?query={q}")
    assert status == 400 and ctype == "application/problem+json"


def test_syntax_error_is_a_problem_document(server):
    status, ctype, body = get(f"{server}/sparql?query=SELEKT")
    assert status == 400 and ctype == "application/problem+json"
    assert "Traceback" not in body.decode()


def test_browser_gets_a_page_and_machines_a_service_description(server):
    status, ctype, body = get(server + "/sparql", "text/html")
    assert status == 200 and ctype == "text/html" and "yasgui.min.js" in body.decode()
    status, ctype, body = get(server + "/sparql", "text/turtle")
    assert ctype == "text/turtle" and b"sd:Service" in body
    status, ctype, body = get(server + "/")
    assert "2025-06-19-臨時会" in body.decode()
