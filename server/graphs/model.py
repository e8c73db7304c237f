"""What a graph view is made of: its kinds of node, the filters a request gives, and the
draft of nodes and edges that extraction reads out of the store (issue 7).

Nothing here reads the store or draws: ``extract`` fills a Draft, ``build`` turns it into
a graph, ``layout`` places it and ``export`` writes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from committee_kg.loaders.errors import CommitteeKGError

from ..store.store import Snapshot

SEED = 7  # of every random choice (layout, betweenness, communities): the same graph each time
SIZES = ("degree", "pagerank", "betweenness")
ITEM_TYPES = {"Report": "report", "Decision": "decision", "Consultation": "consultation"}
COMMITTEE_CODE = re.compile(r"^JP(-\d{2}(-[a-z]+)?)?$")


class GraphRequestError(CommitteeKGError):
    """A graph view asked for with a parameter it does not take."""

    http_status = 400
    title = "Bad graph request"


# -- a view and its kinds of node -------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    name: str
    ja: str
    en: str
    colour: str
    connector: bool = False  # hidden → its neighbours are linked to each other
    default: bool = True


@dataclass(frozen=True)
class View:
    name: str
    ja: str
    en: str
    description_ja: str
    description_en: str
    kinds: tuple[Kind, ...]
    extract: Callable[[Snapshot, Filters], Draft]
    projections: frozenset[tuple[str, str]] = frozenset()
    directed: bool = False
    timeline: bool = False

    def kind(self, name: str) -> Kind:
        return next(k for k in self.kinds if k.name == name)

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "label": {"ja": self.ja, "en": self.en},
            "description": {"ja": self.description_ja, "en": self.description_en},
            "directed": self.directed,
            "timeline": self.timeline,
            "kinds": [
                {
                    "name": k.name,
                    "label": {"ja": k.ja, "en": k.en},
                    "colour": k.colour,
                    "connector": k.connector,
                    "default": k.default,
                }
                for k in self.kinds
            ],
        }


# -- filters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    start: date | None = None
    end: date | None = None
    committees: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    size: str = "degree"

    def as_json(self) -> dict:
        return {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "committees": list(self.committees),
            "kinds": list(self.kinds),
            "size": self.size,
        }


def _parse_day(text: str, name: str, last: bool) -> date:
    """YYYY, YYYY-MM or YYYY-MM-DD; a year or month given as the end means its last day."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text.strip())
    try:
        if not m:
            raise ValueError
        y, mo, d = int(m[1]), m[2], m[3]
        if d:
            return date(y, int(mo), int(d))
        if mo:
            if not last:
                return date(y, int(mo), 1)
            nxt = date(y + (mo == "12"), int(mo) % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
        return date(y, 12, 31) if last else date(y, 1, 1)
    except ValueError:
        raise GraphRequestError(
            f"{name}={text!r}: give a date as YYYY, YYYY-MM or YYYY-MM-DD"
        ) from None


def parse_filters(view: View, args) -> Filters:
    """Filters from request arguments (a werkzeug MultiDict or a plain dict)."""

    def values(name: str) -> list[str]:
        raw = args.getlist(name) if hasattr(args, "getlist") else [args.get(name) or ""]
        return [v.strip() for r in raw for v in r.split(",") if v.strip()]

    start = _parse_day(args["from"], "from", False) if args.get("from") else None
    end = _parse_day(args["to"], "to", True) if args.get("to") else None
    if start and end and start > end:
        raise GraphRequestError(f"from={args['from']} is after to={args['to']}")
    committees = tuple(sorted(set(values("committee"))))
    for c in committees:
        if not COMMITTEE_CODE.match(c):
            raise GraphRequestError(f"committee={c!r}: give a code such as JP-35 or JP")
    names = {k.name for k in view.kinds}
    if "kinds" in args:
        kinds = values("kinds")
        unknown = sorted(set(kinds) - names)
        if unknown:
            raise GraphRequestError(
                f"kinds: {', '.join(unknown)} not in the {view.name} view "
                f"(it has {', '.join(k.name for k in view.kinds)})"
            )
    else:
        kinds = [k.name for k in view.kinds if k.default]
    size = args.get("size") or "degree"
    if size not in SIZES:
        raise GraphRequestError(f"size={size!r}: one of {', '.join(SIZES)}")
    order = [k.name for k in view.kinds]
    return Filters(start, end, committees, tuple(sorted(set(kinds), key=order.index)), size)


# -- extraction: facts from the store --------------------------------------------------------


@dataclass
class Draft:
    """Nodes and edges as the store states them, each with the sessions stating it."""

    nodes: dict[str, dict] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], set[str]] = field(default_factory=dict)
    dates: dict[str, str] = field(default_factory=dict)  # session IRI → date
    committees: dict[str, str] = field(default_factory=dict)  # session IRI → code
    where: dict[str, str] = field(default_factory=dict)  # IRI → a session that states it

    def session(self, meeting: str, day: str, committee_iri: str) -> str:
        self.dates[meeting] = day
        self.committees[meeting] = committee_iri.rsplit("/", 1)[1]
        return meeting

    def node(
        self, node_id: str, kind: str, session: str | None, iri: str | None = None, **attrs
    ) -> str:
        """A node (its IRI is its id unless it stands for one event of a resource)."""
        n = self.nodes.get(node_id)
        if n is None:
            n = self.nodes[node_id] = {"kind": kind, "iri": iri or node_id, "sessions": set()}
        if session:
            n["sessions"].add(session)
            self.where.setdefault(n["iri"], session)
            for key in ("outcome_iri", "body_iri", "authority_iri"):
                if attrs.get(key):
                    self.where.setdefault(attrs[key], session)
        for k, v in attrs.items():
            if v is not None:
                n.setdefault(k, v)
        return node_id

    def edge(self, u: str, v: str, kind: str, session: str) -> None:
        self.edges.setdefault((u, v, kind), set()).add(session)


def committee_order(code: str) -> tuple:
    """The national commission first, then the prefectures' by code."""
    return (code != "JP", code)
