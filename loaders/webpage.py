"""Reading minutes published as web pages: lines as the page had them (not as normalize
glued them), sentences cut at 。 outside quotes, quotes masked, and a page saved or
published half-way. Dates, times and the site's chrome are header.py's."""

from __future__ import annotations

from .header import is_chrome
from .normalize import NormalizedText

SENTENCE_ENDS = ("。", "」", ")", "』")


def glue_points(nt: NormalizedText) -> frozenset[int]:
    """Indices where normalize glued two source lines into one (a sentence it took for broken
    by the page). In an HTML page each source line is a block element of its own, so the
    layouts below read lines as the page had them."""
    off, src = nt.offsets, nt.source
    return frozenset(
        i
        for i in range(1, len(nt.text))
        if nt.text[i - 1] != "\n" and nt.text[i] != "\n" and "\n" in src[off[i - 1] + 1 : off[i]]
    )


def block_lines(text: str, breaks: frozenset[int], start: int, end: int):
    """(start, end, line) of each non-blank line of text[start:end], also cut at ``breaks``."""
    s = start
    for i in range(start, end + 1):
        if i == end or text[i] == "\n" or i in breaks:
            line = text[s:i]
            if line.strip():
                lead = len(line) - len(line.lstrip())
                yield s + lead, i, line.strip()
            s = i + 1 if i < end and text[i] == "\n" else i


def sentences(text: str, breaks: frozenset[int], start: int, end: int):
    """(start, end, closed) of each sentence of text[start:end]: cut at 。 and at line ends
    outside 「」; ``closed`` is False for a sentence whose quote never closes."""
    depth, s = 0, start
    for i in range(start, end):
        ch = text[i]
        if depth == 0 and i in breaks and i > s:
            if text[s:i].strip():
                yield s, i, True
            s = i
        if ch == "「":
            depth += 1
        elif ch == "」":
            depth = max(depth - 1, 0)
        elif depth == 0 and ch in "。\n":
            if text[s:i].strip():
                yield s, i + 1 if ch == "。" else i, True
            s = i + 1
    if text[s:end].strip():
        yield s, end, depth == 0


def mask_quotes(text: str) -> str:
    """The text with everything inside 「」 replaced by ＿ (same length, same offsets)."""
    out, depth = [], 0
    for ch in text:
        if ch == "「":
            depth += 1
            out.append(ch)
        elif ch == "」":
            depth = max(depth - 1, 0)
            out.append(ch)
        else:
            out.append("＿" if depth else ch)
    return "".join(out)


def ends_cut_off(text: str) -> bool:
    """Whether the last line of the minutes (the page's own notes aside) stops mid-sentence:
    a page saved or published half-way."""
    for line in reversed(text.rstrip().split("\n")):
        if line.strip() and not is_chrome(line):
            return not line.rstrip().endswith(SENTENCE_ENDS)
    return False
