"""Minutes printed to PDF by real producers read as the text they print (issue 14, point 3).

Chromium's print to PDF (Skia's writer) names a glyph that a Noto CJK font shares between
characters by its lowest code point: 長 comes out as ⻑ (CJK Radicals Supplement), 見 as ⾒,
戸 as ⼾ (Kangxi Radicals), ・ as ‧. cairo (through pango-view, as GTK programs print) writes
the characters as set. Either way every fact the text gives is read, and ``convert`` exits 0.
"""

from __future__ import annotations

import pytest

from committee_kg.loaders.extract import extract
from committee_kg.loaders.pipeline import read
from committee_kg.loaders.summary import summarize
from committee_kg.server.cli import main

from .support import EXAMPLES
from .support.pdfs import PANGO_VIEW, cairo_pdf, chromium_pdf, has_chromium

pytestmark = pytest.mark.slow  # Chromium's print to PDF, and cairo

PRODUCERS = {
    "chromium": pytest.param(
        chromium_pdf,
        marks=pytest.mark.skipif(not has_chromium(), reason="chromium is not installed"),
    ),
    "cairo": pytest.param(
        cairo_pdf,
        marks=pytest.mark.skipif(not PANGO_VIEW, reason="pango-view (pango1.0-tools) is absent"),
    ),
}
# one of ours with every kind of fact: a joint answer, an agreement, appeals, 瀬戸 and ・
OURS = EXAMPLES / "JP-35_2025-09-10.txt"


@pytest.fixture(params=["seed", "ours"])
def minutes_text(request):
    return request.getfixturevalue("seed_file") if request.param == "seed" else OURS


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """Each text printed once by each producer, for every test that reads it."""
    done = {}

    def pdf(produce, text_file):
        key = (produce.__name__, text_file)
        if key not in done:
            done[key] = produce(text_file, tmp_path_factory.mktemp("pdf") / "minutes.pdf")
        return done[key]

    return pdf


@pytest.mark.parametrize("produce", PRODUCERS.values(), ids=PRODUCERS.keys())
def test_printed_minutes_give_every_fact_of_the_text(produce, minutes_text, printed):
    pdf = printed(produce, minutes_text)
    assert extract(pdf).media_type == "application/pdf"
    from_pdf, from_text = summarize(read(pdf)), summarize(read(minutes_text))
    for field, value in from_text.items():  # field by field: a failure names the field
        assert from_pdf[field] == value, field
    assert from_text["members"] and from_text["officers_present"] and from_text["items"]


@pytest.mark.parametrize("produce", PRODUCERS.values(), ids=PRODUCERS.keys())
def test_convert_exits_0_without_a_word_from_pdfminer(produce, minutes_text, printed, capfd):
    code = main(["convert", str(printed(produce, minutes_text))])
    out, err = capfd.readouterr()
    assert code == 0, err
    assert "ckg:Meeting" in out
    assert err == ""  # no "Could not get FontBBox" (~100 lines of it before), no warning


@pytest.mark.skipif(not has_chromium(), reason="chromium is not installed")
def test_chromium_really_writes_radicals(printed):
    """The mapping is exercised: the text layer itself holds the radicals."""
    raw = extract(printed(chromium_pdf, OURS)).text
    assert "\u2ed1" in raw and "長" not in raw  # ⻑ CJK RADICAL LONG ONE, never 長
    assert "\u2f3e" in raw  # ⼾ KANGXI RADICAL DOOR, for 戸 of 瀬戸
    assert "\u2027" in raw  # ‧ HYPHENATION POINT, for ・
