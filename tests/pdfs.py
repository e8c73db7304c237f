"""Test PDFs made from our example minutes with reportlab's built-in Japanese CID font, laid
out one printed line per text line, as the commissions' PDFs are."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "HeiseiMin-W3"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def minutes_pdf(text_file: Path, out: Path, size: float = 10.5) -> Path:
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    _, height = A4
    y = height - 60
    for line in (ln.rstrip() for ln in text_file.read_text(encoding="utf-8").split("\n")):
        if not line.strip():
            continue
        if y < 60:
            c.showPage()
            y = height - 60
        indent = len(line) - len(line.lstrip(" "))
        c.setFont(FONT, size)
        c.drawString(60 + indent * size / 2, y, line.lstrip(" "))
        y -= size * 1.8
    c.save()
    return out
