"""The reader for commissions nobody has written a layout for: the outline every set of
minutes has, read from the phrases all commissions share.

    [site chrome: skip links, breadcrumb 「… > 定例会議の開催概要(令和6年5月8日)」, 更新日 …]
    <title>(令和6年5月8日)                   ← the date in the title, or
    1 日時  令和6年5月8日(水) 午後1時~3時    ← in a labelled field (value here or on the next line)
    2 出席者 山田委員長、川村委員…           ← members; posts on the lines after, or
    本部長、警務部長…同席の上、               ← a sentence naming the officers present
    【議題】 / 1 審議事項 / 2 報告事項          ← parts: they give the items their kind
    ⑴ <title>(審議:交通部)  ○ <title>  <title> ← items: the marker the first item uses, or a
                                                bare line that reads as a title
    X部長から、「…」旨の説明があった。          ← the presenter and the description
    Y委員から、「…」旨の発言があり、…           ← remarks, answers; also (Y委員長) label lines,
                                                委員の発言 / 警察の回答 bullets

A page whose headings were stripped (only sentences 「警視庁から、…について報告があった。」) gives
one item per such sentence. It answers with a low confidence, so that a loader written for a
layout always wins; everything it cannot read becomes a warning, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..header import (
    MONTH_DAY,
    WESTERN,
    attendance_line,
    committee_of,
    header_fields,
    members_in,
    officers_in,
    officers_present_clause,
    session_date,
    session_times,
)
from ..model import AgendaItem, Member, Minutes, Officer, Place, Remark, Span, Speaker
from ..normalize import NormalizedText, find_era_dates
from ..page import TITLE_END, close_quote, cut_title, is_chrome, mask_quotes, text_lines
from ..phrases import (
    CLOSING,
    UNNAMED_MEMBER,
    PhraseReader,
    is_police_body,
    outcome_of,
    read_remarks,
)
from ..reading import ROLE, at, member_role, names_a_member, settle_chair
from ..registry import register_reader

NAME = "generic"
VERSION = "2"
CONFIDENCE = 0.3

# -- the outline -----------------------------------------------------------------------

BULLETS = "○●◯〇◎■□◆◇・•"
# a label inside an item over its explanation: 「【報告の要旨】」「《説明の概要》」
ASIDE = re.compile(r"^[【《〈\[]\s*(?:報告|説明|審議|議事)の?(?:要旨|概要|内容)\s*[】》〉\]]$")
# the kana outline's letters, in order: 「ア 委員の発言」「(イ) 初任科…の卒業式」
KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"
MARKER = re.compile(
    r"^(?P<mark>第\s*\d+(?=\s)|\d+(?=\s)|\d+[.．、](?=\D)|\(\d+\)|[①-⑳]|[○●◯〇◎■□◆◇・•]|"
    rf"\([{KANA}]\)|[{KANA}](?=\s)|"
    r"(?:議題|議案|案件|報告|審議事項|報告事項)\s*(?:第\s*)?\d+(?:号)?(?=[\s:：]))\s*[:：]?\s*"
    r"(?P<title>.*)$"
)
NUMBER_ONLY = re.compile(r"^(?:第\s*\d+|\d+|\(\d+\)|[①-⑳])$")
# Headings of a part of the session: what its items are (議題/審議/決裁 → decided, 報告 →
# received, 協議 → discussed), or a container whose items say it themselves.
PART = re.compile(
    rf"^(?:第\s*\d+\s*|\d+\s*[.．、]?\s*|\(\d+\)\s*|\(?[{KANA}]\)?\s*)?[【\[《〈〔]?\s*"
    r"(?P<name>(?:個別|包括的?|一般)?(?:議題|審議|決裁|議決|決定|承認|了承|報告|協議|諮問|提案|その他|案件)"
    r"(?:[・、]?(?:議題|審議|決裁|議決|決定|承認|了承|報告|協議|提案))*(?:事項|案件|等)?(?:の?概要)?|"
    r"個別会議|全体会議|委員会議|定例会議|"
    r"議事(?:の?概要|の?内容)?|開催状況|会議の?概要|会議内容|審議状況|"
    r"(?:審議|決裁|報告|協議|議決|議題)(?:の)?概要|"
    r"主な議題(?:及び要旨)?|"
    # the body or department whose business follows: 「(1)公安委員会」「【公安委員会から」
    # 「【警務部議題」
    r"(?:[^\s]{1,3}[都道府県])?公安委員会(?:から)?|警察本部(?:から)?|"
    r"[^\s【】]{1,6}部(?:議題|報告|関係))"
    r"\s*[】\]》〉〕]?\s*(?:[(（【][^)）】]*[)）】]?)?\s*$"
)
DECIDED = re.compile(r"議題|審議|決裁|議決|決定|承認|了承|提案")  # 提案事項: put to a decision
# Remark blocks inside an item: their bullets are remarks, not items.
POLICE_BLOCK = re.compile(
    r"^[《【〈]?\s*(?:警察|県警察|警察本部)(?:の|から|からの)?(?:回答|説明|答弁)\s*[》】〉]?$"
)
# 「委員の発言」「《委員の発言等》」「委員からの主な意見・質問」「【委員の主な意見】」
# 「委員発言要旨」「ア 委員の発言」
MEMBER_BLOCK = re.compile(
    rf"^(?:\(?[{KANA}]\)?\s+|\(\d+\)\s*|\d+\s+)?[《【〈■◆●○・\[]?\s*(?:主な)?(?:公安委員会)?委員"
    r"(?:(?:の|から|からの)?(?:主な)?(?:発言|意見|質問|質疑|コメント)"
    r"(?:[・、及び等]*(?:発言|意見|質問|要望|感想))*"
    r"(?:等|内容)?(?:の?(?:要旨|概要|要約))?(?:について)?|(?=\s*[\]】〉》]))\s*[》】〉\]]?[:：]?$"
)
# A speaker set apart on a line of its own: 「(田谷委員長)」「【警務部長】」「〈委員〉」
# 「○岡田委員 自転車の…」「岡田委員:…」
LABEL_LINE = re.compile(
    r"^(?:[(（【〈<]\s*(?P<who>[^()（）【】〈〉<>\s]{1,16})\s*[)）】〉>]"
    rf"|[○◯〇◎]\s*(?P<who2>[^\s:：、。「」()（）]{{1,16}}?(?:{ROLE}|長|官))(?=[\s:：])"
    rf"|(?P<who3>[^\s:：、。「」()（）]{{1,16}}?(?:{ROLE}|長|官)|委\s+員)\s*[:：]"
    # a transcript's turn: 「○委員長(山田) …」
    rf"|[○◯〇◎]\s*(?P<role4>{ROLE})\s*[(（](?P<name4>[^()（）\s]{{1,5}})[)）])"
    r"\s*[:：]?\s*(?P<text>.*)$"
)
# A title's last bracket naming who presents it: (審議:交通部) (報告:警務部) (警備部) (説明:…)
TAG = re.compile(
    r"\s*[(（]\s*(?:(?P<kind>審議|報告|協議|説明|決裁|議決)(?:者)?\s*[:：]\s*)?"
    r"(?P<who>[^()（）:：]{1,24}?(?:部|課|室|局|本部|センター|隊|長|官))\s*[)）]$"
)
TITLE_STRONG = re.compile(r"(?:について|に関する件|の件)(?:\s*[(（][^()（）]*[)）])*$")
# 「説明者 交通企画課長」「報告者：生活安全部長」 on the line after a title
PRESENTER_LINE = re.compile(
    r"(?P<kind>説明|報告)者?\s*[:：]?\s*(?P<who>[^\s、。()（）:：]{2,24}?(?:部|課|室|局|長|官))"
)
# where the session was held, on a line of its own: 「警察本部特別会議室、公安委員会室」
PLACE_LINE = re.compile(r"[^。、\s]{2,20}(?:室|会議室|庁舎|本部|ホール)(?:[、,][^。、\s]{2,20}室)*")
# a unit of the police that presents an item: 「総務室」「交通部」「委員会室」
UNIT = re.compile(r"[^\s、。「」()（）]{1,10}?(?:部|室|課)")
# a member's words with no closing phrase, on the line or on the lines after:
# 「委員から、」 / 「委員から、…していただきたい。」
SPEAKER_ALONE = re.compile(
    rf"^(?P<who>[^\s:：、。「」()（）]{{0,5}}?(?:{ROLE}))(?:から|より)は?[、,]?(?P<text>.*)$"
)
# a member's address announced by a sentence, its words (often as topics) below:
# 「定例会議の冒頭、委員長が、以下の挨拶を行った。」「…、委員長が、以下の指示を行った。」
GREETING = re.compile(
    rf"(?:^|[、,])(?P<who>[^\s、,。「」()（）]{{0,5}}?(?:{ROLE}))が[、,]?以下の(?:とおり)?"
    r"(?P<what>挨拶|あいさつ|発言|所感|指示|訓示|説示)を(?:行った|行いました|述べた)。?$"
)
# a member's address set apart under its own heading: 「渡部委員説示」「山田委員長挨拶」
ADDRESS = re.compile(
    rf"^(?P<who>[^\s、。「」()（）]{{0,5}}?(?:{ROLE}))(?:説示|挨拶|あいさつ|所感)$"
)
# 「X部長から、」「警察本部からは「」「委員より,」 opening a sentence
SPEAKER_OPENS = re.compile(r"^[^、。「」()\s]{1,30}?(?:から|より)は?[、,「]")
EXPLAINS = re.compile(
    r"(?:説明|報告)(?:を受け|があ|し)|審議の上|(?:決定|了承|議決|決裁|協議|承認|受理|実施|指示)し(?:た|ました)"
)
# 「警視庁から、…について報告があった」: an item stated as a sentence (no headings)
SENTENCE_ITEM = re.compile(
    r"(?:^|(?<=[。\n]))(?P<who>[^、。「」\s]{1,20}?)から、?(?P<title>[^。「」]{4,200}?)について、?"
    r"(?P<verb>報告|説明)があ"
)
FIELD_WORDS = re.compile(r"^(?:第?\s*\d+\s*)?(?:開催)?(?:日\s*時|場\s*所|出\s*席|欠\s*席)")


@dataclass
class Line:
    start: int
    end: int
    text: str


def recognise(text: NormalizedText) -> float:
    head = text.text[:2000]
    has_date = (
        any(d.value for d in find_era_dates(head))
        or WESTERN.search(head)
        or MONTH_DAY.search(head)
        or re.search(r"[(（][月火水木金土日][)）]", head)  # a garbled date, its weekday left
    )
    minutes_words = re.search(r"公安委員会|定例会|委員会議|議事|出席者|開催日|委員長", head)
    return CONFIDENCE if minutes_words and has_date else 0.0


class _Parser(PhraseReader):
    name = NAME
    version = VERSION

    def run(self) -> Minutes:
        t = self.t
        every = [Line(s, e, line.strip()) for s, e, line in text_lines(t, 0, len(t))]
        self.lines = [ln for ln in every if not is_chrome(ln.text)]
        # the page's own lines end whatever item comes before them (a footer, 所管 …)
        self.chrome_starts = [ln.start for ln in every if is_chrome(ln.text)]
        triples = [(ln.start, ln.end, ln.text) for ln in self.lines]
        self.fields = header_fields(t, triples)
        found = session_date(t, triples, self.fields, self.m.document.url)
        if found.problem:
            self.m.warn(f"session date: {found.problem}", found.span)
        self.m.date, self.m.date_span, self.m.weekday = found.value, found.span, found.weekday
        if self.m.date is None:
            self.m.warn("no session date found near the top of the document")
        a, b, _ = session_times(t, triples, found, self.fields)
        self.m.start, self.m.end = at(self.m.date, a), at(self.m.date, b)
        if "臨時" in " ".join(ln.text for ln in self.lines[:3]):
            self.m.kind = "臨時会"
        body_from = self.header()
        settle_chair(self.m)  # the attendance's chair: the speakers' cannot change it
        self.listed_members = bool(self.m.members)  # attendance lists them: others are not
        self.m.committee = committee_of(
            self.m.document,
            t,
            [(ln.start, ln.end, ln.text) for ln in every],
            found,
            self.ref,
            [p.label for p in self.m.places],
        )
        if self.m.committee is None:
            self.m.warn("the commission cannot be told (give --committee or --url)")
        self.outline(body_from)
        self.members_from_speakers()
        last = self.m.items[-1].span.start if self.m.items else 0
        self.check_ending(min([x for x in self.chrome_starts if x > last], default=None))
        if not self.m.items:
            self.m.warn("no agenda items recognised")
        return self.m

    # -- the header --------------------------------------------------------------------

    def header(self) -> int:
        """Places and attendance; returns the index of the first line after the header."""
        t = self.t
        for f in self.fields:
            if f.kind == "where" and not self.m.places:
                value = t[f.start : f.end].strip()
                if value and len(value) <= 60:
                    at_ = t.index(value, f.start)
                    self.m.places.append(Place(value, Span(at_, at_ + len(value))))
            elif f.kind == "who":
                # members over the whole field (a table can put 委員長 and the name on lines
                # of their own), posts line by line
                for s, e, line in text_lines(t, f.start, f.end):
                    s += len(line) - len(line.lstrip("•・○●◯◆■- \t"))  # a bulleted list
                    if not re.search(r"委員", line.replace("委員会", "")):
                        self.people(s, e)
                self.people(f.start, f.end, members_only=True)
        date_line = self.line_index(self.m.date_span.start) if self.m.date_span else -1
        k = date_line + 1
        # lists of people right after the date, with their label lost (「山口委員長、…」),
        # maybe after the place (「警察本部特別会議室、公安委員会室」)
        while k < len(self.lines):
            ln = self.lines[k]
            # a field's label, a line of its value (「(1)公安委員会」 and the bullets under
            # 出席者), or a list of people near the date
            inside = any(
                f.start <= ln.start < f.end and (f.kind != "who" or attendance_line(ln.text))
                for f in self.fields
            )
            if self.field_at(ln.start) or inside:
                k += 1
                continue
            if k < date_line + 12 and self.people_line(ln.text):
                self.people(ln.start, ln.end)
                k += 1
                continue
            if k == date_line + 1 and PLACE_LINE.fullmatch(ln.text):
                k += 1
                continue
            break
        for ln in self.lines[k : k + 40]:
            if not self.m.officers_present:
                found = officers_present_clause(t, ln.start, ln.end, self.ref)
                if found:
                    self.m.officers_present = found
        if not self.m.officers_present:
            # a table read out of order: the posts' line apart from its label
            for ln in self.lines[k : k + 25]:
                if "。" in ln.text:  # the body has begun
                    break
                if self.people_line(ln.text) and not members_in(t, ln.start, ln.end):
                    self.people(ln.start, ln.end)
        return k

    def people(self, start: int, end: int, members_only: bool = False) -> None:
        line = self.t[start:end]
        members = members_in(self.t, start, end)
        if members and (re.search(r"委員", line.replace("委員会", ""))):
            for x in members:
                if not any(y.name == x.name for y in self.m.members):
                    self.m.members.append(x)
            return
        if members_only:
            return
        for o in officers_in(self.t, start, end, self.ref):
            if not any(y.post == o.post for y in self.m.officers_present):
                self.m.officers_present.append(o)

    def people_line(self, text: str) -> bool:
        """A line that is only a list of members or of posts (three or more)."""
        if text.endswith("。") or "から" in text or "について" in text:
            return False
        entries = [
            re.sub(r"等$", "", x.strip())  # 「…、事務主管課長等」
            for x in re.split(r"[、,]|及び", re.sub(r"[(（][^)）]*[)）]", "", text))
            if x.strip()
        ]

        def each(test, entry: str) -> bool:  # 「A委員・B委員」, but 「匿名・流動型…対策監」 is one
            return test(entry) or all(test(x) for x in entry.split("・"))

        if len(entries) < 2 and "・" not in text:
            return False
        posts = sum(each(lambda x: bool(self.ref.post_ending(x)), x) for x in entries)
        if posts == len(entries):
            return len(entries) >= 2 or len(entries[0].split("・")) >= 2
        if len(entries) >= 5 and posts >= len(entries) - 1:
            return True  # a long list of posts, one of them longer than a post's name usually is
        return all(each(names_a_member, x) for x in entries)

    def field_at(self, start: int):
        return next((f for f in self.fields if f.label_start == start), None)

    def line_index(self, offset: int) -> int:
        return next((k for k, ln in enumerate(self.lines) if ln.start <= offset < ln.end + 1), -1)

    # -- the outline -------------------------------------------------------------------

    def outline(self, first: int) -> None:
        lines = self.lines[first:]
        heads = self.headings(lines)
        items = any(kind == "item" or _remarks_part(lines[k].text) for kind, k, *_ in heads)
        if not items and lines and SENTENCE_ITEM.search(self.t, lines[0].start):
            self.sentence_items(lines)
            return  # else a part that says what was done or where a member speaks is one
        part_kind: str | None = None
        numbers: list[tuple[str, str]] = []  # (style, as written) of the enclosing parts
        last_number = 0  # of the items of the current part
        for n, (kind, k, title, number) in enumerate(heads):
            end = heads[n + 1][1] if n + 1 < len(heads) else len(lines)
            body_end = lines[end].start if end < len(lines) else len(self.t)
            # a labelled field (the attendance repeated below the items) or the page's
            # chrome ends the body too
            stops = [f.label_start for f in self.fields if f.kind == "who"] + self.chrome_starts
            body_end = min([body_end] + [x for x in stops if x > lines[k].end])
            if kind == "part":
                part = self.part_of(lines[k].text)
                name = part["name"] if part else title
                part_kind = _part_kind(name) or part_kind if _container(name) else _part_kind(name)
                written = None
                if m := MARKER.match(lines[k].text):
                    style = _style(m["mark"])
                    while numbers and style in [st for st, _ in numbers]:
                        numbers.pop()
                    written = self.written(lines[k].start, lines[k].start + len(m["mark"]))
                    numbers.append((style, written))
                last_number = 0
                if k + 1 < end:
                    title = lines[k].text.strip("【】[]《》〈〉 ") if part else title
                    self.part_as_item(
                        lines[k], body_end, part_kind, title, None if part else written
                    )
                continue
            if kind == "stop":
                break
            head = lines[k]
            body_start = (
                lines[k + (2 if not title else 1)].start if k + 1 < len(lines) else head.end
            )
            body_start = min(body_start, body_end)
            if not title and k + 1 < len(lines):
                title = lines[k + 1].text
                head = Line(head.start, lines[k + 1].end, head.text + " " + title)
            if number:
                value = _ordinal(number)
                if value and value <= last_number and numbers and numbers[-1][0] != "第N":
                    # the numbering restarts with no heading: the part's heading was lost
                    numbers.pop()
                    part_kind = None
                last_number = value
                mark_at = head.start + head.text.index(number)
                number = _local_number(
                    [w for st, w in numbers if st != _style(number)]
                    + [self.written(mark_at, mark_at + len(number))]
                )
            item = self.new_item(part_kind or "Report", number, title, Span(head.start, body_end))
            body_start = self.title_tag(item, title, head)
            self.item_body(item, min(body_start, body_end), body_end, part_kind)

    def written(self, start: int, end: int) -> str:
        """The source's own characters behind a normalized span (numbering as written)."""
        s, e = self.m.text.to_source(start, end)
        return re.sub(r"\s", "", self.m.text.source[s:e])

    def part_as_item(
        self, head: Line, end: int, part_kind: str | None, title: str, number: str | None
    ) -> None:
        """A part with text but no items of its own is one item, when its text says what the
        commission did (「…について協議した」) or a member speaks in it; otherwise (a greeting
        by the chief of police) it is no agenda item."""
        n_remarks = len(self.m.remarks)
        item = self.new_item(part_kind or "Report", number, title, Span(head.start, end))
        self.item_body(item, head.end + 1, end, part_kind)
        if _remarks_part(head.text) and len(self.m.remarks) == n_remarks:
            named = ADDRESS.match(head.text) or GREETING.search(head.text)
            if named:  # 「渡部委員説示」「委員長が、以下の挨拶を行った。」: their words below
                if text := self.t[head.end : end].strip():
                    self.add_remark(item, named["who"], text, Span(head.start, end))
            else:  # 「ア 委員の発言」 over lines that name no speaker: each a member's words
                self.labelled_remarks(item, head.start, end)
        spoke = any(r.speaker.kind != "officer" for r in self.m.remarks[n_remarks:])
        if not (spoke or self.states_an_act(head.end, end)):
            del self.m.items[-1]
            del self.m.remarks[n_remarks:]

    def headings(self, lines: list[Line]):
        """(kind, line index, title, number) of each heading: parts, items, and where the
        minutes stop (the page's footer)."""
        cands = {}
        for k in range(len(lines)):
            c = self.candidate(lines, k)
            if c:
                cls, title, number = c
                cands[k] = c
        # the items' marker is the one the first heading of a part uses (even when a later
        # one shows it: 「議題1 …」 with no title ending, then 「議題2 …の状況」); a bare title
        # first means the markers below it (● 趣旨, ○ …) are the items' own outline
        parts = {k for k, ln in enumerate(lines) if self.part_of(ln.text) or _remarks_part(ln.text)}
        classes = self.segment_classes(lines, cands, parts)
        heads = []
        in_remarks = False
        item_class, decided = classes.get(-1, (None, False))
        part_styles: dict[str, int] = {}  # the parts' numbering (「3 報告事項」: N, 3)
        for k, ln in enumerate(lines):
            c = cands.get(k)
            sibling = c and c[0] != item_class and _continues(part_styles, c)
            if k in parts or sibling:
                # 「4 委員発言」 after 「3 報告事項」: a heading beside the parts, no item of one
                heads.append(("part", k, c[1] if sibling else _remarks_part(ln.text), None))
                # a heading over members' words (「(1)委員発言」) numbers as the items do
                if (m := MARKER.match(ln.text)) and not _remarks_part(ln.text):
                    part_styles[_style(m["mark"])] = _ordinal(m["mark"])
                in_remarks = False
                item_class, decided = classes.get(k, (None, False))
                continue
            if MEMBER_BLOCK.match(ln.text) or POLICE_BLOCK.match(ln.text):
                in_remarks = True
                continue
            if not c or not decided:
                continue
            cls, title, number = c
            if heads and heads[-1][0] == "item" and heads[-1][1] == k - 1 and not heads[-1][2]:
                continue  # the title of the number-only line before it
            if cls == item_class and not (in_remarks and cls in BULLETS):
                heads.append(("item", k, title, number))
                in_remarks = False
            elif cls == "bare" and self.qualifies(lines, k, title, strict=True):
                heads.append(("item", k, title, None))
                in_remarks = False
        if heads and heads[-1][0] == "item" and self.cut_heading(lines, heads[-1]):
            # no item, but the item above still ends there (its members' comments too)
            heads[-1] = ("stop", heads[-1][1], None, None)
        return heads

    def segment_classes(self, lines: list[Line], cands: dict, parts: set[int]) -> dict:
        """For each part (by the index of its heading; -1 before the first), the marker of
        its items and whether one was found: the marker of its first line that reads as an
        item's heading."""
        classes: dict[int, tuple[str | None, bool]] = {}
        segment, found = -1, None
        part_styles: dict[str, int] = {}
        for k, ln in enumerate(lines):
            c = cands.get(k)
            if k in parts and GREETING.search(ln.text):
                segment, found = k, None
                classes[k] = (None, False)  # its topics (「• 夏休み中の…」) are no items
                continue
            if k in parts or (c and c[0] != found and _continues(part_styles, c)):
                if (m := MARKER.match(ln.text)) and not _remarks_part(ln.text):
                    part_styles[_style(m["mark"])] = _ordinal(m["mark"])
                segment, found = k, None
                continue
            if c and segment not in classes and self.qualifies(lines, k, c[1], c[0] == "bare"):
                found = c[0] if c[0] != "bare" else None
                classes[segment] = (found, True)
        return classes

    def cut_heading(self, lines: list[Line], head) -> bool:
        """The last heading of a page cut off right after it, itself cut mid-title
        (「警察署協議会委員の」): nothing of the item is there to read."""
        _, k, title, _ = head
        title = title or (lines[k + 1].text if k + 1 < len(lines) else "")
        last = k == len(lines) - 1 or (not head[2] and k + 1 == len(lines) - 1)
        return last and cut_title(self.t, title)

    def part_of(self, text: str):
        """The part heading a line is (「1 議題事項」「【報告】」「第 3 議 事」), or None."""
        return PART.match(re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", text))

    def candidate(self, lines: list[Line], k: int):
        """(marker class, title, number as written) when line k may head an item."""
        text = lines[k].text
        if self.field_at(lines[k].start) or (FIELD_WORDS.match(text) and len(text) < 12):
            return None
        if self.part_of(text) or MEMBER_BLOCK.match(text) or ASIDE.match(text):
            return None
        if (lab := LABEL_LINE.match(text)) and self.is_speaker(_who(lab)):
            return None
        if self.m.date_span and lines[k].start <= self.m.date_span.start < lines[k].end:
            return None
        m = MARKER.match(text)
        if m:
            mark, title = m["mark"], m["title"].strip()
            cls = mark if mark in BULLETS else _style(mark)
            number = mark if mark not in BULLETS else None
            if not title:  # a number or bullet alone, its title on the next line
                nxt = lines[k + 1].text if k + 1 < len(lines) else ""
                if self.title_like(nxt) and not MARKER.match(nxt) and not NUMBER_ONLY.match(nxt):
                    return cls, "", number
                return None
        elif NUMBER_ONLY.match(text):
            return None
        elif TAG.fullmatch(text):
            return None  # (警務部): the presenter of the item above
        else:
            cls, title, number = "bare", text, None
        if not self.title_like(title):
            return None
        return cls, title, number

    def title_like(self, title: str) -> bool:
        """Not a sentence, not a speaker opening a remark, not a quote, not too long."""
        if not title or len(title) > 160 or title.endswith(("。", "、", ",")):
            return False
        if title.startswith("※") or SPEAKER_OPENS.match(title):
            return False
        # 「警察から上記事項について報告が…」 cut after its first words: a sentence
        said = re.match(r"^([^、。「」\s]{1,12}?)(?:から|より)(?!の)", title)
        if said and (_organisation(said[1]) or self.ref.looks_like_post(said[1])):
            return False
        if title.startswith(("「", "『")) and close_quote(title, 0) >= len(title) - 1:
            return False  # a quotation on a line of its own
        return not re.search(r"(?:から|より)は?[、,]?$", title)

    def qualifies(self, lines: list[Line], k: int, title: str, strict: bool = False) -> bool:
        """Whether line k reads as an item's heading: a title's ending, or the text after
        it explains something (a presenter, 説明/報告 …). ``strict`` (a bare line) asks for
        a title's ending or a presenter speaking right after it."""
        nxt = next((ln.text for ln in lines[k + 1 : k + 3] if not NUMBER_ONLY.match(ln.text)), "")
        if not title:
            title = nxt
            nxt = lines[k + 2].text if k + 2 < len(lines) else ""
            after = lines[k + 2 : k + 4]
        else:
            after = lines[k + 1 : k + 3]
        ends = bool(TITLE_END.search(title))
        opens = bool(SPEAKER_OPENS.match(nxt) or TAG.search(title) or PRESENTER_LINE.match(nxt))
        if strict:
            # a bare line is a heading when it ends as titles do (…について) and is no clause
            # of a sentence, or when a presenter speaks right after it
            clause = "、" in mask_quotes(re.sub(r"[(（][^)）]*[)）]", "", title))
            return (TITLE_STRONG.search(title) and len(title) <= 100 and not clause) or bool(
                opens and len(title) <= 60
            )
        return (
            ends
            or opens
            or bool(EXPLAINS.search(nxt))
            or MEMBER_BLOCK.match(nxt) is not None
            or self.questioned(after)
        )

    def questioned(self, after: list[Line]) -> bool:
        """A heading whose item is a dialogue: the next line (after a subtitle in brackets,
        「(暴力団事務所の開設の禁止)」) is a speaker's label, 「(山田委員)」."""
        for ln in after:
            if (lab := LABEL_LINE.match(ln.text)) and self.is_speaker(_who(lab)):
                return True
            if not re.fullmatch(r"[(（][^()（）]+[)）]", ln.text):
                return False
        return False

    def states_an_act(self, start: int, end: int) -> bool:
        """A part with no items whose text says what the commission did (協議した …)."""
        masked = mask_quotes(self.t[start:end])
        return bool(
            re.search(r"(?:協議|審議|決定|決裁|議決|了承)(?:した|しました|を行った)", masked)
        )

    def sentence_items(self, lines: list[Line]) -> None:
        """A page without headings: each 「Xから、…について報告があった。」 is an item, and the
        sentences after it, until the next, its text."""
        if not lines:
            return
        start = lines[0].start
        found = list(SENTENCE_ITEM.finditer(self.t, start))
        for n, m in enumerate(found):
            end = found[n + 1].start() if n + 1 < len(found) else len(self.t)
            item = self.new_item("Report", None, m["title"], Span(m.start(), end))
            self.item_body(item, m.start(), end, None)

    # -- an item -----------------------------------------------------------------------

    def title_tag(self, item: AgendaItem, title: str, head: Line) -> int:
        """(審議:交通部) after the title, or on the line after it: the department presents
        the item through its director (交通部 → 交通部長). Returns where the body starts."""
        body_start = head.end + 1
        tag = TAG.search(title)
        where = head.start + head.text.rfind(title) if tag else None
        if tag is None:
            k = self.line_index(head.end - 1)
            if k + 1 < len(self.lines):
                nxt = self.lines[k + 1]
                tag = TAG.fullmatch(nxt.text) or PRESENTER_LINE.fullmatch(nxt.text)
                if tag:
                    where, body_start = nxt.start, nxt.end + 1
        if tag is None:
            if cut := re.search(r"\s*[(（][^()（）]{0,8}$", title):
                item.title = title[: cut.start()].strip()  # 「…について(報告:」: a page cut there
            return body_start
        if where == head.start + head.text.rfind(title):
            item.title = title[: tag.start()].strip()
        s = where + tag.start("who")
        for dept in re.split(r"([・、,])", tag["who"]):  # (報告:生活安全部・地域部): each
            if dept and dept not in "・、,":
                post = dept + "長" if dept.endswith(("部", "課", "室", "局")) else dept
                item.presenters.append(Officer(post, Span(s, s + len(dept))))
            s += len(dept)
        return body_start

    def item_body(self, item: AgendaItem, start: int, end: int, part_kind: str | None) -> None:
        t = self.t
        body = t[start:end]
        labelled = self.labelled_remarks(item, start, end)
        if labelled is None:
            self.explained_item(item, start, end)
        elif t[start:labelled].strip():
            item.description = t[start:labelled].strip()
        if not item.presenters:
            self.presenter_of(item, start, end)
        # the department tagged and its director who speaks first are one presenter
        posts = [self.ref.canonical_post(p.post) for p in item.presenters]
        item.presenters = [p for k, p in enumerate(item.presenters) if posts.index(posts[k]) == k]
        masked = mask_quotes(body)
        item.outcome = outcome_of(masked)
        if item.outcome in ("決裁", "議決", "裁決書決裁"):
            item.kind = "Decision"
        elif item.outcome == "了承":
            item.kind = "Report" if part_kind == "Report" else "Decision"
        elif item.outcome == "報告受理":
            item.kind = "Report"
        elif item.outcome == "協議":
            item.kind = "Consultation"
        if "審査請求" in body:
            self.appeals(item, start, end)
        if "援助要求" in body or "援助の要求" in body:
            self.dispatch(item, start, end)
        if item.agreement is None:
            self.agreement(item, start, end)

    def presenter_of(self, item: AgendaItem, start: int, end: int) -> None:
        """「…について、交通局長から説明があった」「警察本部から、…報告があった」「刑事部長は、
        …について報告した」: the one who explained, when it is a post or the police as a body."""
        masked = mask_quotes(self.t[start:end])
        for m in re.finditer(
            r"(?:^|(?<=[、。\n\s]))(?P<who>[^、。「」()\s]{1,24}?)(?P<by>から(?:は)?|は)[、,]?",
            masked,
        ):
            who, told = m["who"], m["by"] == "は"
            rest = masked[m.end() : m.end() + 400].split("。")[0]
            if re.search(r"委員(長|長職務代理者)?$", who):
                if told:
                    continue  # 「林委員長は、「…」旨述べた」: a member's words, not his question
                break
            if told:  # 「Xは、」 begins many sentences: only one that ends 報告した/説明した
                if not re.search(r"(?:説明|報告)(?:した|しました)$", rest.strip()):
                    continue
            elif not re.search(r"説明|報告|伺い|上申|推薦|提案", rest):
                continue
            s = start + m.start("who")
            if self.ref.looks_like_post(who) or is_police_body(who):
                item.presenters.append(Officer(who, Span(s, s + len(who))))
            elif UNIT.fullmatch(who):  # 「総務室から」「交通部から」: through its head, as a tag
                item.presenters.append(Officer(who + "長", Span(s, s + len(who))))
            break

    def labelled_remarks(self, item: AgendaItem, start: int, end: int) -> int | None:
        """Remarks set apart: (田谷委員長) label lines with the words after them, bullets
        under 委員の発言 / 警察の回答. Returns where the first starts, or None when the item
        has none (its remarks are then read from the phrases)."""
        t = self.t
        first = None
        mode = None
        labels: list[tuple[str, int, int]] = []  # who, line start, text start
        bulleted = False  # the last remark of a block began with a bullet
        for ln in (ln for ln in self.lines if start <= ln.start < end):
            if MEMBER_BLOCK.match(ln.text) or POLICE_BLOCK.match(ln.text):
                mode = "member" if MEMBER_BLOCK.match(ln.text) else "police"
                first = ln.start if first is None else first
                continue
            lab = LABEL_LINE.match(ln.text)
            if lab and self.is_speaker(_who(lab)) and not self.inside_report_of_another_body(item):
                first = ln.start if first is None else first
                labels.append(
                    (_who(lab), ln.start, ln.start + lab.start("text") if lab["text"] else ln.end)
                )
                mode = None
                continue
            alone = SPEAKER_ALONE.match(ln.text)
            if alone and self.words_follow(ln.start + alone.start("text"), end):
                first = ln.start if first is None else first
                labels.append((alone["who"], ln.start, ln.start + alone.start("text")))
                mode = None
                continue
            if labels and mode is None:
                continue
            if mode and CLOSING.search(ln.text):  # 「委員から、「…」旨の発言があり、…」
                read_remarks(self.m, item, ln.start, ln.end, self.remark_speaker)
            elif mode and not NUMBER_ONLY.match(ln.text):  # 「(4)」: a heading cut off
                text = re.sub(r"^[○●◯〇・■□◆◇•\-]\s*", "", ln.text)
                last = self.m.remarks[-1] if self.m.remarks else None
                if (
                    last is not None
                    and last.item == item.position
                    and last.span.start >= start
                    and text == ln.text  # no bullet of its own
                    # under bullets, a line without one goes on with the bullet above it
                    # (「- …と考える。」/「…していただきたい。」); else only a broken sentence
                    and (bulleted or not last.text.endswith(("。", "」")))
                ):  # the rest of a paragraph the page broke
                    last.text += text
                    last.span = Span(last.span.start, ln.end)
                    continue
                self.add_remark(
                    item, "委員" if mode == "member" else "警察", text, Span(ln.start, ln.end)
                )
                bulleted = text != ln.text
        bounds = [x[1] for x in labels[1:]] + [end] if labels else []
        for (who, s, text_start), stop in zip(labels, bounds, strict=True):
            text = t[text_start:stop].strip()
            if text:
                self.add_remark(item, who, text, Span(s, stop))
        return first

    def words_follow(self, at: int, end: int) -> bool:
        """After 「委員から、」 alone on a line: the speaker's words themselves, unquoted and
        with no closing phrase (a quote or 「…旨の発言」 is read from the phrases)."""
        after = self.t[at:end].strip()
        first = after.split("。")[0]
        told = re.search(r"(?:説明|報告|質問|意見|発言|要望)が(?:あり|あった)", first)
        return bool(after) and not after.startswith("「") and not (CLOSING.search(after) or told)

    def inside_report_of_another_body(self, item: AgendaItem) -> bool:
        """A report on a meeting of another body (県議会…委員会の開催状況): the questions and
        answers it relates are that body's, not the commission's."""
        return bool(re.search(r"議会|協議会|審議会|検討会", item.title)) and bool(
            re.search(r"開催|状況|結果|質問|答弁", item.title)
        )

    def remarks(self, item: AgendaItem, start: int, end: int) -> int:
        return read_remarks(self.m, item, start, end, self.remark_speaker)

    def remark_speaker(self, who: str) -> Speaker | None:
        """The session's speaker, or None for words a report relates from outside it: 「座長
        の中谷委員より」「ある県の委員から」, or a member the attendance does not list."""
        if UNNAMED_MEMBER.fullmatch(who):  # 「別の委員から」「各委員から」
            return Speaker("unnamed", "")
        if "の" in re.sub(r"[(（][^)）]*[)）]", "", who):
            return None
        if not self.could_speak(who):  # 「9月18日から…までの日程で開かれる旨の報告」
            return None
        speaker = self.speaker(who)
        if speaker.kind != "member" or not self.listed_members:
            return speaker
        # 「島津委員」 of the attendance's 「島津久友委員長」: the same member
        listed = [x.name for x in self.m.members if x.name.startswith(speaker.name)]
        if not listed:
            self.m.warn(f"{who} is not among the members present: not read as a remark")
            return None
        return Speaker("member", listed[0])

    def could_speak(self, who: str) -> bool:
        """A member, a post, the police or one of its units: who speaks in a session."""
        return bool(
            names_a_member(who)
            or self.ref.looks_like_post(who)
            or is_police_body(who)
            or _organisation(who)
            or re.search(r"(?:部|室|課|局|庁|側|隊)$", who)
        )

    def is_speaker(self, who: str) -> bool:
        return names_a_member(who) or self.ref.looks_like_post(who)

    def add_remark(self, item: AgendaItem, who: str, text: str, span: Span) -> None:
        speakers = self.speakers(who)
        speaker, joint = speakers[0], speakers[1:]
        before = self.m.remarks[-1] if self.m.remarks else None
        answers = (
            speaker.kind == "officer"
            and before is not None
            and before.item == item.position
            and before.speaker.kind != "officer"
        )
        self.m.remarks.append(
            Remark(
                position=len(self.m.remarks) + 1,
                item=item.position,
                speaker=speaker,
                text=text,
                span=span,
                reply_to=before.position if answers else None,
                joint=joint,
            )
        )

    def members_from_speakers(self) -> None:
        """A member who speaks attended, in the role the text gives them."""
        for r in self.m.remarks:
            for sp in [r.speaker, *r.joint]:
                if sp.kind == "member" and not any(x.name == sp.name for x in self.m.members):
                    role = "委員長" if sp.name == self.m.chair else self.roles.get(sp.name, "委員")
                    self.m.members.append(Member(sp.name, role, r.span))
        settle_chair(self.m)

    @property
    def roles(self) -> dict[str, str]:
        out = {}
        for m in re.finditer(
            rf"([^\s、。「」()（）【】]{{1,5}}?)({ROLE})(?:から|より|\)|）|】)",
            self.t,
        ):
            out.setdefault(m.group(1), member_role(m.group(2)))
        return out


def _local_number(parts: list[str]) -> str:
    """「第3」「1」「(1)」 → 「第3 1(1)」: the document's numbering of an item, as the seed's
    「第２ １⑵」 is written (a blank after a section, none before a bracketed number or a
    kana letter: 「3.(1)ア」)."""
    out = ""
    for part in parts:
        if out and (
            (out.startswith("第") and " " not in out) or not re.match(rf"[(（⑴-⒇①-⑳{KANA}]", part)
        ):
            out += " "
        out += part
    return out


def _continues(part_styles: dict[str, int], candidate) -> bool:
    """A heading numbered as the parts are, going on from them (「4 委員発言」 after 「3 報告
    事項」), is a part beside them; one that starts again (「1. …」 under 「3. 議事の概要」) is an
    item of the part."""
    cls, _, number = candidate
    return cls in part_styles and (number is None or _ordinal(number) > part_styles[cls])


def _remarks_part(text: str) -> str | None:
    """The title of a numbered heading over members' remarks, set beside the parts
    (「3 委員発言」「ア 委員の発言」): it is an item of its own when a member speaks in it."""
    if MEMBER_BLOCK.match(text) and (m := MARKER.match(text)) and _style(m["mark"]) != m["mark"]:
        return m["title"].strip()
    if greeting := GREETING.search(text.strip()):  # 「…委員長が、以下の挨拶を行った。」
        return greeting["who"] + greeting["what"]
    return text.strip() if ADDRESS.match(text.strip()) else None


def _who(label: re.Match) -> str:
    if label["role4"]:
        return label["name4"] + label["role4"]
    return re.sub(r"\s", "", label["who"] or label["who2"] or label["who3"])


def _style(mark: str) -> str:
    """The numbering style of a marker: 第1, 1, (1), ① …; parts nest by style."""
    if re.fullmatch(r"[①-⑳]", mark):
        return "①"
    return re.sub(rf"[{KANA}]", "K", re.sub(r"\d+", "N", re.sub(r"\s", "", mark)))


def _ordinal(number: str) -> int:
    """The place of a marker in its sequence: 「(3)」 3, 「ウ」 3, 「③」 3."""
    if kana := re.search(rf"[{KANA}]", number):
        return KANA.index(kana.group()) + 1
    if circled := re.search(r"[①-⑳]", number):
        return ord(circled.group()) - ord("①") + 1
    return int(re.sub(r"\D", "", number) or 0)


def _container(name: str) -> bool:
    """議事の概要, 開催状況 …: a heading over the parts, not a part with a kind of its own."""
    return _part_kind(name) is None


def _part_kind(name: str) -> str | None:
    if "報告" in name and not DECIDED.search(name):
        return "Report"
    if "協議" in name and not DECIDED.search(name.replace("協議", "")):
        return "Consultation"
    if DECIDED.search(name) and not re.search(r"概要|状況|内容", name):
        return "Decision"
    return None


def _organisation(who: str) -> bool:
    """A body that presents an item (「警察本部から」「警視庁から」「県警察から」)."""
    return bool(
        re.fullmatch(
            r"(?:[^\s、。]{0,4}?(?:県|都|道|府))?(?:警察本部|警視庁|警察|警察庁|県警察|警察側)", who
        )
    )


register_reader(
    _Parser,
    description="any other layout: the outline every set of minutes has (title or 日時 "
    "field, 出席者, parts, items, presenters, remarks) read from the shared phrasings",
    recognise=recognise,
)
