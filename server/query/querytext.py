"""What the server must know about a SPARQL query before the engine sees it.

A small lexer (strings, IRIs and comments are tokens of their own, so the word SERVICE
inside ``"…"``, ``<http://…/service>`` or ``# …`` is not a keyword) answers: which form the
query has, whether it is an update, whether it calls SERVICE, which graphs its FROM / FROM
NAMED clauses name, how deeply it nests, and where its top-level LIMIT is — so the row cap
can ask the engine for one row more than it returns, to say honestly that a result was cut,
without turning rows into Python objects. The engine's own parser still has the last word
on syntax.

The lexer reads comments, strings and IRIs exactly as pyoxigraph's does (issue 16): a
comment ends at ``\r`` as well as ``\n``, whitespace is space, tab, CR and LF only, and
string escapes are ECHAR and UCHAR. Because the engine's PEG parser backtracks into names
(``service:x`` is SERVICE with the IRI ``:x`` when ``:`` is declared; ``SERVICESILENT<…>``
is SERVICE SILENT), the SERVICE check is deliberately coarse: the letters "service" in any
case anywhere in a name are refused; only strings, IRIs, variables and comments may hold
them. tests/test_outbound.py fuzzes this against the engine itself. Every step is linear in
the query's length: a string that is never closed ends the reading at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from committee_kg.loaders.errors import QueryError

MAX_NESTING = 64  # {} () [] deep: 5,000 crashed the engine, 100 brackets take it seconds

_NAME = r"A-Za-z0-9_\-\u00B7\u00C0-\U000EFFFF"  # PN_CHARS, generously
_ESC = r"\\[tbnrf\"'\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:(?:''|')?(?:[^'\\]|ESC))*'''
              |\"\"\"(?:(?:\"\"|\")?(?:[^\"\\]|ESC))*\"\"\"
              |'(?:[^'\\\n\r]|ESC)*'
              |\"(?:[^\"\\\n\r]|ESC)*\")
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|UCHAR)*>)
  | (?P<var>[?$][NAME]+)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*(?:--[A-Za-z]+)?)
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<name>[A-Za-z_\u00C0-\U000EFFFF][NAME]*(?:\.+[NAME]+)*
              (?::(?:[NAME:%]|\\.)*(?:\.+(?:[NAME:%]|\\.)+)*)?
            |:(?:[NAME:%]|\\.)*(?:\.+(?:[NAME:%]|\\.)+)*)
  | (?P<punct>\^\^|\|\||&&|!=|<=|>=|.)
    """.replace("ESC", _ESC)
    .replace("UCHAR", _UCHAR)
    .replace("NAME", _NAME),
    re.VERBOSE | re.DOTALL,
)
_HIDING = ("comment", "string", "iri", "var")  # what may hold the letters "service"

FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
_OPEN, _CLOSE = "{([", "})]"


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int
    depth: int  # nesting of {} () [] around the token

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def tokens(query: str) -> list[Token]:
    """Significant tokens (no whitespace or comments), each with its nesting depth.

    Raises QueryError for a string that is never closed: the engine cannot read past it
    either, and stopping there keeps the reading linear (retrying the rest from each
    later quote would not be)."""
    out: list[Token] = []
    depth = 0
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup or "punct"
        if kind in ("ws", "comment"):
            continue
        text = m.group()
        if kind == "name":
            kind = "pname" if ":" in text else "word"
        elif kind == "punct" and text in "'\"":
            line = query.count("\n", 0, m.start()) + 1
            column = m.start() - query.rfind("\n", 0, m.start())
            raise QueryError(
                f"SPARQL syntax error: the string starting at line {line}, column {column} "
                "is never closed (or has an escape SPARQL does not have)",
                where=f"line {line}, column {column}",
            )
        elif kind == "punct" and text in _CLOSE:
            depth = max(0, depth - 1)
        out.append(Token(kind, text, m.start(), m.end(), depth))
        if kind == "punct" and text in _OPEN:
            depth += 1
    return out


@dataclass
class QueryText:
    """The facts about one query the server acts on."""

    text: str
    form: str | None = None  # SELECT, CONSTRUCT, DESCRIBE, ASK; None if not found
    update: str | None = None  # the update keyword, if the request is an update
    service: bool = False  # the letters "service" outside strings, IRIs and variables
    nesting: int = 0  # the deepest nesting of {} () []
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    limit: Token | None = None  # the integer of the top-level LIMIT
    limit_at: int | None = None  # where a LIMIT can be inserted when there is none

    @property
    def has_dataset(self) -> bool:
        return bool(self.from_graphs or self.from_named)

    def with_limit(self, n: int) -> str:
        """The query asking for at most n solutions (its own smaller LIMIT is kept)."""
        if self.form not in ("SELECT", "CONSTRUCT", "DESCRIBE"):
            return self.text
        if self.limit is not None:
            if int(self.limit.text) <= n:
                return self.text
            t = self.text
            return t[: self.limit.start] + str(n) + t[self.limit.end :]
        if self.limit_at is None:
            return self.text
        t = self.text
        return f"{t[: self.limit_at]} LIMIT {n} {t[self.limit_at :]}"


def analyse(query: str) -> QueryText:
    toks = tokens(query)
    info = QueryText(query)
    info.service = _names_service(toks) or _service_once_unescaped(query)
    info.nesting = max((t.depth + (t.text in _OPEN) for t in toks if t.kind == "punct"), default=0)
    prefixes: dict[str, str] = {}
    base = ""
    form_at = None
    k = 0
    while k < len(toks):
        t = toks[k]
        word = t.upper
        if form_at is None and t.depth == 0:
            if word == "PREFIX" and k + 2 < len(toks) and toks[k + 2].kind == "iri":
                prefixes[toks[k + 1].text[:-1]] = urljoin(base, _iri(toks[k + 2]))
                k += 3
                continue
            if word == "BASE" and k + 1 < len(toks) and toks[k + 1].kind == "iri":
                base = urljoin(base, _iri(toks[k + 1]))
                k += 2
                continue
            if word in UPDATES:
                info.update = word
            if word in FORMS:
                info.form, form_at = word, k
        if word == "FROM" and t.depth == 0 and form_at is not None:
            named = k + 1 < len(toks) and toks[k + 1].upper == "NAMED"
            target = toks[k + 2] if named and k + 2 < len(toks) else toks[min(k + 1, len(toks) - 1)]
            iri = _resolve(target, prefixes, base)
            (info.from_named if named else info.from_graphs).append(iri)
        k += 1
    if form_at is not None:
        _find_limit(info, toks, form_at)
    return info


def _names_service(toks: list[Token]) -> bool:
    return any(t.kind not in _HIDING and "service" in t.text.lower() for t in toks)


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(text: str) -> str:
    """\\uXXXX and \\UXXXXXXXX replaced by the characters they stand for."""

    def one(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF else m.group()

    return _CODEPOINT.sub(one, text)


def _service_once_unescaped(query: str) -> bool:
    """SPARQL lets a query escape any character as \\uXXXX before it is parsed; pyoxigraph
    0.5 does not (spargebra's standard-unicode-escaping is off), but should a later build
    turn it on, \\u0053ERVICE must still be refused. A query that no longer reads once
    unescaped is judged by its letters alone."""
    if "\\u" not in query and "\\U" not in query:
        return False
    unescaped = _unescape(query)
    try:
        return _names_service(tokens(unescaped))
    except QueryError:
        return "service" in unescaped.lower()


def _iri(token: Token) -> str:
    return _unescape(token.text[1:-1])


def _resolve(token: Token, prefixes: dict[str, str], base: str) -> str:
    """The IRI a FROM clause names; something unresolvable is returned as written, so it
    is refused as "not in the store" rather than let through."""
    if token.kind == "iri":
        return urljoin(base, _iri(token))
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return token.text


def _find_limit(info: QueryText, toks: list[Token], form_at: int) -> None:
    top = [k for k in range(form_at + 1, len(toks)) if toks[k].depth == 0]
    for k in top:
        if toks[k].upper == "LIMIT" and k + 1 < len(toks) and toks[k + 1].kind == "number":
            info.limit = toks[k + 1]
    if info.limit is None and toks:
        # a trailing VALUES block comes after the solution modifiers
        values = [k for k in top if toks[k].upper == "VALUES"]
        info.limit_at = toks[values[-1]].start if values else toks[-1].end


_ERROR_AT = re.compile(r"error at (\d+):(\d+)")


def error_position(message: str) -> tuple[int, int] | None:
    """(line, column) from the engine's syntax error message, when it gives one."""
    m = _ERROR_AT.search(message)
    return (int(m.group(1)), int(m.group(2))) if m else None
