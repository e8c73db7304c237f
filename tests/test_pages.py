"""Dereferenceable IRIs, resource pages, the ontology's documentation and /dumps/ (issue 6,
points 2–7): every IRI under id/ answers; content negotiation; a 404 that helps; the meeting
page as a table of contents; sessions over time; passages with their surroundings; text from
the minutes escaped and a Content-Security-Policy on every response; media types, ETag and
Last-Modified of the dumps; links under a proxy prefix; and a harvester that knows only DCAT
finds and verifies every file through a real server."""

from __future__ import annotations

import gzip
import hashlib
import re
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from committee_kg.loaders.reference import ontology_graph
from committee_kg.server.media import DUMP_FILES, PAGES, http_media_type
from committee_kg.server.publish.dcat import Metadata
from committee_kg.server.publish.dump import dump, read_sums
from committee_kg.server.store.store import Snapshot

from .support.pages import (
    HOSTILE_MEETING,
    HOSTILE_REMARK,
    HOSTILE_TITLE,
)

BASE = "https://w3id.org/committee-kg/"
ID = BASE + "id/"
MEETING = ID + "meeting/JP-35/2025-04-09"
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
CKG = Namespace("https://w3id.org/committee-kg/ontology#")


@pytest.fixture(scope="module")
def store(marked_up_store) -> Path:
    return marked_up_store


@pytest.fixture(scope="module")
def dumps(store, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pages-dumps") / "dumps"
    dump(Snapshot(store), out, Metadata.from_settings(BASE))
    return out


@pytest.fixture(scope="module")
def client(store, dumps):
    from committee_kg.server.web.app import create_app

    app = create_app(str(store), workers=1, dumps=str(dumps))
    try:
        yield app.test_client()
    finally:
        app.extensions["committee_kg"]["pool"].close()


def path_of(iri: str) -> str:
    return "/" + urllib.parse.quote(iri[len(BASE) :])


def get(client, iri_or_path: str, accept: str = "text/html", **kw):
    path = path_of(iri_or_path) if iri_or_path.startswith(BASE) else iri_or_path
    return client.get(path, headers={"Accept": accept, **kw.pop("headers", {})}, **kw)


def text_of(resp) -> str:
    """The visible text of an HTML page (tags dropped, entities decoded)."""

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.parts: list[str] = []

        def handle_data(self, data):
            self.parts.append(data)

    p = Text()
    p.feed(resp.get_data(as_text=True))
    return " ".join(p.parts)


def ids_in(store: Path) -> list[str]:
    snap = Snapshot(store)
    found = set()
    for q in snap.db:
        for t in (q.subject, q.object):
            if isinstance(t, ox.NamedNode) and t.value.startswith(ID):
                found.add(t.value)
    return sorted(found)


# -- every IRI answers ----------------------------------------------------------------------


@pytest.mark.slow  # every IRI of the store, each page rendered
def test_every_iri_under_id_answers_with_its_description(client, store):
    iris = ids_in(store)
    assert len(iris) > 1000
    for iri in iris:
        resp = get(client, iri, "text/turtle")
        assert resp.status_code == 200, iri
        g = Graph().parse(data=resp.get_data(as_text=True), format="turtle")
        assert (URIRef(iri), None, None) in g or (None, None, URIRef(iri)) in g, iri


@pytest.mark.slow  # a page for several nodes of every kind, each checked whole
def test_a_page_for_a_sample_of_every_kind(client, store):
    snap = Snapshot(store)
    by_type: dict[str, list[str]] = {}
    for q in snap.db.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), None, None):
        if q.subject.value.startswith(ID):
            by_type.setdefault(q.object.value, []).append(q.subject.value)
    assert len(by_type) >= 20
    for _kind, iris in sorted(by_type.items()):
        for iri in sorted(set(iris))[:: max(1, len(set(iris)) // 5)]:
            resp = get(client, iri)
            assert resp.status_code == 200, iri
            assert resp.mimetype == "text/html"
            assert "<h1>" in resp.get_data(as_text=True), iri


# -- content negotiation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "query", "media", "fmt"),
    [
        ("text/turtle", "", "text/turtle", "turtle"),
        ("application/n-triples", "", "application/n-triples", "nt"),
        ("application/ld+json", "", "application/ld+json", "json-ld"),
        ("application/json", "", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "", "application/rdf+xml", "xml"),
        ("text/html", "?format=ttl", "text/turtle", "turtle"),
        ("text/html", "?format=jsonld", "application/ld+json", "json-ld"),
        ("text/html", "?format=nt", "application/n-triples", "nt"),
        ("text/turtle;q=0.5, application/ld+json", "", "application/ld+json", "json-ld"),
    ],
)
def test_machines_get_a_concise_bounded_description(client, accept, query, media, fmt):
    resp = client.get(path_of(MEETING) + query, headers={"Accept": accept})
    assert resp.status_code == 200
    assert resp.mimetype == media
    assert "Accept" in resp.headers.get("Vary", "")
    g = Graph().parse(data=resp.get_data(as_text=True), format=fmt)
    m = URIRef(MEETING)
    assert (m, RDF.type, CKG.Meeting) in g
    assert (m, CKG.memberPresent, URIRef(ID + "member/JP-35/上田")) in g
    # the labels of its neighbours, and nothing of theirs beyond that
    member = URIRef(ID + "member/JP-35/上田")
    assert (member, RDFS.label, Literal("上田委員", lang="ja")) in g
    assert (member, RDF.type, None) not in g
    assert (URIRef(ID + "committee/JP-35"), RDFS.label, None) in g


def test_browsers_and_curl_get_html(client):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for accept in (browser, "*/*", None):
        headers = {"Accept": accept} if accept else {}
        resp = client.get(path_of(MEETING), headers=headers)
        assert resp.status_code == 200 and resp.mimetype == "text/html", accept


def test_a_type_nobody_offers_is_refused(client):
    resp = get(client, MEETING, "image/png")
    assert resp.status_code == 406
    assert "text/turtle" in resp.get_json()["detail"]


def test_the_description_of_a_passage_includes_its_selectors(client, store):
    snap = Snapshot(store)
    passage = next(
        q.subject.value
        for q in snap.db.quads_for_pattern(None, None, ox.NamedNode(str(CKG.Passage)), None)
    )
    g = Graph().parse(data=get(client, passage, "text/turtle").get_data(as_text=True))
    OA = Namespace("http://www.w3.org/ns/oa#")
    starts = list(g.objects(None, OA.start))
    exact = list(g.objects(None, OA.exact))
    assert len(starts) == 1 and len(exact) == 1


def test_a_session_graph_dereferences(client):
    graph = BASE + "graph/meeting/JP-35/2025-04-09"
    resp = client.get(path_of(graph), headers={"Accept": "text/turtle"})
    assert resp.status_code == 200 and resp.mimetype == "text/turtle"
    assert len(Graph().parse(data=resp.get_data(as_text=True))) > 500
    html = client.get(path_of(graph), headers={"Accept": "text/html"})
    assert html.status_code == 303 and html.headers["Location"].endswith(path_of(MEETING))


# -- not found ------------------------------------------------------------------------------


def test_an_unknown_iri_gets_a_404_page_that_helps(client):
    resp = get(client, ID + "meeting/JP-35/2025-04-10")
    assert resp.status_code == 404 and resp.mimetype == "text/html"
    body = resp.get_data(as_text=True)
    # the sessions of that commission nearest to the date, and where to look further
    assert path_of(MEETING) in body
    assert 'href="/sparql"' in body
    assert "2025-04-10" in text_of(resp)
    machine = get(client, ID + "meeting/JP-35/2025-04-10", "text/turtle")
    assert machine.status_code == 404 and machine.mimetype == "application/problem+json"


def test_a_404_names_the_resources_above_it(client):
    resp = get(client, ID + "meeting/JP-35/2025-04-09/item/99")
    assert resp.status_code == 404
    assert path_of(MEETING) in resp.get_data(as_text=True)


# -- the pages ------------------------------------------------------------------------------


def test_the_meeting_page_reads_like_a_table_of_contents(client):
    resp = get(client, MEETING)
    text = text_of(resp)
    html = resp.get_data(as_text=True)
    for words in (
        "山口県公安委員会 2025-04-09",
        "Yamaguchi Prefectural Public Safety Commission",
        "出席者",
        "上田委員",
        "委員長",
        "警務部長",
        "議事",
        "令和6年中の交通事故死者数の推移",
        "サイバー犯罪対策の強化",
        "決定事項",
        "決裁",
    ):
        assert words in text, words
    # items in order, each with its presenter; remarks with the reply they get
    positions = [int(n) for n in re.findall(r'id="item-(\d+)"', html)]
    assert positions == sorted(positions) and len(positions) == 7
    assert "生活安全部長" in text
    assert 'href="#remark-1"' in html and "発言1への回答" in text
    assert path_of(ID + "member/JP-35/上田") in html


def test_a_remark_given_together_names_each_speaker(client):
    """JP-35_2025-09-10: the answer 「生活安全部長及び刑事部長から」 links both officers."""
    html = get(client, ID + "meeting/JP-35/2025-09-10").get_data(as_text=True)
    remark = html.split('id="remark-2"', 1)[1].split("</li>", 1)[0]
    speaker = remark.split('class="speaker">', 1)[1].split("</p>", 1)[0]
    assert path_of(ID + "officer/JP-35/生活安全部長") in speaker
    assert path_of(ID + "officer/JP-35/刑事部長") in speaker
    assert speaker.index("生活安全部長") < speaker.index("刑事部長")  # in the order first read
    item = html.split('id="item-1"', 1)[1].split('class="remarks"', 1)[0]
    assert item.index("生活安全部長") < item.index("刑事部長")  # the presenters likewise


@pytest.mark.parametrize(
    "iri",
    [ID + "committee/JP-35", ID + "member/JP-35/上田", ID + "officer/JP-35/警務部長"],
)
def test_committee_member_and_officer_pages_list_their_sessions(client, iri):
    html = get(client, iri).get_data(as_text=True)
    section = html.split('class="sessions"', 1)[1].split("</section>", 1)[0]
    dates = re.findall(r'<td class="date">(\d{4}-\d{2}-\d{2})</td>', section)
    assert len(dates) >= 2 and dates == sorted(dates, reverse=True)
    assert path_of(MEETING) in section


def test_an_extracted_node_shows_its_passage_and_links_the_whole_text(client):
    resp = get(client, MEETING + "/remark/1")
    html = resp.get_data(as_text=True)
    assert "<mark>" in html
    text = text_of(resp)
    assert "県内の中小企業では" in text
    # surroundings: what comes before and after the quoted words
    assert "旨の説明があった" in text
    link = re.search(r'href="(/id/source/[0-9a-f]+\?start=\d+&amp;end=\d+#passage)"', html)
    assert link
    source = client.get(link.group(1).replace("&amp;", "&"), headers={"Accept": "text/html"})
    assert source.status_code == 200
    body = source.get_data(as_text=True)
    assert '<mark id="passage">' in body
    assert "公安委員会会議録" in text_of(source) or "会議録" in text_of(source)


def test_a_long_literal_does_not_bloat_other_pages(client):
    html = get(client, MEETING).get_data(as_text=True)
    assert len(html) < 80_000
    assert "normalizedText" not in html


def test_labels_in_japanese_and_english_and_types(client):
    resp = get(client, ID + "committee/JP-35")
    text = text_of(resp)
    assert "山口県公安委員会" in text and "Yamaguchi Prefectural Public Safety Commission" in text
    assert "委員会" in text and "ckg:Committee" in text


# -- escaping and CSP -----------------------------------------------------------------------


def test_text_from_the_minutes_never_becomes_markup(client):
    pages = [HOSTILE_MEETING, HOSTILE_MEETING + "/item/2", HOSTILE_MEETING + "/remark/3"]
    for iri in pages:
        resp = get(client, iri)
        assert resp.status_code == 200, iri
        html = resp.get_data(as_text=True)
        assert "<script>" not in html and "<script" not in html.lower(), iri
        assert "<img" not in html and "onerror=" not in html.replace("onerror=&#34;", ""), iri
        text = text_of(resp)
        assert HOSTILE_TITLE in text or HOSTILE_REMARK in text, iri
    html = get(client, HOSTILE_MEETING).get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html
    assert "&#39;ある&#39;" in html


def test_every_response_carries_a_content_security_policy(client):
    for path in (
        path_of(MEETING),
        path_of(MEETING) + "?format=ttl",
        "/ontology",
        "/dumps/",
        "/dumps/dataset.ttl",
        "/id/nothing",
        "/sparql",
        "/",
        "/health",
    ):
        resp = client.get(path)
        csp = resp.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp and "object-src 'none'" in csp, path
        script = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
        assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script, path
        assert resp.headers.get("X-Content-Type-Options") == "nosniff", path


# -- the ontology ---------------------------------------------------------------------------


def test_the_ontology_is_documented_at_its_namespace_path(client):
    resp = client.get("/ontology", headers={"Accept": "text/html"})
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    text = text_of(resp)
    for words in ("会議", "Meeting", "出席委員", "ckg:memberPresent", "Committee", "SHACL"):
        assert words in text or words in html, words
    assert 'id="Meeting"' in html and 'id="memberPresent"' in html
    # shapes that apply, with their names
    assert "開催日" in text and "Violation" in text
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.mimetype == "text/turtle"
    assert isomorphic(Graph().parse(data=turtle.get_data(as_text=True)), ontology_graph())


def test_links_to_terms_go_to_the_ontology_page(client):
    html = get(client, MEETING).get_data(as_text=True)
    assert 'href="/ontology#Meeting"' in html


# -- /dumps/ --------------------------------------------------------------------------------


def test_every_dump_file_is_served_with_its_media_type_size_and_validators(client, dumps):
    sums = read_sums(dumps)
    for name in [*sums, "SHA256SUMS"]:
        resp = client.get("/dumps/" + urllib.parse.quote(name))
        assert resp.status_code == 200, name
        data = resp.get_data()
        assert data == (dumps / name).read_bytes(), name
        assert resp.mimetype == http_media_type(name), name
        if resp.mimetype.startswith("text/"):
            assert resp.mimetype_params == {"charset": "utf-8"}, name
        assert int(resp.headers["Content-Length"]) == len(data), name
        assert resp.headers["Last-Modified"], name
        etag = resp.headers["ETag"].strip('"')
        assert etag == hashlib.sha256(data).hexdigest(), name
        again = client.get(
            "/dumps/" + urllib.parse.quote(name), headers={"If-None-Match": f'"{etag}"'}
        )
        assert again.status_code == 304, name
    assert client.get("/dumps/nothing.ttl").status_code == 404
    assert client.get("/dumps/../store/CURRENT").status_code == 404


def test_the_media_type_table_covers_every_kind_of_dump_file(dumps):
    endings = set(DUMP_FILES)
    for name in read_sums(dumps):
        assert any(name.endswith(e) for e in endings), name
    assert http_media_type("dataset.nt.gz") == "application/gzip"
    assert http_media_type("dataset.ttl") == "text/turtle"
    assert PAGES["jsonld"][0] == "application/ld+json"


def test_the_dumps_page_and_the_well_known_void(client, dumps):
    page = client.get("/dumps/", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "dataset.nt.gz" in page.get_data(as_text=True)
    catalogue = client.get("/dumps/", headers={"Accept": "text/turtle"})
    assert catalogue.get_data() == (dumps / "catalog.ttl").read_bytes()
    void = client.get("/.well-known/void")
    assert void.status_code == 200 and void.mimetype == "text/turtle"
    assert void.get_data() == (dumps / "void.ttl").read_bytes()
    context = client.get("/context.jsonld")
    assert context.mimetype == "application/ld+json"
    assert context.get_data() == (dumps / "context.jsonld").read_bytes()


def test_the_dataset_iris_of_the_catalogue_answer_too(client):
    for iri in (ID + "dataset", ID + "catalog", ID + "dataset/meeting/JP-35/2025-04-09"):
        assert get(client, iri).status_code == 200, iri
        g = Graph().parse(data=get(client, iri, "text/turtle").get_data(as_text=True))
        assert (URIRef(iri), RDF.type, None) in g, iri


# -- behind a proxy -------------------------------------------------------------------------


def test_links_work_under_a_proxy_prefix(store, dumps):
    from committee_kg.server.web.app import create_app

    proxy = "127.0.0.3"  # X-Forwarded-Prefix counts only from a trusted proxy (issue 16)
    app = create_app(str(store), workers=1, dumps=str(dumps), trusted_proxies=proxy)
    try:
        client = app.test_client()
        headers = {"Accept": "text/html", "X-Forwarded-Prefix": "/kg"}
        from_proxy = {"REMOTE_ADDR": proxy}
        resp = client.get(path_of(MEETING), headers=headers, environ_overrides=from_proxy)
        html = resp.get_data(as_text=True)
        assert 'href="/kg/id/member/JP-35/' in html
        assert 'href="/kg/static/site.css"' in html
        assert 'href="/id/' not in html
        under = client.get(path_of(MEETING), environ_overrides={"SCRIPT_NAME": "/other"})
        assert 'href="/other/id/member/JP-35/' in under.get_data(as_text=True)
        anyone = client.get(path_of(MEETING), headers=headers).get_data(as_text=True)
        assert 'href="/kg/' not in anyone and 'href="/id/member/JP-35/' in anyone
    finally:
        app.extensions["committee_kg"]["pool"].close()


# -- a harvester that knows only DCAT, against a real server --------------------------------


@pytest.mark.slow  # a served store, every file fetched and hashed
def test_a_dcat_harvester_finds_and_verifies_every_file(store, tmp_path):
    from .support.server import start_server, stop_server

    out = tmp_path / "dumps"
    proc, url = start_server(store, "--workers", "1", "--dumps", str(out))
    try:
        dump(Snapshot(store), out, Metadata.from_settings(BASE, public_url=url + "/"))
        request = urllib.request.Request(url + "/dumps/", headers={"Accept": "text/turtle"})
        with urllib.request.urlopen(request, timeout=30) as resp:
            catalogue = Graph().parse(data=resp.read(), format="turtle")
        fetched = set()
        for dist in catalogue.subjects(RDF.type, DCAT.Distribution):
            download = catalogue.value(dist, DCAT.downloadURL)
            if download is None:
                continue
            with urllib.request.urlopen(str(download), timeout=30) as resp:
                data = resp.read()
                content_type = resp.headers["Content-Type"].split(";")[0]
            assert len(data) == catalogue.value(dist, DCAT.byteSize).toPython(), download
            checksum = catalogue.value(dist, SPDX.checksum)
            digest = str(catalogue.value(checksum, SPDX.checksumValue))
            assert hashlib.sha256(data).hexdigest() == digest, download
            media = str(catalogue.value(dist, DCAT.compressFormat) or "")
            media = media or str(catalogue.value(dist, DCAT.mediaType))
            assert media.endswith("/" + content_type), download
            if content_type == "application/gzip":
                assert gzip.decompress(data)  # (test_dump.py parses every file)
            fetched.add(str(download))
        # what the catalogue points at besides: the VoID and the checksums
        for extra in catalogue.objects(None, RDFS.seeAlso):
            with urllib.request.urlopen(str(extra), timeout=30) as resp:
                fetched.add(str(extra))
                if str(extra).endswith("SHA256SUMS"):
                    sums = resp.read().decode()
        listed = {
            url + "/dumps/" + urllib.parse.quote(line.split("  ", 1)[1])
            for line in sums.splitlines()
        }
        missing = listed - fetched
        assert missing <= {url + "/dumps/catalog.ttl", url + "/dumps/context.jsonld"}
        # and curl -H 'Accept: text/turtle' on an IRI with Japanese in it
        iri = ID + "member/JP-35/上田"
        request = urllib.request.Request(url + path_of(iri), headers={"Accept": "text/turtle"})
        with urllib.request.urlopen(request, timeout=30) as resp:
            assert resp.headers["Content-Type"].startswith("text/turtle")
            g = Graph().parse(data=resp.read(), format="turtle")
        assert (URIRef(iri), RDF.type, CKG.Member) in g
    finally:
        assert "Traceback" not in stop_server(proc)


def test_the_start_page_counts_sessions_per_commission_and_year(client, store):
    """The start page scales: counts per commission and year, each a link to those
    sessions, and the latest sessions, newest first — not every session of the store."""
    sessions = Snapshot(store).sessions(triples=False)
    page = client.get("/").get_data(as_text=True)
    for code in {s.committee for s in sessions}:
        for year in {s.date[:4] for s in sessions if s.committee == code}:
            n = sum(1 for s in sessions if s.committee == code and s.date[:4] == year)
            assert f'href="/?committee={code}&amp;year={year}">{n}</a>' in page
    latest = re.findall(r'<tr><td class="date">(\d{4}-\d\d-\d\d)</td>', page)
    assert latest == sorted(latest, reverse=True) and len(latest) == min(len(sessions), 30)


def test_the_start_page_lists_one_commission_in_one_year(client, store):
    sessions = Snapshot(store).sessions(triples=False)
    wanted = {s.meeting for s in sessions if s.committee == "JP-35" and s.date.startswith("2025")}
    page = client.get("/?committee=JP-35&year=2025").get_data(as_text=True)
    table = page.split('id="sessions-table"', 1)[1]
    listed = set(re.findall(r'<a href="/id/(meeting/[^"]+)"', table))
    assert listed == {m.split("/id/", 1)[1] for m in wanted} and len(wanted) >= 2


@pytest.mark.parametrize("query", ["committee=Yamaguchi", "year=25", "committee=JP-35&year=20x5"])
def test_the_start_page_refuses_a_filter_it_cannot_read(client, query):
    resp = client.get(f"/?{query}")
    assert resp.status_code == 400
    assert "like JP-35" in resp.get_data(as_text=True) or "like 2025" in resp.get_data(as_text=True)


def test_the_dumps_page_lists_one_commission_s_session_files_on_request(client, dumps):
    """Every session's file would be 40,000 rows: the page counts them per commission and
    lists one commission's, each with its size and digest, on request."""
    sums = read_sums(dumps)
    ours = {n: d for n, d in sums.items() if n.startswith("meetings/JP-35/")}
    page = client.get("/dumps/").get_data(as_text=True)
    assert f"JP-35</a> ({len(ours)})" in page
    assert not any(name in page for name in ours)
    listed = client.get("/dumps/?committee=JP-35").get_data(as_text=True)
    for name, digest in ours.items():
        assert f"<code>{name}</code>" in listed and digest in listed
    assert not any(n in listed for n in sums if n.startswith("meetings/JP-32/"))
    assert client.get("/dumps/?committee=JP-99").status_code == 404
