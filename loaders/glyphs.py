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

``report`` lists what a text layer carries that no mapping restores: ligatures, the
private-use codes of fonts without a proper ToUnicode map, glyphs with no mapping at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
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


# --- what a text layer carries that reading cannot restore -------------------------------


def _chars(lo: int, hi: int, keep: Callable[[str], bool]) -> str:
    return "".join(ch for ch in map(chr, range(lo, hi + 1)) if keep(ch))


# Derived from Unicode's names and decompositions, not listed by hand: ligatures (ﬁ, ĳ …)
# that NFKC spells out, and radicals and strokes that nothing above maps.
LIGATURES = _chars(
    0x80,
    0xFFFF,
    lambda ch: "LIGATURE" in unicodedata.name(ch, "") and unicodedata.normalize("NFKC", ch) != ch,
)
UNMAPPED_RADICALS = "".join(
    _chars(lo, hi, lambda ch: ord(ch) not in UNIFIED and unicodedata.normalize("NFKC", ch) == ch)
    for lo, hi in ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF), (0x31C0, 0x31EF))
)
PRIVATE_USE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
# pdfminer writes a glyph that its font maps to no character as (cid:N)
NOTEWORTHY = re.compile(
    rf"(?P<unmapped>\(cid:\d+\))|(?P<ligature>[{re.escape(LIGATURES)}])"
    rf"|(?P<private_use>[{PRIVATE_USE}])|(?P<radical>[{re.escape(UNMAPPED_RADICALS)}])"
)


WHAT = {
    "ligature": "ligature glyph(s), read as their letters",
    "private_use": "private-use glyph(s): the font's own codes, no character, so the words "
    "they are in are lost",
    "radical": "CJK radical(s) with no Japanese ideograph to stand for, left as they are",
    "unmapped": "glyph(s) the font maps to no character, shown as (cid:N): the words they are "
    "in are lost",
}
_SHOWN = 3  # examples named in a warning


def _place(text: str, offset: int) -> str:
    """Page (pdfminer ends each with a form feed) and printed line on it (blank lines of the
    extracted text skipped) of an offset, with the words around it."""
    page_start = text.rfind("\f", 0, offset) + 1
    before = text[page_start:offset].split("\n")
    line = sum(1 for words in before[:-1] if words.strip()) + 1
    context = (before[-1][-8:] + text[offset : offset + 8]).split("\n")[0]
    return f"page {text.count(chr(12), 0, page_start) + 1} line {line} 「{context.strip()}」"


def _name(kind: str, glyph: str) -> str:
    if kind == "unmapped":
        return glyph
    code = f"U+{ord(glyph):04X}"
    return code if kind == "private_use" else f"{glyph} {code}"  # a private code shows nothing


def report(text: str) -> list[str]:
    """One warning per kind of glyph in a PDF text layer that reading cannot take as it is:
    how many, which, and where the first is."""
    found: dict[str, list[tuple[int, str]]] = {}
    for m in NOTEWORTHY.finditer(text):
        found.setdefault(m.lastgroup, []).append((m.start(), m.group()))
    warnings = []
    for kind, hits in found.items():
        names = sorted({g for _, g in hits})
        shown = ", ".join(_name(kind, g) for g in names[:_SHOWN])
        more = f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else ""
        warnings.append(
            f"the PDF text layer has {len(hits)} {WHAT[kind]} ({shown}{more}); "
            f"the first on {_place(text, hits[0][0])}"
        )
    return warnings
