"""Ingest: convert, validate, and replace each session's graph in one transaction.

Valid sessions load; invalid ones are listed with their reasons; the store never holds a
half-loaded session (each replacement is one pyoxigraph transaction, and readers see only
published generations).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from loaders.errors import CommitteeKGError
from loaders.pipeline import convert
from loaders.validate import validate

from .store import Store


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


def ingest_one(store: Store, path: Path, *, loader=None, committee=None, url=None) -> Outcome:
    try:
        conv = convert(path, loader=loader, committee=committee, url=url, minter=store.minter)
    except CommitteeKGError as exc:
        return Outcome(str(path), "failed", message=str(exc))
    warnings = [f"{path}: {w}" for w in conv.warnings]
    report = validate(conv.graph)
    warnings += [f"{path}: {f.line()}" for f in report.warnings]
    if not report.conforms:
        reasons = "\n".join(f"  {f.line()}" for f in report.violations)
        return Outcome(
            str(path),
            "rejected",
            str(conv.meeting),
            f"{path}: session {conv.meeting} is invalid:\n{reasons}",
            warnings,
        )
    previous = store.source_of(str(conv.graph_name))
    if previous and previous != conv.minutes.document.sha256:
        warnings.append(
            f"{path}: replaces {conv.meeting}, which came from another source document "
            f"(sha256 {previous[:12]}…)"
        )
    changed = store.replace_graph(conv.graph_name, conv.graph)
    store.keep_source(path, conv.minutes.document.sha256)
    return Outcome(
        str(path), "loaded" if changed else "unchanged", str(conv.meeting), warnings=warnings
    )


def ingest(
    store: Store,
    paths: Iterable[Path],
    *,
    loader: str | None = None,
    committee: str | None = None,
    url: str | None = None,
    keep: int = 3,
    progress: bool | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Ingest files, then publish a new generation if anything changed. ``on_outcome`` hears
    of each file as soon as it is done, so a long batch reports its failures as they come."""
    paths = list(paths)
    if progress is None:
        progress = sys.stderr.isatty()
    changed = store.load_reference()
    outcomes = []
    for path in tqdm(paths, desc="ingest", unit="file", disable=not progress):
        outcome = ingest_one(store, Path(path), loader=loader, committee=committee, url=url)
        outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)
    changed = changed or any(o.status == "loaded" for o in outcomes)
    if changed or not (store.path / "CURRENT").exists():
        store.publish(keep)
    return outcomes


def reingest(
    store: Store,
    *,
    keep: int = 3,
    progress: bool | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Rerun today's loaders over every stored session's source file, with the committee
    and URL the stored session states; publish a new generation if anything changed."""
    from .store import list_sessions

    if progress is None:
        progress = sys.stderr.isatty()
    changed = store.load_reference()
    outcomes = []
    for session in tqdm(
        list_sessions(store.db), desc="reingest", unit="session", disable=not progress
    ):
        source = store.stored_source(session.source_sha256)
        if source is None:
            outcome = Outcome(
                session.meeting,
                "failed",
                session.meeting,
                f"{session.meeting}: its source file was never kept in the store "
                "(ingested before sources were kept); ingest the file again",
            )
        else:
            outcome = ingest_one(
                store, source, committee=session.committee, url=store.url_of(session.graph)
            )
        outcomes.append(outcome)
        if on_outcome:
            on_outcome(outcome)
    if changed or any(o.status == "loaded" for o in outcomes):
        store.publish(keep)
    return outcomes
