"""The Yamaguchi web pages of 2022–24 (read by the generic reader), as their expectations say."""

from __future__ import annotations

from committee_kg.loaders.extract import extract
from committee_kg.loaders.normalize import normalize
from committee_kg.loaders.pipeline import convert, read

from .support import ROOT

PAGES = sorted((ROOT / "examples" / "layouts" / "generic").glob("JP-35_*.html"))


def test_update_date_is_not_the_session_date():
    # 2022-08-10's page was updated the day before the session it reports
    minutes = read(PAGES[0])
    assert "更新日:2022年8月9日" in minutes.text.text
    assert minutes.date.isoformat() == "2022-08-10"


def test_shift_jis_page_and_committee_from_canonical_url():
    doc = extract(ROOT / "examples/layouts/generic/JP-35_2023-03-08.html")
    assert doc.encoding.lower().replace("-", "_") in ("shift_jis", "cp932", "windows_31j")
    assert doc.url.startswith("https://www.police.pref.yamaguchi.lg.jp/")
    assert read(doc.path).committee == "JP-35"


def test_without_url_the_committee_is_asked_for(tmp_path):
    page = PAGES[0].read_text(encoding="utf-8")
    bare = tmp_path / "bare.html"
    bare.write_text(
        page.replace('<link rel="canonical"', '<link rel="alternate"'), encoding="utf-8"
    )
    minutes = read(bare)
    assert minutes.committee is None
    assert any("--committee" in w for w in minutes.warnings)
    assert read(bare, committee="JP-35").committee == "JP-35"
    assert read(bare, url="https://www.police.pref.yamaguchi.lg.jp/a.html").committee == "JP-35"


def test_site_chrome_is_not_content():
    text = normalize(extract(PAGES[0]).text).text
    for chrome in ("文字サイズ", "くらしの安全", "Copyright", "ホーム >"):
        assert chrome not in text


def test_role_changes_between_sessions():
    roles = {p.name: {m.name: m.role for m in read(p).members} for p in PAGES}
    assert roles["JP-35_2022-08-10.html"]["西村"] == "委員長"
    assert roles["JP-35_2023-03-08.html"]["西村"] == "委員"


def test_a_page_becomes_a_meeting_graph():
    conv = convert(PAGES[2])
    assert str(conv.meeting) == "https://w3id.org/committee-kg/id/meeting/JP-35/2024-01-17"
