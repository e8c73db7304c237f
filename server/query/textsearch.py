"""Catalogue queries that the generation's full-text index narrows (issue 19): the
text-search scanned every title, explanation and remark with ``CONTAINS``, growing with the
store.

A query whose header has an ``index`` line (``catalogue.py``) is sent to a worker with its
name and parameters beside its text. The worker asks the generation's index for the nodes
whose texts contain the parameter, in the query's order by date and only as many as the
row cap can show (``TextIndex.by_date``), and runs the same query with its node variable
bound to them (in each branch, those whose text of the branch's kind matched): the
columns, the order and the cut come from the query text as before, and its ``CONTAINS``
still checks each row. It runs in the worker, under the time limit and the memory cap like
any query. A generation published before the index existed (or a query the index cannot
look for, whitespace alone) is scanned as the query is written.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..store.store import Snapshot
from . import catalogue
from .sparql import Request, Result, execute

# the outer query's ORDER BY: its first key, ascending or DESC(…)
_ORDER = re.compile(r"ORDER\s+BY\s+(?:(?:ASC\s*\(\s*)?\?(\w+)|DESC\s*\(\s*\?(\w+))", re.IGNORECASE)


def catalogue_request(name: str, params: dict[str, str], base: str, **kw) -> Request:
    """The request for a catalogue query (QueryError for an unknown name or a bad value)."""
    query = catalogue.get(name)
    text = query.render(params, base)
    if query.index is None:
        return Request(text, **kw)
    return Request(text, catalogue=(name, tuple(sorted(params.items())), base), **kw)


def run(snapshot: Snapshot, request: Request) -> Result:
    """One request on a generation, narrowed by its full-text index where it can be."""
    return execute(snapshot.db, narrowed(snapshot, request) or request)


def narrowed(snapshot: Snapshot, request: Request) -> Request | None:
    """The request with its node variable bound to what the index finds; None when the
    query has no index line or the generation no index."""
    if request.catalogue is None:
        return None
    name, params, base = request.catalogue
    query = catalogue.get(name)
    if query.index is None:
        return None
    values = dict(params)
    index = snapshot.text_index()
    if index is None:
        return None
    order = _first_key(query.text)
    cut = order is not None and order[0] == query.index.date
    with index:
        try:
            nodes = index.by_date(
                values.get(query.index.param, ""),
                request.max_rows + 1 if cut else None,  # one more: whether the cap cut it
                newest_first=cut and order[1],
            )
        except ValueError:  # nothing the index can look for
            return None
    try:
        text = query.render(values, base, nodes)
    except ValueError:  # a node that is not an IRI (a blank node) cannot be bound by name
        return None
    return replace(request, query=text, catalogue=None)


def _first_key(text: str) -> tuple[str, bool] | None:
    """The outer query's first sort key and whether it is descending."""
    found = list(_ORDER.finditer(text))
    if not found:
        return None
    ascending, descending = found[-1].groups()
    return (descending, True) if descending else (ascending, False)
