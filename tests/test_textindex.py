"""The full-text index (issue 19) finds exactly the texts that contain the query, as the
catalogue's CONTAINS does, whatever the script, spacing and punctuation, and keeps up with
sessions replaced and removed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from committee_kg.server.query import catalogue
from committee_kg.server.store import textindex
from committee_kg.server.store.ingest import ingest
from committee_kg.server.store.store import Snapshot, Store
from committee_kg.server.store.textindex import (
    AGENDA_ITEM,
    DATE,
    IS_PART_OF,
    SCHEMA,
    TITLE,
    Row,
    TextIndex,
    bigrams,
    rows_of,
)

from .support import example_files

# characters minutes are made of: kana, kanji, digits, brackets, spaces, Latin letters
ALPHABET = "公安委員会審査請求援助要求運転免許のをにはがした「」（）、。・ 　\n12ABab"


def index_of(tmp_path, texts: list[str]) -> TextIndex:
    ix = TextIndex(tmp_path / "search.sqlite")
    for k, text in enumerate(texts):
        day = f"2024-01-{k % 28 + 1:02d}"
        ix.replace(f"g{k}", [Row(f"m{k}", day, f"n{k}", "title", text)])
    return ix


@pytest.mark.slow  # 60 random corpora, each indexed
@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(st.text(ALPHABET, min_size=0, max_size=40), min_size=1, max_size=12),
    query=st.text(ALPHABET, min_size=1, max_size=6),
)
def test_hits_are_exactly_the_texts_that_contain_the_query(tmp_path_factory, texts, query):
    ix = index_of(tmp_path_factory.mktemp("ix"), texts)
    hits, more = ix.search(query, limit=100)
    assert not more
    assert sorted(h.node for h in hits) == sorted(
        f"n{k}" for k, t in enumerate(texts) if query in t
    )
    for h in hits:
        assert h.text[h.at : h.at + len(query)] == query


def test_ranked_by_relevance_then_newest_and_cut_at_the_limit(tmp_path):
    texts = [
        "審査請求の免許取消",  # once
        "審査請求の審査請求",  # twice in as many characters: first
        "審査請求の件を会議に付し、委員から意見を聴いたうえで答申の案を了承した",  # once, long
        "交通",
    ]
    ix = index_of(tmp_path, texts)
    hits, more = ix.search("審査請求", limit=3)
    assert not more and [h.node for h in hits] == ["n1", "n0", "n2"]
    cut, more = ix.search("審査請求", limit=2)
    assert more and [h.node for h in cut] == ["n1", "n0"]
    one, _ = ix.search("審", limit=10)  # one character: no bigram, its own column
    assert {h.node for h in one} == {"n0", "n1", "n2"}


def test_a_query_in_more_texts_than_are_ranked_comes_newest_first(tmp_path, monkeypatch):
    monkeypatch.setattr(textindex, "RANKED", 2)
    ix = index_of(tmp_path, ["審査請求の件", "審査請求", "審査請求が二件、審査請求", "交通"])
    hits, more = ix.search("審査請求", limit=2)
    assert more and [h.node for h in hits] == ["n2", "n1"]  # days 3 and 2, not BM25's order
    rest, _ = ix.search("審査請求", limit=10)
    assert [h.date for h in rest] == ["2024-01-03", "2024-01-02", "2024-01-01"]


def test_a_replaced_or_removed_session_leaves_nothing_behind(tmp_path):
    ix = TextIndex(tmp_path / "search.sqlite")
    ix.replace("g", [Row("m", "2024-05-01", "n", "title", "運転免許の取消し")])
    ix.replace("g", [Row("m", "2024-05-01", "n", "title", "援助要求について")])
    assert ix.search("運転免許")[0] == []
    assert [h.node for h in ix.search("援助要求")[0]] == ["n"]
    ix.remove("g")
    assert ix.search("援助要求")[0] == [] and ix.graphs() == set()
    (count,) = ix.db.execute(
        "SELECT count(*) FROM search WHERE search MATCH ?", (" OR ".join(bigrams("援助要求")),)
    ).fetchone()
    assert count == 0  # the contentless index forgot the bigrams too


def test_rows_come_from_a_session_graph_with_their_meeting_and_date():
    m, item, remark = "urn:m", "urn:m/item/1", "urn:m/remark/1"
    triples = [
        (m, DATE, "2025-06-19"),
        (m, AGENDA_ITEM, item),
        (item, IS_PART_OF, m),
        (item, TITLE, "交通事故の発生状況"),
        (item, SCHEMA + "description", "前年より減った。"),
        (remark, IS_PART_OF, item),
        (remark, SCHEMA + "text", "高齢者の事故に注意したい。"),
        ("urn:orphan", TITLE, "どの会議にも属さない"),
    ]
    rows = {(r.meeting, r.date, r.node, r.kind) for r in rows_of(triples)}
    assert rows == {
        (m, "2025-06-19", item, "title"),
        (m, "2025-06-19", item, "explanation"),
        (m, "2025-06-19", remark, "remark"),
    }


def test_a_generation_reads_its_own_copy(tmp_path):
    ix = index_of(tmp_path, ["公安委員会の定例会"])
    ix.copy_to(tmp_path / "copy.sqlite")
    ix.replace("g0", [])
    with TextIndex(tmp_path / "copy.sqlite", readonly=True) as copy:
        assert [h.node for h in copy.search("定例会")[0]] == ["n0"]
    assert ix.search("定例会")[0] == []


# -- kept with the store -------------------------------------------------------------

QUERIES = ["援助要求", "審査請求", "免許", "交通事故", "委員", "鑑", "令和", "について", "無い語"]


def sparql_hits(snapshot, q: str) -> set[tuple[str, str]]:
    """(node, where) of the catalogue's text-search: the answers the index must give."""
    text = catalogue.get("text-search").render({"text": q}, snapshot.base)
    return {(r["node"].value, r["where"].value) for r in snapshot.query(text)}


def index_hits(snapshot, q: str) -> set[tuple[str, str]]:
    with snapshot.text_index() as ix:
        hits, more = ix.search(q, limit=100_000)
    assert not more
    return {(h.node, h.kind) for h in hits}


@pytest.mark.slow  # ingest, reingest and removal of every example
def test_each_generation_answers_as_the_catalogue_after_ingest_reingest_and_removal(tmp_path):
    files = example_files()[:12]
    store = Store(tmp_path / "s")
    ingest(store, files, progress=False)
    store.close()
    snap = Snapshot(tmp_path / "s")
    for q in QUERIES:
        assert index_hits(snap, q) == sparql_hits(snap, q), q
    assert any(index_hits(snap, q) for q in QUERIES)
    first = {q: index_hits(snap, q) for q in QUERIES}

    store = Store(tmp_path / "s")  # the same files again change nothing; then one less
    ingest(store, files, progress=False)
    meeting = Snapshot(tmp_path / "s").sessions(triples=False)[0].meeting
    assert store.remove(meeting)
    store.publish()
    store.close()
    snap = Snapshot(tmp_path / "s")
    for q in QUERIES:
        assert index_hits(snap, q) == sparql_hits(snap, q), q
        assert not any(node.startswith(meeting + "/") for node, _ in index_hits(snap, q))
    assert first != {q: index_hits(snap, q) for q in QUERIES}


@pytest.mark.slow  # ingest of four sessions
def test_a_store_made_before_the_index_gets_one_in_a_new_generation(tmp_path):
    store = Store(tmp_path / "s")
    ingest(store, example_files()[:4], progress=False)
    store.close()
    before = Snapshot(tmp_path / "s").generation
    for f in (tmp_path / "s").glob("generations/*/search.sqlite"):
        f.unlink()
    for f in (tmp_path / "s").glob("search.sqlite*"):
        f.unlink()
    assert Snapshot(tmp_path / "s").text_index() is None
    Store(tmp_path / "s").close()
    snap = Snapshot(tmp_path / "s")
    assert snap.generation != before
    for q in QUERIES:
        assert index_hits(snap, q) == sparql_hits(snap, q), q
