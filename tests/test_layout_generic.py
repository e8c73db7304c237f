"""A layout no loader knows still yields its date, times, members, items and remarks."""

from __future__ import annotations

import pytest

from committee_kg.loaders.pipeline import convert, read

from .support import ROOT

DOC = ROOT / "examples" / "layouts" / "generic" / "JP-33_2024-07-03.txt"


def test_page_furniture_dates_are_not_the_session_date():
    assert read(DOC).date.isoformat() == "2024-07-03"  # not the 更新日 at the bottom


def test_unknown_layout_becomes_a_graph():
    conv = convert(DOC)
    assert str(conv.meeting).endswith("/id/meeting/JP-33/2024-07-03")


def test_western_dates_and_label_remarks(tmp_path):
    doc = tmp_path / "x.txt"
    doc.write_text(
        "鳥取県公安委員会 会議概要\n2024/05/15 13時20分~17時\n出席委員 上野委員長、辻委員\n"
        "(1) 交通事故の状況\n交通部長から説明があった。\n(辻委員) 夜間の事故が心配だ。\n",
        encoding="utf-8",
    )
    m = read(doc)
    assert (m.committee, m.date.isoformat()) == ("JP-31", "2024-05-15")
    assert (m.start.hour, m.start.minute, m.end.hour) == (13, 20, 17)
    assert [r.speaker.name for r in m.remarks] == ["辻"]
    assert m.chair == "上野"


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("令和6年5月8日(水曜日)", "2024-05-08"),
        ("令和六年五月八日(水)", "2024-05-08"),
        ("平成三十一年四月三十日", "2019-04-30"),
        ("令和元年十二月二十五日", "2019-12-25"),
        ("R6.5.8", "2024-05-08"),
        ("令和6.5.8", "2024-05-08"),
        ("2024/05/08", "2024-05-08"),
        ("2024年5月8日", "2024-05-08"),
        ("令 和 6 年 5 月 8 日", "2024-05-08"),
        ("令和6年5月8(水)", "2024-05-08"),
    ],
)
def test_the_ways_a_session_date_is_written(written, day):
    from committee_kg.loaders.header import dates_in

    [(value, span, *_)] = dates_in(written, 0, len(written))
    assert value.isoformat() == day
    assert written[span.start] in "令平R2"


@pytest.mark.parametrize(
    ("attendance", "members", "chair"),
    [
        ("出席委員 上野委員長、辻委員、森委員", ["上野", "辻", "森"], "上野"),
        ("出席者 委員長 杉山 委員 岡田、望月", ["杉山", "岡田", "望月"], "杉山"),
        ("出席者 北島、木村、安藤各委員", ["北島", "木村", "安藤"], None),
        ("出席者 武田委員長、木村、安藤各委員", ["武田", "木村", "安藤"], "武田"),
        ("出席者\n委員長\n阿部\n委員\n千葉、菅原", ["阿部", "千葉", "菅原"], "阿部"),
        (
            "出席者 小川委員長 三浦委員 森山委員 (公安委員会補佐官)",
            ["小川", "三浦", "森山"],
            "小川",
        ),
    ],
)
def test_the_ways_members_present_are_listed(tmp_path, attendance, members, chair):
    doc = tmp_path / "x.txt"
    doc.write_text(
        f"鳥取県公安委員会 定例会議の概要\n令和6年5月15日(水)\n{attendance}\n"
        "(1) 交通事故の状況について\n交通部長から報告があった。\n",
        encoding="utf-8",
    )
    m = read(doc)
    assert [x.name for x in m.members] == members
    assert m.chair == chair


def test_a_list_of_officials_names_only_their_posts(tmp_path):
    doc = tmp_path / "x.txt"
    doc.write_text(
        "定例委員会の開催状況\n第1 日時 令和6年5月16日(木)\n"
        "第2 出席者 北川、宮下各委員\n佐藤長官、鈴木次長、高橋官房長、田中生活安全局長\n"
        "第3 議事の概要\n(1)人事案件について\n説明があり、原案どおり決定した。\n",
        encoding="utf-8",
    )
    m = read(doc)
    assert [o.post for o in m.officers_present] == ["長官", "次長", "官房長", "生活安全局長"]
    assert m.committee is None or m.committee == "JP"


def test_a_layout_that_claims_a_document_but_reads_nothing_hands_it_on(tmp_path):
    """A variant of a known commission's pages its reader does not know: the generic reader
    reads it, and says so."""
    from committee_kg.loaders import registry
    from committee_kg.loaders.model import Minutes

    blind = registry.Loader(
        name="blind-test-layout",
        version="0",
        description="claims every document, reads nothing",
        recognise=lambda text: 0.99,
        parse=lambda document, text: Minutes(document, text, "blind-test-layout", "0"),
    )
    registry.register(blind)
    try:
        m = read(DOC)
        assert m.loader == "generic"
        assert m.date.isoformat() == "2024-07-03" and len(m.items) == 3
        assert any("blind-test-layout reader found too little" in w for w in m.warnings)
        assert read(DOC, loader="blind-test-layout").items == []  # asked for by name: kept
    finally:
        del registry._LOADERS["blind-test-layout"]


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://www.pref.shiga.lg.jp/kouan/teirei/r6.html", "JP-25"),
        ("https://www-pref-hiroshima-lg-jp.cache.example.jp/site/kouan/a.html", "JP-34"),
        ("https://web.archive.org/web/2019/https://www.police.pref.kagawa.lg.jp/a.html", "JP-37"),
        ("https://docs.example.com/%E7%A6%8F-%E5%B2%A1-%E7%9C%8C-%E5%85%AC-%E5%AE%89-"
         "%E5%A7%94-%E5%93%A1-%E4%BC%9A-%E6%B4%BB%E5%8B%95", "JP-40"),
        ("https://www.npsc.go.jp/report31/11-07.htm", "JP"),
        ("https://example.com/minutes/2024.html", None),
    ],
)  # fmt: skip
def test_the_commission_a_url_names(url, code):
    """A prefecture's host, a mirror's host with dashes, an archive's copy of a page, a
    stored document whose path is its title (福岡県公安委員会…), the national commission."""
    from committee_kg.loaders.reference import reference

    assert reference().committee_from_url(url) == code


@pytest.mark.parametrize(
    ("breadcrumb", "url", "day"),
    [
        ("トップページ > 石川県公安委員会 > 平成30年の定例会議 > 定例会議", None, "2018-10-25"),
        ("トップページ > 石川県公安委員会", "https://example.jp/kouan/2018/a.html", "2018-10-25"),
        ("トップページ > 石川県公安委員会", "https://example.jp/kouan/h30/a.html", "2018-10-25"),
        ("トップページ > 石川県公安委員会 > 平成29年の定例会議", None, None),  # 2017-10-25 a Wed
        ("トップページ > 石川県公安委員会 > 定例会議", None, None),  # no year anywhere
    ],
)  # fmt: skip
def test_a_date_without_its_year(tmp_path, breadcrumb, url, day):
    """「公安委員会定例会議 10月25日(木)」: the year the page names elsewhere, if its calendar
    has that weekday; never a guess."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        f"{breadcrumb}\n公安委員会定例会議 10月25日(木)\n1 決裁了承案件\n"
        "(1) 苦情の受理について\n苦情の受理について説明があり、了承しました。\n",
        encoding="utf-8",
    )
    m = read(doc, committee="JP-17", url=url)
    assert (m.date.isoformat() if m.date else None) == day


WEB_LAYOUT_EXAMPLES = sorted((ROOT / "examples" / "layouts").glob("[hm]i*-web/*.html"))


@pytest.mark.parametrize("page", WEB_LAYOUT_EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_generic_reader_reads_a_known_layout_as_its_own_reader_does(page):
    """The Hiroshima and Mie pages, read as if their layouts were unknown: every fact their
    own readers give (the commission given, as those readers know it from the layout). Only
    the way the numbering is written differs (the Mie reader writes 「1 (1)」, the generic
    reader the seed's 「1(1)」 with every enclosing section)."""
    import json

    from committee_kg.loaders.summary import fold, summarize

    def facts(summary):
        for item in summary["items"]:
            item.pop("local_number")
        return summary

    expected = fold(json.loads(page.with_suffix(".expected.json").read_text(encoding="utf-8")))
    got = summarize(read(page, loader="generic", committee=expected["committee"]))
    assert facts(got) == facts(expected)


def test_kana_outline_and_a_part_of_members_words(tmp_path):
    """ア/イ parts and (ア)(イ) items under a part named for the commission; the members'
    words of 「ア 委員の発言」 are an item of their own; 「主な出席者」 lists both sides."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "定例会議 5月\n令和6年5月8日\n1. 開催日時\n令和6年5月8日(水)午前10時から正午までの間\n"
        "2. 主な出席者\n森委員長、川辺委員、柴田委員\n松尾本部長、内村警務部長、谷交通部長\n"
        "3. 議事の内容\n(1)公安委員会\nア 委員の発言\n"
        "○ 連休中の事故の報告は早めにまとめてほしい。\n"
        "イ 議題\n(ア)春の交通安全運動の結果\n運動期間中の取組について報告を受けた。\n"
        "(イ)警察署の建替えに関する件\n建替えの日程について報告を受けた。\n"
        "委員から、「近隣への説明を丁寧にお願いしたい。」旨の発言があった。\n",
        encoding="utf-8",
    )
    m = read(doc, url="https://example.pref.chiba.jp/koaniin/katsudo.html")
    assert [i.title for i in m.items] == [
        "委員の発言",
        "春の交通安全運動の結果",
        "警察署の建替えに関する件",
    ]
    assert [(r.item, r.speaker.kind) for r in m.remarks] == [(1, "unnamed"), (3, "unnamed")]
    assert [x.name for x in m.members] == ["森", "川辺", "柴田"] and m.chair == "森"
    assert [o.post for o in m.officers_present] == ["本部長", "警務部長", "交通部長"]
    assert (m.start.hour, m.end.hour) == (10, 12)


def test_bullets_under_a_summary_of_members_words(tmp_path):
    """「委員発言要旨」 over 「- …」 bullets: each bullet a member's remark; a number left
    alone by a cut-off page is no remark."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "定例会議の開催概要 令和6年6月5日\n第1日時\n令和6年6月5日午後1時00分~午後3時00分\n"
        "第2全体会議\n1審議事項\nなし\n2報告事項\n(1)夏の水難事故防止対策について\n"
        "水難事故の傾向と対策について報告があった。\n委員発言要旨\n"
        "- 子供への呼び掛けを学校と一緒に進めてほしい。\n- 救命具の貸出しも周知してほしい。\n"
        "(2)留置施設の点検結果について\n点検の結果について報告があった。\n委員発言要旨\n"
        "- 点検で見つかった点は速やかに改めてほしい。\n(3)\n",
        encoding="utf-8",
    )
    m = read(doc, url="https://kouaniinkai.pref.osaka.lg.jp/teireikaigi/1.html")
    titles = ["夏の水難事故防止対策について", "留置施設の点検結果について"]
    assert [i.title for i in m.items] == titles
    assert [r.item for r in m.remarks] == [1, 1, 2]
    assert all(r.speaker.kind == "unnamed" for r in m.remarks)


def test_commission_in_a_title_run_into_the_text(tmp_path):
    """A text layer that puts the whole first page on one line: the commission is the one
    the title names before the session's date, not one the sentences after it name."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "公 安 委 員 会 議 事 録 福島県公安委員会の開催状況 第1 開催日時 平成27年2月3日(火)"
        " 報告事項 (1) 宮城県公安委員会からの援助要求について 警務部長から説明があった。\n",
        encoding="utf-8",
    )
    assert read(doc).committee == "JP-07"


def test_parts_named_for_the_business_and_a_member_quoted_in_pieces(tmp_path):
    """「1 包括的案件」 over 〈報告事項〉 is a part, not an item; 「公安委員から」 is a member the
    minutes do not name; 「…」、「…」旨の発言 is one remark."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "開催日:平成20年4月11日\n1 包括的案件\n〈報告事項〉\n(1)春の行楽期の交通対策について\n"
        "県警察から、行楽期の渋滞と事故の対策について説明があった。\n公安委員から、\n"
        "「駐車場の案内を早めに出してほしい。」、「観光地の警戒も頼みたい。」\n旨の発言があった。\n"
        "2 個別決裁\n(1)警察職員の表彰\n表彰の案を原案のとおり決裁した。\n",
        encoding="utf-8",
    )
    m = read(doc, url="https://www.pref.fukui.lg.jp/kouaniinkai/kaigiroku08/0804/080411.html")
    assert [(i.title, i.kind) for i in m.items] == [
        ("春の行楽期の交通対策について", "Report"),
        ("警察職員の表彰", "Decision"),
    ]
    [remark] = m.remarks
    assert remark.speaker.kind == "unnamed" and "警戒も頼みたい" in remark.text
    assert m.members == []


def test_month_in_the_title_and_attendance_without_labels(tmp_path):
    """「令和6年9月定例会議議事概要」 names a month, not the day; the lines after the date list
    the members, then the posts (「…、事務主管課長等」)."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "令和6年9月定例会議議事概要\n令和6年9月25日(水)午前10時から午後2時まで\n"
        "梅田委員長、片山委員、宗像委員\n警察本部長、各部長、事務主管課長等\n1 議題\n"
        "(1) 公安委員会宛て文書の対応について\n委員会室から、先月までに受理した公安委員会宛て"
        "の文書について、その内容と警察本部の調査の結果の説明があり、対応方針を議決した。\n"
        "(2) 運転免許の行政処分について\n警察本部から、処分の案について説明があり、原案のとおり"
        "決定した。\n(3) 信号機の新設について\n警察本部から、新設する場所について説明があり、"
        "原案のとおり議決した。\n2 報告\n(1) 秋の交通安全運動について\n警察本部から、運動の"
        "重点について報告があった。\n",
        encoding="utf-8",
    )
    m = read(doc, url="https://www.pref.kanagawa.jp/docs/ac7/cnt/f7/p1.html")
    assert (m.date.isoformat(), m.start.hour, m.end.hour) == ("2024-09-25", 10, 14)
    assert [x.name for x in m.members] == ["梅田", "片山", "宗像"]
    assert [o.post for o in m.officers_present] == ["警察本部長", "各部長", "事務主管課長"]
    assert len(m.items) == 4
    assert [p.post for p in m.items[0].presenters] == ["委員会室長"]


def test_numbering_that_starts_again_under_a_part_and_a_members_address(tmp_path):
    """「1. …」 under 「決裁事項」 inside 「3. 議事の概要」 are items, not parts beside it; 「X委員
    説示」 is the member's address; 「委員から、」 with the words after it and no closing phrase
    is a remark; 「総務室から、…伺いがあり」 presents the item through the office's head."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "公安委員会定例会議(第5回)の開催状況\n1. 日 時\n令和3年2月10日(水)\n"
        "午後1時30分 〜 午後3時00分\n2. 出席者 岡委員長、野口委員、三宅委員\n"
        "本部長、総務室長、警務部長\n3. 議事の概要\n野口委員説示\n"
        " 寒さが続くので職員の体調管理に気を配ってほしいと思います。\n決裁事項\n"
        "  1. 公安委員会表彰の推薦\n     総務室から、表彰の推薦について伺いがあり了承した。\n"
        "報告事項\n  1. 冬の交通事故の状況\n     警務部長から、事故の状況について報告があった。\n"
        "      委員から、\n     凍った道での事故を減らす広報をしていただきたい。\n",
        encoding="utf-8",
    )
    m = read(doc, url="https://www.police.pref.ehime.jp/kouaniinkai/gijiroku/r3-kaigi.html")
    assert [(i.title, i.kind) for i in m.items] == [
        ("野口委員説示", "Report"),
        ("公安委員会表彰の推薦", "Decision"),
        ("冬の交通事故の状況", "Report"),
    ]
    assert [p.post for p in m.items[1].presenters] == ["総務室長"]
    assert [(r.item, r.speaker.kind, r.speaker.name) for r in m.remarks] == [
        (1, "member", "野口"),
        (3, "unnamed", ""),
    ]
    assert "広報をしていただきたい" in m.remarks[1].text


def test_a_date_before_から_is_nobody_and_round_bullets_are_remarks(tmp_path):
    """「議会が、9月18日から…開かれる旨の報告があった」 is a report, not words of 「9月18日」;
    「•」 bullets under 委員発言要旨 are members' remarks."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "定例会議の開催概要 令和7年9月3日\n第1日時\n令和7年9月3日午後1時00分~午後4時00分\n"
        "第2全体会議\n1報告事項\n(1)府議会の日程について\n"
        "府議会の定例会が、9月18日から10月20日までの日程で開かれる旨の報告があった。\n"
        "(2)秋の交通安全運動について\n運動の重点と期間中の行事について報告があった。\n"
        "委員発言要旨\n  • 高齢者の事故を減らす呼び掛けを強めていただきたい。\n",
        encoding="utf-8",
    )
    m = read(doc, url="https://kouaniinkai.pref.osaka.lg.jp/teireikaigi/2.html")
    assert [(r.item, r.speaker.kind) for r in m.remarks] == [(2, "unnamed")]
    assert m.remarks[0].text.startswith("高齢者の事故")


def test_questions_put_and_answers_received(tmp_path):
    """「委員が、「…」旨質問したところ、X部長から、「…」旨説明を受けた」: a member's question
    and the officer's answer to it; 「公安委員会」「警察本部」 head the two sides of the
    attendance and are nobody."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "令和4年6月9日開催の宮崎県公安委員会会議録\n開催日時\n令和4年6月9日(木曜)13時00分~15時00分\n"
        "出席者\n公安委員会\n川端一郎委員長、森田花子委員\n警察本部\n警察本部長、警務部長、交通部長\n"
        "第1.議事の概要\n1.報告\n夏の交通事故防止運動について\n交通部長から運動の重点について報告があった。\n"
        "委員が、「夜間の事故はどの程度か。」旨質問したところ、交通部長から、「全体の4割ほどで"
        "ある。」旨説明を受けた。\n",
        encoding="utf-8",
    )
    m = read(doc, url="https://www.pref.miyazaki.lg.jp/kouan/bosai/bohan/1.html")
    assert [o.post for o in m.officers_present] == ["警察本部長", "警務部長", "交通部長"]
    assert [x.name for x in m.members] == ["川端一郎", "森田花子"]
    question, answer = m.remarks
    assert (question.speaker.kind, answer.speaker.name) == ("unnamed", "交通部長")
    assert answer.reply_to == question.position


def test_a_page_without_labels_or_titles(tmp_path):
    """The date, the place, the members and the officers on lines of their own; each item a
    sentence 「警察本部から(、)…について説明があり、…決裁した」."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "更新日:2025年8月1日\nここから本文です。\n令和7年7月16日午後1時から午後4時\n"
        "警察本部特別会議室\n西委員長、東委員、南委員\n北本部長、中警務部長、上交通部長\n"
        "警察本部から、運転免許の取消処分について説明があり、これを審議の上、決裁した。\n"
        "警察本部から苦情の調査結果について報告があり、通知書案を審議の上、決裁した。\n",
        encoding="utf-8",
    )
    m = read(doc, url="https://www.pref.kagoshima.jp/ja05/20250716.html")
    assert (m.committee, m.date.isoformat(), m.start.hour, m.end.hour) == (
        "JP-46",
        "2025-07-16",
        13,
        16,
    )
    assert [x.name for x in m.members] == ["西", "東", "南"]
    assert [o.post for o in m.officers_present] == ["本部長", "警務部長", "交通部長"]
    assert [i.title for i in m.items] == ["運転免許の取消処分", "苦情の調査結果"]


def test_a_table_read_out_of_order(tmp_path):
    """A PDF table whose cells come out one per line: the hours alone on a line, the posts
    apart from their label (総務監, 警備監 among them), 「委 員: …」 label lines."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "福島県公安委員会の開催状況\n第1\n開催日時・場所及び出席者\n1\n日\n時\n平成27年4月7日(火)\n"
        "2\n場\n所\n公安委員会室\n3\n出 席 者\n公安委員長以下3名\n警察本部側出席\n"
        "午前10時00分~午前11時30分\n本部長、警務部長、総務監、警備監\n2 報告事項\n"
        "(1) 春の交通安全運動について\n警務部長から、運動の重点について報告があった。\n"
        "委 員: 子供の通学路を重点にしていただきたい。\n",
        encoding="utf-8",
    )
    m = read(doc)
    assert (m.committee, m.start.hour, m.end.hour, m.end.minute) == ("JP-07", 10, 11, 30)
    assert [o.post for o in m.officers_present] == ["本部長", "警務部長", "総務監", "警備監"]
    [remark] = m.remarks
    assert remark.speaker.kind == "unnamed" and remark.text.startswith("子供の通学路")


def test_parts_by_body_and_department_and_the_chairs_address(tmp_path):
    """「【公安委員会から」 (a member speaks: an item of its own) and 「【交通部議題」 over the
    items; 「委員長説示」 is the chair's address; 「説明補助者」 lists officers too."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "公安委員会定例会議の開催状況\n1.開催日\n平成30年5月9日(水)午後1時00分〜午後3時00分\n"
        "2.出席者\n大川委員長、小山委員\n本部長、警務部長\n説明補助者\n交通規制課課長補佐\n"
        "委員長説示\n 連休中の事故防止の取組に感謝したいと思います。\n"
        "【公安委員会から\n冒頭、委員から、「夏に向けて水難の広報を早めに始めてほしい。」旨の発言があった。\n"
        "【交通部議題\n信号機の設置について\n警察本部から、設置場所の説明があり、原案どおり決定した。\n",
        encoding="utf-8",
    )
    m = read(doc, url="https://www.police.pref.niigata.jp/kouaniinkai/kaigi18-05-09.htm")
    assert [i.title for i in m.items] == ["委員長説示", "公安委員会から", "信号機の設置について"]
    assert [(r.item, r.speaker.kind, r.speaker.name) for r in m.remarks] == [
        (1, "member", "大川"),
        (2, "unnamed", ""),
    ]
    assert [o.post for o in m.officers_present] == ["本部長", "警務部長", "交通規制課課長補佐"]


def test_attendance_as_bulleted_lists_under_the_two_sides(tmp_path):
    """「2.出席者」 over 「(1)公安委員会」 and 「(2)警察本部」, each a bulleted list; a kana
    outline of items presented by units (「総務課から、」)."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "令和2年6月10日定例会議の会議録\n1.開催日\n令和2年6月10日(水曜日)\n2.出席者\n"
        "(1)公安委員会\n  • 石井委員長\n  • 坂本委員\n(2)警察本部\n  • 警察本部長\n  • 総務部長\n"
        "  • 公安委員会室長\n3.議事の概要\n(1)決裁事項\nア 公安委員会宛ての苦情について\n"
        "総務課から、公安委員会宛ての苦情の処理について説明があり、決裁した。\n(2)報告事項\n"
        "ア 夏の交通事故の状況について\n交通部長から、事故の状況について報告があった。\n",
        encoding="utf-8",
    )
    m = read(doc, url="https://www.pref.saitama.lg.jp/kouaniinkai/kaigi/r2-6-10.html")
    assert [x.name for x in m.members] == ["石井", "坂本"] and m.chair == "石井"
    assert [o.post for o in m.officers_present] == ["警察本部長", "総務部長", "公安委員会室長"]
    assert [(i.title, [p.post for p in i.presenters]) for i in m.items] == [
        ("公安委員会宛ての苦情について", ["総務課長"]),
        ("夏の交通事故の状況について", ["交通部長"]),
    ]


def test_the_commission_named_by_its_police_in_the_lead_sentence(tmp_path):
    """「定例公安委員会は、…に開催され、秋田県警察から…」: no page names the commission, the
    sentence that dates the session names its police (broken after 警察 or not)."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "5月14日の開催概要\n定例公安委員会は、令和2年5月14日(木)に開催され、秋田県警察\n"
        "から次の事項について報告があった。\n1 報告事項\n(1) 春の交通安全運動の結果について\n"
        "県警察から、運動の結果について報告があった。\n",
        encoding="utf-8",
    )
    assert read(doc).committee == "JP-05"


def test_chair_greetings_a_members_part_and_an_answer_after_また(tmp_path):
    """「3. 委員長挨拶」 is an item; 「(1)委員発言」 heads members' words but its number is the
    items' own, so 「(2)…」 after it is an item, not a part; 「午後零時50分」; 「…旨の説明を受け、
    また本部長から「…」」 is the chief's answer."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "定例会議 6月\n令和2年6月24日\n1. 開催日時\n"
        "令和2年6月24日水曜日 午前9時40分から午後零時50分までの間\n"
        "2. 主な出席者\n森委員長、林委員\n3. 委員長挨拶\n"
        "委員長から、「梅雨の事故に気を付けてほしい。」旨の発言があった。\n"
        "4. 議事の内容\n(1)委員発言\n委員長代理として林委員を指名した。\n"
        "(2)水難事故の状況\n水難事故の状況について報告を受けた。\n"
        "委員が、「子供の事故はあるか。」旨質問したところ、地域部長から「2件ある。」旨の説明を受け、"
        "また本部長から「広報を強める。」旨の説明を受けた。\n",
        encoding="utf-8",
    )
    m = read(doc, url="http://kouaniinkai.police.pref.chiba.jp/koaniin/katsudo_202006.html")
    assert (m.start.hour, m.end.hour, m.end.minute) == (9, 12, 50)
    assert [i.title for i in m.items] == ["委員長挨拶", "委員発言", "水難事故の状況"]
    assert [r.speaker.name or r.speaker.kind for r in m.remarks][-3:] == [
        "unnamed",
        "地域部長",
        "本部長",
    ]


def test_round_bullet_items_asides_and_words_stated(tmp_path):
    """「•」 items with their text below; 「【報告の要旨】」 labels an item's explanation and
    heads nothing; 「X委員長は、「…」旨述べた」 is the chair's remark; the commission from its
    room (「熊本県警察本部公安委員会室」)."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "令和6年2月8日(木)熊本県警察本部公安委員会室\n令和6年第5回公安委員会定例会議概要\n"
        "報告事項\n  • 冬の山岳遭難の発生状況\n【報告の要旨】\n地域部長から、遭難の件数について"
        "報告があった。\n西村委員長は、「登山届の呼び掛けを続けてほしい。」旨述べた。\n"
        "  • 交通事故の発生状況\n交通部長から、事故の件数について報告があった。\n",
        encoding="utf-8",
    )
    m = read(doc)
    assert m.committee == "JP-43"
    assert [(i.title, [p.post for p in i.presenters]) for i in m.items] == [
        ("冬の山岳遭難の発生状況", ["地域部長"]),
        ("交通事故の発生状況", ["交通部長"]),
    ]
    [remark] = m.remarks
    assert (remark.item, remark.speaker.kind, remark.speaker.name) == (1, "member", "西村")


def test_a_list_of_other_sessions_dates_is_not_the_date(tmp_path):
    """Links to past sessions above the minutes (「2018/10/24(WED)」 one per line) are other
    sessions; the date of this one follows them."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "岩手県公安委員会\n定例会議の開催概要\n過去の定例会議へ\n  2019/05/15(WED)\n"
        "  2019/05/08(WED)\n最新の定例会議\n2019年5月22日(水)\n■全体会議\n【警務部議題\n"
        "春の交通安全運動の結果について\n警察本部から、運動の結果について説明があった。\n",
        encoding="utf-8",
    )
    m = read(doc, url="http://www2.pref.iwate.jp/~hp0801/kouani/sub4/sub4.html")
    assert m.date.isoformat() == "2019-05-22"


@pytest.mark.parametrize("label", ["委員のコメント", "公安委員会委員コメント", "[委員]"])
def test_members_comments_under_a_label(tmp_path, label):
    """Members' words under 「委員のコメント」「[委員]」: one remark per paragraph, a paragraph
    the page broke across lines kept whole."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "令和6年1月11日開催の定例会における主な議題\n報告事項\n  • 冬の交通事故の発生状況\n"
        "交通事故の件数が前年より増えた旨の報告があった。\n"
        f"{label}\n  • 凍結した道路での事故を防ぐため、早めの\n広報をお願いしたい。\n"
        "  • 高齢者の事故にも目を配ってほしい。\n",
        encoding="utf-8",
    )
    m = read(doc, url="https://www.pref.nagano.lg.jp/koani/teireikai/gaiyo/r060111.html")
    assert [i.title for i in m.items] == ["冬の交通事故の発生状況"]
    assert [r.text for r in m.remarks] == [
        "凍結した道路での事故を防ぐため、早めの広報をお願いしたい。",
        "高齢者の事故にも目を配ってほしい。",
    ]


def test_numbers_alone_over_titles_and_a_cut_sentence(tmp_path):
    """「1 報告・審議等概要」 is a part; 「(1)」 alone on a line numbers the title below it,
    even one without a title's ending (「…行事予定表」); a page cut after 「警察から上記事項に
    ついて」 has no item there."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "沖縄県公安委員会\n☆ 定例会議の開催状況【令和元年8月8日(木)】\n\n1 報告・審議等概要\n\n"
        "(1)\n\n令和元年9月中行事予定表\n\n 警察から上記事項について報告がありました。\n\n(2)\n\n"
        "夏の水難事故防止について\n\n 警察から上記事項について報告があり、公安委員から「監視員の"
        "配置を手厚くしてもらいたい。」旨の意見がありました。\n\n(3)\n\n台風への備えについて\n\n"
        " 警察から上記事項について",
        encoding="utf-8",
    )
    m = read(doc, url="http://www.police.pref.okinawa.jp/kouan/teirei/R010808.htm")
    assert [i.title for i in m.items] == [
        "令和元年9月中行事予定表",
        "夏の水難事故防止について",
        "台風への備えについて",
    ]
    assert [(r.item, r.speaker.kind) for r in m.remarks] == [(2, "unnamed")]


def test_a_member_listed_by_full_name_speaks_by_surname(tmp_path):
    """The attendance gives full names (「黒木真一委員長」); a remark by 「黒木委員長」 is his."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "令和5年10月12日開催の宮崎県公安委員会会議録\n開催日時\n令和5年10月12日(木曜)13時30分~14時00分\n"
        "出席者\n公安委員会\n黒木真一委員長、日高由美委員\n第1.議事の概要\n1.報告\n"
        "秋の全国地域安全運動について\n生活安全部長から運動の重点について報告があった。\n"
        "黒木委員長から、「防犯ボランティアとの連携を深めてほしい。」旨の発言があった。\n",
        encoding="utf-8",
    )
    m = read(doc, url="https://www.pref.miyazaki.lg.jp/kouan/bosai/bohan/2.html")
    [remark] = m.remarks
    assert remark.speaker.name == "黒木真一"
    assert [x.name for x in m.members] == ["黒木真一", "日高由美"]


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://www.npsc.go.jp/report21/07-02.htm", "2009-07-02"),
        ("https://www.pref.ibaraki.jp/kenkei/meeting/meeting20090702.html", "2009-07-02"),
        ("https://www.pref.gifu.lg.jp/koan-iinkai/kaisaigaiyou/H21-7-2.html", "2009-07-02"),
        ("https://www.pref.yamanashi.jp/police/kaigiroku_h210702.html", "2009-07-02"),
    ],
)
def test_a_garbled_date_read_from_the_address_when_the_weekday_agrees(tmp_path, url, day):
    """「第1 平成2日(木)」: the text lost the date but kept its weekday; the page's address
    holds the day, read only when that weekday agrees."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "定例委員会の開催状況\n第1 平成2日(木)\n第2 出席者 佐藤、吉田各委員\n第3 議事の概要\n"
        "(1)人事案件について\n人事課長から説明があり、原案どおり決定した。\n",
        encoding="utf-8",
    )
    assert read(doc, url=url).date.isoformat() == day
    # a weekday no reading of the address has: no date
    doc.write_text(doc.read_text(encoding="utf-8").replace("(木)", "(日)"), encoding="utf-8")
    assert read(doc, url=url).date is None


def test_a_greeting_announced_by_a_sentence(tmp_path):
    """「定例会議の冒頭、委員長が、以下の挨拶を行った。」: the topics below it are the chair's
    words, not items; the items come after the next part's heading."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "令和6年9月5日(木)公安委員会定例会\n"
        "令和6年9月5日(木)に開催した定例会において、"
        "佐賀県警察から次の事項について報告がありました。\n"
        "定例会議の冒頭、委員長が、以下の挨拶を行った。\n  • 秋の交通安全運動について\n"
        "    夕暮れ時の事故が増える季節です。\n    早めの点灯を呼び掛けてください。\n"
        "報告事項\n  • 台風第10号への対応について\n"
        "    警備部長から、警備の体制について報告があった。\n",
        encoding="utf-8",
    )
    m = read(doc, url="https://www.police.pref.saga.jp/koan/_1301/_10965/_20000.html")
    assert [i.title for i in m.items] == ["委員長挨拶", "台風第10号への対応について"]
    [remark] = m.remarks
    assert remark.item == 1 and "早めの点灯" in remark.text


def test_an_agreement_is_recorded_only_with_its_parties(tmp_path):
    """An agreement whose parties the page does not name would make the whole session
    invalid (an agreement is between parties): it is no agreement node, only a warning, and
    the session loads. Parties named in the title 「AとB及びCにおける…協定」 are each one."""
    from committee_kg.loaders.validate import validate

    doc = tmp_path / "x.txt"
    doc.write_text(
        "茨城県公安委員会 定例会議\n令和7年6月11日(水)\n報告事項\n"
        "(1) 県境付近における山岳遭難救助の権限行使に関する協定について\n"
        "地域部長から協定の内容について説明があり、原案どおり決定した。\n"
        "(2) 茨城県警察と水戸大学及び水戸短期大学における連携協定について\n"
        "警務部長から連携協定の内容について報告があった。\n",
        encoding="utf-8",
    )
    conv = convert(doc)
    first, second = conv.minutes.items
    assert first.agreement is None
    assert any("parties are not stated" in w for w in conv.warnings)
    assert second.agreement.parties == ["茨城県警察", "水戸大学", "水戸短期大学"]
    assert validate(conv.graph).conforms


def test_a_short_page_whose_posts_run_long_is_no_printed_page(tmp_path):
    """Seven lines, one of them a long list of posts ending without a sentence's end: that
    line is no sentence the page broke, so it is not glued to the first item after it (the
    item and every officer were lost, with no warning)."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "高知県公安委員会 定例会議の開催状況\n平成28年1月13日(水) 午後2時00分~\n"
        "山下委員長、横山委員、水野委員、松井委員\n"
        "本部長、刑事部長、生活安全部長、地域部長、交通部長、警務部長、首席監察官、交通企画課長\n"
        "高知県警察から、道路交通規則の一部改正について説明があり、これを決裁した。\n"
        "高知県警察から、通信指令システムの更新について報告があった。\n",
        encoding="utf-8",
    )
    m = read(doc)
    assert len(m.officers_present) == 8
    assert [i.title for i in m.items] == ["道路交通規則の一部改正", "通信指令システムの更新"]


def test_proposals_and_decisions_stated_in_the_passive(tmp_path):
    """「1 提案事項」 is a part of items put to a decision (they were read as reports, their
    numbers without the part's); 「原案どおり可決した」 and 「原案のとおり承認された」 state the
    commission's decision, while 「県議会で可決された」 is news of another body's."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "福島県公安委員会の開催状況\n平成27年3月4日(水)\n1 提案事項\n"
        "(1) 交通安全施設の整備計画について\n"
        "交通規制課長から、計画の内容について説明があり、原案どおり可決した。\n"
        "2 報告事項\n(1) 手数料条例の改正について\n"
        "交通企画課長から、条例案が県議会で可決された旨の報告があった。\n"
        "(2) 警察署協議会委員の選任について\n"
        "警務課長から、選任案について説明があり、原案のとおり承認された。\n",
        encoding="utf-8",
    )
    m = read(doc)
    assert [(i.local_number, i.kind, i.outcome) for i in m.items] == [
        ("1(1)", "Decision", "議決"),
        ("2(1)", "Report", "報告受理"),
        ("2(2)", "Decision", "決裁"),
    ]


def test_a_bullet_alone_over_an_item_that_is_a_dialogue(tmp_path):
    """「〇」 alone on its line, the title under it, a subtitle in brackets, then members and
    officers by label: an item (the part's heading 「2 報告案件」 was read as one instead);
    「〔その他報告事項〕」 is a part's heading; a number broken inside its brackets, 「(3」 over
    「) …」, is the next item's number."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "石川県公安委員会 定例会議の開催状況\n開催日 令和6年9月12日(木)\n\n"
        "1 決裁了承案件\n\n(1) 交通規制の実施について\n"
        "  交通規制の実施について説明があり、原案どおり決定しました。\n\n"
        "(2) 風俗営業者に対する聴聞結果について\n"
        "  聴聞の結果について説明があり、了承しました。\n\n"
        "(3\n) 警察職員の援助要求について\n  援助要求について説明があり、了承しました。\n\n"
        "2 報告案件\n\n 〇 \n特殊詐欺の拠点の摘発\n\n (被害の回復に向けて)\n\n"
        "(山本委員)\n 被害金は戻ってくるのでしょうか。\n\n(刑事部長)\n"
        " 口座を凍結し、返還の手続を進めております。\n\n"
        "〔その他報告事項〕\n\n(1) 秋の交通安全運動の実施について\n"
        "  運動の重点について報告があった。\n",
        encoding="utf-8",
    )
    m = read(doc)
    assert [(i.local_number, i.title) for i in m.items] == [
        ("1(1)", "交通規制の実施について"),
        ("1(2)", "風俗営業者に対する聴聞結果について"),
        ("1(3)", "警察職員の援助要求について"),
        (None, "特殊詐欺の拠点の摘発"),
        ("2(1)", "秋の交通安全運動の実施について"),
    ]
    assert [(r.item, r.speaker.name) for r in m.remarks] == [(4, "山本"), (4, "刑事部長")]


@pytest.mark.parametrize(
    ("hours", "start", "end"),
    [
        ("午前1000分 〜 午前11時25分", (10, 0), (11, 25)),  # 時 lost from the start
        ("午前10時00分 〜 午前1115", (10, 0), (11, 15)),  # 時 and 分 lost from the end
    ],
)
def test_a_clock_time_that_lost_its_hour_mark(tmp_path, hours, start, end):
    doc = tmp_path / "x.txt"
    doc.write_text(
        "定例委員会の開催状況\n第1 日 時 令和8年3月5日(木)\n"
        f"{hours}\n場 所 国家公安委員会室\n第2 出席者 山田委員長、川村、森各委員\n"
        "第3 議事の概要\n1 議題事項\n(1) 人事案件について\n人事評価を実施した。\n",
        encoding="utf-8",
    )
    m = read(doc)
    assert ((m.start.hour, m.start.minute), (m.end.hour, m.end.minute)) == (start, end)


def test_a_presenter_who_reported_and_a_member_who_said(tmp_path):
    """「刑事部長は、…について、「…」などと報告した。」 names the presenter; 「林委員長は、「…」旨
    述べた。」 is a member's remark, and 「本大会は、」 no one at all."""
    doc = tmp_path / "x.txt"
    doc.write_text(
        "定例会議の開催概要\n令和元年9月4日定例会\n令和元年9月4日に開催された定例会議の開催内容は"
        "次のとおりです。\n<岐阜県警察から報告・説明があった事項>\n"
        "暴力追放県民大会の開催について\n"
        "刑事部長は、暴力追放県民大会の開催について、「本大会は、今月末に開催する。」などと報告"
        "した。\nこの報告に関し、林委員長は、「多くの県民に参加してほしい。」旨述べた。\n"
        "夏の交通事故の発生状況について\n"
        "本大会は、例年どおり開催される。\n交通部長は、夏の交通事故の発生状況について説明した。\n",
        encoding="utf-8",
    )
    m = read(doc)
    assert [(i.title, [p.post for p in i.presenters]) for i in m.items] == [
        ("暴力追放県民大会の開催について", ["刑事部長"]),
        ("夏の交通事故の発生状況について", ["交通部長"]),
    ]
    assert [(r.item, r.speaker.name) for r in m.remarks] == [(1, "林")]
