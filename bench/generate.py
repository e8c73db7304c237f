"""A deterministic generator of synthetic sessions in the layouts commissions publish, for
benchmarks at scales the example minutes cannot reach.

Sessions vary across the 48 commissions (47 prefectures and the National Public Safety
Commission) and 20 years (2006–2025): members who change every few years, officers,
reports with remarks and answers, decisions on appeals whose receipt is reported in one
session and whose ruling comes a few sessions later, dispatch requests between the
prefectures' commissions, occasional agreements, consultations. Each session's facts are
drawn first (``draw_session``), then written in its commission's layout, as text:

- ``seed`` (36% of the sessions at N=1,000; the yamaguchi-kaigiroku reader): the 会議録
  PDF's text, with spaced headings, 出/席/者 down the page, full-width digits, era dates;
- ``numbered`` (25%; generic): 1 開催日時 … 4 議事の概要 over (1) items, members unnamed
  (「委員から、「…」旨の発言があった」);
- ``hiroshima`` (15%; hiroshima-web): 【議題】/【報告】 over ○ items (「…説明を受け、案の
  とおり議決した」), members unnamed; the comma 「，」 before 2020;
- ``mie`` (15%; mie-web): a YYYY/MM/DD heading, 個別会議/全体会議 over ⑴ items tagged
  (審議:交通部); before 2019, 審議事項/報告事項, no attendance, 【…委員】 label lines;
- ``flat`` (8%; generic): no headings; the date, the members, the posts, then a sentence
  an item (「警視庁から、…について報告があった。」) and the members' opinions;
- ``national`` (2%; generic): the National Public Safety Commission's 定例委員会の開催状況
  (第1 日時 / 第2 出席者 / 第3 議事の概要, 議題事項/報告事項, 「北川委員より、「…」旨」).

The layout is the commission's (``layout_of``): the National Public Safety Commission has
its own, Tokyo the flat page, Mie and Hiroshima the pages their readers were written for;
the other prefectures take the layouts in turn by their number, and every third of those
with a web page published PDFs (the seed's layout) until 2015. Every layout writes every
fact of the session as an item, though a reader may not read all their details (the
Hiroshima reader reads no appeals or agreements, the Mie reader no appeals, dispatch
requests or agreements). The same N and seed always give the same files, byte for byte.
Everything is invented; no real person is given words; posts, bodies and laws are real.

    .venv/bin/python bench/generate.py N OUT_DIR [--seed S]

writes OUT_DIR/<committee>_<date>.txt and OUT_DIR/manifest.tsv (file, committee).
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path


def words(text: str) -> list[str]:
    return text.split()


PREFECTURES = words(
    "北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 "
    "千葉県 東京都 神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 "
    "愛知県 三重県 滋賀県 京都府 大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 "
    "広島県 山口県 徳島県 香川県 愛媛県 高知県 福岡県 佐賀県 長崎県 熊本県 大分県 "
    "宮崎県 鹿児島県 沖縄県"
)
COMMITTEES = [(f"JP-{k + 1:02d}", name) for k, name in enumerate(PREFECTURES)] + [("JP", "国家")]
SURNAMES = words(
    "青木 石田 上野 大西 岡田 加藤 川口 北村 小島 坂本 佐野 柴田 杉山 関口 高野 "
    "千葉 土屋 中川 西田 野口 橋本 平野 福田 本田 前田 松井 水野 宮本 村上 森田 "
    "安田 山下 横山 吉川 和田 今井"
)
DIRECTORS = words("警務部長 生活安全部長 地域部長 刑事部長 交通部長 警備部長 情報通信部長")
SECTION_CHIEFS = words(
    "警務課長 監察課長 交通企画課長 交通規制課長 運転免許課長 生活環境課長 警備課長 警察県民課長"
)
TOPICS = [
    (
        "交通事故の発生状況",
        "交通部長",
        "交通事故の件数は前年より減少したが、高齢者の事故が増えている。",
    ),
    (
        "特殊詐欺の被害状況",
        "生活安全部長",
        "特殊詐欺の被害額は増加傾向にあり、手口が巧妙になっている。",
    ),
    ("サイバー犯罪対策", "生活安全部長", "不正アクセスや不正送金の相談が増え、体制を強化した。"),
    ("水難事故の防止", "地域部長", "夏季に水難事故が集中しており、危険箇所の巡回を強化している。"),
    ("重要犯罪の検挙状況", "刑事部長", "重要犯罪の検挙率は高い水準を保っている。"),
    ("大規模災害への備え", "警備部長", "災害警備訓練を実施し、関係機関との連携を確認した。"),
    (
        "通信指令システムの更新",
        "情報通信部長",
        "通信指令システムを更新し、通報から出動までの時間を短縮した。",
    ),
    ("職員の働き方改革", "警務部長", "時間外勤務の縮減と休暇の取得促進に取り組んでいる。"),
    ("子供の安全対策", "生活安全部長", "通学路の見守り活動を地域の団体と共に進めている。"),
    ("運転免許の返納", "交通部長", "高齢運転者の免許の自主返納が増えている。"),
]
REPORTS = [
    ("職員の懲戒処分の状況", "監察課長", "に行った職員の懲戒処分について"),
    ("交通安全運動の実施結果", "交通企画課長", "に実施した交通安全運動の結果について"),
    ("公安委員会事務の専決状況", "交通規制課長", "に専決した公安委員会の事務の件数等について"),
    ("苦情の処理状況", "監察課長", "に受理した苦情の処理状況について"),
    ("運転免許の行政処分の状況", "運転免許課長", "に行った運転免許の行政処分について"),
]
DECISIONS = [
    ("道路交通規則の一部改正", "交通規制課長", "改正の趣旨及び内容の説明を受け、決裁した。"),
    (
        "猟銃の所持許可の取消し",
        "生活環境課長",
        "聴聞の結果について説明を受け、所持許可の取消し処分を決裁した。",
    ),
    (
        "運転免許の行政処分",
        "運転免許課長",
        "意見の聴取の結果等について説明を受け、運転免許の取消し処分を決裁した。",
    ),
]
QUESTIONS = [
    ("対策の効果はどのように検証しているのか。", "件数の推移を毎月分析し、重点を見直している。"),
    ("県民への周知をどのように行うのか。", "報道機関や自治体の広報紙を通じて周知する。"),
    ("関係機関との連携は十分か。", "定期的に会議を開き、情報を共有している。"),
    ("若い世代への働き掛けはどうか。", "学校や大学と協力して啓発活動を行っている。"),
]
REQUESTS = [
    "引き続き、丁寧な説明に努めてほしい。",
    "現場の職員の負担にも配慮してほしい。",
    "成果を分かりやすく示してほしい。",
]
PARTNERS = ["瀬戸内データ株式会社", "北陸情報大学", "中央セキュリティ協会", "東都通信株式会社"]
DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
CIRCLED = "⑴⑵⑶⑷⑸⑹⑺⑻⑼"
WEEKDAYS = "月火水木金土日"


def fw(n: int | str) -> str:
    return str(n).translate(DIGITS)


def era(d: date, digits=fw) -> str:
    if d >= date(2019, 5, 1):
        y, name = d.year - 2018, "令和"
    else:
        y, name = d.year - 1988, "平成"
    return f"{name}{'元' if y == 1 else digits(y)}年{digits(d.month)}月{digits(d.day)}日"


def web_era(d: date) -> str:
    """An era date as web pages write it: 令和6年5月8日."""
    return era(d, str)


def clock(h: int, m: int = 0) -> str:
    """午後1時30分 (正午 is 午後0時)."""
    return f"{'午前' if h < 12 else '午後'}{h % 12 if h != 12 else 0}時{m:02d}分"


def spaced(text: str) -> str:
    return " " + " ".join(text) + " "


@dataclass
class Appeal:
    authority: str
    disposed: date
    reported: date


@dataclass
class CommitteeState:
    code: str
    name: str
    members: list[str] = field(default_factory=list)
    pending: list[Appeal] = field(default_factory=list)


@dataclass
class Exchange:
    """A member's words on a briefing, and the presenter's answer to them, if any."""

    member: str | None  # surname; None: the page says only 「委員から」
    chair: bool
    words: str
    answer: str | None = None


@dataclass
class Briefing:
    """A director's report the commission hears (the seed's 第1 審議概要)."""

    title: str
    presenter: str
    summary: str
    points: int  # ⑴ 取組… under the summary
    exchanges: list[Exchange]


@dataclass
class Decision:
    """An item the commission decides or takes note of (the seed's 第2 1 決裁概要)."""

    kind: str  # ruling, receipt (of an appeal), dispatch-in, dispatch-out, plain
    title: str
    presenter: str
    what: str = ""  # plain: what was explained and decided
    appeal: Appeal | None = None  # ruling, receipt
    other: str = ""  # dispatch: the other commission's code


@dataclass
class Session:
    """What one session did, before any layout writes it."""

    code: str
    name: str  # the prefecture (国家 for the National Public Safety Commission)
    layout: str  # a key of LAYOUTS
    day: date
    start_h: int
    members: list[str]  # those present, the chair first
    officers: list[str]  # those present, the last joined by 及び
    briefings: list[Briefing]
    agreement: tuple[str, date] | None  # partner, date of conclusion
    decisions: list[Decision]
    reports: list[tuple[str, str, str]]  # title, presenter, what
    consultation: bool

    @property
    def items(self) -> int:
        """How many items the session has, in every layout."""
        n = len(self.briefings) + len(self.decisions) + len(self.reports)
        return n + bool(self.agreement) + self.consultation

    @property
    def kinds(self) -> dict[str, int]:
        """How many items of each kind (the ontology's Decision, Report, Consultation)."""
        reports = len(self.briefings) + len(self.reports) + bool(self.agreement)
        kinds = {"Decision": len(self.decisions), "Report": reports}
        return kinds | ({"Consultation": 1} if self.consultation else {})

    @property
    def exchanges(self) -> list[Exchange]:
        return [x for b in self.briefings for x in b.exchanges]


def _place(s: Session) -> str:
    if s.code == "JP":
        return "警察庁国家公安委員会室"
    if s.name == "東京都":
        return "警視庁公安委員会室"
    return f"{s.name}警察本部公安委員会室、同公安委員室"


def _committee_label(code: str) -> str:
    name = dict(COMMITTEES)[code]
    return "国家公安委員会" if code == "JP" else f"{name}公安委員会"


def _exchanges(rng: random.Random, present: list[str], presenter: str) -> list[Exchange]:
    chair = present[0]
    out = []
    for _ in range(rng.choice((0, 1, 2, 3))):
        q, a = rng.choice(QUESTIONS)
        who = rng.choice(present)
        if rng.random() < 0.1:
            out.append(Exchange(None, False, q, a))
        elif rng.random() < 0.7:
            out.append(Exchange(who, who == chair, q, a))
        else:
            out.append(Exchange(who, who == chair, rng.choice(REQUESTS)))
    return out


def _decisions(rng: random.Random, c: CommitteeState, day: date) -> list[Decision]:
    decisions: list[Decision] = []
    due = [a for a in c.pending if (day - a.reported).days > rng.randint(40, 200)]
    for a in due[:2]:
        c.pending.remove(a)
        decisions.append(Decision("ruling", "審査請求の審理", "警察県民課長", appeal=a))
    if rng.random() < 0.25:
        a = Appeal(
            rng.choice(("警察本部長", "警察本部長", "運転免許課長")),
            day - timedelta(days=rng.randint(20, 80)),
            day,
        )
        c.pending.append(a)
        decisions.append(Decision("receipt", "審査請求の受理", "警察県民課長", appeal=a))
    if rng.random() < 0.15:
        other = rng.choice([code for code, _ in COMMITTEES if code not in (c.code, "JP")])
        incoming = rng.random() < 0.5
        if c.code == "JP":
            pass  # dispatch requests are between the prefectures' commissions
        elif incoming:
            title = "警察職員の派遣に関する援助要求"
            decisions.append(Decision("dispatch-in", title, "警備課長", other=other))
        else:
            title = f"{_committee_label(other)}に対する援助要求"
            decisions.append(Decision("dispatch-out", title, "警備課長", other=other))
    for title, who, what in rng.sample(DECISIONS, rng.choice((0, 1, 2))):
        decisions.append(Decision("plain", title, who, what))
    if not decisions:
        title, who, what = DECISIONS[0]
        decisions.append(Decision("plain", title, who, what))
    return decisions


def draw_session(rng: random.Random, c: CommitteeState, layout: str, day: date, n: int) -> Session:
    """The facts of one session; the commission's members and pending appeals carry over."""
    if n % 12 == 0:  # members change every dozen sessions or so
        c.members = rng.sample(SURNAMES, 5)
    present = c.members[: rng.choice((3, 4, 5))]
    officers = ["本部長", *rng.sample(DIRECTORS, 5), "首席監察官", rng.choice(SECTION_CHIEFS)]
    start_h = rng.choice((10, 13, 14))
    briefings = []
    for title, presenter, summary in rng.sample(TOPICS, rng.choice((1, 2, 3))):
        points = rng.choice((1, 2))
        briefings.append(
            Briefing(title, presenter, summary, points, _exchanges(rng, present, presenter))
        )
    agreement = None
    if rng.random() < 0.03:
        agreement = (rng.choice(PARTNERS), day + timedelta(days=rng.randint(3, 20)))
    decisions = _decisions(rng, c, day)
    reports = rng.sample(REPORTS, rng.choice((1, 2, 3)))
    consultation = rng.random() < 0.6
    return Session(
        c.code,
        c.name,
        layout,
        day,
        start_h,
        present,
        officers,
        briefings,
        agreement,
        decisions,
        reports,
        consultation,
    )


# -- the seed's layout: the 会議録 PDF's text -------------------------------------------


def _seed_remark(x: Exchange, presenter: str) -> str:
    who = "委員" if x.member is None else f"{x.member}{'委員長' if x.chair else '委員'}"
    if x.answer is None:
        return f"{who}から、「{x.words}」旨の発言があった。 "
    return (
        f"{who}から、「{x.words}」旨の発言があり、"
        f"{presenter}から、「{x.answer}」旨の説明があった。 "
    )


def _seed_decision(d: Decision) -> list[str]:
    if d.kind == "ruling":
        a = d.appeal
        return [
            "審査請求の審理 ",
            f"警察県民課長から、審理の経過について説明を受け、{era(a.reported)}に受理の報告を受けた、"
            f"{era(a.disposed)}付けで{a.authority}が行った処分に対する審査請求について、"
            "裁決書を決裁した。 ",
        ]
    if d.kind == "receipt":
        a = d.appeal
        return [
            "審査請求の受理 ",
            f"警察県民課長から、{era(a.disposed)}付けで{a.authority}が行った処分に対する"
            "審査請求を受理した旨の報告を受け、了承した。 ",
        ]
    if d.kind == "dispatch-in":
        return [
            "警察職員の派遣に関する援助要求 ",
            f"警備課長から、{_committee_label(d.other)}からの大規模警備に従事させるための"
            "援助要求に関し、派遣する人員及び期間の説明を受け、決裁した。 ",
        ]
    if d.kind == "dispatch-out":
        return [
            f"{_committee_label(d.other)}に対する援助要求 ",
            f"警備課長から、県内で開催される国際会議の警備に従事させるための"
            f"{_committee_label(d.other)}に対する援助要求について、派遣を求める人員等の説明を受け、"
            "決裁した。 ",
        ]
    return [f"{d.title} ", f"{d.presenter}から、{d.what} "]


def seed_text(s: Session) -> str:
    """The seed's layout: the 会議録 PDF's text layer."""
    day, start_h = s.day, s.start_h
    chair, others = s.members[0], s.members[1:]
    lines: list[str] = [
        spaced("公安委員会会議録"),
        spaced("開催日時"),
        f"自 {'午前' if start_h < 12 else '午後'} {fw(start_h % 12 or 12)}時００分 ",
        f"{era(day)}（{WEEKDAYS[day.weekday()]}）   ",
        f"              至 {'午前' if start_h < 11 else '午後'} "
        f"{fw((start_h + 1) % 12 or 12)}時３０分 ",
        spaced("開催場所"),
        f" {_place(s)} ",
        "出 ",
        "席 ",
        "者 ",
        f"公 安 委 員  {chair}委員長 " + " ".join(f"{m}委員" for m in others) + " ",
        "",
        "第１ 審議概要 ",
        "、".join(s.officers[:-1]) + f"及び{s.officers[-1]}同席の上、下記の報告を受けた。 ",
    ]
    for k, b in enumerate(s.briefings):
        lines += [f"{fw(k + 1)} {b.title} ", f"{b.presenter}から、 ", b.summary + " "]
        for j in range(b.points):
            lines += [f"{CIRCLED[j]} 取組{fw(j + 1)} ", "関係機関と連携して対策を進めている。 "]
        lines.append("旨の説明があった。 ")
        lines += [_seed_remark(x, b.presenter) for x in b.exchanges]
    if s.agreement:
        partner, concluded = s.agreement
        lines += [
            f"{fw(len(s.briefings) + 1)} {partner}との安全・安心なまちづくりに関する連携協定締結 ",
            "警務部長から、 ",
            f"{s.name}警察と{partner}は、地域の安全確保を目的として、連携協定を締結する。 ",
            "⑴ 連携事項 ",
            "○ 防犯に関する情報の共有に関する事項 ",
            "○ 広報啓発活動に関する事項 ",
            "⑵ 協定締結日 ",
            f"{era(concluded)}（{WEEKDAYS[concluded.weekday()]}） ",
            "旨の説明があった。 ",
        ]
    lines += [
        "",
        "第２ 決裁・報告 ",
        "   課長等から次のとおり説明を受け、決裁等を行った。 ",
        " １ 決裁概要 ",
    ]
    for k, d in enumerate(s.decisions):
        head, body = _seed_decision(d)
        lines += [f"{CIRCLED[k]} {head}", body]
    lines.append(" ２ 報告概要 ")
    month = fw((day.replace(day=1) - timedelta(days=1)).month)
    for k, (title, who, what) in enumerate(s.reports):
        lines += [f" {CIRCLED[k]} {title} ", f"   {who}から、{month}月中{what}、報告を受けた。 "]
    if s.consultation:
        lines += ["", "第３ 協議 ", "公安委員会の定例会議の開催日程について、協議した。 "]
    lines += ["  ", ""]
    # the PDF text has a blank line after every line (examples/minutes/README.md)
    return "\n \n".join(lines) + "\n"


# -- web pages, as text ------------------------------------------------------------------


def _times(s: Session) -> tuple[str, str]:
    return clock(s.start_h), clock(s.start_h + 1, 30)


def _month_before(d: date) -> int:
    return (d.replace(day=1) - timedelta(days=1)).month


def _appeal_clause(a: Appeal, ruled: bool) -> str:
    """「…付けで警察本部長が行った処分に対する審査請求」, with when its receipt was reported."""
    clause = f"{web_era(a.disposed)}付けで{a.authority}が行った処分に対する審査請求"
    return f"{web_era(a.reported)}に受理の報告を受けた、{clause}" if ruled else clause


def _decision_text(d: Decision) -> tuple[str, str]:
    """A decision's title (ending について) and what the commission was told and did, as the
    web pages say it (the presenter left out)."""
    if d.kind == "ruling":
        return "審査請求の裁決について", (
            f"{_appeal_clause(d.appeal, True)}について、審理の経過と裁決書の案について説明を受け、"
            "案のとおり議決した。"
        )
    if d.kind == "receipt":
        return "審査請求の受理について", (
            f"{_appeal_clause(d.appeal, False)}を受理したことについて説明を受け、了承した。"
        )
    other = _committee_label(d.other) if d.other else ""
    if d.kind == "dispatch-in":
        return "警察職員の派遣に関する援助要求について", (
            f"{other}からの大規模警備に従事させるための援助要求について、派遣する人員及び期間の"
            "説明を受け、案のとおり議決した。"
        )
    if d.kind == "dispatch-out":
        return f"{other}に対する援助要求について", (
            f"県内で開催される国際会議の警備に従事させるための{other}に対する援助要求について、"
            "派遣を求める人員等の説明を受け、案のとおり議決した。"
        )
    return f"{d.title}について", d.what


def _agreement_text(s: Session) -> tuple[str, str]:
    """An agreement's title, and what the commission heard of it (up to 「…について」)."""
    partner, concluded = s.agreement
    return f"{partner}との連携協定の締結について", (
        f"{s.name}警察と{partner}が、地域の安全確保を目的として、{web_era(concluded)}に"
        "連携協定を締結することについて"
    )


def _anonymous_remark(x: Exchange, answerer: str) -> str:
    """「委員から、「…」旨の発言があり、X部長から、「…」旨の説明があった。」: a member
    unnamed, the chair as 委員長."""
    who = "委員長より" if x.chair else "委員から"
    if x.answer is None:
        return f"{who}、「{x.words}」旨の発言があった。"
    return f"{who}、「{x.words}」旨の発言があり、{answerer}から、「{x.answer}」旨の説明があった。"


def hiroshima_text(s: Session) -> str:
    """The Hiroshima commission's page (hiroshima-web): 【議題】/【報告】 blocks of ○ items,
    members unnamed; pages before 2020 write the comma 「，」."""
    start, end = _times(s)
    posted = s.day + timedelta(days=14)
    lines = [
        f"{s.name}公安委員会",
        f"定例会議の開催概要({web_era(s.day)})",
        f"掲載日：{web_era(posted)}",
        f"{web_era(s.day)}({WEEKDAYS[s.day.weekday()]}曜日) {start}～{end}",
        f"場所：{s.name}警察本部公安委員会室",
        "出席委員　"
        + "、".join(f"{m}委員{'長' if k == 0 else ''}" for k, m in enumerate(s.members)),
        f"{s.name}公安委員会は、この日の定例会議で、警察本部から次の事項などの説明と報告を受けて"
        "審議し、委員会としての判断を示しました。",
        "【議題】",
    ]
    for d in s.decisions:
        title, text = _decision_text(d)
        lines += [f"○{title}", text]
    lines.append("【報告】")
    for b in s.briefings:
        lines += [f"○{b.title}について", f"{b.title}について報告を受けた。{b.summary}"]
        if b.exchanges:
            lines.append("《委員の発言等》")
            lines += [_anonymous_remark(x, b.presenter) for x in b.exchanges]
    if s.agreement:
        title, text = _agreement_text(s)
        lines += [f"○{title}", f"{text}報告を受けた。"]
    month = _month_before(s.day)
    for title, _who, what in s.reports:
        lines += [f"○{title}について", f"{month}月中{what}報告を受けた。"]
    if s.consultation:
        lines += [
            "【協議】",
            "○公安委員会の定例会議の開催日程について",
            "開催日程について協議した。",
        ]
    lines.append(f"ページ番号：{s.day:%y%m%d}0")
    text = "\n".join(lines) + "\n"
    return text.replace("、", "，") if s.day.year < 2020 else text


DEPARTMENTS = {  # the department of a post that presents an item (for the (審議:交通部) tags)
    "警務課長": "警務部",
    "監察課長": "警務部",
    "警察県民課長": "警務部",
    "交通企画課長": "交通部",
    "交通規制課長": "交通部",
    "運転免許課長": "交通部",
    "生活環境課長": "生活安全部",
    "警備課長": "警備部",
}


def department(post: str) -> str:
    return DEPARTMENTS.get(post) or post.removesuffix("長")


def _mie_remarks(x: Exchange, answerer: str, labels: bool) -> list[str]:
    """「川村委員から「…」旨の発言があった。」, or label lines 【川村委員】… / 【交通部長】…"""
    who = "委員" if x.member is None else f"{x.member}委員{'長' if x.chair else ''}"
    if labels:
        return [f"【{who}】{x.words}"] + ([f"【{answerer}】{x.answer}"] if x.answer else [])
    if x.answer is None:
        return [f"{who}から「{x.words}」旨の発言があった。"]
    return [f"{who}から「{x.words}」旨の発言があり、{answerer}から「{x.answer}」旨の説明があった。"]


def mie_text(s: Session) -> str:
    """The Mie commission's page (mie-web): a YYYY/MM/DD heading, 個別会議/全体会議 over ⑴
    items tagged (審議:交通部); pages before 2019 head their parts 審議事項/報告事項, tag the
    department only, publish no attendance and give remarks as 【…】 label lines."""
    old = s.day.year < 2019
    start = f"{s.start_h}時" if old else f"{s.start_h}時00分"
    times = (
        f"{clock(s.start_h)}〜{clock(s.start_h + 1, 30)}"
        if old
        else f"{start}~{s.start_h + 1}時30分"
    )
    decided, heard = [], []  # (title, presenter's post, kind, text, remarks)
    for d in s.decisions:
        title, text = _decision_text(d)
        text = text.replace("案のとおり議決した", "審議の上、原案どおり決定した")
        decided.append((title, d.presenter, "審議", f"警察本部から、{text}", []))
    month = _month_before(s.day)
    for title, who, what in s.reports:
        decided.append(
            (f"{title}について", who, "報告", f"警察本部から、{month}月中{what}報告があった。", [])
        )
    for b in s.briefings:
        remarks = [line for x in b.exchanges for line in _mie_remarks(x, b.presenter, old)]
        text = f"警察本部から、{b.title}について報告があった。{b.summary}"
        heard.append((f"{b.title}について", b.presenter, "報告", text, remarks))
    if s.agreement:
        title, text = _agreement_text(s)
        heard.append((title, "警務部長", "報告", f"警察本部から、{text}報告があった。", []))
    if s.consultation:
        text = "警察本部から、開催日程の案について説明があり、協議した。"
        heard.append(("公安委員会の定例会議の開催日程について", "警務部長", "協議", text, []))
    lines = [f"{s.day + timedelta(days=14):%Y/%m/%d}" + ("" if old else " 掲載")]
    lines.append(f"{s.day:%Y/%m/%d} 公安委員会定例会議開催概要")
    if old:
        lines += [
            f"{s.name}公安委員会",
            "第1 開催日時",
            f"{web_era(s.day)}(WD){times}",
            "第2 開催状況",
        ]
        heard = [item for item in decided if item[2] == "報告"] + heard
        decided = [item for item in decided if item[2] == "審議"]
        consulted = [item for item in heard if item[2] == "協議"]
        heard = [item for item in heard if item[2] == "報告"]
        parts = [("1 審議事項", decided), ("2 報告事項", heard), ("3 協議事項", consulted)]
    else:
        lines += [
            f"{s.name}公安委員会の定例会議の概要をお知らせします。",
            "1 開催日時",
            f"{web_era(s.day)}(WD){times}",
            "2 開催場所",
            f"{s.name}警察本部公安委員会室",
            "3 出席委員",
            "、".join(f"{m}委員{'長' if k == 0 else ''}" for k, m in enumerate(s.members)),
            "4 開催状況",
        ]
        parts = [("1 個別会議(第1部)", decided), ("2 全体会議", heard)]
    for head, items in parts:
        if not items:
            continue
        lines.append(head)
        for k, (title, post, kind, text, remarks) in enumerate(items):
            number = f"({k + 1})" if old else CIRCLED[k]
            tag = department(post) if old else f"{kind}:{department(post)}"
            lines += [f"{number} {title}({tag})", text, *remarks]
    lines.append(f"更新日：{s.day + timedelta(days=14):%Y/%m/%d}")
    return "\n".join(lines).replace("WD", WEEKDAYS[s.day.weekday()]) + "\n"


BUREAUS = {  # the National Police Agency's post that does what a prefecture's director does
    "警務部長": "官房長",
    "生活安全部長": "生活安全局長",
    "地域部長": "生活安全局長",
    "刑事部長": "刑事局長",
    "交通部長": "交通局長",
    "警備部長": "警備局長",
}
# What the National Public Safety Commission decides and hears in place of a prefecture's
# items: (title, presenter)
NATIONAL_ITEMS = {
    "道路交通規則の一部改正": ("道路交通法施行規則の一部を改正する内閣府令案", "交通局長"),
    "猟銃の所持許可の取消し": (
        "銃砲刀剣類所持等取締法施行規則の一部を改正する内閣府令案",
        "生活安全局長",
    ),
    "運転免許の行政処分": ("国家公安委員会への意見・要望文書等の措置", "官房長"),
    "公安委員会事務の専決状況": ("国会の状況", "官房長"),
    "苦情の処理状況": ("警察庁の業務の点検結果", "官房長"),
    "運転免許の行政処分の状況": ("運転免許統計", "交通局長"),
}


def bureau(post: str, year: int) -> str:
    """The National Police Agency's post for a prefecture's (情報通信局 became サイバー警察局
    in 2022)."""
    if post in ("情報通信部長", "情報通信部"):
        return "サイバー警察局長" if year >= 2022 else "情報通信局長"
    return BUREAUS.get(department(post) + "長", "官房長")


def _national_remark(x: Exchange, answerer: str) -> str:
    """「北川委員より、「…」旨の発言があり、交通局長から、「…」旨の説明があった。」"""
    who = "委員長" if x.chair else "委員" if x.member is None else f"{x.member}委員"
    if x.answer is None:
        return f"{who}より、「{x.words}」旨の発言があった。"
    return (
        f"{who}より、「{x.words}」旨の発言があり、{answerer}から、「{x.answer}」旨の説明があった。"
    )


def national_text(s: Session) -> str:
    """The National Public Safety Commission's 定例委員会の開催状況: 第1 日時 / 第2 出席者 /
    第3 議事の概要, 議題事項 and 報告事項 over (1) items, members 「…より」."""
    year = s.day.year
    start, end = _times(s)
    chair, others = s.members[0], s.members[1:]
    posts = ["長官", "次長"]
    for o in s.officers[1:-1]:
        posts += [p for p in [bureau(o, year)] if p not in posts]
    decided, heard = [], []  # (title, text, remarks)
    for d in s.decisions:
        if d.kind in ("ruling", "receipt"):
            title, text = _decision_text(d)
            text = text.replace("警察本部長", "警察庁長官").replace("運転免許課長", "警察庁長官")
            decided.append((title, f"官房長から、{text}", []))
        else:  # plain (a prefecture's dispatch requests are not the national commission's)
            title, post = NATIONAL_ITEMS[d.title]
            text = f"{post}から、{title}について説明があり、原案どおり決定した。"
            decided.append((f"{title}について", text, []))
    for b in s.briefings:
        post = bureau(b.presenter, year)
        remarks = [_national_remark(x, post) for x in b.exchanges]
        text = f"{post}から、{b.title}について報告があった。{b.summary}"
        heard.append((f"{b.title}について", text, remarks))
    if s.agreement:
        partner, concluded = s.agreement
        text = (
            f"官房長から、警察庁と{partner}が、{web_era(concluded)}に連携協定を締結する"
            "ことについて報告があった。"
        )
        heard.append((f"{partner}との連携協定の締結について", text, []))
    for title, who, _what in s.reports:
        title, post = NATIONAL_ITEMS.get(title, (title, bureau(who, year)))
        heard.append((f"{title}について", f"{post}から、{title}について報告があった。", []))
    lines = [
        "定例委員会の開催状況",
        f"更新日：{web_era(s.day + timedelta(days=7))}",
        "第1 日時",
        f"{web_era(s.day)}（{WEEKDAYS[s.day.weekday()]}）",
        f"{start} ～ {end}",
        "場所",
        "国家公安委員会室",
        "第2 出席者",
        f"{chair}委員長、" + "、".join(others) + "各委員",
        "、".join(posts),
        "第3 議事の概要",
    ]
    parts = [("議題事項", decided), ("報告事項", heard)]
    if s.consultation:
        text = "委員会の開催日程について協議した。"
        parts.append(("協議事項", [("国家公安委員会の開催日程について", text, [])]))
    for k, (head, items) in enumerate(parts):
        lines.append(f"{k + 1} {head}")
        for j, (title, text, remarks) in enumerate(items):
            lines += [f"（{j + 1}）{title}", text, *remarks]
    return "\n".join(lines).replace("県民", "国民") + "\n"


def _member_remark(x: Exchange, answerer: str) -> str:
    """「委員から、「…」旨の発言があり、X部長から、「…」旨の説明があった。」: members unnamed,
    the chair as 委員長."""
    who = "委員長" if x.chair else "委員"
    if x.answer is None:
        return f"{who}から、「{x.words}」旨の発言があった。"
    return (
        f"{who}から、「{x.words}」旨の発言があり、{answerer}から、「{x.answer}」旨の説明があった。"
    )


def numbered_text(s: Session) -> str:
    """A page with numbered fields (1 開催日時 / 2 開催場所 / 3 出席者 / 4 議事の概要) over (1)
    items, members unnamed: the generic reader's."""
    start, end = _times(s)
    lines = [
        f"{s.name}公安委員会定例会議の概要",
        "1 開催日時",
        f"{web_era(s.day)}({WEEKDAYS[s.day.weekday()]}){start}から{end}まで",
        "2 開催場所",
        f"{s.name}警察本部公安委員会室",
        "3 出席者",
        "、".join(f"{m}委員{'長' if k == 0 else ''}" for k, m in enumerate(s.members)),
        "、".join(s.officers),
        "4 議事の概要",
    ]
    items = []  # (title, text, remarks)
    for d in s.decisions:
        title, text = _decision_text(d)
        items.append((title, f"{d.presenter}から、{text}", []))
    for b in s.briefings:
        remarks = [_member_remark(x, b.presenter) for x in b.exchanges]
        text = f"{b.presenter}から、{b.title}について報告があった。{b.summary}"
        items.append((f"{b.title}について", text, remarks))
    if s.agreement:
        title, text = _agreement_text(s)
        items.append((title, f"警務部長から、{text}報告があった。", []))
    month = _month_before(s.day)
    for title, who, what in s.reports:
        items.append((f"{title}について", f"{who}から、{month}月中{what}報告があった。", []))
    if s.consultation:
        text = "定例会議の開催日程について協議した。"
        items.append(("公安委員会の定例会議の開催日程について", text, []))
    for k, (title, text, remarks) in enumerate(items):
        lines += [f"({k + 1}) {title}", text, *remarks]
    return "\n".join(lines) + "\n"


def _police(s: Session) -> str:
    return "警視庁" if s.name == "東京都" else f"{s.name}警察"


def flat_text(s: Session) -> str:
    """A page whose headings were stripped: the date, the members, the posts over lines of
    their own, then one sentence an item (「警視庁から、…について報告があった。」), the
    members' opinions after it."""
    police = _police(s)
    posts = ["警視総監", "副総監", *s.officers[1:]] if s.name == "東京都" else s.officers
    lines = [
        f"{s.name}公安委員会 定例会議の開催状況",
        f"{web_era(s.day)}({WEEKDAYS[s.day.weekday()]}) {clock(s.start_h)}~",
        "、".join(f"{m}委員{'長' if k == 0 else ''}" for k, m in enumerate(s.members)),
        *_wrapped(posts, 4),
    ]
    for d in s.decisions:
        verb = "了承した" if d.kind == "receipt" else "決裁した"
        lines.append(f"{police}から、{_decision_topic(d)}について説明があり、これを{verb}。")
    for b in s.briefings:
        lines.append(f"{police}から、{b.title}について報告があった。")
        for x in b.exchanges:
            lines.append(_member_remark(x, police).replace("発言があ", "意見があ", 1))
    if s.agreement:
        partner, _ = s.agreement
        lines.append(f"{police}から、{partner}との連携協定の締結について報告があった。")
    for title, _who, _what in s.reports:
        lines.append(f"{police}から、{title}について報告があった。")
    if s.consultation:
        lines.append(f"{police}から、定例会議の開催日程について説明があり、これを協議した。")
    return "\n".join(lines) + "\n"


def _wrapped(posts: list[str], per_line: int) -> list[str]:
    """The posts a few to a line, each line but the last ending 「、」."""
    rows = [posts[k : k + per_line] for k in range(0, len(posts), per_line)]
    return ["、".join(row) + ("、" if k < len(rows) - 1 else "") for k, row in enumerate(rows)]


def _decision_topic(d: Decision) -> str:
    """What a decision is about, in one phrase (for a sentence 「…について説明があり」)."""
    if d.kind == "ruling":
        return _appeal_clause(d.appeal, True) + "の裁決"
    if d.kind == "receipt":
        return _appeal_clause(d.appeal, False) + "の受理"
    if d.kind == "dispatch-in":
        return f"{_committee_label(d.other)}からの警察職員の派遣に関する援助要求"
    if d.kind == "dispatch-out":
        return f"{_committee_label(d.other)}に対する警察職員の派遣に関する援助要求"
    return d.title


@dataclass(frozen=True)
class Layout:
    write: Callable[[Session], str]
    reader: str  # the loader meant to read it (loaders/layouts/)


LAYOUTS = {
    "seed": Layout(seed_text, "yamaguchi-kaigiroku"),
    "hiroshima": Layout(hiroshima_text, "hiroshima-web"),
    "mie": Layout(mie_text, "mie-web"),
    "national": Layout(national_text, "generic"),
    "numbered": Layout(numbered_text, "generic"),
    "flat": Layout(flat_text, "generic"),
}


# Each commission publishes on its own site, in one layout: the National Public Safety
# Commission its own; a few prefectures the layout the readers were written for; the others
# take these in turn, by their number. Every third prefecture with a web page published its
# minutes as PDFs (the seed's layout) until 2015.
OWN_LAYOUTS = {"JP": "national", "JP-13": "flat", "JP-24": "mie", "JP-34": "hiroshima"}
IN_TURN = ("seed", "numbered", "hiroshima", "seed", "mie", "numbered", "flat")
PDF_UNTIL = 2015


def layout_of(code: str, year: int) -> str:
    """The layout a commission's session of that year is published in."""
    if code in OWN_LAYOUTS:
        return OWN_LAYOUTS[code]
    k = int(code.removeprefix("JP-"))
    layout = IN_TURN[k % len(IN_TURN)]
    if layout != "seed" and k % 3 == 0 and year <= PDF_UNTIL:
        return "seed"
    return layout


def corpus(n: int, seed: int = 4) -> Iterator[Session]:
    """The facts of n sessions, in the order they are written."""
    rng = random.Random(seed)
    states = [CommitteeState(code, name) for code, name in COMMITTEES]
    per = -(-n // len(states))
    span = (date(2025, 12, 20) - date(2006, 1, 10)).days
    for k in range(n):
        c = states[k % len(states)]
        nth = k // len(states)
        # evenly over 20 years, on a weekday, each commission on its own days
        day = date(2006, 1, 10) + timedelta(days=nth * span // per + (k % len(states)) % 5)
        day -= timedelta(days=max(0, day.weekday() - 4))
        yield draw_session(rng, c, layout_of(c.code, day.year), day, nth)


def file_name(s: Session) -> str:
    return f"{s.code}_{s.day.isoformat()}.txt"


def generate(n: int, out: Path, seed: int = 4) -> list[tuple[Path, str]]:
    """Write n sessions into out; return (file, committee code) pairs."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Path, str]] = []
    for s in corpus(n, seed):
        path = out / file_name(s)
        path.write_text(LAYOUTS[s.layout].write(s), encoding="utf-8")
        written.append((path, s.code))
    manifest = "".join(f"{p.name}\t{code}\n" for p, code in written)
    (out / "manifest.tsv").write_text(manifest, encoding="utf-8")
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=4)
    args = ap.parse_args()
    generate(args.n, args.out, args.seed)


if __name__ == "__main__":
    main()
