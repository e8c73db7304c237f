"""Relationship graphs computed from the store with networkx (issue 7; DESIGN.md, /graph).

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

Positions are computed here (a Fruchterman–Reingold layout in numpy, deterministic) and the
whole result is cached per store generation and filters, so a browser only draws.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any
from urllib.parse import quote

import networkx as nx
import numpy as np
import pyoxigraph as ox
from rdflib import URIRef

from committee_kg.loaders.errors import CommitteeKGError
from committee_kg.loaders.vocab import CKG

from ..store.store import Snapshot

PREFIXES = f"""PREFIX ckg: <{CKG}>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <http://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
SEED = 7
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
PREF_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
SCALE = 40.0  # model units per ideal edge length (Cytoscape draws nodes ~12–52 units wide)
SPREAD = 300.0  # ... and more for small graphs, whose labels would overlap: + SPREAD/√n
GRAVITY = 0.6  # pull towards the centre, in units of the ideal edge length
SIZES = ("degree", "pagerank", "betweenness")
ITEM_TYPES = {"Report": "report", "Decision": "decision", "Consultation": "consultation"}
COMMITTEE_CODE = re.compile(r"^JP(-\d{2}(-[a-z]+)?)?$")
XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class GraphRequestError(CommitteeKGError):
    """A graph view asked for with a parameter it does not take."""

    http_status = 400
    title = "Bad graph request"


# -- the registry of views -----------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    name: str
    ja: str
    en: str
    colour: str
    connector: bool = False  # hidden → its neighbours are linked to each other
    default: bool = True


@dataclass(frozen=True)
class View:
    name: str
    ja: str
    en: str
    description_ja: str
    description_en: str
    kinds: tuple[Kind, ...]
    extract: Callable[[Snapshot, Filters], Draft]
    projections: frozenset[tuple[str, str]] = frozenset()
    directed: bool = False
    timeline: bool = False

    def kind(self, name: str) -> Kind:
        return next(k for k in self.kinds if k.name == name)

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "label": {"ja": self.ja, "en": self.en},
            "description": {"ja": self.description_ja, "en": self.description_en},
            "directed": self.directed,
            "timeline": self.timeline,
            "kinds": [
                {
                    "name": k.name,
                    "label": {"ja": k.ja, "en": k.en},
                    "colour": k.colour,
                    "connector": k.connector,
                    "default": k.default,
                }
                for k in self.kinds
            ],
        }


VIEWS: dict[str, View] = {}


def register_view(view: View) -> View:
    VIEWS[view.name] = view
    return view


# -- filters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    committees: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    size: str = "degree"

    def as_json(self) -> dict:
        return {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "committees": list(self.committees),
            "kinds": list(self.kinds),
            "size": self.size,
        }


def _parse_day(text: str, name: str, last: bool) -> date:
    """YYYY, YYYY-MM or YYYY-MM-DD; a year or month given as the end means its last day."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text.strip())
    try:
        if not m:
            raise ValueError
        y, mo, d = int(m[1]), m[2], m[3]
        if d:
            return date(y, int(mo), int(d))
        if mo:
            if not last:
                return date(y, int(mo), 1)
            nxt = date(y + (mo == "12"), int(mo) % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
        return date(y, 12, 31) if last else date(y, 1, 1)
    except ValueError:
        raise GraphRequestError(
            f"{name}={text!r}: give a date as YYYY, YYYY-MM or YYYY-MM-DD"
        ) from None


def parse_filters(view: View, args) -> Filters:
    """Filters from request arguments (a werkzeug MultiDict or a plain dict)."""

    def values(name: str) -> list[str]:
        raw = args.getlist(name) if hasattr(args, "getlist") else [args.get(name) or ""]
        return [v.strip() for r in raw for v in r.split(",") if v.strip()]

    start = _parse_day(args["from"], "from", False) if args.get("from") else None
    end = _parse_day(args["to"], "to", True) if args.get("to") else None
    if start and end and start > end:
        raise GraphRequestError(f"from={args['from']} is after to={args['to']}")
    committees = tuple(sorted(set(values("committee"))))
    for c in committees:
        if not COMMITTEE_CODE.match(c):
            raise GraphRequestError(f"committee={c!r}: give a code such as JP-35 or JP")
    names = {k.name for k in view.kinds}
    if "kinds" in args:
        kinds = values("kinds")
        unknown = sorted(set(kinds) - names)
        if unknown:
            raise GraphRequestError(
                f"kinds: {', '.join(unknown)} not in the {view.name} view "
                f"(it has {', '.join(k.name for k in view.kinds)})"
            )
    else:
        kinds = [k.name for k in view.kinds if k.default]
    size = args.get("size") or "degree"
    if size not in SIZES:
        raise GraphRequestError(f"size={size!r}: one of {', '.join(SIZES)}")
    order = [k.name for k in view.kinds]
    return Filters(start, end, committees, tuple(sorted(set(kinds), key=order.index)), size)


# -- extraction: facts from the store --------------------------------------------------------


@dataclass
class Draft:
    """Nodes and edges as the store states them, each with the sessions stating it."""

    nodes: dict[str, dict] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    dates: dict[str, str] = field(default_factory=dict)  # session IRI → date
    committees: dict[str, str] = field(default_factory=dict)  # session IRI → code
    where: dict[str, str] = field(default_factory=dict)  # IRI → a session that states it

    def session(self, meeting: str, day: str, committee_iri: str) -> str:
        self.dates[meeting] = day
        self.committees[meeting] = committee_iri.rsplit("/", 1)[1]
        return meeting

    def node(
        self, node_id: str, kind: str, session: str | None, iri: str | None = None, **attrs
    ) -> str:
        """A node (its IRI is its id unless it stands for one event of a resource)."""
        n = self.nodes.get(node_id)
        if n is None:
            n = self.nodes[node_id] = {"kind": kind, "iri": iri or node_id, "sessions": set()}
        if session:
            n["sessions"].add(session)
            self.where.setdefault(n["iri"], session)
            for key in ("outcome_iri", "body_iri", "authority_iri"):
                if attrs.get(key):
                    self.where.setdefault(attrs[key], session)
        for k, v in attrs.items():
            if v is not None:
                n.setdefault(k, v)
        return node_id

    def edge(self, u: str, v: str, kind: str, session: str) -> None:
        self.edges.setdefault((u, v, kind), set()).add(session)


def _session_block(snap: Snapshot, f: Filters) -> str:
    """The sessions within the filters: ?m organised by ?c on ?date."""
    parts = []
    if f.committees:
        iris = " ".join(f"<{snap.minter.committee(c)}>" for c in f.committees)
        parts.append(f"VALUES ?c {{ {iris} }}")
    parts.append("?m schema:organizer ?c ; dcterms:date ?date .")
    conds = []
    if f.start:
        conds.append(f'?date >= "{f.start.isoformat()}"^^xsd:date')
    if f.end:
        conds.append(f'?date <= "{f.end.isoformat()}"^^xsd:date')
    if conds:
        parts.append(f"FILTER({' && '.join(conds)})")
    return "\n  ".join(parts)


def _rows(snap: Snapshot, query: str) -> Iterable[tuple]:
    """Rows as tuples of plain strings (None where unbound)."""
    solutions = snap.query(PREFIXES + query)
    names = [v.value for v in solutions.variables]
    for s in solutions:
        yield tuple(None if s[n] is None else s[n].value for n in names)


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{i}>" for i in sorted(iris))


def _labels(snap: Snapshot, wanted: dict[str, str | None]) -> dict[str, dict[str, str]]:
    """ja/en labels (rdfs:label, else skos:prefLabel) of these nodes, each read in the graph
    of a session that states it when one is known: a shared node's label is in every session
    graph that mentions it, so a look-up over all graphs finds it once per session, and
    pyoxigraph joins a VALUES of graphs by hashing the whole pattern — seconds on a large
    store, where these index look-ups take milliseconds."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    preferred: dict[str, dict[str, str]] = defaultdict(dict)
    for iri, session in wanted.items():
        node = ox.NamedNode(iri)
        graph = ox.NamedNode(str(snap.minter.meeting_graph(URIRef(session)))) if session else None
        for prop, target in ((LABEL, found), (PREF_LABEL, preferred)):
            for q in snap.db.quads_for_pattern(node, prop, None, graph):
                lang = q.object.language or "ja"
                if lang not in ("ja", "en"):
                    continue
                # the shortest label wins, deterministically, when a node has several
                old, new = target[iri].get(lang), q.object.value
                if old is None or (len(new), new) < (len(old), old):
                    target[iri][lang] = new
    return {i: {**preferred.get(i, {}), **found.get(i, {})} for i in wanted}


def _chunks(items: list, n: int) -> Iterable[list]:
    for k in range(0, len(items), n):
        yield items[k : k + n]


def _sessions(snap: Snapshot, f: Filters, d: Draft) -> list[str]:
    """The sessions within the filters, in order of date."""
    q = f"SELECT ?m ?date ?c WHERE {{ {_session_block(snap, f)} }}"
    return [
        d.session(m, day, c) for m, day, c in sorted(_rows(snap, q), key=lambda r: (r[1], r[0]))
    ]


class _Session:
    """One session's own named graph, read through the store's indexes.

    Everything a session states is in its graph (DESIGN.md, Store), so each view reads the
    few properties it needs there by index look-ups instead of joining through the default
    graph, where pyoxigraph's joins grow with the whole store (seconds on 2,000 sessions;
    here a year of one commission takes milliseconds)."""

    def __init__(self, snap: Snapshot, meeting: str):
        self.db = snap.db
        self.graph = ox.NamedNode(str(snap.minter.meeting_graph(URIRef(meeting))))

    def pairs(self, prop: str) -> list[tuple[str, str]]:
        return [
            (q.subject.value, q.object.value)
            for q in self.db.quads_for_pattern(None, _P[prop], None, self.graph)
        ]

    def many(self, prop: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for s, o in self.pairs(prop):
            out[s].append(o)
        return out

    def types(self, node: str) -> set[str]:
        return {
            q.object.value.rsplit("#", 1)[-1]
            for q in self.db.quads_for_pattern(ox.NamedNode(node), _P["type"], None, self.graph)
        }


_P = {
    name: ox.NamedNode(iri)
    for name, iri in {
        "type": "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "agendaItem": f"{CKG}agendaItem",
        "presentedBy": f"{CKG}presentedBy",
        "outcome": f"{CKG}outcome",
        "concerns": f"{CKG}concerns",
        "speaker": f"{CKG}speaker",
        "inReplyTo": f"{CKG}inReplyTo",
        "requestingCommittee": f"{CKG}requestingCommittee",
        "requestedCommittee": f"{CKG}requestedCommittee",
        "purpose": f"{CKG}purpose",
        "title": "http://purl.org/dc/terms/title",
        "subject": "http://purl.org/dc/terms/subject",
        "isPartOf": "http://purl.org/dc/terms/isPartOf",
        "text": "http://schema.org/text",
    }.items()
}


def extract_officers(snap: Snapshot, f: Filters) -> Draft:
    d = Draft()
    for m in _sessions(snap, f, d):
        g = _Session(snap, m)
        title = dict(g.pairs("title"))
        presenters, subjects = g.many("presentedBy"), g.many("subject")
        outcome = dict(g.pairs("outcome"))
        code = d.committees[m]
        for _, item in sorted(p for p in g.pairs("agendaItem") if p[0] == m):
            kinds = [ITEM_TYPES[t] for t in g.types(item) if t in ITEM_TYPES]
            if not kinds or item not in title:
                continue
            d.node(
                item, kinds[0], m, title=title[item], committee=code, outcome_iri=outcome.get(item)
            )
            for officer in presenters.get(item, ()):
                d.node(officer, "officer", m, committee=code)
                d.edge(officer, item, "presented", m)
            for topic in subjects.get(item, ()):
                d.node(topic, "topic", m)
                d.edge(item, topic, "subject", m)
            if item in outcome:
                d.node(outcome[item], "outcome", m)
                d.edge(item, outcome[item], "outcome", m)
    return d


def extract_members(snap: Snapshot, f: Filters) -> Draft:
    d = Draft()
    for m in _sessions(snap, f, d):
        g = _Session(snap, m)
        speakers, text = g.many("speaker"), dict(g.pairs("text"))
        part_of, subjects = dict(g.pairs("isPartOf")), g.many("subject")
        answers: dict[str, list[str]] = defaultdict(list)
        for answer, remark in g.pairs("inReplyTo"):
            answers[remark].append(answer)
        kinds = {s: g.types(s) for said in speakers.values() for s in said}
        code = d.committees[m]
        for r in sorted(speakers):
            # several where the minutes give the remark to them together
            members = [(s, kind) for s in sorted(speakers[r]) if (kind := _member_kind(kinds[s]))]
            if not members:  # an officer's words: an answer, or a statement of its own
                continue
            for s, kind in members:
                d.node(s, kind, m, committee=code)
            d.node(r, "remark", m, text=text.get(r), committee=code)
            for s, _ in members:
                d.edge(s, r, "spoke", m)
            for a in sorted(answers.get(r, ())):
                officers = [s for s in sorted(speakers.get(a, ())) if "Officer" in kinds[s]]
                for officer in officers:
                    d.node(officer, "officer", m, committee=code)
                    d.edge(r, officer, "answered", m)
                if officers:
                    d.nodes[r].setdefault("answer", text.get(a))
            # a remark's own topics (or its answers'); its item's only when it has none
            topics = set(subjects.get(r, ())).union(
                *(subjects.get(a, ()) for a in answers.get(r, ()))
            )
            for topic in sorted(topics or subjects.get(part_of.get(r), ())):
                d.node(topic, "topic", m)
                d.edge(r, topic, "about", m)
    return d


def _member_kind(types: set[str]) -> str | None:
    if "Member" in types:
        return "member"
    return "unnamed-member" if "UnnamedMember" in types else None


def extract_dispatch(snap: Snapshot, f: Filters) -> Draft:
    d = Draft()
    for m in _sessions(snap, f, d):
        g = _Session(snap, m)
        requested, purpose = dict(g.pairs("requestedCommittee")), dict(g.pairs("purpose"))
        for req, src in sorted(g.pairs("requestingCommittee")):
            if req not in requested:
                continue
            dst = requested[req]
            d.node(src, "committee", m)
            d.node(dst, "committee", m)
            d.node(req, "request", m, purpose=purpose.get(req), committee=d.committees[m])
            d.edge(src, req, "requests", m)
            d.edge(req, dst, "asks", m)
    return d


APPEAL_DATES = {
    "dispositionDate": "appeal",
    "receivedOn": "received",
    "opinionReceivedOn": "opinion",
}
# the appeal's life as derived when the generation was published (queries/derived/):
# which step each session that dealt with an appeal was is read from it, not decided again
LIFE = ("receiptDate", "opinionDate", "rulingDate")
APPEAL_FACTS = (*APPEAL_DATES, *LIFE, "receiptReportedOn", "advisoryBody", "disposingAuthority")


def extract_appeals(snap: Snapshot, f: Filters) -> Draft:
    """Sessions and appeal events per committee, each with the date that places it."""
    d = Draft()
    mentions = []
    for m in _sessions(snap, f, d):
        g = _Session(snap, m)
        items = [i for s, i in g.pairs("agendaItem") if s == m]
        d.node(m, "session", m, date=d.dates[m], committee=d.committees[m], items=len(items))
        title, outcome = dict(g.pairs("title")), dict(g.pairs("outcome"))
        for item, target in sorted(g.pairs("concerns")):
            if "Appeal" in g.types(target):
                mentions.append((m, item, title.get(item), outcome.get(item), target))
                d.where.setdefault(target, m)
    # an appeal's own dates are facts about it wherever they were stated; two sessions may
    # state different ones (a cross-session warning): the earliest is taken
    facts: dict[str, dict[str, str]] = defaultdict(dict)
    heard: dict[str, set[str]] = defaultdict(set)  # its hearings' dates
    received: dict[str, set[str]] = defaultdict(set)  # every date its receipt is dated by
    for appeal in sorted({row[4] for row in mentions}):
        node = ox.NamedNode(appeal)
        for key in APPEAL_FACTS:
            for q in snap.db.quads_for_pattern(node, ox.NamedNode(f"{CKG}{key}"), None, None):
                if key not in facts[appeal] or q.object.value < facts[appeal][key]:
                    facts[appeal][key] = q.object.value
                if key in ("receiptReportedOn", "receivedOn"):
                    received[appeal].add(q.object.value)
        for q in snap.db.quads_for_pattern(node, ox.NamedNode(f"{CKG}hearingDate"), None, None):
            heard[appeal].add(q.object.value)

    def about(appeal: str) -> dict:
        """What every event of an appeal carries: who disposed, and when (its lane)."""
        return {
            "authority_iri": facts[appeal].get("disposingAuthority"),
            "disposed": facts[appeal].get("dispositionDate"),
        }

    for m, item, title, outcome, appeal in mentions:
        code, day = d.committees[m], d.dates[m]
        if day == facts[appeal].get("rulingDate"):
            kind = "ruling"
        elif day in received[appeal]:
            kind = "receipt"
        elif day in heard[appeal] or "opinionDate" not in facts[appeal]:
            kind = "hearing"
        else:
            kind = "opinion"  # the session told of the advisory body's opinion
        d.node(
            f"{item}#{_slug(appeal)}",
            kind,
            m,
            iri=item,
            date=d.dates[m],
            committee=code,
            appeal=appeal,
            title=title,
            outcome_iri=outcome,
            **about(appeal),
        )
    lane = {appeal: d.committees[m] for m, *_, appeal in sorted(mentions)}
    for appeal in sorted(lane):
        code = lane[appeal]
        for key, kind in APPEAL_DATES.items():
            day = facts[appeal].get(key)
            if day and _within(day, f):
                node = appeal if kind == "appeal" else f"{appeal}#{kind}"
                d.node(
                    node,
                    kind,
                    None,
                    iri=appeal,
                    date=day,
                    committee=code,
                    appeal=appeal,
                    **about(appeal),
                )
                if kind == "opinion" and "advisoryBody" in facts[appeal]:
                    d.nodes[node]["body_iri"] = facts[appeal]["advisoryBody"]
    return d


def _snippet(text: str, n: int = 28) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _slug(iri: str) -> str:
    return iri.rsplit("/appeal/", 1)[-1]


def _within(day: str, f: Filters) -> bool:
    return (not f.start or day >= f.start.isoformat()) and (not f.end or day <= f.end.isoformat())


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

EVENT_WORDS = {
    "appeal": ("処分", "disposition"),
    "received": ("受付", "received"),
    "receipt": ("受理報告", "receipt reported"),
    "hearing": ("審理", "hearing"),
    "opinion": ("答申", "opinion"),
    "ruling": ("裁決", "ruling"),
}


# -- from facts to the graph ---------------------------------------------------------------


def project(view: View, draft: Draft, shown: set[str]) -> tuple[dict, dict]:
    """The nodes of the shown kinds, and edges: those between shown nodes, plus, through
    each hidden connector, its neighbours linked pairwise as the view allows."""
    nodes = {i: n for i, n in draft.nodes.items() if n["kind"] in shown}
    edges: dict[tuple[str, str, str], set[str]] = {}
    through: dict[str, list[tuple[str, str]]] = defaultdict(list)  # connector → (end, dir)
    for (u, v, kind), sessions in draft.edges.items():
        if u in nodes and v in nodes:
            edges[(u, v, kind)] = set(sessions)
            continue
        for a, b, direction in ((u, v, "out"), (v, u, "in")):
            conn = draft.nodes.get(a)
            if a not in nodes and b in nodes and conn and view.kind(conn["kind"]).connector:
                through[a].append((b, direction))
    for conn, ends in through.items():
        sessions = draft.nodes[conn]["sessions"]
        for a, da in ends:
            for b, db in ends:
                if a == b:
                    continue
                ka, kb = nodes[a]["kind"], nodes[b]["kind"]
                if view.directed:
                    if not (da == "in" and db == "out"):  # a → conn → b
                        continue
                elif a > b:
                    continue
                if (ka, kb) in view.projections or (kb, ka) in view.projections:
                    key = (a, b, f"{ka}–{kb}")
                    edges.setdefault(key, set()).update(sessions)
    return nodes, edges


def chain(nodes: dict) -> dict:
    """Timeline edges: each appeal's shown events in the order of their dates."""
    by_appeal: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    order = {k: i for i, k in enumerate(("appeal", "received", "receipt", "hearing", "opinion"))}
    for i, n in nodes.items():
        if n.get("appeal"):
            by_appeal[n["appeal"]].append((n["date"], order.get(n["kind"], 9), i))
    edges = {}
    for events in by_appeal.values():
        events.sort()
        for (d1, _, a), (_, _, b) in pairwise(events):
            sessions = nodes[b]["sessions"] or nodes[a]["sessions"]
            edges[(a, b, "then")] = set(sessions) or {d1}
    return edges


@dataclass
class GraphResult:
    view: View
    filters: Filters
    generation: str
    graph: nx.Graph
    axes: list[dict]
    guides: list[tuple[str, str]]
    total_nodes: int
    total_edges: int
    truncated: bool
    max_nodes: int
    id_base: str
    seconds: dict[str, float]
    _json: dict[bool, bytes] = field(default_factory=dict)

    def json_bytes(self, compact: bool = False) -> bytes:
        """The JSON answer, made once per form (see to_json for the compact one)."""
        found = self._json.get(compact)
        if found is None:
            found = self._json[compact] = json.dumps(
                to_json(self, compact), ensure_ascii=False, separators=(",", ":")
            ).encode("utf-8")
        return found


def build(snap: Snapshot, view: View, f: Filters, max_nodes: int) -> GraphResult:
    import time

    t0 = time.perf_counter()
    draft = view.extract(snap, f)
    t1 = time.perf_counter()
    shown = set(f.kinds)
    if view.timeline:
        nodes = {i: n for i, n in draft.nodes.items() if n["kind"] in shown}
        edges = chain(nodes)
    else:
        nodes, edges = project(view, draft, shown)
    iris = (
        {n["iri"] for n in nodes.values()}
        | {n["outcome_iri"] for n in nodes.values() if n.get("outcome_iri")}
        | {n["body_iri"] for n in nodes.values() if n.get("body_iri")}
        | {n["authority_iri"] for n in nodes.values() if n.get("authority_iri")}
    )
    labels = _labels(snap, {i: draft.where.get(i) for i in iris})
    g = nx.DiGraph() if view.directed else nx.Graph()
    for i in sorted(nodes):
        g.add_node(i, **_node_attrs(i, nodes[i], labels, draft))
    for (u, v, kind), sessions in sorted(edges.items()):
        days = sorted(draft.dates.get(s, s) for s in sessions)
        if g.has_edge(u, v):  # two kinds of link between one pair: one edge, sessions merged
            data = g.edges[u, v]
            merged = set(data["_sessions"]) | sessions
            days = sorted(draft.dates.get(s, s) for s in merged)
            data.update(_sessions=merged, weight=len(merged), first=days[0], last=days[-1])
            continue
        g.add_edge(
            u, v, kind=kind, weight=len(sessions), first=days[0], last=days[-1], _sessions=sessions
        )
    total_nodes, total_edges = g.number_of_nodes(), g.number_of_edges()
    truncated = total_nodes > max_nodes
    if truncated:
        strength = dict(g.degree(weight="weight"))
        keep = sorted(g, key=lambda i: (-strength[i], i))[:max_nodes]
        g = g.subgraph(sorted(keep)).copy()
    for _, _, data in g.edges(data=True):
        del data["_sessions"]
    t2 = time.perf_counter()
    if view.timeline:
        axes, guides = timeline_positions(g, f)
        communities = list(nx.connected_components(g.to_undirected(as_view=True)))
        _size_timeline(g)
    else:
        axes, guides = [], []
        force_positions(g)
        communities = _communities(g)
        _size(g, f.size)
    for k, members in enumerate(sorted(communities, key=lambda c: (-len(c), min(c)))):
        for i in members:
            g.nodes[i]["community"] = k
    t3 = time.perf_counter()
    return GraphResult(
        view,
        f,
        snap.generation,
        g,
        axes,
        guides,
        total_nodes,
        total_edges,
        truncated,
        max_nodes,
        snap.minter.id,
        {"extract": t1 - t0, "graph": t2 - t1, "layout": t3 - t2},
    )


def _node_attrs(i: str, n: dict, labels: dict, draft: Draft) -> dict:
    sessions = sorted((draft.dates[s], s) for s in n["sessions"])
    kind = n["kind"]
    label = dict(labels.get(n["iri"], {}))
    if n.get("title") and kind in ITEM_TYPES.values():
        label = {"ja": n["title"]}
    if kind in EVENT_WORDS and kind != "appeal":
        ja, en = EVENT_WORDS[kind]
        label = {"ja": f"{ja} {n['date']}", "en": f"{en} {n['date']}"}
    if kind == "appeal":  # the contested disposition: by whom, and when
        who = labels.get(n.get("authority_iri") or "", {})
        who_ja = who.get("ja") or (n.get("authority_iri") or "").rsplit("/", 1)[-1]
        label = {
            "ja": f"審査請求 {who_ja} {n['date']} 処分",
            "en": f"appeal: disposition by {who.get('en') or who_ja} of {n['date']}",
        }
    if kind == "remark":  # the words say more than 「発言3（今村委員）」, which stays as its title
        said = label.get("ja")
        label = {"ja": _snippet(n.get("text") or said or i.rsplit("/", 1)[-1])}
        n.setdefault("title", said)
    if kind == "request":
        n.setdefault("title", label.get("ja"))
        day = draft.dates[sessions[0][1]]
        purpose = n.get("purpose")
        label = {"ja": _snippet(purpose) if purpose else f"援助要求 {day}"}
        label["en"] = None if purpose else f"dispatch request {day}"
    if kind == "session":
        n.setdefault("title", label.get("ja"))
        label = {"ja": n["date"], "en": n["date"]}
    attrs: dict[str, Any] = {
        "kind": kind,
        "iri": n["iri"],
        "label_ja": label.get("ja") or label.get("en") or n["iri"].rsplit("/", 1)[-1],
        "label_en": label.get("en"),
        "sessions": len(sessions),
        "first": sessions[0][0] if sessions else n.get("date"),
        "last": sessions[-1][0] if sessions else n.get("date"),
        "first_session": sessions[0][1] if sessions else None,
        "last_session": sessions[-1][1] if sessions else None,
    }
    for key in ("committee", "date", "items", "appeal", "purpose", "text", "answer", "disposed"):
        if n.get(key) is not None:
            attrs[key] = n[key]
    if kind not in ITEM_TYPES.values() and n.get("title"):
        attrs["title"] = n["title"]
    for key, name in (
        ("outcome_iri", "outcome"),
        ("body_iri", "body"),
        ("authority_iri", "authority"),
    ):
        if n.get(key):
            lab = labels.get(n[key], {})
            attrs[f"{name}_ja"] = lab.get("ja") or n[key].rsplit("/", 1)[-1]
            if lab.get("en"):
                attrs[f"{name}_en"] = lab["en"]
    return attrs


# -- measures ------------------------------------------------------------------------------


def _size(g: nx.Graph, measure: str) -> None:
    if g.number_of_nodes() == 0:
        return
    if measure == "pagerank":
        values = nx.pagerank(g, weight="weight") if g.number_of_edges() else {}
    elif measure == "betweenness":
        k = min(g.number_of_nodes(), 256)
        values = nx.betweenness_centrality(g, k=k, seed=SEED)
    else:
        values = dict(g.degree(weight="weight"))
    top = max(values.values(), default=0) or 1
    for i in g:
        c = values.get(i, 0) / top
        g.nodes[i]["centrality"] = round(values.get(i, 0), 6)
        g.nodes[i]["size"] = round(math.sqrt(c), 4)


def _size_timeline(g: nx.Graph) -> None:
    top = max((d.get("items", 0) for _, d in g.nodes(data=True)), default=0) or 1
    for i, d in g.nodes(data=True):
        share = d["items"] / top if d["kind"] == "session" else 0.6
        d["centrality"] = float(g.degree(i))
        d["size"] = round(math.sqrt(share) * 0.6, 4)


def _communities(g: nx.Graph) -> list[set]:
    if g.number_of_edges() == 0:
        return [{i} for i in g]
    return nx.community.louvain_communities(g, weight="weight", seed=SEED)


# -- positions -----------------------------------------------------------------------------


def force_layout(n: int, src: np.ndarray, dst: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Fruchterman–Reingold positions (ideal edge length 1), deterministic.

    networkx's spring_layout takes ~13 s for 2,000 nodes here (dense float64 arrays, or
    scipy's sparse path); this is the same force model in float32, repulsion computed in
    blocks of rows so that the arrays stay in cache: ~1 s for 2,000 nodes and 10,000 edges.
    A weak gravity keeps separate components near each other.
    """
    if n == 0:
        return np.zeros((0, 2), np.float32)
    if n == 1:
        return np.zeros((1, 2), np.float32)
    rng = np.random.default_rng(SEED)
    side = math.sqrt(n)
    pos = (rng.random((n, 2)) * side).astype(np.float32)
    iterations = 300 if n <= 200 else 150 if n <= 700 else 80 if n <= 1500 else 60
    temp = side / 6
    cool = temp / (iterations + 1)
    pull = (1.0 + np.log(np.maximum(weight, 1))).astype(np.float32)
    gravity = np.float32(GRAVITY)
    x = np.empty(n, np.float32)
    y = np.empty(n, np.float32)
    disp = np.empty((n, 2), np.float32)
    block = 256
    for _ in range(iterations):
        x[:] = pos[:, 0]
        y[:] = pos[:, 1]
        for a in range(0, n, block):
            b = min(a + block, n)
            dx = x[a:b, None] - x[None, :]
            dy = y[a:b, None] - y[None, :]
            inv = dx * dx
            inv += dy * dy
            inv += np.float32(1e-3)
            np.reciprocal(inv, out=inv)  # repulsion k²/d along the unit vector: Δ/d²
            disp[a:b, 0] = (dx * inv).sum(1)
            disp[a:b, 1] = (dy * inv).sum(1)
        if len(src):
            delta = pos[src] - pos[dst]
            length = np.sqrt((delta * delta).sum(1)) * pull  # attraction d²/k along Δ/d
            fx, fy = delta[:, 0] * length, delta[:, 1] * length
            disp[:, 0] -= np.bincount(src, fx, n) - np.bincount(dst, fx, n)
            disp[:, 1] -= np.bincount(src, fy, n) - np.bincount(dst, fy, n)
        disp -= gravity * (pos - pos.mean(0))
        norm = np.maximum(np.sqrt((disp * disp).sum(1)), 1e-9)
        pos += disp * (np.minimum(norm, temp) / norm)[:, None]
        temp -= cool
    return pos - pos.mean(0)


def force_positions(g: nx.Graph) -> None:
    order = list(g)  # sorted by id when built, so positions are deterministic
    index = {i: k for k, i in enumerate(order)}
    edges = [(index[u], index[v], d["weight"]) for u, v, d in g.edges(data=True) if u != v]
    arr = np.array(edges, dtype=np.float64).reshape(-1, 3)
    pos = force_layout(
        len(order), arr[:, 0].astype(np.int64), arr[:, 1].astype(np.int64), arr[:, 2]
    )
    scale = SCALE + SPREAD / math.sqrt(max(len(order), 1))
    for k, i in enumerate(order):
        g.nodes[i]["x"] = round(float(pos[k, 0]) * scale, 1)
        g.nodes[i]["y"] = round(float(pos[k, 1]) * scale, 1)


LANE_ROW = 36.0  # model units between rows of a committee's lane
LANE_GAP = 70.0


def timeline_positions(g: nx.Graph, f: Filters) -> tuple[list[dict], list[tuple[str, str]]]:
    """x from the date, y from the committee's lane: sessions on its first row, each appeal
    on a row of its own below (rows reused once an appeal is over)."""
    if g.number_of_nodes() == 0:
        return [], []
    days = [date.fromisoformat(d["date"]) for _, d in g.nodes(data=True)]
    lo = min(days) if f.start is None else min(f.start, min(days))
    hi = max(days) if f.end is None else max(f.end, max(days))
    lo = date(lo.year, 1, 1)
    hi = date(hi.year, 12, 31)
    lanes = sorted({d["committee"] for _, d in g.nodes(data=True)}, key=_committee_order)
    rows = len(lanes) + len(
        {(d["committee"], d["appeal"]) for _, d in g.nodes(data=True) if d.get("appeal")}
    )
    height = rows * LANE_ROW + len(lanes) * LANE_GAP
    # about the shape of a screen, and at least a hundred units a year
    width = max(1.7 * height, 100.0 * (hi.year - lo.year + 1), 800.0)
    per_day = width / max((hi - lo).days, 1)

    def x_of(day: str | date) -> float:
        d = date.fromisoformat(day) if isinstance(day, str) else day
        return round((d - lo).days * per_day, 1)

    spans: dict[str, list] = defaultdict(list)
    for i, d in g.nodes(data=True):
        if d.get("appeal"):
            spans[d["committee"], d["appeal"]].append((d["date"], i))
    axes, guides = [], []
    top = 0.0
    for code in lanes:
        rows_end: list[str] = []  # the last date on each row of appeals
        row_of: dict[str, int] = {}
        appeals = sorted(((min(s)[0], max(s)[0], a) for (c, a), s in spans.items() if c == code))
        for first, last, appeal in appeals:
            free = next((r for r, end in enumerate(rows_end) if end < first), None)
            if free is None:
                rows_end.append(last)
                free = len(rows_end) - 1
            else:
                rows_end[free] = last
            row_of[appeal] = free
        for _, d in g.nodes(data=True):
            if d["committee"] != code:
                continue
            row = 0 if d["kind"] == "session" else 1 + row_of[d["appeal"]]
            d["x"] = x_of(d["date"])
            d["y"] = round(top + row * LANE_ROW, 1)
        start, end = f"lane:{code}:start", f"lane:{code}:end"
        axes.append({"id": start, "role": "lane", "committee": code, "x": -20.0, "y": top})
        axes.append({"id": end, "role": "lane-end", "x": x_of(hi) + 20, "y": top})
        guides.append((start, end))
        top += (1 + len(rows_end)) * LANE_ROW + LANE_GAP
    for year in range(lo.year, hi.year + 1):
        a, b = f"year:{year}", f"year:{year}:end"
        axes.append(
            {
                "id": a,
                "role": "year",
                "label": str(year),
                "x": x_of(date(year, 1, 1)),
                "y": -LANE_ROW,
            }
        )
        axes.append(
            {
                "id": b,
                "role": "year-end",
                "x": x_of(date(year, 1, 1)),
                "y": top - LANE_GAP + LANE_ROW / 2,
            }
        )
        guides.append((a, b))
    return axes, guides


def _committee_order(code: str) -> tuple:
    return (code != "JP", code)


# -- output --------------------------------------------------------------------------------


def href_of(iri: str, id_base: str) -> str | None:
    """The server path of a resource page, relative to the app's root: id/… with the
    Japanese percent-encoded (IRIs are IRIs; encoding happens at the HTTP boundary)."""
    if not iri.startswith(id_base):
        return None
    return "id/" + quote(iri[len(id_base) :], safe="/-._~!$&'()*+,;=:@")


def to_json(r: GraphResult, compact: bool = False) -> dict:
    """The graph as JSON. compact (what the /graph page asks for): the edges are not a list
    of objects but columns, "links", each node given by its index in "nodes" and each kind
    by its index in links.kinds; their dates are left out (the page shows none) — a fifth
    of the bytes for a big graph, and no per-edge object to parse."""
    g = r.graph
    counts = Counter(d["kind"] for _, d in g.nodes(data=True))
    shown = set(r.filters.kinds)
    nodes = []
    for i, d in g.nodes(data=True):
        neighbours = Counter(
            g.nodes[j]["kind"] for j in (nx.all_neighbors(g, i) if r.view.directed else g[i])
        )
        node = {
            "id": i,
            "iri": d["iri"],
            "href": href_of(d["iri"], r.id_base),
            "kind": d["kind"],
            "label": {"ja": d["label_ja"], "en": d.get("label_en")},
            "x": d["x"],
            "y": d["y"],
            "size": d["size"],
            "centrality": d["centrality"],
            "community": d.get("community", 0),
            "sessions": d["sessions"],
            "first": d["first"],
            "last": d["last"],
            "first_session": d["first_session"],
            "last_session": d["last_session"],
            "counts": dict(sorted(neighbours.items())),
        }
        for key in ("committee", "date", "items", "appeal", "purpose", "title", "disposed"):
            if key in d:
                node[key] = d[key]
        for key in ("text", "answer"):
            if key in d:
                node[key] = d[key][:200]
        for name in ("outcome", "body", "authority"):
            if f"{name}_ja" in d:
                node[name] = {"ja": d[f"{name}_ja"], "en": d.get(f"{name}_en")}
        nodes.append(node)
    if compact:
        shape = {"links": _links(g)}
    else:
        shape = {
            "edges": [
                {
                    "id": f"e{k}",
                    "source": u,
                    "target": v,
                    "kind": d["kind"],
                    "weight": d["weight"],
                    "first": d["first"],
                    "last": d["last"],
                }
                for k, (u, v, d) in enumerate(g.edges(data=True))
            ]
        }
    return {
        "view": r.view.name,
        "generation": r.generation,
        "directed": r.view.directed,
        "timeline": r.view.timeline,
        "filters": r.filters.as_json(),
        "kinds": [
            {**k, "shown": k["name"] in shown, "count": counts.get(k["name"], 0)}
            for k in r.view.as_json()["kinds"]
        ],
        "id_base": r.id_base,
        "nodes": nodes,
        **shape,
        "axes": r.axes,
        "guides": [{"source": a, "target": b} for a, b in r.guides],
        "communities": 1 + max((n["community"] for n in nodes), default=-1),
        "total": {"nodes": r.total_nodes, "edges": r.total_edges},
        "truncated": r.truncated,
        "max_nodes": r.max_nodes,
        "seconds": {k: round(v, 4) for k, v in r.seconds.items()},
    }


def _links(g: nx.Graph) -> dict:
    """The edges as columns (the compact JSON): node indices in the order of g's nodes."""
    index = {i: k for k, i in enumerate(g)}
    edges = list(g.edges(data="kind"))
    kinds = sorted({k for _, _, k in edges})
    number = {k: n for n, k in enumerate(kinds)}
    return {
        "kinds": kinds,
        "source": [index[u] for u, _, _ in edges],
        "target": [index[v] for _, v, _ in edges],
        "kind": [number[k] for _, _, k in edges],
        "weight": [w for _, _, w in g.edges(data="weight")],
    }


def export_graph(r: GraphResult) -> nx.Graph:
    """The graph with flat, typed attributes only (what GraphML and GEXF can carry), and
    GEXF's viz position, size and colour so that Gephi shows what the browser shows."""
    out = nx.DiGraph() if r.view.directed else nx.Graph()
    colours = {k.name: k.colour for k in r.view.kinds}
    for i, d in r.graph.nodes(data=True):
        attrs = {
            k: _xml_safe(v) if isinstance(v, str) else v
            for k, v in d.items()
            if v is not None and isinstance(v, str | int | float)
        }
        attrs["label"] = attrs["label_ja"]
        out.add_node(i, **attrs)
    for u, v, d in r.graph.edges(data=True):
        out.add_edge(u, v, **{k: w for k, w in d.items() if w is not None})
    out.graph.update(view=r.view.name, generation=r.generation)
    out.graph["colours"] = json.dumps(colours)
    return out


def to_graphml(r: GraphResult) -> bytes:
    return "\n".join(nx.generate_graphml(export_graph(r))).encode("utf-8")


def to_gexf(r: GraphResult) -> bytes:
    g = export_graph(r)
    del g.graph["colours"]
    colours = {k.name: k.colour for k in r.view.kinds}
    for _, d in g.nodes(data=True):
        rgb = colours.get(d["kind"], "#888888")
        d["viz"] = {
            "position": {"x": d["x"], "y": -d["y"], "z": 0.0},
            "size": round(4 + 20 * d.get("size", 0), 2),
            "color": {"r": int(rgb[1:3], 16), "g": int(rgb[3:5], 16), "b": int(rgb[5:7], 16)},
        }
    gexf = "\n".join(nx.generate_gexf(g))
    # networkx stamps today's date: use the newest session drawn, so the bytes follow the data
    newest = max((str(d.get("last") or "") for _, d in g.nodes(data=True)), default="")
    return re.sub(
        r'lastmodifieddate="[^"]*"', f'lastmodifieddate="{newest[:10]}"', gexf, count=1
    ).encode("utf-8")


def _xml_safe(text: str) -> str:
    return XML_UNSAFE.sub("", text)


# -- the cache: one result per (generation, view, filters) ---------------------------------


class GraphCache:
    """Computed graphs (with their positions) per store generation and filters; a new
    generation empties it. Two requests for the same graph compute it once."""

    def __init__(self, entries: int = 64):
        self.entries = entries
        self._data: OrderedDict[tuple, GraphResult] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: dict[tuple, threading.Lock] = {}
        self._overview: dict[tuple, dict] = {}

    def overview(self, snap: Snapshot) -> dict:
        """overview() of the generation, computed once (it scans every session)."""
        key = (snap.generation, "overview")
        with self._lock:
            found = self._overview.get(key)
        if found is None:
            found = overview(snap)
            with self._lock:
                self._overview = {key: found}
        return found

    def get(
        self, snap: Snapshot, view: View, f: Filters, max_nodes: int
    ) -> tuple[GraphResult, bool]:
        key = (snap.generation, view.name, f, max_nodes)
        with self._lock:
            found = self._data.get(key)
            if found is not None:
                self._data.move_to_end(key)
                return found, True
            gate = self._pending.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                found = self._data.get(key)
            if found is not None:
                return found, True
            result = build(snap, view, f, max_nodes)
            with self._lock:
                for old in [k for k in self._data if k[0] != snap.generation]:
                    del self._data[old]
                self._data[key] = result
                while len(self._data) > self.entries:
                    self._data.popitem(last=False)
                self._pending.pop(key, None)
            return result, False


def overview(snap: Snapshot) -> dict:
    """What the page needs before any graph: the views, the committees with sessions and
    the period the store covers."""
    q = """SELECT ?c (MIN(?date) AS ?first) (MAX(?date) AS ?last) (COUNT(DISTINCT ?m) AS ?n)
    WHERE { ?m a ckg:Meeting ; schema:organizer ?c ; dcterms:date ?date } GROUP BY ?c"""
    rows = list(_rows(snap, q))
    labels = _labels(snap, {r[0]: None for r in rows})
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
        key=lambda c: _committee_order(c["code"]),
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
