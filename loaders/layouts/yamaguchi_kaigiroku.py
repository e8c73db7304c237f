"""The Yamaguchi commission's 会議録 PDFs (the seed's layout, 2023 onwards).

    公安委員会会議録                            ← 臨時会 or 緊急 in the title: the kind
    開催日時 令和6年5月8日(水)                  ← the weekday is checked against the date
             自 午後1時30分                     ← the start and (至) the end, a line each
             至 午後3時10分
    開催場所 県警察本部公安委員会室、同会議室   ← 同: the building named before it
    出席者
      公安委員 山田委員長、川村委員、森委員     ← the members; the 委員長 chairs
    第1 審議概要
      本部長、警務部長…及び総務課長同席の上、  ← the officers present
      1 …について                              ← a Report: who explains it, and remarks
        交通部長から、「…」旨の説明があった。
        川村委員から、「…」旨の発言があった。
    第2 決裁・報告
      1 決裁概要  (1) …について  …決裁した。    ← Decisions (審査請求, 援助要求 read too)
      2 報告概要  (1) …について  …報告を受けた。 ← Reports
    第3 協議  …について協議した。               ← a Consultation

The parser reads the normalized text (one logical line per paragraph) and records, for
every node, the span it came from. Numbers are kept as the document writes them
(「第２ １⑵」), read back from the source through the offset map.
"""

from __future__ import annotations

import re

from ..model import Member, Minutes, Place, Span
from ..normalize import NormalizedText, find_era_dates
from ..page import text_lines
from ..phrases import (
    OFFICERS_PRESENT,
    SUB_NUMBER,
    PhraseReader,
    span_of,
)
from ..reading import (
    ATTENDANCE_MEMBER,
    WEEKDAY,
    at,
    clock_of,
    member_role,
    read_weekday,
    settle_chair,
)
from ..registry import register_reader

NAME = "yamaguchi-kaigiroku"
VERSION = "1"

SECTION = re.compile(r"^第(\d+)\s*(.*)$", re.M)
# its own sections by name (another commission's 「第1.議事の概要」 is not this layout)
OWN_SECTION = re.compile(r"^第\d+\s*(?:審議概要|決裁・報告|決裁|報告|協議)", re.M)
ITEM_NUMBER = re.compile(r"^(\d+)(?:\s+|[.、]\s*(?=\D))(\S.*)$")  # 「1 …」「1.…」「1、…」


def recognise(text: NormalizedText) -> float:
    head = text.text[:400]
    score = 0.0
    if "会議録" in head:
        score += 0.25  # a title many commissions use: their sections decide (below)
    if "開催日時" in head:
        score += 0.2
    if "出席者" in text.text[:800]:
        score += 0.2
    if re.search(r"^第1\s*審議概要", text.text, re.M):
        score += 0.2
    if not OWN_SECTION.search(text.text):
        score = min(score, 0.25)  # its 第1/第2/第3 sections are what this reader reads
    return score


class _Parser(PhraseReader):
    name = NAME
    version = VERSION

    # -- driver ----------------------------------------------------------------------

    def run(self) -> Minutes:
        sections = list(SECTION.finditer(self.t))
        header_end = sections[0].start() if sections else len(self.t)
        self.header(0, header_end)
        self.m.committee = self.detect_committee()
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
                self.m.warn(f"section {label} {title!r} is not one this layout knows", span_of(sec))
        self.check_ending()
        if not sections:
            self.m.warn("no 第1/第2/第3 section found: the session has no agenda items")
        return self.m

    # -- header ----------------------------------------------------------------------

    def header(self, start: int, end: int) -> None:
        lines = list(text_lines(self.t, start, end))
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
            read_weekday(self.m, WEEKDAY.match(self.t, d.end))  # (水) (水曜日)
            break
        if self.m.date is None:
            self.m.warn("the session date (開催日時) is missing")
        for _s, _e, line in lines:
            if line.startswith("自") and (tm := clock_of(line[1:])):
                self.m.start = at(self.m.date, tm)
            elif line.startswith("至") and (tm := clock_of(line[1:])):
                self.m.end = at(self.m.date, tm)
        if self.m.start is None:
            self.m.warn("the start time (自 …) is missing")
        self.places(lines)
        self.members(lines)

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
                for mm in ATTENDANCE_MEMBER.finditer(self.t, rest_start, e):
                    name = mm.group("name")
                    span = Span(mm.start(), mm.end())
                    if any(x.name == name for x in self.m.members):
                        self.m.warn(f"member {name} is listed twice", span)
                        continue
                    self.m.members.append(Member(name, member_role(mm.group("role")), span))
                break
        if not self.m.members:
            self.m.warn("no members present (出席者 公安委員 …) found")
        settle_chair(self.m)

    # -- 第1 審議概要 -------------------------------------------------------------------

    def deliberation(self, label: str, start: int, end: int) -> None:
        lines = list(text_lines(self.t, start, end))
        items: list[tuple[int, int, str, str]] = []  # (start, title start, number, title)
        for s, _e, line in lines:
            if not items and (present := OFFICERS_PRESENT.search(line)):
                self.officers_present(s, s + present.start())
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
            self.explained_item(item, body_start, item_end)

    # -- 第2 決裁・報告 -----------------------------------------------------------------

    def decisions_and_reports(self, label: str, start: int, end: int) -> None:
        lines = list(text_lines(self.t, start, end))
        kind, sub = "Report", ()
        heads: list[tuple[int, int, str, str, tuple[int, ...]]] = []
        bounds = [end]  # where an item's text stops: the next item or subsection heading
        for s, _e, line in lines:
            m = ITEM_NUMBER.match(line)
            if m and ("概要" in line or len(m.group(2)) <= 8):
                # a subsection: 1 決裁概要 / 2 報告概要
                kind = "Decision" if "決裁" in m.group(2) or "議決" in m.group(2) else "Report"
                sub = (s, s + m.start(2))
                bounds.append(s)
                continue
            m = SUB_NUMBER.match(line)
            if m:
                heads.append((s, s + m.start(2), kind, m.group(2), sub))
                bounds.append(s)
        for s, ts, kind, title, sub in heads:
            item_end = min(b for b in bounds if b > s)
            number = self.local_number(label, *sub, s, ts)
            item = self.new_item(kind, number, title, Span(s, item_end))
            body_start = self.t.find("\n", ts) + 1 or item_end
            self.brief_item(item, min(body_start, item_end), item_end)
        if not heads:
            self.m.warn(f"section {label} has no (1)… items", Span(start, end))

    # -- 第3 協議 ---------------------------------------------------------------------

    def consultation(self, label: str, sec_start: int, start: int, end: int) -> None:
        subs = [
            (s, e, line) for s, e, line in text_lines(self.t, start, end) if SUB_NUMBER.match(line)
        ]
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
                s1, e1 = self.m.text.to_source(a, a + len(self.t[a:b].rstrip().rstrip(".、")))
                nums.append(src[s1:e1].strip())
            parts.append("".join(nums))
        return " ".join(parts)


register_reader(
    _Parser,
    description="Yamaguchi commission 会議録 (PDF text): 審議概要 / 決裁・報告 / 協議",
    recognise=recognise,
)
