"""The catalogue of named queries in ``queries/``: each ``.rq`` file is a runnable query
whose header comment gives its title and description (ja and en) and its parameters.

Header lines (``#`` comments before the query)::

    # title@en: Agenda items per officer per year
    # title@ja: 説明者別・年別の議題数
    # description@en: …
    # description@ja: …
    # param ?committee iri under=id/committee/ example=JP-35: the commission; all if omitted
    # param ?text string required example=援助: the words to look for
    # index ?text ?node ?date title explanation: the full-text index answers for ?text

An ``index`` line says that the store's full-text index can find the values of ?node whose
texts contain the parameter ?text, by ?date (the query's first sort key): a request then
binds ?node to those, beside ?text in each of its VALUES blocks, and the query itself still
checks every row, so the index narrows the scan without answering in its place
(query/textsearch.py). The words after ?date, if any, name the kind of text (as the index
says: title, explanation, remark) each of those blocks looks in, in order: a block then
gets only the nodes whose text of that kind matched.

Parameters are bound through ``VALUES (?a ?b) { (UNDEF UNDEF) }`` blocks (one, or one per
UNION branch or sub-select that needs the value, since a VALUES binds only inside its own
group): the file runs as it is in the editor (every parameter unbound), and a request
replaces each block with the values given — plain SPARQL that every engine evaluates alike, unlike
engine-specific substitution. An ``iri`` parameter with ``under=`` also takes the part
after ``<base>/<under>`` (``JP-35`` for a committee), so users need not type the base.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from committee_kg.data import QUERIES_DIR
from committee_kg.loaders.errors import QueryError
from committee_kg.loaders.vocab import DEFAULT_BASE

TYPES = ("iri", "string", "integer", "date")
_HEADER = re.compile(r"^#\s*(title|description)@(ja|en):\s*(.*?)\s*$")
_PARAM = re.compile(r"^#\s*param\s+\?(\w+)\s+(\w+)((?:\s+[\w]+(?:=\S+)?)*)\s*:\s*(.*?)\s*$")
_VALUES = re.compile(r"VALUES\s*\(([^)]*)\)\s*\{\s*\(\s*((?:UNDEF\s*)+)\)\s*\}", re.IGNORECASE)
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_INDEX = re.compile(r"^#\s*index\s+\?(\w+)\s+\?(\w+)\s+\?(\w+)((?:\s+\w+)*)\s*:\s*(.*?)\s*$")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    help: str
    required: bool = False
    under: str | None = None  # an iri parameter may be given relative to <base><under>
    example: str | None = None

    def term(self, value: str, base: str) -> str:
        """The value as a SPARQL term, or QueryError saying what is wrong with it."""
        bad = QueryError(f"parameter ?{self.name}: {value!r} is not a valid {self.type}")
        if self.type == "iri":
            iri = value
            if self.under and not re.match(r"^[a-z][a-z0-9+.-]*:", value):
                iri = base + self.under + value
            if not iri or _IRI_BAD.search(iri):
                raise bad
            return f"<{iri}>"
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?\d{1,18}", value):
                raise bad
            return str(int(value))
        if self.type == "date":
            try:
                day = date.fromisoformat(value)
            except ValueError:
                raise bad from None
            return f'"{day.isoformat()}"^^<http://www.w3.org/2001/XMLSchema#date>'
        escaped = (
            value.replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
        return f'"{escaped}"'

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "type": self.type,
            "required": self.required,
            "under": self.under,
            "example": self.example,
            "description": self.help,
        }


@dataclass(frozen=True)
class CatalogueQuery:
    name: str
    title: dict[str, str]
    description: dict[str, str]
    params: tuple[Param, ...]
    text: str
    index: Index | None = None

    def render(
        self, values: dict[str, str], base: str, nodes: list[tuple[str, str]] | None = None
    ) -> str:
        """The query with the given parameter values bound (unknown names are an error);
        with ``nodes`` ((node, kind) pairs from the index), the ``index`` line's node
        variable bound to them wherever its parameter is (each must be an IRI)."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise QueryError(
                f"query {self.name!r} has no parameter {', '.join('?' + u for u in unknown)} "
                f"(it takes: {', '.join('?' + p for p in known) or 'none'})"
            )
        for p in self.params:
            if p.required and not values.get(p.name):
                raise QueryError(f"query {self.name!r} needs the parameter ?{p.name}: {p.help}")
        # the queries name the store's own graphs under the default base (the topics graph)
        text = self.text.replace(DEFAULT_BASE + "graph/", base + "graph/")
        blocks = list(_VALUES.finditer(text))
        narrowed: dict[int, str] = {}  # block -> its VALUES for the node variable
        if nodes is not None and self.index is not None:
            index = self.index
            searching = [k for k, m in enumerate(blocks) if index.param in _names(m)]
            kinds = index.kinds or (None,) * len(searching)
            for k, kind in zip(searching, kinds, strict=True):
                mine = dict.fromkeys(n for n, of in nodes if kind is None or of == kind)
                narrowed[k] = f" VALUES ?{index.node} {{ {_iris(list(mine))} }}"
        for k, m in reversed(list(enumerate(blocks))):
            block = [known[v] for v in _names(m)]
            given = [(p, values[p.name]) for p in block if values.get(p.name)]
            if given:
                names = " ".join(f"?{p.name}" for p, _ in given)
                terms = " ".join(p.term(v, base) for p, v in given)
                bound = f"VALUES ({names}) {{ ({terms}) }}"
                if k in narrowed and values.get(self.index.param):
                    bound += narrowed[k]
            else:
                bound = ""
            text = text[: m.start()] + bound + text[m.end() :]
        return text

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "params": [p.as_json() for p in self.params],
            "query": self.text,
        }


@dataclass(frozen=True)
class Index:
    """What an ``index`` line says: the full-text index finds ``node`` for ``param``."""

    param: str
    node: str
    date: str
    kinds: tuple[str, ...]  # what each VALUES block of param looks in, in order; () all
    help: str


def _names(m: re.Match) -> list[str]:
    """The variables a VALUES block binds, without their ? or $."""
    return [v.lstrip("?$") for v in m.group(1).split()]


def _iris(nodes: list[str]) -> str:
    for n in nodes:
        if not _SCHEME.match(n) or _IRI_BAD.search(n):
            raise ValueError(f"not an IRI: {n!r}")
    return " ".join(f"<{n}>" for n in nodes)


def parse(name: str, text: str) -> CatalogueQuery:
    """One catalogue file; QueryError when its header or parameter block is malformed."""
    title: dict[str, str] = {}
    description: dict[str, str] = {}
    params: list[Param] = []
    index = None
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        if m := _INDEX.match(line):
            param, node, day, kinds, help_ = m.groups()
            index = Index(param, node, day, tuple(kinds.split()), help_)
        elif m := _HEADER.match(line):
            (title if m.group(1) == "title" else description)[m.group(2)] = m.group(3)
        elif m := _PARAM.match(line):
            pname, ptype, flags, phelp = m.groups()
            if ptype not in TYPES:
                raise QueryError(f"queries/{name}.rq: parameter ?{pname} has unknown type {ptype}")
            opts = dict(f.partition("=")[::2] for f in flags.split())
            params.append(
                Param(
                    pname,
                    ptype,
                    phelp,
                    required="required" in opts,
                    under=opts.get("under") or None,
                    example=opts.get("example") or None,
                )
            )
    for field, value in (("title", title), ("description", description)):
        if set(value) != {"ja", "en"}:
            raise QueryError(f"queries/{name}.rq: the header needs {field}@ja and {field}@en")
    blocks = [
        ([v.lstrip("?$") for v in m.group(1).split()], len(m.group(2).split()))
        for m in _VALUES.finditer(text)
    ]
    declared = {p.name for p in params}
    used = {v for names, _ in blocks for v in names}
    if used != declared or any(len(names) != n for names, n in blocks):
        raise QueryError(
            f"queries/{name}.rq: it declares {', '.join(sorted('?' + p for p in declared))} but "
            "its VALUES (…) { (UNDEF …) } blocks bind "
            f"{', '.join(sorted('?' + v for v in used)) or 'nothing'}"
        )
    if index is not None and index.param not in declared:
        raise QueryError(f"queries/{name}.rq: its index line names no parameter ?{index.param}")
    searching = sum(index.param in names for names, _ in blocks) if index else 0
    if index is not None and index.kinds and len(index.kinds) != searching:
        raise QueryError(
            f"queries/{name}.rq: its index line names {len(index.kinds)} kinds of text for "
            f"{searching} VALUES blocks of ?{index.param}"
        )
    return CatalogueQuery(name, title, description, tuple(params), text, index)


@lru_cache(maxsize=4)
def _load(directory: str, stamp: tuple) -> dict[str, CatalogueQuery]:
    return {
        p.stem: parse(p.stem, p.read_text(encoding="utf-8"))
        for p in sorted(Path(directory).glob("*.rq"))
    }


def catalogue(directory: Path = QUERIES_DIR) -> dict[str, CatalogueQuery]:
    """Every catalogue query by name (re-read when a file changes)."""
    files = sorted(Path(directory).glob("*.rq"))
    return _load(str(directory), tuple((p.name, p.stat().st_mtime_ns) for p in files))


def get(name: str, directory: Path = QUERIES_DIR) -> CatalogueQuery:
    found = catalogue(directory).get(name)
    if found is None:
        raise QueryError(f"no catalogue query named {name!r} (see /api/queries)")
    return found
