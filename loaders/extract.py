"""Stage 1: a source file becomes raw text, whatever its Japanese encoding.

Plain text only for now; PDF and HTML extraction join here (issue 5) without touching the
later stages.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from .errors import SourceError

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

    @property
    def name(self) -> str:
        return Path(self.path).name


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Decode bytes, preferring UTF-8 (with or without BOM), then the Japanese encodings."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
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


def extract(path: str | Path, url: str | None = None, committee: str | None = None) -> Document:
    """Read a source file into a Document."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror}", file=str(p)) from exc
    if not data.strip():
        raise SourceError("the file is empty", file=str(p))
    if data.startswith(b"%PDF"):
        raise SourceError("PDF input is not supported yet; extract its text first", file=str(p))
    text, encoding = decode(data, str(p))
    return Document(
        path=str(p),
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        media_type="text/plain",
        encoding=encoding,
        url=url,
        committee=committee,
    )
