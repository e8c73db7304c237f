"""The National Public Safety Commission's pages 「定例委員会の開催状況」 (npsc.go.jp).

    定例委員会の開催状況
    更新日 …                                   ← the page's update date, never the session's
    第1 日 時 令和6年5月16日(木)
              午前10時00分 ~ 午前11時45分       (or 10:00~11:45)
        場 所 国家公安委員会室
    第2 出席者 高岡委員長、北川、宮下、江藤、小西、沢口各委員
              永瀬長官、三輪次長、西条官房長、大槻生活安全局長 …   ← officials: name + post
    第3 議 事 (議事の概要)
      1 議題事項
        (1) …について
            交通局長から、…について説明があり、原案どおり決定した。
            北川委員より、「…」旨、宮下委員より、「…」旨の発言があった。
      2 報告事項
        (1) …について
            官房長から、…について報告があった。

How it is read, and why:

- The committee is the national commission (``JP``) unless the operator says otherwise:
  the layout is that commission's own.
- Members appear by surname in the attendance line: the one written 「…委員長」 chairs; the
  names before 「各委員」 are members. A page without a 委員長 (the minister absent) has no
  chair: the text does not say who stood in.
- Officials are listed with their personal names (「永瀬長官」). Only the post becomes a node
  (DESIGN.md: officers appear by post only; private names get no nodes): the post is the
  longest known National Police Agency post the entry ends with, else the part from a known
  bureau word on; an entry whose post cannot be told from the name is dropped with a
  warning rather than risk a person's name as a post. Posts are kept as written (「長官」):
  the reference data maps aliases (長官 → 警察庁長官).
- 議題事項 are Decisions (原案どおり決定した → 議決, 決裁した → 決裁, 了承した → 了承),
  報告事項 Reports (報告があった → 報告受理). When a part heading is lost and the numbering
  restarts at (1), a new part begins; its kind is read from the phrasing of its items.
- Remarks are 「X委員より、「…」旨、Y委員より、「…」旨の発言があった」 chains, quoted or not,
  starting a sentence; 「…旨の発言があり、Z局長から、「…」旨の説明があった」 makes Z's words an
  answer (reply_to). 「委員長より」 is the chair. A speaker who is not a member present
  (a member of another body whose words a report relates: 「検討会では、座長の…委員より」)
  never becomes a member or a remark.
- Dates may come with a space between every character (「令 和 6 年 …」) or without 日
  (「11月9(木)」); the latter is read only when the weekday written after it confirms it.
- A page cut off midway yields what is there, with warnings.
"""

from __future__ import annotations

import re
from datetime import datetime

from ..extract import Document
from ..model import AgendaItem, Member, Minutes, Officer, Place, Remark, Span, Speaker
from ..normalize import NormalizedText
from ..phrases import PhraseReader, close_quote, joined_parts
from ..registry import register_reader
from ..webpage import (
    FURNITURE,
    JST,
    block_lines,
    clock_range,
    ends_cut_off,
    glue_points,
    mask_quotes,
    read_date,
    sentences,
)

NAME = "npsc-web"
VERSION = "1"
COMMITTEE = "JP"

HEADING = re.compile(r"^第\s*(?P<n>\d)\s*(?P<rest>.*)$")
PART = re.compile(
    r"^(?:(?P<num>\d+)\s*)?[【\[]?\s*(?P<name>議題事項|報告事項|審議事項|決裁事項|協議事項|その他)"
    r"\s*[】\]]?$"
)
ITEM = re.compile(r"^(?P<num>\(\d+\)|\d+(?=\s))\s*(?P<title>\S.*)$")
PART_KIND = {
    "議題事項": "Decision",
    "審議事項": "Decision",
    "決裁事項": "Decision",
    "報告事項": "Report",
    "協議事項": "Consultation",
}
PART_ORDER = ("Decision", "Report")
# Posts of the National Police Agency as the attendance lists them; the longest one an entry
# ends with is its post, what comes before it a personal name (DESIGN.md: no person nodes).
NPA_POSTS = (
    "警察庁長官",
    "長官",
    "次長",
    "官房長",
    "生活安全局長",
    "刑事局長",
    "交通局長",
    "警備局長",
    "サイバー警察局長",
    "情報通信局長",
    "組織犯罪対策部長",
    "外事情報部長",
    "警備運用部長",
    "長官官房審議官",
    "官房審議官",
    "審議官",
    "総括審議官",
    "政策立案総括審議官",
    "技術総括審議官",
    "長官官房技術審議官",
    "長官官房参事官",
    "首席監察官",
    "国家公安委員会会務官",
    "会務官",
)
# Words a post of the Agency starts with, for posts not in NPA_POSTS (「…国際課長」).
BUREAU_WORDS = (
    "警察庁",
    "長官官房",
    "生活安全",
    "刑事",
    "交通",
    "警備",
    "サイバー",
    "情報通信",
    "組織犯罪",
    "外事",
    "国際",
    "人事",
    "総務",
    "会計",
    "技術",
    "政策",
    "総括",
    "首席",
    "国家公安委員会",
    "犯罪被害者",
)
POST_END = re.compile(
    r"(長官|次長|官房長|局長|部長|課長|室長|審議官|参事官|監察官|会務官|所長|校長)$"
)
PAREN = re.compile(r"^(?P<core>.*?)(?P<paren>\([^()]*\))?$")
MEMBER_WHO = re.compile(r"^(?P<name>[^\s、。「」()]*?)(?P<role>委員長|委員)$")
SPEAKER_AT = re.compile(r"(?P<who>[^、。「」\s]{1,24}?)(?:より|から)、?")
UNQUOTED_END = re.compile(
    r"旨(?=、[^、。「」\s]{1,24}?(?:より|から)、|の(?:発言|説明|意見|質問|回答|要望)があ)"
)
CLOSING = re.compile(r"旨の(?P<verb>発言|説明|意見|質問|回答|要望)があ(?P<cont>り、|った|る)")
# 「交通局長から、…説明があり」, 「…について、交通局長から説明があった」, 「A、B及びCから」
PRESENTER = re.compile(
    r"(?:^|、)(?P<who>(?:(?:(?!から)[^、。「」\s])+、)*(?:(?!から)[^、。「」\s])+)から、?"
    r"(?=[^。]*?(?:説明|報告)があ)"
)
DECISION_OUTCOMES = (  # first match wins, read with quotes masked
    ("裁決書を決裁", "裁決書決裁"),
    ("決定した", "議決"),
    ("議決した", "議決"),
    ("決裁した", "決裁"),
    ("了承した", "了承"),
)
REPORT_OUTCOMES = (("報告があった", "報告受理"), ("報告を受けた", "報告受理"))


def recognise(text: NormalizedText) -> float:
    t = text.text
    head = t[:600]
    score = 0.0
    if "定例委員会の開催状況" in head or "国家公安委員会" in head:
        score += 0.3
    if re.search(r"^第\s*1\s*日\s*時", t, re.M):
        score += 0.2
    if re.search(r"^第\s*2\s*出\s*席\s*者", t, re.M):
        score += 0.2
    if re.search(r"^第\s*3\s*議\s*事", t, re.M):
        score += 0.1
    if re.search(r"議題事項|報告事項", t):
        score += 0.1
    if re.search(r"各委員\s*$", t, re.M) or re.search(r"(?:^|、)\S{0,4}長官(?:、|$)", t, re.M):
        score += 0.1
    return min(score, 1.0)


# -- the parser ---------------------------------------------------------------------------


class _Parser(PhraseReader):
    name = NAME
    version = VERSION

    def __init__(self, document: Document, text: NormalizedText):
        super().__init__(document, text)
        self.breaks = glue_points(text)

    def run(self) -> Minutes:
        t = self.t
        self.m.committee = self.m.document.committee or COMMITTEE
        heads = {}
        for s, e, line in block_lines(t, self.breaks, 0, len(t)):
            h = HEADING.match(line)
            if h and h["n"] in "123" and h["n"] not in heads:
                title = re.sub(r"\s", "", h["rest"])
                if (h["n"], title[:2]) in (("1", "日時"), ("2", "出席"), ("3", "議事")):
                    heads[h["n"]] = (s, e, s + h.start("rest"))
        first_head = min((v[0] for v in heads.values()), default=len(t))
        if "臨時" in t[:first_head]:
            self.m.kind = "臨時会"
        ends = sorted([v[0] for v in heads.values()] + [len(t)])

        def section_end(n: str) -> int:
            return next(x for x in ends if x > heads[n][0])

        if "1" in heads:
            self.when_and_where(heads["1"][0], section_end("1"))
        else:
            self.m.warn("no 第1 日時: the session date is read from the first date on the page")
            self.when_and_where(0, ends[0])
        if self.m.date is None:
            self.m.warn("the session date (第1 日時) is missing")
        if "2" in heads:
            self.attendance(heads["2"][2], section_end("2"))
        else:
            self.m.warn("no 第2 出席者: members and officials present are not known")
        if "3" in heads:
            self.proceedings(heads["3"], section_end("3"))
        else:
            self.m.warn("no 第3 議事 found: the session has no agenda items")
        if ends_cut_off(t):
            self.m.warn(
                "the page ends mid-sentence: it seems cut off, and what follows is missing",
                Span(len(t.rstrip()) - 1, len(t.rstrip())),
            )
        return self.m

    # -- 第1 日時 / 場所 -------------------------------------------------------------------

    def when_and_where(self, start: int, end: int) -> None:
        value = span = weekday = problem = None
        for s, e, line in block_lines(self.t, self.breaks, start, end):
            if FURNITURE.match(line):
                continue  # 更新日 …: the page's date, never the session's
            value, span, weekday, problem = read_date(self.t, s, e)
            if span:
                break
        if problem:
            self.m.warn(f"session date: {problem}", span)
        if value:
            self.m.date, self.m.date_span, self.m.weekday = value, span, weekday
        a, b, _ = clock_range(self.t, span.end if span else start, end)
        if self.m.date:
            self.m.start = datetime.combine(self.m.date, a, JST) if a else None
            self.m.end = datetime.combine(self.m.date, b, JST) if b else None
        if self.m.start is None:
            self.m.warn("the start and end times (第1 日時) cannot be read", Span(start, end))
        lines = list(block_lines(self.t, self.breaks, start, end))
        for k, (s, e, line) in enumerate(lines):
            m = re.match(r"^場\s*所\s*", line)
            if not m:
                continue
            if m.end() < len(line):
                ps, pe = s + m.end(), e
            elif k + 1 < len(lines) and not HEADING.match(lines[k + 1][2]):
                ps, pe = lines[k + 1][0], lines[k + 1][1]
            else:
                break
            self.m.places.append(Place(self.t[ps:pe].strip(), Span(ps, pe)))
            break

    # -- 第2 出席者 --------------------------------------------------------------------

    def attendance(self, start: int, end: int) -> None:
        rest = re.match(r"出\s*席\s*者\s*", self.t[start:end])
        start += rest.end() if rest else 0
        for s, e, line in block_lines(self.t, self.breaks, start, end):
            if not self.m.members and ("各委員" in line or re.search(r"委員長(?:、|$)", line)):
                self.members(s, e)
            else:
                self.officials(s, e)
        if not self.m.members:
            self.m.warn("no members present (…各委員) found in 第2 出席者", Span(start, end))
        if not self.m.officers_present:
            self.m.warn("no officials present found in 第2 出席者", Span(start, end))

    def members(self, start: int, end: int) -> None:
        for s, e in _tokens(self.t, start, end):
            token = self.t[s:e]
            name, role = token, "委員"
            if token.endswith("各委員"):
                name = token[: -len("各委員")]
            elif m := MEMBER_WHO.match(token):
                name, role = m["name"], m["role"]
            if not name or len(name) > 5:
                self.m.warn(f"{token!r} in the members' line is not a surname", Span(s, e))
                continue
            if any(x.name == name for x in self.m.members):
                self.m.warn(f"member {name} is listed twice", Span(s, e))
                continue
            self.m.members.append(Member(name, role, Span(s, s + len(name))))
        chairs = [x.name for x in self.m.members if x.role == "委員長"]
        self.m.chair = chairs[0] if chairs else None

    def officials(self, start: int, end: int) -> None:
        tokens = list(_tokens(self.t, start, end))
        named = any(self.post_of(self.t[s:e], named=True)[1] for s, e in tokens)
        for s, e in tokens:
            post, name = self.post_of(self.t[s:e], named=named)
            if post is None:
                self.m.warn(
                    f"an official ({len(self.t[s:e])} characters) whose post cannot be told "
                    "from the personal name: not recorded",
                    Span(s, e),
                )
                continue
            at = s + len(name)
            self.m.officers_present.append(Officer(post, Span(at, e)))

    def post_of(self, token: str, named: bool) -> tuple[str | None, str]:
        """(post, the personal name before it) of an attendance entry or a speaker."""
        m = PAREN.match(token)
        core, paren = m["core"], m["paren"] or ""
        for post in sorted(NPA_POSTS, key=len, reverse=True):
            if core.endswith(post):
                return post + paren, core[: -len(post)]
        for i in range(len(core)):
            if core.startswith(BUREAU_WORDS, i) and POST_END.search(core):
                return core[i:] + paren, core[:i]
        if not named and (POST_END.search(core) or self.ref.looks_like_post(core)):
            return token, ""
        return None, ""

    # -- 第3 議事 ----------------------------------------------------------------------

    def proceedings(self, head: tuple[int, int, int], end: int) -> None:
        sec_start, sec_line_end, _ = head
        label_end = sec_start + re.match(r"第\s*\d", self.t[sec_start:]).end()
        label = re.sub(r"\s", "", _source_text(self.m.text, sec_start, label_end))
        parts: list[dict] = []  # each: kind (None: read from phrasing), heading span, items
        last_number = 0
        boundaries = [end]  # where an item's text ends: the next item or part heading
        for s, e, line in block_lines(self.t, self.breaks, sec_line_end, end):
            if FURNITURE.match(line):
                boundaries.append(s)  # the page's own footnotes end the proceedings
                break
            if p := PART.match(line):
                boundaries.append(s)
                number = _source_text(self.m.text, s + p.start("num"), s + p.end("num"))
                parts.append(
                    {
                        "kind": PART_KIND.get(p["name"]),
                        "number": number if p["num"] else "",
                        "items": [],
                        "lost": False,
                    }
                )
                last_number = 0
                continue
            i = ITEM.match(line)
            if not i or line.endswith("。"):
                continue
            number = int(i["num"].strip("()"))
            if not parts or number <= last_number:
                # items before any part heading, or numbering that restarts without one:
                # the heading was lost, and the kind is read from the items' phrasing
                parts.append({"kind": None, "number": "", "items": [], "lost": bool(parts)})
            last_number = number
            boundaries.append(s)
            written = _source_text(self.m.text, s + i.start("num"), s + i.end("num"))
            parts[-1]["items"].append((s, e, written, i["title"]))
        boundaries.sort()
        previous_kind: str | None = None
        for part in parts:
            bodies = []
            for s, title_end, written, title in part["items"]:
                item_end = next(b for b in boundaries if b > s)
                body_start = min(title_end, item_end)
                bodies.append(
                    (s, item_end, body_start, f"{label} {part['number']}{written}", title)
                )
            kind = part["kind"]
            if kind is None:
                kind = next(
                    (kd for _s, e, b, _n, _t in bodies if (kd := self.kind_from_phrasing(b, e))),
                    None,
                )
                if kind is None:
                    kind = _next_kind(previous_kind) if part["lost"] else "Report"
                    where = Span(bodies[0][0], bodies[-1][1]) if bodies else None
                    self.m.warn(
                        "items under no part heading whose phrasing does not tell their kind: "
                        f"read as {kind}",
                        where,
                    )
            previous_kind = kind
            for s, item_end, body_start, number, title in bodies:
                item = self.new_item(kind, number, title, Span(s, item_end))
                self.item_body(item, body_start, item_end)
        if not any(part["items"] for part in parts):
            self.m.warn("第3 議事 has no numbered items", Span(sec_start, end))

    def kind_from_phrasing(self, start: int, end: int) -> str | None:
        masked = mask_quotes(self.t[start:end])
        if re.search(r"報告があ|報告を受け", masked):
            return "Report"
        if any(p in masked for p, _ in DECISION_OUTCOMES):
            return "Decision"
        return None

    def item_body(self, item: AgendaItem, start: int, end: int) -> None:
        described: list[tuple[int, int]] = []
        for s, e, closed in sentences(self.t, self.breaks, start, end):
            if self.remark_chain(item, s, e, closed):
                continue
            described.append((s, e))
        if described:
            first = described[0]
            self.presenters(item, *first)
            item.description = _joined(self.t, described)
        masked = mask_quotes("".join(self.t[s:e] for s, e in described))
        table = REPORT_OUTCOMES if item.kind == "Report" else DECISION_OUTCOMES
        item.outcome = next((o for phrase, o in table if phrase in masked), None)
        if not described and not any(r.item == item.position for r in self.m.remarks):
            self.m.warn(f"item {item.title!r} has no text", item.span)

    def presenters(self, item: AgendaItem, start: int, end: int) -> None:
        masked = mask_quotes(self.t[start:end])
        m = PRESENTER.search(masked)
        if not m:
            return
        ws = start + m.start("who")
        pos = ws
        for part in re.split(r"及び|並びに|、", self.t[ws : start + m.end("who")]):
            post, name = self.post_of(part, named=False)
            at = self.t.index(part, pos)
            pos = at + len(part)
            if post:
                item.presenters.append(Officer(post, Span(at + len(name), at + len(part))))

    # -- remarks -----------------------------------------------------------------------

    def remark_chain(self, item: AgendaItem, start: int, end: int, closed: bool) -> bool:
        """Read 「X委員より、「…」旨、Y委員より、…旨の発言があ(り、Z局長から…説明があ)った」
        at the start of a sentence; False when the sentence is not commission remarks."""
        clauses = []  # (speaker, text start, text end, clause start, clause end, answers)
        pos, answers = start, False
        while True:
            m = SPEAKER_AT.match(self.t, pos, end)
            if not m:
                break
            q = m.end()
            if self.t.startswith("「", q):
                close = close_quote(self.t, q)
                if close >= end:
                    clauses.append((m["who"], q + 1, end, m.start(), end, answers, True))
                    break
                if not self.t.startswith("旨", close + 1):
                    break
                text_span, at = (q + 1, close), close + 1
            else:
                u = UNQUOTED_END.search(self.t, q, end)
                if not u:
                    break
                text_span, at = (q, u.start()), u.start()
            if self.t.startswith("旨、", at) and SPEAKER_AT.match(self.t, at + 2, end):
                clauses.append((m["who"], *text_span, m.start(), at + 1, answers, False))
                pos, answers = at + 2, False
                continue
            c = CLOSING.match(self.t, at, end)
            if not c:
                break
            clauses.append((m["who"], *text_span, m.start(), c.end(), answers, False))
            if c["cont"] != "り、":
                break
            pos, answers = c.end(), True
        if not clauses:
            return False
        speakers = [self.speakers_of(c[0]) for c in clauses]
        if speakers[0] is None:
            who = clauses[0][0]
            if MEMBER_WHO.match(who):
                self.m.warn(
                    f"{who} is not among the members present: not read as a remark",
                    Span(start, end),
                )
            return False
        previous: Remark | None = None
        for (who, ts, te, cs, ce, answers, cut), given_by in zip(clauses, speakers, strict=True):
            if given_by is None:
                self.m.warn(f"{who} is neither a member present nor an official", Span(cs, ce))
                continue
            speaker = given_by[0]
            if cut or (not closed and ce >= end):
                self.m.warn(
                    "a remark's quote is never closed: the page is cut off inside it",
                    Span(cs, ce),
                )
            reply = (
                previous.position
                if answers
                and previous
                and speaker.kind == "officer"
                and previous.speaker.kind != "officer"
                else None
            )
            remark = Remark(
                position=len(self.m.remarks) + 1,
                item=item.position,
                speaker=speaker,
                text=self.t[ts:te],
                span=Span(cs, ce),
                reply_to=reply,
                joint=given_by[1:],
            )
            self.m.remarks.append(remark)
            previous = remark
        return True

    def speakers_of(self, who: str) -> list[Speaker] | None:
        """The one who spoke, or each of several who spoke together (「刑事局長及び生活安全
        局長から」: where every part reads as a member present or an official)."""
        parts = [who[s:e] for s, e in joined_parts(who)]
        if len(parts) > 1:
            joint = [self.speaker_of(part) for part in parts]
            if all(joint):
                return joint
        one = self.speaker_of(who)
        return [one] if one else None

    def speaker_of(self, who: str) -> Speaker | None:
        if who == "委員長":
            if self.m.chair:
                return Speaker("member", self.m.chair)
            self.m.warn("委員長 speaks, but no 委員長 is listed as present")
            return None
        if who == "委員":
            return Speaker("unnamed", "")
        if m := MEMBER_WHO.match(who):
            if any(x.name == m["name"] for x in self.m.members):
                return Speaker("member", m["name"])
            return None
        post, _name = self.post_of(who, named=False)
        return Speaker("officer", post) if post else None


def _tokens(text: str, start: int, end: int):
    """(start, end) of each 、-separated entry of text[start:end], blanks trimmed."""
    pos = start
    for part in re.split(r"[、,]", text[start:end]):
        s = pos + len(part) - len(part.lstrip())
        e = pos + len(part.rstrip())
        if e > s:
            yield s, e
        pos += len(part) + 1


def _source_text(nt: NormalizedText, start: int, end: int) -> str:
    """The characters of the source behind the normalized span (numbering as written)."""
    s, e = nt.to_source(start, end)
    return nt.source[s:e].strip()


def _next_kind(kind: str | None) -> str:
    if kind in PART_ORDER and PART_ORDER.index(kind) + 1 < len(PART_ORDER):
        return PART_ORDER[PART_ORDER.index(kind) + 1]
    return "Report"


def _joined(text: str, spans: list[tuple[int, int]]) -> str:
    """The text of the spans, kept on one line where the page had them on one line."""
    out = []
    for k, (s, e) in enumerate(spans):
        if k:
            out.append("\n" if "\n" in text[spans[k - 1][1] : s] or s != spans[k - 1][1] else "")
        out.append(text[s:e].strip())
    return "".join(out)


register_reader(
    _Parser,
    description="National Public Safety Commission 定例委員会の開催状況 pages "
    "(第1 日時 / 第2 出席者 / 第3 議事: 議題事項, 報告事項)",
    recognise=recognise,
)
