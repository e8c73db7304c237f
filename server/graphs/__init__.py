"""Relationship graphs computed from the store with networkx (issue 7).

Four views, each one registry entry saying which kinds of node it has:

- ``officers``: officers ↔ agenda items (reports, decisions, consultations) ↔ topics, and
  the items' outcomes — who brings what to the commission, and what was decided;
- ``members``: members ↔ their remarks ↔ the topics and the officers who answered;
- ``dispatch``: committees → dispatch requests → committees (who asks whom for staff);
- ``appeals``: a timeline of sessions and appeals per committee (disposition, receipt,
  advisory opinion, ruling), positioned by date rather than by force.

Items, remarks and requests are *connector* kinds: hiding one projects its neighbours onto
each other (officer–topic, member–officer, committee→committee), so that a long period can
be read as an aggregate. Every edge counts the sessions that state it (its weight); every
node keeps its IRI, ja/en labels and its first and last session within the filters.

Positions are computed here too (a Fruchterman–Reingold layout in numpy, deterministic), so
a browser only draws; the web app caches each result per store generation and filters.

The room, in the order a graph is made:

    model     what a view is made of: kinds, filters, the draft of facts
    extract   facts from the store, each view's own SPARQL and index look-ups
    views     the registry of views, and the overview the page reads first
    build     from facts to the graph: projection, labels, the cut to max_nodes
    measures  centralities and communities
    layout    positions: force-directed, or lanes along a time axis
    export    the result, and its JSON, GraphML and GEXF

This package is the room's front door: the web app, the tests and the benchmarks use what
it names below; the modules import each other directly.
"""

from .build import build
from .export import GraphResult, href_of, to_gexf, to_graphml, to_json
from .extract import extract_appeals, extract_dispatch, extract_members, extract_officers
from .layout import SCALE, SPREAD, force_layout
from .model import (
    COMMITTEE_CODE,
    SIZES,
    Draft,
    Filters,
    GraphRequestError,
    Kind,
    View,
    parse_filters,
)
from .views import VIEWS, overview, register_view

__all__ = [
    "COMMITTEE_CODE",
    "SCALE",
    "SIZES",
    "SPREAD",
    "VIEWS",
    "Draft",
    "Filters",
    "GraphRequestError",
    "GraphResult",
    "Kind",
    "View",
    "build",
    "extract_appeals",
    "extract_dispatch",
    "extract_members",
    "extract_officers",
    "force_layout",
    "href_of",
    "overview",
    "parse_filters",
    "register_view",
    "to_gexf",
    "to_graphml",
    "to_json",
]
