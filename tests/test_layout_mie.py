"""Mie commission web pages (mie-web), read as their expectations say, and the traps of real
pages: a publication date in the same format as the heading, end times without minutes or
missing, kinds from tags, departments as presenters, named and label-line remarks."""

from __future__ import annotations

import json
from datetime import time

import pytest

from committee_kg.loaders.extract import extract
from committee_kg.loaders.pipeline import convert, read
from committee_kg.loaders.summary import fold

from .support import ROOT

LAYOUT = "mie-web"
EXAMPLES = ROOT / "examples"
FOLDER = EXAMPLES / "layouts" / LAYOUT
PAGES = sorted(FOLDER.glob("*.html"))
CUT = FOLDER / "JP-24_2024-07-10_cut.html"
OTHERS = sorted(
    p
    for p in EXAMPLES.rglob("*")
    if p.suffix in (".txt", ".html", ".pdf")
    and p.with_suffix(".expected.json").exists()
    and p.parent != FOLDER
)


def page(name: str):
    return FOLDER / name


def expected(path):
    return fold(json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8")))


def quoted(minutes, span) -> str:
    return minutes.text.text[span.start : span.end]


def write_page(tmp_path, body: str, name: str = "page.html"):
    path = tmp_path / name
    path.write_text(
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>t</title></head>'
        '<body><nav class="gnav"><a href="/">ホーム</a></nav><main id="main">'
        + "".join(f"<p>{line}</p>" for line in body.strip().splitlines())
        + "</main></body></html>",
        encoding="utf-8",
    )
    return path


def mie_page(tmp_path, when: str = "令和6年9月4日(水)13時30分~16時", items: str = "") -> object:
    items = items or (
        "1 個別会議(第1部)\n"
        "⑴ 運転免許の行政処分について(審議:交通部)\n"
        "警察本部から、処分の案(9件)について説明を受け、審議の上、行政処分を決定した。"
    )
    return write_page(
        tmp_path,
        "2024/09/04 公安委員会定例会議開催概要\n"
        "三重県公安委員会の定例会議の概要をお知らせします。\n"
        f"1 開催日時\n{when}\n"
        "2 出席委員\n川村委員長、山田委員、中西委員、田村委員、森本委員\n"
        "3 開催状況\n" + items,
    )


# -- the examples ----------------------------------------------------------------------


def test_example_pages_come_in_several_encodings_and_styles():
    assert len(PAGES) >= 3
    encodings = {extract(p).encoding.lower().replace("-", "_") for p in PAGES}
    assert "shift_jis" in encodings and "utf_8" in encodings
    older = read(page("JP-24_2017-05-18.html"))
    assert "審議事項" in older.text.text and "(審議:" not in older.text.text


# -- the date and the times ----------------------------------------------------------


def test_the_date_is_the_headings_not_the_publication_dates():
    minutes = read(page("JP-24_2024-05-15.html"))
    text = minutes.text.text
    assert text.index("2024/05/31 掲載") < text.index("2024/05/15 公安委員会")
    assert minutes.date.isoformat() == "2024-05-15"
    assert quoted(minutes, minutes.date_span) == "令和6年5月15日"
    # 「更新日:2024/06/21」 below the items is neither the date nor part of the last item
    later = read(page("JP-24_2024-06-05.html"))
    assert later.date.isoformat() == "2024-06-05"
    assert "更新日" not in later.items[-1].description


def test_an_end_time_without_minutes():
    minutes = read(page("JP-24_2024-05-15.html"))
    assert "13時20分~17時" in minutes.text.text
    assert (minutes.start.time(), minutes.end.time()) == (time(13, 20), time(17, 0))


def test_older_pages_give_times_with_午後_and_a_wave_dash():
    minutes = read(page("JP-24_2017-05-18.html"))
    assert "午後1時10分〜午後3時40分" in minutes.text.text
    assert (minutes.start.time(), minutes.end.time()) == (time(13, 10), time(15, 40))
    assert minutes.weekday == "木"


def test_a_missing_end_time_is_a_warning_not_a_failure(tmp_path):
    minutes = read(mie_page(tmp_path, when="令和6年9月4日(水)13時30分~"))
    assert minutes.start.time() == time(13, 30) and minutes.end is None
    assert any("end time is missing" in w for w in minutes.warnings)
    assert len(minutes.items) == 1


@pytest.mark.parametrize(
    ("when", "start", "end"),
    [
        ("令和6年9月4日(水)13時30分16時", time(13, 30), time(16, 0)),  # no separator
        ("令和6年9月4日(水) 午後1時30分~4時5分", time(13, 30), time(16, 5)),  # 午後 once
        ("令和6年9月4日(水)13:30~16:20", time(13, 30), time(16, 20)),
    ],
)
def test_time_ranges(tmp_path, when, start, end):
    minutes = read(mie_page(tmp_path, when=when))
    assert (minutes.start.time(), minutes.end.time()) == (start, end)
    assert minutes.warnings == []


def test_a_heading_and_開催日時_that_disagree_are_flagged(tmp_path):
    minutes = read(mie_page(tmp_path, when="令和6年9月5日(木)13時30分~16時"))
    assert minutes.date.isoformat() == "2024-09-05"  # the one 開催日時 states
    assert any("2024-09-04" in w and "2024-09-05" in w for w in minutes.warnings)


def test_the_committee_comes_from_the_page_or_its_url(tmp_path):
    path = mie_page(tmp_path)
    assert read(path).committee == "JP-24"
    text = path.read_text(encoding="utf-8").replace("三重県公安委員会の", "公安委員会の")
    path.write_text(text, encoding="utf-8")
    assert read(path).committee is None
    url = "https://www.police.pref.mie.jp/public_safety/contents/detail.php?no=1"
    assert read(path, url=url).committee == "JP-24"


# -- items -------------------------------------------------------------------------------


def test_the_tag_gives_the_presenting_department_and_is_not_part_of_the_title():
    minutes = read(page("JP-24_2024-05-15.html"))
    first, joint = minutes.items[0], minutes.items[-1]
    assert first.title == "運転免許の行政処分について"
    assert [o.post for o in first.presenters] == ["交通部長"]
    assert quoted(minutes, first.presenters[0].span) == "交通部"
    assert [o.post for o in joint.presenters] == ["生活安全部長", "地域部長"]
    assert [quoted(minutes, o.span) for o in joint.presenters] == ["生活安全部", "地域部"]
    # a bracket that is not a tag stays in the title
    assert minutes.items[2].title == "集団示威運動等の申請状況について(令和6年4月中)"


def test_審議_is_a_decision_only_when_the_text_states_one():
    minutes = read(page("JP-24_2024-06-05.html"))
    approved, discussed = minutes.items[0], minutes.items[1]
    assert (approved.kind, approved.outcome) == ("Decision", "決裁")  # 原案を承認した
    assert (discussed.kind, discussed.outcome) == ("Consultation", "協議")  # 協議した
    # 「受理を決定するとともに、…調査を指示した」
    complaint = read(page("JP-24_2024-05-15.html")).items[1]
    assert (complaint.kind, complaint.outcome) == ("Decision", "議決")


def test_a_報告_item_the_commission_decided_is_a_decision():
    minutes = read(page("JP-24_2024-06-05.html"))
    item = minutes.items[2]
    assert "(報告:交通部)" in quoted(minutes, item.span)
    assert "処分の内容を決定した" in item.description
    assert (item.kind, item.outcome) == ("Decision", "議決")


def test_local_numbers_are_kept_as_written():
    minutes = read(page("JP-24_2024-05-15.html"))
    assert [i.local_number for i in minutes.items] == ["1 ⑴", "1 ⑵", "1 ⑶", "2 ⑴", "2 ⑵", "2 ⑶"]
    older = read(page("JP-24_2017-05-18.html"))
    assert [i.local_number for i in older.items] == ["1 (1)", "1 (2)", "2 (1)", "2 (2)"]


def test_older_parts_give_the_kind_when_the_tag_names_only_the_department():
    minutes = read(page("JP-24_2017-05-18.html"))
    assert [i.kind for i in minutes.items] == ["Decision", "Decision", "Report", "Report"]
    assert minutes.items[0].presenters[0].post == "生活安全部長"


def test_an_item_without_a_department_is_a_warning(tmp_path):
    items = "2 全体会議\n⑴ 年末の特別警戒について\n警察本部から、警戒の重点について報告があった。"
    minutes = read(mie_page(tmp_path, items=items))
    assert minutes.items[0].presenters == []
    assert any("names no department" in w for w in minutes.warnings)


# -- remarks -----------------------------------------------------------------------------


def test_named_remarks_with_and_without_a_comma():
    minutes = read(page("JP-24_2024-05-15.html"))
    r1, r2, r3, r4 = minutes.remarks
    assert quoted(minutes, r1.span).startswith("川村委員から「")  # no comma
    assert (r1.speaker.kind, r1.speaker.name) == ("member", "川村")
    assert quoted(minutes, r2.span).startswith("山田委員長から、「")
    assert (r2.speaker.kind, r2.speaker.name) == ("member", "山田")
    assert (r3.speaker.kind, r3.speaker.name, r3.reply_to) == ("officer", "警察本部", 2)
    assert quoted(minutes, r4.span).startswith("中西委員からは「")  # からは: a member, no reply
    assert (r4.speaker.name, r4.reply_to) == ("中西", None)
    # the explanation 「警察本部から、…報告があった。」 is the description, not a remark
    assert minutes.items[4].description.startswith("警察本部から、運動期間中")


def test_a_remark_without_quotes_and_an_officers_answer():
    minutes = read(page("JP-24_2024-06-05.html"))
    unquoted, question, answer = minutes.remarks[:3]
    assert unquoted.text == (
        "夜間に道路を横断する歩行者の事故を防ぐため、運転者への呼び掛けを強めてほしい"
    )
    assert (answer.speaker.kind, answer.speaker.name) == ("officer", "交通部長")
    assert answer.reply_to == question.position
    assert quoted(minutes, answer.span).endswith("旨の回答があった。")


def test_label_lines_in_older_pages():
    minutes = read(page("JP-24_2017-05-18.html"))
    chair, officer, member = minutes.remarks
    assert (chair.speaker.name, officer.speaker.name) == ("田村", "警務部長")
    assert officer.reply_to == chair.position and member.reply_to is None
    assert chair.text.startswith("梅雨の時期に入るので")
    assert minutes.items[2].description == "警察本部から、6月中の主な行事等について報告があった。"


def test_members_who_speak_are_present_when_the_page_lists_none():
    minutes = read(page("JP-24_2017-05-18.html"))
    assert "出席委員" not in minutes.text.text
    assert [(m.name, m.role) for m in minutes.members] == [("田村", "委員長"), ("森本", "委員")]
    assert minutes.chair == "田村"
    assert [quoted(minutes, m.span) for m in minutes.members] == ["田村委員長", "森本委員"]


def test_a_role_changes_between_sessions():
    def roles(name):
        return {m.name: m.role for m in read(page(name)).members}

    assert roles("JP-24_2024-05-15.html")["山田"] == "委員長"
    assert roles("JP-24_2024-06-05.html")["山田"] == "委員"
    assert roles("JP-24_2017-05-18.html")["田村"] == "委員長"
    assert roles("JP-24_2024-06-05.html")["田村"] == "委員"


# -- a page cut off midway -------------------------------------------------------------


def test_a_cut_off_page_is_a_partial_session_with_warnings():
    minutes = read(CUT)
    assert minutes.date.isoformat() == "2024-07-10"
    assert len(minutes.items) == 3
    last = minutes.items[-1]
    assert last.outcome is None and last.description.endswith("声掛けの")
    assert any("end time is missing" in w for w in minutes.warnings)
    assert any("cut off" in w for w in minutes.warnings)
    conv = convert(CUT)
    assert str(conv.meeting).endswith("/id/meeting/JP-24/2024-07-10")
    assert conv.warnings == minutes.warnings


def test_a_heading_cut_mid_title_where_the_page_stops_is_no_item(tmp_path):
    """「⑵ 令和」 as the page's last line: nothing of the item is there, and a careful reader
    lists none; a whole title there, or one with its tag, is an item all the same."""
    body = (
        "2 全体会議\n⑴ 年末の特別警戒について(報告:生活安全部)\n"
        "警察本部から、警戒の重点について報告があった。\n"
    )
    cut = read(mie_page(tmp_path, items=body + "⑵ 令和"))
    assert [i.title for i in cut.items] == ["年末の特別警戒について"]
    for whole in ("⑵ 少年の非行防止について", "⑵ 令和6年の(報告:警務部)"):
        page = mie_page(tmp_path, items=body + whole)
        assert len(read(page).items) == 2, whole


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_pages_cut_anywhere_never_raise(tmp_path, path):
    """Cut the page at 20 places after its first part heading: always a session, and a
    warning whenever the text the cut leaves ends mid-sentence before the content is over."""
    encoding = extract(path).encoding
    text = path.read_bytes().decode(encoding)
    first_part = min(text.index(w) for w in ("個別会議", "審議事項", "全体会議") if w in text)
    last_sentence = text.rfind("。")
    step = max((len(text) - first_part) // 20, 1)
    for k, cut in enumerate(range(first_part, len(text), step)):
        part = tmp_path / f"{k}.html"
        part.write_bytes(text[:cut].encode(encoding))
        minutes = read(part, loader=LAYOUT)
        assert minutes.date is not None
        ends_mid_sentence = not minutes.text.text.rstrip().endswith(("。", "」", ")"))
        if cut <= last_sentence and ends_mid_sentence:
            assert minutes.warnings, f"cut at character {cut} gave no warning"
