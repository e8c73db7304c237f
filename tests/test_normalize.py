"""The PDF artefacts are repaired, and every character still maps back to its source."""

from __future__ import annotations

import unicodedata
from datetime import date, time

import pytest

from committee_kg.loaders.normalize import era_to_date, find_era_dates, normalize, parse_clock
from committee_kg.loaders.pipeline import read
from committee_kg.loaders.summary import summarize

from .support import ROOT, example_files

HELDOUT = ROOT / "examples" / "heldout"

PAGE = (
    " 公 安 委 員 会 会 議 録 \n\n出\n\n席\n\n者\n\n"
    "公 安 委 員  山田委員長 川口委員\n\n"
    "第１ 審議概要\n\n"
    "１ 交通事故の発生状況について説明を受けたもので、その内容は次のとおりであり、特に\n\n"
    "高齢運転者による事故が増えている。\n\n"
    "⑴ 概況\n\n"
    "川口委員から、「高齢者の事故について、\n\n対策を聞きたい。」\n\n旨の発言があった。\n"
)


def test_repairs_pdf_artefacts():
    t = normalize(PAGE).text.split("\n")
    assert t[0] == "公安委員会会議録"  # spaced heading
    assert t[1] == "出席者"  # vertical label
    assert t[2] == "公安委員 山田委員長 川口委員"
    assert t[3] == "第1 審議概要"  # full-width digits folded
    assert t[4].endswith("特に高齢運転者による事故が増えている。")  # broken line glued
    assert t[5] == "(1) 概況"  # ⑴ unified with (1)
    assert t[6] == "川口委員から、「高齢者の事故について、対策を聞きたい。」旨の発言があった。"


def test_every_character_maps_back_to_its_source():
    n = normalize(PAGE)
    assert len(n.offsets) == len(n.text)
    for i, ch in enumerate(n.text):
        if ch == "\n":
            continue
        src = n.source[n.offsets[i]]
        assert ch in unicodedata.normalize("NFKC", src), (i, ch, src)
    s, e = n.to_source(0, 8)
    assert n.source[s:e] == "公 安 委 員 会 会 議 録"


def test_crlf_and_half_width_kana():
    n = normalize("ｶﾞｲﾄﾞ\r\n第１ 協議\r\n")
    assert n.text == "ガイド\n第1 協議"


def test_era_dates_including_gannen_and_impossible_ones():
    assert era_to_date("令和", "元", 5, 1) == (date(2019, 5, 1), None)
    assert era_to_date("平成", "31", 4, 30) == (date(2019, 4, 30), None)
    value, problem = era_to_date("平成", "31", 5, 8)
    assert value is None and "does not exist" in problem
    value, problem = era_to_date("令和", "元", 4, 1)
    assert value is None and "令和" in problem
    value, problem = era_to_date("令和", "5", 2, 30)
    assert value is None and "not a calendar date" in problem
    found = list(find_era_dates("令和6年10月2日付け及び同年11月20日付け"))
    assert [d.value for d in found] == [date(2024, 10, 2), date(2024, 11, 20)]


def test_clock_times():
    assert parse_clock("午後 1時00分") == time(13, 0)
    assert parse_clock("午前10時") == time(10, 0)
    assert parse_clock("午後12時15分") == time(12, 15)
    assert parse_clock("13時20分") == time(13, 20)
    assert parse_clock("午後2時半") == time(14, 30)
    assert parse_clock("25時") is None


@pytest.mark.parametrize("footer", ["－ ２ －", "- 2 -", "２", "2/5", "―２―"])
def test_a_page_number_between_the_halves_of_a_sentence_goes(footer):
    page = "高齢運転者による事故について、その傾向を分析し、対策の効果を確かめた上で、受理の\n\n"
    page += f"{footer}\n\f\n報告を受けた。\n"
    assert normalize(page).text == (
        "高齢運転者による事故について、その傾向を分析し、対策の効果を確かめた上で、受理の報告を受けた。"
    )


def test_a_bare_number_in_html_text_stays():
    """An HTML block of its own holding a number is data (a count in a table), not a page."""
    assert normalize("件数\n2\n", by_width=False).text == "件数\n2"


SEED_LAYOUT = sorted(HELDOUT.glob("*.txt")) + example_files()


@pytest.mark.parametrize("doc", SEED_LAYOUT, ids=lambda p: p.name)
def test_page_breaks_change_nothing_read(doc, tmp_path):
    """Every seed-layout example with two page breaks inserted where they split sentences
    (the page's number, a form feed, the title again as the next page's running head) reads
    exactly as without them."""
    lines = doc.read_text(encoding="utf-8").split("\n")
    title = next(line for line in lines if line.strip())
    for k, at in enumerate((0.45, 0.8)):
        i = int(len(lines) * at)
        lines[i:i] = ["", f"－ {'１２'[k]} －", "\f", title, ""]
    paged = tmp_path / doc.name
    paged.write_text("\n".join(lines), encoding="utf-8")
    assert summarize(read(paged)) == summarize(read(doc))


def _rewrapped(text: str, width: int) -> str:
    """The session's body wrapped at another page width: each paragraph (its last line ends
    with a space in the examples) cut every ``width`` characters, a blank line after each."""
    lines = text.split("\n")
    body = next(i for i, line in enumerate(lines) if line.strip().startswith("第１"))
    out, paragraph = lines[:body], ""
    for line in lines[body:]:
        paragraph += line
        if paragraph.strip() and line.endswith(" "):
            out += [paragraph[i : i + width] + "\n" for i in range(0, len(paragraph), width)]
            paragraph = ""
    return "\n".join([*out, paragraph])


@pytest.mark.parametrize("width", [30, 38, 46])
def test_another_page_width_changes_nothing_read(width, tmp_path):
    """Sentences, names and dates broken at other places than the examples break them."""
    for doc in SEED_LAYOUT:
        wrapped = tmp_path / doc.name
        wrapped.write_text(_rewrapped(doc.read_text(encoding="utf-8"), width), encoding="utf-8")
        assert summarize(read(wrapped)) == summarize(read(doc)), doc.name


def test_a_western_year():
    """Some commissions write 2025年2月13日; 同年 then follows it as it follows an era."""
    found = list(find_era_dates("2025年2月13日に受理し、同年3月1日に答申、1999年か。"))
    assert [d.value for d in found] == [date(2025, 2, 13), date(2025, 3, 1)]
    assert era_to_date("西暦", "2025", 2, 30)[1] == "西暦2025年2月30日 is not a calendar date"


def test_first_characters_a_page_lost_are_put_back():
    """Some sites' pages lose the first character of each block in extraction (「察本部から」
    「和7年」「1催日時」); when three or more lines show it, the words are whole again."""
    from committee_kg.loaders.normalize import normalize

    text = normalize(
        "1催日時\n和7年6月4日午後1時から午後3時\n(1)安委員会\n察本部から報告があった。\n"
    )
    assert text.text.split("\n") == [
        "1開催日時",
        "令和7年6月4日午後1時から午後3時",
        "(1)公安委員会",
        "警察本部から報告があった。",
    ]
    # an inserted character points at the source character it stands before
    at = text.text.index("警")
    assert text.source[text.offsets[at]] == "察"
    # one such line alone is a line as it is
    assert normalize("察本部から報告があった。\n").text.startswith("察本部")
    titles = normalize("(1)転免許の取消処分\n(2)情申出の受理\n(3)通規制の実施\n(4)情報公開の状況\n")
    assert titles.text.split("\n") == [
        "(1)運転免許の取消処分",
        "(2)苦情申出の受理",
        "(3)交通規制の実施",
        "(4)情報公開の状況",  # 情報 is a word of its own
    ]
