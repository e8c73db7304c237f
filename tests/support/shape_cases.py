"""One case per shape and rule of shapes/: each breaks a valid converted session the way the
shape forbids (tests/test_shapes.py checks the shape reports it; tests/test_validation_engines.py
checks both engines agree on the broken graph).

A case's ``mutate`` changes an rdflib graph in place; it raises LookupError (or
StopIteration) when the graph has nothing it can break, and the next example is tried.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from committee_kg.loaders.reference import shapes_graph

from . import ROOT

CKGSH = Namespace("https://w3id.org/committee-kg/shapes#")
CKG = Namespace("https://w3id.org/committee-kg/ontology#")
SH = Namespace("http://www.w3.org/ns/shacl#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("http://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
# a plain Namespace: pytest probes module globals, and rdflib's closed XSD warns when probed
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
ID = "https://w3id.org/committee-kg/id/"
PREFIXES = {
    "ckg": CKG,
    "org": ORG,
    "schema": SCHEMA,
    "oa": OA,
    "dcterms": DCTERMS,
    "prov": PROV,
    "skos": SKOS,
}
LAYOUT_EXAMPLES = sorted(
    p
    for p in (ROOT / "examples" / "layouts").rglob("*")
    if p.suffix in {".txt", ".html", ".htm", ".pdf"}
)

# -- finding nodes to break -----------------------------------------------------------------


def nodes(g: Graph, where: str) -> list:
    """The ?x of a SPARQL pattern, in a stable order; LookupError when there is none."""
    found = sorted({row[0] for row in g.query(f"SELECT ?x WHERE {{ {where} }}", initNs=PREFIXES)})
    if not found:
        raise LookupError(where)
    return found


def node(g: Graph, where: str):
    return nodes(g, where)[0]


def rename(g: Graph, old, new) -> None:
    """Give a node another IRI everywhere in the graph."""
    for s, p, o in list(g.triples((old, None, None))):
        g.remove((s, p, o))
        g.add((new, p, o))
    for s, p, o in list(g.triples((None, None, old))):
        g.remove((s, p, o))
        g.add((s, p, new))


def put(g: Graph, s, p, o) -> None:
    """Replace every value of s p with o."""
    g.remove((s, p, None))
    g.add((s, p, o))


def meeting(g: Graph):
    return node(g, "?x a ckg:Meeting")


MEETING = "?x a ckg:Meeting"
ITEM = "?x a ckg:AgendaItem"
REMARK = "?x a ckg:Remark"
MEMBER = "?x a ckg:Member"
APPEAL = "?x a ckg:Appeal"
AGREEMENT = "?x a ckg:Agreement"
REQUEST = "?x a ckg:DispatchRequest"
MEMBERSHIP = "?x a org:Membership"
SOURCE = "?x a ckg:SourceDocument"
OFFICER = "?x a ckg:Officer"
POSITION = "?x a oa:TextPositionSelector"
QUOTE = "?x a oa:TextQuoteSelector"


# -- the cases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    shape: str  # local name under ckgsh:
    severity: str
    mutate: Callable[[Graph], None]
    why: str

    @property
    def id(self) -> str:
        return f"{self.shape}:{self.why}"


V, W = "violation", "warning"


def drop_all(where: str, p):
    """Remove p from every ?x of the pattern."""

    def mutate(g):
        for x in nodes(g, where):
            g.remove((x, p, None))

    return mutate


def drop(where: str, p):
    """Remove p from the first ?x of the pattern."""

    def mutate(g):
        g.remove((node(g, where), p, None))

    return mutate


def put1(where: str, p, value):
    """Make value (or value(graph)) the only p of the first ?x."""

    def mutate(g):
        put(g, node(g, where), p, value(g) if callable(value) else value)

    return mutate


def add1(where: str, p, value):
    """Add value (or value(graph)) as one more p of the first ?x."""

    def mutate(g):
        g.add((node(g, where), p, value(g) if callable(value) else value))

    return mutate


def add2(where: str, p, first, second):
    """Give the first ?x two values of p."""

    def mutate(g):
        x = node(g, where)
        g.add((x, p, first))
        g.add((x, p, second))

    return mutate


def rename1(where: str, new: Callable[[URIRef], str]):
    def mutate(g):
        old = node(g, where)
        rename(g, old, URIRef(new(old)))

    return mutate


def _break_meeting_iri(g):
    m = meeting(g)
    rename(g, m, URIRef(str(m).replace("/meeting/", "/meetings/")))


def _second_chair(g):
    m = meeting(g)
    chair = g.value(m, CKG.chair)
    other = next(x for x in nodes(g, "?m ckg:memberPresent ?x") if x != chair)
    g.add((m, CKG.chair, other))


def _drop_item_links(g):
    m = meeting(g)
    g.remove((m, CKG.agendaItem, None))


def _unknown_post(g):
    officer = node(g, "?x a ckg:Officer ; org:role ?p")
    put(g, officer, ORG.role, URIRef(ID + "post/架空課長"))


def _unknown_outcome(g):
    item = node(g, "?x a ckg:Decision ; ckg:outcome ?o")
    new = URIRef(ID + "outcome/保留")
    g.add((new, RDF.type, SKOS.Concept))
    put(g, item, CKG.outcome, new)


def _stray_heading(g):
    item = node(g, "?x a ckg:AgendaItem ; schema:description ?d")
    text = str(g.value(item, SCHEMA.description))
    put(g, item, SCHEMA.description, Literal(text + "\n2 報告概要", lang="ja"))


def _single_party(g):
    agreement = node(g, "?x a ckg:Agreement ; ckg:party ?p")
    for party in nodes(g, f"<{agreement}> ckg:party ?x")[1:]:
        g.remove((agreement, CKG.party, party))


def _no_appeal_dates(g):
    appeal = node(g, "?x a ckg:Appeal")
    for p in (CKG.dispositionDate, CKG.receivedOn, CKG.receiptReportedOn):
        g.remove((appeal, p, None))


def _duplicate_concept_label(g):
    concept = node(g, "?i ckg:outcome ?x")
    g.add((concept, SKOS.prefLabel, Literal("別の結果", lang="ja")))


def _same_committees(g):
    request = node(g, "?x a ckg:DispatchRequest")
    put(g, request, CKG.requestedCommittee, g.value(request, CKG.requestingCommittee))


def _swap_times(g):
    m = node(g, "?x a ckg:Meeting ; schema:startDate ?s ; schema:endDate ?e")
    start, end = g.value(m, SCHEMA.startDate), g.value(m, SCHEMA.endDate)
    put(g, m, SCHEMA.startDate, end)
    put(g, m, SCHEMA.endDate, start)


def _start_next_day(g):
    m = node(g, "?x a ckg:Meeting ; schema:startDate ?s")
    start = g.value(m, SCHEMA.startDate).toPython() + datetime.timedelta(days=1)
    put(g, m, SCHEMA.startDate, Literal(start.isoformat(), datatype=XSD.dateTime))


def _other_date(g):
    m = meeting(g)
    day = g.value(m, DCTERMS.date).toPython() + datetime.timedelta(days=7)
    put(g, m, DCTERMS.date, Literal(day, datatype=XSD.date))


def _wrong_weekday(g):
    m = node(g, "?x a ckg:Meeting ; ckg:weekday ?w")
    day = g.value(m, DCTERMS.date).toPython()
    wrong = "月火水木金土日"[(day.weekday() + 1) % 7]
    put(g, m, CKG.weekday, Literal(wrong, lang="ja"))


def _chair_absent(g):
    m = node(g, "?x ckg:chair ?chair")
    g.remove((m, CKG.memberPresent, g.value(m, CKG.chair)))


def _two_chairpersons(g):
    membership = node(
        g, "?x a org:Membership ; org:role ?r FILTER (STRENDS(STR(?r), '/role/委員'))"
    )
    put(g, membership, ORG.role, URIRef(ID + "role/委員長"))


def _chair_is_ordinary_member(g):
    m = meeting(g)
    ordinary = node(g, "?ms org:member ?x ; org:role ?r FILTER (STRENDS(STR(?r), '/role/委員'))")
    put(g, m, CKG.chair, ordinary)


def _membership_missing(g):
    m = meeting(g)
    g.remove((m, CKG.membership, node(g, "?m ckg:membership ?x")))


def _officer_of_other_committee(g):
    officer = node(g, "?m ckg:officerPresent ?x")
    put(g, officer, CKG.committee, URIRef(ID + "committee/JP-13"))


def _item_position_gap(g):
    item = node(g, "?m ckg:agendaItem ?x . ?x schema:position 1")
    put(g, item, SCHEMA.position, Literal(99))


def _remark_position_duplicate(g):
    remark = node(g, "?x a ckg:Remark ; schema:position 2")
    put(g, remark, SCHEMA.position, Literal(1))


def _swap_item_positions(g):
    a = node(g, "?x a ckg:AgendaItem ; schema:position 1")
    b = node(g, "?x a ckg:AgendaItem ; schema:position 2")
    put(g, a, SCHEMA.position, Literal(2))
    put(g, b, SCHEMA.position, Literal(1))


def _member_speaker_absent(g):
    remark = node(g, "?x ckg:speaker ?s . ?s a ckg:Member")
    speaker = g.value(remark, CKG.speaker)
    put(g, remark, CKG.speaker, URIRef(str(speaker) + "田"))
    g.add((URIRef(str(speaker) + "田"), RDF.type, CKG.Member))


def _unnamed_of_other_session(g):
    remark = node(g, "?x ckg:speaker ?s . ?s a ckg:UnnamedMember")
    other = URIRef(ID + "meeting/JP-32/2000-01-05/speaker/member")
    g.add((other, RDF.type, CKG.UnnamedMember))
    put(g, remark, CKG.speaker, other)


def _officer_speaker_unlisted(g):
    officer = node(g, "?r ckg:speaker ?x . ?x a ckg:Officer")
    g.remove((None, CKG.officerPresent, officer))
    g.remove((None, CKG.presentedBy, officer))


def _reply_to_other_session(g):
    remark = node(g, "?x ckg:inReplyTo ?y")
    put(g, remark, CKG.inReplyTo, URIRef(ID + "meeting/JP-32/2000-01-05/remark/1"))


def _reply_to_later(g):
    remark = node(g, "?x ckg:inReplyTo ?y")
    put(g, remark, CKG.inReplyTo, remark)


def _disposition_on_session_day(g):
    appeal = node(g, "?x a ckg:Appeal ; ckg:dispositionDate ?d")
    put(g, appeal, CKG.dispositionDate, g.value(meeting(g), DCTERMS.date))


def _receipt_reported_before_disposition(g):
    appeal = node(g, "?x a ckg:Appeal ; ckg:dispositionDate ?d")
    disposed = g.value(appeal, CKG.dispositionDate).toPython()
    earlier = Literal(disposed - datetime.timedelta(days=3), datatype=XSD.date)
    put(g, appeal, CKG.receiptReportedOn, earlier)


def _other_requested_committee(g):
    request = node(g, "?x a ckg:DispatchRequest")
    put(g, request, CKG.requestedCommittee, URIRef(ID + "committee/JP-47"))
    put(g, request, CKG.requestingCommittee, URIRef(ID + "committee/JP-46"))


def _committee_iri_off_notation(g):
    committee = node(g, "?m schema:organizer ?x")
    rename(g, committee, URIRef(ID + "committee/JP-99"))


def _officer_other_post(g):
    officer = node(g, "?x a ckg:Officer ; org:role ?p FILTER (STRENDS(STR(?p), '/post/警務部長'))")
    put(g, officer, ORG.role, URIRef(ID + "post/刑事部長"))


def _other_hash(g):
    source = node(g, "?x a ckg:SourceDocument")
    put(g, source, CKG.sha256, Literal("0" * 64))


def _wrong_quote(g):
    quote = node(g, "?x a oa:TextQuoteSelector ; oa:exact ?e")
    put(g, quote, OA.exact, Literal(str(g.value(quote, OA.exact)) + "。"))


def _shifted_offsets(g):
    position = node(g, "?x a oa:TextPositionSelector ; oa:start ?s")
    start = g.value(position, OA.start).toPython()
    put(g, position, OA.start, Literal(start + 1))


def _wrong_prefix(g):
    quote = node(g, "?x a oa:TextQuoteSelector ; oa:prefix ?p FILTER (STRLEN(?p) > 3)")
    put(g, quote, OA.prefix, Literal("ちがう文脈"))


def _topic_without_ja_label(g):
    item = node(g, "?x a ckg:AgendaItem")
    topic, scheme = URIRef(ID + "topic/交通安全"), URIRef(ID + "topic")
    g.add((topic, RDF.type, SKOS.Concept))
    g.add((topic, SKOS.inScheme, scheme))
    g.add((topic, SKOS.prefLabel, Literal("Road safety", lang="en")))
    g.add((item, DCTERMS.subject, topic))


def _derived(kind: str) -> Case:
    return Case(
        "DerivedFromPassage",
        V,
        drop(f"?x a {kind} ; prov:wasDerivedFrom ?p", PROV.wasDerivedFrom),
        f"{kind} without passage",
    )


def _iri(kind: str, new: Callable[[str], str]) -> Case:
    return Case(
        f"{kind.split(':')[-1]}IRI",
        V,
        rename1(f"?x a {kind}", lambda old: new(str(old))),
        "IRI off the minting rule",
    )


CASES = [
    # labels
    Case("DisplayLabel", V, drop_all(REMARK, RDFS.label), "no label"),
    Case("DisplayLabel", V, add1(MEMBER, RDFS.label, Literal("X", lang="de")), "de"),
    Case("DisplayLabel", V, add1(APPEAL, RDFS.label, Literal("二つ目", lang="ja")), "2 ja"),
    # meeting
    Case("MeetingIRI", V, _break_meeting_iri, "IRI off the minting rule"),
    Case("Meeting-date", V, drop_all(MEETING, DCTERMS.date), "missing"),
    Case("Meeting-date", V, put1(MEETING, DCTERMS.date, Literal("2019-10-17")), "string"),
    Case(
        "Meeting-startDate",
        V,
        put1(MEETING, SCHEMA.startDate, Literal("2019-10-17T13:30:00", datatype=XSD.dateTime)),
        "no +09:00",
    ),
    Case(
        "Meeting-endDate",
        V,
        put1(MEETING, SCHEMA.endDate, Literal("2019-10-17T06:10:00Z", datatype=XSD.dateTime)),
        "UTC",
    ),
    Case("Meeting-organizer", V, drop_all(MEETING, SCHEMA.organizer), "missing"),
    Case(
        "Meeting-memberPresent",
        V,
        add1(MEETING, CKG.memberPresent, lambda g: node(g, OFFICER)),
        "officer",
    ),
    Case("Meeting-membersListed", W, drop_all(MEETING, CKG.memberPresent), "none"),
    Case(
        "Meeting-officerPresent",
        V,
        add1(MEETING, CKG.officerPresent, lambda g: node(g, MEMBER)),
        "member",
    ),
    Case("Meeting-chair", V, _second_chair, "two chairs"),
    Case(
        "Meeting-location",
        V,
        add1(MEETING, SCHEMA.location, lambda g: node(g, "?x a ckg:Committee")),
        "committee",
    ),
    Case(
        "Meeting-agendaItem", V, add1(MEETING, CKG.agendaItem, lambda g: node(g, REMARK)), "remark"
    ),
    Case("Meeting-itemsListed", W, _drop_item_links, "none"),
    Case(
        "Meeting-membership", V, add1(MEETING, CKG.membership, lambda g: node(g, MEMBER)), "member"
    ),
    Case("Meeting-sourceDocument", V, drop_all(MEETING, CKG.sourceDocument), "missing"),
    Case("Meeting-sessionKind", V, add1(MEETING, CKG.sessionKind, Literal("臨時会")), "untagged"),
    Case(
        "Meeting-weekday",
        W,
        put1("?x a ckg:Meeting ; ckg:weekday ?w", CKG.weekday, Literal("Wed", lang="en")),
        "english",
    ),
    # committee
    Case(
        "CommitteeIRI",
        V,
        rename1("?m schema:organizer ?x", lambda o: ID + "committee/Shimane"),
        "name",
    ),
    Case(
        "Committee-prefectureCode",
        V,
        add1("?m schema:organizer ?x", CKG.prefectureCode, Literal("JP-3")),
        "bad code",
    ),
    Case(
        "Committee-notation",
        V,
        add1("?m schema:organizer ?x", SKOS.notation, Literal("JP-32-x")),
        "two notations",
    ),
    # members
    _iri("ckg:Member", lambda old: old.replace("/member/JP-", "/member/XX-")),
    Case("Member-familyName", V, drop_all(MEMBER, SCHEMA.familyName), "missing"),
    Case("MemberNotUnnamed", V, add1(MEMBER, RDF.type, CKG.UnnamedMember), "both types"),
    _iri("ckg:UnnamedMember", lambda old: old.replace("/speaker/member", "/speaker/委員")),
    Case(
        "UnnamedMember-familyName",
        V,
        add1("?x a ckg:UnnamedMember", SCHEMA.familyName, Literal("山田", lang="ja")),
        "named",
    ),
    # officers
    _iri("ckg:Officer", lambda old: old.replace("/officer/", "/officers/")),
    Case("Officer-role", V, drop_all(OFFICER, ORG.role), "missing"),
    Case("Officer-committee", V, drop_all(OFFICER, CKG.committee), "missing"),
    Case("Officer-postKnown", W, _unknown_post, "post not in posts.ttl"),
    # agenda items
    _iri("ckg:AgendaItem", lambda old: old.rsplit("/", 1)[0] + "/x"),
    Case("AgendaItem-isPartOf", V, drop(ITEM, DCTERMS.isPartOf), "missing"),
    Case(
        "AgendaItem-listedByMeeting",
        V,
        lambda g: g.remove((None, CKG.agendaItem, node(g, ITEM))),
        "not listed",
    ),
    Case("AgendaItem-title", V, add1(ITEM, DCTERMS.title, Literal("別題", lang="ja")), "2"),
    Case("AgendaItem-position", V, put1(ITEM, SCHEMA.position, Literal(0)), "0"),
    Case(
        "AgendaItem-localNumber",
        V,
        put1(
            "?x a ckg:AgendaItem ; ckg:localNumber ?n", CKG.localNumber, Literal("第１", lang="ja")
        ),
        "@ja",
    ),
    Case(
        "AgendaItem-description",
        V,
        put1("?x a ckg:AgendaItem ; schema:description ?d", SCHEMA.description, Literal("説明")),
        "plain",
    ),
    Case("AgendaItem-descriptionClean", W, _stray_heading, "heading swallowed"),
    Case(
        "AgendaItem-presentedBy",
        V,
        add1(ITEM, CKG.presentedBy, lambda g: node(g, MEMBER)),
        "member",
    ),
    Case(
        "AgendaItem-concerns",
        V,
        add1(ITEM, CKG.concerns, lambda g: node(g, "?x a ckg:Committee")),
        "committee",
    ),
    Case("AgendaItem-subject", V, add1(ITEM, DCTERMS.subject, lambda g: node(g, REMARK)), "remark"),
    Case(
        "AgendaItem-outcome",
        V,
        add1("?x a ckg:Decision ; ckg:outcome ?o", CKG.outcome, URIRef(ID + "outcome/議決")),
        "two outcomes",
    ),
    Case("AgendaItem-outcomeKnown", W, _unknown_outcome, "outcome not in the reference data"),
    Case("AgendaItem-appealCount", V, add1(ITEM, CKG.appealCount, Literal(0)), "0"),
    Case("Decision-outcome", W, drop("?x a ckg:Decision ; ckg:outcome ?o", CKG.outcome), "missing"),
    # remarks
    _iri("ckg:Remark", lambda old: old.rsplit("/", 1)[0] + "/a"),
    Case("Remark-speaker", V, drop(REMARK, CKG.speaker), "missing"),
    Case("Remark-text", V, put1(REMARK, SCHEMA.text, Literal("", lang="ja")), "empty"),
    Case("Remark-position", V, put1(REMARK, SCHEMA.position, Literal("1")), "string"),
    Case("Remark-isPartOf", V, put1(REMARK, DCTERMS.isPartOf, meeting), "meeting"),
    Case(
        "Remark-inReplyTo",
        V,
        add1("?x a ckg:Remark ; ckg:inReplyTo ?y", CKG.inReplyTo, lambda g: node(g, ITEM)),
        "two, one an item",
    ),
    # agreements
    _iri("ckg:Agreement", lambda old: old.replace("/agreement/", "/agreements/")),
    Case("Agreement-party", V, add1(AGREEMENT, CKG.party, Literal("某社", lang="ja")), "literal"),
    Case("Agreement-parties", W, _single_party, "one party"),
    Case(
        "Agreement-concludedOn",
        V,
        put1(AGREEMENT, CKG.concludedOn, Literal("令和7年6月12日")),
        "string",
    ),
    Case(
        "Agreement-cooperationArea",
        V,
        add1(AGREEMENT, CKG.cooperationArea, Literal("連携")),
        "untagged",
    ),
    Case(
        "Agreement-plannedAction",
        V,
        add1(AGREEMENT, CKG.plannedAction, Literal("training", lang="en")),
        "@en",
    ),
    Case(
        "Agreement-concernedBy",
        V,
        lambda g: g.remove((None, CKG.concerns, node(g, AGREEMENT))),
        "no item",
    ),
    # appeals
    _iri("ckg:Appeal", lambda old: old.rsplit("/", 1)[0] + "/0"),
    Case(
        "Appeal-dispositionDate",
        V,
        put1(
            "?x a ckg:Appeal ; ckg:dispositionDate ?d",
            CKG.dispositionDate,
            Literal("2019-03-22T00:00:00", datatype=XSD.dateTime),
        ),
        "dateTime",
    ),
    Case(
        "Appeal-disposingAuthority",
        V,
        put1(APPEAL, CKG.disposingAuthority, lambda g: node(g, MEMBER)),
        "member",
    ),
    Case("Appeal-receivedOn", V, add1(APPEAL, CKG.receivedOn, Literal("2019-03-25")), "string"),
    Case(
        "Appeal-receiptReportedOn",
        V,
        add1(
            "?x a ckg:Appeal ; ckg:receiptReportedOn ?d",
            CKG.receiptReportedOn,
            Literal(datetime.date(2001, 1, 1)),
        ),
        "two",
    ),
    Case(
        "Appeal-advisoryBody",
        V,
        add1(APPEAL, CKG.advisoryBody, lambda g: node(g, REMARK)),
        "remark",
    ),
    Case(
        "Appeal-opinionReceivedOn",
        V,
        add1(APPEAL, CKG.opinionReceivedOn, Literal("2019年")),
        "string",
    ),
    # the appeal's life, derived when a generation is published
    Case(
        "Appeal-receiptDate",
        V,
        add2(
            APPEAL,
            CKG.receiptDate,
            Literal(datetime.date(2019, 6, 12)),
            Literal(datetime.date(2019, 6, 13)),
        ),
        "two",
    ),
    Case("Appeal-hearingDate", V, add1(APPEAL, CKG.hearingDate, Literal("7月17日")), "string"),
    Case(
        "Appeal-opinionDate",
        V,
        add2(
            APPEAL,
            CKG.opinionDate,
            Literal(datetime.date(2019, 7, 1)),
            Literal(datetime.date(2019, 7, 2)),
        ),
        "two",
    ),
    Case(
        "Appeal-rulingDate",
        V,
        add1(APPEAL, CKG.rulingDate, Literal("2019-08-21T13:00:00", datatype=XSD.dateTime)),
        "dateTime",
    ),
    Case(
        "Appeal-concernedBy",
        V,
        lambda g: g.remove((None, CKG.concerns, node(g, APPEAL))),
        "no item",
    ),
    Case("Appeal-dated", W, _no_appeal_dates, "no date at all"),
    # dispatch requests
    _iri("ckg:DispatchRequest", lambda old: old.replace("/dispatch-request/", "/request/")),
    Case("DispatchRequest-requesting", V, drop(REQUEST, CKG.requestingCommittee), "missing"),
    Case(
        "DispatchRequest-requested",
        V,
        add1(REQUEST, CKG.requestedCommittee, URIRef(ID + "committee/JP-13")),
        "two",
    ),
    Case("DispatchRequest-purpose", V, put1(REQUEST, CKG.purpose, Literal("警備")), "untagged"),
    Case(
        "DispatchRequest-concernedBy",
        V,
        lambda g: g.remove((None, CKG.concerns, node(g, REQUEST))),
        "no item",
    ),
    # memberships
    _iri("org:Membership", lambda old: old.replace("/membership/", "/member-of/")),
    Case("Membership-member", V, drop(MEMBERSHIP, ORG.member), "missing"),
    Case(
        "Membership-organization",
        V,
        put1(MEMBERSHIP, ORG.organization, lambda g: node(g, MEMBER)),
        "member",
    ),
    Case("Membership-role", V, put1(MEMBERSHIP, ORG.role, URIRef(ID + "post/委員")), "a post"),
    Case(
        "Membership-roleKnown",
        W,
        put1(MEMBERSHIP, ORG.role, URIRef(ID + "role/顧問")),
        "role not in roles.ttl",
    ),
    Case("Membership-date", V, drop(MEMBERSHIP, DCTERMS.date), "missing"),
    # places
    _iri("schema:Place", lambda old: old.replace("/place/", "/location/")),
    # source documents, passages, selectors
    _iri("ckg:SourceDocument", lambda old: old[:-1] + "X"),
    Case(
        "SourceDocument-sha256",
        V,
        lambda g: put(
            g,
            node(g, SOURCE),
            CKG.sha256,
            Literal(str(g.value(node(g, SOURCE), CKG.sha256)).upper()),
        ),
        "upper",
    ),
    Case("SourceDocument-format", V, put1(SOURCE, DCTERMS.format, Literal("PDF")), "PDF"),
    Case(
        "SourceDocument-license", V, put1(SOURCE, DCTERMS.license, Literal("CC BY 4.0")), "literal"
    ),
    Case(
        "SourceDocument-source",
        V,
        put1(SOURCE, DCTERMS.source, Literal("https://example.org/a.pdf")),
        "literal",
    ),
    Case(
        "SourceDocument-retrievedOn",
        V,
        put1(SOURCE, CKG.retrievedOn, Literal("yesterday")),
        "string",
    ),
    Case("SourceDocument-normalizedText", V, drop(SOURCE, CKG.normalizedText), "missing"),
    _iri("ckg:Passage", lambda old: old.replace("/passage/", "/span/")),
    Case("Passage-source", V, drop("?x a ckg:Passage", OA.hasSource), "missing"),
    Case(
        "Passage-positionSelector",
        V,
        lambda g: g.remove((None, OA.hasSelector, node(g, POSITION))),
        "missing",
    ),
    Case(
        "Passage-quoteSelector",
        V,
        lambda g: g.remove((None, OA.hasSelector, node(g, QUOTE))),
        "missing",
    ),
    Case("TextPositionSelector-start", V, put1(POSITION, OA.start, Literal(-1)), "negative"),
    Case("TextPositionSelector-end", V, drop(POSITION, OA.end), "missing"),
    Case("TextQuoteSelector-exact", V, drop(QUOTE, OA.exact), "missing"),
    Case(
        "TextQuoteSelector-prefix",
        V,
        add1("?x a oa:TextQuoteSelector ; oa:prefix ?p", OA.prefix, Literal("余分")),
        "two",
    ),
    Case("TextQuoteSelector-suffix", V, put1(QUOTE, OA.suffix, Literal("後", lang="ja")), "@ja"),
    # concepts
    Case("Concept-prefLabel", V, _duplicate_concept_label, "two @ja"),
    # rules.ttl
    _derived("ckg:Meeting"),
    _derived("ckg:AgendaItem"),
    _derived("ckg:Remark"),
    _derived("ckg:Agreement"),
    _derived("ckg:Appeal"),
    _derived("ckg:DispatchRequest"),
    _derived("org:Membership"),
    Case(
        "DerivedFromPassage",
        V,
        add1(REMARK, PROV.wasDerivedFrom, lambda g: node(g, SOURCE)),
        "not a passage",
    ),
    Case("DispatchCommitteesDiffer", V, _same_committees, "same committee"),
    Case("EndAfterStart", V, _swap_times, "swapped"),
    Case("TimesOnSessionDate", V, _start_next_day, "next day"),
    Case("MeetingIriMatchesFacts", V, _other_date, "date changed"),
    Case("WeekdayMatchesDate", W, _wrong_weekday, "next weekday"),
    Case("ChairIsPresent", V, _chair_absent, "chair not present"),
    Case("OneChairperson", V, _two_chairpersons, "two 委員長"),
    Case("ChairMatchesRoles", W, _chair_is_ordinary_member, "chair is a 委員"),
    Case("ChairMatchesRoles", W, drop_all(MEETING, CKG.chair), "委員長 present, no chair"),
    Case("MembershipsMatchAttendance", V, _membership_missing, "member without membership"),
    Case(
        "MembershipsMatchAttendance",
        V,
        put1(MEMBERSHIP, DCTERMS.date, Literal(datetime.date(2000, 1, 1))),
        "other date",
    ),
    Case("AttendeesOfOrganizer", V, _officer_of_other_committee, "officer of JP-13"),
    Case("AgendaPositionsContiguous", V, _item_position_gap, "gap"),
    Case("RemarkPositionsContiguous", V, _remark_position_duplicate, "duplicate"),
    Case("PositionMatchesIri", V, _swap_item_positions, "swapped"),
    Case("SpeakerAttended", V, _member_speaker_absent, "member not present"),
    Case("SpeakerAttended", V, _unnamed_of_other_session, "unnamed member of another session"),
    Case(
        "OfficerSpeakerAttended",
        W,
        _officer_speaker_unlisted,
        "officer neither present nor presenting",
    ),
    Case("ReplyInSameSession", V, _reply_to_other_session, "other session"),
    Case("ReplyFollowsRemark", V, _reply_to_later, "replies to itself"),
    Case(
        "ItemKindsDisjoint",
        V,
        add1("?x a ckg:Decision", RDF.type, CKG.Report),
        "report and decision",
    ),
    Case(
        "ItemKindMatchesOutcome",
        V,
        put1("?x a ckg:Decision ; ckg:outcome ?o", CKG.outcome, URIRef(ID + "outcome/報告受理")),
        "decision received",
    ),
    Case("DispositionBeforeSession", V, _disposition_on_session_day, "same day"),
    Case(
        "AppealDatesConsistent", V, _receipt_reported_before_disposition, "reported before disposed"
    ),
    Case(
        "AppealAuthorityStated",
        W,
        drop("?x a ckg:Appeal ; ckg:dispositionDate ?d", CKG.disposingAuthority),
        "missing",
    ),
    Case("DispatchInvolvesOrganizer", W, _other_requested_committee, "JP-46 to JP-47"),
    Case("CommitteeCodesAgree", V, _committee_iri_off_notation, "IRI JP-99, notation JP-32"),
    Case("OfficerIriMatchesPost", V, _officer_other_post, "IRI 警務部長, post 刑事部長"),
    Case("SourceIriMatchesHash", V, _other_hash, "other hash"),
    Case("PassageSelectorsAgree", V, _wrong_quote, "exact"),
    Case("PassageSelectorsAgree", V, _shifted_offsets, "start"),
    Case("PassageSelectorsAgree", V, _wrong_prefix, "prefix"),
    Case("TopicLabelled", V, _topic_without_ja_label, "only @en"),
]


# -- the weekday rule, day by day: on rdflib (test_shapes), on pyoxigraph (test_validation_engines)


@cache
def weekday_query() -> str:
    """The weekday rule's SELECT, with the shapes' prefixes: to run on any engine."""
    g = shapes_graph()
    constraint = g.value(CKGSH.WeekdayMatchesDate, SH.sparql)
    select = str(g.value(constraint, SH.select))
    prefixes = "\n".join(
        f"PREFIX {g.value(d, SH.prefix)}: <{g.value(d, SH.namespace)}>"
        for d in g.objects(URIRef("https://w3id.org/committee-kg/shapes"), SH.declare)
    )
    return prefixes + "\n" + select


def calendar_days() -> list[datetime.date]:
    """Every day of 1999–2001 (a leap 2000 between two common years), and the days around
    the turn of the year and of February in every year of Meiji to 2100 (leap years, the
    common years 1900 and 2100)."""
    first = datetime.date(1999, 1, 1)
    days = {first + datetime.timedelta(days=n) for n in range(3 * 365 + 1)}
    for year in range(1868, 2101):
        for month, day in ((1, 1), (2, 28), (2, 29), (3, 1), (12, 31)):
            with contextlib.suppress(ValueError):  # 29 February of a common year
                days.add(datetime.date(year, month, day))
    return sorted(days)
