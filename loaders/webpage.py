"""Reading minutes published as web pages: lines as the page had them (not as normalize
glued them), dates and times written loosely, sentences cut at 。 outside quotes, and a page
saved or published half-way. Shared by the web layouts (yamaguchi-police-web)."""

from __future__ import annotations

import re
from datetime import date

from .header import CLOCK_RANGE, is_chrome
from .model import Span
from .normalize import WEEKDAYS, NormalizedText, find_era_dates, parse_clock

SENTENCE_ENDS = ("。", "」", ")", "』")


def era_dates_spaced(text: str, start: int = 0, end: int | None = None):
    """Like ``find_era_dates``, but across blanks inside the date (「令 和 6 年 5 月 1 6 日」):
    yields (EraDate on the compacted text, its span in ``text``, the compacted text)."""
    end = len(text) if end is None else end
    index = [i for i in range(start, end) if not text[i].isspace()]
    compact = "".join(text[i] for i in index)
    for d in find_era_dates(compact):
        yield d, Span(index[d.start], index[d.end - 1] + 1), compact, index


def read_date(text: str, start: int, end: int):
    """The first era date in text[start:end]: (date, span, weekday, problem). A date written
    without 日 (「11月9(木)」) is read only when the weekday after it confirms the day."""
    for d, span, compact, index in era_dates_spaced(text, start, end):
        rest = compact[d.end :]
        if d.value is not None:
            wd = re.match(r"\((?P<w>[月火水木金土日])(?:曜日?)?\)", rest)
            if not wd:
                return d.value, span, None, None
            problem = None
            if WEEKDAYS[d.value.weekday()] != wd["w"]:
                problem = f"{d.value.isoformat()} is not a {wd['w']}曜日 as the page says"
            return d.value, Span(span.start, index[d.end + wd.end() - 1] + 1), wd["w"], problem
        if "has no day" not in (d.problem or ""):
            return None, span, None, d.problem
        m = re.match(r"(?P<d>\d{1,2})\((?P<w>[月火水木金土日])(?:曜日?)?\)", rest)
        ymd = _ymd(compact[d.start : d.end])
        if m and ymd:
            try:
                value = date(ymd[0], ymd[1], int(m["d"]))
            except ValueError:
                value = None
            if value and WEEKDAYS[value.weekday()] == m["w"]:
                return value, Span(span.start, index[d.end + m.end() - 1] + 1), m["w"], None
        written = compact[d.start : d.end] + (m["d"] if m else "")
        return None, span, None, f"{written} has no 日 and no weekday confirms the day"
    return None, None, None, None


def _ymd(written: str) -> tuple[int, int] | None:
    for d in find_era_dates(written + "1日"):
        if d.value:
            return d.value.year, d.value.month
    return None


def clock_range(text: str, start: int, end: int):
    """(start time, end time, span) of 「午後1時30分~午後2時」 / 「10:00~11:45」 in the range;
    an end without 午前/午後 takes the start's."""
    m = CLOCK_RANGE.search(text, start, end)
    if not m:
        return None, None, None
    a, b = m["a"], m["b"]
    ampm = re.match(r"\s*(午前|午後)", a)
    if ampm and not re.match(r"\s*(午前|午後)", b):
        b = ampm.group(1) + b
    return parse_clock(a), parse_clock(b), Span(m.start(), m.end())


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
