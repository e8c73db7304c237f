"""What the top of every minutes document states: which commission, which session, when,
where, and who attended.

Commissions put these facts in different places — a title 「…の開催概要(令和4年8月10日)」, a
labelled field 「1 日時」「開催日 …」「第2 出席者 …」 with its value on the same line or the next,
a line that is only a list of names or posts, a sentence 「本部長、…同席の上、…」 — and pages as
text bring their site's chrome with them (skip links, breadcrumbs, 更新日 and 掲載日 lines).
Every layout reads the header through these functions, so that a page read as HTML or as its
text, and a commission nobody has written a layout for, give the same facts. How a role, a
weekday or a clock time is written, once found, is reading.py's; which lines are the site's
chrome is page.py's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .model import Member, Officer, Span
from .normalize import ERAS, era_to_date, find_era_dates
from .page import is_chrome
from .reading import (
    CLOCK_ANY,
    CLOCK_FROM,
    CLOCK_PART,
    CLOCK_RANGE,
    MEMBER_TOKEN,
    ROLE,
    WEEKDAY,
    clock_of,
    clock_pair,
    member_role,
    weekday_of,
    weekday_problem,
)
from .reference import Reference

# -- labelled fields -------------------------------------------------------------------

# 「1 日時」「第1 日 時」「開催日時:」「(2) 場所」「出席者」: a label, maybe numbered, then
# its value
FIELD = re.compile(
    r"^(?:第?\s*\d+\s*[.、]?\s*|\(\d+\)\s*|[○●◯■□◆・]\s*)?"
    r"(?P<label>開\s*催\s*日\s*時|開\s*催\s*日|開\s*催\s*年\s*月\s*日|日\s*時|日\s*付|"
    r"開\s*催\s*場\s*所|場\s*所|会\s*場|"
    r"(?:主\s*な\s*)?出\s*席\s*者(?:\s*等)?|出\s*席(?=\s*$)|出\s*席\s*委\s*員|委\s*員\s*出\s*席\s*者|出\s*席\s*職\s*員|"
    r"欠\s*席\s*者|欠\s*席\s*委\s*員|同\s*席\s*者?|陪\s*席\s*者?|説\s*明\s*員|"
    r"開\s*会|閉\s*会|開\s*会\s*時\s*刻|閉\s*会\s*時\s*刻|時\s*間|自(?=\s*(?:午前|午後|\d))|"
    r"至(?=\s*(?:午前|午後|\d)))"
    r"(?=[\s:：]|$|\d|令和|平成|昭和|午前|午後|[^\s]*?(?:委員|長|官))\s*[:：]?\s*(?P<rest>.*)$"
)
FIELD_KIND = {
    "開催日時": "when",
    "開催日": "when",
    "開催年月日": "when",
    "日時": "when",
    "日付": "when",
    "開催場所": "where",
    "場所": "where",
    "会場": "where",
    "出席者": "who",
    "出席": "who",
    "出席者等": "who",
    "出席委員": "who",
    "委員出席者": "who",
    "出席職員": "who",
    "同席": "who",
    "同席者": "who",
    "陪席": "who",
    "陪席者": "who",
    "説明員": "who",
    "欠席者": "absent",
    "欠席委員": "absent",
    "開会": "opened",
    "開会時刻": "opened",
    "閉会": "closed",
    "閉会時刻": "closed",
    "時間": "when",
    "自": "opened",
    "至": "closed",
}


@dataclass(frozen=True)
class Field:
    kind: str  # when, where, who, absent, opened, closed
    label_start: int
    start: int  # where the value starts (the rest of the label line, or the next line)
    end: int  # where the value ends (the next field, numbered heading or blank label)


def field_of(line: str) -> tuple[str, int] | None:
    """(kind, where the value starts in the line) of a labelled field line, or None."""
    m = FIELD.match(line)
    if not m:
        return None
    label = re.sub(r"\s|^主な", "", m["label"])
    rest = m["rest"]
    # 「時間外…」「場所の確保について」 are titles, not fields: a value follows a blank or a
    # colon, or is a date, a time or a list of people
    if rest and not re.match(r"[\s:：]", line[m.end("label") :]) and label in ("時間", "場所"):
        return None
    return FIELD_KIND[label], m.start("rest")


# -- dates and times -------------------------------------------------------------------

WESTERN = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d\d)\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<d>\d{1,2})(?!\d)"
)


# 「R6.1.11」「令和6.1.11」「H31.4.30」: an era date written with dots
ERA_LETTERS = {"R": "令和", "H": "平成", "S": "昭和"}
DOTTED = re.compile(
    r"(?<![A-Za-z0-9])(?P<era>令和|平成|昭和|R|H|S)(?P<y>元|\d{1,2})\.(?P<m>\d{1,2})\.(?P<d>\d{1,2})(?!\d)"
)
KANJI_DIGITS = dict(zip("〇一二三四五六七八九", range(10), strict=True)) | {"零": 0}
# a number in kanji where a date has one: 「十一」「二十」「三十一」「六」
KANJI_NUMBER = re.compile(r"(?<=[和成年月和])[〇一二三四五六七八九十]{1,3}(?=[年月日])")
KANJI_CLOCK = re.compile(r"[〇零一二三四五六七八九十]{1,3}(?=[時分])")


def _arabic(
    compact: str, index: list[int], numbers: re.Pattern | None = None
) -> tuple[str, list[int]]:
    """Kanji numerals of dates as digits (「十一月」→「11月」), each digit mapped back to the
    source characters it stands for."""
    out, where, pos = [], [], 0
    for m in (numbers or KANJI_NUMBER).finditer(compact):
        out.append(compact[pos : m.start()])
        where += index[pos : m.start()]
        k = m.group(0)
        if "十" in k:
            tens, _, ones = k.partition("十")
            value = KANJI_DIGITS.get(tens, 1) * 10 + KANJI_DIGITS.get(ones, 0)
        else:
            value = int("".join(str(KANJI_DIGITS[c]) for c in k))
        digits = str(value)
        out.append(digits)
        span = index[m.start() : m.end()]
        where += [span[min(n, len(span) - 1)] for n in range(len(digits))]
        pos = m.end()
    out.append(compact[pos:])
    where += index[pos:]
    return "".join(out), where


@dataclass
class DateFound:
    value: date | None
    span: Span | None
    weekday: str | None = None
    problem: str | None = None
    # every line near the top that states the session's date (a title and a date line):
    # the weekday and the times may be on any of them
    lines: list[tuple[int, int]] = field(default_factory=list)


def dates_in(text: str, start: int, end: int):
    """(value or None, span, problem) of each full date in text[start:end]: era, Western with
    年月日, and Western with slashes (2024/11/07); a spaced-out date 「令 和 6 年」, one in
    kanji numerals (令和六年一月十一日) and an abbreviated one (R6.1.11, 令和6.1.11) too."""
    found = []
    index = [i for i in range(start, end) if not text[i].isspace()]
    compact, index = _arabic("".join(text[i] for i in index), index)
    for d in find_era_dates(compact):
        value, problem, after = d.value, d.problem, d.end
        if value is None and "has no day" in (problem or ""):
            if not compact[d.end : d.end + 1].isdigit():
                continue  # 「令和2年5月定例会議議事概要」: a month, not a day
            # 「令和5年11月9(木)」: the 日 left out; read when the weekday confirms the day
            value, after = _day_by_weekday(compact, d)
            written = compact[d.start : d.end]
            problem = None if value else f"{written} has no 日 and no weekday confirms the day"
        span = Span(index[d.start], index[after - 1] + 1)
        found.append((value, span, problem, compact, index, after))
    for m in DOTTED.finditer(compact):
        era = ERA_LETTERS.get(m["era"], m["era"])
        value, problem = era_to_date(era, m["y"], int(m["m"]), int(m["d"]))
        span = Span(index[m.start()], index[m.end() - 1] + 1)
        found.append((value, span, problem, compact, index, m.end()))
    for m in WESTERN.finditer(text, start, end):
        try:
            value, problem = date(int(m["y"]), int(m["m"]), int(m["d"])), None
        except ValueError:
            value, problem = None, f"{m.group(0)} is not a calendar date"
        k = next(i for i, x in enumerate(index) if x >= m.end() - 1)
        found.append((value, Span(m.start(), m.end()), problem, compact, index, k + 1))
    return sorted(found, key=lambda f: f[1].start)


def _day_by_weekday(compact: str, d) -> tuple[date | None, int]:
    m = re.match(r"(?P<d>\d{1,2})(?=[(（](?P<w>[月火水木金土日]))", compact[d.end :])
    if not m:
        return None, d.end
    for full in find_era_dates(compact[d.start : d.end] + m["d"] + "日"):
        if full.value and weekday_of(full.value) == m["w"]:
            return full.value, d.end + m.end()
    return None, d.end


def _with_weekday(found) -> DateFound:
    value, span, problem, compact, index, after = found
    if value is None:
        return DateFound(None, span, None, problem)
    wd = WEEKDAY.match(compact, after)
    if not wd:
        return DateFound(value, span)
    end = index[wd.end() - 1] + 1
    problem = weekday_problem(value, wd["w"])
    return DateFound(value, Span(span.start, end), wd["w"], problem)


TITLE_WORDS = re.compile(r"開催|会議|定例|臨時|委員会|会議録|議事|概要|状況")


def session_date(text: str, lines, fields: list[Field], url: str | None = None) -> DateFound:
    """The session's date: in a title line (「…開催概要(令和4年8月10日)」), a labelled field
    (日時, 開催日), or a line that starts with a date — whichever comes first near the top;
    never the page's 更新日/掲載日 (chrome). Falls back to the first date of the first lines.
    A date without a year (「10月25日(木)」 in a title) is left to the labelled field, and
    read only when nothing else gives one: then a year the page names (a breadcrumb's
    「平成30年」, a URL's /2018/ or /h30/) must agree with the weekday."""
    found = _first_session_date(text, lines, fields)
    if found.value is None and found.problem is None:
        found = _date_without_year(text, lines, url) or _date_from_url(text, lines, url) or found
    if found.value is None:
        return found
    for s, e, line in lines[:25]:
        if is_chrome(line):
            continue
        for f in dates_in(text, s, e):
            if f[0] == found.value:
                found.lines.append((s, e))
                if found.weekday is None and (wd := _with_weekday(f)).weekday:
                    found.weekday, found.problem = wd.weekday, wd.problem
                    found.span = found.span if found.span.start != f[1].start else wd.span
                break
    return found


MONTH_DAY = re.compile(
    r"(?<![年\d])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*[(（]\s*(?P<w>[月火水木金土日])"
)
ERA_YEAR = re.compile(r"(?P<era>令和|平成|昭和)\s*(?P<y>元|\d{1,2})\s*年")
URL_YEAR = re.compile(
    r"(?<![0-9])(?P<west>(?:19|20)\d\d)(?![0-9])|(?<![a-z])(?P<era>[rh])(?P<y>\d{1,2})(?![0-9])"
)


def _date_without_year(text: str, lines, url: str | None) -> DateFound | None:
    """「公安委員会定例会議 10月25日(木)」 with the year named elsewhere (the breadcrumb's
    平成30年, the URL): the year among those named whose calendar has that weekday."""
    for s, e, line in lines[:12]:
        if is_chrome(line) or not (m := MONTH_DAY.search(text, s, e)):
            continue
        years = set()
        head = text[:1500]  # the breadcrumb too, which the lines given may leave out
        for y in ERA_YEAR.finditer(head):
            years.add(ERAS[y["era"]][0].year + (1 if y["y"] == "元" else int(y["y"])) - 1)
        years.update(int(w) for w in re.findall(r"(?<!\d)((?:19|20)\d\d)\s*年", head))
        for u in URL_YEAR.finditer((url or "").lower()):
            if u["west"]:
                years.add(int(u["west"]))
            else:
                years.add({"r": 2018, "h": 1988}[u["era"]] + int(u["y"]))
        matching = []
        for year in sorted(years):
            try:
                value = date(year, int(m["m"]), int(m["d"]))
            except ValueError:
                continue
            if weekday_of(value) == m["w"]:
                matching.append(value)
        if len(matching) == 1:
            return DateFound(matching[0], Span(m.start(), m.end()), m["w"])
        return None
    return None


DATE_ONLY = re.compile(
    r"(?:(?:19|20)\d\d\s*[/.\-年]\s*\d{1,2}\s*[/.\-月]\s*\d{1,2}日?|"
    r"(?:令和|平成|昭和)(?:元|\d{1,2})年\d{1,2}月\d{1,2}日)\s*(?:[(（][^()（）]{1,4}[)）])?"
)


# a session's day in its page's address: 「…/report21/07-02.htm」「meeting20181031.html」
# 「kaigi18-12-05.htm」「H31-1-30.html」「r060110」
URL_DAY = re.compile(
    r"(?<![0-9])(?:(?P<era>(?<![a-z])[hr])?(?P<y>\d{1,4})[-_/]?(?P<m>\d{1,2})[-_](?P<d>\d{1,2})"
    r"|(?P<era6>[hr])(?P<y6>\d\d)(?P<m6>\d\d)(?P<d6>\d\d)|(?P<y8>20\d\d)(?P<m8>\d\d)(?P<d8>\d\d))"
    r"(?![0-9])"
)


def _date_from_url(text: str, lines, url: str | None) -> DateFound | None:
    """A page whose text garbles the date (「第1 平成2日(木)」) but whose address holds the day:
    read only when the weekday the text gives agrees, and only one reading does."""
    weekday = next(
        (
            m
            for s, e, _ in lines[:12]
            if (m := re.search(r"[(（]([月火水木金土日])[)）]", text[s:e]))
        ),
        None,
    )
    if not url or weekday is None:
        return None
    matching = set()
    path = "/".join(url.lower().split("/")[3:])  # not the host's name
    for m in URL_DAY.finditer(path):
        if m["y8"]:
            years, month, day = [int(m["y8"])], int(m["m8"]), int(m["d8"])
        else:
            era, y = (m["era6"], m["y6"]) if m["era6"] else (m["era"], m["y"])
            month, day = int(m["m6"] or m["m"]), int(m["d6"] or m["d"])
            y = int(y)
            if y == 0:
                continue
            if y >= 1900:
                years = [y]
            elif era:
                years = [{"r": 2018, "h": 1988}[era] + y]
            else:  # a bare era year or two digits of the Western one
                years = [2018 + y, 1988 + y, 2000 + y]
        for year in years:
            try:
                value = date(year, month, day)
            except ValueError:
                continue
            if weekday_of(value) == weekday.group(1):
                matching.add(value)
    if len(matching) != 1:
        return None
    return DateFound(matching.pop(), None, weekday.group(1))


def _first_session_date(text: str, lines, fields: list[Field]) -> DateFound:
    """A title or a labelled field first; then a line that starts with a date (a bare date
    line above the title can be the page's own posting date)."""
    values = [f for f in fields if f.kind == "when"]
    starting = None
    # a run of lines that are only dates is a list of other sessions' pages (「過去の定例会議へ
    # 2018/10/24(WED) 2018/10/17(WED) …」), never this session's date
    only_date = [bool(DATE_ONLY.fullmatch(line.strip())) for _, _, line in lines[:26]]
    listed = {
        k
        for k in range(len(only_date))
        if only_date[k]
        and ((k and only_date[k - 1]) or (k + 1 < len(only_date) and only_date[k + 1]))
    }
    for k, (s, e, line) in enumerate(lines[:25]):
        if k in listed:
            continue
        if is_chrome(line):
            continue
        in_field = next((f for f in values if f.label_start <= s < f.end or s == f.start), None)
        found = [f for f in dates_in(text, s, e) if f[0] is not None or f[2]]
        if not found:
            continue
        first = found[0]
        rest = (text[s : first[1].start] + text[first[1].end : e]).strip(" ()（）")
        titled = "。" not in line and TITLE_WORDS.search(rest)
        if in_field or titled:
            return _with_weekday(first)
        if starting is None and not text[s : first[1].start].strip(" ([（"):
            starting = first
    if starting is not None:
        return _with_weekday(starting)
    for s, e, line in lines[:15]:
        if is_chrome(line):
            continue
        found = [f for f in dates_in(text, s, e) if f[0] is not None]
        if found:
            return _with_weekday(found[0])
    return DateFound(None, None)


def first_date(text: str, start: int, end: int) -> DateFound:
    """The first date in text[start:end], with the weekday written after it (checked)."""
    found = [f for f in dates_in(text, start, end) if f[0] is not None or f[2]]
    return _with_weekday(found[0]) if found else DateFound(None, None)


def session_times(text: str, lines, date_found: DateFound, fields: list[Field]):
    """(start, end, span) of the session, from the date's line and the line after it when
    that one is about time, or from 開会/閉会 fields. Clock times in the body (an event's
    hour) are never the session's."""
    start = end = span = None
    regions = []
    stated = date_found.lines or ([(date_found.span.start, 0)] if date_found.span else [])
    for ds, _ in stated:
        k = next((i for i, (s, e, _) in enumerate(lines) if s <= ds < e), None)
        if k is not None:
            regions.append((ds, lines[k][1]))
            if k + 1 < len(lines):
                ns, ne, nline = lines[k + 1]
                if re.match(rf"\s*(?:時間\s*[:：]?\s*)?{CLOCK_PART}", nline) and not field_of(
                    nline
                ):
                    regions.append((ns, ne))
    for f in fields:
        if f.kind == "when" and not any(r[0] <= f.start < r[1] for r in regions):
            regions.append((f.start, f.end))
    for rs, re_ in regions:
        # kanji numerals (午後一時三十分) as digits; spans are then those of the region
        seg, _ = _arabic(text[rs:re_], list(range(rs, re_)), KANJI_CLOCK)
        if seg != text[rs:re_]:
            a, b, _ = session_times(
                seg, [(0, len(seg), seg)], DateFound(None, None), [Field("when", 0, 0, len(seg))]
            )
            if a:
                start, end, span = a, b, Span(rs, re_)
                break
        if m := CLOCK_RANGE.search(text, rs, re_):
            start, end = clock_pair(m)
            span = Span(m.start(), m.end())
            break
        if m := CLOCK_FROM.search(text, rs, re_):
            start, span = clock_of(m["a"]), Span(m.start(), m.end())
            break
        found = CLOCK_ANY.search(text, rs, re_)
        if found and ("時" in found.group(0) or re.search(r":\s*\d", found.group(0))):
            m = found
            start, span = clock_of(m.group(0)), Span(m.start(), m.end())
            break
    if start is None and stated:
        # a table read out of order (「日時」 and its hours in cells apart): a line that is
        # only the session's hours, near the date and before any sentence
        k = next((i for i, (s, e, _) in enumerate(lines) if s <= stated[0][0] < e), len(lines))
        for s, e, line in lines[k + 1 : k + 20]:
            if "。" in line:
                break
            # (a cell's number may lead: 「1 午前10時10分~午後0時38分」)
            hours = re.sub(r"^(?:第?\d{1,2}|\(\d{1,2}\))\s+", "", line.strip())
            if (m := CLOCK_RANGE.fullmatch(hours)) and "時" in line:
                start, end = clock_pair(m)
                span = Span(s + line.index(hours), e)
                break
    for f in fields:
        if f.kind in ("opened", "closed") and (m := CLOCK_ANY.search(text, f.start, f.end)):
            value = clock_of(m.group(0))
            if f.kind == "opened":
                start = start or value
            else:
                end = end or value
            span = span or Span(m.start(), m.end())
    return start, end, span


# -- fields of the header --------------------------------------------------------------


def header_fields(text: str, lines) -> list[Field]:
    """The labelled fields of the document, each with where its value runs: the rest of the
    label line, or (a label set apart, as in a table) the lines after it up to the next
    field or numbered heading."""
    found = []
    for k, (s, e, line) in enumerate(lines):
        f = field_of(line)
        if f is None:
            continue
        kind, rest_at = f
        found.append([kind, s, s + rest_at, e, k])
    out = []
    for n, (kind, ls, vs, e, k) in enumerate(found):
        if vs >= e:  # the value is on the lines that follow
            nxt = found[n + 1][4] if n + 1 < len(found) else len(lines)
            stop = k + 1
            limit = min(nxt, k + (40 if kind == "who" else 12))
            while stop < limit and (
                not NUMBERED.match(lines[stop][2])
                or (kind == "who" and SIDE.fullmatch(lines[stop][2].strip()))
            ):
                stop += 1
            if stop == k + 1 and k + 1 < len(lines) and k + 1 < nxt:
                stop = k + 2  # one value line, whatever it looks like
            if stop > k + 1:
                vs, e = lines[k + 1][0], lines[stop - 1][1]
        elif kind == "who":  # the list may go on over the next lines
            nxt = found[n + 1][4] if n + 1 < len(found) else len(lines)
            stop = k + 1
            while stop < min(nxt, k + 8) and _is_people_line(lines[stop][2]):
                stop += 1
            e = lines[stop - 1][1]
        out.append(Field(kind, ls, vs, e))
    return out


NUMBERED = re.compile(r"^(?:第\s*\d+|\d+\s|\d+[.．、]|\(\d+\)|【)")
# the sides of an attendance list, numbered under 出席者: 「(1)公安委員会」「(2)警察本部」
# 「1 公安委員会側」「2 県警察側」
SIDE = re.compile(
    r"(?:\(\d+\)|\d+[.．]?)?\s*【?(?:公安委員会|委員|[都道府県]?警察(?:本部)?|本部)側?】?"
)


# -- who attended ----------------------------------------------------------------------

# 「北島、木村、安藤、小田、川本各委員」: the role written once for all the names before it
SHARED_ROLE = re.compile(r"(?P<names>[^\s、,・]+(?:[、,・][^\s、,・]+)*)各(?P<role>委員)")
ROLE_FIRST = re.compile(
    rf"(?:^|(?<=[\s、,]))(?P<role>{ROLE})\s*[:：]?\s+"
    r"(?P<names>[^\s、,・:：委]{1,5}(?:\s*[、,・]\s*[^\s、,・:：委]{1,5})*)(?=[\s、,]|$)"
)
PAREN = re.compile(r"[(（][^()（）]*[)）]")


SEPARATOR = re.compile(r"[、,，・]|\s{2,}|及び|並びに")
SPACED_SEPARATOR = re.compile(r"[、,，・]|\s+|及び|並びに")


def _tokens(text: str, start: int, end: int, spaced: bool = False):
    """(start, end) of each entry of a list, blanks trimmed; a separator inside brackets
    (「審議官(東京オリンピック・パラリンピック担当)」) does not split. ``spaced``: a single
    blank separates too (「小川委員長 三浦委員 森山委員」)."""
    sep = SPACED_SEPARATOR if spaced else SEPARATOR
    depth, s, i = 0, start, start
    while i <= end:
        m = sep.match(text, i, end) if i < end and depth == 0 else None
        if i == end or m:
            a, b = s, i
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            if b > a:
                yield a, b
            if i == end:
                break
            s = i = m.end()
            continue
        if text[i] in "(（":
            depth += 1
        elif text[i] in ")）":
            depth = max(depth - 1, 0)
        i += 1


def attendance_line(line: str) -> bool:
    """A line of an attendance list: a side (「(1)公安委員会」), or people, maybe bulleted."""
    line = line.strip()
    return bool(SIDE.fullmatch(line)) or _is_people_line(line.lstrip("•・○●◯◆■- \t"))


def _is_people_line(line: str) -> bool:
    entries = [x for x in re.split(r"[、,・]", PAREN.sub("", line)) if x.strip()]
    if not entries or line.rstrip().endswith("。"):
        return False
    return all(
        MEMBER_TOKEN.match(x.strip()) or x.strip().endswith(("長", "官", "監", "各委員"))
        for x in entries
    )


def members_in(text: str, start: int, end: int) -> list[Member]:
    """The members a list names: 「今村委員長、野村委員」, 「北島、木村各委員」, 「委員長 今村」
    is not a member list. Bracketed notes (「(公安委員会補佐官)」) are staff, not members."""
    out: list[Member] = []
    body = text[start:end]
    masked = PAREN.sub(lambda m: " " * len(m.group(0)), body)
    for rm in ROLE_FIRST.finditer(masked):  # 「委員長 杉山 委員 岡田、望月」
        for s, e in _tokens(masked, rm.start("names"), rm.end("names")):
            name = masked[s:e]
            if 0 < len(name) <= 5 and not name.endswith("委員"):
                out.append(Member(name, member_role(rm["role"]), Span(start + s, start + e)))
        masked = masked[: rm.start()] + " " * (rm.end() - rm.start()) + masked[rm.end() :]
    for sm in SHARED_ROLE.finditer(masked):
        for s, e in _tokens(masked, sm.start("names"), sm.end("names")):
            name = masked[s:e]
            if (x := MEMBER_TOKEN.match(name)) and x["role"]:
                out.append(Member(x["name"], member_role(x["role"]), Span(start + s, start + e)))
            elif 0 < len(name) <= 5:
                out.append(Member(name, "委員", Span(start + s, start + e)))
        masked = masked[: sm.start()] + " " * (sm.end() - sm.start()) + masked[sm.end() :]
    for s, e in _tokens(masked, 0, len(masked), spaced=True):
        if x := MEMBER_TOKEN.match(masked[s:e]):
            if x["name"] in ("出席", "公安", "各", "副"):
                continue
            out.append(Member(x["name"], member_role(x["role"]), Span(start + s, start + e)))
    out.sort(key=lambda m: m.span.start)
    seen, unique = set(), []
    for m in out:
        if m.name not in seen:
            seen.add(m.name)
            unique.append(m)
    return unique


def officers_in(text: str, start: int, end: int, ref: Reference) -> list[Officer]:
    """The posts a list names (「本部長、警務部長、…及び首席監察官」): each entry that reads as a
    post. Where the list writes each official's name before the post (「栗生長官、松本次長」),
    only the post is kept: officers are posts, never persons."""
    spans = []
    for s, e in _tokens(text, start, end):
        if MEMBER_TOKEN.match(text[s:e].strip()) or text[s:e].endswith("委員"):
            continue
        e -= text[e - 1] == "等"  # 「…、事務主管課長等」
        if (
            spans
            and text[spans[-1][1] : s] == "・"
            and not ref.post_ending(text[slice(*spans[-1])])
        ):
            s = spans.pop()[0]  # 「匿名・流動型…対策監」: one post, its name holding a 「・」
        spans.append((s, e))
    named = ref.names_before_posts([text[s:e] for s, e in spans])
    out: list[Officer] = []
    for s, e in spans:
        if BODY.fullmatch(text[s:e]) or SIDE.fullmatch(text[s:e]):  # 「(2)警察本部」: a side
            continue
        if (side := GLUED_SIDE.match(text, s, e)) and ref.is_known_post(text[side.end() : e]):
            s = side.end()  # 「警察本部警察本部長、…」: the side's label run into the list
        post = ref.post_ending(text[s:e], named=named)
        if post is not None:
            out.append(Officer(post, Span(e - len(post), e)))
    return out


BODY = re.compile(r"(?:\S{0,4}[都道府県])?(?:警察本部|警察|警視庁|公安委員会)")
# a side's label with no break before the first post: 「警察本部」「県警察側」 (not the 「県警察」
# of 「県警察本部長」, which is one post)
GLUED_SIDE = re.compile(r"(?:警察本部|[都道府県]?警察側)(?=\S)")

# 「本部長、…及び首席監察官同席の上、」「…が出席し、」「…同席のもと、」「…陪席の上」
PRESENT_CLAUSE = re.compile(r"が?(?:同席|出席|陪席)(?:の上|のもと|の下|し|して)[、,]")


def officers_present_clause(text: str, start: int, end: int, ref: Reference):
    """Officers named by a 「…同席の上、」 sentence in text[start:end], or []."""
    m = PRESENT_CLAUSE.search(text, start, end)
    if not m:
        return []
    line_start = max(text.rfind("\n", 0, m.start()), text.rfind("。", 0, m.start())) + 1
    return officers_in(text, line_start, m.start(), ref)


# -- which commission ------------------------------------------------------------------


SUBJECT = re.compile(r"^(\S*?公安委員会)(?:は[、,]|の(?:定例|臨時)?会議)")
TITLE_NAME = re.compile(
    r"(\S+?公安委員会)(?:の(?:開催状況|会議|定例|臨時|議事)|会議録|議事録|定例)"
)
OWN_POLICE = re.compile(
    r"(?P<name>[^\s、。「」()（）\d]{2,3}?[都道府県])警察(?:本部)?\s*(?:から|は|が)"
    # 「…(水)に、第9回定例山形県公安委員会を開催し、」: the commission that met
    r"|(?P<held>[^\s、。「」()（）\d]{2,3}?[都道府県])公安委員会(?:定例会議?)?を開催"
)
PART_LIKE = re.compile(r"^[【《■◆●○]")
# the commission's own rooms and offices, named anywhere (「長崎県公安委員会会議室」
# 「国家公安委員会室」「山口県公安委員会事務」); a police headquarters only as the place
ROOM_MARKS = re.compile(
    r"(?P<name>[^\s、。()（）\d]{2,4}?[都道府県])(?:警察本部)?公安委員会(?:会議室|室|事務)"
    r"|(?P<national>国家公安委員会室)"
)
PLACE_MARK = re.compile(r"(?P<name>[^\s、。()（）\d]{2,4}?[都道府県])警察本部(?!長)")


def committee_given(document, ref: Reference) -> str | None:
    """The commission the reader was told: the operator's --committee, else the one the
    page's URL names; None when neither does (the text must then tell)."""
    if document.committee:
        return document.committee
    if document.url and (code := ref.committee_from_url(document.url)):
        return code
    return None


def committee_of(
    document, text: str, lines, date_found: DateFound, ref: Reference, places=()
) -> str | None:
    """The commission: the operator's --committee, the page's URL, the title area (the lines
    up to the session's date, breadcrumbs included), then the place (「…県警察本部」) or the
    commission's own rooms and offices (「長崎県公安委員会会議室」「国家公安委員会室」
    「…県公安委員会事務」).
    Never the first 「…県公安委員会」 of the body, which names other commissions (援助要求)."""
    if code := committee_given(document, ref):
        return code
    # the title area: up to the first labelled field or numbered heading after the date;
    # there a line that is no sentence names the commission, or a sentence whose subject
    # it is (「広島県公安委員会は、この日の定例会議で…」)
    date_at = date_found.span.start if date_found.span else -1
    for s, _, line in lines[:15]:
        if s > date_at and (field_of(line) or NUMBERED.match(line) or PART_LIKE.match(line)):
            break
        subject = SUBJECT.match(line)
        # the lead sentence that dates the session names its police: 「…に開催され、秋田県警察
        # から次の事項について報告・説明があり」 (maybe broken after 警察)
        if s <= date_at < s + len(line):
            for own in OWN_POLICE.finditer(text[s : s + len(line) + 8].replace("\n", "")):
                name = own["name"] or own["held"]  # 「…定例山形県」: the prefecture ends it
                if code := ref.committee_by_name(name) or ref.committee_by_name(name[-3:]):
                    return code
        if "。" in line and not subject:
            # a text layer that runs the title into the sentences (one line): the title
            # before the session's date (「福島県公安委員会の開催状況 … 平成27年2月3日」)
            title = TITLE_NAME.search(line, 0, max(date_at - s, 0)) if s <= date_at else None
            if title and (code := ref.committee_named_in(title.group(1))):
                return code
            continue
        named = subject.group(1) if subject else re.sub(r"\s", "", line)
        if code := ref.committee_named_in(named):
            return code
    for place in places:
        if (m := PLACE_MARK.match(place)) and (code := ref.committee_by_name(m["name"])):
            return code
    for m in ROOM_MARKS.finditer(text):
        if m["national"]:
            return "JP"
        if code := ref.committee_by_name(m["name"]):
            return code
    return None
