"""One site (issue 18): every page in one language at a time, chosen once and remembered;
errors as pages for people and problem documents for programs; /search; the decisions
table; /dumps/ telling how to load each file (and the code it shows works); serve and
demo stopping cleanly on SIGINT and SIGTERM."""

from __future__ import annotations

import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from committee_kg.server.publish.dcat import Metadata
from committee_kg.server.publish.dump import dump
from committee_kg.server.query import catalogue
from committee_kg.server.store.store import Snapshot
from committee_kg.server.web.pages import RECIPES

from .support.server import start_server

BASE = "https://w3id.org/committee-kg/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


@pytest.fixture(scope="module")
def store(example_store) -> Path:
    return example_store


@pytest.fixture(scope="module")
def dumps(store, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site-dumps") / "dumps"
    dump(Snapshot(store), out, Metadata.from_settings(BASE))
    return out


@pytest.fixture(scope="module")
def client(store, dumps):
    from committee_kg.server.web.app import create_app

    app = create_app(str(store), workers=1, dumps=str(dumps))
    yield app.test_client()
    app.extensions["committee_kg"]["pool"].close()


def page(client, path: str, **headers):
    resp = client.get(path, headers={"Accept": BROWSER, **headers})
    return resp, resp.get_data(as_text=True)


def nav(html: str) -> str:
    return html.split('<header class="site">', 1)[1].split("</header>", 1)[0]


# -- the language ---------------------------------------------------------------------------


def test_a_page_speaks_one_language_chosen_once_and_remembered(client):
    _, ja = page(client, "/ontology", **{"Accept-Language": "ja"})
    assert '<html lang="ja">' in ja and ">語彙<" in nav(ja)
    resp, en = page(client, "/ontology?lang=en")
    assert '<html lang="en">' in en and ">Ontology<" in nav(en)
    assert "ckg_lang=en" in resp.headers["Set-Cookie"]
    assert "Cookie" in resp.headers["Vary"] and "Accept-Language" in resp.headers["Vary"]
    # the cookie is remembered by the client: the next page is English, whatever the browser
    _, next_page = page(client, "/id/committee/JP-35", **{"Accept-Language": "ja"})
    assert '<html lang="en">' in next_page
    assert "<h1>Yamaguchi Prefectural Public Safety Commission</h1>" in next_page
    # the navigation and the headings speak English only (the switch names 日本語 in itself)
    chrome = nav(next_page).replace(">日本語<", "")
    assert not JAPANESE.search(re.sub(r"<[^>]+>", "", chrome))
    page(client, "/?lang=ja")
    _, back = page(client, "/id/committee/JP-35")
    assert "<h1>山口県公安委員会</h1>" in back


def test_a_member_s_role_is_named_in_the_page_s_language(client):
    _, en = page(client, "/id/meeting/JP-35/2019-08-21?lang=en")
    members = en.split('id="attendance"', 1)[1].split("</ul>", 1)[0]
    roles = re.findall(r'<span class="role">([^<]*)</span>', members)
    assert roles and "Chairperson" in roles and not any(JAPANESE.search(r) for r in roles)
    _, ja = page(client, "/id/meeting/JP-35/2019-08-21?lang=ja")
    assert '<span class="role">委員長</span>' in ja


def test_without_a_choice_the_browser_s_language_decides(client):
    client.delete_cookie("ckg_lang")
    assert '<html lang="en">' in page(client, "/", **{"Accept-Language": "en-US,en;q=0.9"})[1]
    assert '<html lang="ja">' in page(client, "/", **{"Accept-Language": "ja-JP,ja;q=0.9"})[1]


def test_the_favicon(client):
    assert client.get("/favicon.ico").status_code == 200
    _, html = page(client, "/")
    assert 'rel="icon" href="/static/favicon.svg"' in html
    assert client.get("/static/favicon.svg").status_code == 200


# -- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/no-such-page", 404),
        ("/sparql?query=SELECT%20*%20WHERE%20%7B%0A%20%20%3Fs%20%3Fp%20%7D", 400),
        ("/?committee=Yamaguchi", 400),
        ("/api/graph/nothing", 404),
        ("/dumps/nothing.ttl", 404),
    ],
)
def test_an_error_is_a_page_for_people_and_a_problem_document_for_programs(client, path, status):
    resp, html = page(client, path, **{"Accept-Language": "en"})
    assert resp.status_code == status and resp.mimetype == "text/html"
    assert '<header class="site">' in html and "<h1>" in html
    program = client.get(path, headers={"Accept": "application/json"})
    assert program.status_code == status and program.mimetype == "application/problem+json"
    assert program.get_json()["status"] == status
    assert client.get(path).mimetype == "application/problem+json"  # curl: */*


def test_a_query_that_does_not_parse_is_shown_with_its_place_marked(client):
    _, html = page(client, "/sparql?query=SELECT%20*%20WHERE%20%7B%0A%20%20%3Fs%20%3Fp%20%7D")
    doc = client.get(
        "/sparql?query=SELECT%20*%20WHERE%20%7B%0A%20%20%3Fs%20%3Fp%20%7D",
        headers={"Accept": "application/sparql-results+json"},
    ).get_json()
    assert (doc["line"], doc["column"]) == (2, 10)
    assert '<span class="error-line">  ?s ?p }<mark class="error-at"> </mark></span>' in html


# -- search ---------------------------------------------------------------------------------


def test_search_finds_titles_explanations_remarks_and_names(client):
    found = client.get("/search?q=相談窓口があることを", headers={"Accept": "application/json"})
    hits = found.get_json()["results"]
    assert [h["where"] for h in hits] == ["remark"] and "/remark/" in hits[0]["node"]
    # full-width letters and digits are folded as the minutes are (NFKC)
    wide = client.get("/search?q=ＳＮＳ", headers={"Accept": "application/json"}).get_json()
    assert wide["q"] == "SNS"
    names = client.get("/search?q=サイバー", headers={"Accept": "application/json"}).get_json()
    assert any(n.endswith("topic/cybercrime") for n in names["names"])
    _, html = page(client, "/search?q=相談窓口があることを")
    assert "<mark>相談窓口があることを</mark>" in html and 'class="hit remark"' in html


def test_api_search_answers_from_the_index_as_the_catalogue_scan_would(client, store):
    """/api/search reads the generation's full-text index (issue 19); its hits are the
    texts the catalogue's text-search finds by scanning, each with its matched text."""
    snapshot = Snapshot(store)
    assert snapshot.text_index() is not None
    for q in ("援助要求", "交通", "相談窓口", "ＳＮＳ", "鑑"):
        doc = client.get(f"/api/search?q={q}").get_json()
        scan = catalogue.get("text-search").render({"text": doc["q"]}, snapshot.base)
        expected = {(r["node"].value, r["where"].value) for r in snapshot.query(scan)}
        if len(expected) < 100:
            assert not doc["truncated"]
            assert {(h["node"], h["where"]) for h in doc["results"]} == expected, q
        for h in doc["results"]:
            assert doc["q"] in h["found"] and h["date"][:2] == "20"


# -- the meeting page and the dumps page -----------------------------------------------------


def test_the_decisions_table_lists_decisions_only(client, store):
    """Reports received (報告受理) and consultations (了承) have outcomes too, but only the
    items the commission decided are its decisions."""
    meeting = BASE + "id/meeting/JP-35/2025-04-09"
    rows = Snapshot(store).query(
        f"""SELECT ?p ?decision WHERE {{ <{meeting}> <{BASE}ontology#agendaItem> ?i .
        ?i <http://schema.org/position> ?p ; <{BASE}ontology#outcome> ?o .
        BIND(EXISTS {{ ?i a <{BASE}ontology#Decision> }} AS ?decision) }}"""
    )
    outcomes = {int(r["p"].value): r["decision"].value == "true" for r in rows}
    assert any(outcomes.values()) and not all(outcomes.values())
    _, html = page(client, "/id/meeting/JP-35/2025-04-09")
    table = html.split('id="decisions-table"', 1)[1].split("</table>", 1)[0]
    listed = {int(n) for n in re.findall(r'<a href="#item-(\d+)">', table)}
    assert listed == {p for p, decided in outcomes.items() if decided}


def test_the_dumps_page_says_how_to_load_each_file(client, dumps):
    _, html = page(client, "/dumps/")
    files = re.findall(r'<tr><td><a href="/dumps/([^"]+)"><code>', html)
    assert "dataset.jsonld" in files and "meetings/" not in " ".join(files)
    for name in files:
        row = html.split(f"<code>{name}</code>", 1)[1].split("</tr>", 1)[0]
        assert 'href="#load-' in row, name
    assert "dataset.jsonld too holds nothing but named" in page(client, "/dumps/?lang=en")[1]


@pytest.mark.slow  # the whole dataset read by rdflib, in every format shown
def test_the_code_the_dumps_page_shows_loads_what_it_says(dumps, monkeypatch):
    """Each recipe's Python, run as shown in the dump's directory, loads statements; and
    the warning is true: rdflib's Graph reads nothing of dataset.jsonld, a Dataset all."""
    monkeypatch.chdir(dumps)
    meeting = next(str(p.relative_to(dumps)) for p in sorted(dumps.glob("meetings/*/*.ttl")))
    for recipe in RECIPES:
        code = recipe.code.replace("{meeting}", meeting)
        if recipe.key == "sums":
            assert subprocess.run(code.split(), capture_output=True).returncode == 0
            continue
        scope: dict = {}
        exec(compile(code, recipe.key, "exec"), scope)
        loaded = scope.get("store") if "store" in scope else scope["g"]
        assert len(loaded) > 100, recipe.key
    assert len(Graph().parse("dataset.jsonld", format="json-ld")) == 0
    assert len(list(Dataset().parse("dataset.jsonld", format="json-ld").quads())) > 1000


# -- stopping -------------------------------------------------------------------------------


@pytest.mark.slow  # serve as a process, twice
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_serve_stops_cleanly_on_sigint_and_sigterm(store, sig):
    """Started as a shell starts a background job (SIGINT ignored, which Python keeps), the
    server still stops on either signal: exit 0, its query workers gone, no traceback."""
    proc, _ = start_server(
        store,
        "--workers",
        "1",
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    helpers = _descendants(proc.pid)
    assert len(helpers) >= 2, "the query workers (and their fork server) run beside it"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert b"stopped" in err and b"Traceback" not in err
    for _ in range(100):  # the fork server leaves once it sees its parent gone
        if not [c for c in helpers if not _zombie(c)]:
            break
        time.sleep(0.1)
    assert not [c for c in helpers if not _zombie(c)]


def _descendants(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid="], capture_output=True, text=True)
    parent = dict(tuple(map(int, line.split()))[::1] for line in out.stdout.splitlines())
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, pp in parent.items() if pp == p]
        found += kids
        todo += kids
    return found


def _zombie(pid: int) -> bool:
    """Gone, or dead and waiting for its parent to read its status."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return True


def test_demo_says_how_far_it_is_where_no_progress_bar_can_be_drawn(capsys):
    from committee_kg.server.cli import _progress_lines

    class Done:
        ok = True

    heard = _progress_lines(41, "ingested")
    for _ in range(41):
        heard(Done())
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "demo: ingested 10 of 41",
        "demo: ingested 20 of 41",
        "demo: ingested 31 of 41",
    ]
