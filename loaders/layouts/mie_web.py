"""The Mie commission's web pages (三重県公安委員会, 公安委員会定例会議開催概要), 2017 onwards.

    2024/05/15 公安委員会定例会議開催概要          heading: the session's date, western
    1 開催日時  令和6年5月15日(水)13時20分~17時   the end may lack minutes, or be missing
    2 開催場所 / 3 出席委員 山田委員長、川村委員…   when the page states them
    4 開催状況
      1 個別会議(第1部)   ⑴ title(審議:交通部)   / 警察本部から、…審議の上、…を決定した。
      2 全体会議          ⑴ title(報告:警務部)   / 警察本部から、…について報告があった。
                                                   山田委員から「…」旨の発言があった。

Older pages (2017) head their parts 1 審議事項 / 2 報告事項, tag items with the department
only ((1) title(警備部)), and give remarks as label lines (【田村委員長】…).

The tag decides the kind: 報告 → Report; 協議 → Consultation; 審議 → Decision when the
text states what the commission decided (決定した, 議決した, 承認した, 了承した), else
Consultation (discussed without a decision: 「説明があり、協議した」). The outcome is what
the text states: 決定/議決 → 議決, 承認/決裁 → 決裁, 了承, 協議, 報告があった → 報告受理. A
報告 item the commission nevertheless decided (「(報告:警務部) … 審議の上、棄却を決定した」, as
real pages have) is a Decision: the ontology's Decision is an item the commission decided,
and a Report that ends in 議決 breaks the shapes. The tagged department presents the item
through its director (交通部 → 交通部長). Items are numbered within their part, so
``local_number`` is 「part item」 as written (「2 ⑴」). Attendance is often not published:
then the members present are those who speak, in the role they are named by.
"""

from __future__ import annotations

import re
from datetime import date

from ..model import AgendaItem, Member, Minutes, Officer, Remark, Span
from ..normalize import NormalizedText, find_era_dates
from ..page import cut_title, is_chrome, text_lines
from ..phrases import PhraseReader, read_attendance, read_remarks
from ..reading import (
    ROLE_WRITTEN,
    WEEKDAY,
    clock_times,
    read_hours,
    read_weekday,
    settle_chair,
)
from ..registry import register_reader

NAME = "mie-web"
VERSION = "1"
PREFECTURE = "三重県"  # the layout is this commission's own

HEADING = re.compile(
    r"^(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})\s*(?P<rest>\S*(?:公安委員会|会議)\S*)", re.M
)
LABEL = re.compile(
    r"^(?:第?\d+\s*)?(?P<label>開催日時|開催場所|出席委員|開催状況)\s*[:]?\s*(?P<rest>.*)$"
)
PART = re.compile(
    r"^(?P<num>第?\d+)\s*(?P<name>個別会議|全体会議|審議事項|報告事項|協議事項|議決事項)"
    r"(?:\(.*\))?$"
)
PART_KIND = {"審議事項": "審議", "議決事項": "審議", "報告事項": "報告", "協議事項": "協議"}
ITEM = re.compile(r"^(?P<num>\(\d+\))\s*(?P<title>\S.*)$")
# the last bracket of the title: (審議:交通部), (報告:生活安全部・地域部), (警備部)
TAG = re.compile(
    r"\((?:(?P<kind>審議|報告|協議)\s*:\s*)?(?P<depts>[^():]*?(?:部|課|室|本部|センター))\)$"
)
LABEL_REMARK = re.compile(r"^【(?P<who>[^】]+)】\s*(?P<text>\S.*)$")
# What the commission did with an item, strongest first.
DONE = r"(?:した|された|し[、,]|するとともに)"  # 「受理を決定するとともに、調査を指示した」
OUTCOME = (
    (re.compile(r"(?:議決|決定)" + DONE), "議決"),
    (re.compile(r"(?:承認|決裁)" + DONE), "決裁"),
    (re.compile(r"了承" + DONE), "了承"),
    (re.compile(r"協議した"), "協議"),
    (re.compile(r"報告(?:があった|を受けた)"), "報告受理"),
)
DECIDED = {"議決", "決裁", "了承"}


def recognise(text: NormalizedText) -> float:
    t = text.text
    score = 0.0
    if HEADING.search(t[:600]):
        score += 0.4
    if re.search(r"^\(\d+\)\s*\S.*\((?:審議|報告|協議):[^()]*部\)$", t, re.M):
        score += 0.3
    elif re.search(r"^\(\d+\)\s*\S.*\([^():]*部\)$", t, re.M):
        score += 0.15
    if score < 0.3:
        return 0.0
    if re.search(r"^(?:第?\d+\s*)?(?:個別会議|全体会議|審議事項|報告事項)", t, re.M):
        score += 0.1
    if "三重県" in t:
        score += 0.2
    return min(score, 1.0)


class _Parser(PhraseReader):
    name = NAME
    version = VERSION

    def run(self) -> Minutes:
        self.lines = list(text_lines(self.t, 0, len(self.t)))
        first_part = next(
            (
                k
                for k, (_s, _e, line) in enumerate(self.lines)
                if PART.match(line) or ITEM.match(line)
            ),
            len(self.lines),
        )
        header = self.lines[:first_part]
        heading = self.heading(header)
        self.session_date(header, heading)
        self.places(header)
        read_attendance(self.m, header, self.names_at)
        self.m.committee = self.own_committee(PREFECTURE)
        self.items(self.lines[first_part:])
        if not any(self.names_at(line) is not None for *_, line in header):
            self.members_who_spoke()
        return self.m

    # -- header ----------------------------------------------------------------------

    def heading(self, header) -> tuple[date, Span] | None:
        """The 「2024/05/15 公安委員会定例会議開催概要」 line, never a 「2024/05/31 掲載」 one."""
        for s, _e, line in header:
            if m := HEADING.match(line):
                if "臨時" in m.group("rest"):
                    self.m.kind = "臨時会"
                try:
                    value = date(int(m["y"]), int(m["m"]), int(m["d"]))
                except ValueError:
                    self.m.warn(f"the heading's date {m.group(0)!r} is not a calendar date")
                    return None
                return value, Span(s + m.start("y"), s + m.end("d"))
        return None

    def session_date(self, header, heading) -> None:
        """The date of 開催日時 (an era date, with weekday and times), checked against the
        heading's; either alone will do."""
        stated = None
        line_end = 0
        for k, (s, e, line) in enumerate(header):
            lm = LABEL.match(line)
            if not lm or lm.group("label") != "開催日時":
                continue
            start = s + lm.start("rest")
            if not lm.group("rest") and k + 1 < len(header):
                start, e = header[k + 1][:2]
            for d in find_era_dates(self.t, start, e):
                if d.value is None:
                    self.m.warn(f"session date: {d.problem}", Span(d.start, d.end))
                else:
                    stated, line_end = d, e
                break
            break
        if stated is None and heading is None:
            self.m.warn("the session date (heading or 開催日時) is missing")
            return
        if stated and heading and stated.value != heading[0]:
            self.m.warn(
                f"the heading says {heading[0]} but 開催日時 says {stated.value}",
                Span(stated.start, stated.end),
            )
        if stated is None:
            self.m.date, self.m.date_span = heading
            self.m.warn("no 開催日時 line: the start time is missing", heading[1])
            return
        self.m.date, self.m.date_span = stated.value, Span(stated.start, stated.end)
        read_weekday(self.m, WEEKDAY.match(self.t, stated.end))
        read_hours(self.m, clock_times(self.t, stated.end, line_end), Span(stated.end, line_end))

    def places(self, header) -> None:
        self.labelled_places(header, LABEL, ("開催場所",))

    @staticmethod
    def names_at(line: str) -> int | None:
        lm = LABEL.match(line)
        return lm.start("rest") if lm and lm.group("label") == "出席委員" else None

    # -- items -----------------------------------------------------------------------

    def items(self, lines) -> None:
        part: tuple[int, int, str] | None = None  # (start, number end, part name)
        heads = []  # (line index, part)
        end_of_items = len(lines)
        for k, (s, _e, line) in enumerate(lines):
            if is_chrome(line):
                end_of_items = k
                break
            if pm := PART.match(line):
                part = (s, s + pm.end("num"), pm.group("name"))
                heads.append((k, None))
            elif ITEM.match(line):
                heads.append((k, part))
        content_end = lines[end_of_items - 1][1] if end_of_items else 0
        for n, (k, part) in enumerate(heads):
            s, e, line = lines[k]
            if PART.match(line):
                continue
            item_end = lines[heads[n + 1][0]][0] - 1 if n + 1 < len(heads) else content_end
            title = ITEM.match(line)["title"]
            if k == end_of_items - 1 and not TAG.search(title) and cut_title(self.t, title):
                break  # 「(2) 令和」 where the page stops: no item to read
            self.item(line, s, e, max(e, item_end), part)
        if not self.m.items:
            self.m.warn("no ⑴ items found under 開催状況")
        else:
            self.check_ending(content_end)

    def item(self, line: str, s: int, e: int, end: int, part) -> None:
        im = ITEM.match(line)
        title = im.group("title").strip()
        tag = TAG.search(title)
        tag_kind = tag.group("kind") if tag and tag.group("kind") else None
        if tag_kind is None and part:
            tag_kind = PART_KIND.get(part[2])
        if tag:
            title = title[: tag.start()].rstrip()
        elif cut := re.search(r"\s*\([^()]{0,8}$", title):
            title = title[: cut.start()].rstrip()  # 「…について(報告:」: the page stops there
        item = AgendaItem(
            position=len(self.m.items) + 1,
            kind="Report",
            local_number=self.local_number(part, s, s + im.end("num")),
            title=title,
            span=Span(s, end),
        )
        self.m.items.append(item)
        if tag:
            at = s + im.start("title") + tag.start("depts")
            for dept in re.split(r"[・、,]", tag.group("depts")):
                post = dept if dept.endswith("長") else dept + "長"
                item.presenters.append(Officer(post, Span(at, at + len(dept))))
                at += len(dept) + 1
        else:
            self.m.warn(f"item {item.position} names no department ((審議:…部))", item.span)
        body_start = min(e + 1, end)
        remarks_at = min(read_remarks(self.m, item, body_start, end, self.speaker), end)
        remarks_at = min(remarks_at, self.label_remarks(item, body_start, end))
        description = self.t[body_start:remarks_at].strip()
        item.description = description or None
        item.outcome = next((o for rx, o in OUTCOME if rx.search(description)), None)
        if tag_kind == "報告":
            # 「(報告:警務部) … 審議の上、棄却を決定した」: the commission decided it all the same
            item.kind = "Decision" if item.outcome in ("議決", "決裁") else "Report"
        elif tag_kind == "協議":
            item.kind = "Consultation"
        elif tag_kind == "審議":
            item.kind = "Decision" if item.outcome in DECIDED else "Consultation"
        else:
            self.m.warn(f"item {item.position}: neither its tag nor its part says 審議 or 報告")
        if not description:
            self.m.warn(f"item {item.position} ({item.title}) has no text", item.span)

    def members_who_spoke(self) -> None:
        """No 出席委員 line: the members who speak were there, in the role they are named
        by (「田村委員長」), each once; the chair is the 委員長 among them."""
        for r in self.m.remarks:
            name = r.speaker.name
            if r.speaker.kind != "member" or any(x.name == name for x in self.m.members):
                continue
            at = self.t.index(name, r.span.start)
            named = ROLE_WRITTEN.match(self.t, at + len(name))
            role = named.group(0) if named else "委員"
            self.m.members.append(Member(name, role, Span(at, at + len(name) + len(role))))
        settle_chair(self.m)

    def local_number(self, part, s: int, number_end: int) -> str:
        """「2 ⑴」 in the source's own characters (the normalized text has 「(1)」)."""
        src = self.m.text.source
        a, b = self.m.text.to_source(s, number_end)
        number = src[a:b].strip()
        if part is None:
            return number
        pa, pb = self.m.text.to_source(part[0], part[1])
        return f"{src[pa:pb].strip()} {number}"

    def label_remarks(self, item: AgendaItem, start: int, end: int) -> int:
        """Older pages' dialogue: 【田村委員長】… / 【警務部長】…; an officer's line right
        after a member's answers it. Returns where the first one starts (or end)."""
        first = end
        previous: Remark | None = None
        for m in re.finditer(r"[^\n]+", self.t[start:end]):
            lm = LABEL_REMARK.match(m.group(0))
            if not lm:
                previous = None
                continue
            s = start + m.start()
            who, *joint = self.speakers(lm.group("who"))
            answers = previous and who.kind == "officer" and previous.speaker.kind != "officer"
            remark = Remark(
                position=len(self.m.remarks) + 1,
                item=item.position,
                speaker=who,
                text=lm.group("text").strip(),
                span=Span(s, start + m.end()),
                reply_to=previous.position if answers else None,
                joint=joint,
            )
            self.m.remarks.append(remark)
            first = min(first, s)
            previous = remark
        return first


register_reader(
    _Parser,
    description="Mie commission web pages: YYYY/MM/DD heading, ⑴ items tagged (審議:交通部)",
    recognise=recognise,
)
