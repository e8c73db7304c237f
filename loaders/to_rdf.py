"""Stage 4: one session's model becomes one rdflib Graph, IRIs minted by vocab.py's rules.

The graph holds everything the session states, including the labels and types of the
shared nodes it mentions (committee, posts, outcomes), so a per-meeting file stands on its
own. No blank nodes: selectors and memberships get IRIs under the node they belong to.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from rdflib import Graph, Literal, URIRef

from . import defaults, vocab
from .errors import SessionIncomplete
from .model import AgendaItem, Minutes, Span
from .reference import Reference, reference, topics_graph
from .topics import TAGGER_VERSION, Tag
from .vocab import PREFIXES, Minter


class _Terms:
    """A namespace whose terms are each made once: rdflib's make a new URIRef, and check it,
    at every attribute access (150,000 of them for 150 sessions, 15% of writing a graph)."""

    def __init__(self, namespace):
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = getattr(self._namespace, name)
        setattr(self, name, term)  # found as an attribute from now on
        return term


CKG, DCTERMS, OA, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD = map(
    _Terms,
    (
        vocab.CKG,
        vocab.DCTERMS,
        vocab.OA,
        vocab.ORG,
        vocab.PROV,
        vocab.RDF,
        vocab.RDFS,
        vocab.SCHEMA,
        vocab.SKOS,
        vocab.XSD,
    ),
)
DEFAULT_ID = Minter().id
DEFAULT_LICENSE = URIRef(defaults.DEFAULT_LICENSE)
QUOTE_CONTEXT = 16  # characters of prefix/suffix kept on a TextQuoteSelector
ITEM_CLASS = {"Report": CKG.Report, "Decision": CKG.Decision, "Consultation": CKG.Consultation}
UNNAMED_LABEL_JA = "委員（氏名の記載なし）"


def ja(text: str) -> Literal:
    return Literal(text, lang="ja")


def en(text: str) -> Literal:
    return Literal(text, lang="en")


def meeting_iri(minutes: Minutes, minter: Minter) -> URIRef:
    """The meeting's IRI, or SessionIncomplete naming what the document does not state."""
    missing = [w for w, v in (("date", minutes.date), ("committee", minutes.committee)) if not v]
    if missing:
        hint = " (give --committee)" if "committee" in missing else ""
        raise SessionIncomplete(
            f"the session's {' and '.join(missing)} cannot be read{hint}; nothing to store",
            file=minutes.document.path,
        )
    return minter.meeting(minutes.committee, minutes.date, minutes.kind)


class _Builder:
    def __init__(
        self, minutes: Minutes, minter: Minter, ref: Reference, license: URIRef, tags: list[Tag]
    ):
        self.m = minutes
        self.tags = tags
        self.mint = minter
        self.ref = ref
        self.license = license
        # per (authority, disposition date): the receipt-report date of each appeal numbered
        # so far in this session (``appeal_number``)
        self.appeals: dict[tuple[str, ...], list] = {}
        # a graph of one session has no contexts: rdflib's store without them adds a triple
        # in half the time (~1,000 triples a session, most of them passages)
        self.g = Graph(store="SimpleMemory")
        for prefix, ns in PREFIXES.items():
            self.g.bind(prefix, ns, replace=True)
        self.meeting = meeting_iri(minutes, minter)
        self.code = minutes.committee
        self.source = minter.source(minutes.document.sha256)
        self.officers_written: dict[URIRef, str] = {}

    def reference_iri(self, node: URIRef) -> URIRef:
        """The IRI a node has in the reference data, which is written under the default base
        (a deployment's own --base rebases the data, not the files of ontology/)."""
        return URIRef(DEFAULT_ID + str(node)[len(self.mint.id) :])

    def add(self, s, p, o) -> None:
        if o is not None:
            self.g.add((s, p, o))

    # -- provenance --------------------------------------------------------------------

    def passage(self, node: URIRef, span: Span | None) -> None:
        """Point node at the passage it was read from."""
        if span is not None:
            self.g.add((node, PROV.wasDerivedFrom, self.passage_node(span)))

    def passage_node(self, span: Span) -> URIRef:
        """The passage of the normalized text at span, with W3C Web Annotation selectors."""
        text = self.m.text.text
        p = self.mint.under(self.source, "passage", f"{span.start}-{span.end}")
        if (p, RDF.type, CKG.Passage) not in self.g:
            pos, quote = URIRef(f"{p}/position"), URIRef(f"{p}/quote")
            g = self.g
            g.add((p, RDF.type, CKG.Passage))
            g.add((p, RDF.type, OA.SpecificResource))
            g.add((p, OA.hasSource, self.source))
            g.add((p, OA.hasSelector, pos))
            g.add((p, OA.hasSelector, quote))
            g.add((pos, RDF.type, OA.TextPositionSelector))
            g.add((pos, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger)))
            g.add((pos, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger)))
            g.add((quote, RDF.type, OA.TextQuoteSelector))
            g.add((quote, OA.exact, Literal(text[span.start : span.end])))
            g.add(
                (quote, OA.prefix, Literal(text[max(0, span.start - QUOTE_CONTEXT) : span.start]))
            )
            g.add((quote, OA.suffix, Literal(text[span.end : span.end + QUOTE_CONTEXT])))
        return p

    def source_document(self) -> None:
        s, d, g = self.source, self.m.document, self.g
        g.add((s, RDF.type, CKG.SourceDocument))
        g.add((s, RDF.type, PROV.Entity))
        g.add((s, CKG.sha256, Literal(d.sha256)))
        g.add((s, DCTERMS.format, Literal(d.media_type)))
        g.add((s, DCTERMS.license, self.license))
        g.add((s, CKG.normalizedText, Literal(self.m.text.text)))
        g.add((s, RDFS.label, ja(f"会議録 {self.committee_label()} {self.m.date.isoformat()}")))
        if d.url:
            g.add((s, DCTERMS.source, URIRef(d.url)))
        activity = self.mint.under(
            self.source, "conversion", f"{self.m.loader}-{self.m.loader_version}"
        )
        agent = self.mint.loader(self.m.loader, self.m.loader_version)
        g.add((activity, RDF.type, PROV.Activity))
        g.add((activity, PROV.used, s))
        g.add((activity, PROV.wasAssociatedWith, agent))
        g.add(
            (
                activity,
                RDFS.label,
                en(f"conversion by loader {self.m.loader} {self.m.loader_version}"),
            )
        )
        g.add((agent, RDF.type, PROV.SoftwareAgent))
        g.add(
            (
                agent,
                RDFS.label,
                en(f"committee-kg loader {self.m.loader} version {self.m.loader_version}"),
            )
        )
        g.add((self.mint.meeting_graph(self.meeting), PROV.wasGeneratedBy, activity))

    # -- shared nodes ------------------------------------------------------------------

    def committee_label(self, code: str | None = None) -> str:
        c = self.ref.committees.get(code or self.code)
        return c.label_ja if c else (code or self.code)

    def committee(self, code: str) -> URIRef:
        node = self.mint.committee(code)
        self.g.add((node, RDF.type, CKG.Committee))
        for p in (RDFS.label, CKG.prefectureCode, SKOS.notation):
            for o in self.ref.graph.objects(self.reference_iri(node), p):
                self.g.add((node, p, o))
        return node

    def officer(self, written: str) -> URIRef:
        """The post of this commission. Its rdfs:label is the post as this session first
        writes it (本部長: what a reader of these minutes searches for), its skos:prefLabel
        the canonical name in both languages (警察本部長, Chief of Prefectural Police)."""
        post = self.ref.canonical_post(written)
        node = self.mint.officer(self.code, post)
        if node in self.officers_written:
            return node
        self.officers_written[node] = written
        self.g.add((node, RDF.type, CKG.Officer))
        self.g.add((node, RDFS.label, ja(written)))
        self.g.add((node, SKOS.prefLabel, ja(post)))
        post_node = self.mint.post(post)
        self.g.add((node, ORG.role, post_node))
        self.g.add((node, CKG.committee, self.mint.committee(self.code)))
        for label in self.ref.graph.objects(self.reference_iri(post_node), SKOS.prefLabel):
            if label.language == "en":
                self.g.add((node, SKOS.prefLabel, en(f"{label} ({self.code})")))
        return node

    def member(self, surname: str) -> URIRef:
        node = self.mint.member(self.code, surname)
        self.g.add((node, RDF.type, CKG.Member))
        self.g.add((node, SCHEMA.familyName, ja(surname)))
        self.g.add((node, RDFS.label, ja(f"{surname}委員")))
        return node

    def unnamed_member(self) -> URIRef:
        node = self.mint.under(self.meeting, "speaker", "member")
        self.g.add((node, RDF.type, CKG.UnnamedMember))
        self.g.add((node, RDFS.label, ja(UNNAMED_LABEL_JA)))
        self.g.add((node, RDFS.label, en("a member (not named in the minutes)")))
        return node

    def organisation(self, name: str) -> URIRef:
        code = self.ref.committee_by_name(name)
        if code:
            return self.committee(code)
        node = self.mint.org(name)
        self.g.add((node, RDF.type, ORG.Organization))
        self.g.add((node, RDFS.label, ja(name)))
        return node

    def outcome(self, key: str) -> URIRef:
        node = self.mint.outcome(key)
        self.g.add((node, RDF.type, SKOS.Concept))
        for label in self.ref.graph.objects(self.reference_iri(node), SKOS.prefLabel):
            self.g.add((node, SKOS.prefLabel, label))
        return node

    # -- the session -------------------------------------------------------------------

    def build(self) -> Graph:
        m, g, mt = self.m, self.g, self.meeting
        self.source_document()
        committee = self.committee(self.code)
        g.add((mt, RDF.type, CKG.Meeting))
        g.add((mt, SCHEMA.organizer, committee))
        g.add((mt, DCTERMS.date, Literal(m.date, datatype=XSD.date)))
        g.add((mt, CKG.sourceDocument, self.source))
        kind = f"（{m.kind}）" if m.kind else ""
        g.add((mt, RDFS.label, ja(f"{self.committee_label()} {m.date.isoformat()}{kind}")))
        c = self.ref.committees.get(self.code)
        if c:
            g.add(
                (
                    mt,
                    RDFS.label,
                    en(
                        f"{c.label_en}, session of {m.date.isoformat()}"
                        + (f" ({m.kind})" if m.kind else "")
                    ),
                )
            )
        self.add(mt, CKG.sessionKind, ja(m.kind) if m.kind else None)
        self.add(mt, CKG.weekday, ja(m.weekday) if m.weekday else None)
        if m.start:
            g.add((mt, SCHEMA.startDate, Literal(m.start.isoformat(), datatype=XSD.dateTime)))
        if m.end:
            g.add((mt, SCHEMA.endDate, Literal(m.end.isoformat(), datatype=XSD.dateTime)))
        self.passage(mt, m.date_span)
        for place in m.places:
            node = self.mint.place(place.label)
            g.add((node, RDF.type, SCHEMA.Place))
            g.add((node, RDFS.label, ja(place.label)))
            g.add((mt, SCHEMA.location, node))
            self.passage(node, place.span)
        for member in m.members:
            node = self.member(member.name)
            g.add((mt, CKG.memberPresent, node))
            self.passage(node, member.span)
            ms = self.mint.under(mt, "membership", member.name)
            g.add((mt, CKG.membership, ms))
            g.add((ms, RDF.type, ORG.Membership))
            g.add((ms, ORG.member, node))
            g.add((ms, ORG.organization, committee))
            g.add((ms, ORG.role, self.mint.role(member.role)))
            g.add((ms, DCTERMS.date, Literal(m.date, datatype=XSD.date)))
            g.add((ms, RDFS.label, ja(f"{member.name}（{member.role}）{m.date.isoformat()}")))
            self.passage(ms, member.span)
            if member.name == m.chair:
                g.add((mt, CKG.chair, node))
        for officer in m.officers_present:
            node = self.officer(officer.post)
            g.add((mt, CKG.officerPresent, node))
            self.passage(node, officer.span)
        for item in m.items:
            self.item(item)
        for r in m.remarks:
            node = self.mint.under(mt, "remark", str(r.position))
            g.add((node, RDF.type, CKG.Remark))
            g.add((node, SCHEMA.position, Literal(r.position)))
            g.add((node, SCHEMA.text, ja(r.text)))
            g.add((node, DCTERMS.isPartOf, self.mint.under(mt, "item", str(r.item))))
            names = []
            for who in [r.speaker, *r.joint]:
                if who.kind == "member":
                    speaker, name = self.member(who.name), f"{who.name}委員"
                elif who.kind == "officer":
                    speaker, name = self.officer(who.name), who.name
                else:
                    speaker, name = self.unnamed_member(), "委員"
                g.add((node, CKG.speaker, speaker))
                names.append(name)
            g.add((node, RDFS.label, ja(f"発言{r.position}（{'・'.join(names)}）")))
            if r.reply_to:
                g.add((node, CKG.inReplyTo, self.mint.under(mt, "remark", str(r.reply_to))))
            self.passage(node, r.span)
        for t in self.tags:
            self.topic_tag(t)
        return g

    def topic_tag(self, t: Tag) -> None:
        """dcterms:subject, and an oa:Annotation that says why (the words) and how sure."""
        g = self.g
        target = self.mint.under(self.meeting, t.target, str(t.position))
        slug = str(t.topic).rsplit("/", 1)[1]
        topic = self.mint.iri("topic", slug)
        g.add((target, DCTERMS.subject, topic))
        g.add((topic, RDF.type, SKOS.Concept))
        g.add((topic, SKOS.inScheme, self.mint.iri("topic")))
        for o in topics_graph().objects(t.topic, SKOS.prefLabel):
            g.add((topic, SKOS.prefLabel, o))
        a = self.mint.under(target, "annotation", slug)
        g.add((a, RDF.type, OA.Annotation))
        g.add((a, OA.motivatedBy, OA.classifying))
        g.add((a, OA.hasTarget, target))
        g.add((a, OA.hasBody, topic))
        g.add((a, CKG.confidence, Literal(Decimal(str(t.confidence)), datatype=XSD.decimal)))
        agent = self.mint.loader("topic-tagger", TAGGER_VERSION)
        g.add((a, PROV.wasAttributedTo, agent))
        g.add((agent, RDF.type, PROV.SoftwareAgent))
        g.add((agent, RDFS.label, en(f"committee-kg topic tagger version {TAGGER_VERSION}")))
        for span in t.evidence:
            g.add((a, CKG.evidence, self.passage_node(span)))

    def appeal_number(self, key: tuple[str, ...], reported, taken: set[tuple]) -> int:
        """The appeal's number among those against one authority's dispositions of one day.
        Within an item each is another appeal (「…付け（２件）」); in another item of the
        session it is the same appeal again (its receipt, then its decision), unless the
        dates its receipt was reported on differ: two appeals against two dispositions of
        the same day."""
        known = self.appeals.setdefault(key, [])
        for n, was in enumerate(known, 1):
            if (key, n) not in taken and (was is None or reported is None or was == reported):
                known[n - 1] = was or reported
                return n
        known.append(reported)
        return len(known)

    def item(self, item: AgendaItem) -> None:
        g, mt = self.g, self.meeting
        node = self.mint.under(mt, "item", str(item.position))
        g.add((mt, CKG.agendaItem, node))
        g.add((node, RDF.type, CKG.AgendaItem))
        g.add((node, RDF.type, ITEM_CLASS[item.kind]))
        g.add((node, DCTERMS.isPartOf, mt))
        g.add((node, DCTERMS.title, ja(item.title)))
        label = f"{item.local_number} {item.title}" if item.local_number else item.title
        g.add((node, RDFS.label, ja(label)))
        g.add((node, SCHEMA.position, Literal(item.position)))
        self.add(node, CKG.localNumber, Literal(item.local_number) if item.local_number else None)
        self.add(node, SCHEMA.description, ja(item.description) if item.description else None)
        self.add(node, CKG.appealCount, Literal(item.appeal_count) if item.appeal_count else None)
        if item.outcome:
            g.add((node, CKG.outcome, self.outcome(item.outcome)))
        for officer in item.presenters:
            g.add((node, CKG.presentedBy, self.officer(officer.post)))
        self.passage(node, item.span)
        if item.agreement:
            self.agreement(node, item)
        taken: set[tuple] = set()
        for appeal in item.appeals:
            if appeal.disposition_date:
                authority = self.ref.canonical_post(appeal.disposing_authority or "処分庁不明")
                key = (authority, appeal.disposition_date.isoformat())
            else:
                key = ("受理報告", (appeal.receipt_reported_on or self.m.date).isoformat())
            n = self.appeal_number(key, appeal.receipt_reported_on, taken)
            taken.add((key, n))
            a = self.mint.iri("appeal", self.code, *key, str(n))
            g.add((node, CKG.concerns, a))
            g.add((a, RDF.type, CKG.Appeal))
            label = f"審査請求 {key[0]} {key[1]}" + (f" ({n})" if n > 1 else "")
            g.add((a, RDFS.label, ja(label)))
            if appeal.disposition_date:
                g.add((a, CKG.dispositionDate, Literal(appeal.disposition_date, datatype=XSD.date)))
            if appeal.disposing_authority:
                g.add((a, CKG.disposingAuthority, self.officer(appeal.disposing_authority)))
            for prop, value in (
                (CKG.receiptReportedOn, appeal.receipt_reported_on),
                (CKG.receivedOn, appeal.received_on),
                (CKG.opinionReceivedOn, appeal.opinion_received_on),
            ):
                if value:
                    g.add((a, prop, Literal(value, datatype=XSD.date)))
            if appeal.advisory_body:
                g.add((a, CKG.advisoryBody, self.organisation(appeal.advisory_body)))
            self.passage(a, appeal.span)
        requests: Counter[str] = Counter()
        for d in item.dispatch_requests:
            requests[d.requesting] += 1
            n = requests[d.requesting]
            r = self.mint.under(mt, "dispatch-request", d.requesting + (f"-{n}" if n > 1 else ""))
            g.add((node, CKG.concerns, r))
            g.add((r, RDF.type, CKG.DispatchRequest))
            g.add((r, CKG.requestingCommittee, self.committee(d.requesting)))
            g.add((r, CKG.requestedCommittee, self.committee(d.requested)))
            if d.purpose:
                g.add((r, CKG.purpose, ja(d.purpose)))
            g.add(
                (
                    r,
                    RDFS.label,
                    ja(
                        f"援助要求 {self.committee_label(d.requesting)}→"
                        f"{self.committee_label(d.requested)} {self.m.date.isoformat()}"
                    ),
                )
            )
            self.passage(r, d.span)

    def agreement(self, item_node: URIRef, item: AgendaItem) -> None:
        ag = item.agreement
        g = self.g
        parties = sorted(ag.parties)
        if ag.concluded_on and parties:
            node = self.mint.iri(
                "agreement",
                ag.concluded_on.isoformat(),
                "+".join(self.mint.org(p).rsplit("/", 1)[1] for p in parties),
            )
        else:
            node = self.mint.under(item_node, "agreement")
        g.add((item_node, CKG.concerns, node))
        g.add((node, RDF.type, CKG.Agreement))
        g.add(
            (
                node,
                RDFS.label,
                ja(
                    "・".join(parties)
                    + " 協定"
                    + (f" {ag.concluded_on.isoformat()}" if ag.concluded_on else "")
                ),
            )
        )
        for p in parties:
            g.add((node, CKG.party, self.organisation(p)))
        if ag.concluded_on:
            g.add((node, CKG.concludedOn, Literal(ag.concluded_on, datatype=XSD.date)))
        for area in ag.areas:
            g.add((node, CKG.cooperationArea, ja(area)))
        for action in ag.planned_actions:
            g.add((node, CKG.plannedAction, ja(action)))
        self.passage(node, ag.span)


def to_rdf(
    minutes: Minutes,
    minter: Minter | None = None,
    license: URIRef = DEFAULT_LICENSE,
    tags: list[Tag] = (),
) -> Graph:
    """The session's graph (raises SessionIncomplete when no meeting IRI can be minted)."""
    return _Builder(minutes, minter or Minter(), reference(), license, list(tags)).build()
