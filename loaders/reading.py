"""What every layout reads the same way, wherever its page puts it: the zone of the clock,
the roles members are named by, who chairs, the weekday written after a date, and clock
times.

Layouts differ in where a fact stands (a title, a labelled field, a bracket after a
section's name, a table's cell); they do not differ in how it is written once found.
「山田委員長」 is a member and the chair on every commission's page, 「午後1時30分～3時」 ends at
15:00 on every page, the 「(水)」 after a date must be that date's weekday, and every clock
time in minutes is Japan's. Each of these has one copy here; the header (header.py), the
phrases of the body (phrases.py) and every layout module read them through it, so that a
layout module holds only what is its own: where its page puts things.

A module of its own, not more of header.py or phrases.py: the header and the body both read
roles, weekdays and clock times (an attendance line, a speaker 「川村委員から」, a section's
hours), and neither should import the other for them. What the page is made of (its lines,
chrome, page numbers, quotes, a cut) is page.py's.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone

from .model import Member, Minutes, Span
from .normalize import CLOCK, parse_clock

# -- the zone ----------------------------------------------------------------------------

JST = timezone(timedelta(hours=9))  # every session's clock times are Japan's


def at(day: date | None, clock: time | None) -> datetime | None:
    """A clock time on the session's day, in Japan's zone; None when either is not known."""
    return datetime.combine(day, clock, JST) if day and clock else None


# -- roles -------------------------------------------------------------------------------

# what a member is named by, longest first: 「委員長職務代理者」 before 「委員長」 before 「委員」
# (「中野公安委員長」「竹田公安委員」: the commission's name folded into the role)
ROLE = r"委員長職務代理者|委員長代理|公安委員長|委員長|公安委員(?!会)|委員"
ROLE_WRITTEN = re.compile(ROLE)  # the role written right after a name
# an entry of a list: 「今村委員長」「野村 委員」 (a name of at most five characters)
MEMBER_TOKEN = re.compile(rf"^(?P<name>[^\s、,・:()（）]{{1,5}}?)\s*(?P<role>{ROLE})$")
# each member an attendance line names: 「出席委員 山田委員長、川村委員、…」
ATTENDANCE_MEMBER = re.compile(rf"(?P<name>[^\s、,・:]+?)(?P<role>{ROLE})(?=[\s、,・]|$)")
ENDS_IN_ROLE = re.compile(rf"(?:{ROLE})$")


def names_a_member(who: str) -> bool:
    """Whether ``who`` is written as a member is: it ends in a role (「川村委員」「委員長」)."""
    return bool(ENDS_IN_ROLE.search(who))


def member_role(written: str) -> str:
    """The role as the model records it: 委員長代理 is the 委員長職務代理者."""
    written = written.removeprefix("公安")
    return "委員長職務代理者" if written == "委員長代理" else written


# -- the chair ---------------------------------------------------------------------------

CHAIR_ROLES = ("委員長", "委員長職務代理者")  # who chairs, in this order


def chair_of(members: list[Member]) -> str | None:
    """Who chairs: the member present as 委員長, else as 委員長職務代理者, else no one."""
    for role in CHAIR_ROLES:
        if chairs := [x for x in members if x.role == role]:
            return chairs[0].name
    return None


def settle_chair(m: Minutes) -> None:
    """The session's chair, once its members are read: one named already stands (the
    attendance names the chair before the speakers are read); else the member present as
    委員長, else as 委員長職務代理者."""
    m.chair = m.chair or chair_of(m.members)


# -- weekdays ----------------------------------------------------------------------------

WEEKDAYS = "月火水木金土日"  # date.weekday()'s order
# the weekday written after a date: 「(水)」「(水曜日)」「（ 水 ）」
WEEKDAY = re.compile(r"\s*[(\uff08]\s*(?P<w>[月火水木金土日])\s*(?:曜日?)?\s*[)\uff09]")


def weekday_of(day: date) -> str:
    return WEEKDAYS[day.weekday()]


def weekday_problem(day: date, written: str) -> str | None:
    """What is wrong when the weekday written after a date is not that date's, or None."""
    return None if weekday_of(day) == written else f"{day} is no ({written})"


def read_weekday(m: Minutes, found: re.Match | None) -> None:
    """The weekday a WEEKDAY match found after the session's date: kept as written, and a
    warning when the date falls on another day."""
    if found is None:
        return
    m.weekday = found["w"]
    if m.date and (problem := weekday_problem(m.date, m.weekday)):
        m.warn(problem, Span(found.start(), found.end()))


# -- clock times -------------------------------------------------------------------------

# a clock time as written: 「午後1時30分」「13:20」「10時半」, or 「正午」 (normalize.CLOCK with its
# groups unnamed, so that a range can hold two)
CLOCK_PART = rf"(?:{re.sub(r'[(][?]P<[a-z]+>', '(?:', CLOCK.pattern)}|正午)"
CLOCK_ANY = re.compile(CLOCK_PART)
# 「午後1時30分~午後3時」「13:20-15:00」「午後1時15分から午後5時までの間」
# 「午前10時00分 午前11時35分」
CLOCK_RANGE = re.compile(
    rf"(?P<a>{CLOCK_PART})\s*(?:~|〜|∼|-|－|―|ー|から|より|\s|(?=午前|午後))\s*(?P<b>{CLOCK_PART})"
)
CLOCK_FROM = re.compile(rf"(?P<a>{CLOCK_PART})\s*(?:~|〜|∼|-|－|―|から|より|開会|開始)")
AMPM = re.compile(r"\s*(午前|午後)")


def clock_of(written: str) -> time | None:
    """A clock time as written (CLOCK_PART) as a time of day."""
    return time(12, 0) if written.strip() == "正午" else parse_clock(written)


def clock_pair(m: re.Match) -> tuple[time | None, time | None]:
    """A CLOCK_RANGE match as two times: an end without 午前/午後 takes the start's, and one
    before the start is in the afternoon (「午後1時~3時」, 「1時30分~3時」)."""
    a, b = m["a"], m["b"]
    ampm = AMPM.match(a)
    if ampm and not re.match(r"\s*(午前|午後|正午)", b):
        b = ampm.group(1) + b
    start, end = clock_of(a), clock_of(b)
    if start and end and end < start and not AMPM.match(m["b"]):
        end = clock_of("午後" + m["b"].strip())
    return start, end


def clock_range(text: str, start: int, end: int):
    """(start time, end time, span) of the first range in text[start:end] (「午後1時30分~
    午後2時」, 「10:00~11:45」), read as clock_pair does; (None, None, None) when none."""
    m = CLOCK_RANGE.search(text, start, end)
    if not m:
        return None, None, None
    return (*clock_pair(m), Span(m.start(), m.end()))


def clock_times(t: str, start: int, end: int) -> list[tuple[time, Span]]:
    """Every time of day in t[start:end], in order: 「午後1時30分～午後3時10分」, also with the
    ～ missing, and with the second 午後 left out (「午後1時30分～3時10分」 ends at 15:10)."""
    out = []
    ampm = None
    for m in CLOCK.finditer(t, start, end):
        tm = parse_clock(m.group(0))
        if tm is None:
            continue
        ampm = m.group("ampm") or ampm
        if not m.group("ampm") and ampm == "午後" and tm.hour < 12:
            tm = tm.replace(hour=tm.hour + 12)
        out.append((tm, Span(m.start(), m.end())))
    return out


def read_hours(m: Minutes, clocks: list[tuple[time, Span]], missing: Span | None) -> None:
    """The session's start and end from the clock times its date line states (clock_times),
    with a warning for each that is missing (``missing``: where the start was looked for)
    and for an end before the start."""
    if not clocks:
        m.warn("the start time is missing", missing)
        return
    m.start = at(m.date, clocks[0][0])
    if len(clocks) < 2:
        m.warn("the end time is missing", clocks[0][1])
        return
    m.end = at(m.date, clocks[1][0])
    if m.end and m.start and m.end < m.start:
        m.warn("the session ends before it starts", clocks[1][1])
