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
from .registry import choose
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
        return choose(document, text, loader).parse(document, text)


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
