"""The catalogue's text-search through the full-text index (issue 19): the index only names
the candidates, in the query's order by date and up to the row cap, and the same query
binds ?node to them; so every answer must be the scan's, byte for byte — rows, order,
row count and cut — whatever the query, the cap and the history of the store."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from committee_kg.server.query.catalogue import get
from committee_kg.server.query.sparql import Request, execute
from committee_kg.server.query.textsearch import catalogue_request, narrowed, run
from committee_kg.server.store.ingest import ingest
from committee_kg.server.store.store import SEARCH, Snapshot, Store
from committee_kg.server.store.textindex import Row, TextIndex
from committee_kg.server.web.guards import ROWS_HEADER, TRUNCATED_HEADER

from .support import example_files

# one character, two, long phrases; kana, kanji, ASCII, full-width; spaced; punctuation;
# absent; quotes and a backslash (escaped into the query text)
QUERIES = [
    "の",
    "会",
    "委員",
    "について",
    "援助要求",
    "サイバー",
    "公安委員会",
    "相談窓口があることを",
    "SNS",
    "ＳＮＳ",
    "2025",
    "運転免許 取消",
    "「",
    "存在しない語句",
    'a "quoted" \\ word',
]
CAPS = [1, 2, 3, 5, 8, 13, 10_000]  # a cut inside a day, at its end, and none


def answers(snapshot: Snapshot, q: str, cap: int, results: str = "json"):
    """(through the index, by the scan) of the catalogue's text-search for q."""
    req = catalogue_request(
        "text-search", {"text": q}, snapshot.base, results=results, max_rows=cap
    )
    via_index = run(snapshot, req)
    scan = execute(snapshot.db, Request(req.query, results=results, max_rows=cap))
    return via_index, scan


def same(a, b) -> bool:
    return (a.body, a.rows, a.truncated) == (b.body, b.rows, b.truncated)


def check_every_query(snapshot: Snapshot) -> dict[str, int]:
    """Every query at every cap answers as the scan; returns each query's rows uncut."""
    assert snapshot.text_index() is not None
    counts = {}
    for q in QUERIES:
        for cap in CAPS:
            via_index, scan = answers(snapshot, q, cap)
            assert same(via_index, scan), (q, cap)
        counts[q] = scan.rows
    return counts


def test_the_index_answers_the_catalogue_text_search_as_the_scan(example_store):
    snapshot = Snapshot(example_store)
    counts = check_every_query(snapshot)
    # the comparison means something: rows found, cut at the caps, and none for absent words
    assert counts["の"] > 100 and counts["委員"] > 13 and counts["援助要求"] > 1
    assert counts["存在しない語句"] == 0 and counts["ＳＮＳ"] == 0 < counts["SNS"]
    for q in QUERIES:  # and the index was asked each time, naming only texts with q in them
        req = catalogue_request("text-search", {"text": q}, snapshot.base, max_rows=3)
        bound = narrowed(snapshot, req)
        assert bound is not None and "VALUES ?node" in bound.query, q
        assert bound.query.count("VALUES ?node") == 3  # one in each branch's scan


def test_each_branch_is_given_the_nodes_whose_text_of_its_kind_matched(example_store):
    snapshot = Snapshot(example_store)
    req = catalogue_request("text-search", {"text": "委員"}, snapshot.base, max_rows=10_000)
    title, _, remark = narrowed(snapshot, req).query.split("VALUES ?node")[1:]
    remarks = set(re.findall(r"<([^>]+)>", remark.split("}")[0]))
    items = set(re.findall(r"<([^>]+)>", title.split("}")[0]))
    assert remarks and items and not remarks & items
    assert all("/remark/" in n for n in remarks) and all("/item/" in n for n in items)


def test_the_index_names_only_the_candidates_the_cap_can_show(example_store):
    snapshot = Snapshot(example_store)
    req = catalogue_request("text-search", {"text": "の"}, snapshot.base, max_rows=2)
    few = narrowed(snapshot, req).query
    every = narrowed(snapshot, Request(req.query, max_rows=10_000, catalogue=req.catalogue)).query
    assert few.count("<") < every.count("<") / 4  # the first day's texts, not all


def test_whitespace_alone_is_scanned(example_store):
    """The index holds no whitespace; CONTAINS finds it, so the scan answers."""
    snapshot = Snapshot(example_store)
    req = catalogue_request("text-search", {"text": " "}, snapshot.base, max_rows=5)
    assert narrowed(snapshot, req) is None
    via_index, scan = answers(snapshot, " ", 5)
    assert same(via_index, scan) and scan.rows == 5


def test_other_catalogue_queries_are_not_narrowed(example_store):
    snapshot = Snapshot(example_store)
    req = catalogue_request("meetings-per-year", {}, snapshot.base)
    assert req.catalogue is None and get("meetings-per-year").index is None
    assert get("text-search").index.node == "node"


# -- the index's candidates, against a brute force -------------------------------------------

ALPHABET = "公安委員の「 1A"  # few characters, so that many texts share a query


@settings(max_examples=80, deadline=None)
@given(
    texts=st.lists(
        st.tuples(st.text(ALPHABET, min_size=1, max_size=10), st.integers(0, 3)),
        min_size=1,
        max_size=16,
    ),
    query=st.text(ALPHABET, min_size=1, max_size=2).filter(str.strip),
    wanted=st.one_of(st.none(), st.integers(1, 5)),
    newest_first=st.booleans(),
)
def test_by_date_names_every_match_up_to_the_day_of_the_cut(
    tmp_path_factory, texts, query, wanted, newest_first
):
    """Sorting what by_date names by date and cutting at ``wanted`` must give what sorting
    every match would: every match of a day before the cut's, every match of its day."""
    ix = TextIndex(tmp_path_factory.mktemp("ix") / "search.sqlite")
    days = {}
    for k, (text, offset) in enumerate(texts):  # few days, so that the cut falls in one
        day = (date(2024, 1, 1) + timedelta(days=offset)).isoformat()
        ix.replace(f"g{k}", [Row(f"m{k}", day, f"n{k}", "title", text)])
        days[f"n{k}"] = day
    matches = sorted(
        (f"n{k}" for k, (text, _) in enumerate(texts) if query in text),
        key=days.get,
        reverse=newest_first,
    )
    if wanted is not None and len(matches) > wanted:
        last = days[matches[wanted - 1]]
        matches = [n for n in matches if (days[n] >= last if newest_first else days[n] <= last)]
    named = ix.by_date(query, wanted, newest_first)
    assert sorted(n for n, _ in named) == sorted(matches) and {k for _, k in named} <= {"title"}
    ix.close()


# -- over HTTP: the Flask app with its query workers, and the command line -------------------


@pytest.fixture(scope="module")
def app_factory():
    from committee_kg.server.web.app import create_app

    apps = []

    def make(store, **kw):
        app = create_app(str(store), workers=1, **kw)
        apps.append(app)
        return app.test_client()

    yield make
    for app in apps:
        app.extensions["committee_kg"]["pool"].close()


def test_over_http_the_rows_and_the_cut_are_the_scans(example_store, app_factory):
    snapshot = Snapshot(example_store)
    client = app_factory(example_store, max_rows=4)
    for q in QUERIES:
        for fmt in ("json", "csv"):
            resp = client.get("/api/queries/text-search", query_string={"text": q, "format": fmt})
            assert resp.status_code == 200, q
            _, scan = answers(snapshot, q, 4, results=fmt)
            assert resp.data == scan.body, (q, fmt)
            assert resp.headers[ROWS_HEADER] == str(scan.rows)
            assert resp.headers[TRUNCATED_HEADER] == ("true" if scan.truncated else "false")


def test_over_http_the_answer_comes_from_the_index_when_there_is_one(
    example_store, app_factory, tmp_path
):
    """A generation whose index knows no text finds nothing; one without an index is
    scanned, as generations published before the index are."""
    store = tmp_path / "store"
    shutil.copytree(example_store, store)
    snapshot = Snapshot(store)
    index = store / "generations" / snapshot.generation / SEARCH
    with TextIndex(tmp_path / "empty.sqlite") as empty:
        empty.copy_to(index)
    client = app_factory(store, cache=False)

    def found(q):
        resp = client.get("/api/queries/text-search", query_string={"text": q})
        return json.loads(resp.data)["results"]["bindings"]

    assert found("委員") == []
    index.unlink()
    assert snapshot.text_index() is None
    scanned = found("委員")
    assert len(scanned) > 13 and all("委員" in b["found"]["value"] for b in scanned)


def test_the_command_line_answers_as_the_server(example_store):
    snapshot = Snapshot(example_store)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "committee_kg.server.cli",
            "query",
            "--store",
            str(example_store),
            "--name",
            "text-search",
            "--param",
            "text=委員",
            "--max-rows",
            "3",
            "--format",
            "csv",
        ],
        capture_output=True,
        check=True,
        timeout=120,
    )
    _, scan = answers(snapshot, "委員", 3, results="csv")
    assert scan.truncated and out.stdout.rstrip(b"\n") == scan.body.rstrip(b"\n")
    assert b"cut at 3 rows" in out.stderr


# -- a store that changes: ingest, re-ingest, a session replaced, one removed ----------------


@pytest.mark.slow  # ingest of twelve sessions, then of two again, then a removal
def test_each_generation_of_a_changing_store_answers_as_the_scan(tmp_path):
    files = example_files()[:12]
    store = Store(tmp_path / "s")
    ingest(store, files, progress=False)
    store.close()
    first = check_every_query(Snapshot(tmp_path / "s"))

    # the same files again change nothing; a session whose minutes were corrected replaces
    # its graph (the corrected text is a word of our own, nowhere else)
    source = next(f for f in files if "援助要求" in f.read_text(encoding="utf-8"))
    corrected = tmp_path / source.name
    corrected.write_text(
        source.read_text(encoding="utf-8").replace("援助要求", "援助要請"), encoding="utf-8"
    )
    store = Store(tmp_path / "s")
    ingest(store, files, progress=False)
    ingest(store, [corrected], progress=False)
    store.close()
    snapshot = Snapshot(tmp_path / "s")
    second = check_every_query(snapshot)
    assert second["援助要求"] < first["援助要求"]
    via_index, scan = answers(snapshot, "援助要請", 10_000)
    assert same(via_index, scan) and scan.rows > 0

    store = Store(tmp_path / "s")
    meeting = snapshot.sessions(triples=False)[-1].meeting
    assert store.remove(meeting)
    store.publish()
    store.close()
    snapshot = Snapshot(tmp_path / "s")
    third = check_every_query(snapshot)
    assert third["の"] < second["の"]
    via_index, _ = answers(snapshot, "の", 10_000, results="csv")
    assert meeting.encode() not in via_index.body
