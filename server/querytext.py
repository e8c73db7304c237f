"""What the server must know about a SPARQL query before the engine sees it.

A small tokenizer (strings, IRIs and comments are tokens of their own, so the word SERVICE
inside ``"…"``, ``<http://…/service>`` or ``# …`` is not a keyword) answers: which form the
query has, whether it is an update, whether it calls SERVICE, which graphs its FROM / FROM
NAMED clauses name, and where its top-level LIMIT is — so the row cap can ask the engine
for one row more than it returns (STYLE.md, "Limits with a visible cut") without turning
rows into Python objects. The engine's own parser still has the last word on syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

_PN_CHARS = r"A-Za-z0-9_\-\u00B7\u00C0-\uFFFF"
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>(?:[A-Za-z_\u00C0-\uFFFF][.PN]*)?:(?:[.PN:%]|\\.)*)
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>\^\^|\|\||&&|!=|<=|>=|.)
    """.replace(".PN", _PN_CHARS + "."),
    re.VERBOSE | re.DOTALL,
)

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
    """Significant tokens (no whitespace or comments), each with its nesting depth."""
    out: list[Token] = []
    depth = 0
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup or "punct"
        if kind in ("ws", "comment"):
            continue
        text = m.group()
        if kind == "punct" and text in _CLOSE:
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
    service: bool = False
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
    prefixes: dict[str, str] = {}
    base = ""
    form_at = None
    k = 0
    while k < len(toks):
        t = toks[k]
        word = t.upper
        if form_at is None and t.depth == 0:
            if word == "PREFIX" and k + 2 < len(toks) and toks[k + 2].kind == "iri":
                prefixes[toks[k + 1].text[:-1]] = urljoin(base, toks[k + 2].text[1:-1])
                k += 3
                continue
            if word == "BASE" and k + 1 < len(toks) and toks[k + 1].kind == "iri":
                base = urljoin(base, toks[k + 1].text[1:-1])
                k += 2
                continue
            if word in UPDATES:
                info.update = word
            if word in FORMS:
                info.form, form_at = word, k
        if word == "SERVICE":
            info.service = True
        if word == "FROM" and t.depth == 0 and form_at is not None:
            named = k + 1 < len(toks) and toks[k + 1].upper == "NAMED"
            target = toks[k + 2] if named and k + 2 < len(toks) else toks[min(k + 1, len(toks) - 1)]
            iri = _resolve(target, prefixes, base)
            (info.from_named if named else info.from_graphs).append(iri)
        k += 1
    if form_at is not None:
        _find_limit(info, toks, form_at)
    return info


def _resolve(token: Token, prefixes: dict[str, str], base: str) -> str:
    """The IRI a FROM clause names; something unresolvable is returned as written, so it
    is refused as "not in the store" rather than let through."""
    if token.kind == "iri":
        return urljoin(base, token.text[1:-1])
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
