"""Stage 2: repair the artefacts of text pulled out of PDFs, keeping a map back to the source.

Minutes arrive with headings spaced out character by character, labels set vertically one
character a line, sentences broken wherever the page ended (with the page's number or
running head between the halves), full-width digits and letters, and dates in the Japanese
era; some text layers come flattened into one line by whoever stored them, each printed
line's end become a blank (``_unflatten`` makes those blanks line ends again). The parsers
should see none of that: they get one logical line per paragraph, NFKC-folded text, and
helpers that turn era dates and 午前/午後 times into ISO values. Every character of the
output knows the source offset it came from, so each extracted fact can cite its passage
(offsets count code points of the normalized text; ``to_source`` maps them back to the
source).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, time

from .glyphs import STANDS_FOR
from .page import ARROW, DASHED_PAGE_NUMBER, PAGE_NUMBER, SENTENCE_END

# A line that opens a block of its own: never glued to the line before it.
BLOCK_START = re.compile(
    r"^(第\d+(?:\s|[.．、](?=\D))|\d+(\s|[.、](?=\D))|\(\d+\)|[○●◯◎・□■◆◇※•]|【|自\s|至\s|"
    r"(?:出\s*席|欠\s*席|開\s*催|日\s*時|場\s*所)(?:者|委員|日時|場所|日)?\s*(?:[:：\s]|$))"
)
NUMBERED_HEADING = re.compile(r"^(第\d+|\d+(\s|[.、](?=\D))|\(\d+\))")
SPEAKER_START = re.compile(r"^[^、。「」\s]{2,16}から、")
# a numbered heading's title, whole: 「(1)…の措置について」 runs to the margin and stops there
TITLE_TAIL = re.compile(r"(?:について|に関する件|の件)$")
# the posts present listed right after the members (「…奥野各委員」/「長官、次長、…」)
POSTS_LIST = re.compile(r"^[^、。「」\s]{1,12}?(?:長|官|監)[、,]")
SPACED_RUN = re.compile(r"(?<!\S)[^\x00-\x7f\s](?: [^\x00-\x7f\s]){2,}(?!\S)")
CLAUSE_END = ("、", ",", "及び", "並びに", "又は", "若しくは")


@dataclass(frozen=True)
class NormalizedText:
    """Normalized text plus, for each of its characters, the source offset it came from."""

    text: str
    offsets: tuple[int, ...]
    source: str

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Source span of the normalized span [start, end)."""
        if start >= end:
            s = self.offsets[start] if start < len(self.offsets) else len(self.source)
            return s, s
        return self.offsets[start], self.offsets[end - 1] + 1

    def line_of(self, offset: int) -> int:
        """1-based line number in the *source* of a normalized offset (for error messages)."""
        src = self.offsets[min(offset, len(self.offsets) - 1)] if self.offsets else 0
        return self.source.count("\n", 0, src) + 1


# --- characters ---------------------------------------------------------------------


def _clusters(source: str):
    """Yield (cluster, offset): a base character with the marks that combine with it."""
    i, n = 0, len(source)
    while i < n:
        j = i + 1
        # Combining marks and half-width (semi-)voiced sound marks fold into the character before.
        while j < n and (unicodedata.combining(source[j]) or source[j] in "\uff9e\uff9f"):
            j += 1
        yield source[i:j], i
        i = j


def fold(source: str) -> list[tuple[str, int]]:
    """NFKC-fold the text, returning (character, source offset) pairs; CR/CRLF become LF.
    CJK radicals that PDF text layers carry for ideographs (⻑ for 長) become those
    ideographs, one for one (``glyphs.STANDS_FOR``): NFKC leaves most of them alone."""
    out: list[tuple[str, int]] = []
    for cluster, off in _clusters(source.translate(STANDS_FOR)):  # same length: offsets hold
        if cluster == "\r":
            if not source.startswith("\n", off + 1):
                out.append(("\n", off))
            continue
        for ch in unicodedata.normalize("NFKC", cluster):
            out.append((ch, off))
    return out


# --- lines --------------------------------------------------------------------------

Line = list[tuple[str, int]]


def _text(line: Line) -> str:
    return "".join(c for c, _ in line)


def _tidy(line: Line) -> Line:
    """Collapse spaced-out runs (「公 安 委 員 会」), squeeze blanks, strip the ends."""
    s = _text(line)
    drop: set[int] = set()
    for m in SPACED_RUN.finditer(s):
        drop.update(i for i in range(m.start(), m.end()) if s[i] == " ")
    kept = [cell for i, cell in enumerate(line) if i not in drop]
    squeezed: Line = []
    for cell in kept:
        if cell[0].isspace():
            if squeezed and squeezed[-1][0] == " ":
                continue
            cell = (" ", cell[1])
        squeezed.append(cell)
    while squeezed and squeezed[0][0] == " ":
        squeezed.pop(0)
    while squeezed and squeezed[-1][0] == " ":
        squeezed.pop()
    return squeezed


WIDE = r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff01-\uff60]"
SPACED_PAIR = re.compile(rf"(?<={WIDE}|\d) (?={WIDE}|\d)")
WIDE_PAIR = re.compile(rf"(?:{WIDE}|\d)(?={WIDE}|\d)")


# Words of minutes whose first character some sites' pages lose in extraction, at the start
# of every block (「察本部から」「和7年6月25日」「1催日時」): the rest of each word never
# starts a line of its own.
DROPPED_INITIAL = re.compile(
    r"^(?P<number>\d+|\(\d+\))?(?:(?P<k>察本部|察署|察官)|(?P<ko>安委員会)|(?P<ka>催日時|催場所)|"
    r"(?P<shu>席者)|(?P<rei>和(?=元年|\d{1,2}年))|(?P<hei>成(?=元年|\d{1,2}年))|(?P<un>転免許)|"
    r"(?P<shin>査請求)|(?P<ku>情(?=申出|申し出|の受理|に対する))|(?P<kou>通(?=規制|事故|安全)))"
)
INITIALS = {
    "k": "警",
    "ko": "公",
    "ka": "開",
    "shu": "出",
    "rei": "令",
    "hei": "平",
    "un": "運",
    "shin": "審",
    "ku": "苦",
    "kou": "交",
}


def _restore_dropped_initials(lines: list[Line]) -> list[Line]:
    """Put back the first character a page lost at the start of its blocks, when it lost it
    in at least three of them: one such line alone is left as it is."""
    found = [(k, m) for k, line in enumerate(lines) if (m := DROPPED_INITIAL.match(_text(line)))]
    if len(found) < 3:
        return lines
    for k, m in found:
        group = next(g for g in INITIALS if m.group(g) is not None)
        at = len(m.group("number") or "")
        line = lines[k]
        lines[k] = [*line[:at], (INITIALS[group], line[at][1]), *line[at:]]
    return lines


def _unspace_document(lines: list[Line]) -> list[Line]:
    """Some PDF producers justify Japanese lines by putting blanks between the characters of
    words (「警察 本 部か ら」「平 成 2 7 年」). Japanese prose has no blanks between words, so
    when such blanks are common across the document (a tenth of the adjacent character
    pairs), every blank between two Japanese characters or digits goes. A heading's label
    gap (「第2 出席者 北島」) is rare enough not to trigger it."""
    spaced, share = _blanks_between_characters(lines)
    if spaced < 20 or share < 0.1:
        return lines
    out = []
    for line in lines:
        s = _text(line)
        drop = {m.start() for m in SPACED_PAIR.finditer(s)}
        out.append([cell for i, cell in enumerate(line) if i not in drop])
    return out


# A document in one line this long is no page as printed, nor as a web page gives it
FLAT_LINE = 300
BLANK = re.compile(r"(?<=\S) (?=\S)")
HEADING_NUMBER = re.compile(r"第?\d{1,2}|[(（]\d{1,2}[)）]|[①-⑳]|[(（]?[ア-ン][)）]")


def _unflatten(lines: list[Line]) -> list[Line]:
    """A PDF's text layer that whoever stored it flattened into one line, each printed line
    break become a blank (「…決裁 が行われた。 第2 定例会議 各部からの報告 1 平成27年…」):
    Japanese prose has no blanks between words, so each blank is where a line ended, and
    becomes a break again, for the rules of printed text to read. Not a document whose
    blanks are mostly inside words (「警察 本 部か ら」: ``_unspace_document`` reads those),
    nor one of many lines."""
    if len(lines) > 3 or not any(len(line) >= FLAT_LINE for line in lines):
        return lines
    spaced, share = _blanks_between_characters(lines)
    if spaced < 10 or share >= 0.1:
        return lines
    out: list[Line] = []
    for line in lines:
        s, start, word = _text(line), 0, 0  # where the line and the last word began
        for m in BLANK.finditer(s):
            before, word = s[word : m.start()], m.end()
            if _word(s[m.start() - 1]) and _word(s[m.end()]):
                continue  # 「PDF file」
            if HEADING_NUMBER.fullmatch(before) or (len(before) == 1 and not before.isdigit()):
                continue  # a heading's number (「1 平成27年…」), a label set apart (「委 員:」)
            out.append(line[start : m.start()])
            start = m.end()
        out.append(line[start:])
    return [line for line in out if line]


def _word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _blanks_between_characters(lines: list[Line]) -> tuple[int, float]:
    """How many blanks stand between two Japanese characters or digits, and their share of
    all such adjacent pairs: a tenth or more means blanks inside words (a justified PDF)."""
    spaced = sum(len(SPACED_PAIR.findall(_text(line))) for line in lines)
    joined = sum(len(WIDE_PAIR.findall(_text(line))) for line in lines)
    return spaced, spaced / (spaced + joined) if spaced + joined else 0.0


def _is_vertical_cell(line: Line) -> bool:
    return len(line) == 1 and not line[0][0].isascii() and line[0][0].isalnum()


def _join_vertical(lines: list[Line]) -> list[Line]:
    """Glue labels set one character a line (出/席/者) back into one line."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _is_vertical_cell(lines[j]):
            j += 1
        if j - i >= 2:
            out.append([cell for line in lines[i:j] for cell in line])
            i = j
        else:
            out.append(lines[i])
            i += 1
    return out


def _width(line: Line) -> int:
    """Width of the line as it stood on the page, in source characters."""
    return line[-1][1] - line[0][1] + 1 if line else 0


def _full_width(lines: list[Line]) -> int:
    """The page's line width: a high percentile of the line widths seen."""
    widths = sorted(_width(line) for line in lines if _width(line) >= 10)
    if not widths:
        return 10**9
    return widths[int(0.9 * (len(widths) - 1))]


# A printed line of Japanese minutes holds some 35–70 characters (A4, portrait or
# landscape); a web page's paragraph runs to hundreds.
PRINTED_LINE_MAX = 100


def _printed(lines: list[Line]) -> bool:
    """Whether plain text has the lines of a printed page (a PDF's text layer) rather than
    the blocks of a web page saved as text. On a page, a quarter or more of the lines run to
    the margin in the middle of a sentence and go on in the next line; on a web page a long
    line without a sentence end is a heading or a bullet, and the next line starts a block
    of its own (measured: under 5% of the lines on real pages, 25–60% on printed minutes)."""
    full = _full_width(lines)
    texts = [_text(line) for line in lines]
    long_lines = sum(1 for line in lines if _width(line) >= 10)
    broken = sum(
        1
        for k, line in enumerate(lines[:-1])
        if _width(line) >= max(10, 0.85 * full)
        and not texts[k].endswith(SENTENCE_END)
        and not BLOCK_START.match(texts[k])
        and not BLOCK_START.match(texts[k + 1])
        # 「…、交通企画課長」 then 「高知県警察から、…」: a list ended, a sentence begins
        and not SPEAKER_START.match(texts[k + 1])
    )
    if full > PRINTED_LINE_MAX:
        return False  # longer lines than any printed page has: a web page's blocks
    if long_lines < 8:
        # too little for a share: a single line broken mid-sentence at the margin
        return broken >= 1
    footer = any(DASHED_PAGE_NUMBER.match(t) for t in texts)  # 「－ ２ －」: a printed page
    return footer or (broken >= 2 and broken >= 0.15 * long_lines)


# How much of a paragraph's start and end the rules of _join_broken read: a numbered
# heading's number (第12, (3), 1.) and the longest ending (若しくは).
_HEAD = 64
_TAIL = max(len(e) for e in SENTENCE_END + CLAUSE_END + ("に関する件",))


def _join_broken(lines: list[Line], by_width: bool = True) -> list[Line]:
    """Glue sentences the page broke across lines back together. ``by_width`` also glues a
    line that ran to the page's width: right for PDF text, wrong for HTML, whose lines are
    block elements of their own.

    Linear in the text: a paragraph is extended in place, and what the rules ask of it (how
    it starts, how it ends) is kept as it grows, never rebuilt from the whole paragraph for
    each line glued to it (issue 16: 16,000 lines of one remark took 85 s)."""
    full = _full_width(lines) if by_width else 10**9
    out: list[Line] = []
    head = ""  # the paragraph's first characters: enough for NUMBERED_HEADING
    tail = ""  # its last characters: enough for SENTENCE_END and CLAUSE_END
    depth = 0  # open 「 quotes in the paragraph being built
    last_width = 0  # width of the last printed line (not of the paragraph it joined)
    for line in lines:
        s = _text(line)
        if out:
            starts_block = (
                bool(BLOCK_START.match(s))
                # a heading is never continued by the speaker who presents the item, nor
                # after its title's end
                or bool(NUMBERED_HEADING.match(head) and SPEAKER_START.match(s))
                or bool(
                    NUMBERED_HEADING.match(head)
                    and not re.search(r"[、。「]", head)  # a title, not a sentence
                    and TITLE_TAIL.search(tail)
                )
                or bool(tail.endswith("委員") and POSTS_LIST.match(s))
            )
            glue = (
                (depth > 0 and not s.startswith("第"))
                or (tail.endswith("」") and s.startswith("旨"))
                or (not starts_block and tail.endswith(CLAUSE_END))
                or (
                    not starts_block
                    and not tail.endswith(SENTENCE_END)
                    and last_width >= 0.85 * full
                    and not ARROW.search(head)  # 「ホーム > … > 定例会議」 is whole
                )
            )
            if glue:
                out[-1].extend(line)
                if len(head) < _HEAD:
                    head = (head + s)[:_HEAD]
                tail = (tail + s)[-_TAIL:]
                last_width = _width(line)
                depth += s.count("「") - s.count("」")
                depth = max(depth, 0)
                continue
        out.append(list(line))
        head, tail = s[:_HEAD], s[-_TAIL:]
        last_width = _width(line)
        depth = max(s.count("「") - s.count("」"), 0)
    return out


def _without_page_furniture(lines: list[Line]) -> list[Line]:
    """Page numbers, and the title repeated as a running head at the top of each page: both
    fall between the halves of a sentence the page broke. (In HTML a bare number is data.)"""
    lines = [line for line in lines if not PAGE_NUMBER.match(_text(line))]
    title = _text(lines[0]) if lines else ""
    if len(title) < 4 or "。" in title or "、" in title:
        return lines
    return lines[:1] + [line for line in lines[1:] if _text(line) != title]


SPLIT_NUMBER = re.compile(r"^[(（]\s*\d{1,2}$")


def _join_split_numbers(lines: list[Line]) -> list[Line]:
    """A heading's number broken inside its brackets, 「(7」 over 「) 交通規制の…」, made
    whole again: the break falls where no reader of the page sees one."""
    out: list[Line] = []
    for line in lines:
        if out and SPLIT_NUMBER.match(_text(out[-1])) and _text(line)[:1] in ")）":
            out[-1] = [*out[-1], *line]
        else:
            out.append(line)
    return out


def normalize(source: str, by_width: bool = True) -> NormalizedText:
    """Normalize raw extracted text (see the module docstring); ``by_width=False`` for text
    whose lines are not printed lines (HTML blocks)."""
    cells = fold(source)
    lines: list[Line] = [[]]
    for ch, off in cells:
        if ch == "\n":
            lines.append([])
        else:
            lines[-1].append((ch, off))
    lines = _restore_dropped_initials([t for t in (_tidy(line) for line in lines) if t])
    lines = _join_split_numbers(lines)
    if by_width:
        lines = _unspace_document(_unflatten(lines))
        by_width = _printed(lines)
    if by_width:  # printed pages: their furniture goes (a web page has none)
        lines = _without_page_furniture(lines)
    lines = _join_broken(_join_vertical(lines), by_width)
    text_cells: list[tuple[str, int]] = []
    for k, line in enumerate(lines):
        if k:
            text_cells.append(("\n", line[0][1] - 1 if line[0][1] else 0))
        text_cells.extend(line)
    text = "".join(c for c, _ in text_cells)
    return NormalizedText(text=text, offsets=tuple(o for _, o in text_cells), source=source)


# --- dates and times ----------------------------------------------------------------

ERAS = {  # era: (first day, last day)
    "明治": (date(1868, 1, 25), date(1912, 7, 29)),
    "大正": (date(1912, 7, 30), date(1926, 12, 24)),
    "昭和": (date(1926, 12, 25), date(1989, 1, 7)),
    "平成": (date(1989, 1, 8), date(2019, 4, 30)),
    "令和": (date(2019, 5, 1), date(9999, 12, 31)),
    "西暦": (date(1, 1, 1), date(9999, 12, 31)),  # a Western year (2025年): year 1 is 1
}
ERA_DATE = re.compile(
    r"(?:(?P<era>明治|大正|昭和|平成|令和)\s*(?P<y>元|\d{1,2})|(?P<west>(?:19|20)\d{2})|(?P<same>同))"
    r"\s*年\s*"
    r"(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?"
)
# 「午後1時30分」「13:20」「10時半」, and after 午前/午後 a time whose 時 a page lost
# (「午前1000分」「午前1115」: three or four digits that only a clock reads so)
CLOCK = re.compile(
    r"(?P<ampm>午前|午後)?\s*(?:(?P<h>\d{1,2})\s*(?:時|:)\s*(?:(?P<min>\d{1,2})\s*分?|(?P<half>半))?"
    r"|(?<=午前|午後)(?P<hh>1[0-2]|0?\d)(?P<mm>[0-5]\d)(?!\d)分?)"
)
WEEKDAYS = "月火水木金土日"


@dataclass(frozen=True)
class EraDate:
    """An era date found in the text: its span, its ISO value, and what is wrong with it."""

    start: int
    end: int
    value: date | None
    problem: str | None = None


def era_to_date(era: str, year: str, month: int, day: int | None) -> tuple[date | None, str | None]:
    """Convert an era date; return (date, problem). 元年 is year 1."""
    y = 1 if year == "元" else int(year)
    first, last = ERAS[era]
    gregorian = first.year + y - 1
    if day is None:
        return None, f"{era}{year}年{month}月 has no day"
    try:
        value = date(gregorian, month, day)
    except ValueError:
        return None, f"{era}{year}年{month}月{day}日 is not a calendar date"
    if not first <= value <= last:
        return None, f"{era}{year}年{month}月{day}日 does not exist ({era} runs {first} to {last})"
    return value, None


def find_era_dates(text: str, start: int = 0, end: int | None = None):
    """Yield every era date in text[start:end] as an EraDate; 同年 takes the era and year of
    the date before it."""
    era = year = None
    for m in ERA_DATE.finditer(text, start, len(text) if end is None else end):
        if m["same"]:
            if era is None:
                yield EraDate(m.start(), m.end(), None, "同年 with no date before it")
                continue
        elif m["west"]:  # some commissions write the Western year: 2025年2月13日
            era, year = "西暦", m["west"]
        else:
            era, year = m["era"], m["y"]
        value, problem = era_to_date(era, year, int(m["m"]), int(m["d"]) if m["d"] else None)
        yield EraDate(m.start(), m.end(), value, problem)


def parse_clock(s: str) -> time | None:
    """午後 1時00分 / 13時20分 / 13:20 → a time of day, or None."""
    m = CLOCK.search(s)
    if not m:
        return None
    h = int(m["h"] or m["hh"])
    minute = 30 if m["half"] else int(m["min"] or m["mm"] or 0)
    if m["ampm"] == "午後" and h < 12:
        h += 12
    if m["ampm"] == "午前" and h == 12:
        h = 0
    if h > 23 or minute > 59:
        return None
    return time(h, minute)


def source_index(offsets: tuple[int, ...], src: int) -> int:
    """The first normalized index whose source offset is past src (for mapping back)."""
    return bisect_right(offsets, src)
