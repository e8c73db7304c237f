"""What every layout reads the same way (loaders/reading.py) and what the page is made of
(loaders/page.py): one copy of each, pinned here with invented text."""

from __future__ import annotations

import importlib
import pkgutil
import re
from datetime import date, datetime, time

import pytest

from committee_kg.loaders import layouts
from committee_kg.loaders.extract import Document
from committee_kg.loaders.model import Member, Minutes, Span
from committee_kg.loaders.normalize import CLOCK, normalize
from committee_kg.loaders.page import (
    PAGE_NUMBER,
    block_lines,
    close_quote,
    ends_cut_off,
    ends_mid_sentence,
    glue_points,
    is_chrome,
    mask_quotes,
    text_lines,
)
from committee_kg.loaders.reading import (
    ATTENDANCE_MEMBER,
    CLOCK_ANY,
    CLOCK_RANGE,
    JST,
    MEMBER_TOKEN,
    WEEKDAY,
    at,
    chair_of,
    clock_of,
    clock_pair,
    clock_range,
    clock_times,
    member_role,
    names_a_member,
    read_hours,
    read_weekday,
    settle_chair,
    weekday_of,
    weekday_problem,
)


def minutes(text: str = "") -> Minutes:
    document = Document(
        path="x.txt", text=text, sha256="", media_type="text/plain", encoding="utf-8"
    )
    return Minutes(document=document, text=normalize(text), loader="t", loader_version="0")


# -- the zone ----------------------------------------------------------------------------


def test_a_clock_time_on_the_session_day_is_japans():
    assert at(date(2024, 5, 8), time(13, 30)) == datetime(2024, 5, 8, 13, 30, tzinfo=JST)
    assert at(date(2024, 5, 8), time(13, 30)).utcoffset().total_seconds() == 9 * 3600
    assert at(None, time(13, 30)) is None
    assert at(date(2024, 5, 8), None) is None


# -- roles and the chair -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "name", "role"),
    [
        ("山田委員長", "山田", "委員長"),
        ("川村 委員", "川村", "委員"),
        ("森委員長職務代理者", "森", "委員長職務代理者"),
        ("森委員長代理", "森", "委員長代理"),
    ],
)
def test_a_member_is_a_name_and_a_role(written, name, role):
    m = MEMBER_TOKEN.match(written)
    assert (m["name"], m["role"]) == (name, role)
    assert names_a_member(written)


def test_the_role_recorded_for_a_deputy_chair_is_one():
    assert member_role("委員長代理") == "委員長職務代理者"
    assert member_role("委員") == "委員"


def test_an_attendance_line_names_each_member_once():
    line = "出席委員 山田委員長、川村委員・森委員"
    found = [(m["name"], m["role"]) for m in ATTENDANCE_MEMBER.finditer(line, len("出席委員 "))]
    assert found == [("山田", "委員長"), ("川村", "委員"), ("森", "委員")]


def test_a_post_is_no_member():
    assert not names_a_member("交通部長")
    assert not MEMBER_TOKEN.match("委員会室")


def member(name, role):
    return Member(name, role, Span(0, 0))


def test_the_chair_is_the_委員長_else_the_deputy():
    assert chair_of([member("川村", "委員"), member("山田", "委員長")]) == "山田"
    assert chair_of([member("森", "委員長職務代理者"), member("川村", "委員")]) == "森"
    assert chair_of([member("川村", "委員")]) is None


def test_a_chair_once_named_stands():
    m = minutes()
    m.members = [member("森", "委員長職務代理者")]
    settle_chair(m)
    assert m.chair == "森"
    m.members.append(member("山田", "委員長"))  # a speaker read later names another
    settle_chair(m)
    assert m.chair == "森"


# -- weekdays ----------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["(水)", "(水曜日)", "（ 水 ）", " (水曜)"])
def test_a_weekday_is_read_however_it_is_bracketed(written):
    assert WEEKDAY.match(written)["w"] == "水"


def test_a_weekday_that_is_not_the_dates_is_a_warning_and_kept_as_written():
    assert weekday_of(date(2024, 5, 8)) == "水"
    assert weekday_problem(date(2024, 5, 8), "水") is None
    assert "is no (木)" in weekday_problem(date(2024, 5, 8), "木")
    m = minutes("令和6年5月8日(木)")
    m.date = date(2024, 5, 8)
    read_weekday(m, WEEKDAY.search(m.text.text))
    assert m.weekday == "木"
    assert any("is no (木)" in w for w in m.warnings)
    read_weekday(m, None)  # no weekday written: nothing to say
    assert m.weekday == "木"


# -- clock times -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        ("午後1時30分~午後3時", time(13, 30), time(15, 0)),
        ("午後1時30分~3時", time(13, 30), time(15, 0)),  # the end takes the start's 午後
        ("10:00~11:45", time(10, 0), time(11, 45)),
        ("11時~1時", time(11, 0), time(13, 0)),  # an end before the start: the afternoon
        ("午前10時から正午まで", time(10, 0), time(12, 0)),
        ("午前10時00分 午前11時35分", time(10, 0), time(11, 35)),
    ],
)
def test_a_range_of_clock_times(written, start, end):
    assert clock_pair(CLOCK_RANGE.search(written)) == (start, end)
    assert clock_range(written, 0, len(written))[:2] == (start, end)


def test_no_range_is_none():
    assert clock_range("開催場所 会議室", 0, 9) == (None, None, None)


def test_a_clock_time_is_written_as_normalize_reads_it_or_as_正午():
    for written in ("午後1時30分", "13:20", "10時半", "午前9時"):
        assert CLOCK_ANY.fullmatch(written) and CLOCK.fullmatch(written)
    assert clock_of("正午") == time(12, 0)
    assert clock_of("午後2時半") == time(14, 30)


def test_clock_times_in_order_carry_the_afternoon():
    text = "午後1時30分～3時10分"
    assert [t for t, _ in clock_times(text, 0, len(text))] == [time(13, 30), time(15, 10)]


def test_the_sessions_hours_with_a_warning_for_what_is_missing():
    m = minutes("令和6年5月8日(水) 午後1時30分~")
    m.date = date(2024, 5, 8)
    t = m.text.text
    read_hours(m, clock_times(t, 0, len(t)), Span(0, len(t)))
    assert m.start == datetime(2024, 5, 8, 13, 30, tzinfo=JST) and m.end is None
    assert any("end time is missing" in w for w in m.warnings)
    m = minutes("令和6年5月8日(水)")
    read_hours(m, [], Span(0, 5))
    assert any("start time is missing" in w for w in m.warnings)
    m = minutes("午後3時~午後1時")
    m.date = date(2024, 5, 8)
    read_hours(m, clock_times(m.text.text, 0, len(m.text.text)), None)
    assert any("ends before it starts" in w for w in m.warnings)


# -- the page ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "ホーム > くらし > 公安委員会 > 定例会議の開催概要",
        "トップページ 公安委員会の開催概要",
        "更新日:2024年5月9日",
        "2024/05/31 掲載",
        "ページの先頭へ",
        "お問い合わせ先 公安委員会事務室",
    ],
)
def test_the_sites_chrome(line):
    assert is_chrome(line)


@pytest.mark.parametrize(
    "line",
    ["定例会議の開催概要(令和6年5月8日)", "交通部長から、3>2 となる旨の説明があった。"],
)
def test_lines_of_the_minutes_are_no_chrome(line):
    assert not is_chrome(line)


@pytest.mark.parametrize("line", ["- 2 -", "－ 3 －", "2/5", "12"])
def test_a_printed_pages_number(line):
    assert PAGE_NUMBER.match(normalize(line).text)


def test_a_page_that_stops_mid_sentence():
    assert ends_mid_sentence("…について報告があった。\n委員から、「交通")
    assert not ends_mid_sentence("…について報告があった。  ")
    assert not ends_mid_sentence("『交通白書』")
    assert not ends_mid_sentence("")
    # the site's notes below the minutes are not where the minutes stop
    assert not ends_cut_off("…について報告があった。\nお問い合わせ\n更新日:2024年5月9日")
    assert ends_cut_off("…について報告が\nお問い合わせ")


def test_lines_with_their_offsets():
    text = "第1 議題\n\n  (1) …について\n"
    assert [(s, e, text[s:e]) for s, e, _ in text_lines(text, 0, len(text))] == [
        (0, 5, "第1 議題"),
        (7, 18, "  (1) …について"),
    ]


def test_lines_as_the_web_page_had_them():
    """Two blocks of a web page that normalize glued as one broken sentence are two lines."""
    nt = normalize("交通部長から、\n夏の取組について説明があった。", by_width=False)
    assert "\n" not in nt.text
    lines = [line for *_, line in block_lines(nt.text, glue_points(nt), 0, len(nt.text))]
    assert lines == ["交通部長から、", "夏の取組について説明があった。"]


def test_quotes_are_seen_past():
    text = "委員から、「「見守り」の活動を」旨の発言"
    assert close_quote(text, text.index("「")) == text.index("」旨")
    masked = mask_quotes(text)
    assert len(masked) == len(text) and "見守り" not in masked and masked.endswith("」旨の発言")
    assert close_quote("「cut", 0) == len("「cut")


# -- the layouts -------------------------------------------------------------------------


def layout_modules():
    return [
        importlib.import_module(f"{layouts.__name__}.{info.name}")
        for info in pkgutil.iter_modules(layouts.__path__)
    ]


@pytest.mark.parametrize("module", layout_modules(), ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_each_layout_opens_with_a_drawing_of_its_page(module):
    """The docstring's first line names the page; an indented drawing of it follows."""
    lines = module.__doc__.split("\n")
    drawing = [line for line in lines[1:12] if re.match(r"    \S", line)]
    assert len(drawing) >= 4, f"{module.__name__} opens with no drawing of its page"
