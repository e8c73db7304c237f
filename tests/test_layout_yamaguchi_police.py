"""The Yamaguchi commission's pages on the police site, 2015–17 (yamaguchi-police-web), read
as their expectations say, and the traps of real pages: the update date above the title, a
spaced-out date, a lost section heading, other people's words in the outline, anonymous
remarks and the police's answers, a page cut off midway."""

from __future__ import annotations

import json

from rdflib import URIRef

from committee_kg.loaders.extract import extract
from committee_kg.loaders.pipeline import convert, read
from committee_kg.loaders.summary import fold
from committee_kg.loaders.vocab import CKG, RDF

from .support import ROOT

LAYOUT = "yamaguchi-police-web"
PAGES = sorted((ROOT / "examples" / "layouts" / LAYOUT).glob("*.html"))
CUT = ROOT / "examples" / "layouts" / LAYOUT / "2015-10-14.html"
ID = "https://w3id.org/committee-kg/id/"


def page(name: str):
    return ROOT / "examples" / "layouts" / LAYOUT / name


def expected(path):
    return fold(json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8")))


def test_there_are_example_pages_in_more_than_one_encoding():
    assert len(PAGES) >= 3
    encodings = {extract(p).encoding.lower().replace("-", "_") for p in PAGES}
    assert {"shift_jis", "euc_jp"} <= encodings


# -- traps ----------------------------------------------------------------------------------


def test_the_update_date_above_the_title_is_not_the_session_date():
    minutes = read(page("2017-02-08.html"))
    assert minutes.text.text.startswith("更新日:平成29年2月20日")
    assert minutes.date.isoformat() == "2017-02-08"


def test_a_date_spaced_out_character_by_character():
    minutes = read(CUT)
    assert "平 成 2 7 年 1 0 月 1 4 日" in minutes.text.text
    assert minutes.date.isoformat() == "2015-10-14"
    span = minutes.date_span
    assert minutes.text.text[span.start : span.end] == "平 成 2 7 年 1 0 月 1 4 日"


def test_times_come_from_the_section_brackets():
    minutes = read(page("2016-05-25.html"))
    assert minutes.start.isoformat() == "2016-05-25T13:30:00+09:00"  # 委員会議 starts
    assert minutes.end.isoformat() == "2016-05-25T16:10:00+09:00"  # 全体会議 ends
    described = read(page("2017-02-08.html"))  # 【公安委員のみによる審議】 states no time
    assert (described.start, described.end) == (None, None)


def test_a_lost_section_heading_restarts_the_numbering_as_reports():
    minutes = read(page("2017-02-08.html"))
    assert "全体会議" not in minutes.text.text
    assert [(i.local_number, i.kind) for i in minutes.items] == [
        ("⑴", "Decision"),
        ("⑵", "Consultation"),
        ("⑴", "Report"),
        ("⑵", "Report"),
    ]


def test_other_peoples_words_in_the_outline_are_not_remarks():
    minutes = read(page("2017-02-08.html"))
    assert "出席した委員から「高齢の運転者" in minutes.text.text
    assert not any("高齢の運転者" in r.text for r in minutes.remarks)
    assert "出席した委員から" in minutes.items[2].description
    assert minutes.members == []


def test_remarks_are_the_unnamed_members_and_answers_the_polices():
    minutes = read(page("2016-05-25.html"))
    kinds = {(r.speaker.kind, r.speaker.name) for r in minutes.remarks}
    assert kinds == {("unnamed", ""), ("officer", "警察")}
    # the presenter (交通企画課長) is not taken for the one who answered
    assert minutes.remarks[1].speaker.name == "警察"
    assert minutes.items[1].presenters[0].post == "交通企画課長"


def test_remarks_and_answers_in_the_graph():
    conv = convert(page("2016-05-25.html"))
    g = conv.graph
    meeting = f"{ID}meeting/JP-35/2016-05-25"
    member = URIRef(f"{meeting}/speaker/member")
    police = URIRef(f"{ID}officer/JP-35/警察")
    assert (member, RDF.type, CKG.UnnamedMember) in g
    assert (URIRef(f"{meeting}/remark/1"), CKG.speaker, member) in g
    assert (URIRef(f"{meeting}/remark/2"), CKG.speaker, police) in g
    assert (
        URIRef(f"{meeting}/remark/2"),
        CKG.inReplyTo,
        URIRef(f"{meeting}/remark/1"),
    ) in g
    assert not list(g.subjects(RDF.type, CKG.Member))


def test_an_answer_replies_to_the_question_when_the_blocks_differ_in_length():
    minutes = read(page("2017-02-08.html"))
    remark, question, answer = minutes.remarks[1:]
    assert not remark.text.endswith("か。")
    assert question.text.endswith("か。")
    assert answer.reply_to == question.position


def test_a_bullet_continued_on_the_next_line_is_one_remark():
    minutes = read(page("2016-11-16.html"))
    assert (
        minutes.remarks[2].text
        == "初詣で人出が多い神社の周辺では、雑踏による事故への備えは十分か。"
    )
    assert minutes.remarks[3].reply_to == 3


def test_the_committee_is_the_operators_then_the_urls_then_yamaguchis():
    assert read(page("2017-02-08.html")).committee == "JP-35"  # no URL on the page
    assert read(page("2017-02-08.html"), committee="JP-34").committee == "JP-34"
    assert extract(page("2016-05-25.html")).url.startswith("http://www.police.pref.yamaguchi.jp/")


# -- a page cut off midway --------------------------------------------------------------------


def test_a_cut_off_page_yields_what_is_there_with_warnings():
    minutes = read(CUT)
    assert [i.title for i in minutes.items][-1] == "街頭防犯カメラの設置状況について"
    last = minutes.remarks[-1]
    assert (last.item, last.text) == (3, "防犯カメラの設置が進んでいない地域では、")
    assert any("seems cut off" in w for w in minutes.warnings)
    assert any("remark 3 is cut off" in w for w in minutes.warnings)


def test_a_cut_off_page_still_converts_to_a_partial_graph():
    conv = convert(CUT)
    assert str(conv.meeting) == f"{ID}meeting/JP-35/2015-10-14"
    assert conv.warnings


def test_a_page_cut_anywhere_in_its_content_never_raises(tmp_path):
    data = page("2016-05-25.html").read_bytes()
    start = data.index(b'<div id="contents">') + 120
    for k, cut in enumerate(range(start, len(data), 131)):
        part = tmp_path / f"cut{k}.html"
        part.write_bytes(data[:cut])
        minutes = read(part, loader=LAYOUT)
        assert minutes.date.isoformat() == "2016-05-25"
