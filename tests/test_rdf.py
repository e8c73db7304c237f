"""IRIs follow the facts: reconversion is identical, one fact across sessions is one node."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.compare import isomorphic

from committee_kg.loaders.pipeline import convert
from committee_kg.loaders.validate import validate
from committee_kg.loaders.vocab import CKG, RDF, Minter

from .support import EXAMPLES

ID = "https://w3id.org/committee-kg/id/"


def test_converting_twice_gives_the_same_graph():
    path = EXAMPLES / "JP-35_2025-04-09.txt"
    a, b = convert(path).graph, convert(path).graph
    assert isomorphic(a, b)
    assert sorted(a) == sorted(b)


def test_same_fact_in_two_sessions_is_one_node(example_conversions):
    received = example_conversions["JP-35_2019-06-12.txt"].graph
    decided = example_conversions["JP-35_2019-08-21.txt"].graph
    appeal = URIRef(ID + "appeal/JP-35/警察本部長/2019-05-10/1")
    assert (appeal, RDF.type, CKG.Appeal) in received
    assert (appeal, RDF.type, CKG.Appeal) in decided
    member = URIRef(ID + "member/JP-35/中村")
    assert (member, RDF.type, CKG.Member) in received and (member, RDF.type, CKG.Member) in decided


def test_two_meetings_on_one_day_get_distinct_iris(example_conversions):
    regular = example_conversions["JP-32_2025-06-19.txt"].meeting
    extra = example_conversions["JP-32_2025-06-19_臨時会.txt"].meeting
    assert str(regular) == ID + "meeting/JP-32/2025-06-19"
    assert str(extra) == ID + "meeting/JP-32/2025-06-19-臨時会"


def test_base_iri_is_configurable():
    conv = convert(EXAMPLES / "JP-35_2025-04-09.txt", minter=Minter("https://example.org/kg/"))
    subjects = {str(s) for s in conv.graph.subjects()}
    assert all(s.startswith("https://example.org/kg/") for s in subjects)


def test_example_graphs_have_no_blank_nodes(example_conversions):
    for conv in example_conversions.values():
        assert all(
            isinstance(t, URIRef) or t.__class__.__name__ == "Literal"
            for triple in conv.graph
            for t in triple
        )


def _decided(tmp_path, second_receipt: str) -> list[URIRef]:
    """JP-35_2019-08-21 deciding a second appeal against a disposition of the same day by
    the same authority, whose receipt was reported on ``second_receipt``."""
    text = (EXAMPLES / "JP-35_2019-08-21.txt").read_text(encoding="utf-8")
    decision = (
        "⑴ 審査請求の審理 \n\n警察県民課長から、審理の経過について説明を受け、"
        "令和元年６月１２日に受理の\n\n報告を受けた、令和元年５月１０日付けで警察本部長が"
        "行った処分に対する審査請求\n\nについて、裁決書を決裁した。 \n\n"
    )
    assert decision in text
    again = decision.replace("令和元年６月１２日", second_receipt).replace("⑴", "⑵")
    renumbered = text.replace("⑵ 福岡県", "⑶ 福岡県").replace(decision, decision + again)
    path = tmp_path / "JP-35_2019-08-21.txt"
    path.write_text(renumbered, encoding="utf-8")
    conv = convert(path)
    report = validate(conv.graph)
    assert report.conforms, [f.line() for f in report.findings]
    return sorted(conv.graph.subjects(RDF.type, CKG.Appeal))


def test_two_appeals_against_dispositions_of_one_day_stay_two(tmp_path):
    """Their receipts were reported on different days: two appeals, numbered /1 and /2,
    each with its own date (one node with two dates was refused by the shapes)."""
    appeals = _decided(tmp_path, "令和元年７月３日")
    assert [str(a).rsplit("/", 1)[1] for a in appeals] == ["1", "2"]


def test_the_same_appeal_in_two_items_of_a_session_stays_one(tmp_path):
    """The same receipt date (or none): the second item speaks of the same appeal."""
    assert len(_decided(tmp_path, "令和元年６月１２日")) == 1
