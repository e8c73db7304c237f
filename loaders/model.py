"""The typed model of one session: what a parser hands to the RDF stage.

Every node carries the span of normalized text it was read from (``Span``), so the RDF
stage can point each fact at its passage. Names are kept as written (surnames, posts);
mapping them to reference nodes is the RDF stage's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from .extract import Document
from .normalize import NormalizedText


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass
class Member:
    name: str  # surname as written
    role: str  # 委員長, 委員, 委員長職務代理者
    span: Span


@dataclass
class Officer:
    post: str  # as written (本部長); the reference data maps aliases
    span: Span


@dataclass
class Place:
    label: str
    span: Span


@dataclass
class Speaker:
    kind: str  # "member", "officer" or "unnamed"
    name: str  # surname, post, or "" for an unnamed member


@dataclass
class Remark:
    position: int  # order in the session, 1..n
    item: int  # position of the agenda item it belongs to
    speaker: Speaker
    text: str
    span: Span
    reply_to: int | None = None  # position of the remark it answers
    # who gave it together with the speaker: 「生活安全部長及び刑事部長から、「…」旨の説明」
    joint: list[Speaker] = field(default_factory=list)


@dataclass
class Agreement:
    parties: list[str]
    concluded_on: date | None
    areas: list[str]
    planned_actions: list[str]
    span: Span


@dataclass
class Appeal:
    span: Span
    disposing_authority: str | None = None
    disposition_date: date | None = None
    receipt_reported_on: date | None = None
    received_on: date | None = None
    advisory_body: str | None = None
    opinion_received_on: date | None = None


@dataclass
class DispatchRequest:
    requesting: str  # committee code, e.g. JP-18
    requested: str
    purpose: str
    span: Span


@dataclass
class AgendaItem:
    position: int
    kind: str  # "Report", "Decision" or "Consultation"
    local_number: str | None  # the document's own numbering (第２ １⑵), None when unnumbered
    title: str
    span: Span
    presenters: list[Officer] = field(default_factory=list)
    description: str | None = None
    outcome: str | None = None  # key in the outcome scheme: 決裁, 了承, 裁決書決裁 …
    appeal_count: int | None = None  # as stated, e.g. （５件）
    agreement: Agreement | None = None
    appeals: list[Appeal] = field(default_factory=list)
    dispatch_requests: list[DispatchRequest] = field(default_factory=list)


@dataclass
class Minutes:
    """One session as a layout parser read it."""

    document: Document
    text: NormalizedText
    loader: str
    loader_version: str
    committee: str | None = None  # ISO 3166-2 code of the commission
    date: date | None = None
    date_span: Span | None = None
    kind: str | None = None  # None for a regular session; 臨時会 …
    weekday: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    places: list[Place] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)
    chair: str | None = None
    officers_present: list[Officer] = field(default_factory=list)
    items: list[AgendaItem] = field(default_factory=list)
    remarks: list[Remark] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str, span: Span | None = None) -> None:
        where = f"line {self.text.line_of(span.start)}: " if span else ""
        self.warnings.append(where + message)
