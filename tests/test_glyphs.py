"""Radicals, strokes and compatibility ideographs read as the ideographs they stand for, one
character for one; what no mapping restores is reported, saying what and where."""

from __future__ import annotations

import unicodedata

import pytest

from committee_kg.loaders.extract import extract
from committee_kg.loaders.glyphs import EQUIVALENTS_FILE, STANDS_FOR, UNIFIED, report
from committee_kg.loaders.normalize import fold, normalize
from committee_kg.loaders.pipeline import convert, read
from committee_kg.loaders.summary import summarize

from .support import EXAMPLES
from .support.pdfs import text_layer_pdf


def is_unified(ch: str) -> bool:
    """A unified ideograph: so named, or one of the twelve in the compatibility block (﨑 …)
    that decompose to nothing else."""
    name = unicodedata.name(ch, "")
    return name.startswith("CJK UNIFIED IDEOGRAPH-") or (
        name.startswith("CJK COMPATIBILITY IDEOGRAPH-") and not unicodedata.decomposition(ch)
    )


@pytest.mark.parametrize(
    "written, meant",
    [
        ("⻑", "長"),  # U+2ED1 CJK RADICAL LONG ONE: Chromium's 長 with Noto CJK
        ("⾒", "見"),  # U+2F92 KANGXI RADICAL SEE (NFKC)
        ("⻘", "青"),  # U+2ED8 CJK RADICAL BLUE: 青 U+9752, not NFKC's 靑 of ⾭ KANGXI BLUE
        ("⻤", "鬼"),  # U+2EE4 CJK RADICAL GHOST
        ("⺠", "民"),  # U+2EA0 CJK RADICAL CIVILIAN
        ("⻫", "斉"),  # U+2EEB CJK RADICAL J-SIMPLIFIED EVEN: the Japanese form
        ("⻭", "歯"),  # U+2EED CJK RADICAL J-SIMPLIFIED TOOTH
        ("⼾", "戸"),  # U+2F3E KANGXI RADICAL DOOR: Japanese fonts draw 戸, NFKC says 戶
        ("㇐", "一"),  # U+31D0 CJK STROKE H
        ("神", "神"),  # U+FA19 CJK COMPATIBILITY IDEOGRAPH (NFKC)
        ("‧", "・"),  # U+2027 HYPHENATION POINT: Chromium's ・ with Noto CJK
    ],
)
def test_what_a_text_layer_writes_reads_as_what_it_means(written, meant):
    assert normalize(f"今村委員{written}").text == f"今村委員{meant}"


def test_simplified_chinese_radicals_are_not_taken_for_japanese_kanji():
    for ch in "⻓⻔⻅⻢⻥":  # C-SIMPLIFIED LONG, GATE, SEE, HORSE, FISH: 长门见马鱼 in the data
        assert ord(ch) not in UNIFIED
        assert normalize(ch).text == ch


def test_the_table_is_unicodes_and_every_target_a_unified_ideograph():
    listed = EQUIVALENTS_FILE.read_text(encoding="utf-8")
    assert listed.startswith("# EquivalentUnifiedIdeograph-")
    assert len(UNIFIED) > 300  # the supplement, Kangxi radicals and strokes the file lists
    assert all(is_unified(target) for target in UNIFIED.values())
    # one character for one, so that source offsets stay exact
    assert all(len(target) == 1 for target in STANDS_FOR.values())
    # where NFKC knows a Kangxi radical, Unicode's table says the same (⼾ is ours to change)
    for code, target in UNIFIED.items():
        nfkc = unicodedata.normalize("NFKC", chr(code))
        assert nfkc == chr(code) or nfkc == target, hex(code)


def test_every_radical_and_compatibility_ideograph_folds_to_a_unified_ideograph():
    ranges = [(0x2E80, 0x2EFF), (0x2F00, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F)]
    unmapped = []
    for lo, hi in ranges:
        for code in range(lo, hi + 1):
            name = unicodedata.name(chr(code), "")
            if not name or "C-SIMPLIFIED" in name:
                continue
            folded = "".join(ch for ch, _ in fold(chr(code)))
            if not is_unified(folded):
                unmapped.append(f"U+{code:04X} {name}")
    # ⺀ REPEAT has no ideograph; ⺕ SNOUT TWO's is newer than this Python's Unicode
    assert unmapped == ["U+2E80 CJK RADICAL REPEAT", "U+2E95 CJK RADICAL SNOUT TWO"]


def test_offsets_still_point_at_the_source():
    source = "第１ 審議概要\n今村委員⻑から、\n「⾒通しを聞きたい。」旨の発言があった。\n"
    n = normalize(source)
    start = n.text.index("委員長")
    s, e = n.to_source(start, start + 3)
    assert source[s:e] == "委員⻑"
    start = n.text.index("見通し")
    s, e = n.to_source(start, start + 3)
    assert source[s:e] == "⾒通し"
    assert len(n.offsets) == len(n.text)


def test_radicals_in_a_pdf_read_as_the_text_and_are_not_reported(tmp_path):
    text = (EXAMPLES / "JP-35_2025-04-09.txt").read_text(encoding="utf-8")
    as_chromium_writes = text.replace("長", "⻑").replace("見", "⾒").replace("・", "‧")
    assert as_chromium_writes != text
    pages = [[line for line in text.split("\n") if line.strip()]]
    written = [[line for line in as_chromium_writes.split("\n") if line.strip()]]
    plain = read(text_layer_pdf(pages, tmp_path / "plain.pdf"))
    radicals = convert(text_layer_pdf(written, tmp_path / "radicals.pdf"))
    assert "⻑" in radicals.minutes.document.text
    assert summarize(radicals.minutes) == summarize(plain)
    assert radicals.warnings == plain.warnings


def test_what_no_mapping_restores_is_reported_with_its_place(tmp_path):
    pdf = text_layer_pdf(
        [["第１ 審議概要", "委員会"], ["警察本部⻓の報告", "ﬁle \ue0a1 を確認"]], tmp_path / "m.pdf"
    )
    warnings = extract(pdf).warnings
    assert len(warnings) == 3
    ligature, private, radical = (
        next(w for w in warnings if kind in w) for kind in ("ligature", "private-use", "radical")
    )
    assert "1 ligature glyph(s), read as their letters (ﬁ U+FB01)" in ligature
    assert "page 2 line 2 「ﬁle" in ligature
    assert "private-use" in private and "U+E0A1" in private and "page 2" in private
    assert "(⻓ U+2ED3)" in radical and "page 2 line 1 「警察本部⻓の報告」" in radical


def test_glyphs_without_a_character_are_reported(tmp_path):
    pdf = text_layer_pdf([["今村委員長"]], tmp_path / "m.pdf", to_unicode=False)
    doc = extract(pdf)
    assert "(cid:" in doc.text
    (warning,) = doc.warnings
    assert "glyph(s) the font maps to no character" in warning and "page 1 line 1" in warning


def test_plain_text_and_web_pages_are_not_searched_for_glyphs():
    assert report("今村委員長から、ﬁle") != []  # the report itself sees it
    assert extract(EXAMPLES / "JP-35_2025-04-09.txt").warnings == ()
