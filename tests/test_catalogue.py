"""The query catalogue (queries/*.rq): every query answers its research question on the
example minutes, with expectations taken from the hand-written ``*.expected.json`` files
wherever they state the facts, and gives the same rows on pyoxigraph (what the server
runs) and on rdflib (an independent engine with set semantics for the union graph).

The store holds a fixed list of example sessions, so that layouts other engineers add to
examples/ do not move these expectations.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import unicodedata
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from committee_kg.loaders.errors import QueryError
from committee_kg.loaders.pipeline import convert
from committee_kg.loaders.reference import reference
from committee_kg.loaders.vocab import Minter
from committee_kg.server.query.catalogue import catalogue, get, parse
from committee_kg.server.query.sparql import Request, execute
from committee_kg.server.store.store import Snapshot, Store

from .support import EXAMPLES, example_files
from .support.store import rdflib_union

SESSIONS = [
    "JP-32_2019-04-18",
    "JP-32_2019-10-17",
    "JP-32_2025-02-13",
    "JP-32_2025-06-19",
    "JP-32_2025-06-19_臨時会",
    "JP-35_2019-06-12",
    "JP-35_2019-08-21",
    "JP-35_2025-04-09",
    "JP-35_2025-09-10",
]
BASE = "https://w3id.org/committee-kg/"
ID = BASE + "id/"


def build_store(path: Path, files: list[Path]) -> Path:
    """A published store of these files (convert and store; the shapes are tested apart)."""
    store = Store(path)
    store.load_reference()
    for f in files:
        conv = convert(f)
        store.replace_graph(conv.graph_name, conv.graph)
    store.publish()
    store.close()
    return path


@pytest.fixture(scope="module")
def snapshot(example_store, tmp_path_factory) -> Snapshot:
    files = [EXAMPLES / f"{name}.txt" for name in SESSIONS]
    if files == example_files():  # the bundled examples are this list: share their store
        return Snapshot(example_store)
    return Snapshot(build_store(tmp_path_factory.mktemp("cat") / "store", files))


@pytest.fixture(scope="module")
def expected() -> list[dict]:
    return [
        json.loads((EXAMPLES / f"{name}.expected.json").read_text(encoding="utf-8"))
        for name in SESSIONS
    ]


def rows(snapshot: Snapshot, name: str, **params) -> list[dict[str, str]]:
    text = get(name).render(params, BASE)
    result = execute(snapshot.db, Request(text, results="csv"))
    return list(csv.DictReader(io.StringIO(result.body.decode("utf-8"))))


def tail(iri: str, kind: str) -> str:
    return iri.split(f"/id/{kind}/", 1)[1]


def nfkc(text: str) -> str:
    """Expectations are written as in the source; the graph holds NFKC-folded text."""
    return unicodedata.normalize("NFKC", text)


def year(session: dict) -> str:
    return session["date"][:4]


# -- the catalogue as a whole ----------------------------------------------------------


def test_the_catalogue_has_at_least_twelve_documented_queries():
    queries = catalogue()
    assert len(queries) >= 12
    for q in queries.values():
        assert set(q.title) == set(q.description) == {"ja", "en"}
        assert all(q.title.values()) and all(q.description.values())
        assert all(p.help for p in q.params), q.name


@pytest.fixture(scope="module")
def in_memory(snapshot) -> Dataset:
    return rdflib_union(snapshot.db)


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_every_query_gives_the_same_rows_on_both_engines(snapshot, in_memory, name):
    q = get(name)
    text = q.render({p.name: p.example for p in q.params if p.required}, BASE)
    ours = execute(snapshot.db, Request(text, results="csv")).body.decode("utf-8")
    theirs = in_memory.query(text).serialize(format="csv").decode("utf-8")

    def table(text: str) -> list[tuple]:
        body = list(csv.reader(io.StringIO(text)))[1:]
        # rdflib answers a GROUP BY over no solutions with one empty row, where the
        # standard (and pyoxigraph) gives none; GROUP_CONCAT has no fixed order
        return sorted(tuple(" ".join(sorted(c.split(" "))) for c in r) for r in body if any(r))

    assert table(ours) == table(theirs)


# -- one test per query, with its expected answer -----------------------------------------


def test_meetings_per_year(snapshot, expected):
    want = defaultdict(lambda: [0, 0, 0, 0])
    for s in expected:
        w = want[(s["committee"], year(s))]
        w[0] += 1
        w[1] += s["kind"] is not None
        w[2] += len(s["items"])
        w[3] += len(s["remarks"])
    got = {
        (tail(r["committee"], "committee"), r["y"]): [
            int(r[k]) for k in ("meetings", "extraordinary", "items", "remarks")
        ]
        for r in rows(snapshot, "meetings-per-year")
    }
    assert got == dict(want)
    only = rows(snapshot, "meetings-per-year", committee="JP-35")
    assert {tail(r["committee"], "committee") for r in only} == {"JP-35"}


def test_items_per_officer_per_year(snapshot, expected):
    ref = reference()
    want: Counter = Counter()
    for s in expected:
        for item in s["items"]:
            for post in {ref.canonical_post(p) for p in item["presenters"]}:
                want[(s["committee"], post, year(s))] += 1
    got = {
        (tail(r["committee"], "committee"), r["officerLabel"], r["y"]): int(r["items"])
        for r in rows(snapshot, "items-per-officer-year")
    }
    assert got == dict(want)
    one_year = rows(snapshot, "items-per-officer-year", committee="JP-32", year="2019")
    assert one_year and all(r["y"] == "2019" for r in one_year)
    assert sum(int(r["items"]) for r in one_year) == sum(
        v for (c, _, y), v in want.items() if c == "JP-32" and y == "2019"
    )


def pairs(snapshot: Snapshot, prop: str) -> dict[str, set[str]]:
    """subject → objects of one property over all graphs, read without SPARQL."""
    out: dict[str, set[str]] = defaultdict(set)
    for q in snapshot.db.quads_for_pattern(None, ox.NamedNode(prop), None):
        out[q.subject.value].add(q.object.value)
    return out


DCT, CKG_NS = "http://purl.org/dc/terms/", "https://w3id.org/committee-kg/ontology#"


def test_topic_queries(snapshot):
    # Topics (dcterms:subject on items and remarks) come from the topic stage; the queries
    # are written against DESIGN.md's names. The expectation is read from the store's
    # triples directly, so it holds with topics and without (then: no rows).
    subjects = pairs(snapshot, DCT + "subject")
    presenters = pairs(snapshot, CKG_NS + "presentedBy")
    agenda = pairs(snapshot, CKG_NS + "agendaItem")
    organizer = pairs(snapshot, "http://schema.org/organizer")
    dates = pairs(snapshot, DCT + "date")
    items = {i: m for m, its in agenda.items() for i in its}
    by_officer: Counter = Counter()
    by_year: Counter = Counter()
    for item, meeting in items.items():
        for topic in subjects.get(item, ()):
            for officer in presenters.get(item, ()):
                by_officer[(officer, topic)] += 1
            (committee,) = organizer[meeting]
            (day,) = dates[meeting]
            by_year[(committee, day[:4], topic)] += 1
    got = {(r["officer"], r["topic"]): int(r["items"]) for r in rows(snapshot, "officer-topics")}
    assert got == dict(by_officer)
    got = {
        (r["committee"], r["y"], r["topic"]): int(r["items"])
        for r in rows(snapshot, "topics-over-time")
    }
    assert got == dict(by_year)
    header = execute(snapshot.db, Request(get("officer-topics").text, results="csv")).body
    assert header.decode().split("\r\n")[0] == "officer,officerLabel,topic,topicLabel,items"


def test_appeals_with_their_dates_and_durations(snapshot, expected):
    ref = reference()
    want: dict = {}
    for s in expected:
        outcomes = {i["position"]: i["outcome"] for i in s["items"]}
        for a in s["appeals"]:
            key = (
                s["committee"],
                ref.canonical_post(a["disposing_authority"]),
                a["disposition_date"],
            )
            w = want.setdefault(key, {"receipt": None, "ruling": None, "sessions": set()})
            w["sessions"].add(s["date"])
            if a["receipt_reported_on"]:
                w["receipt"] = min(filter(None, [w["receipt"], a["receipt_reported_on"]]))
            if outcomes[a["item"]] == "裁決書決裁":
                w["ruling"] = min(filter(None, [w["ruling"], s["date"]]))

    def days(a, b):
        if not (a and b):
            return ""
        return f"P{(date.fromisoformat(b) - date.fromisoformat(a)).days}D"

    got = {}
    for r in rows(snapshot, "appeals"):
        committee, authority, disposed, _n = tail(r["appeal"], "appeal").split("/")
        assert r["disposition"] == disposed
        got[(committee, authority, disposed)] = r
    assert set(got) == set(want)
    for key, w in want.items():
        r = got[key]
        assert r["receipt"] == (w["receipt"] or "")
        assert r["ruling"] == (w["ruling"] or "")
        assert int(r["sessions"]) == len(w["sessions"])
        assert r["dispositionToReceipt"] == days(key[2], w["receipt"])
        assert r["receiptToRuling"] == days(w["receipt"], w["ruling"])
        assert r["dispositionToRuling"] == days(key[2], w["ruling"])
    assert got[("JP-35", "警察本部長", "2019-05-10")]["receiptToRuling"] == "P70D"


def test_dispatch_requests_as_a_network(snapshot, expected):
    want: dict = {}
    for s in expected:
        for d in s["dispatch_requests"]:
            w = want.setdefault((d["requesting"], d["requested"]), [0, s["date"], s["date"]])
            w[0] += 1
            w[1], w[2] = min(w[1], s["date"]), max(w[2], s["date"])
    got = {
        (tail(r["from"], "committee"), tail(r["to"], "committee")): [
            int(r["requests"]),
            r["first"],
            r["last"],
        ]
        for r in rows(snapshot, "dispatch-network")
    }
    assert got == want
    touching = rows(snapshot, "dispatch-network", committee="JP-34")
    assert {(tail(r["from"], "committee"), tail(r["to"], "committee")) for r in touching} == {
        k for k in want if "JP-34" in k
    }


def test_remarks_per_member(snapshot, expected):
    want: Counter = Counter()
    for s in expected:
        names = {m["name"] for m in s["members"]}
        for r in s["remarks"]:
            for who in [r["speaker"], *r.get("joint", [])]:  # a remark given together counts
                if who in names:  # for each who gave it
                    want[(s["committee"], who)] += 1
    # per topic: the remark's own dcterms:subject, else its item's (none: one empty topic)
    speakers = pairs(snapshot, CKG_NS + "speaker")
    part_of = pairs(snapshot, DCT + "isPartOf")
    subjects = pairs(snapshot, DCT + "subject")
    present = pairs(snapshot, CKG_NS + "memberPresent")
    agenda = pairs(snapshot, CKG_NS + "agendaItem")
    items = {i: m for m, its in agenda.items() for i in its}
    by_topic: Counter = Counter()
    totals: Counter = Counter()
    for remark, given_by in speakers.items():
        (item,) = part_of[remark]
        for speaker in given_by:
            if speaker in present[items[item]]:
                totals[tuple(tail(speaker, "member").split("/"))] += 1
                for topic in subjects.get(remark) or subjects.get(item) or {""}:
                    by_topic[(speaker, topic)] += 1
    assert totals == want  # the store's remarks agree with the hand-written expectations
    got = rows(snapshot, "remarks-per-member")
    assert {(r["member"], r["topic"]): int(r["remarks"]) for r in got} == dict(by_topic)


def test_agreements_and_their_partners(snapshot, expected):
    want = {
        (s["date"], a["concluded_on"], party, len(a["areas"]))
        for s in expected
        for a in s["agreements"]
        for party in a["parties"]
    }
    got = {
        (r["date"], r["concluded"], r["partyLabel"], int(r["areas"]))
        for r in rows(snapshot, "agreements")
    }
    assert got == want


def test_sessions_an_officer_attended(snapshot, expected):
    ref = reference()
    officer = "警務部長"
    want = {}
    for s in expected:
        if s["committee"] != "JP-35":
            continue
        listed = officer in {ref.canonical_post(o) for o in s["officers_present"]}
        items = sum(officer in {ref.canonical_post(p) for p in i["presenters"]} for i in s["items"])
        remarks = sum(ref.canonical_post(r["speaker"]) == officer for r in s["remarks"])
        if listed or items or remarks:
            want[s["date"]] = ("true" if listed else "false", items, remarks)
    got = {
        r["date"]: (r["listedPresent"], int(r["itemsPresented"]), int(r["remarks"]))
        for r in rows(snapshot, "officer-sessions", officer=f"JP-35/{officer}")
    }
    assert got == want and len(got) == 4
    spoke = rows(snapshot, "officer-sessions", officer="JP-35/生活安全部長")
    assert any(int(r["remarks"]) > 0 for r in spoke)


def test_full_text_search(snapshot, expected):
    found = rows(snapshot, "text-search", text="援助要求")
    titles = {
        (s["date"], nfkc(i["title"]))
        for s in expected
        for i in s["items"]
        if "援助要求" in i["title"]
    }
    assert {(r["date"], r["found"]) for r in found if r["where"] == "title"} == titles
    assert all("援助要求" in r["found"] for r in found)
    assert {r["where"] for r in rows(snapshot, "text-search", text="サイバー")} == {
        "title",
        "explanation",
        "remark",
    }
    assert rows(snapshot, "text-search", text="存在しない語句") == []


def test_everything_about_one_session(snapshot, expected):
    s = next(x for x in expected if x["committee"] == "JP-35" and x["date"] == "2025-04-09")
    got = rows(snapshot, "session", meeting="JP-35/2025-04-09")
    members = {(r["whoLabel"], r["kind"]) for r in got if r["part"] == "1 member"}
    assert members == {(m["name"] + "委員", m["role"]) for m in s["members"]}
    officers = {r["whoLabel"] for r in got if r["part"] == "2 officer"}
    # an officer is labelled with the post as the commission writes it (本部長)
    assert officers == {nfkc(o) for o in s["officers_present"]}
    items = defaultdict(set)
    for r in got:
        if r["part"] == "3 item":
            items[(int(r["position"]), r["kind"], r["label"], r["outcome"])].add(r["whoLabel"])
    assert items == {
        (i["position"], i["kind"], nfkc(i["title"]), i["outcome"] or ""): {
            nfkc(p) for p in i["presenters"]
        }
        or {""}
        for i in s["items"]
    }
    remarks = [r for r in got if r["part"] == "4 remark"]
    assert [int(r["position"]) for r in remarks] == [r["position"] for r in s["remarks"]]
    replies = [r["replyTo"].rsplit("/", 1)[1] if r["replyTo"] else None for r in remarks]
    assert replies == [str(r["reply_to"]) if r["reply_to"] else None for r in s["remarks"]]


def test_the_path_of_one_appeal(snapshot):
    got = rows(snapshot, "appeal-path", appeal="JP-35/警察本部長/2019-05-10/1")
    assert [(r["date"], r["outcome"]) for r in got] == [
        ("2019-06-12", "了承"),
        ("2019-08-21", "裁決書決裁"),
    ]
    assert all(r["presenter"] == "警察県民課長" for r in got)


def test_member_tenure(snapshot, expected):
    want: dict = {}
    for s in expected:
        for m in s["members"]:
            w = want.setdefault((s["committee"], m["name"]), [[], 0])
            w[0].append(s["date"])
            w[1] += m["name"] == s["chair"]
    got = {
        (tail(r["committee"], "committee"), r["name"]): [
            r["first"],
            r["last"],
            int(r["sessions"]),
            int(r["chairedSessions"]),
        ]
        for r in rows(snapshot, "member-tenure")
    }
    assert got == {k: [min(d), max(d), len(d), chaired] for k, (d, chaired) in want.items()}


# -- parameters ------------------------------------------------------------------------


def test_parameters_are_checked_and_bound_as_values():
    q = get("items-per-officer-year")
    text = q.render({"committee": "JP-35", "year": "2025"}, BASE)
    assert f"VALUES (?committee ?year) {{ (<{ID}committee/JP-35> 2025) }}" in text
    assert "VALUES" not in q.render({}, BASE).split("WHERE", 1)[1].split("GRAPH")[0]
    with pytest.raises(QueryError, match="integer"):
        q.render({"year": "2025 } ; DROP ALL"}, BASE)
    with pytest.raises(QueryError, match="not a valid iri"):
        q.render({"committee": "JP-35> } SERVICE <http://x/"}, BASE)
    with pytest.raises(QueryError, match="no parameter"):
        q.render({"colour": "red"}, BASE)
    with pytest.raises(QueryError, match="needs the parameter"):
        get("session").render({}, BASE)
    search = get("text-search").render({"text": 'a "quoted" \\ word'}, BASE)
    assert '("a \\"quoted\\" \\\\ word")' in search


def test_a_malformed_catalogue_file_is_refused():
    with pytest.raises(QueryError, match="title@ja"):
        parse("x", "# title@en: only English\n# description@en: d\nSELECT * {}")
    with pytest.raises(QueryError, match="VALUES"):
        parse(
            "x",
            "# title@en: t\n# title@ja: t\n# description@en: d\n# description@ja: d\n"
            "# param ?a iri: a\nSELECT * { ?a ?b ?c }",
        )


@pytest.mark.slow  # the command line as a process
def test_the_command_line_runs_a_catalogue_query_with_parameters(snapshot):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "committee_kg.server.cli",
            "query",
            "--store",
            str(snapshot.path),
            "--name",
            "appeal-path",
            "--param",
            "appeal=JP-35/警察本部長/2019-05-10/1",
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 3 and lines[1].split(",")[1] == "2019-06-12"
    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "committee_kg.server.cli",
            "query",
            "--store",
            snapshot.path,
            "--name",
            "session",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode != 0 and bad.stderr.count("\n") == 1 and "?meeting" in bad.stderr


def test_one_topic_year_by_year(snapshot, expected):
    # "which officers reported on cybercrime, and what did members say about it, year by year?"
    got = rows(snapshot, "topic-by-year", topic="cybercrime")
    item = ID + "meeting/JP-35/2025-04-09/item/2"  # サイバー犯罪対策の強化
    officers = {(r["year"], r["item"], r["officer"]) for r in got if r["officer"]}
    assert ("2025", item, ID + "officer/JP-35/生活安全部長") in officers
    said = [r for r in got if r["remark"]]
    session = expected[SESSIONS.index("JP-35_2025-09-10") - 1]  # JP-35_2025-04-09
    members = {m["name"] for m in session["members"]}
    want = {
        (ID + f"meeting/JP-35/2025-04-09/remark/{r['position']}", r["speaker"])
        for r in session["remarks"]
        if r["item"] == 2 and r["speaker"] in members
    }
    assert {
        (r["remark"], tail(r["speaker"], "member").split("/")[1]) for r in said if r["item"] == item
    } == want
    assert all("/officer/" not in r["speaker"] for r in said)  # members only
    assert [r["year"] for r in got] == sorted(r["year"] for r in got)
    # one commission: its rows, all of them; another: none (the parameter binds in each
    # branch of the query, so no branch lets another commission's rows through)
    by_committee = {r["meeting"].split("/meeting/")[1].split("/")[0] for r in got}
    for code in by_committee | {"JP-13"}:
        one = rows(snapshot, "topic-by-year", topic="cybercrime", committee=code)
        assert one == [r for r in got if f"/meeting/{code}/" in r["meeting"]]


def test_one_topic_year_by_year_under_another_base(tmp_path):
    """A deployment's own --base: the topic scheme is stored under it too, so the hierarchy
    joins the sessions' topics, and the query reads the store's own topics graph."""
    other = "https://example.org/kg/"
    store = Store(tmp_path / "store", base=other)
    store.load_reference()
    for name in ("JP-35_2025-04-09", "JP-35_2025-09-10"):
        conv = convert(EXAMPLES / f"{name}.txt", minter=Minter(other))
        store.replace_graph(conv.graph_name, conv.graph)
    store.publish()
    store.close()
    snapshot = Snapshot(tmp_path / "store")
    text = get("topic-by-year").render({"topic": "cybercrime"}, other)
    got = list(
        csv.DictReader(
            io.StringIO(execute(snapshot.db, Request(text, results="csv")).body.decode())
        )
    )
    items = {r["item"] for r in got}
    assert other + "id/meeting/JP-35/2025-04-09/item/2" in items
    assert all(i.startswith(other) for i in items)
