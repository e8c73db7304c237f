"""The Yamaguchi commission's pages on the prefectural police site, 2015–17 (山口県警察,
police.pref.yamaguchi.jp): 「公安委員会の開催概要(平成28年5月25日)」 in bulleted outline.

    公安委員会の開催概要(平成28年5月25日)     ← the session date is in the title
    本日の定例会議では、以下のとおり、審議、決裁を行いました。
    委員会議【午後1時30分~午後2時】            ← members only (or 【公安委員のみによる審議】)
    公安委員会の視察計画について協議しました。    ← an item stated as a sentence
    全体会議【午後2時~午後4時10分】            ← reports by the police, questions, answers
    夏の交通安全県民運動の実施計画について        ← an item: a title ending in について
    (説明:交通企画課長)                         ← the presenter, when the page names one
    ● 期間 / ○ … / ・ … / □ …                ← the outline: the item's description
    委員の発言
    ・ …                                        ← one remark per bullet
    警察の回答
    ・ …                                        ← one answer per bullet

How it is read, and why:

- The committee is the operator's ``--committee``, else the one the page's URL names, else
  Yamaguchi's (``JP-35``): the layout is this one site's own template.
- The session runs from the earliest to the latest time in the section brackets; pages
  whose brackets describe the section instead (【公安委員のみによる審議】) state no times.
- 全体会議 items are Reports received (outcome none, like the 審議概要 of the 会議録). Items of
  the 委員会議 take their kind from their verb: 決裁しました → Decision (決裁), 議決 → Decision
  (議決), 了承 → Decision (了承), 協議しました → Consultation (協議), 報告を受けました →
  Report (報告受理). Items are numbered only on some pages (⑴); when the numbering
  restarts without a section heading, the lost heading is the next section's (委員会議 is
  followed by 全体会議). Unnumbered items have no local number.
- The pages name no member: every remark under 委員の発言 is spoken by the session's unnamed
  member (``Speaker("unnamed", "")``, one ``ckg:UnnamedMember`` node per session), and the
  page lists no members present.
- 警察の回答 does not say which officer answered. Its speaker is the post 「警察」 (an
  ``Officer`` node ``id/officer/JP-35/警察``: "the police, post not stated"), never the
  item's presenter: the page does not say the presenter answered, and a researcher can
  still join answers to presenters through the item. Each answer replies to the member's
  remark it follows: the k-th answer of a block to the k-th remark of the block before it
  when both have as many bullets, else to the last remark of that block.
- Words of other people inside the outline (「協議会では、委員から「…」との意見」) stay in the
  item's description: only the bullets under 委員の発言 are remarks.
- A page cut off midway yields what is there, with warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..extract import Document
from ..header import committee_given, first_date
from ..model import AgendaItem, Minutes, Officer, Remark, Span, Speaker
from ..normalize import NormalizedText
from ..page import block_lines, ends_cut_off, glue_points, is_chrome
from ..phrases import PhraseReader
from ..reading import at, clock_range
from ..registry import register_reader

NAME = "yamaguchi-police-web"
VERSION = "1"
COMMITTEE = "JP-35"
POLICE = "警察"  # the speaker of 警察の回答: the police, post not stated

TITLE = re.compile(r"開催概要\s*\(")
SECTION = re.compile(r"^(?P<name>委員会議|全体会議)\s*(?:【(?P<bracket>[^】]*)】?)?\s*$")
SECTION_ORDER = ("委員会議", "全体会議")
BULLET = re.compile(r"^(?P<mark>[●○◯〇・□■◆◇◎※])\s*(?P<text>.*)$")
NUMBER = re.compile(r"^(?P<num>\(\d+\)|\d+(?=\s))\s*(?P<rest>.*)$")
# a title: one short line ending in について, no sentence (「…について協議しました。」 is one)
ITEM_TITLE = re.compile(r"^(?P<title>[^。]{1,80}について)$")
SENTENCE_ITEM = re.compile(
    r"^(?P<subject>.+?)について、?(?P<verb>協議|決裁|議決|了承|報告を受け)(?:を行い)?(?:しました|した|ました|た)"
)
PRESENTER_LINE = re.compile(
    r"^[(\[【]\s*(?:説明者?|報告者?)\s*[:：]\s*(?P<who>[^)\]】]+?)\s*[)\]】]$"
)
MEMBER_BLOCK = re.compile(r"^【?委員(?:の|からの)?(?:発言|意見|質問)】?$")
POLICE_BLOCK = re.compile(r"^【?警察(?:の|からの)?(?:回答|説明)】?$")
QUESTION = re.compile(r"か[。?？]?$")
VERBS = (  # (phrase in the item's text, kind, outcome); first match wins
    ("決裁", "Decision", "決裁"),
    ("議決", "Decision", "議決"),
    ("了承", "Decision", "了承"),
    ("協議", "Consultation", "協議"),
    ("報告を受け", "Report", "報告受理"),
)


def recognise(text: NormalizedText) -> float:
    """The section headings 委員会議【…】/全体会議【…】, the blocks 委員の発言/警察の回答 and the
    opening 「本日の定例会議では、…」 are this template's own; a dated 開催概要 title and ●○
    bullets are shared with other prefectures' pages, so they count for little."""
    t = text.text
    score = 0.0
    if re.search(r"^(?:委員会議|全体会議)\s*【", t, re.M):
        score += 0.4
    if re.search(r"^【?委員の発言】?$", t, re.M) or re.search(r"^【?警察の回答】?$", t, re.M):
        score += 0.2
    if "本日の定例会議では" in t[:600]:
        score += 0.2
    if TITLE.search(t[:400]):
        score += 0.1
    if re.search(r"^[●○]", t, re.M):
        score += 0.1
    if re.search(r"^審議概要$", t, re.M) or "会議録" in t[:300]:
        score -= 0.4
    return max(0.0, min(score, 1.0))


@dataclass
class _Item:
    section: str
    start: int
    title: str
    title_span: Span
    number: str | None = None
    sentence: str | None = None  # the verb of an item stated as one sentence
    presenters: list[Officer] = field(default_factory=list)
    described: list[tuple[int, int]] = field(default_factory=list)
    # blocks of remarks: ("member" | "police", [(start, end)])
    blocks: list[tuple[str, list[list[int]]]] = field(default_factory=list)


class _Parser(PhraseReader):
    name = NAME
    version = VERSION

    def __init__(self, document: Document, text: NormalizedText):
        super().__init__(document, text)
        self.breaks = glue_points(text)

    def run(self) -> Minutes:
        lines = list(block_lines(self.t, self.breaks, 0, len(self.t)))
        self.title(lines)
        self.m.committee = self.committee()
        items = self.read_lines(lines)
        for it in items:
            self.add_item(it)
        if not items:
            self.m.warn("no agenda items (…について) found under 委員会議 / 全体会議")
        if ends_cut_off(self.t):
            end = len(self.t.rstrip())
            self.m.warn(
                "the page ends mid-sentence: it seems cut off, and what follows is missing",
                Span(end - 1, end),
            )
            last = self.m.remarks[-1] if self.m.remarks else None
            if last and last.span.end >= end:
                self.m.warn(
                    f"remark {last.position} is cut off: its words are incomplete", last.span
                )
        return self.m

    # -- the title, the committee ----------------------------------------------------------

    def title(self, lines) -> None:
        heading = next(((s, e) for s, e, line in lines if TITLE.search(line)), None)
        if heading is None:
            self.m.warn("no title 「公安委員会の開催概要(…)」: the session date is not known")
            return
        s, e = heading
        if "臨時" in self.t[s:e]:
            self.m.kind = "臨時会"
        found = first_date(self.t, s, e)
        if found.problem:
            self.m.warn(f"session date: {found.problem}", found.span)
        if found.value:
            self.m.date, self.m.date_span, self.m.weekday = found.value, found.span, found.weekday
        else:
            self.m.warn("the session date is missing from the title (開催概要(…))", Span(s, e))

    def committee(self) -> str:
        return committee_given(self.m.document, self.ref) or COMMITTEE

    # -- lines into items ------------------------------------------------------------------

    def read_lines(self, lines) -> list[_Item]:
        items: list[_Item] = []
        section = "全体会議"  # pages of 2017 often have only the 全体会議
        heading = None  # the section's heading line
        last_number = 0
        current: _Item | None = None
        mode = "description"
        for s, e, line in lines:
            if is_chrome(line):
                if items:
                    break  # the page's own notes after the minutes
                continue  # …or before them (更新日 above the title)
            if sec := SECTION.match(line):
                section, last_number, current, mode = sec["name"], 0, None, "description"
                heading = (s, e, line)
                self.section_times(sec, s)
                continue
            number, rest = None, line
            if (n := NUMBER.match(line)) and ITEM_TITLE.match(n["rest"]):
                number, rest = n["num"], n["rest"]
            if ITEM_TITLE.match(rest) and not BULLET.match(line):
                if number is not None:
                    value = int(number.strip("()"))
                    if value <= last_number and section in SECTION_ORDER[:-1]:
                        # numbering restarts without a heading: the next section's was lost
                        section = SECTION_ORDER[SECTION_ORDER.index(section) + 1]
                    last_number = value
                written = None
                if number is not None:
                    a, b = self.m.text.to_source(s, s + len(number))
                    written = self.m.text.source[a:b]
                title_start = e - len(rest)
                current = _Item(section, s, rest, Span(title_start, e), written)
                items.append(current)
                mode = "description"
                continue
            if (
                (sm := SENTENCE_ITEM.match(line))
                and section == "委員会議"
                and (current is None or current.sentence is not None)
            ):
                subject, where = sm["subject"], Span(s, s + len(sm["subject"]))
                if "、" in subject and heading:
                    # 「…の調整を行うとともに、今後の業務について協議した」 names no one matter:
                    # the item is the section itself, 委員会議【公安委員のみによる審議】
                    subject, where = heading[2], Span(heading[0], heading[1])
                current = _Item(section, s, subject, where, sentence=sm["verb"])
                current.described.append((s, e))
                items.append(current)
                continue
            if current is None:
                continue  # the page's introduction (本日の定例会議では…)
            if MEMBER_BLOCK.match(line):
                mode = "member"
                current.blocks.append(("member", []))
                continue
            if POLICE_BLOCK.match(line):
                mode = "police"
                current.blocks.append(("police", []))
                continue
            if mode == "description" and (p := PRESENTER_LINE.match(line)):
                who = p["who"]
                at = s + line.index(who)
                current.presenters.append(Officer(who, Span(at, at + len(who))))
                continue
            if mode == "description":
                current.described.append((s, e))
                continue
            bullets = current.blocks[-1][1]
            if (b := BULLET.match(line)) or not bullets:
                at = s + (b.start("text") if b else 0)
                bullets.append([at, e])
            else:
                bullets[-1][1] = e  # a bullet continued on the next line
        return items

    def section_times(self, sec: re.Match, line_start: int) -> None:
        if not sec["bracket"]:
            return
        a, b, _ = clock_range(self.t, line_start + sec.start("bracket"), line_start + sec.end())
        if start := at(self.m.date, a):
            self.m.start = min(self.m.start or start, start)
        if end := at(self.m.date, b):
            self.m.end = max(self.m.end or end, end)

    # -- items into the model ---------------------------------------------------------------

    def add_item(self, it: _Item) -> None:
        end = max([it.title_span.end, *(e for _s, e in it.described)])
        for _kind, bullets in it.blocks:
            end = max([end, *(e for _s, e in bullets)])
        text = "\n".join(self.t[s:e] for s, e in it.described)
        if it.section == "全体会議":
            kind, outcome = "Report", None
        else:
            kind, outcome = next(
                ((k, o) for phrase, k, o in VERBS if phrase in (it.sentence or text)),
                ("Consultation", None),
            )
        item = self.new_item(kind, it.number, it.title, Span(it.start, end))
        item.outcome = outcome
        item.presenters = it.presenters
        if text.strip():
            item.description = text.strip()
        elif not it.blocks:
            self.m.warn(f"item {it.title!r} has no text", item.span)
        self.remarks(item, it.blocks)

    def remarks(self, item: AgendaItem, blocks) -> None:
        previous: list[Remark] = []
        for kind, bullets in blocks:
            if not bullets:
                self.m.warn(
                    f"an empty {'委員の発言' if kind == 'member' else '警察の回答'} block",
                    item.span,
                )
                continue
            made: list[Remark] = []
            for k, (s, e) in enumerate(bullets):
                if kind == "member":
                    speaker, reply = Speaker("unnamed", ""), None
                else:
                    speaker = Speaker("officer", POLICE)
                    reply = _answered(previous, len(bullets), k)
                remark = Remark(
                    position=len(self.m.remarks) + 1,
                    item=item.position,
                    speaker=speaker,
                    text=self.t[s:e].replace("\n", "").strip(),  # a bullet over two lines
                    span=Span(s, e),
                    reply_to=reply,
                )
                self.m.remarks.append(remark)
                made.append(remark)
            previous = made if kind == "member" else []


def _answered(remarks: list[Remark], answers: int, k: int) -> int | None:
    """The remark the k-th of ``answers`` answers: the k-th remark when the blocks have as
    many bullets; else the k-th question (「…か。」) when there are as many questions;
    else the last remark."""
    if not remarks:
        return None
    if len(remarks) == answers:
        return remarks[k].position
    questions = [r for r in remarks if QUESTION.search(r.text)]
    if len(questions) == answers:
        return questions[k].position
    return remarks[-1].position


register_reader(
    _Parser,
    description="Yamaguchi commission pages on the police site 2015–17: 委員会議【…】 / "
    "全体会議【…】, bulleted items, 委員の発言 / 警察の回答",
    recognise=recognise,
)
