"""Ingest's batches (issue 19): new sessions journaled whole, then bulk-loaded, must leave
the store exactly as a transaction a session does, and a journal cut short by a crash
must load its whole sessions and nothing of the rest."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from committee_kg.server.store import store as store_module
from committee_kg.server.store.ingest import prepare, store_prepared
from committee_kg.server.store.store import JOURNAL, UNPUBLISHED, Store, journal_block

from .support import EXAMPLES
from .support.store import named_quads


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """Every example session of the seed's layout, converted and validated once."""
    files = sorted(EXAMPLES.glob("*.txt"))
    out = [prepare(f) for f in files]
    assert all(not p.failed for p in out) and len(out) >= 4
    return out


def contents(store: Store) -> tuple[set, set, list]:
    """What a store holds: its named graphs, its default graph and its full-text index."""
    default = set(store.db.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    rows = store.index.db.execute(
        "SELECT graph, meeting, date, node, kind, text FROM texts ORDER BY graph, node, kind"
    ).fetchall()
    return set(named_quads(store.db)), default, rows


def test_a_batch_stores_what_a_transaction_a_session_stores(prepared, tmp_path, monkeypatch):
    one = Store(tmp_path / "one")
    for p in prepared:
        assert store_prepared(one, p).status == "loaded"
    monkeypatch.setattr(store_module, "BATCH_QUADS", 5_000)  # a batch of two sessions or so
    batched = Store(tmp_path / "batched")
    with batched.batch():
        outcomes = [store_prepared(batched, p) for p in prepared]
    assert [o.status for o in outcomes] == ["loaded"] * len(prepared)
    assert not (tmp_path / "batched" / JOURNAL).exists()
    named, default, rows = contents(batched)
    assert (named, default, rows) == contents(one)
    assert default == {ox.Quad(q.subject, q.predicate, q.object) for q in named}
    assert len(rows) > len(prepared)


def test_the_same_session_twice_in_a_batch_is_unchanged_the_second_time(prepared, tmp_path):
    store = Store(tmp_path / "s")
    name = ox.NamedNode(prepared[0].graph_name)
    with store.batch():
        first = store_prepared(store, prepared[0])
        assert not store.db.contains_named_graph(name)  # journaled, not yet loaded
        assert (tmp_path / "s" / JOURNAL).stat().st_size > 0
        again = store_prepared(store, prepared[0])
    assert (first.status, again.status) == ("loaded", "unchanged")
    assert len(list(store.db.quads_for_pattern(None, None, None, name))) == (
        prepared[0].ntriples.count(b"\n")
    )


def test_a_journal_cut_short_loads_its_whole_sessions_only(prepared, tmp_path):
    """As a process killed while writing the third session leaves it: the next command to
    open the store loads the first two, drops the torn tail, indexes and publishes them."""
    path = tmp_path / "s"
    Store(path).close()
    a, b, c = prepared[:3]
    torn = journal_block(c.ntriples, c.graph_name)
    journal = journal_block(a.ntriples, a.graph_name) + journal_block(b.ntriples, b.graph_name)
    (path / JOURNAL).write_bytes(journal + torn[: len(torn) - 40])
    (path / UNPUBLISHED).write_text("")
    store = Store(path)
    assert store.recovered  # published at once
    assert not (path / JOURNAL).exists() and not (path / UNPUBLISHED).exists()
    graphs = {g.value for g in store.db.named_graphs() if "/graph/meeting/" in g.value}
    assert graphs == {a.graph_name, b.graph_name}
    _, default, rows = contents(store)
    assert default == {ox.Quad(q.subject, q.predicate, q.object) for q in named_quads(store.db)}
    assert {r[0] for r in rows} == {a.graph_name, b.graph_name}
    reference = Store(tmp_path / "reference")
    for p in (a, b):
        store_prepared(reference, p)

    def sessions(s: Store) -> set:
        return {q for q in named_quads(s.db) if "/graph/meeting/" in q.graph_name.value}

    assert sessions(store) == sessions(reference)


def test_a_journal_block_refuses_text_that_is_not_one_triple_a_line():
    with pytest.raises(ValueError, match="one triple a line"):
        journal_block(b"<a> <b> <c> .\n<a> <b>\n", "https://example.org/g")


def test_a_store_path_with_no_journal_needs_none(tmp_path: Path):
    store = Store(tmp_path / "s")
    with store.batch():
        pass
    assert not (tmp_path / "s" / JOURNAL).exists() and not store.unpublished
