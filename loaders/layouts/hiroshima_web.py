"""The Hiroshima commission's web pages (広島県公安委員会, 定例会議の開催概要), 2014 onwards.

    定例会議の開催概要(令和6年5月8日)                  title (臨時会議の… for an extra session)
    令和6年5月8日(水曜日) 午後1時30分～午後3時10分     the date line: weekday and times
    場所：… / 出席委員 中島委員長、藤井委員、…            when the page states them
    【議題】 ○title / …説明を受け、案のとおり議決した。  Decision: 議決 / 了承 / 決裁
    【報告】 ○title / …報告を受けた。                    Report: 報告受理 (or 了承)
             《委員の発言等》
             委員から、「…」旨の発言があり、警察側から、「…」旨の説明があった。

Members speak anonymously (委員から / 委員より): the session's one unnamed member;
「委員長より」 is the chair the attendance names. Pages before 2020 use 「，」 as the comma
(NFKC folds it to ","), put the date and the members in a table (label and value on lines
of their own) and sometimes repeat the attendance below the items. Items are not
numbered, so ``local_number`` is None. The page's 掲載日/更新日 is not the session's date:
the date comes from the title, checked against the date line.
"""

from __future__ import annotations

import re
from datetime import time

from ..model import AgendaItem, Minutes, Span
from ..normalize import ERA_DATE, NormalizedText, find_era_dates
from ..page import is_chrome, text_lines
from ..phrases import PhraseReader, read_attendance, read_remarks
from ..reading import WEEKDAY, clock_times, read_hours, read_weekday
from ..registry import register_reader

NAME = "hiroshima-web"
VERSION = "1"
PREFECTURE = "広島県"  # the layout is this commission's own

TITLE = re.compile(r"^(?:広島県公安委員会\s*)?(?P<kind>定例|臨時)?会議?の開催概要\s*\(")
BLOCK = re.compile(r"^【(?P<block>議題|報告|協議)】$")
BLOCK_KIND = {"議題": "Decision", "報告": "Report", "協議": "Consultation"}
BULLET = re.compile(r"^[○〇◯]\s*(?P<title>\S.*)$")
# a heading whose ○ the page lost: a short line ending as titles do, no sentence
BARE_TITLE = re.compile(r"^(?P<title>[^。、「」]{2,80}について(?:\s*\([^()]*\))*)$")
GROUP = re.compile(r"^《[^》\n]*》$", re.M)  # 《委員の発言等》: the remarks follow
LABEL = re.compile(r"^(?P<label>出席委員|開催場所|場所|開催日時|日時|時間)\s*[:]?\s*(?P<rest>.*)$")
# Lines that end the items: page furniture, and the attendance some pages repeat below them.
ATTENDANCE_LABEL = re.compile(r"出席委員\s*:?\s*")
# How an item ends: the last of these in its explanation states the outcome (None: 審議した).
OUTCOME = re.compile(r"(議決した|決裁した|了承した|報告を受けた|協議した|審議した)")
OUTCOMES = {
    "議決した": "議決",
    "決裁した": "決裁",
    "了承した": "了承",
    "報告を受けた": "報告受理",
    "協議した": "協議",
    "審議した": None,
}


def recognise(text: NormalizedText) -> float:
    t = text.text
    if not re.search(r"^【(?:議題|報告)】$", t, re.M):
        return 0.0
    score = 0.45
    if re.search(r"^[○〇◯]\s*\S", t, re.M):
        score += 0.15
    if re.search(r"(?:議決|了承|決裁)した。", t):
        score += 0.1
    if "開催概要" in t[:300]:
        score += 0.1
    if "広島県" in t:
        score += 0.2
    return min(score, 1.0)


class _Parser(PhraseReader):
    name = NAME
    version = VERSION

    date_line_end = 0  # where the line with the session's date ends

    def run(self) -> Minutes:
        self.lines = list(text_lines(self.t, 0, len(self.t)))
        first_block = next(
            (k for k, (_s, _e, line) in enumerate(self.lines) if BLOCK.match(line)),
            len(self.lines),
        )
        header = self.lines[:first_block]
        self.title(header)
        self.date(header)
        self.times(header)
        self.places(header)
        self.members()
        self.m.committee = self.own_committee(PREFECTURE)
        self.items(self.lines[first_block:])
        return self.m

    # -- header ----------------------------------------------------------------------

    def title(self, header) -> None:
        for _s, _e, line in header:
            if m := TITLE.match(line):
                if m.group("kind") == "臨時":
                    self.m.kind = "臨時会"
                return

    def date(self, header) -> None:
        """The title's date, checked against the date line (the first line that opens with
        an era date); never the 掲載日 or 更新日 the page also shows."""
        found = []  # (value, span, line end)
        for s, e, line in header:
            if TITLE.match(line) or ERA_DATE.match(line):
                for d in find_era_dates(self.t, s, e):
                    if d.value:
                        found.append((d.value, Span(d.start, d.end), e))
                    elif ERA_DATE.match(line) and not TITLE.match(line):
                        self.m.warn(f"session date: {d.problem}", Span(d.start, d.end))
                    break
        if not found:
            self.m.warn("the session date (開催概要(…) or the date line) is missing")
            return
        values = {v for v, _, _ in found}
        if len(values) > 1:
            self.m.warn(
                "the title and the date line give different dates: "
                + ", ".join(sorted(v.isoformat() for v in values)),
                found[-1][1],
            )
        value = found[0][0]
        self.m.date = value
        # the date line's span is the richer passage (weekday and times follow it)
        same = [(sp, e) for v, sp, e in found if v == value]
        self.m.date_span, line_end = same[-1]
        read_weekday(self.m, WEEKDAY.search(self.t, self.m.date_span.end, line_end))
        self.date_line_end = line_end

    def times(self, header) -> None:
        """Start and end from the rest of the date line (「午後1時30分～午後3時10分」, also
        without the ～, or with the second 午後 left out), else from a 日時/時間 line."""
        ranges = []
        if self.m.date_span:
            ranges.append((self.m.date_span.end, self.date_line_end))
        for k, (s, e, line) in enumerate(header):
            if (lm := LABEL.match(line)) and lm.group("label") in ("開催日時", "日時", "時間"):
                ranges.append((s + lm.start("rest"), e))
                if not lm.group("rest") and k + 1 < len(header):
                    ranges.append(header[k + 1][:2])
        clocks: list[tuple[time, Span]] = []
        for start, end in ranges:
            clocks = clock_times(self.t, start, end)
            if clocks:
                break
        read_hours(self.m, clocks, self.m.date_span)

    def places(self, header) -> None:
        self.labelled_places(header, LABEL, ("開催場所", "場所"))

    def members(self) -> None:
        read_attendance(self.m, self.lines, self.label_rest)
        if not self.m.members:
            self.m.warn("no members present (出席委員 …) found")

    @staticmethod
    def label_rest(line: str) -> int | None:
        """Where the names start after 出席委員 (None: no such label). Anywhere in the line:
        a page may run it on after the times, in one paragraph with the date."""
        lm = ATTENDANCE_LABEL.search(line)
        return lm.end() if lm else None

    # -- items -----------------------------------------------------------------------

    def items(self, lines) -> None:
        kind = None
        heads: list[tuple[int, int, str]] = []  # (line index, start, kind)
        end_of_items = len(lines)
        for k, (s, e, line) in enumerate(lines):
            if is_chrome(line) or ATTENDANCE_LABEL.match(line):  # the page's own, or the
                # attendance repeated below the items
                end_of_items = k
                break
            if bm := BLOCK.match(line):
                kind = BLOCK_KIND[bm.group("block")]
                heads.append((k, s, ""))
            elif BULLET.match(line) or (kind and BARE_TITLE.match(line)):
                if kind is None:
                    self.m.warn("an item outside any 【議題】/【報告】 block", Span(s, e))
                heads.append((k, s, kind or "Report"))
        content_end = lines[end_of_items - 1][1] if end_of_items else 0
        for n, (k, s, kind) in enumerate(heads):
            if not kind:  # a block heading
                continue
            nxt = heads[n + 1][1] if n + 1 < len(heads) else None
            item_end = nxt - 1 if nxt is not None else content_end
            title_line = lines[k]
            tm = BULLET.match(title_line[2]) or BARE_TITLE.match(title_line[2])
            item = AgendaItem(
                position=len(self.m.items) + 1,
                kind=kind,
                local_number=None,  # the page does not number its items
                title=tm.group("title").strip(),
                span=Span(s, item_end),
            )
            self.m.items.append(item)
            self.item_body(item, min(title_line[1] + 1, item_end), item_end)
        if not self.m.items:
            self.m.warn("no ○ items under 【議題】/【報告】 found")
        else:
            self.check_ending(content_end)

    def item_body(self, item: AgendaItem, start: int, end: int) -> None:
        remarks_at = read_remarks(self.m, item, start, end, self.speaker)
        group = GROUP.search(self.t, start, end)
        desc_end = min(remarks_at, group.start() if group else end)
        description = self.t[start:desc_end].strip()
        if description:
            item.description = description
        endings = OUTCOME.findall(description)
        if endings:
            item.outcome = OUTCOMES[endings[-1]]
        else:
            self.m.warn(
                f"item {item.position} ({item.title}) states no outcome (議決した, 了承した …)",
                item.span,
            )
        if "援助要求" in item.title or "援助要求" in description:
            self.dispatch(item, start, desc_end)


register_reader(
    _Parser,
    description="Hiroshima commission web pages: 【議題】/【報告】 blocks of ○ items",
    recognise=recognise,
)
