"""A researcher's SPARQL over the seed's graph finds every fact of the session under the
core contract's names (issue 2, point 2)."""

from __future__ import annotations

import pytest
from rdflib import BNode

PREFIXES = """
PREFIX ckg: <https://w3id.org/committee-kg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <http://schema.org/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX off: <https://w3id.org/committee-kg/id/officer/JP-35/>
PREFIX outcome: <https://w3id.org/committee-kg/id/outcome/>
"""
M = "<https://w3id.org/committee-kg/id/meeting/JP-35/2025-06-11>"
ID = "https://w3id.org/committee-kg/id/"


@pytest.fixture(scope="module")
def g(seed_conversion):
    return seed_conversion.graph


def rows(g, q):
    return [tuple(str(v) if v is not None else None for v in r) for r in g.query(PREFIXES + q)]


def test_meeting_date_times_places_committee(g):
    [(d, s, e, c)] = rows(
        g,
        f"SELECT ?d ?s ?e ?c WHERE {{ {M} a ckg:Meeting ; dcterms:date ?d ; "
        "schema:startDate ?s ; schema:endDate ?e ; schema:organizer ?c }",
    )
    assert (d, s, e, c) == (
        "2025-06-11",
        "2025-06-11T13:00:00+09:00",
        "2025-06-11T14:59:00+09:00",
        ID + "committee/JP-35",
    )
    places = {r[0] for r in rows(g, f"SELECT ?l WHERE {{ {M} schema:location/rdfs:label ?l }}")}
    assert places == {"山口県警察本部公安委員会室", "山口県警察本部公安委員室"}


def test_members_roles_and_chair(g):
    got = set(
        rows(
            g,
            f"""SELECT ?name ?role WHERE {{ {M} ckg:membership ?ms .
        ?ms org:member/schema:familyName ?name ; org:role ?role }}""",
        )
    )
    assert got == {
        ("今村", ID + "role/委員長"),
        ("野村", ID + "role/委員"),
        ("弘永", ID + "role/委員"),
    }
    assert rows(g, f"SELECT ?c WHERE {{ {M} ckg:chair ?c }}") == [(ID + "member/JP-35/今村",)]
    assert len(rows(g, f"SELECT ?m WHERE {{ {M} ckg:memberPresent ?m }}")) == 3


def test_nine_officers_present(g):
    got = {r[0] for r in rows(g, f"SELECT ?o WHERE {{ {M} ckg:officerPresent ?o }}")}
    posts = [
        "警察本部長",
        "警務部長",
        "生活安全部長",
        "地域部長",
        "刑事部長",
        "警備部長",
        "情報通信部長",
        "首席監察官",
        "交通企画課長",
    ]
    assert got == {ID + f"officer/JP-35/{p}" for p in posts}


def test_ten_items_in_order_with_their_own_numbering(g):
    got = rows(
        g,
        f"""SELECT ?pos ?n ?kind WHERE {{ {M} ckg:agendaItem ?i .
        ?i schema:position ?pos ; ckg:localNumber ?n ; a ?kind .
        FILTER(?kind != ckg:AgendaItem) }} ORDER BY ?pos""",
    )
    kinds = [k.rsplit("#", 1)[1] for _, _, k in got]
    assert [int(p) for p, _, _ in got] == list(range(1, 11))
    assert kinds == ["Report"] + ["Decision"] * 4 + ["Report"] * 4 + ["Consultation"]
    assert [n for _, n, _ in got] == [
        "第１ １",
        "第２ １⑴",
        "第２ １⑵",
        "第２ １⑶",
        "第２ １⑷",
        "第２ ２⑴",
        "第２ ２⑵",
        "第２ ２⑶",
        "第２ ２⑷",
        "第３",
    ]


def test_agreement_with_microsoft(g):
    [(ag, date, desc)] = rows(
        g,
        f"""SELECT ?a ?d ?desc WHERE {{ {M} ckg:agendaItem ?i .
        ?i ckg:concerns ?a ; ckg:presentedBy off:警務部長 ; schema:description ?desc .
        ?a a ckg:Agreement ; ckg:concludedOn ?d }}""",
    )
    assert date == "2025-06-12"
    assert "協定を締結" in desc
    parties = {r[0] for r in rows(g, f"SELECT ?l WHERE {{ <{ag}> ckg:party/rdfs:label ?l }}")}
    assert parties == {"山口県警察", "日本マイクロソフト株式会社"}
    areas = rows(g, f"SELECT ?x WHERE {{ <{ag}> ckg:cooperationArea ?x }}")
    assert len(areas) == 6
    assert len(rows(g, f"SELECT ?x WHERE {{ <{ag}> ckg:plannedAction ?x }}")) == 2


def test_remarks_in_order_with_replies(g):
    got = rows(
        g,
        """SELECT ?pos ?who ?reply WHERE { ?r a ckg:Remark ; schema:position ?pos ;
        ckg:speaker ?who . OPTIONAL { ?r ckg:inReplyTo/schema:position ?reply } } ORDER BY ?pos""",
    )
    who = [w.rsplit("/", 1)[1] for _, w, _ in got]
    assert who == ["野村", "弘永", "警務部長", "今村", "警務部長"]
    assert [r for _, _, r in got] == [None, None, "2", None, "4"]
    # the officer's explanation is the item's description, not a remark
    texts = [t for (t,) in rows(g, "SELECT ?t WHERE { ?r a ckg:Remark ; schema:text ?t }")]
    assert not any("連携事項" in t for t in texts)


def test_appeals(g):
    reported = rows(
        g,
        """SELECT ?a ?d WHERE { ?i ckg:outcome outcome:裁決書決裁 ;
        ckg:presentedBy off:交通企画課長 ; ckg:concerns ?a .
        ?a ckg:receiptReportedOn ?d . FILTER NOT EXISTS { ?a ckg:receivedOn ?x } }""",
    )
    assert [d for _, d in reported] == ["2024-12-11"]
    five = rows(
        g,
        """SELECT ?a ?d ?body WHERE { ?i ckg:presentedBy off:警察県民課長 ;
        ckg:concerns ?a . ?a a ckg:Appeal ; ckg:dispositionDate ?d ;
        ckg:disposingAuthority off:警察本部長 ; ckg:advisoryBody/rdfs:label ?body }
        ORDER BY ?d ?a""",
    )
    assert [d for _, d, _ in five] == [
        "2023-01-20",
        "2023-01-25",
        "2023-01-25",
        "2023-02-08",
        "2023-04-10",
    ]
    assert {b for _, _, b in five} == {"山口県情報公開・個人情報保護審査会"}
    assert ID + "appeal/JP-35/警察本部長/2023-01-25/2" in {a for a, _, _ in five}


def test_dispatch_request_from_fukui(g):
    [(req, to, purpose)] = rows(
        g,
        """SELECT ?from ?to ?p WHERE {
        ?i ckg:presentedBy off:警備課長 ; ckg:concerns ?r .
        ?r a ckg:DispatchRequest ; ckg:requestingCommittee ?from ; ckg:requestedCommittee ?to ;
           ckg:purpose ?p }""",
    )
    assert (req, to) == (ID + "committee/JP-18", ID + "committee/JP-35")
    assert "原子力施設" in purpose


def test_reports_and_their_presenters(g):
    got = rows(
        g,
        """SELECT ?pos (GROUP_CONCAT(?post; separator="+") AS ?by) WHERE {
        ?i a ckg:Report ; ckg:localNumber ?n ; schema:position ?pos ;
           ckg:presentedBy/rdfs:label ?post .
        FILTER(STRSTARTS(?n, "第２") && LANG(?post) = "ja") } GROUP BY ?pos ORDER BY ?pos""",
    )
    assert [(int(p), set(b.split("+"))) for p, b in got] == [
        (6, {"運転免許課長"}),
        (7, {"運転免許課長"}),
        (8, {"警備課長"}),
        (9, {"監察官室長", "監察官"}),
    ]


def test_every_extracted_node_cites_its_passage(g, seed_conversion):
    text = seed_conversion.minutes.text.text
    missing = rows(
        g,
        """SELECT ?x WHERE { VALUES ?c { ckg:Meeting ckg:AgendaItem ckg:Remark
        ckg:Agreement ckg:Appeal ckg:DispatchRequest } ?x a ?c .
        FILTER NOT EXISTS { ?x prov:wasDerivedFrom/oa:hasSelector/oa:start ?s } }""",
    )
    assert missing == []
    for s, e, exact in rows(
        g,
        """SELECT ?s ?e ?exact WHERE { ?p oa:hasSelector ?a, ?b .
            ?a oa:start ?s ; oa:end ?e . ?b oa:exact ?exact }""",
    ):
        assert text[int(s) : int(e)] == exact
    [(stored,)] = rows(g, "SELECT ?t WHERE { ?s a ckg:SourceDocument ; ckg:normalizedText ?t }")
    assert stored == text


def test_no_blank_nodes(g):
    assert not any(isinstance(t, BNode) for triple in g for t in triple)
