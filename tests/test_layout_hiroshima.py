"""Hiroshima commission web pages (hiroshima-web), read as their expectations say, the traps
of real pages, and the registry's choice for every example document of every layout."""

from __future__ import annotations

import json
from datetime import time

import pytest

from committee_kg.loaders.extract import extract
from committee_kg.loaders.pipeline import convert, read
from committee_kg.loaders.summary import fold

from .support import ROOT

LAYOUT = "hiroshima-web"
FOLDER = ROOT / "examples" / "layouts" / LAYOUT
PAGES = sorted(FOLDER.glob("*.html"))
CUT = FOLDER / "JP-34_2024-06-12_cut.html"
EXAMPLES = ROOT / "examples"


def page(name: str):
    return FOLDER / name


def expected(path):
    return fold(json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8")))


def quoted(minutes, span) -> str:
    return minutes.text.text[span.start : span.end]


def write_page(tmp_path, body: str, name: str = "page.html"):
    """A minimal page in this layout around body (lines of the main content)."""
    path = tmp_path / name
    path.write_text(
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>t</title></head>'
        '<body><nav id="tmp_gnavi"><a href="/">トップページ</a></nav><div id="tmp_contents">'
        + "".join(f"<p>{line}</p>" for line in body.strip().splitlines())
        + "</div></body></html>",
        encoding="utf-8",
    )
    return path


PAGE_HEAD = """定例会議の開催概要(令和6年9月11日)
令和6年9月11日(水曜日) {times}
出席委員 中島委員長、藤井委員、三好委員
広島県公安委員会は、この日の定例会議で、警察本部から次の事項などについて説明と報告を受け、委員会としての判断を示しました。
【議題】
○運転免許の行政処分について
処分案について説明を受け、案のとおり議決した。"""


# -- the examples ----------------------------------------------------------------------


def test_example_pages_come_in_several_encodings():
    assert len(PAGES) >= 3
    encodings = {extract(p).encoding.lower().replace("-", "_") for p in PAGES}
    assert "shift_jis" in encodings
    assert len(encodings) >= 3


# -- the registry ------------------------------------------------------------------------


def _expected_loader(path) -> str:
    """examples/minutes/ is the seed's layout; examples/layouts/<name>/ is <name>."""
    rel = path.relative_to(EXAMPLES)
    return "yamaguchi-kaigiroku" if rel.parts[0] == "minutes" else rel.parts[1]


EXAMPLE_DOCUMENTS = sorted(
    p
    for p in EXAMPLES.rglob("*")
    if p.suffix in (".txt", ".html", ".htm", ".pdf") and p.with_suffix(".expected.json").exists()
)


# -- traps of real pages -------------------------------------------------------------


def test_the_date_is_the_titles_not_the_pages_publication_date():
    minutes = read(page("JP-34_2024-05-08.html"))
    assert "掲載日:令和6年5月24日" in minutes.text.text  # an era date before the date line
    assert minutes.date.isoformat() == "2024-05-08"
    assert quoted(minutes, minutes.date_span) == "令和6年5月8日"
    line = minutes.text.text[minutes.date_span.start :].split("\n", 1)[0]
    assert line.startswith("令和6年5月8日(水曜日)")


def test_another_commission_named_first_is_not_the_committee(tmp_path):
    minutes = read(page("JP-34_2024-05-08.html"))
    assert minutes.committee == "JP-34"
    (request,) = minutes.items[0].dispatch_requests
    assert (request.requesting, request.requested) == ("JP-21", "JP-34")
    # the page names its own commission only below the items
    body = (
        PAGE_HEAD.format(times="午後1時30分～午後2時")
        .replace("広島県公安委員会は", "公安委員会は")
        .replace("処分案について", "岡山県公安委員会から照会のあった処分案について")
    )
    minutes = read(write_page(tmp_path, body + "\n所管:広島県公安委員会"))
    assert minutes.text.text.index("岡山県公安委員会") < minutes.text.text.index("広島県公安委員会")
    assert minutes.committee == "JP-34"


def test_committee_from_the_url_when_the_page_does_not_name_it(tmp_path):
    body = PAGE_HEAD.format(times="午後1時30分～午後2時").replace(
        "広島県公安委員会は", "公安委員会は"
    )
    path = write_page(tmp_path, body)
    assert read(path).committee is None
    assert any("committee" in w for w in read(path).warnings)
    url = "https://www.pref.hiroshima.lg.jp/site/kouan/kai-gijiroku.html"
    assert read(path, url=url).committee == "JP-34"


def test_a_remark_without_quotes_is_a_remark():
    minutes = read(page("JP-34_2024-05-08.html"))
    r = minutes.remarks[2]
    assert r.speaker.kind == "unnamed"
    assert r.text == "標識が街路樹に隠れてしまわないよう、道路管理者と一緒に点検を続けてほしい"
    assert quoted(minutes, r.span).startswith("委員から、標識が")
    assert quoted(minutes, r.span).endswith("旨の発言があった。")


def test_a_police_reply_phrased_like_a_remark_is_an_officer_answering():
    minutes = read(page("JP-34_2024-05-08.html"))
    first, reply = minutes.remarks[0], minutes.remarks[1]
    assert first.speaker.kind == "unnamed"
    assert (reply.speaker.kind, reply.speaker.name) == ("officer", "警察側")
    assert reply.reply_to == first.position
    # 「…旨回答があった」 (no の) from a post
    question, answer = minutes.remarks[3], minutes.remarks[4]
    assert (answer.speaker.kind, answer.speaker.name) == ("officer", "交通企画課長")
    assert answer.reply_to == question.position
    assert quoted(minutes, answer.span).endswith("旨回答があった。")
    # the older page: 「…旨の回答があった」
    older = read(page("JP-34_2019-11-20.html"))
    assert [(r.speaker.kind, r.reply_to) for r in older.remarks[1:3]] == [
        ("unnamed", None),
        ("officer", 2),
    ]


def test_older_pages_use_the_full_width_comma_and_nested_quotes():
    minutes = read(page("JP-34_2019-11-20.html"))
    assert "，" in minutes.text.source and "," in minutes.text.text
    assert [m.name for m in minutes.members] == ["藤井", "中島", "三好", "岡田", "上村"]
    nested = minutes.remarks[1].text
    assert "「ながら運転」" in nested and nested.endswith("知らせてほしい。")


def test_the_chair_speaking_as_委員長_is_the_chair_listed():
    minutes = read(page("JP-34_2019-11-20.html"))
    last = minutes.remarks[-1]
    assert quoted(minutes, last.span).startswith("委員長より,")
    assert (last.speaker.kind, last.speaker.name) == ("member", "藤井")


def test_a_repeated_member_line_lists_each_member_once():
    minutes = read(page("JP-34_2019-11-20.html"))
    assert minutes.text.text.count("藤井委員長,中島委員") == 2
    assert len(minutes.members) == 5
    assert minutes.warnings == []
    # and the repeated line is not read as part of the last item
    assert "出席委員" not in (minutes.items[-1].description or "")


def test_a_member_given_two_roles_is_a_warning(tmp_path):
    body = PAGE_HEAD.format(times="午後1時30分～午後2時") + "\n出席委員 中島委員、藤井委員"
    minutes = read(write_page(tmp_path, body))
    assert [(m.name, m.role) for m in minutes.members][:1] == [("中島", "委員長")]
    assert any("中島" in w and "委員長" in w for w in minutes.warnings)


def test_attendance_run_on_after_the_times(tmp_path):
    body = PAGE_HEAD.format(times="午後1時30分～午後2時 出席委員 中島委員長、藤井委員").replace(
        "出席委員 中島委員長、藤井委員、三好委員\n", ""
    )
    minutes = read(write_page(tmp_path, body))
    assert [(m.name, m.role) for m in minutes.members] == [("中島", "委員長"), ("藤井", "委員")]
    assert (minutes.start.time(), minutes.end.time()) == (time(13, 30), time(14, 0))


def test_a_role_changes_between_sessions():
    roles = {
        name: {m.name: m.role for m in read(page(name)).members}
        for name in ("JP-34_2019-11-20.html", "JP-34_2024-05-08.html")
    }
    assert roles["JP-34_2019-11-20.html"]["中島"] == "委員"
    assert roles["JP-34_2024-05-08.html"]["中島"] == "委員長"
    assert roles["JP-34_2019-11-20.html"]["藤井"] == "委員長"
    assert roles["JP-34_2024-05-08.html"]["藤井"] == "委員"


def test_times_without_a_separator():
    minutes = read(page("JP-34_2019-11-20.html"))
    assert "午後1時30分午後3時" in minutes.text.text
    assert (minutes.start.time(), minutes.end.time()) == (time(13, 30), time(15, 0))


@pytest.mark.parametrize(
    ("times", "start", "end"),
    [
        ("午後1時30分～3時10分", time(13, 30), time(15, 10)),  # the second 午後 left out
        ("午前10時～正午", time(10, 0), None),
        ("午後1時30分から午後2時まで", time(13, 30), time(14, 0)),
    ],
)
def test_time_ranges(tmp_path, times, start, end):
    minutes = read(write_page(tmp_path, PAGE_HEAD.format(times=times)))
    assert minutes.start.time() == start
    assert (minutes.end.time() if minutes.end else None) == end
    assert (end is None) == any("end time" in w for w in minutes.warnings)


def test_no_time_at_all_is_a_warning(tmp_path):
    minutes = read(write_page(tmp_path, PAGE_HEAD.format(times="")))
    assert minutes.start is None and minutes.end is None
    assert any("start time" in w for w in minutes.warnings)


def test_a_title_and_date_line_that_disagree_are_flagged(tmp_path):
    body = PAGE_HEAD.format(times="午後1時30分～午後2時").replace(
        "令和6年9月11日(水曜日)", "令和6年9月12日(木曜日)"
    )
    minutes = read(write_page(tmp_path, body))
    assert minutes.date.isoformat() == "2024-09-11"  # the title's
    assert any("different dates" in w for w in minutes.warnings)


def test_a_weekday_that_contradicts_the_date_is_flagged(tmp_path):
    body = PAGE_HEAD.format(times="午後1時30分～午後2時").replace("(水曜日)", "(木曜日)")
    minutes = read(write_page(tmp_path, body))
    assert minutes.weekday == "木"
    assert any("is no (木)" in w for w in minutes.warnings)


def test_outcomes_follow_the_last_verb_of_the_explanation():
    minutes = read(page("JP-34_2024-05-08.html"))
    by_title = {i.title: i for i in minutes.items}
    # 「…報告を受けて決裁した」 is 決裁, not 報告受理
    assert by_title["法定苦情の処理について"].outcome == "決裁"
    # 「説明を受け、審議した」 decides nothing; the remarks that follow are not its outcome
    deliberated = by_title["交通規制の見直しについて"]
    assert deliberated.kind == "Decision" and deliberated.outcome is None
    assert deliberated.description.endswith("審議した。")
    # a 【報告】 item the commission acknowledged
    assert by_title["監察の実施状況について"].kind == "Report"
    assert by_title["監察の実施状況について"].outcome == "了承"


def test_an_item_with_no_outcome_is_a_warning(tmp_path):
    body = (
        PAGE_HEAD.format(times="午後1時30分～午後2時")
        + "\n○交通安全施設の整備について\n整備の計画について説明を受けた。"
    )
    minutes = read(write_page(tmp_path, body))
    assert minutes.items[-1].outcome is None
    assert any("states no outcome" in w for w in minutes.warnings)


def test_an_extra_session_is_its_own_meeting():
    conv = convert(page("JP-34_2024-07-03_臨時会.html"))
    assert conv.minutes.kind == "臨時会"
    assert str(conv.meeting).endswith("/id/meeting/JP-34/2024-07-03-臨時会")


def test_items_are_unnumbered_and_spans_point_at_their_text():
    minutes = read(page("JP-34_2024-05-08.html"))
    assert all(i.local_number is None for i in minutes.items)
    for item in minutes.items:
        assert quoted(minutes, item.span).startswith("○" + item.title)
    for member in minutes.members:
        assert quoted(minutes, member.span) == member.name + member.role
    for remark in minutes.remarks:
        assert remark.text in quoted(minutes, remark.span)


# -- a page cut off midway -------------------------------------------------------------


def test_a_cut_off_page_is_a_partial_session_with_warnings():
    minutes = read(CUT)
    assert minutes.date.isoformat() == "2024-06-12"
    assert len(minutes.items) == 2
    last = minutes.remarks[-1]
    assert last.speaker.name == "警察側" and last.text.endswith("案内の")
    assert any("never closed" in w for w in minutes.warnings)
    assert any("cut off" in w for w in minutes.warnings)
    conv = convert(CUT)  # still a graph: the session is printed, flagged as partial
    assert str(conv.meeting).endswith("/id/meeting/JP-34/2024-06-12")
    assert conv.warnings == minutes.warnings


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_pages_cut_anywhere_never_raise(tmp_path, path):
    """Cut the page at 20 places after its first block (at a character: a cut inside a
    multi-byte character is the extract stage's business): always a session, and a warning
    whenever the text the cut leaves ends mid-sentence before the content is over."""
    encoding = extract(path).encoding
    text = path.read_bytes().decode(encoding)
    last_sentence = text.rfind("。")
    first_block = text.index("【")
    step = max((len(text) - first_block) // 20, 1)
    for k, cut in enumerate(range(first_block, len(text), step)):
        part = tmp_path / f"{k}.html"
        part.write_bytes(text[:cut].encode(encoding))
        minutes = read(part, loader=LAYOUT)
        assert minutes.date is not None
        ends_mid_sentence = not minutes.text.text.rstrip().endswith(("。", "」", ")"))
        if cut <= last_sentence and ends_mid_sentence:
            assert minutes.warnings, f"cut at character {cut} gave no warning"


def test_a_download_cut_inside_a_character_keeps_the_declared_charset(tmp_path):
    # an EUC-JP page cut in the middle of a two-byte character: only that character is lost
    data = page("JP-34_2024-07-03_臨時会.html").read_bytes()
    cut = tmp_path / "cut.html"
    cut.write_bytes(data[:814])
    doc = extract(cut)
    assert doc.encoding == "euc-jp"
    assert "臨時会議の開催概要" in doc.text


def test_より_of_a_comparison_is_no_speaker(tmp_path):
    """「前年より減少した」 compares: only 「Xより、」 or 「Xより「…」」 opens someone's words (an
    officer named 「交通事故の件数は前年」 was read, and the item stated no outcome)."""
    body = PAGE_HEAD.format(times="午後2時00分～午後3時30分") + (
        "\n【報告】\n○交通事故の発生状況について\n"
        "交通事故の件数は前年より減少したが、高齢者の事故が増えているとの報告を受けた。\n"
        "委員から、「高齢者向けの講習を増やしてほしい。」旨の発言があった。"
    )
    m = read(write_page(tmp_path, body))
    report = m.items[-1]
    assert report.outcome == "報告受理"
    assert [(r.item, r.speaker.kind) for r in m.remarks] == [(report.position, "unnamed")]
