"""The one way through the data: extract → normalize → parse → tag topics → to RDF
(→ validate).

The server's ingest and the command line both call ``convert``; nothing else strings the
stages together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from .extract import extract
from .limits import DEFAULT_LIMITS, Limits, time_limit
from .model import Minutes
from .normalize import normalize
from .registry import FALLBACK, by_name, choose
from .to_rdf import DEFAULT_LICENSE, meeting_iri, to_rdf
from .topics import tag
from .vocab import Minter


@dataclass
class Conversion:
    minutes: Minutes
    graph: Graph
    meeting: URIRef
    graph_name: URIRef
    warnings: list[str] = field(default_factory=list)


def read(
    path: str | Path,
    *,
    loader: str | None = None,
    committee: str | None = None,
    url: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Minutes:
    """Extract, normalize and parse one source file, within the limits."""
    with time_limit(limits.convert_timeout, str(path)):
        document = extract(path, url=url, committee=committee, limits=limits)
        text = normalize(document.text, by_width=document.media_type != "text/html")
        chosen = choose(document, text, loader)
        minutes = chosen.parse(document, text)
        # a layout reader that recognised the document but cannot read it (a variant of its
        # commission's pages it does not know): the reader of unknown layouts may
        if (
            loader is None
            and chosen.name != FALLBACK
            and not (minutes.date and minutes.items)
            and _facts(other := by_name(FALLBACK).parse(document, text)) > _facts(minutes)
        ):
            other.warn(f"read as an unknown layout: the {chosen.name} reader found too little")
            minutes = other
        return minutes


def _facts(m: Minutes) -> int:
    return (
        10 * bool(m.date)
        + 5 * len(m.items)
        + len(m.members)
        + len(m.officers_present)
        + len(m.remarks)
        + bool(m.start)
    )


def convert(
    path: str | Path,
    *,
    loader: str | None = None,
    committee: str | None = None,
    url: str | None = None,
    minter: Minter | None = None,
    license: URIRef = DEFAULT_LICENSE,
    limits: Limits = DEFAULT_LIMITS,
) -> Conversion:
    """One source file as one meeting graph (SessionIncomplete when no meeting IRI); the
    whole conversion under the one time limit."""
    minter = minter or Minter()
    with time_limit(limits.convert_timeout, str(path)):
        minutes = read(path, loader=loader, committee=committee, url=url, limits=limits)
        meeting = meeting_iri(minutes, minter)
        graph = to_rdf(minutes, minter, license, tags=tag(minutes))
    return Conversion(
        minutes=minutes,
        graph=graph,
        meeting=meeting,
        graph_name=minter.meeting_graph(meeting),
        warnings=[*minutes.document.warnings, *minutes.warnings],
    )
