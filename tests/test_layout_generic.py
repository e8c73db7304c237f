"""A layout no loader knows still yields its date, times, members, items and remarks."""

from __future__ import annotations

from loaders.pipeline import convert, read

from .conftest import ROOT

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
