"""Nothing lost, ever (issue 16): ``committee-kg ingest`` killed with SIGKILL at each stage
between parsing, storing and publishing, then what the next command does.

Each run is a real process on a real store; ``COMMITTEE_KG_CRASH_AT=stage`` makes it kill
itself at that stage, as ``kill -9`` would. Before the fix, a kill after the sessions were
stored but before the generation was published left them invisible for good: the same
command again said "0 loaded, 3 unchanged" and published nothing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import pyoxigraph as ox
import pytest

from committee_kg.server.store.ingest import ingest
from committee_kg.server.store.store import (
    CRASH_AT,
    CURRENT,
    GENERATIONS,
    JOURNAL,
    LIVE,
    UNPUBLISHED,
    Store,
    whole_sessions,
)

from .support import EXAMPLES
from .support.store import free_port, named_quads, serving, session_files, sparql_csv

pytestmark = pytest.mark.slow  # ingest and serve as processes, killed at every step

MEETINGS = "SELECT (COUNT(?m) AS ?n) { ?m a <https://w3id.org/committee-kg/ontology#Meeting> }"
# the stages a run is killed at, in order, and whether the sessions were stored by then
STORING = [
    ("prepared", False),  # the first file converted, nothing stored yet
    ("parsing s001.txt", True),  # converting the second file, the first stored
    ("stored", True),  # one session stored, the other not
    ("batch journaled", True),  # both sessions in the journal, not yet loaded into live/
    ("batch loaded", True),  # loaded, the journal not yet emptied
    ("all stored", True),  # every session stored, publishing not begun (the case)
]
PUBLISHING = ["statistics", "snapshot", "switched"]  # computed; snapshot made; readers switched


def cli(*args, crash: str | None = None, token: str = "") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != CRASH_AT}
    if crash:
        env[CRASH_AT] = crash
    env["COMMITTEE_KG_TEST_RUN"] = token  # marks the processes of this run, workers too
    return subprocess.run(
        [sys.executable, "-m", "committee_kg.server.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def published(store: Path) -> ox.Store:
    generation = (store / CURRENT).read_text().strip()
    return ox.Store.read_only(str(store / GENERATIONS / generation))


def meeting_graphs(db: ox.Store) -> set[str]:
    return {g.value for g in db.named_graphs() if "/graph/meeting/" in g.value}


def stored_graphs(store: Path) -> set[str]:
    """The sessions stored: in live/, or whole in the journal of a batch not yet loaded."""
    live = ox.Store(str(store / LIVE))
    try:
        graphs = meeting_graphs(live)
    finally:
        del live
    journal = store / JOURNAL
    if journal.exists():
        lines = whole_sessions(journal.read_bytes()).decode().splitlines()
        graphs |= {line.split(" ")[-1] for line in lines if line.startswith("# stored ")}
    return graphs


def assert_whole(db: ox.Store) -> None:
    """A generation as readers must see it: its default graph the merge of its graphs."""
    merge = {q.triple for q in named_quads(db)}
    assert {q.triple for q in db.quads_for_pattern(None, None, None, ox.DefaultGraph())} == merge


@pytest.fixture(scope="module")
def first(tmp_path_factory) -> tuple[Path, set[str]]:
    """A published store of one session: the state a killed run must never lose."""
    store = tmp_path_factory.mktemp("first") / "store"
    files = session_files(EXAMPLES, store.parent, 1, first=20)
    writer = Store(store)
    ingest(writer, files, progress=False)
    writer.close()
    return store, meeting_graphs(published(store))


def killed_run(first, tmp_path: Path, stage: str) -> tuple[Path, list[Path]]:
    """The first store, copied, and an ingest of two more sessions into it killed at the
    stage; readers are left on a whole generation: the first, or (killed after the switch)
    the new one."""
    store = tmp_path / "store"
    shutil.copytree(first[0], store)
    before = (store / CURRENT).read_text()
    files = session_files(EXAMPLES, tmp_path, 2)
    killed = cli("ingest", "--store", store, *files, crash=stage)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    now = published(store)
    assert_whole(now)
    if stage == "switched":
        assert (store / CURRENT).read_text() != before and len(meeting_graphs(now)) == 3
    else:
        assert (store / CURRENT).read_text() == before and meeting_graphs(now) == first[1]
    return store, files


def assert_everything_stored_is_published(store: Path, sessions: int = 3) -> None:
    now = published(store)
    assert meeting_graphs(now) == stored_graphs(store) and len(meeting_graphs(now)) == sessions
    assert_whole(now)
    assert not (store / UNPUBLISHED).exists()
    assert not list((store / GENERATIONS).glob(".*")), "a half-made snapshot was left"


@pytest.mark.parametrize(("stage", "stored"), STORING)
def test_an_ingest_killed_while_storing_is_finished_by_the_same_command(
    first, tmp_path, stage, stored
):
    store, files = killed_run(first, tmp_path, stage)
    assert (store / UNPUBLISHED).exists() == stored
    again = cli("ingest", "--store", store, *files)
    assert again.returncode == 0, again.stderr
    assert ("interrupted run" in again.stderr) == stored
    assert_everything_stored_is_published(store)
    if stage in ("batch journaled", "batch loaded", "all stored"):  # reported unchanged,
        # but only once they are visible
        assert "0 loaded, 2 unchanged" in again.stderr
        assert again.stderr.index("interrupted run") < again.stderr.index("0 loaded")
    else:
        assert "0 loaded" not in again.stderr


@pytest.mark.parametrize("stage", PUBLISHING)
def test_an_ingest_killed_while_publishing_is_finished_by_any_next_command(first, tmp_path, stage):
    """The next command, whichever it is (a query, the server's start, a listing), publishes
    what the killed run stored before it does its own work."""
    store, _ = killed_run(first, tmp_path, stage)
    assert (store / UNPUBLISHED).exists()
    if stage == "statistics":
        proc = cli("query", "--store", store, "--format", "csv", MEETINGS)
        assert proc.returncode == 0 and proc.stdout.splitlines()[1] == "3", proc.stderr
        assert "interrupted run" in proc.stderr
    elif stage == "snapshot":
        with serving(store) as url:
            assert sparql_csv(url, MEETINGS) == [{"n": "3"}]
    else:
        proc = cli("sessions", "--store", store)
        assert proc.returncode == 0 and len(proc.stdout.splitlines()) == 3, proc.stderr
    assert_everything_stored_is_published(store)


def test_a_removal_killed_while_publishing_is_finished_by_the_next_command(first, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(first[0], store)
    (graph,) = first[1]
    meeting = graph.replace("/graph/", "/id/")
    killed = cli("sessions", "--store", store, "--remove", meeting, crash="statistics")
    assert killed.returncode == -signal.SIGKILL
    assert meeting_graphs(published(store)) == first[1]  # readers: the previous generation
    listed = cli("sessions", "--store", store)
    assert listed.returncode == 0 and listed.stdout == ""
    assert meeting_graphs(published(store)) == set()


def test_worker_processes_die_with_a_killed_ingest(tmp_path):
    """After kill -9 of ingest, its converting workers lived on (some 250 MB each, minutes
    later), holding its output open. Now they, and multiprocessing's resource tracker, go
    within seconds."""
    token = uuid.uuid4().hex
    files = session_files(EXAMPLES, tmp_path, 2)
    env = {**os.environ, CRASH_AT: "prepared", "COMMITTEE_KG_TEST_RUN": token}
    command = [
        sys.executable,
        "-m",
        "committee_kg.server.cli",
        "ingest",
        "--store",
        str(tmp_path / "s"),
    ]
    with open(tmp_path / "stderr", "w") as err:  # not a pipe: a survivor would hold it open
        proc = subprocess.run([*command, "--workers", "2", *map(str, files)], stderr=err, env=env)
    assert proc.returncode == -signal.SIGKILL, (tmp_path / "stderr").read_text()
    deadline = time.monotonic() + 20
    while (left := processes_of(token)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, f"processes of the killed run still alive: {left}"


def test_query_workers_die_with_a_killed_server(first):
    """kill -9 of ``serve`` while a worker runs a runaway query: the worker lived on (its
    parent is the fork server, which lives while its children do) and kept the fork server
    and the resource tracker alive with it. Now they all go within seconds."""
    token = uuid.uuid4().hex
    env = {**os.environ, "COMMITTEE_KG_TEST_RUN": token}
    port = free_port()
    command = [sys.executable, "-m", "committee_kg.server.cli", "serve", "--store", str(first[0])]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--timeout", "300"], env=env, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(400):
            try:
                urllib.request.urlopen(url + "/health", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        runaway = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

        def ask() -> None:
            with contextlib.suppress(OSError):  # the server is killed before it answers
                sparql_csv(url, runaway)

        asking = threading.Thread(target=ask, daemon=True)
        asking.start()
        time.sleep(2)  # the query is running in a worker
        assert asking.is_alive()
    finally:
        server.kill()
        server.wait()
    deadline = time.monotonic() + 20
    while (left := processes_of(token)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, f"processes of the killed server still alive: {left}"


def processes_of(token: str) -> list[str]:
    """Command lines of the live processes whose environment carries the token."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            ours = f"COMMITTEE_KG_TEST_RUN={token}".encode() in (proc / "environ").read_bytes()
            zombie = (proc / "stat").read_text().split(") ")[1][0] == "Z"
            if ours and not zombie:
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


def test_a_worker_killed_while_parsing_stops_the_run_and_loses_nothing(first, tmp_path):
    """A converting worker killed (as by the out-of-memory killer) while parsing: the run
    says so in one line, publishes what it stored, leaves no process behind, and the same
    command again loads the rest, calling unchanged only what readers already see."""
    store = tmp_path / "store"
    shutil.copytree(first[0], store)
    files = session_files(EXAMPLES, tmp_path, 4)
    token = uuid.uuid4().hex
    args = ("ingest", "--store", store, "--workers", "2", *files)
    killed = cli(*args, crash="parsing s002.txt", token=token)
    assert killed.returncode == 1, killed.stderr
    assert "Traceback" not in killed.stderr
    assert "a worker process died" in killed.stderr and "s00" in killed.stderr
    assert not processes_of(token)
    visible = meeting_graphs(published(store))
    assert visible == stored_graphs(store) and not (store / UNPUBLISHED).exists()
    assert_whole(published(store))
    again = cli(*args)
    assert again.returncode == 0, again.stderr
    same = len(visible) - len(first[1])
    assert f"{4 - same} loaded, {same} unchanged" in again.stderr
    assert len(meeting_graphs(published(store))) == 5


def test_an_ingest_killed_at_an_unmarked_moment_loses_nothing(first, tmp_path):
    """kill -9 from outside, wherever the run happens to be once two sessions are stored:
    the same command again publishes them first, then reports them unchanged."""
    store = tmp_path / "store"
    shutil.copytree(first[0], store)
    files = session_files(EXAMPLES, tmp_path, 6)
    command = [
        sys.executable,
        "-m",
        "committee_kg.server.cli",
        "ingest",
        "--verbose",
        "--store",
        str(store),
    ]
    proc = subprocess.Popen([*command, *map(str, files)], stderr=subprocess.PIPE, text=True)
    loaded = 0
    while loaded < 2:
        line = proc.stderr.readline()
        assert line, "ingest ended before it was killed"
        loaded += line.startswith("loaded: ")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stderr.close()
    assert meeting_graphs(published(store)) == first[1]  # readers: the previous generation
    stored = stored_graphs(store)
    assert 3 <= len(stored) < 7
    again = cli("ingest", "--store", store, *files)
    assert again.returncode == 0, again.stderr
    same = len(stored) - 1
    assert f"{6 - same} loaded, {same} unchanged" in again.stderr
    assert again.stderr.index("interrupted run") < again.stderr.index("unchanged")
    assert_everything_stored_is_published(store, 7)


# -- a full disk (issue 16: on the first ingest it was a raw OSError traceback) ---------------


@pytest.fixture
def small_disk(tmp_path) -> Path:
    """A 64 MB tmpfs of our own; skipped where mounting one is not allowed (not root)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    try:
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(disk)],
            check=True,
            capture_output=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"cannot mount a small file system here: {exc}")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path, room_kb: int) -> Path:
    """Leave about room_kb of the file system free."""
    vfs = os.statvfs(disk)
    filler = disk / "filler"
    fd = os.open(filler, os.O_CREAT | os.O_WRONLY)
    try:
        os.posix_fallocate(fd, 0, vfs.f_bavail * vfs.f_frsize - room_kb * 1024)
    finally:
        os.close(fd)
    return filler


def assert_one_clear_line(proc: subprocess.CompletedProcess, store: Path) -> None:
    """Exit 4 (a store error) with one line naming what could not be written and where."""
    assert proc.returncode == 4, proc.stderr
    assert "Traceback" not in proc.stderr
    (line,) = [x for x in proc.stderr.splitlines() if x.startswith("committee-kg:")]
    assert f"{store}: cannot " in line and "No space left on device" in line, line


def test_a_full_disk_on_the_first_ingest_is_one_clear_line(small_disk, tmp_path):
    store = small_disk / "store"
    filler = fill(small_disk, 0)
    files = session_files(EXAMPLES, tmp_path, 1)
    full = cli("ingest", "--store", store, *files)
    assert_one_clear_line(full, store)
    assert not (store / CURRENT).exists()  # nothing was published, nothing half-made is seen
    filler.unlink()
    again = cli("ingest", "--store", store, *files)
    assert again.returncode == 0 and "1 loaded" in again.stderr, again.stderr
    assert len(meeting_graphs(published(store))) == 1


@pytest.mark.parametrize("room_kb", [100, 1000], ids=["no room", "room for a little"])
def test_a_full_disk_later_keeps_what_readers_see_and_loses_nothing(
    first, small_disk, tmp_path, room_kb
):
    """The disk fills during an ingest into a published store (wherever: opening the store,
    storing a session or publishing, as the room left allows): one clear line, readers stay
    on the previous generation (and a query still answers), no half-made snapshot takes the
    room; with room again, the same ingest publishes what was stored and loads the rest."""
    store = small_disk / "store"
    shutil.copytree(first[0], store)
    before = (store / CURRENT).read_text()
    files = session_files(EXAMPLES, tmp_path, 8)  # megabytes: more than the room left
    filler = fill(small_disk, room_kb)
    full = cli("ingest", "--store", store, *files)
    assert_one_clear_line(full, store)
    assert (store / CURRENT).read_text() == before
    assert_whole(published(store))
    assert not list((store / GENERATIONS).glob(".*")), "a half-made snapshot was left"
    query = cli("query", "--store", store, "--format", "csv", MEETINGS)
    assert query.returncode == 0 and query.stdout.splitlines()[1] == "1", query.stderr
    filler.unlink()
    again = cli("ingest", "--store", store, *files)
    assert again.returncode == 0, again.stderr
    assert_everything_stored_is_published(store, 9)
