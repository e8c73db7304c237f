"""Where a person starts: the start page (the sessions at a glance) and /search."""

from __future__ import annotations

import json
import unicodedata

from flask import Blueprint, g, jsonify, render_template, request

from committee_kg.loaders.reference import reference

from ..graphs import COMMITTEE_CODE
from ..query import catalogue
from ..query.sparql import Request
from . import site
from .describe import Reader
from .endpoint import answer
from .site import problem
from .state import state

blueprint = Blueprint("home", __name__)

LATEST = 30  # sessions the start page lists when no commission or year is chosen
SEARCH_ROWS = 100  # hits /search shows (the count past it is not known: it says "more")
SEARCH_NAMES = 20  # members, officers, commissions and topics /search lists by name
SNIPPET = 60  # characters either side of a hit that /search quotes


@blueprint.get("/")
def index():
    """The start page: a search box first, then the sessions at a glance — how many
    each commission held each year (each count links to those sessions) and the latest;
    ``?committee=JP-35&year=2025`` lists one commission's sessions, of a year or of all
    years. A page of every session would not load at 40,000."""
    holder = state()["holder"]
    sessions = holder.sessions()
    committee = request.args.get("committee", "").strip()
    year = request.args.get("year", "").strip()
    if committee and not COMMITTEE_CODE.match(committee):
        return problem(400, "Bad request", f"committee {committee!r} is not a code like JP-35")
    if year and not (year.isdigit() and len(year) == 4):
        return problem(400, "Bad request", f"year {year!r} is not a year like 2025")
    years = sorted({s.date[:4] for s in sessions})
    counts: dict[str, dict[str, int]] = {}
    for s in sessions:
        row = counts.setdefault(s.committee, {})
        row[s.date[:4]] = row.get(s.date[:4], 0) + 1
    if committee or year:
        shown = [
            s
            for s in sessions
            if (not committee or s.committee == committee) and (not year or s.date.startswith(year))
        ]
    else:
        shown = sessions[-LATEST:][::-1]
    reader = _reader()
    return render_template(
        "index.html",
        total=len(sessions),
        years=years,
        counts=sorted(counts.items(), key=lambda kv: (kv[0] != "JP", kv[0])),
        committees={c.code: c for c in reference().committees.values()},
        shown=[(s, reader.label(s.meeting)) for s in shown],
        committee=committee,
        year=year,
        generation=holder.generation(),
    )


def _reader() -> Reader:
    snapshot = state()["holder"].get()
    g.ckg_base = snapshot.base
    return Reader.of(snapshot, state()["labels"])


@blueprint.get("/search")
def search():
    """Titles, officers' explanations and remarks that contain the words, and the members,
    officers, commissions and topics so named. HTML for people, JSON for programs (also at
    /api/search). The texts come from the generation's full-text index, ranked (newest
    first for a word in very many); a generation published before the index existed is
    scanned by the catalogue's text-search in a query worker, newest first."""
    q = unicodedata.normalize("NFKC", request.args.get("q", "")).strip()
    hits, names, more = [], [], False
    if q:
        hits, more = _texts(q)
        named, _ = answer(Request(_names_query(q), results="json", max_rows=SEARCH_NAMES))
        names = [b["node"]["value"] for b in json.loads(named.body)["results"]["bindings"]]
    if not site.wants_html() or request.path.startswith("/api/"):
        return jsonify({"q": q, "results": hits, "names": names, "truncated": more})
    reader = _reader()
    shown = [
        {
            "where": h["where"],
            "node": reader.label(h["node"]),
            "meeting": reader.label(h["meeting"]),
            "date": h["date"],
            "parts": _snippet(h["found"], q),
        }
        for h in hits
    ]
    return render_template(
        "search.html",
        q=q,
        hits=shown,
        names=[reader.label(n) for n in names],
        more=more,
        limit=SEARCH_ROWS,
    )


blueprint.add_url_rule("/api/search", view_func=search, endpoint="api_search")


def _texts(q: str) -> tuple[list[dict], bool]:
    """The texts that contain q, as (meeting, date, where, node, found) rows, and whether
    there were more than SEARCH_ROWS."""
    snapshot = state()["holder"].get()
    index = snapshot.text_index()
    if index is not None:
        with index:
            found, more = index.search(q, SEARCH_ROWS)
        rows = [
            {"meeting": h.meeting, "date": h.date, "where": h.kind, "node": h.node, "found": h.text}
            for h in found
        ]
        return rows, more
    text = catalogue.get("text-search").render({"text": q}, snapshot.base)
    # newest first, so that the cut keeps the newest (the catalogue lists by date)
    text = text.replace("ORDER BY ?date", "ORDER BY DESC(?date)")
    result, _ = answer(Request(text, results="json", max_rows=SEARCH_ROWS))
    bindings = json.loads(result.body)["results"]["bindings"]
    return [{k: v["value"] for k, v in b.items()} for b in bindings], result.truncated


def _names_query(text: str) -> str:
    """Members, officers, commissions and topics whose labels contain the text."""
    literal = json.dumps(text, ensure_ascii=False)  # a JSON string is a SPARQL string too
    return f"""PREFIX ckg: <https://w3id.org/committee-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?node WHERE {{
  VALUES ?type {{ ckg:Member ckg:Officer ckg:Committee skos:Concept }}
  ?node a ?type ; rdfs:label|skos:prefLabel|skos:altLabel ?label .
  FILTER(CONTAINS(?label, {literal}))
}} ORDER BY STRLEN(STR(?node)) ?node"""


def _snippet(text: str, q: str) -> tuple[str, str, str, str, str]:
    """(…, before, the match, after, …): the words around the first match, for a <mark>."""
    text = " ".join(text.split())
    at = text.find(q)
    if at < 0:
        return ("", text[: 2 * SNIPPET], "", "", "…" if len(text) > 2 * SNIPPET else "")
    lo, hi = max(0, at - SNIPPET), min(len(text), at + len(q) + SNIPPET)
    return (
        "…" if lo > 0 else "",
        text[lo:at],
        text[at : at + len(q)],
        text[at + len(q) : hi],
        "…" if hi < len(text) else "",
    )
