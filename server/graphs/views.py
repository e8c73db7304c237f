"""The registry of graph views: each view names its kinds of node, the extraction that
reads it and which hidden connectors project onto which pairs; and the overview the page
reads before it asks for any graph.
"""

from __future__ import annotations

from ..store.store import Snapshot
from .extract import (
    extract_appeals,
    extract_dispatch,
    extract_members,
    extract_officers,
    read_labels,
    read_rows,
)
from .model import Kind, View, committee_order

VIEWS: dict[str, View] = {}


def register_view(view: View) -> View:
    VIEWS[view.name] = view
    return view


register_view(
    View(
        "officers",
        "説明者・議題・話題",
        "Officers, items and topics",
        "どの職が何を報告し、委員会が何を決めたか（議題ごと、会議をまたいで）。",
        "Who brings what to the commission, and what was decided, across sessions.",
        (
            Kind("officer", "説明者（職）", "officer (post)", "#1f77b4"),
            Kind("report", "報告", "report", "#9ecae1", connector=True),
            Kind("decision", "決定（決裁・議決）", "decision", "#d62728", connector=True),
            Kind("consultation", "協議", "consultation", "#ff9896", connector=True),
            Kind("topic", "話題", "topic", "#2ca02c"),
            Kind("outcome", "結果", "outcome", "#9467bd", default=False),
        ),
        extract_officers,
        frozenset({("officer", "topic"), ("officer", "outcome"), ("topic", "outcome")}),
    )
)
register_view(
    View(
        "members",
        "委員・発言",
        "Members and their remarks",
        "委員がどの話題について発言し、どの職が答えたか。",
        "Which topics members raise in their remarks, and which officers answer them.",
        (
            Kind("member", "委員", "member", "#ff7f0e"),
            Kind(
                "unnamed-member", "委員（氏名なし）", "member (not named)", "#ffbb78", default=False
            ),
            Kind("remark", "発言", "remark", "#c7c7c7", connector=True),
            Kind("officer", "答えた職", "officer who answered", "#1f77b4"),
            Kind("topic", "話題", "topic", "#2ca02c"),
        ),
        extract_members,
        frozenset(
            {
                ("member", "topic"),
                ("member", "officer"),
                ("unnamed-member", "topic"),
                ("unnamed-member", "officer"),
            }
        ),
    )
)
register_view(
    View(
        "dispatch",
        "援助要求",
        "Dispatch requests",
        "どの委員会がどの委員会に職員の派遣を求めたか、何のために。",
        "Which commission asks which for police staff, and for what.",
        (
            Kind("committee", "委員会", "commission", "#8c564b"),
            Kind("request", "援助要求", "dispatch request", "#e377c2", connector=True),
        ),
        extract_dispatch,
        frozenset({("committee", "committee")}),
        directed=True,
    )
)
register_view(
    View(
        "appeals",
        "会議と審査請求の年表",
        "Timeline of sessions and appeals",
        "委員会ごとの会議と、審査請求の経過（処分、受理、答申、裁決）。",
        "Sessions and the path of each appeal (disposition, receipt, opinion, ruling) "
        "per commission.",
        (
            Kind("session", "会議", "session", "#7f7f7f"),
            Kind("appeal", "処分（審査請求の対象）", "contested disposition", "#17becf"),
            Kind("received", "審査請求の受付", "appeal received", "#bcbd22"),
            Kind("receipt", "受理の報告", "receipt reported", "#aec7e8"),
            Kind("hearing", "審理", "hearing", "#c49c94"),
            Kind("opinion", "答申", "advisory opinion", "#9467bd"),
            Kind("ruling", "裁決", "ruling", "#d62728"),
        ),
        extract_appeals,
        timeline=True,
    )
)


def overview(snap: Snapshot) -> dict:
    """What the page needs before any graph: the views, the committees with sessions and
    the period the store covers."""
    q = """SELECT ?c (MIN(?date) AS ?first) (MAX(?date) AS ?last) (COUNT(DISTINCT ?m) AS ?n)
    WHERE { ?m a ckg:Meeting ; schema:organizer ?c ; dcterms:date ?date } GROUP BY ?c"""
    rows = list(read_rows(snap, q))
    labels = read_labels(snap, {r[0]: None for r in rows})
    committees = sorted(
        (
            {
                "code": c.rsplit("/", 1)[1],
                "iri": c,
                "label": {"ja": labels[c].get("ja"), "en": labels[c].get("en")},
                "first": first,
                "last": last,
                "sessions": int(n),
            }
            for c, first, last, n in rows
        ),
        key=lambda c: committee_order(c["code"]),
    )
    return {
        "generation": snap.generation,
        "id_base": snap.minter.id,
        "views": [v.as_json() for v in VIEWS.values()],
        "committees": committees,
        "period": {
            "first": min((c["first"] for c in committees), default=None),
            "last": max((c["last"] for c in committees), default=None),
        },
        "sessions": sum(c["sessions"] for c in committees),
    }
