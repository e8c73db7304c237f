"""The layout of the Yamaguchi commission's 会議録 PDFs (the seed, 2023 onwards).

    公安委員会会議録 / 開催日時 自…至… / 開催場所 / 出席者 公安委員 …
    第1 審議概要   officers present, then numbered reports with explanation and remarks
    第2 決裁・報告  1 決裁概要 (1)… decisions, 2 報告概要 (1)… reports
    第3 協議       consultation

The parser reads the normalized text (one logical line per paragraph) and records, for
every node, the span it came from.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from ..extract import Document
from ..model import (
    AgendaItem,
    Agreement,
    Appeal,
    DispatchRequest,
    Member,
    Minutes,
    Officer,
    Place,
    Remark,
    Span,
    Speaker,
)
from ..normalize import NormalizedText, find_era_dates, parse_clock
from ..reference import reference
from ..registry import Loader, register

NAME = "yamaguchi-kaigiroku"
VERSION = "1"
JST = timezone(timedelta(hours=9))

SECTION = re.compile(r"^第(\d+)\s*(.*)$", re.M)
ITEM_NUMBER = re.compile(r"^(\d+)\s+(\S.*)$")
SUB_NUMBER = re.compile(r"^\((\d+)\)\s*(.*)$")
MEMBER = re.compile(r"(\S+?)(委員長職務代理者|委員長|委員)(?=\s|$)")
SPEAKER_CLAUSE = re.compile(r"(?:^|(?<=[、。\n]))(?P<who>[^\s、。「」()]+?)から、")
CLOSING = re.compile(r"旨の(?P<verb>発言|説明|意見|質問|回答|要望|報告)があ(?P<cont>り、|った。?)")
COUNT = re.compile(r"\((\d+)件\)")
DISPOSITION = re.compile(r"付け(?:\((\d+)件\))?")
AUTHORITY = re.compile(r"付けで(?P<who>[^、。\s]+?)が行った処分")
AUTHORITY_BEFORE = re.compile(r"(?:^|、)(?P<who>[^、。\s]+?)が[^。]*?付けで行った処分")
RECEIPT_REPORTED = re.compile(r"に受理の報告を受け")
RECEIPT_NOW = re.compile(r"審査請求を受理した旨の報告")
ADVISORY = re.compile(r"(?:、|^)(?P<body>[^、。\s]+?(?:審査会|審議会))(?:から|の)答申")
PURPOSE = re.compile(r"(?P<p>[^、。]*?)(?:に従事させるため|のため)")
AGREEMENT_PARTIES = re.compile(r"(?P<a>[^、。\s]+?)と(?P<b>[^、。\s]+?)(?:が|は)[^。]*?協定を締結")
AGREEMENT_TITLE = re.compile(r"^(?P<b>.+?)との(?:[^、。\s]*?)協定")
AREAS = re.compile(r"連携事項|協力事項|連携内容|協定の内容|連携・協力事項")
PLANNED = re.compile(r"今後の取組|今後の予定|今後の活動")
CONCLUDED = re.compile(r"締結日")
OUTCOMES = (  # the phrase that ends an item, and the outcome it states; first match wins
    ("裁決書を決裁", "裁決書決裁"),
    ("了承した", "了承"),
    ("議決した", "議決"),
    ("決裁した", "決裁"),
    ("報告を受けた", "報告受理"),
    ("協議した", "協議"),
)


def recognise(text: NormalizedText) -> float:
    head = text.text[:400]
    score = 0.0
    if "会議録" in head:
        score += 0.4
    if "開催日時" in head:
        score += 0.2
    if "出席者" in text.text[:800]:
        score += 0.2
    if re.search(r"^第1\s*審議概要", text.text, re.M):
        score += 0.2
    return score


def parse(document: Document, text: NormalizedText) -> Minutes:
    return _Parser(document, text).run()


register(
    Loader(
        name=NAME,
        version=VERSION,
        description="Yamaguchi commission 会議録 (PDF text): 審議概要 / 決裁・報告 / 協議",
        recognise=recognise,
        parse=parse,
    )
)


class _Parser:
    def __init__(self, document: Document, text: NormalizedText):
        self.t = text.text
        self.ref = reference()
        self.m = Minutes(document=document, text=text, loader=NAME, loader_version=VERSION)

    # -- driver ----------------------------------------------------------------------

    def run(self) -> Minutes:
        sections = list(SECTION.finditer(self.t))
        header_end = sections[0].start() if sections else len(self.t)
        self.header(0, header_end)
        self.m.committee = self.m.document.committee or self.detect_committee()
        for k, sec in enumerate(sections):
            end = sections[k + 1].start() if k + 1 < len(sections) else len(self.t)
            label = self.t[sec.start() : sec.start(2)].strip()
            title = sec.group(2)
            body = (sec.end() + 1, end)
            if "審議" in title:
                self.deliberation(label, *body)
            elif "決裁" in title or "報告" in title:
                self.decisions_and_reports(label, *body)
            elif "協議" in title:
                self.consultation(label, sec.start(), *body)
            else:
                self.m.warn(f"section {label} {title!r} is not one this layout knows", _span(sec))
        if not sections:
            self.m.warn("no 第1/第2/第3 section found: the session has no agenda items")
        return self.m

    # -- header ----------------------------------------------------------------------

    def header(self, start: int, end: int) -> None:
        lines = list(_lines(self.t, start, end))
        if lines:
            title = lines[0][2]
            for kind in ("臨時会", "臨時", "緊急"):
                if kind in title:
                    self.m.kind = "臨時会" if kind == "臨時" else kind
                    break
        for d in find_era_dates(self.t, start, end):
            if d.problem:
                self.m.warn(f"session date: {d.problem}", Span(d.start, d.end))
                continue
            self.m.date, self.m.date_span = d.value, Span(d.start, d.end)
            wd = re.match(r"\s*\((.)\)", self.t[d.end : d.end + 5])
            if wd:
                self.m.weekday = wd.group(1)
            break
        if self.m.date is None:
            self.m.warn("the session date (開催日時) is missing")
        for _s, _e, line in lines:
            if line.startswith("自") and (tm := parse_clock(line[1:])):
                self.m.start = self._at(tm)
            elif line.startswith("至") and (tm := parse_clock(line[1:])):
                self.m.end = self._at(tm)
        if self.m.start is None:
            self.m.warn("the start time (自 …) is missing")
        self.places(lines)
        self.members(lines)

    def _at(self, tm):
        return datetime.combine(self.m.date, tm, JST) if self.m.date else None

    def places(self, lines) -> None:
        for k, (s, _e, line) in enumerate(lines):
            if line.startswith("開催場所"):
                rest = line[len("開催場所") :].strip()
                if rest:
                    s2, text = s + line.index(rest), rest
                elif k + 1 < len(lines):
                    s2, _, text = lines[k + 1]
                else:
                    break
                offset = s2
                previous = ""
                for part in text.split("、"):
                    label = part.strip()
                    if label.startswith("同") and previous:
                        org = re.match(r"^(.*?(?:本部|庁舎|警察署|庁))", previous)
                        label = (org.group(1) if org else "") + label[1:]
                    if label:
                        self.m.places.append(Place(label, Span(offset, offset + len(part))))
                        previous = label
                    offset += len(part) + 1
                return
        self.m.warn("the place (開催場所) is missing")

    def members(self, lines) -> None:
        for s, e, line in lines:
            if line.startswith("公安委員") and not line.startswith("公安委員会"):
                rest_start = s + len("公安委員")
                for mm in MEMBER.finditer(self.t, rest_start, e):
                    name = mm.group(1)
                    span = Span(mm.start(), mm.end())
                    if any(x.name == name for x in self.m.members):
                        self.m.warn(f"member {name} is listed twice", span)
                        continue
                    self.m.members.append(Member(name, mm.group(2), span))
                break
        if not self.m.members:
            self.m.warn("no members present (出席者 公安委員 …) found")
        chairs = [x for x in self.m.members if x.role == "委員長"] or [
            x for x in self.m.members if x.role == "委員長職務代理者"
        ]
        if chairs:
            self.m.chair = chairs[0].name

    def detect_committee(self) -> str | None:
        """The commission, from the place (…県警察本部) or 「…県公安委員会事務」: never from
        the first 「…県公安委員会」, which in the seed is another prefecture's."""
        for place in self.m.places:
            for pref in sorted(self.ref.prefectures(), key=len, reverse=True):
                if place.label.startswith(pref + "警察"):
                    return self.ref.committee_by_name(pref)
        m = re.search(r"([^、。\s]{2,3}[都道府県])公安委員会事務", self.t)
        if m:
            return self.ref.committee_by_name(m.group(1))
        return None

    # -- 第1 審議概要 -------------------------------------------------------------------

    def deliberation(self, label: str, start: int, end: int) -> None:
        lines = list(_lines(self.t, start, end))
        items: list[tuple[int, int, str, str]] = []  # (start, title start, number, title)
        for s, _e, line in lines:
            if "同席の上" in line and not items:
                self.officers_present(s, s + line.index("同席の上"))
                continue
            m = ITEM_NUMBER.match(line)
            if m:
                items.append((s, s + m.start(2), m.group(1), m.group(2)))
        if not self.m.officers_present:
            self.m.warn("no officers present (…同席の上) found in 審議概要", Span(start, end))
        for k, (s, ts, _number, title) in enumerate(items):
            item_end = items[k + 1][0] if k + 1 < len(items) else end
            body_start = self.t.find("\n", ts)
            body_start = item_end if body_start < 0 or body_start > item_end else body_start + 1
            item = self.new_item(
                "Report", self.local_number(label, s, ts), title, Span(s, item_end)
            )
            self.deliberation_item(item, body_start, item_end)

    def officers_present(self, start: int, end: int) -> None:
        pos = start
        for part in re.split(r"、|及び", self.t[start:end]):
            post = part.strip()
            if post:
                at = self.t.index(post, pos)
                self.m.officers_present.append(Officer(post, Span(at, at + len(post))))
                pos = at + len(post)

    def deliberation_item(self, item: AgendaItem, start: int, end: int) -> None:
        body = self.t[start:end]
        pos = start
        first = SPEAKER_CLAUSE.match(body)
        if first and self.speaker(first.group("who")).kind == "officer":
            item.presenters.append(Officer(first.group("who"), _span(first, start)))
            desc_start = start + first.end()
            if self.t.startswith("「", desc_start):
                close = _close_quote(self.t, desc_start)
                desc = (desc_start + 1, close)
                after = CLOSING.match(self.t, close + 1)
                pos = after.end() if after else close + 1
            else:
                closing = re.compile(r"(?:^|\n)旨の説明があった。?").search(self.t, desc_start, end)
                if closing is None:
                    closing = CLOSING.search(self.t, desc_start, end)
                desc = (desc_start, closing.start() if closing else end)
                pos = closing.end() if closing else end
            item.description = self.t[desc[0] : desc[1]].strip()
            self.agreement(item, *desc)
        self.remarks(item, pos, end)

    def remarks(self, item: AgendaItem, start: int, end: int) -> None:
        previous: Remark | None = None
        chained = False
        for m in SPEAKER_CLAUSE.finditer(self.t, start, end):
            q = m.end()
            if not self.t.startswith("「", q):
                continue
            close = _close_quote(self.t, q)
            if close >= end:
                self.m.warn("a remark's quote is never closed", Span(m.start(), end))
                close = end
            closing = CLOSING.match(self.t, close + 1)
            remark_end = closing.end() if closing else close + 1
            remark = Remark(
                position=len(self.m.remarks) + 1,
                item=item.position,
                speaker=self.speaker(m.group("who")),
                text=self.t[q + 1 : close],
                span=Span(m.start(), remark_end),
                reply_to=previous.position if chained and previous else None,
            )
            self.m.remarks.append(remark)
            previous = remark
            chained = bool(closing and closing.group("cont") == "り、")

    def speaker(self, who: str) -> Speaker:
        if who == "委員":
            return Speaker("unnamed", "")
        mm = re.fullmatch(r"(\S+?)(委員長職務代理者|委員長|委員)", who)
        if mm and not self.ref.looks_like_post(who):
            return Speaker("member", mm.group(1))
        return Speaker("officer", who)

    def agreement(self, item: AgendaItem, start: int, end: int) -> None:
        if "協定" not in item.title and "協定を締結" not in self.t[start:end]:
            return
        parties: list[str] = []
        if m := AGREEMENT_PARTIES.search(self.t, start, end):
            parties = [m.group("a"), m.group("b")]
        elif m := AGREEMENT_TITLE.match(item.title):
            # 「X との協定」: the other party is the prefecture's police
            c = self.ref.committees.get(self.m.committee or "")
            parties = (
                [f"{c.prefecture}警察", m.group("b")] if c and c.prefecture else [m.group("b")]
            )
        parts = _sub_parts(self.t, start, end)
        concluded = None
        areas: list[str] = []
        planned: list[str] = []
        for title, ps, pe in parts:
            if CONCLUDED.search(title):
                dates = [d for d in find_era_dates(self.t, ps, pe) if d.value]
                concluded = dates[0].value if dates else None
            elif AREAS.search(title):
                areas = _bullets(self.t, ps, pe)
            elif PLANNED.search(title):
                planned = _bullets(self.t, ps, pe)
        if not parties:
            self.m.warn("an agreement whose parties are not stated", item.span)
        item.agreement = Agreement(parties, concluded, areas, planned, Span(start, end))

    # -- 第2 決裁・報告 -----------------------------------------------------------------

    def decisions_and_reports(self, label: str, start: int, end: int) -> None:
        lines = list(_lines(self.t, start, end))
        kind, sub = "Report", ()
        heads: list[tuple[int, int, str, str, tuple[int, ...]]] = []
        for s, _e, line in lines:
            m = ITEM_NUMBER.match(line)
            if m and ("概要" in line or len(m.group(2)) <= 8):
                # a subsection: 1 決裁概要 / 2 報告概要
                kind = "Decision" if "決裁" in m.group(2) or "議決" in m.group(2) else "Report"
                sub = (s, s + m.start(2))
                continue
            m = SUB_NUMBER.match(line)
            if m:
                heads.append((s, s + m.start(2), kind, m.group(2), sub))
        for k, (s, ts, kind, title, sub) in enumerate(heads):
            item_end = heads[k + 1][0] if k + 1 < len(heads) else end
            number = self.local_number(label, *sub, s, ts)
            item = self.new_item(kind, number, title, Span(s, item_end))
            body_start = self.t.find("\n", ts) + 1 or item_end
            self.brief_item(item, min(body_start, item_end), item_end)
        if not heads:
            self.m.warn(f"section {label} has no (1)… items", Span(start, end))

    def brief_item(self, item: AgendaItem, start: int, end: int) -> None:
        body = self.t[start:end]
        for m in SPEAKER_CLAUSE.finditer(self.t, start, end):
            who = m.group("who")
            if self.ref.looks_like_post(who):
                item.presenters.append(Officer(who, _span(m)))
        if body.strip():
            item.description = body.strip()
        item.outcome = next((o for phrase, o in OUTCOMES if phrase in body), None)
        if c := COUNT.search(item.title):
            item.appeal_count = int(c.group(1))
        if "審査請求" in body:
            self.appeals(item, start, end)
        if "援助要求" in body:
            self.dispatch(item, start, end)

    def appeals(self, item: AgendaItem, start: int, end: int) -> None:
        """One clause per mention of 審査請求: the dispositions it names (付け, with counts),
        the date its receipt was reported, and the disposing authority."""
        appeals: list[Appeal] = []
        clause_start = start
        for mention in re.finditer("審査請求", self.t[start:end]):
            clause_end = start + mention.start()
            dispositions, reported = [], None
            for d in find_era_dates(self.t, clause_start, clause_end):
                if d.value is None:
                    self.m.warn(f"appeal date: {d.problem}", Span(d.start, d.end))
                    continue
                after = self.t[d.end : d.end + 30]
                if m := DISPOSITION.match(after):
                    dispositions += [(d, d.end + m.end())] * int(m.group(1) or 1)
                elif RECEIPT_REPORTED.match(after):
                    reported = d
            who = AUTHORITY.search(self.t, clause_start, clause_end) or AUTHORITY_BEFORE.search(
                self.t, clause_start, clause_end
            )
            for d, d_end in dispositions:
                appeals.append(
                    Appeal(
                        span=Span(reported.start if reported else d.start, d_end),
                        disposing_authority=who.group("who") if who else None,
                        disposition_date=d.value,
                        receipt_reported_on=reported.value if reported else None,
                    )
                )
            if reported and not dispositions:
                appeals.append(
                    Appeal(
                        span=Span(reported.start, reported.end), receipt_reported_on=reported.value
                    )
                )
            clause_start = start + mention.end()
        if RECEIPT_NOW.search(self.t, start, end):
            for a in appeals:
                a.receipt_reported_on = a.receipt_reported_on or self.m.date
        if advisory := ADVISORY.search(self.t, start, end):
            for a in appeals:
                a.advisory_body = advisory.group("body")
        if not appeals:
            self.m.warn("an appeal (審査請求) with no date that identifies it", item.span)
        if item.appeal_count and item.appeal_count != len(appeals):
            self.m.warn(
                f"the item states {item.appeal_count} appeals but {len(appeals)} are dated",
                item.span,
            )
        item.appeals = appeals

    def dispatch(self, item: AgendaItem, start: int, end: int) -> None:
        """援助要求: 「A公安委員会からの…」 is a request to us, 「A及びB公安委員会に対する…」
        one we make; purpose from 「…に従事させるため」."""
        own = self.m.committee
        names = self.committee_names()
        for sentence in re.finditer(r"[^。]*援助要求[^。]*。?", self.t[start:end]):
            s0, s1 = start + sentence.start(), start + sentence.end()
            pending: list[str] = []
            found: list[tuple[str, bool]] = []  # (other committee, request made to us)
            for m in names.finditer(self.t, s0, s1):
                code = self.ref.committee_by_name(m.group(0))
                after = self.t[m.end() : m.end() + 5]
                if after.startswith(("及び", "、", "並びに")):
                    pending.append(code)
                    continue
                if after.startswith("から"):
                    found += [(c, True) for c in [*pending, code]]
                elif after.startswith(("に対", "へ")):
                    found += [(c, False) for c in [*pending, code]]
                pending = []
            purpose = ""
            if p := PURPOSE.search(self.t, s0, s1):
                purpose = re.sub(r"^.*(?:からの|に対する|への)", "", p.group("p"))
                purpose = names.sub("", purpose).strip("のをに及び、 ")
            for code, incoming in found:
                if own is None or code == own:
                    continue
                item.dispatch_requests.append(
                    DispatchRequest(
                        requesting=code if incoming else own,
                        requested=own if incoming else code,
                        purpose=purpose,
                        span=Span(s0, s1),
                    )
                )
            if not found:
                self.m.warn(
                    "a dispatch request (援助要求) whose committees cannot be read", Span(s0, s1)
                )

    def committee_names(self) -> re.Pattern:
        labels = sorted(
            (c.label_ja for c in self.ref.committees.values() if c.label_ja), key=len, reverse=True
        )
        return re.compile("|".join(map(re.escape, labels)))

    # -- 第3 協議 ---------------------------------------------------------------------

    def consultation(self, label: str, sec_start: int, start: int, end: int) -> None:
        subs = [(s, e, line) for s, e, line in _lines(self.t, start, end) if SUB_NUMBER.match(line)]
        if subs:
            for k, (s, e, line) in enumerate(subs):
                item_end = subs[k + 1][0] if k + 1 < len(subs) else end
                m = SUB_NUMBER.match(line)
                item = self.new_item(
                    "Consultation",
                    self.local_number(label, s, s + m.start(2)),
                    m.group(2),
                    Span(s, item_end),
                )
                self.brief_item(item, e + 1, item_end)
            return
        body = self.t[start:end].strip()
        if not body:
            self.m.warn(f"section {label} (協議) is empty", Span(sec_start, end))
            return
        m = re.match(r"(.+?)(?:について|に関し)", body)
        title = m.group(1) if m else body.rstrip("。")
        item = self.new_item("Consultation", self.local_number(label), title, Span(start, end))
        self.brief_item(item, start, end)

    # -- helpers ---------------------------------------------------------------------

    def new_item(self, kind: str, number: str, title: str, span: Span) -> AgendaItem:
        item = AgendaItem(
            position=len(self.m.items) + 1,
            kind=kind,
            local_number=number,
            title=title.strip(),
            span=span,
        )
        self.m.items.append(item)
        return item

    def local_number(self, section_label: str, *number_spans: int) -> str:
        """The document's own numbering, in its own characters (第２ １⑵), read back from
        the source through the offset map."""
        src = self.m.text.source
        sec = self.t.index(section_label)
        s0, e0 = self.m.text.to_source(sec, sec + len(section_label))
        parts = [src[s0:e0]]
        if number_spans:
            # pairs of (line start, title start): the number is what lies between them
            nums = []
            for k in range(0, len(number_spans) - 1, 2):
                a, b = number_spans[k], number_spans[k + 1]
                s1, e1 = self.m.text.to_source(a, a + len(self.t[a:b].rstrip()))
                nums.append(src[s1:e1].strip())
            parts.append("".join(nums))
        return " ".join(parts)


def _lines(text: str, start: int, end: int):
    """(start, end, line) for each line of text[start:end]."""
    pos = start
    for line in text[start:end].split("\n"):
        if line.strip():
            yield pos, pos + len(line), line
        pos += len(line) + 1


def _span(m: re.Match, base: int = 0) -> Span:
    return Span(base + m.start(), base + m.end())


def _close_quote(text: str, open_at: int) -> int:
    """Index of the 」 closing the 「 at open_at (nested quotes allowed), or len(text)."""
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "「":
            depth += 1
        elif text[i] == "」":
            depth -= 1
            if depth == 0:
                return i
    return len(text)


def _sub_parts(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """The (1)…(n) parts of an explanation: (title, content start, content end)."""
    heads = [(s, e, line) for s, e, line in _lines(text, start, end) if SUB_NUMBER.match(line)]
    parts = []
    for k, (_s, e, line) in enumerate(heads):
        part_end = heads[k + 1][0] if k + 1 < len(heads) else end
        parts.append((SUB_NUMBER.match(line).group(2), min(e + 1, part_end), part_end))
    return parts


def _bullets(text: str, start: int, end: int) -> list[str]:
    out = []
    for _, _, line in _lines(text, start, end):
        m = re.match(r"^[○●◯・]\s*(.+)$", line)
        if m:
            out.append(m.group(1).strip())
    return out
