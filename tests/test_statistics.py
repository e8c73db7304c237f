"""Statistics are computed at every publish, from the sessions stored then, and the catalogue
reads them: a new session shows in the next generation's figures, never twice. An appeal's
life (receipt, hearings, opinion, ruling) is derived in the same step, onto the appeal."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from committee_kg.loaders.validate import validate
from committee_kg.server.graphs import Filters, extract_appeals
from committee_kg.server.query.catalogue import catalogue
from committee_kg.server.store.ingest import ingest
from committee_kg.server.store.store import Snapshot, Store

from .support import EXAMPLES

pytestmark = pytest.mark.slow  # ingest (reading and validation) of several sessions, several times

CKG = "https://w3id.org/committee-kg/ontology#"


def figures(path) -> dict:
    snap = Snapshot(path)
    text = catalogue()["meetings-per-year"].render({}, snap.base)
    out = {}
    for row in snap.query(text):
        key = (row["committee"].value.rsplit("/", 1)[-1], int(row["y"].value))
        out[key] = (int(row["meetings"].value), int(row["items"].value))
    return out


def test_each_publish_recounts_what_is_stored(tmp_path):
    files = sorted(EXAMPLES.glob("JP-35_2025-*.txt"))
    assert len(files) >= 2
    store = Store(tmp_path / "store")
    ingest(store, files[:1])
    first = figures(tmp_path / "store")
    assert first[("JP-35", 2025)][0] == 1
    ingest(store, files[1:])
    again = figures(tmp_path / "store")
    assert again[("JP-35", 2025)][0] == len(files)
    assert again[("JP-35", 2025)][1] > first[("JP-35", 2025)][1]
    store.publish()  # nothing new: the same figures, the old statistics not counted twice
    assert figures(tmp_path / "store") == again
    snap = Snapshot(tmp_path / "store")
    observations = snap.query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ ?o a <{CKG}CommitteeYearStatistics> }}"
    )
    assert int(next(iter(observations))["n"].value) == len(again)


# -- the appeal's life, derived with the figures (issue 18 point 4) -------------------------

APPEAL = "https://w3id.org/committee-kg/id/appeal/JP-35/警察本部長/"


def hearing_of(source: Path, out: Path) -> Path:
    """The ruling's session (2019-08-21) as a session five weeks earlier that decided how the
    appeal is to be heard: the same appeal, neither its receipt nor its ruling."""
    text = source.read_text(encoding="utf-8")
    for old, new in (
        ("令和元年８月２１日（水）", "令和元年７月１７日（水）"),
        ("について、裁決書を決裁した。", "について、審理の進め方を決裁した。"),
    ):
        assert old in text
        text = text.replace(old, new)
    path = out / "JP-35_2019-07-17.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def lived(tmp_path_factory) -> Path:
    """A store with one appeal's receipt, a hearing and its ruling, and two appeals whose
    advisory body's opinion a session was told of."""
    work = tmp_path_factory.mktemp("life")
    files = [
        EXAMPLES / "JP-35_2019-06-12.txt",
        hearing_of(EXAMPLES / "JP-35_2019-08-21.txt", work),
        EXAMPLES / "JP-35_2019-08-21.txt",
        EXAMPLES / "JP-35_2025-09-10.txt",
    ]
    outcomes = ingest(Store(work / "store"), files)
    assert [o.status for o in outcomes] == ["loaded"] * len(files), outcomes
    return work / "store"


def life(snap: Snapshot, appeal: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for q in snap.db.quads_for_pattern(ox.NamedNode(appeal), None, None, None):
        if isinstance(q.graph_name, ox.DefaultGraph):
            continue  # the merge of the graphs: where a triple came from is its named graph
        key = q.predicate.value.rsplit("#", 1)[-1]
        if key.endswith("Date") and key != "dispositionDate":
            assert q.graph_name.value == snap.base + "graph/statistics"  # derived, not stated
            out.setdefault(key, []).append(q.object.value)
    return {k: sorted(v) for k, v in out.items()}


def test_an_appeal_s_receipt_hearings_opinion_and_ruling_are_dates_of_the_appeal(lived):
    snap = Snapshot(lived)
    assert life(snap, APPEAL + "2019-05-10/1") == {
        "receiptDate": ["2019-06-12"],
        "hearingDate": ["2019-07-17"],
        "rulingDate": ["2019-08-21"],
    }
    # told of the opinion at a session (「…審査会から答申があった」): no receipt, no ruling yet
    for disposed in ("2024-10-02", "2024-11-20"):
        assert life(snap, APPEAL + f"{disposed}/1") == {"opinionDate": ["2025-09-10"]}


def test_the_appeals_catalogue_query_reads_the_appeal_s_life(lived):
    snap = Snapshot(lived)
    text = catalogue()["appeals"].render({}, snap.base)
    rows = {r["appeal"].value: r for r in snap.query(text)}
    row = rows[APPEAL + "2019-05-10/1"]
    assert (row["receipt"].value, row["ruling"].value) == ("2019-06-12", "2019-08-21")
    assert int(row["hearings"].value) == 1 and int(row["sessions"].value) == 3
    assert row["opinion"] is None and row["receiptToRuling"].value == "P70D"
    told = rows[APPEAL + "2024-10-02/1"]
    assert told["opinion"].value == "2025-09-10" and int(told["hearings"].value) == 0
    assert told["ruling"] is None


def test_the_timeline_shows_each_session_as_the_step_the_appeal_s_life_says(lived):
    draft = extract_appeals(Snapshot(lived), Filters())
    steps = sorted(
        (n["date"], n["kind"])
        for n in draft.nodes.values()
        if n.get("appeal") and n["kind"] != "appeal"
    )
    assert steps == [
        ("2019-06-12", "receipt"),
        ("2019-07-17", "hearing"),
        ("2019-08-21", "ruling"),
        ("2025-09-10", "opinion"),
        ("2025-09-10", "opinion"),
    ]


def test_the_appeal_s_life_meets_the_shapes(lived):
    """The derived dates with the session that states the appeal: what the shapes of
    ckg:Appeal say of them holds (one receipt, opinion and ruling; dates)."""
    snap = Snapshot(lived)
    triples = [
        ox.Triple(q.subject, q.predicate, q.object)
        for graph in ("meeting/JP-35/2019-08-21", "statistics")
        for q in snap.db.quads_for_pattern(
            None, None, None, ox.NamedNode(snap.base + "graph/" + graph)
        )
        if graph != "statistics" or q.subject.value.startswith(APPEAL)
    ]
    g = Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    assert (URIRef(APPEAL + "2019-05-10/1"), URIRef(CKG + "hearingDate"), None) in g
    report = validate(g)
    assert report.conforms, [f.line() for f in report.findings]
