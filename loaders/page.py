"""The page as text: its lines, its furniture, its quotes, and whether it was cut off.

The text of minutes comes with what is not minutes: a printed page's number and running
head between the halves of a sentence the page broke, a web page's chrome around the
session (skip links, breadcrumbs, 更新日 and 掲載日 lines, 「お問い合わせ」), and often a page
saved or published half-way. normalize.py takes the printed furniture out; the readers skip
the site's chrome, read lines as the page had them, look past quotes, and warn when the
page stops mid-sentence. One copy of each of these is here, for normalize.py, header.py,
phrases.py and every layout.

A module of its own beside reading.py: that one holds the facts every layout reads (roles,
the chair, weekdays, clock times); this one what the page is made of, which a reader must
see through before it reads any fact.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # normalize.py reads the furniture from here: no import back at run time
    from .normalize import NormalizedText

# -- furniture ---------------------------------------------------------------------------

# A printed page's number at its foot (「- 2 -」「－２－」「2/5」「2」), which PDF text puts
# between the two halves of a sentence the page broke
PAGE_NUMBER = re.compile(r"^[-‐―─ー~〜\s]*\d{1,3}(?:\s*/\s*\d{1,3})?[-‐―─ー~〜\s]*$")
# 「－ ２ －」: a number only a printed page has (a web page's bare number may be data)
DASHED_PAGE_NUMBER = re.compile(r"^[-‐―─ー]\s*\d{1,3}\s*[-‐―─ー]$")
# the arrows of a breadcrumb: 「ホーム > 公安委員会 > 定例会議の開催概要」
ARROW = re.compile(r"\S\s*[>›»]\s*\S")
# Lines of the site, not of the minutes: skip links, breadcrumbs, the page's dates and tools.
CHROME = re.compile(
    r"^(?:ページの先頭|メニューを飛ばして|本文へ|ここから本文|本文$|印刷用ページ|印刷する|"
    r"このページ|ページ番号|(?:最終)?更新日|更新$|掲載日|公開日|作成日|登録日|お問い合わせ|"
    r"問い合わせ|所管|関連情報|関連リンク|関連ファイル|PDF|Adobe|ホーム$|トップページ$|"
    r"文字サイズ|背景色|Language|English|サイトマップ|閉じる$|前のページ|次のページ|一覧へ|"
    r"戻る$|ページ上部へ)"
    r"|^\S*\d\S*\s*(?:掲載|更新|公開|作成)(?:日)?$"  # 「2024/05/31 掲載」
)
# 「山口県公安委員会 > 公安委員会の開催概要(…)」「ホーム 公安委員会の開催概要…」: a line of
# arrows and no sentence, or one that starts at the site's home
BREADCRUMB = re.compile(rf"^[^。]*{ARROW.pattern}[^。]*$|^(?:ホーム|トップページ|HOME)(?:\s*>|\s)")


def is_chrome(line: str) -> bool:
    """A line the site prints around the minutes (never a fact of the session)."""
    line = line.strip()
    return bool(CHROME.match(line) or BREADCRUMB.search(line))


# -- a page cut off ----------------------------------------------------------------------

SENTENCE_END = ("。", "」", ")", "』")


def ends_mid_sentence(text: str) -> bool:
    """Whether text stops inside a sentence (blanks at its end aside)."""
    tail = text.rstrip()
    return bool(tail) and not tail.endswith(SENTENCE_END)


# how an agenda item's title ends (…について, …の実施 …), bracketed notes aside
TITLE_END = re.compile(
    r"(?:について|に係る|に関する|の件|案件|案|等|報告|状況|結果|概要|計画|実施|開催|推進|導入|整備|"
    r"改正|制定|指定|処分|受理|指名|承認|選任|任命|委嘱|解嘱|措置|対策|取組|取扱い|訓練|運動|"
    r"審理|裁決|請求|要求|協定|締結|挨拶|発言)"
    r"(?:\s*[(（][^()（）]*[)）])*$"
)


def cut_title(text: str, title: str) -> bool:
    """A heading on the last line of a page cut off, itself cut mid-title (「(2) 令和」
    「警察署協議会委員の」): nothing of the item is there to read, and a careful reader
    lists no item for it."""
    title = re.sub(r"\s*[(（][^()（）]{0,8}$", "", title)
    return ends_cut_off(text) and not TITLE_END.search(title)


def ends_cut_off(text: str) -> bool:
    """Whether the last line of the minutes (the page's own notes aside) stops mid-sentence:
    a page saved or published half-way."""
    for line in reversed(text.rstrip().split("\n")):
        if line.strip() and not is_chrome(line):
            return ends_mid_sentence(line)
    return False


# -- lines -------------------------------------------------------------------------------


def text_lines(text: str, start: int, end: int):
    """(start, end, line) for each non-blank line of text[start:end]."""
    pos = start
    for line in text[start:end].split("\n"):
        if line.strip():
            yield pos, pos + len(line), line
        pos += len(line) + 1


def glue_points(nt: NormalizedText) -> frozenset[int]:
    """Indices where normalize glued two source lines into one (a sentence it took for broken
    by the page). In an HTML page each source line is a block element of its own, so a web
    layout may read lines as the page had them."""
    off, src = nt.offsets, nt.source
    return frozenset(
        i
        for i in range(1, len(nt.text))
        if nt.text[i - 1] != "\n" and nt.text[i] != "\n" and "\n" in src[off[i - 1] + 1 : off[i]]
    )


def block_lines(text: str, breaks: frozenset[int], start: int, end: int):
    """(start, end, line) of each non-blank line of text[start:end], also cut at ``breaks``
    (glue_points), each stripped."""
    s = start
    for i in range(start, end + 1):
        if i == end or text[i] == "\n" or i in breaks:
            line = text[s:i]
            if line.strip():
                lead = len(line) - len(line.lstrip())
                yield s + lead, i, line.strip()
            s = i + 1 if i < end and text[i] == "\n" else i


# -- quotes ------------------------------------------------------------------------------


QUOTES = {"「": "」", "『": "』"}  # some minutes quote a member with 『』


def close_quote(text: str, open_at: int) -> int:
    """Index of the 」 closing the 「 at open_at (or the 』 of a 『; nested quotes allowed),
    or len(text)."""
    opening = text[open_at] if open_at < len(text) and text[open_at] in QUOTES else "「"
    closing, depth = QUOTES[opening], 0
    for i in range(open_at, len(text)):
        if text[i] == opening:
            depth += 1
        elif text[i] == closing:
            depth -= 1
            if depth == 0:
                return i
    return len(text)


def sentence_end(text: str, start: int, end: int) -> int:
    """Index just past the first 。 of text[start:end] outside 「」『』 (a quote holds its own
    sentences), or end; reads only as far as that sentence goes."""
    depth = 0
    for i in range(start, end):
        ch = text[i]
        if ch in QUOTES:
            depth += 1
        elif ch in "」』":
            depth = max(depth - 1, 0)
        elif ch == "。" and not depth:
            return i + 1
    return end


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
