"""Test PDFs: our example minutes through reportlab's built-in Japanese CID font (one
printed line per text line, as the commissions' PDFs are), through other producers
(Chromium's print to PDF, cairo through pango-view), and PDFs written by hand whose text
layer says exactly what a test needs."""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
import zlib
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from .browser import ARGS, CHROMIUM

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


# --- other producers --------------------------------------------------------------------

PANGO_VIEW = shutil.which("pango-view")
PAGE = """<!doctype html><html lang="ja"><meta charset="utf-8"><style>
body {{ font: 10.5pt "Noto Sans CJK JP", sans-serif }}
pre {{ font: inherit; white-space: pre-wrap }}
</style><pre>{}</pre></html>"""


def has_chromium() -> bool:
    return Path(CHROMIUM).exists()


def chromium_pdf(text_file: Path, out: Path) -> Path:
    """The text as a page of its own, printed to PDF by headless Chromium (Skia's writer)."""
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "minutes.html"
        page.write_text(PAGE.format(html.escape(text_file.read_text(encoding="utf-8"))))
        subprocess.run(
            [
                CHROMIUM,
                "--headless",
                *ARGS,
                f"--user-data-dir={tmp}/profile",
                "--no-pdf-header-footer",
                f"--print-to-pdf={out}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return out


def cairo_pdf(text_file: Path, out: Path) -> Path:
    """The text set by Pango and written by cairo's PDF surface (pango-view), as GTK
    programs print: one tall page, lines wrapped at the width."""
    subprocess.run(
        [
            PANGO_VIEW,
            "--no-display",
            "--font=Noto Serif CJK JP 10.5",
            "--language=ja",
            "--width=480",
            "--wrap=char",
            "--margin=40",
            f"--output={out}",
            str(text_file),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out


# --- PDFs written by hand: a text layer that says exactly what a test needs -------------


def _utf16_hex(ch: str) -> str:
    return ch.encode("utf-16-be").hex().upper()


def _to_unicode(cids: dict[str, int]) -> bytes:
    """A ToUnicode CMap naming, for each glyph, the character the PDF says it stands for."""
    entries = [f"<{cid:04X}> <{_utf16_hex(ch)}>" for ch, cid in cids.items()]
    blocks = [entries[k : k + 100] for k in range(0, len(entries), 100)]
    return (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CMapName /Test-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        + "".join(f"{len(b)} beginbfchar\n" + "\n".join(b) + "\nendbfchar\n" for b in blocks)
        + "endcmap CMapName currentdict /CMap defineresource pop end end\n"
    ).encode("ascii")


def _stream(attrs: str, data: bytes) -> bytes:
    return f"<< {attrs} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def _write(out: Path, objects: list[bytes]) -> Path:
    """objects[0] is the catalog (1 0 obj), objects[1] the page tree (2 0 obj)."""
    body = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    out.write_bytes(bytes(body) + trailer.encode())
    return out


FONT_OBJECTS = 3  # Type0 font, its CIDFont, its ToUnicode map: objects 3, 4, 5


def _font(cids: dict[str, int], to_unicode: bool) -> list[bytes]:
    unicode_ref = " /ToUnicode 5 0 R" if to_unicode else ""
    return [
        b"<< /Type /Font /Subtype /Type0 /BaseFont /TestMincho /Encoding /Identity-H "
        b"/DescendantFonts [4 0 R]" + unicode_ref.encode() + b" >>",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestMincho /CIDSystemInfo "
        b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
        _stream("", _to_unicode(cids)),
    ]


def text_layer_pdf(
    pages: list[list[str]], out: Path, *, to_unicode: bool = True, stated_pages: int | None = None
) -> Path:
    """A PDF whose text layer holds exactly ``pages`` (lines of text on each): every
    character a glyph of one font, which is not embedded, and its ToUnicode map names that
    character — so a test writes ⻑ where a producer would name 長 so, or a private-use code,
    or (``to_unicode=False``) glyphs that name no character at all. ``stated_pages``: what
    the page tree claims, if not the truth."""
    chars = sorted({ch for page in pages for line in page for ch in line})
    cids = {ch: k for k, ch in enumerate(chars, 1)}
    first_page = 3 + FONT_OBJECTS
    kids = " ".join(f"{first_page + 2 * k} 0 R" for k in range(len(pages)))
    count = len(pages) if stated_pages is None else stated_pages
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        *_font(cids, to_unicode),
    ]
    for k, lines in enumerate(pages):
        ops = [b"BT /F1 10.5 Tf"]
        for n, line in enumerate(lines):
            glyphs = "".join(f"{cids[ch]:04X}" for ch in line)
            ops.append(f"1 0 0 1 60 {780 - 19 * n} Tm <{glyphs}> Tj".encode())
        ops.append(b"ET")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
            f"<< /Font << /F1 3 0 R >> >> /Contents {first_page + 2 * k + 1} 0 R >>".encode()
        )
        objects.append(_stream("", b"\n".join(ops)))
    return _write(out, objects)


def encoded_content_pdf(out: Path, data: bytes, filters: list[str]) -> Path:
    """A one-page PDF whose content stream is ``data``, to be decoded by ``filters``."""
    names = " ".join(f"/{f}" for f in filters)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [6 0 R] /Count 1 >>",
        *_font({"A": 1}, True),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
        b"<< /Font << /F1 3 0 R >> >> /Contents 7 0 R >>",
        _stream(f"/Filter [{names}]", data),
    ]
    return _write(out, objects)


DRAW_A = b"<0001> Tj "  # draws the font's one glyph, which stands for "A"


def inflating_pdf(out: Path, inflated: int, *, filters: int = 1) -> Path:
    """A one-page PDF whose content stream is about ``inflated`` bytes of text drawing,
    FlateDecode-compressed ``filters`` times over (each pass shrinks it up to ~1000 times):
    a small file that a reader without a bound inflates whole."""
    chunk = DRAW_A * 10_000
    z = zlib.compressobj(9)
    parts = [z.compress(b"BT /F1 10.5 Tf 60 780 Td ")]
    parts += [z.compress(chunk) for _ in range(max(inflated // len(chunk), 1))]
    parts.append(z.compress(b"ET") + z.flush())
    data = b"".join(parts)
    for _ in range(filters - 1):
        data = zlib.compress(data, 9)
    return encoded_content_pdf(out, data, ["FlateDecode"] * filters)


def runlength_pdf(out: Path, decoded: int) -> Path:
    """A one-page PDF whose content stream is run-length encoded: 2 bytes a run of 128
    spaces, ``decoded`` bytes in all."""
    return encoded_content_pdf(
        out, bytes([129, 32]) * (decoded // 128) + b"\x80", ["RunLengthDecode"]
    )
