"""Stage 1: a source file becomes raw text, whatever its format and Japanese encoding.

PDF: the text layer, through pdfminer.six, whose output keeps the artefacts that the
normalize stage knows how to repair (spaced headings, one line per printed line). HTML: the
page's main content without navigation chrome, one line per block element, decoded with
the charset the page declares. Plain text: UTF-8 with or without BOM, else the Japanese
encodings, detected without the user saying so.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from charset_normalizer import from_bytes

from . import glyphs
from .errors import SourceError, SourceTooLarge
from .limits import DEFAULT_LIMITS, Limits
from .pdftext import pdf_text

# Encodings Japanese minutes really come in, tried after UTF-8; order matters, because
# CP932 is a superset of Shift_JIS and decodes some EUC-JP byte runs as well.
JAPANESE_ENCODINGS = ("cp932", "euc_jp", "iso2022_jp")


@dataclass(frozen=True)
class Document:
    """Raw text of one source file, with what identifies the file."""

    path: str
    text: str
    sha256: str
    media_type: str
    encoding: str
    url: str | None = None
    committee: str | None = None  # the operator's --committee, when the text cannot tell
    warnings: tuple[str, ...] = ()  # what the file's text layer carries that reads badly

    @property
    def name(self) -> str:
        return Path(self.path).name


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Decode bytes, preferring UTF-8 (with or without BOM), then the Japanese encodings."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if b"\x1b$B" in data or b"\x1b$@" in data:  # ISO-2022-JP is 7-bit: it passes for UTF-8
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode("iso2022_jp"), "iso2022_jp"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    best = from_bytes(data, cp_isolation=list(JAPANESE_ENCODINGS)).best()
    if best is not None:
        return str(best), best.encoding
    raise SourceError(
        f"not text in UTF-8, Shift_JIS/CP932, EUC-JP or ISO-2022-JP (first undecodable byte "
        f"at offset {first_bad})",
        file=path,
    )


def _read_bytes(p: Path, limit: int) -> bytes:
    """The file's bytes, refused unread when it is larger than the limit."""
    try:
        with p.open("rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", file=str(p)) from exc
    if len(data) > limit:
        raise SourceTooLarge(
            f"the file is larger than {limit:,} bytes (the max_source_bytes limit)", file=str(p)
        )
    return data


def _check_length(text: str, limit: int, path: str) -> None:
    if len(text) > limit:
        raise SourceTooLarge(
            f"the text has {len(text):,} characters, more than {limit:,} (the max_text_chars "
            "limit)",
            file=path,
        )


def extract(
    path: str | Path,
    url: str | None = None,
    committee: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Document:
    """Read a source file into a Document, refusing it past any of the limits."""
    p = Path(path)
    data = _read_bytes(p, limits.max_source_bytes)
    if not data.strip():
        raise SourceError("the file is empty", file=str(p))
    warnings: list[str] = []
    if data.lstrip()[:5] == b"%PDF-":
        text, media_type, encoding = pdf_text(data, str(p), limits), "application/pdf", "pdf"
        warnings = glyphs.report(text)
    elif _looks_like_html(data, p):
        text, encoding, canonical = html_text(data, str(p))
        media_type = "text/html"
        url = url or canonical
    else:
        text, encoding = decode(data, str(p))
        media_type = "text/plain"
    _check_length(text, limits.max_text_chars, str(p))
    return Document(
        path=str(p),
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=media_type,
        encoding=encoding,
        url=url,
        committee=committee,
        warnings=tuple(warnings),
    )


# --- HTML ------------------------------------------------------------------------------

BLOCK_TAGS = {
    "address",
    "article",
    "blockquote",
    "caption",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
}
CHROME_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "select",
)
# ids and classes of navigation chrome on Japanese government CMS pages (gnav, pankuzu …)
CHROME_NAMES = re.compile(
    r"(^|[-_ ])(nav|gnav|lnav|snav|menu|breadcrumbs?|pankuzu|topicpath|footer|header|sidebar|"
    r"side|banner|sns|share|skip|pagetop|page-top|utility|search|lang)([-_ ]|$)",
    re.IGNORECASE,
)
MAIN_SELECTORS = (
    "main",
    "[role=main]",
    "#tmp_contents",
    "#main",
    "#contents",
    "#content",
    "article",
    ".main",
    "#main_body",
)


DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


def _decode_as_declared(data: bytes) -> tuple[str, str] | None:
    """The page decoded with the charset it declares, when that works: strictly, or with
    only a character cut at the very end (a truncated download). A page whose bytes
    contradict its declaration is left to detection."""
    m = DECLARED_CHARSET.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    try:
        codecs.lookup(name)
        return name, data.decode(name)
    except LookupError:
        return None
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 4:
            return name, data.decode(name, errors="replace")
        return None


def _looks_like_html(data: bytes, path: Path) -> bool:
    if path.suffix.lower() in (".html", ".htm", ".xhtml"):
        return True
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html"))


def _is_chrome(tag: Tag) -> bool:
    if tag.name in CHROME_TAGS:
        return True
    names = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
    return bool(names.strip() and CHROME_NAMES.search(names))


def _drop_chrome(soup: BeautifulSoup) -> None:
    """Remove navigation chrome, walking the tree once and never into what it removed.
    (bs4's ``Tag.decomposed`` searches the whole subtree of a tag still in place, and
    inserting a string looks for the last descendant of what precedes it: both made pages
    nested a few thousand deep take minutes, issue 16.)"""
    stack = [soup]
    while stack:
        for child in list(stack.pop().children):
            if isinstance(child, Tag):
                if _is_chrome(child):
                    child.decompose()
                else:
                    stack.append(child)


_NEWLINE = object()


def _block_text(root: Tag) -> str:
    """The strings of root in order, as ``get_text`` gives them, with a line break around
    each block element and for each <br>; the tree walked once, without changing it."""
    wanted = root.interesting_string_types
    wanted = (wanted,) if isinstance(wanted, type) else tuple(wanted)
    newline = "\n" if NavigableString in wanted else ""  # not inside <rt>, <script> …
    parts: list[str] = []
    stack: list = list(reversed(root.contents))
    while stack:
        node = stack.pop()
        if node is _NEWLINE:
            parts.append(newline)
        elif isinstance(node, Tag):
            if node.name == "br":
                parts.append(newline)
                continue
            if node.name in BLOCK_TAGS:
                parts.append(newline)
                stack.append(_NEWLINE)
            stack.extend(reversed(node.contents))
        elif type(node) in wanted:
            parts.append(str(node))
    return "".join(parts)


def html_text(data: bytes, path: str) -> tuple[str, str, str | None]:
    """The main content of a page as text, one line per block; its charset from the page;
    its canonical URL when the page states one (it tells which commission published it)."""
    declared = _decode_as_declared(data)
    if declared:
        encoding, page = declared
        soup = BeautifulSoup(page, "html.parser")
    else:
        soup = BeautifulSoup(data, "html.parser")
        encoding = soup.original_encoding or "utf-8"
    canonical = soup.find("link", rel="canonical") or soup.find("meta", property="og:url")
    canonical = canonical and (canonical.get("href") or canonical.get("content"))
    _drop_chrome(soup)
    root = next((found for sel in MAIN_SELECTORS if (found := soup.select_one(sel))), None)
    text = _block_text(root or soup.body or soup)
    # keep a leading ideographic space: it marks a line that continues the one before
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip(" \t\r\u00a0") for line in text.split("\n")]
    text = "\n".join(line for line in lines if line.strip())
    if not text:
        raise SourceError("the page has no text in its main content", file=path)
    return text + "\n", encoding, canonical or None
