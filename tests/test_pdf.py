"""PDF minutes: the text layer normalizes to the same session as the text we wrote."""

from __future__ import annotations

import logging

import pytest

from committee_kg.loaders.errors import SourceError
from committee_kg.loaders.extract import extract
from committee_kg.loaders.pipeline import read
from committee_kg.loaders.summary import summarize

from .support import example_files
from .support.pdfs import minutes_pdf, text_layer_pdf


@pytest.mark.parametrize("path", example_files()[:4], ids=lambda p: p.name)
def test_pdf_reads_like_the_text(path, tmp_path):
    pdf = minutes_pdf(path, tmp_path / "m.pdf")
    doc = extract(pdf)
    assert doc.media_type == "application/pdf"
    from_pdf, from_text = read(pdf), read(path)
    assert summarize(from_pdf) == summarize(from_text)
    assert from_pdf.warnings == []


def test_garbled_pdf_is_a_clear_error(tmp_path):
    path = example_files()[0]
    good = minutes_pdf(path, tmp_path / "good.pdf").read_bytes()
    garbled = tmp_path / "garbled.pdf"
    garbled.write_bytes(good[:200] + bytes(reversed(good[200:2000])) + good[2000:2100])
    with pytest.raises(SourceError) as err:
        extract(garbled)
    assert "garbled.pdf" in str(err.value)


def test_pdf_without_text_layer(tmp_path):
    from reportlab.pdfgen import canvas

    scan = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(scan))
    c.rect(50, 50, 200, 200, fill=1)
    c.save()
    with pytest.raises(SourceError, match="no text layer"):
        extract(scan)


def test_pdfminer_keeps_its_warnings_but_not_its_errors_to_itself(tmp_path, caplog):
    """pdfminer warns for each font descriptor without a FontBBox: ~100 lines for one of
    Chromium's PDFs. Its warnings go unsaid; an error it logs is still heard."""
    caplog.set_level(logging.DEBUG)
    extract(text_layer_pdf([["委員会"]], tmp_path / "m.pdf"))  # its font has no FontBBox
    assert [r for r in caplog.records if r.name.startswith("pdfminer")] == []
    logging.getLogger("pdfminer.pdfinterp").error("a stream it could not read")
    assert caplog.records[-1].getMessage() == "a stream it could not read"
