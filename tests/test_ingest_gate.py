"""The gate in ingest: a batch loads its valid sessions, lists the others, and the store
never holds a half-loaded session — also when the process is killed midway."""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest

from committee_kg.loaders.pipeline import convert
from committee_kg.server.store.store import Store, as_stored, insert_data

from .support import EXAMPLES
from .support.store import named_quads

pytestmark = pytest.mark.slow  # ingest as a process

WIDE = str.maketrans("0123456789", "０１２３４５６７８９")
TEMPLATE = EXAMPLES / "JP-35_2025-04-09.txt"
DATE = "令和７年４月９日（水）"


def sessions(tmp: Path, n: int) -> list[Path]:
    """n distinct sessions: the template minutes moved to other days of 2025."""
    text = TEMPLATE.read_text(encoding="utf-8")
    out = []
    for k in range(n):
        day = date(2025, 1 + k // 28, 1 + k % 28)
        written = f"令和７年{day.month}月{day.day}日（{'月火水木金土日'[day.weekday()]}）"
        p = tmp / f"s{k:03d}.txt"
        p.write_text(text.replace(DATE, written.translate(WIDE)), encoding="utf-8")
        out.append(p)
    return out


def ingest(store: Path, files, *flags) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "committee_kg.server.cli", "ingest", *flags, "--store", str(store)]
        + [str(f) for f in files],
        stderr=subprocess.PIPE,
        text=True,
    )


def test_batch_loads_the_valid_and_lists_the_rest(tmp_path):
    good = sessions(tmp_path, 2)
    nodate = tmp_path / "nodate.txt"
    nodate.write_text(
        TEMPLATE.read_text(encoding="utf-8").replace(DATE, "（水）"), encoding="utf-8"
    )
    proc = ingest(tmp_path / "store", [good[0], nodate, good[1]])
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 3
    assert "2 loaded, 0 unchanged, 1 failed" in err
    assert "nodate.txt" in err and "date" in err


def test_killed_midway_leaves_only_whole_sessions(tmp_path):
    files = sessions(tmp_path, 40)
    store = tmp_path / "store"
    proc = ingest(store, files, "--verbose")
    loaded = 0
    while loaded < 5:  # kill it in the middle of the batch, after five sessions are stored
        line = proc.stderr.readline()
        assert line, "ingest ended before it was killed"
        loaded += line.startswith("loaded: ")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    db = Store(store).db
    graphs = {str(g.value) for g in db.named_graphs() if "/graph/meeting/" in g.value}
    assert graphs, "nothing was loaded before the kill; lengthen the sleep"
    assert len(graphs) < len(files), "everything was loaded before the kill; shorten the sleep"
    by_graph = {str(c.graph_name): c for c in (convert(f) for f in files)}
    for name in graphs:
        stored = set(db.quads_for_pattern(None, None, None, ox.NamedNode(name)))
        whole = as_stored(insert_data(by_graph[name].graph, name))
        assert stored == whole, f"{name} is half-loaded"
    # the killed batch published nothing half-made: readers see no generation, or a whole one
    assert not (store / "CURRENT").exists() or (store / "generations").exists()


def test_worker_processes_store_what_one_process_stores(tmp_path):
    """Converting and validating in worker processes while this one writes: the same
    outcomes, in the same order, and the same quads; reingest too."""
    from committee_kg.server.store.ingest import ingest as run
    from committee_kg.server.store.ingest import reingest

    nodate = tmp_path / "nodate.txt"
    nodate.write_text(TEMPLATE.read_text(encoding="utf-8").replace(DATE, "（水）"), "utf-8")
    files = [*sessions(tmp_path, 5), nodate, *sorted(EXAMPLES.glob("*.txt"))]

    def meetings(store: Store) -> set[str]:
        return {str(q) for q in named_quads(store.db) if "/graph/meeting/" in q.graph_name.value}

    one, two = Store(tmp_path / "one"), Store(tmp_path / "two")
    by_one = run(one, files, workers=1, progress=False)
    by_two = run(two, files, workers=2, progress=False)
    assert [(o.status, o.meeting, o.message) for o in by_two] == [
        (o.status, o.meeting, o.message) for o in by_one
    ]
    assert [o.status for o in by_two].count("failed") == 1  # the one without its date
    assert meetings(two) == meetings(one) and len(meetings(one)) > 0
    heard = []
    again = reingest(two, workers=2, progress=False, on_outcome=heard.append)
    assert {o.status for o in again} == {"unchanged"} and heard == again
    assert meetings(two) == meetings(one)
