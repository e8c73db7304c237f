"""The fallback for layouts not known yet: what the common phrasings still give away.

It recovers the date (era or western, never a page's 更新日), the times, members (出席委員 …,
and anyone who speaks as ○○委員/○○委員長), officers (同席 lists, posts that speak), items
(numbered or bulleted lines, 「…について報告があった」 sentences) and remarks (「…」旨の発言,
「…」との発言, …旨の意見, label lines such as (山田委員長)). It answers with a low confidence,
so that a loader written for the layout always wins.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from ..model import Member, Minutes, Officer, Remark, Span
from ..normalize import NormalizedText, find_era_dates, parse_clock
from ..phrases import OUTCOMES, PhraseReader, text_lines
from ..registry import register_reader

NAME = "generic"
VERSION = "1"
JST = timezone(timedelta(hours=9))
CONFIDENCE = 0.3

FURNITURE = re.compile(r"^(更新日|作成日|掲載日|最終更新|ページ番号|印刷|このページ)")
WESTERN_DATE = re.compile(
    r"(?P<y>(?:19|20)\d\d)\s*(?:年|/|-)\s*(?P<m>\d{1,2})\s*(?:月|/|-)\s*(?P<d>\d{1,2})"
)
TIME_RANGE = re.compile(
    r"(?P<a>(?:午前|午後)?\s*\d{1,2}\s*(?:時|:)\s*(?:\d{1,2}\s*分?)?)\s*(?:～|~|〜|-|から)\s*"
    r"(?P<b>(?:午前|午後)?\s*\d{1,2}\s*(?:時|:)\s*(?:\d{1,2}\s*分?)?)?"
)
MEMBER_WORD = re.compile(
    r"(?P<name>[^\s、。,「」()]{1,4}?)(?P<role>委員長職務代理者|委員長|委員)(?![会室])"
)
ITEM_LINE = re.compile(r"^(?:(?P<num>\(\d+\)|\d+[.．]?|[○●◯◎■□・])\s*)(?P<title>\S.*)$")
REPORTED = re.compile(
    r"(?P<title>[^、。]+?)について、?(?P<who>[^、。\s]+?)から(?:説明|報告)があった"
)
QUOTED_REMARK = re.compile(
    r"(?P<who>[^\s、。「」()]+?)(?:から|より)、?「(?P<text>[^」]*)」(?:旨|と)の?"
    r"(?P<verb>発言|意見|質問|要望|説明|回答)があ"
)
PRESENTER = re.compile(r"^(?P<who>[^\s、。「」()]+?)から(?:、|の?説明|の?報告)")
MEMBER_SPEAKER = re.compile(r"^(?P<name>\S+?)(?P<role>委員長職務代理者|委員長|委員)$")
LABEL_LINE = re.compile(r"^\((?P<who>[^()]+?(?:委員長|委員|部長|課長|官))\)\s*(?P<text>.*)$")


def recognise(text: NormalizedText) -> float:
    head = text.text[:1500]
    has_date = any(d.value for d in find_era_dates(head)) or WESTERN_DATE.search(head)
    return CONFIDENCE if "公安委員会" in head and has_date else 0.0


class _Parser(PhraseReader):
    name = NAME
    version = VERSION

    def run(self) -> Minutes:
        lines = [ln for ln in text_lines(self.t, 0, len(self.t)) if not FURNITURE.match(ln[2])]
        self.session_date(lines)
        self.session_times(lines)
        self.m.committee = self.detect_committee() or self.committee_in_text()
        self.attendance(lines)
        self.items_and_remarks(lines)
        self.outcomes()
        self.members_from_speakers()
        if not self.m.items:
            self.m.warn("no agenda items recognised")
        return self.m

    def session_date(self, lines) -> None:
        for s, e, _ in lines[:15]:
            for d in find_era_dates(self.t, s, e):
                if d.value:
                    self.m.date, self.m.date_span = d.value, Span(d.start, d.end)
                    return
            if m := WESTERN_DATE.search(self.t, s, e):
                try:
                    self.m.date = date(int(m["y"]), int(m["m"]), int(m["d"]))
                except ValueError:
                    continue
                self.m.date_span = Span(m.start(), m.end())
                return
        self.m.warn("no session date found near the top of the document")

    def session_times(self, lines) -> None:
        if not self.m.date:
            return
        for _s, _e, line in lines[:20]:
            if m := TIME_RANGE.search(line):
                a, b = parse_clock(m["a"]), parse_clock(m["b"] or "")
                if a:
                    self.m.start = datetime.combine(self.m.date, a, JST)
                    if b:
                        self.m.end = datetime.combine(self.m.date, b, JST)
                    return

    def committee_in_text(self) -> str | None:
        m = re.search(r"([^\s、。]{2,3}?[都道府県])公安委員会", self.t[:800])
        code = self.ref.committee_by_name(m.group(1)) if m else None
        if code is None and "国家公安委員会" in self.t[:800]:
            code = "JP"
        if code is None:
            self.m.warn("the commission cannot be told (give --committee or --url)")
        return code

    def attendance(self, lines) -> None:
        for s, e, line in lines:
            if "出席" in line and ("委員" in line) and not self.m.members:
                for m in MEMBER_WORD.finditer(self.t, s, e):
                    if m["name"] in ("出席", "公安") or self.ref.looks_like_post(m.group(0)):
                        continue
                    self.add_member(m["name"], m["role"], Span(m.start(), m.end()))
            if "同席" in line and not self.m.officers_present:
                self.officers_present(s, s + line.index("同席"))

    def add_member(self, name: str, role: str, span: Span) -> None:
        if not any(x.name == name for x in self.m.members):
            self.m.members.append(Member(name, role, span))

    def items_and_remarks(self, lines) -> None:
        current = None
        for s, e, line in lines:
            if self.m.date_span and s <= self.m.date_span.start < e:
                continue
            if (m := ITEM_LINE.match(line)) and not line.endswith("。") and len(line) < 80:
                current = self.new_item(self.kind_of(line), m["num"], m["title"], Span(s, e))
                continue
            if m := REPORTED.search(line):
                current = self.new_item(
                    "Report", None, m["title"], Span(s + m.start(), s + m.end())
                )
                if self.ref.looks_like_post(m["who"]):
                    current.presenters.append(
                        Officer(m["who"], Span(s + m.start("who"), s + m.end("who")))
                    )
            elif (
                current
                and not current.presenters
                and (p := PRESENTER.match(line))
                and self.ref.looks_like_post(p["who"])
            ):
                current.presenters.append(Officer(p["who"], Span(s, s + p.end("who"))))
            if current is None:
                continue
            for m in QUOTED_REMARK.finditer(line):
                self.remark(current.position, m["who"], m["text"], Span(s + m.start(), s + m.end()))
            if m := LABEL_LINE.match(line):
                self.remark(current.position, m["who"], m["text"], Span(s, e))

    def outcomes(self) -> None:
        """What each item's text says was done with it (決裁した, 議決した …); a decision
        when the commission decided, a report otherwise."""
        starts = [i.span.start for i in self.m.items] + [len(self.t)]
        for item, end in zip(self.m.items, starts[1:], strict=True):
            body = self.t[item.span.start : end]
            item.outcome = next((o for phrase, o in OUTCOMES if phrase in body), None)
            if item.outcome in ("決裁", "議決", "裁決書決裁"):
                item.kind = "Decision"
            elif item.outcome is None and item.presenters:
                item.outcome = "報告受理"

    def kind_of(self, line: str) -> str:
        return "Decision" if re.search(r"議題|審議|決裁|議決", line) else "Report"

    def remark(self, item: int, who: str, text: str, span: Span) -> None:
        """A remark; an officer speaking right after a member of the same item answers them."""
        parts = self.joint_parts(who)
        speaker, *joint = given_by = [self.speaker(part) for part in parts]
        before = self.m.remarks[-1] if self.m.remarks else None
        answers = (
            speaker.kind == "officer"
            and before
            and before.item == item
            and before.speaker.kind != "officer"
        )
        self.m.remarks.append(
            Remark(
                position=len(self.m.remarks) + 1,
                item=item,
                speaker=speaker,
                text=text,
                span=span,
                reply_to=before.position if answers else None,
                joint=joint,
            )
        )
        for part, one in zip(parts, given_by, strict=True):
            if one.kind == "member" and (m := MEMBER_SPEAKER.match(part)):
                self.add_member(m["name"], m["role"], span)

    def members_from_speakers(self) -> None:
        chairs = [x for x in self.m.members if x.role == "委員長"]
        if chairs:
            self.m.chair = chairs[0].name


register_reader(
    _Parser,
    description="any other layout: date, times, members, officers, items and remarks "
    "from the common phrasings",
    recognise=recognise,
)
