"""The Yamaguchi commission's web pages of 2022–24, 「公安委員会の開催概要(令和4年8月10日)」.

    公安委員会の開催概要(令和4年8月10日)     ← the session date is in the title
    ページ番号 … 更新日:2022年8月9日           ← the update date, never the session's
    審議概要
    A、B…及びZ同席の上、次の事項について報告を受けた。
    <item title>                              ← a bare heading line
    X部長から、「…」旨の説明があった。          ← the item's description
    Y委員から、「…」旨の発言があり、X部長から、「…」旨の説明があった。

The pages list no members and no times. Members are those the page shows speaking (a
member who spoke attended); the role is the one the page gives them (藤井委員, 西村委員長).
"""

from __future__ import annotations

import re

from ..model import Member, Minutes, Span
from ..normalize import NormalizedText, find_era_dates
from ..phrases import OFFICERS_PRESENT, SPEAKER_CLAUSE, PhraseReader, text_lines
from ..registry import register_reader

NAME = "yamaguchi-web"
VERSION = "1"

TITLE = re.compile(r"公安委員会の開催概要\s*\(")
SECTIONS = ("審議概要", "決裁事項", "決裁概要", "報告事項", "報告概要", "協議事項")
MEMBER_SPEAKER = re.compile(r"^(?P<name>\S+?)(?P<role>委員長職務代理者|委員長|委員)$")


def recognise(text: NormalizedText) -> float:
    head = text.text[:300]
    score = 0.0
    if TITLE.search(head):
        score += 0.5
    if re.search(r"^審議概要$", text.text, re.M):
        score += 0.3
    if "同席の上" in text.text:
        score += 0.1
    if "会議録" in head:  # the PDF layout's title
        score -= 0.4
    if re.search(r"(委員会議|全体会議)【", text.text):  # the 2015–17 police-site pages
        score -= 0.4
    return max(score, 0.0)


class _Parser(PhraseReader):
    name = NAME
    version = VERSION

    def run(self) -> Minutes:
        lines = list(text_lines(self.t, 0, len(self.t)))
        self.session_date(lines)
        self.m.committee = self.detect_committee()
        if self.m.committee is None:
            self.m.warn("the commission cannot be told from the page (give --committee or --url)")
        kind = "Report"
        heading: tuple[int, int, str] | None = None
        body_start = None
        for s, e, line in lines[1:]:
            if line in SECTIONS:
                self.close_item(heading, body_start, s, kind)
                heading, kind = None, "Decision" if "決裁" in line else "Report"
                continue
            present = OFFICERS_PRESENT.search(line)
            if present and not self.m.officers_present:
                self.officers_present(s, s + present.start())
                continue
            if self.is_heading(line) and (heading or self.m.officers_present):
                self.close_item(heading, body_start, s, kind)
                heading, body_start = (s, e, line), e + 1
        self.close_item(heading, body_start, len(self.t), kind)
        self.check_ending()
        self.members_from_speakers()
        if not self.m.items:
            self.m.warn("no agenda items found under 審議概要")
        return self.m

    def session_date(self, lines) -> None:
        if not lines:
            self.m.warn("the page is empty")
            return
        s, e, _title = lines[0]
        for d in find_era_dates(self.t, s, e):
            if d.problem:
                self.m.warn(f"session date: {d.problem}", Span(d.start, d.end))
            else:
                self.m.date, self.m.date_span = d.value, Span(d.start, d.end)
            break
        if self.m.date is None:
            self.m.warn("the session date is missing from the title (開催概要(…))")

    @staticmethod
    def is_heading(line: str) -> bool:
        """A bare title line: no sentence end, no speaker, not page furniture."""
        return not (
            line.endswith(("。", "」"))
            or SPEAKER_CLAUSE.match(line)
            or line.startswith(("ページ番号", "更新日", "このページ", "お問い合わせ"))
        )

    def close_item(self, heading, body_start, end: int, kind: str) -> None:
        if heading is None:
            return
        s, _e, title = heading
        item = self.new_item(kind, None, title, Span(s, end))
        self.explained_item(item, min(body_start, end), end)
        body = self.t[body_start:end]
        if "審査請求" in body:
            self.appeals(item, body_start, end)
        if "援助要求" in body:
            self.dispatch(item, body_start, end)

    def members_from_speakers(self) -> None:
        for m in SPEAKER_CLAUSE.finditer(self.t):
            who = MEMBER_SPEAKER.match(m.group("who"))
            if not who or self.ref.looks_like_post(m.group("who")):
                continue
            if any(x.name == who["name"] for x in self.m.members):
                continue
            self.m.members.append(Member(who["name"], who["role"], Span(m.start(), m.end() - 3)))
        chairs = [x for x in self.m.members if x.role == "委員長"]
        if chairs:
            self.m.chair = chairs[0].name


register_reader(
    _Parser,
    description="Yamaguchi commission web pages 2022–24: 公安委員会の開催概要(日付)",
    recognise=recognise,
)
