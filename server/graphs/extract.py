"""Facts from the store: each view's nodes and edges, with the sessions that state them.

A view reads the sessions within the filters, then each session's own named graph by index
look-ups (``_Session``), and fills a Draft; labels are read last, for the nodes kept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import URIRef

from committee_kg.loaders.vocab import CKG

from ..store.store import Snapshot
from .model import ITEM_TYPES, Draft, Filters

PREFIXES = f"""PREFIX ckg: <{CKG}>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <http://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
PREF_LABEL = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")


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


def read_rows(snap: Snapshot, query: str) -> Iterable[tuple]:
    """Rows as tuples of plain strings (None where unbound)."""
    solutions = snap.query(PREFIXES + query)
    names = [v.value for v in solutions.variables]
    for s in solutions:
        yield tuple(None if s[n] is None else s[n].value for n in names)


def read_labels(snap: Snapshot, wanted: dict[str, str | None]) -> dict[str, dict[str, str]]:
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


def _sessions(snap: Snapshot, f: Filters, d: Draft) -> list[str]:
    """The sessions within the filters, in order of date."""
    q = f"SELECT ?m ?date ?c WHERE {{ {_session_block(snap, f)} }}"
    return [
        d.session(m, day, c) for m, day, c in sorted(read_rows(snap, q), key=lambda r: (r[1], r[0]))
    ]


class _Session:
    """One session's own named graph, read through the store's indexes.

    Everything a session states is in its graph, the labels and types of the shared nodes it
    names included (ARCHITECTURE.md, The store), so each view reads the few properties it
    needs there by index look-ups instead of joining through the default graph, where
    pyoxigraph's joins grow with the whole store (seconds on 2,000 sessions; here a year of
    one commission takes milliseconds)."""

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


def _slug(iri: str) -> str:
    return iri.rsplit("/appeal/", 1)[-1]


def _within(day: str, f: Filters) -> bool:
    return (not f.start or day >= f.start.isoformat()) and (not f.end or day <= f.end.isoformat())
