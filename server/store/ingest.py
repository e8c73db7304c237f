"""Ingest: convert, validate, and store each session's graph whole.

Valid sessions load; invalid ones are listed with their reasons; the store never holds a
half-loaded session (new sessions are journaled whole and bulk-loaded in batches, each
replacement is one pyoxigraph transaction, and readers see only published generations).
A run killed at any point is finished by the next one (issue 16): the store publishes
what an interrupted run stored (``Store``), each session's source is kept before its graph
is stored, and worker processes die with this one.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from committee_kg.loaders.errors import CommitteeKGError
from committee_kg.loaders.pipeline import convert
from committee_kg.loaders.pool import process_pool
from committee_kg.loaders.validate import validate
from committee_kg.loaders.vocab import Minter

from ..settings import limits
from .store import Store, crash_point


@dataclass
class Outcome:
    path: str
    status: str  # loaded, unchanged, rejected, failed
    meeting: str | None = None
    message: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in ("loaded", "unchanged")


class WorkerDied(CommitteeKGError):
    """A converting worker process died (killed, or out of memory): the run stops, with
    what it stored so far published, and says where it stopped."""


@dataclass
class Prepared:
    """A file converted and validated, ready for the store: what a worker process sends
    back to the one writer (the graph as N-Triples, cheap to send and to insert)."""

    path: str
    sha256: str = ""
    graph_name: str = ""
    ntriples: bytes = b""
    failed: Outcome | None = None  # rejected or failed: nothing to store
    meeting: str | None = None
    warnings: list[str] = field(default_factory=list)


def prepare(path: Path, *, loader=None, committee=None, url=None, base=None) -> Prepared:
    """Convert and validate one file: the part of ingest that needs no store."""
    crash_point(f"parsing {path.name}")
    minter = Minter(base) if base else Minter()
    try:
        conv = convert(
            path,
            loader=loader,
            committee=committee,
            url=url,
            minter=minter,
            limits=limits(),  # from the settings table (a worker inherits the environment)
        )
    except CommitteeKGError as exc:
        return Prepared(str(path), failed=Outcome(str(path), "failed", message=str(exc)))
    warnings = [f"{path}: {w}" for w in conv.warnings]
    report = validate(conv.graph, base=minter.base)
    warnings += [f"{path}: {f.line()}" for f in report.warnings]
    meeting = str(conv.meeting)
    if not report.conforms:
        reasons = "\n".join(f"  {f.line()}" for f in report.violations)
        message = f"{path}: session {meeting} is invalid:\n{reasons}"
        return Prepared(
            str(path), failed=Outcome(str(path), "rejected", meeting, message, warnings)
        )
    return Prepared(
        str(path),
        conv.minutes.document.sha256,
        str(conv.graph_name),
        # the N-Triples validation wrote, or the graph written now where pyshacl validated it
        (report.ntriples or conv.graph.serialize(format="nt")).encode("utf-8"),
        meeting=meeting,
        warnings=warnings,
    )


def store_prepared(store: Store, p: Prepared) -> Outcome:
    """Replace the session's graph in one transaction, and keep its source file."""
    if p.failed:
        return p.failed
    warnings = list(p.warnings)
    previous = store.source_of(p.graph_name)
    if previous and previous != p.sha256:
        warnings.append(
            f"{p.path}: replaces {p.meeting}, which came from another source document "
            f"(sha256 {previous[:12]}…)"
        )
    store.keep_source(Path(p.path), p.sha256)  # first: a stored session always has its source
    changed = store.replace_graph(p.graph_name, p.ntriples)
    return Outcome(p.path, "loaded" if changed else "unchanged", p.meeting, warnings=warnings)


def ingest_one(store: Store, path: Path, *, loader=None, committee=None, url=None) -> Outcome:
    prepared = prepare(path, loader=loader, committee=committee, url=url, base=store.base)
    return store_prepared(store, prepared)


_PARALLEL_MINIMUM = 64  # fewer files: starting worker processes (~2 s each) costs more
_AHEAD = 32  # files converted ahead of the writer: bounds what waits in memory


def _prepared(jobs: list[tuple[Path, dict]], base: str, workers: int | None) -> Iterator[Prepared]:
    """Each job prepared, in order: in this process, or in worker processes while this
    one writes (the store has one writer). Converting and validating is about 60% of
    ingesting a session, writing it the rest."""
    workers = workers or ((os.cpu_count() or 1) if len(jobs) >= _PARALLEL_MINIMUM else 1)
    if workers <= 1:
        for path, kw in jobs:
            yield prepare(path, base=base, **kw)
        return
    with process_pool(workers) as pool:  # spawned: a forked child would share the open store
        pending: deque = deque()
        todo = iter(jobs)
        for path, kw in itertools.islice(todo, _AHEAD):
            pending.append((path, pool.submit(prepare, path, base=base, **kw)))
        while pending:
            path, future = pending.popleft()
            try:
                done = future.result()
            except BrokenProcessPool:
                raise WorkerDied(
                    "a worker process died (killed, or out of memory) while converting this "
                    "file or one after it; the sessions stored before it are published",
                    file=str(path),
                ) from None
            for path, kw in itertools.islice(todo, 1):
                pending.append((path, pool.submit(prepare, path, base=base, **kw)))
            yield done


def ingest(
    store: Store,
    paths: Iterable[Path],
    *,
    loader: str | None = None,
    committee: str | None = None,
    url: str | None = None,
    keep: int | None = None,
    progress: bool | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    workers: int | None = None,
) -> list[Outcome]:
    """Ingest files, then publish a new generation if anything changed. ``on_outcome`` hears
    of each file as soon as it is done, so a long batch reports its failures as they come.
    ``workers``: processes converting and validating (default: one per CPU from 64 files)."""
    kw = {"loader": loader, "committee": committee, "url": url}
    jobs = [(Path(p), kw) for p in paths]
    if progress is None:
        progress = sys.stderr.isatty()
    store.load_reference()
    outcomes = []
    prepared = _prepared(jobs, store.base, workers)
    try:
        with store.batch():
            bar = tqdm(prepared, total=len(jobs), desc="ingest", unit="file", disable=not progress)
            for p in bar:
                crash_point("prepared")
                outcome = store_prepared(store, p)
                crash_point("stored")
                outcomes.append(outcome)
                if on_outcome:
                    on_outcome(outcome)
    except WorkerDied:
        if store.unpublished:
            store.publish(keep)
        raise
    crash_point("all stored")
    if store.unpublished or not store.published():
        store.publish(keep)
    return outcomes


def reingest(
    store: Store,
    *,
    keep: int | None = None,
    progress: bool | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
    workers: int | None = None,
) -> list[Outcome]:
    """Rerun today's loaders over every stored session's source file, with the committee
    and URL the stored session states; publish a new generation if anything changed."""
    from .store import list_sessions

    if progress is None:
        progress = sys.stderr.isatty()
    store.load_reference()
    sessions = list_sessions(store.db)
    outcomes: list[Outcome | None] = [None] * len(sessions)
    jobs, where = [], []
    for k, session in enumerate(sessions):
        source = store.stored_source(session.source_sha256)
        if source is None:
            outcomes[k] = Outcome(
                session.meeting,
                "failed",
                session.meeting,
                f"{session.meeting}: its source file was never kept in the store "
                "(ingested before sources were kept); ingest the file again",
            )
        else:
            kw = {"committee": session.committee, "url": store.url_of(session.graph)}
            jobs.append((source, kw))
            where.append(k)
    heard = 0  # on_outcome hears of each session in order, as soon as it is done

    def tell() -> None:
        nonlocal heard
        while heard < len(outcomes) and outcomes[heard] is not None:
            if on_outcome:
                on_outcome(outcomes[heard])
            heard += 1

    prepared = _prepared(jobs, store.base, workers)
    try:
        with store.batch():
            bar = tqdm(
                prepared, total=len(jobs), desc="reingest", unit="session", disable=not progress
            )
            for k, p in zip(where, bar, strict=True):
                outcomes[k] = store_prepared(store, p)
                tell()
    except WorkerDied:
        if store.unpublished:
            store.publish(keep)
        raise
    tell()
    if store.unpublished:
        store.publish(keep)
    return outcomes
