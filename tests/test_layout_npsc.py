"""The National Public Safety Commission's pages (the generic reader reads them), as their
expectations say, and the traps of real pages: names of officials, dates without 日 or
spaced out, a lost part heading, another body's speakers, remarks without quotes, a page cut
off midway."""

from __future__ import annotations

import json
import re

import pytest

from committee_kg.loaders.extract import extract
from committee_kg.loaders.pipeline import convert, read
from committee_kg.loaders.summary import fold

from .support import ROOT

LAYOUT = "generic"
PAGES = sorted((ROOT / "examples" / "layouts" / LAYOUT).glob("JP_*.html"))
CUT = ROOT / "examples" / "layouts" / LAYOUT / "JP_2024-01-25.html"
# Personal names of the officials in the example pages (all invented): never a node.
OFFICIALS = ("永瀬", "三輪", "西条", "大槻", "鶴見", "石丸", "吉永", "浜中", "岡部", "土橋", "羽田")


def page(name: str):
    return ROOT / "examples" / "layouts" / LAYOUT / f"JP_{name}"


def expected(path):
    return fold(json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8")))


def test_there_are_example_pages_in_more_than_one_encoding():
    assert len(PAGES) >= 3
    encodings = {extract(p).encoding.lower().replace("-", "_") for p in PAGES}
    assert {"shift_jis", "euc_jp"} & encodings
    assert len(encodings) >= 2


# -- traps ----------------------------------------------------------------------------------


def test_the_update_date_is_not_the_session_date():
    minutes = read(page("2024-05-16.html"))
    assert "更新日:令和6年5月23日" in minutes.text.text
    assert minutes.date.isoformat() == "2024-05-16"
    assert minutes.text.text[minutes.date_span.start : minutes.date_span.end].startswith(
        "令和6年5月16日"
    )


def test_a_date_without_日_is_read_when_the_weekday_confirms_it():
    minutes = read(page("2023-11-09.html"))
    assert "令和5年11月9(木)" in minutes.text.text
    assert (minutes.date.isoformat(), minutes.weekday) == ("2023-11-09", "木")


@pytest.mark.parametrize(
    ("written", "problem"),
    [("令和5年11月9(金)", "no weekday confirms"), ("令和5年11月9", "no weekday confirms")],
)
def test_a_date_without_日_and_no_matching_weekday_is_not_guessed(tmp_path, written, problem):
    source = page("2023-11-09.html").read_bytes().decode("shift_jis")
    bad = tmp_path / "bad.html"
    bad.write_text(source.replace("令和5年11月9（木）", written), encoding="utf-8")
    minutes = read(bad)
    assert minutes.date is None
    assert any(problem in w for w in minutes.warnings)


def test_a_date_spaced_out_character_by_character():
    minutes = read(CUT)
    assert "令 和 6 年 1 月 2 5 日" in extract(CUT).text
    assert (minutes.date.isoformat(), minutes.weekday) == ("2024-01-25", "木")
    assert minutes.start.isoformat() == "2024-01-25T10:00:00+09:00"


def test_officials_are_posts_and_their_names_become_nothing():
    for path in PAGES:
        minutes = read(path)
        written = " ".join(o.post for o in minutes.officers_present)
        written += " ".join(p.post for i in minutes.items for p in i.presenters)
        assert not any(name in written for name in OFFICIALS), path.name
        for o in minutes.officers_present:
            assert minutes.text.text[o.span.start : o.span.end] == o.post
    conv = convert(page("2024-05-16.html"))
    iris = {str(t) for triple in conv.graph for t in triple if not hasattr(t, "language")}
    assert not any(name in iri for iri in iris for name in OFFICIALS)
    assert "https://w3id.org/committee-kg/id/officer/JP/警察庁長官" in iris  # 長官, an alias
    assert "https://w3id.org/committee-kg/id/officer/JP/サイバー警察局長" in iris


def test_officials_listed_on_two_lines_stay_apart():
    # the page has them as two blocks: normalize keeps HTML blocks apart
    minutes = read(page("2023-11-09.html"))
    assert "サイバー警察局長土橋総括審議官" not in minutes.text.text
    posts = [o.post for o in minutes.officers_present]
    assert posts[-3:] == ["サイバー警察局長", "総括審議官", "首席監察官"]


def test_a_lost_part_heading_restarts_the_numbering_as_reports():
    minutes = read(page("2023-11-09.html"))
    assert "報告事項" not in minutes.text.text
    kinds = [(i.local_number, i.kind) for i in minutes.items]
    assert kinds == [
        ("第３ １（１）", "Decision"),
        ("第３ １（２）", "Decision"),
        ("第３ （１）", "Report"),
        ("第３ （２）", "Report"),
        ("第３ （３）", "Report"),
    ]
    assert minutes.warnings == []


def test_another_bodys_speakers_are_neither_members_nor_remarks():
    minutes = read(page("2024-05-16.html"))
    assert "座長の中谷委員より" in minutes.text.text
    assert "中谷" not in [m.name for m in minutes.members]
    assert all("中谷" not in r.speaker.name for r in minutes.remarks)
    assert not any("財政面" in r.text for r in minutes.remarks)
    report = minutes.items[3]
    assert "中谷委員" in report.description
    # the other body in the Shift_JIS page: 「ある県の委員から、「…」との紹介があった」
    minutes = read(page("2023-11-09.html"))
    assert not any("署員と話す" in r.text for r in minutes.remarks)


def test_a_standalone_remark_by_someone_not_present_is_not_a_remark(tmp_path):
    source = page("2024-05-16.html").read_text(encoding="utf-8")
    odd = tmp_path / "odd.html"
    odd.write_text(
        source.replace(
            "<h4>（4）特殊詐欺",
            "<p>中谷委員より、「支援の窓口を一つにまとめるべきである」旨の発言があった。</p>"
            "\n<h4>（4）特殊詐欺",
        ),
        encoding="utf-8",
    )
    minutes = read(odd)
    assert len(minutes.remarks) == 5
    assert any("中谷委員 is not among the members present" in w for w in minutes.warnings)


def test_remarks_without_quotes_keep_their_words():
    minutes = read(page("2023-11-09.html"))
    texts = [r.text for r in minutes.remarks]
    assert texts[0].startswith("拾得物の保管期間の扱いについては")
    assert texts[0].endswith("案内してほしい")
    assert texts[1].endswith("確かめてほしい")
    assert texts[2].endswith("配慮してほしい")
    answer = read(page("2024-07-04.html")).remarks[-1]
    assert (answer.speaker.name, answer.reply_to) == ("サイバー警察局長", 4)
    assert answer.text == "課題ごとに担当を決めて改善を進めている"


def test_委員長より_is_the_chair_and_委員より_an_unnamed_member():
    may = read(page("2024-05-16.html"))
    assert (may.remarks[2].speaker.kind, may.remarks[2].speaker.name) == ("member", "高岡")
    july = read(page("2024-07-04.html"))
    assert july.remarks[2].speaker.kind == "unnamed"


def test_the_first_part_heading_number_and_the_item_number_are_kept_as_written():
    minutes = read(page("2024-05-16.html"))
    assert minutes.items[0].local_number == "第3 1（1）"


# -- a page cut off midway --------------------------------------------------------------------


def test_a_cut_off_page_yields_what_is_there_with_warnings():
    minutes = read(CUT)
    assert len(minutes.items) == 3
    last = minutes.remarks[-1]
    assert (last.speaker.name, last.item) == ("江藤", 3)
    assert last.text == "大雪の予報が出た段階で、道路管理者との情報の共有を"
    assert any("cut off inside it" in w for w in minutes.warnings)
    assert any("ends mid-sentence" in w for w in minutes.warnings)


def test_a_cut_off_page_still_converts_to_a_partial_graph():
    conv = convert(CUT)
    assert str(conv.meeting) == "https://w3id.org/committee-kg/id/meeting/JP/2024-01-25"
    assert conv.warnings


def test_a_page_cut_anywhere_in_its_content_never_raises(tmp_path):
    data = page("2024-05-16.html").read_bytes()
    start = data.index(b'<div id="main">') + 200
    for k, cut in enumerate(range(start, len(data), 157)):
        part = tmp_path / f"cut{k}.html"
        part.write_bytes(data[:cut])
        minutes = read(part, loader=LAYOUT)
        assert minutes.date is not None
        if cut < data.index(b'</div>\n<div id="pagetop"'):
            assert minutes.warnings or re.search(r"[。」]\s*$", minutes.text.text)


def test_without_its_第1_heading_the_date_is_still_not_the_update_date(tmp_path):
    source = page("2024-05-16.html").read_text(encoding="utf-8")
    lost = tmp_path / "lost.html"
    lost.write_text(source.replace("<th>第1 日　時</th>", "<th></th>"), encoding="utf-8")
    minutes = read(lost)
    assert minutes.date.isoformat() == "2024-05-16"
    assert minutes.start.isoformat() == "2024-05-16T10:00:00+09:00"
