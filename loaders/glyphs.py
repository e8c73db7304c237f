"""Characters that PDF text layers carry in place of the ideographs a reader sees.

A PDF's text layer says which character each glyph stands for through the font's ToUnicode
map. Where a font draws a CJK radical and an ideograph with one glyph, producers often name
the radical: Chromium's PDFs of text set in Noto CJK write 長 as ⻑ (U+2ED1, CJK Radicals
Supplement) and 見 as ⾒ (U+2F92, Kangxi Radicals). NFKC maps the Kangxi radicals and the
compatibility ideographs to unified ideographs, but leaves the CJK Radicals Supplement and
the CJK Strokes alone, so 「委員⻑」 would not read as 委員長.

``UNIFIED`` maps those characters one for one (so source offsets stay exact) to the unified
ideograph that Unicode's Equivalent_Unified_Ideograph property names for each
(``unicode/EquivalentUnifiedIdeograph.txt``, the Unicode Character Database's own file),
except the radicals of simplified Chinese (C-SIMPLIFIED …), whose equivalents (长, 门 …) are
not how Japanese text writes those characters: they are left as they are, and reported.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

EQUIVALENTS_FILE = Path(__file__).parent / "unicode" / "EquivalentUnifiedIdeograph.txt"


def _is_unified(ch: str) -> bool:
    """A unified CJK ideograph this Python's Unicode data knows."""
    return unicodedata.name(ch, "").startswith("CJK UNIFIED IDEOGRAPH-")


def _equivalents(path: Path = EQUIVALENTS_FILE) -> Iterator[tuple[str, str]]:
    """(radical or stroke, its equivalent unified ideograph) for each line of the UCD file
    ``CODE[..CODE] ; TARGET # NAME``."""
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("#", 1)[0].split(";")
        if len(fields) != 2:
            continue
        first, _, last = fields[0].strip().partition("..")
        target = chr(int(fields[1], 16))
        for code in range(int(first, 16), int(last or first, 16) + 1):
            yield chr(code), target


def _sound_for_japanese(radical: str, target: str) -> bool:
    return "C-SIMPLIFIED" not in unicodedata.name(radical, "") and _is_unified(target)


UNIFIED: dict[int, str] = {
    ord(radical): target
    for radical, target in _equivalents()
    if _sound_for_japanese(radical, target)
}

# Where a Japanese font draws two characters with one glyph, producers that name the lowest
# code point of a glyph (Chromium does) write the first for the second. Unicode's data
# gives no equivalent, or the wrong one for Japanese, for these two (found by reading Noto
# CJK JP's cmap for glyphs shared with common characters); neither is meant as itself in
# Japanese text.
SHARED_GLYPHS: dict[int, str] = {
    0x2027: "\u30fb",  # ‧ HYPHENATION POINT: the glyph of ・ (岩国警察署・下関警察署)
    0x2F3E: "\u6238",  # ⼾ KANGXI RADICAL DOOR: the glyph of 戸 (瀬戸); NFKC makes it 戶
}

# What ``normalize.fold`` applies before NFKC, one character for one.
STANDS_FOR: dict[int, str] = UNIFIED | SHARED_GLYPHS
