"""Statistics are computed at every publish, from the sessions stored then, and the catalogue
reads them: a new session shows in the next generation's figures, never twice."""

from __future__ import annotations

from server.catalogue import catalogue
from server.ingest import ingest
from server.store import Snapshot, Store

from .conftest import EXAMPLES

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
