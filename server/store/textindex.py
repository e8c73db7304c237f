"""A full-text index of what people search for: agenda titles, officers' explanations and
members' remarks, in SQLite FTS5 (issue 19: the catalogue's text-search scanned every
literal of the store, growing with it).

Japanese puts no spaces between words, so the index holds character bigrams, as Lucene's
CJK analyser does: a text that contains the query holds the query's bigrams one after
another, so a phrase query over bigrams finds every text that contains it (and, rarely,
one where whitespace hid a gap); each hit is then checked against the query as written.
The answers are those of the catalogue's ``CONTAINS`` (the same text, case and width). A
query of one character has no bigram: the index holds each text's characters too, in a
column of their own.

Order: ranked by BM25 when the query is selective; when it is in more texts than RANKED
(a word such as 委員 is in nearly every session), newest first. BM25 must score every match
before the first can be shown (160 ms for 100,000 matches here), while newest first is the
index's own order: a row's id starts with its session's day, so that SQLite reads the
matches from the newest and stops at the limit.

Each bigram is written as the code points of its two characters in hexadecimal ("5be9x67fb"),
so that FTS5's ASCII tokenizer keeps it whole: the brackets and punctuation of minutes would
otherwise split it. The index is contentless (it stores no copy of the bigrams); a row is
taken out by handing the index its bigrams again, computed from the text kept beside it.

A session's rows come from its own graph (its items' titles and explanations, their remarks,
the session's date), so the index is replaced with the graph, one session at a time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path

CKG = "https://w3id.org/committee-kg/ontology#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "http://schema.org/"
AGENDA_ITEM, DATE = CKG + "agendaItem", DCTERMS + "date"
IS_PART_OF, TITLE = DCTERMS + "isPartOf", DCTERMS + "title"
WHERE = {TITLE: "title", SCHEMA + "description": "explanation", SCHEMA + "text": "remark"}
SEARCHED = (AGENDA_ITEM, IS_PART_OF, DATE, *WHERE)  # the predicates rows_of reads
RANKED = 5_000  # matches (at most) that are ranked by BM25; more are shown newest first
DAY_SHIFT = 24  # a row's id: its session's day (proleptic ordinal) << DAY_SHIFT | a counter

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS texts (
    id INTEGER PRIMARY KEY,
    graph TEXT NOT NULL,
    meeting TEXT NOT NULL,
    date TEXT NOT NULL,
    node TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS texts_by_graph ON texts (graph);
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5 (
    grams, chars, content='', tokenize='ascii'
);
CREATE VIRTUAL TABLE IF NOT EXISTS search_terms USING fts5vocab (search, 'row');
"""


@dataclass(frozen=True)
class Row:
    meeting: str
    date: str
    node: str
    kind: str  # "title", "explanation" or "remark", as the catalogue's text-search says
    text: str


@dataclass(frozen=True)
class Hit:
    meeting: str
    date: str
    node: str
    kind: str
    text: str
    at: int  # where the query starts in the text


def bigrams(text: str) -> list[str]:
    """The text's pairs of neighbouring characters, as tokens (pairs across whitespace
    skipped: a query's words may be spaced differently from the text's)."""
    return [
        f"{ord(a):x}x{ord(b):x}" for a, b in pairwise(text) if not a.isspace() and not b.isspace()
    ]


def characters(text: str) -> list[str]:
    """The text's characters, as tokens (for queries of one character)."""
    return [f"u{ord(c):x}" for c in text if not c.isspace()]


def _day(iso: str) -> int:
    try:
        return date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return 0


def rows_of(triples: Iterable[tuple[str, str, str]]) -> list[Row]:
    """The searchable texts of one session's graph, from its triples as (subject,
    predicate, object) strings: IRIs bare, literals their lexical form."""
    items: dict[str, str] = {}  # item -> meeting
    parts: dict[str, str] = {}  # remark (or item) -> what it is part of
    dates: dict[str, str] = {}
    texts: list[tuple[str, str, str]] = []
    for s, p, o in triples:
        if p == AGENDA_ITEM:
            items[o] = s
        elif p == IS_PART_OF:
            parts[s] = o
        elif p == DATE:
            dates[s] = o
        elif p in WHERE:
            texts.append((s, WHERE[p], o))
    out = []
    for node, kind, text in texts:
        item = node if kind != "remark" else parts.get(node, "")
        meeting = items.get(item)
        if meeting is not None and meeting in dates:
            out.append(Row(meeting, dates[meeting], node, kind, text))
    return out


class TextIndex:
    """The index in one SQLite file: the live one beside the store, copied into each
    published generation for its readers."""

    def __init__(self, path: str | Path, readonly: bool = False):
        self.path = Path(path)
        if readonly:
            # a generation never changes: no locks, no -wal or -shm beside it
            self.db = sqlite3.connect(f"{self.path.as_uri()}?mode=ro&immutable=1", uri=True)
        else:
            self.db = sqlite3.connect(self.path)
            # the live index can always be made again from the store (Store opens it so after
            # a crash): a transaction need not reach the disk before the next begins
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")
            self.db.executescript(SCHEMA_SQL)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> TextIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------

    def replace(self, graph: str, rows: Iterable[Row]) -> None:
        """The session's rows instead of those it had, in one transaction."""
        with self.db:
            self._remove(graph)
            next_id: dict[int, int] = {}  # day -> the next free id of that day
            for r in rows:
                day = _day(r.date) << DAY_SHIFT
                if day not in next_id:
                    (last,) = self.db.execute(
                        "SELECT max(id) FROM texts WHERE id BETWEEN ? AND ?",
                        (day, day + (1 << DAY_SHIFT) - 1),
                    ).fetchone()
                    next_id[day] = day if last is None else last + 1
                rowid = next_id[day]
                next_id[day] += 1
                self.db.execute(
                    "INSERT INTO texts (id, graph, meeting, date, node, kind, text) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (rowid, graph, r.meeting, r.date, r.node, r.kind, r.text),
                )
                self.db.execute(
                    "INSERT INTO search (rowid, grams, chars) VALUES (?, ?, ?)",
                    (rowid, " ".join(bigrams(r.text)), " ".join(characters(r.text))),
                )

    def remove(self, graph: str) -> None:
        with self.db:
            self._remove(graph)

    def _remove(self, graph: str) -> None:
        old = self.db.execute("SELECT id, text FROM texts WHERE graph = ?", (graph,)).fetchall()
        for rowid, text in old:  # a contentless index forgets a row given its tokens again
            self.db.execute(
                "INSERT INTO search (search, rowid, grams, chars) VALUES ('delete', ?, ?, ?)",
                (rowid, " ".join(bigrams(text)), " ".join(characters(text))),
            )
        self.db.execute("DELETE FROM texts WHERE graph = ?", (graph,))

    def clear(self) -> None:
        with self.db:
            self.db.execute("DELETE FROM texts")
            self.db.execute("INSERT INTO search (search) VALUES ('delete-all')")

    def graphs(self) -> set[str]:
        return {g for (g,) in self.db.execute("SELECT DISTINCT graph FROM texts")}

    def copy_to(self, path: str | Path) -> None:
        """A consistent copy (SQLite's online backup), for a generation's readers."""
        target = sqlite3.connect(Path(path))
        try:
            self.db.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")  # one file, as readers want it
        finally:
            target.close()

    # -- reading -----------------------------------------------------------------------

    def search(self, query: str, limit: int = 100) -> tuple[list[Hit], bool]:
        """The texts that contain the query, best first; and whether there were more."""
        hits = list(self._matches(query, limit + 1))
        return hits[:limit], len(hits) > limit

    def by_date(
        self, query: str, wanted: int | None, newest_first: bool = False
    ) -> list[tuple[str, str]]:
        """(node, kind) of the texts that contain the query, by their session's date (oldest
        first, or newest): the first ``wanted`` texts (all if None), then the others of the
        last one's day. Ordering these by date (then anything) and cutting at ``wanted`` gives
        what ordering and cutting every match would: the catalogue's text-search gets its
        candidates so (query/textsearch.py). Raises ValueError for a query the index cannot
        answer (whitespace alone: no character to look for)."""
        expression = _expression(query)
        if expression is None:
            raise ValueError(f"the index cannot look for {query!r}")
        match, _ = expression
        rows = self.db.execute(
            "SELECT t.id, t.node, t.kind FROM search JOIN texts AS t ON t.id = search.rowid "
            "WHERE search MATCH ? AND instr(t.text, ?) > 0 "  # the bigrams are looser
            f"ORDER BY search.rowid {'DESC' if newest_first else 'ASC'}",
            (match, query),
        )
        nodes: dict[tuple[str, str], None] = {}
        found, last_day = 0, None
        for rowid, node, kind in rows:
            day = rowid >> DAY_SHIFT
            if wanted is not None and found >= wanted and day != last_day:
                break
            nodes[node, kind] = None
            found, last_day = found + 1, day
        return list(nodes)

    def _matches(self, query: str, wanted: int) -> Iterator[Hit]:
        expression = _expression(query)
        if expression is None:  # whitespace alone: nothing indexed names it, read the texts
            if query:
                for meeting, day, node, kind, text in self.db.execute(
                    "SELECT meeting, date, node, kind, text FROM texts "
                    "WHERE instr(text, ?) > 0 ORDER BY id DESC LIMIT ?",
                    (query, wanted),
                ):
                    yield Hit(meeting, day, node, kind, text, text.find(query))
            return
        match, terms = expression
        (seen,) = self.db.execute(
            f"SELECT min(doc) FROM search_terms WHERE term IN ({','.join('?' * len(terms))})",
            terms,
        ).fetchone()
        order = "rank, rowid DESC" if (seen or 0) <= RANKED else "rowid DESC"
        found, offset, page = 0, 0, max(2 * wanted, 50)
        while True:
            ids = [
                i
                for (i,) in self.db.execute(
                    f"SELECT rowid FROM search WHERE search MATCH ? ORDER BY {order} "
                    "LIMIT ? OFFSET ?",
                    (match, page, offset),
                )
            ]
            if not ids:
                return
            rows = {
                r[0]: r[1:]
                for r in self.db.execute(
                    "SELECT id, meeting, date, node, kind, text FROM texts "
                    f"WHERE id IN ({','.join('?' * len(ids))})",
                    ids,
                )
            }
            for i in ids:
                meeting, day, node, kind, text = rows[i]
                at = text.find(query)  # the bigrams are looser than CONTAINS
                if at < 0:
                    continue
                yield Hit(meeting, day, node, kind, text, at)
                found += 1
                if found == wanted:
                    return
            offset += page


def _expression(query: str) -> tuple[str, list[str]] | None:
    """The FTS5 query that finds every text containing the query (and its terms): its
    bigrams as a phrase, or its first character when it has no bigram; None for
    whitespace alone."""
    terms, column = bigrams(query), "grams"
    if not terms:
        terms, column = characters(query)[:1], "chars"
    if not terms:
        return None
    return f'{column} : "{" ".join(terms)}"', terms
