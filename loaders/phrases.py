"""Phrases every Japanese commission's minutes share, whatever the page around them.

「X委員から、「…」旨の発言があり、Y部長から、「…」旨の説明があった」, 「…付けで警察本部長が行った
処分に対する審査請求」, 「A県公安委員会からの…援助要求」, 「XとYが…協定を締結」: layouts differ in
headings and numbering, not in these. ``PhraseReader`` reads them into a Minutes; each
layout module subclasses it and adds only what is its own (see loaders/layouts/). Members'
roles, the chair and clock times are reading.py's; lines and quotes are page.py's.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .extract import Document
from .header import committee_given
from .model import (
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
from .normalize import NormalizedText, find_era_dates
from .page import close_quote, ends_mid_sentence, sentence_end, text_lines
from .reading import ATTENDANCE_MEMBER, ENDS_IN_ROLE, ROLE, member_role, settle_chair
from .reference import reference

SPEAKER_CLAUSE = re.compile(r"(?:^|(?<=[、。\n]))(?P<who>[^\s、。「」()]+?)から(?:、|(?=「))")
# who opens a passage: 「交通局長から、」「審議官(犯罪被害者等施策担当)から、」
# 「生活安全局長、刑事局長及び交通局長から」「警察本部から「…」」
WHO = r"(?:[^\s、。「」()（）]|[(（][^()（）]*[)）])+?"
OPENING = re.compile(rf"(?P<who>{WHO}(?:、{WHO})*)から(?:は)?(?:[、,]|(?=「))")
# a member opening a remark: 「野村委員から、」「委員より」「(1) 委員から、」「委員が、「…」」
MEMBER_CLAUSE = re.compile(
    rf"(?:^|(?<=[、,。\n\s)）】]))[^\s、,。「」()《》【】の]{{0,5}}?(?:{ROLE})"
    r"(?:から|より|は[、,]|が[、,]?(?=\s*「))"
)
# the police as a body presenting or answering: 「警察本部から」「警視庁から」「警察側から」
POLICE_BODY = re.compile(
    r"(?:[^\s、。]{1,4}?[都道府県])?(?:警察本部|警視庁|警察庁|県警察|警察側|警察)"
)
CLOSING = re.compile(
    r"(?:旨の?|との)(?P<verb>発言|説明|意見|質問|質疑|回答|要望|報告|指摘|答弁|挨拶|あいさつ|感想|"
    r"所感|提言|要請|助言|講評|謝辞|お礼|紹介)"
    # 「…があった」「…があり、」; 「…旨質問したところ、」「…旨説明を受けた」「…旨の質問がなされ、」
    # 「…旨の意見が出された。」「…旨の感想が述べられた。」
    r"(?:があ|を受け|し|がなされ|が出され|が述べられ)(?P<cont>り[、,]?|った。?|たところ[、,]?|た。?|[、,])"
    r"|旨を?述べ(?P<said>た。?|[、,])"  # 「林委員長は、「…」旨述べた。」
)
# 「A委員より、「…」旨、B委員より、「…」旨の発言があった」: one closing for a chain of speakers
CHAINED = re.compile(r"旨[、,]\s*(?=[^\s、,。「」]{1,24}?(?:から|より)は?[、,]?\s*「)")
UNQUOTED_CHAIN = re.compile(r"旨[、,]\s*(?=[^\s、,。「」]{1,24}?(?:から|より)は?[、,])")
# the page stops inside the closing phrase (「…」旨の発言が|): the remark is there, cut
CUT_CLOSING = re.compile(
    r"(?:旨|との)(?:の|の発|の発言|の発言が|の説明|の説明が|の意見|の意見が|[、,][^。「」]{0,24})?\s*$"
)
OPENS_QUOTE = re.compile(r"\s*[「『]")
# 「…」、「…」旨の発言: one speaker's words quoted in pieces
QUOTE_AGAIN = re.compile(r"[、,]\s*「")
# 「委員から、」「委員より,」「山田委員からは」「警察側から、」 at the start of a clause
REMARK_SPEAKER = re.compile(
    # 「…、また本部長から」: a connective is no part of the speaker
    r"(?:^|(?<=[、,。\n\s)）】]))(?:また|さらに|更に|なお|次に|続いて)?[、,]?"
    r"(?P<who>[^\s、,。「」()《》【】]+?)"
    # 「委員が、「…」旨質問したところ」「林委員長は、「…」旨述べた」
    r"(?:(?:から|より)は?[、,]?|[がは][、,]?(?=\s*「)|(?P<subject>は)[、,])"
)
# a member's question or wish told, not quoted: 「矢橋委員は、…について質問をした。」
# 「…の周知を要望した。」「…と述べた。」 (read only after a member: 「X委員は、」)
# 「委員から、…について質問があった。」「…について確認があるとともに、」 (after 「X委員から、」)
TOLD = re.compile(
    r"(?:(?:について|を|と)(?:の)?(?:質問|要望|意見|指摘|提言|提案|感想|要請|確認)(?:を|が)?"
    r"(?:し|述べ|行っ|出し|あっ|なされ|出され)|と述べ)"
    r"(?P<cont>たところ[、,]?|た。?|ました。?|たほか[、,]?)(?P<said>)"
)
# who the minutes leave unnamed: 「委員」「各委員」「別の委員」「2委員」
UNNAMED_MEMBER = re.compile(r"(?:別の|他の|ほかの|各|両|全|\d{1,2})?(?:公安)?委員")
# 「生活安全部長及び刑事部長から」「A委員とB委員から」: several who spoke or presented together
JOINED = re.compile(r"及び|並びに|と|・")
JOINT_MEMBER = re.compile(rf"[^\s、,。]+?(?:{ROLE})")
# 「本部長、…及び首席監察官同席の上、」「…が出席し、」「…同席のもと、」: the officers present
OFFICERS_PRESENT = re.compile(r"が?(?:同席|出席)(?:の上|のもと|の下|し)[、,]")
COUNT = re.compile(r"\((\d+)件\)")
DISPOSITION = re.compile(r"付け?(?:\((\d+)件\))?")  # 「…日付け」「…日付」
# 「…付けで下関警察署長が行った（運転免許の取消し）処分」「…付の警察本部長による処分」:
# what was disposed may be named before 処分
DISPOSED = r"[^、。\s]{0,24}?処分"
AUTHORITY = re.compile(rf"付け?[での](?P<who>[^、。\s]+?)(?:が(?:行った|した)|による){DISPOSED}")
AUTHORITY_BEFORE = re.compile(
    rf"(?:^|、)(?P<who>[^、。\s]+?)が[^。]*?付け?で(?:行った|した){DISPOSED}"
)
RECEIPT_REPORTED = re.compile(r"に受理の報告を受け")
RECEIPT_NOW = re.compile(r"審査請求を受理した旨の報告")
ADVISORY = re.compile(r"(?:、|^)(?P<body>[^、。\s]+?(?:審査会|審議会))(?:から|の)答申")
# 「A公安委員会に（警察官の派遣を求める）援助要求」: asked of A; not 「において」「による」
REQUESTED_OF = re.compile(r"に(?!おい|おけ|よ|て|つ|関)")
# what the staff are sent to do: 「…警備に従事させるため」「…警備に当たらせるため」
# 「…交通整理に当たる警察官」「…のため」
PURPOSE = re.compile(r"(?P<p>[^、。]*?)(?:に(?:従事させる|当たらせる)ため|に当たる警察官|のため)")
AGREEMENT_PARTIES = re.compile(r"(?P<a>[^、。\s]+?)と(?P<b>[^、。\s]+?)(?:が|は)[^。]*?協定を締結")
AGREEMENT_TITLE = re.compile(r"^(?P<b>.+?)との(?:[^、。\s]*?)協定")
# 「茨城県警察と常磐大学及び常磐短期大学における連携協定」: every party named in the title
AGREEMENT_BETWEEN = re.compile(
    r"^(?P<a>[^、。\s「」]+?)と(?P<b>[^、。\s「」]+?)(?:における|の間の|間の|間における)[^、。\s]*?協定"
)
AREAS = re.compile(r"連携事項|協力事項|連携内容|協定の内容|連携・協力事項")
PLANNED = re.compile(r"今後の取組|今後の予定|今後の活動")
CONCLUDED = re.compile(r"締結日")
SUB_NUMBER = re.compile(r"^\((\d+)\)\s*(.*)$")
OUTCOMES = (  # the phrase that ends an item, and the outcome it states; first match wins
    ("裁決書を決裁", "裁決書決裁"),
    ("了承した", "了承"),
    ("議決した", "議決"),
    ("可決した", "議決"),
    ("決裁した", "決裁"),
    ("決裁が行われた", "決裁"),
    ("決定した", "議決"),
    ("決定する", "議決"),  # 「受理を決定するとともに、…」
    ("承認した", "決裁"),
    ("報告を受けた", "報告受理"),
    ("報告があった", "報告受理"),
    ("協議した", "協議"),
)


# 「原案どおり可決された」「原案のとおり承認された」: the commission's decision in the passive;
# without the draft (「県議会で可決された」) it is news of another body's decision
AS_DRAFTED = re.compile(
    r"(?:どおり|とおり)\s*(?:に)?(可決|議決|決定|承認|決裁|了承)され(?:た|ました)"
)
PASSIVE = {"可決": "議決", "議決": "議決", "決定": "議決", "承認": "決裁", "決裁": "決裁"}


def outcome_of(text: str) -> str | None:
    """The outcome the text states, in the plain or the polite style (「了承しました」
    「報告を受けました」「報告がありました」), or in the passive after the draft."""
    if passive := AS_DRAFTED.search(text):
        return PASSIVE.get(passive[1], passive[1])
    for phrase, outcome in OUTCOMES:
        if phrase in text or _polite(phrase) in text:
            return outcome
    return None


def _polite(phrase: str) -> str:
    """了承した → 了承しました, 報告を受けた → 報告を受けました, 報告があった → 報告がありました."""
    for plain, polite in (("った", "りました"), ("た", "ました"), ("する", "します")):
        if phrase.endswith(plain):
            return phrase[: -len(plain)] + polite
    return phrase


class PhraseReader:
    """Reads the shared phrases of one document into ``self.m``."""

    name = "phrases"
    version = "0"

    def __init__(self, document: Document, text: NormalizedText):
        self.t = text.text
        self.ref = reference()
        self.m = Minutes(
            document=document, text=text, loader=self.name, loader_version=self.version
        )

    def labelled_places(self, header, label: re.Pattern, names: tuple[str, ...]) -> None:
        """Places after a label line (開催場所 …): on its rest, or on the next line when the
        page sets the label apart (a table); several separated by 、 or ,."""
        for k, (s, e, line) in enumerate(header):
            lm = label.match(line)
            if not lm or lm.group("label") not in names:
                continue
            start = s + lm.start("rest")
            if not lm.group("rest") and k + 1 < len(header):
                start, e = header[k + 1][:2]
            for part in re.finditer(r"[^、,]+", self.t[start:e]):
                text = part.group(0).strip()
                if text:
                    at = start + part.start() + part.group(0).index(text)
                    self.m.places.append(Place(text, Span(at, at + len(text))))
            return

    def check_ending(self, end: int | None = None) -> None:
        """Warn when the text (up to ``end``: the page's footer) stops mid-sentence: a
        download or an extraction cut it off."""
        if ends_mid_sentence(tail := self.t[:end].rstrip()):
            last = tail.rsplit("\n", 1)[-1]
            self.m.warn(
                f"the document ends mid-sentence ({last[-20:]!r}): it may be cut off",
                Span(len(tail) - len(last), len(tail)),
            )

    def detect_committee(self) -> str | None:
        """The commission: the operator's --committee, the source URL, the place
        (…県警察本部) or 「…県公安委員会事務」 — never the first 「…県公安委員会」 in the text,
        which in the seed is another prefecture's."""
        if code := committee_given(self.m.document, self.ref):
            return code
        for place in self.m.places:
            for pref in sorted(self.ref.prefectures(), key=len, reverse=True):
                if place.label.startswith(pref + "警察"):
                    return self.ref.committee_by_name(pref)
        m = re.search(r"([^、。\s]{2,3}[都道府県])公安委員会事務", self.t)
        if m:
            return self.ref.committee_by_name(m.group(1))
        return None

    def own_committee(self, prefecture: str) -> str | None:
        """The commission of a layout that is one prefecture's own: as detect_committee
        finds it, else that prefecture's when the page names it or its police (「三重県公安
        委員会」「三重県警察」). The items name other commissions (「岐阜県公安委員会から…援助
        要求」), so no other prefecture counts."""
        if code := self.detect_committee():
            return code
        if f"{prefecture}公安委員会" in self.t or f"{prefecture}警察" in self.t:
            return self.ref.committee_by_name(prefecture)
        self.m.warn(f"the committee is not named ({prefecture}公安委員会): give --committee")
        return None

    def officers_present(self, start: int, end: int) -> None:
        pos = start
        for part in re.split(r"、|及び", self.t[start:end]):
            post = part.strip()
            if post:
                at = self.t.index(post, pos)
                self.m.officers_present.append(Officer(post, Span(at, at + len(post))))
                pos = at + len(post)

    def explained_item(self, item: AgendaItem, start: int, end: int) -> int:
        """「X部長から、…旨の説明があった。」 (quoted or not) is the item's description, not a
        remark; the members' remarks and the answers follow it. Returns where the first
        remark starts; the text before it is the description when no officer opens it."""
        body = self.t[start:end]
        pos = start
        first = OPENING.match(self.t, start + len(body) - len(body.lstrip()), end)
        parts = opening_parts(self.t, first) if first else []
        if parts and all(self.is_officer(self.t[s:e]) for s, e in parts):
            if item.presenters and all(is_police_body(self.t[s:e]) for s, e in parts):
                pass  # 「(審議:交通部) / 警察本部から、…」: the department tagged presents it
            else:
                item.presenters += [Officer(self.t[s:e], Span(s, e)) for s, e in parts]
            desc_start = first.end()
            if self.t.startswith("「", desc_start):
                close = close_quote(self.t, desc_start)
                desc = (desc_start + 1, min(close, end))
                after = CLOSING.match(self.t, close + 1)
                pos = after.end() if after else min(close + 1, end)
            else:
                # an unquoted explanation ends before the first member speaks: the remarks
                # after it have closings of their own (「…について報告があった。Y委員から、
                # 「…」旨の発言があった。」)
                member = MEMBER_CLAUSE.search(self.t, desc_start, end)
                stop = member.start() if member else end
                closing = re.compile(r"(?:^|\n)旨の説明があった。?").search(
                    self.t, desc_start, stop
                )
                if closing is None:
                    closing = CLOSING.search(self.t, desc_start, stop)
                desc = (desc_start, closing.start() if closing else stop)
                pos = closing.end() if closing else stop
            item.description = self.t[desc[0] : desc[1]].strip()
            self.agreement(item, *desc)
        first_remark = self.remarks(item, pos, end)
        if item.description is None and self.t[start:first_remark].strip():
            item.description = self.t[start:first_remark].strip()
        return first_remark

    def remarks(self, item: AgendaItem, start: int, end: int) -> int:
        return read_remarks(self.m, item, start, end, self.speaker)

    def is_officer(self, who: str) -> bool:
        """A post (部長, 課長 …) or the police as a body: who explains an item."""
        return self.speaker(who).kind == "officer" and (
            self.ref.looks_like_post(who) or is_police_body(who)
        )

    def joint_parts(self, who: str) -> list[str]:
        """Each of several who spoke together (「生活安全部長及び刑事部長」), where every part
        reads as a post or a member; else [who], as written."""
        parts = [who[s:e] for s, e in joined_parts(who)]
        return parts if len(parts) > 1 and all(map(_one_of_several, parts)) else [who]

    def speakers(self, who: str) -> list[Speaker]:
        return [self.speaker(part) for part in self.joint_parts(who)]

    def speaker(self, who: str) -> Speaker:
        """委員 alone is the session's unnamed member; 委員長 alone is the chair when the
        session names one; a surname with a role is a member; anything else is a post."""
        if UNNAMED_MEMBER.fullmatch(who):  # a member, the minutes do not say who
            return Speaker("unnamed", "")
        if who in ("委員長", "公安委員長"):
            return Speaker("member", self.m.chair) if self.m.chair else Speaker("unnamed", "")
        mm = re.fullmatch(rf"(\S+?)({ROLE})", who)
        if mm and not self.ref.looks_like_post(who):
            return Speaker("member", mm.group(1))
        return Speaker("officer", who)

    def agreement(self, item: AgendaItem, start: int, end: int) -> None:
        if "協定" not in item.title and "協定を締結" not in self.t[start:end]:
            return
        parties: list[str] = []
        if m := AGREEMENT_PARTIES.search(self.t, start, end):
            parties = [m.group("a"), m.group("b")]
        elif m := AGREEMENT_BETWEEN.match(item.title):
            parties = [m.group("a"), *re.split(r"及び|並びに|、", m.group("b"))]
        elif m := AGREEMENT_TITLE.match(item.title):
            # 「X との協定」: the other party is the prefecture's police
            c = self.ref.committees.get(self.m.committee or "")
            parties = (
                [f"{c.prefecture}警察", m.group("b")] if c and c.prefecture else [m.group("b")]
            )
        parts = sub_parts(self.t, start, end)
        concluded = None
        areas: list[str] = []
        planned: list[str] = []
        for title, ps, pe in parts:
            if CONCLUDED.search(title):
                dates = [d for d in find_era_dates(self.t, ps, pe) if d.value]
                concluded = dates[0].value if dates else None
            elif AREAS.search(title):
                areas = bullets(self.t, ps, pe)
            elif PLANNED.search(title):
                planned = bullets(self.t, ps, pe)
        if not parties:  # an agreement is between parties (shapes/core.ttl): none, no node
            self.m.warn(
                "an agreement whose parties are not stated: not recorded as an agreement",
                item.span,
            )
            return
        item.agreement = Agreement(parties, concluded, areas, planned, Span(start, end))

    def brief_item(self, item: AgendaItem, start: int, end: int) -> None:
        body = self.t[start:end]
        for m in SPEAKER_CLAUSE.finditer(self.t, start, end):
            who = m.group("who")
            if self.ref.looks_like_post(who):
                item.presenters.append(Officer(who, span_of(m)))
        if body.strip():
            item.description = body.strip()
        item.outcome = outcome_of(body)
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
                if after.startswith(("及び", "、", ",", "並びに")):
                    pending.append(code)
                    continue
                if after.startswith("から"):
                    found += [(c, True) for c in [*pending, code]]
                elif after.startswith(("に対", "へ")) or REQUESTED_OF.match(after):
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

    def new_item(self, kind: str, number: str | None, title: str, span: Span) -> AgendaItem:
        item = AgendaItem(
            position=len(self.m.items) + 1,
            kind=kind,
            local_number=number,
            title=title.strip(),
            span=span,
        )
        self.m.items.append(item)
        return item


def is_police_body(who: str) -> bool:
    return bool(POLICE_BODY.fullmatch(who))


def span_of(m: re.Match, base: int = 0) -> Span:
    return Span(base + m.start(), base + m.end())


def sub_parts(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """The (1)…(n) parts of an explanation: (title, content start, content end)."""
    heads = [(s, e, line) for s, e, line in text_lines(text, start, end) if SUB_NUMBER.match(line)]
    parts = []
    for k, (_s, e, line) in enumerate(heads):
        part_end = heads[k + 1][0] if k + 1 < len(heads) else end
        parts.append((SUB_NUMBER.match(line).group(2), min(e + 1, part_end), part_end))
    return parts


def bullets(text: str, start: int, end: int) -> list[str]:
    out = []
    for _, _, line in text_lines(text, start, end):
        m = re.match(r"^[○●◯・]\s*(.+)$", line)
        if m:
            out.append(m.group(1).strip())
    return out


def read_attendance(m: Minutes, lines, names_at: Callable[[str], int | None]) -> None:
    """Members from every attendance line (names_at says where a line's names start; an
    empty rest means they are on the next line, as in a table), each member once; the
    chair is the 委員長, else the 委員長職務代理者. Pages repeat the line: that is no error,
    but one name given two roles is."""
    t = m.text.text
    for k, (s, e, line) in enumerate(lines):
        at = names_at(line)
        if at is None:
            continue
        start = s + at
        if not line[at:].strip() and k + 1 < len(lines):
            start, e = lines[k + 1][:2]
        for mm in ATTENDANCE_MEMBER.finditer(t, start, e):
            name, role = mm.group("name"), member_role(mm.group("role"))
            span = Span(mm.start(), mm.end())
            seen = next((x for x in m.members if x.name == name), None)
            if seen is None:
                m.members.append(Member(name, role, span))
            elif seen.role != role:
                m.warn(f"member {name} is listed as {seen.role} and as {role}", span)
    settle_chair(m)


def _one_of_several(who: str) -> bool:
    return bool(who) and (reference().looks_like_post(who) or bool(JOINT_MEMBER.fullmatch(who)))


def joined_parts(who: str) -> list[tuple[int, int]]:
    """(start, end) of each part of 「A及びB」「AとB」「A並びにB」「A・B」, not looking inside
    brackets (「審議官（刑事局・組織犯罪対策担当）」 is one)."""
    parts, depth, pos, i = [], 0, 0, 0
    while i < len(who):
        if who[i] in "（(":
            depth += 1
        elif who[i] in "）)":
            depth = max(0, depth - 1)
        elif depth == 0 and (m := JOINED.match(who, i)):
            parts.append((pos, i))
            pos = i = m.end()
            continue
        i += 1
    parts.append((pos, len(who)))
    return parts


def opening_parts(t: str, m: re.Match) -> list[tuple[int, int]]:
    """(start, end) of each who of an OPENING match: 「A、B及びC」 is three; one part when
    they do not all read as posts or members."""
    parts = []
    pos = m.start("who")
    for chunk in t[m.start("who") : m.end("who")].split("、"):
        parts += [(pos + s, pos + e) for s, e in joined_parts(chunk)]
        pos += len(chunk) + 1
    if len(parts) > 1 and all(_one_of_several(t[s:e]) for s, e in parts):
        return parts
    return [(m.start("who"), m.end("who"))]


def joint_at(t: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where each of several who spoke or presented together is written: t[start:end] is
    「生活安全部長及び刑事部長」, or the end of 「刑事部長、警務部長及び交通部長」 (a speaker
    pattern stops at a comma). Each part must read as a post or a member; otherwise
    [(start, end)]: one speaker, as written."""
    parts = [(start + s, start + e) for s, e in joined_parts(t[start:end])]
    if len(parts) < 2 or not all(_one_of_several(t[s:e]) for s, e in parts):
        return [(start, end)]
    while start > 0 and t[start - 1] == "、":
        before = max(t.rfind(c, 0, start - 1) for c in "、。\n「」") + 1
        if not _one_of_several(t[before : start - 1]):
            break
        parts.insert(0, (before, start - 1))
        start = before
    return parts


def read_remarks(
    m: Minutes, item: AgendaItem, start: int, end: int, speaker: Callable[[str], Speaker | None]
) -> int:
    """The remarks in t[start:end], in order; returns where the first one starts (or end).

    「X から、「…」旨の発言があった。」, also 「X より,」「X からは「…」」, 「…」との発言, and
    without quotes 「X から、…してほしい旨の発言があった。」. An officer's words chained to a
    member's by 「…があり、」 answer them (reply_to); a member's follow-up stands alone. A
    speaker the ``speaker`` callable refuses (None: someone outside the session) is skipped.
    """
    t = m.text.text
    first = end
    pos = start
    previous: Remark | None = None
    chained = False
    while (sm := REMARK_SPEAKER.search(t, pos, end)) is not None:
        q = sm.end()
        q += len(t[q:end]) - len(t[q:end].lstrip())
        chain = None
        if t.startswith(("「", "『"), q):
            close = min(close_quote(t, q), end)
            # 「…」、「…」旨の発言: one speaker's words quoted in pieces
            while (more := QUOTE_AGAIN.match(t, close + 1, end)) and close < end:
                close = min(close_quote(t, more.end() - 1), end)
            if close >= end:
                text_span, closing = (q + 1, end), None
                m.warn(
                    "a remark's quote is never closed: the text is cut off inside it",
                    Span(sm.start(), end),
                )
            else:
                after = close + 1 + len(t[close + 1 : end]) - len(t[close + 1 : end].lstrip())
                closing = CLOSING.match(t, after, end)
                chain = CHAINED.match(t, after, end) if closing is None else None
                cut = CUT_CLOSING.fullmatch(t, after, end) if closing is None else None
                if closing is None and chain is None and cut is None:
                    pos = close + 1
                    continue
                if cut is not None:
                    m.warn("the text stops inside a remark's closing phrase", Span(sm.start(), end))
                text_span = (q + 1, close)
            remark_end = chain.end() if chain is not None else closing.end() if closing else end
        elif not sm.group().rstrip().endswith(("、", ",")):
            pos = sm.end()  # 「前年より減少した」: より of a comparison, no speaker's clause
            continue
        else:
            stop = sentence_end(t, q, end)  # the sentence's end, not a quote's
            for other in REMARK_SPEAKER.finditer(t, q, stop):
                if not other["subject"] and OPENS_QUOTE.match(t, other.end()):
                    stop = other.start()  # 「…報告があり、委員から「…」」: another's words
                    break
            closing = CLOSING.search(t, q, stop)
            if sm["subject"]:  # 「X委員は、…について質問をした。」: a member only, told
                closing = TOLD.search(t, q, stop) if ENDS_IN_ROLE.search(sm["who"]) else None
            elif closing is None and ENDS_IN_ROLE.search(sm["who"]):
                closing = TOLD.search(t, q, stop)  # 「委員から、…について質問があった。」
            link = UNQUOTED_CHAIN.search(t, q, closing.start() if closing else stop)
            if closing is None and link is None:
                pos = sm.end()
                continue
            if link is not None:  # 「A委員より、…してほしい旨、B委員より、…旨の発言があった」
                chain, closing = link, None
                text_span, remark_end = (q, link.start()), link.end()
            else:
                text_span, remark_end = (q, closing.start()), closing.end()
            if re.fullmatch(r"\s*次の(?:とおり)?\s*", t[text_span[0] : text_span[1]]):
                pos = remark_end  # 「3委員から次の旨の意見があった。」: the words follow below
                continue
        parts = joint_at(t, sm.start("who"), sm.end("who"))
        whos = [speaker(t[s:e]) for s, e in parts]
        if None in whos:  # words of someone outside the session, related in a report
            pos = remark_end
            continue
        who = whos[0]
        answers = (
            chained and previous and who.kind == "officer" and previous.speaker.kind != "officer"
        )
        remark = Remark(
            position=len(m.remarks) + 1,
            item=item.position,
            speaker=who,
            text=t[text_span[0] : text_span[1]].strip(),
            span=Span(min(sm.start(), parts[0][0]), remark_end),
            reply_to=previous.position if answers else None,
            joint=whos[1:],
        )
        m.remarks.append(remark)
        first = min(first, remark.span.start)
        if chain is None:
            previous = remark
            goes_on = ("り", "たところ", "、", ",")  # 「…があり、」「…したところ、」: answered
            cont = closing and (closing.group("cont") or closing.group("said"))
            chained = bool(cont and cont.startswith(goes_on))
        pos = remark_end
    return first
