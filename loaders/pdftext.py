"""A PDF's text layer through pdfminer.six, within limits, without its log noise.

pdfminer inflates every stream it reads in one call (``zlib.decompress``), with no bound:
a 3.6 MB file whose content inflates to 1 GiB took 8.6 GB of memory before anything else
happened (issue 16). It offers no hook, so, as defusedxml does for the standard library's
XML parsers, the decoders its ``pdftypes`` module calls are replaced by ones that charge
every inflated byte to the budget of the document being read, and refuse it once past
``max_pdf_inflated_bytes``. Outside our reads (no budget) they behave as pdfminer's own.
Pages and drawn characters are counted as pdfminer meets them, so neither a page count nor
a text length past its limit is ever laid out whole.

pdfminer logs a warning for every font descriptor without a FontBBox (about 100 lines for
one of Chromium's PDFs), and more of the kind; none says anything a reader of minutes can
act on, and a file it cannot read raises. Its logger therefore passes errors only.
"""

from __future__ import annotations

import io
import logging
import zlib
from contextvars import ContextVar
from dataclasses import dataclass

from pdfminer import lzw, pdftypes, runlength
from pdfminer.converter import TextConverter
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser, PDFSyntaxError
from pdfminer.psparser import PSException

from .errors import SourceError, SourceTooLarge
from .limits import Limits

logging.getLogger("pdfminer").setLevel(logging.ERROR)


@dataclass
class _Budget:
    """Inflated bytes a document may still take, and whose they are."""

    left: int
    limit: int
    file: str

    def take(self, data: bytes) -> bytes:
        self.charge(len(data))
        return data

    def charge(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise SourceTooLarge(
                f"the PDF's streams inflate to more than {self.limit:,} bytes (the "
                "max_pdf_inflated_bytes limit)",
                file=self.file,
            )


_budget: ContextVar[_Budget | None] = ContextVar("pdf_inflate_budget", default=None)


class _BoundedZlib:
    """What pdfminer.pdftypes calls ``zlib``: inflation charged to the budget, in bounded
    steps. A stream damaged only in its last bytes (its checksum) gives what it holds, one
    damaged before them nothing, as pdfminer's own fallback does — without that fallback's
    byte-at-a-time copying, which is quadratic in what it inflates."""

    error = zlib.error
    decompressobj = staticmethod(zlib.decompressobj)

    @staticmethod
    def decompress(data: bytes) -> bytes:
        budget = _budget.get()
        if budget is None:
            return zlib.decompress(data)
        d = zlib.decompressobj()
        out = []
        body, end = data[:-3], data[-3:]
        try:  # at most one byte past what is left: enough to know the budget is spent
            out.append(budget.take(d.decompress(body, budget.left + 1)))
        except zlib.error:
            return b""
        try:
            for k in range(len(end)):
                out.append(budget.take(d.decompress(end[k : k + 1], budget.left + 1)))
            out.append(budget.take(d.flush()))
        except zlib.error:
            pass
        return b"".join(out)


def _lzwdecode(data: bytes) -> bytes:
    budget = _budget.get()
    if budget is None:
        return lzw.lzwdecode(data)
    return b"".join(budget.take(chunk) for chunk in lzw.LZWDecoder(io.BytesIO(data)).run())


def _rldecode(data: bytes) -> bytes:
    """Run-length decoding, its size charged before pdfminer builds it (up to 128 times
    the input)."""
    budget = _budget.get()
    if budget is not None:
        size, k = 0, 0
        while k < len(data) and data[k] != 128:
            length = data[k]
            size += length + 1 if length < 128 else 257 - length
            k += length + 2 if length < 128 else 2
        budget.charge(size)
    return runlength.rldecode(data)


pdftypes.zlib = _BoundedZlib
pdftypes.lzwdecode = _lzwdecode
pdftypes.rldecode = _rldecode


class _CountingConverter(TextConverter):
    """pdfminer's text output, refusing the document as soon as it draws more characters
    than the text may have (before a page of them is laid out)."""

    def __init__(self, rsrcmgr, outfp, limit: int, file: str):
        super().__init__(rsrcmgr, outfp, laparams=LAParams())
        self.chars_left = limit
        self.limit = limit
        self.file = file

    def render_char(self, *args, **kwargs):
        self.chars_left -= 1
        if self.chars_left < 0:
            raise SourceTooLarge(
                f"the PDF draws more than {self.limit:,} characters (the max_text_chars limit)",
                file=self.file,
            )
        return super().render_char(*args, **kwargs)


def _page_count(doc: PDFDocument) -> int | None:
    """The count the page tree states, when it states one."""
    count = pdftypes.resolve1(pdftypes.resolve1(doc.catalog.get("Pages")) or {})
    count = count.get("Count") if isinstance(count, dict) else None
    return count if isinstance(count, int) else None


def pdf_text(data: bytes, path: str, limits: Limits) -> str:
    """The text layer, pages ended by form feeds; a clear error for a garbled file, one
    without text, or one past a limit."""
    out = io.StringIO()
    allowed = limits.max_pdf_inflated_bytes
    token = _budget.set(_Budget(allowed, allowed, path))
    try:
        doc = PDFDocument(PDFParser(io.BytesIO(data)))
        stated = _page_count(doc)
        if stated is not None and stated > limits.max_pdf_pages:
            raise _too_many_pages(limits, path, f" (it states {stated:,})")
        rsrcmgr = PDFResourceManager()
        device = _CountingConverter(rsrcmgr, out, limits.max_text_chars, path)
        interpreter = PDFPageInterpreter(rsrcmgr, device)
        for number, page in enumerate(PDFPage.create_pages(doc), 1):
            if number > limits.max_pdf_pages:
                raise _too_many_pages(limits, path)
            try:
                interpreter.process_page(page)
            except SourceTooLarge as exc:
                exc.where = exc.where or f"page {number}"
                raise
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as exc:
        raise SourceError(f"not a readable PDF ({type(exc).__name__}: {exc})", file=path) from exc
    except RecursionError as exc:
        raise SourceError("not a readable PDF (its objects nest too deeply)", file=path) from exc
    finally:
        _budget.reset(token)
    text = out.getvalue()
    if not text.strip():
        raise SourceError("the PDF has no text layer (a scan?): run OCR on it first", file=path)
    return text


def _too_many_pages(limits: Limits, path: str, stated: str = "") -> SourceTooLarge:
    return SourceTooLarge(
        f"the PDF has more than {limits.max_pdf_pages:,} pages{stated} (the max_pdf_pages limit)",
        file=path,
    )
