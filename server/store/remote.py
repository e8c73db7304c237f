"""A store on a SPARQL 1.1 server (issue 20): the same interface as the embedded store, over
HTTP. Every difference between servers is handled here, in ``Dialect``; the rest of the
code reads a ``RemoteDB`` as it reads a pyoxigraph store (``query``, ``quads_for_pattern``,
``named_graphs``, ``contains_named_graph``, ``dump``), since query answers are parsed into
pyoxigraph's own result types and written by its serializers as the embedded store's are.

Writing (``RemoteStore``): a session's named graph is replaced by one Graph Store Protocol
``PUT`` (the server stores the whole graph or none of it) and removed by a ``DELETE``. The
default graph must be the merge of the stored graphs as a set (issue 15), and a server's
default graph is not always that:

- Virtuoso's default graph, without ``FROM``, is every graph at once, a triple once per graph
  that states it (as pyoxigraph's union, oxigraph issue 1919), and it has no real default
  graph to keep a merge in. The merge is kept in a graph of its own, ``<base>graph/merge``,
  and every query without a dataset of its own is read with that graph as its default graph
  and without it among the named graphs (Virtuoso's ``define input:default-graph-uri`` and
  ``input:named-graph-exclude``).
- Any other server (Oxigraph server, Fuseki without ``unionDefaultGraph``) keeps the merge in
  its real default graph, which a query reads as it is.

Either way the merge is changed as the embedded store changes it: around the ``PUT`` (or the
``DELETE``), a triple leaves the merge only when no other graph states it, and the new
graph's triples go in. Those are three requests, not one transaction: the graph being
changed is first noted in ``<base>graph/merge-pending``, and whoever opens the store next
merges every graph noted there again (idempotent), as the embedded store publishes what an
interrupted run stored.

Readers see changes at once (a server has no generations); the statistics graph is computed
by ``publish`` as the embedded store computes it, and a counter in the pending graph's
neighbour, ``<base>graph/store``, says which publication a reader sees (the caches key on
it).
"""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from committee_kg.loaders.errors import (
    QueryError,
    QueryRefused,
    QueryTimeout,
    StoreError,
    StoreWriteError,
)
from committee_kg.loaders.vocab import DEFAULT_BASE, Minter

from ..query.querytext import analyse, tokens
from ..settings import default, is_url
from . import statistics
from .store import Snapshot, Store, as_stored, insert_data, list_sessions, source_of

JSON_RESULTS = "application/sparql-results+json"
XML_RESULTS = "application/sparql-results+xml"
NTRIPLES = "application/n-triples"
ACCEPT = f"{JSON_RESULTS}, {XML_RESULTS};q=0.5"
GRAPH_ACCEPT = f"{NTRIPLES}, text/plain;q=0.9, text/turtle;q=0.8"
COUNTER = "http://www.w3.org/ns/dcat#version"  # <base>graph/store's publication counter
PENDING = "https://w3id.org/committee-kg/ontology#mergePending"

# the update and Graph Store Protocol URLs a server conventionally has beside its query URL
CONVENTIONS = (
    ("/sparql", "/sparql-auth", "/sparql-graph-crud-auth"),  # Virtuoso
    ("/query", "/update", "/store"),  # Oxigraph server
)


@dataclass(frozen=True)
class Location:
    """Where a SPARQL server takes queries, updates and graphs, and as whom."""

    query: str
    update: str
    graphs: str
    user: str = ""
    password: str = ""

    @classmethod
    def of(cls, url: str) -> Location:
        """The query URL given as the store, and the other URLs and the credentials from the
        settings (``store_update``, ``store_graphs``, ``store_user``, ``store_password``,
        also as COMMITTEE_KG_…), else beside the query URL as the server has them."""
        update, graphs = default("store_update"), default("store_graphs")
        for query_tail, update_tail, graphs_tail in CONVENTIONS:
            if url.endswith(query_tail):
                stem = url[: -len(query_tail)]
                update = update or stem + update_tail
                graphs = graphs or stem + graphs_tail
        return cls(
            url, update or url, graphs or url, default("store_user"), default("store_password")
        )


class Dialect:
    """What one server needs said differently; the default is SPARQL 1.1 as written."""

    name = "sparql"
    merge_in_named_graph = False  # the merge is in the real default graph

    def query(self, text: str, merge: str, dataset: bool) -> str:
        return text

    def merge_target(self, merge: str) -> tuple[str, str]:
        """How an update names the merge: (before its triples, after them)."""
        return "", ""


class Virtuoso(Dialect):
    """Virtuoso 7: no real default graph, and its union of graphs repeats triples."""

    name = "virtuoso"
    merge_in_named_graph = True

    def query(self, text: str, merge: str, dataset: bool) -> str:
        refuse_extensions(text)
        # the merge as the default graph, unless the query names a dataset of its own (FROM,
        # or the protocol's graph parameters); and never a graph GRAPH ?g finds
        # (input:named-graph-exclude would take it out of the default graph too)
        text, named = hide_graph(text, merge)
        pragmas = "".join(f"define input:named-graph-uri <{g}>\n" for g in dict.fromkeys(named))
        if not dataset:
            pragmas = f"define input:default-graph-uri <{merge}>\n" + pragmas
        return pragmas + text

    def merge_target(self, merge: str) -> tuple[str, str]:
        return f"GRAPH <{merge}> {{ ", " }"


def refuse_extensions(text: str) -> None:
    """Virtuoso's own pragmas (``define get:soft …`` has it fetch a URL, ``define
    input:…`` changes the dataset) and its SQL functions (``bif:``, ``sql:``) are refused:
    the front answers SPARQL 1.1 as the embedded store does, and makes the server fetch
    nothing."""
    for t in tokens(text):
        if t.upper == "DEFINE" and t.kind not in ("string", "iri"):
            raise QueryRefused(
                "Virtuoso's DEFINE pragmas are refused: this endpoint takes SPARQL 1.1 queries"
            )
        if t.kind not in ("string", "iri") and t.text.lower().startswith(("bif:", "sql:")):
            raise QueryRefused(
                f"{t.text}: Virtuoso's SQL functions (bif:, sql:) are refused: this endpoint "
                "takes SPARQL 1.1 queries"
            )


def hide_graph(text: str, graph: str) -> tuple[str, list[str]]:
    """Each ``GRAPH ?var { … }`` of the query as ``{ GRAPH ?var { … } FILTER(?var !=
    <graph>) }``: the same solutions, without the graph kept for the server's own use.
    Returns the query and the graphs it names in ``GRAPH <iri>``: with a default graph
    given, Virtuoso finds those only among the named graphs given, so they are declared
    when the query names no variable graph; when it does, each is read as ``{ VALUES ?v {
    <iri> } GRAPH ?v { … } }`` (a ``SELECT *`` then shows ?v: the README says so)."""
    found = tokens(text)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
    variable = [i for i in range(len(found) - 2) if _graph_block(found, i, "var")]
    constant = [i for i in range(len(found) - 2) if _graph_block(found, i, "iri")]
    for i in variable:
        if (close := _closing(found, i + 2)) is not None:
            at, var = found[i].start, found[i + 1].text
            edits += [(at, at, "{ "), (close.end, close.end, f" FILTER({var} != <{graph}>) }}")]
    names = [found[i + 1].text[1:-1] for i in constant]
    if variable:
        for n, i in enumerate(constant):
            if (close := _closing(found, i + 2)) is None:
                continue
            at, iri, var = found[i].start, found[i + 1], f"?ckg_graph_{n}"
            edits += [
                (at, at, f"{{ VALUES {var} {{ {iri.text} }} "),
                (iri.start, iri.end, var),
                (close.end, close.end, " }"),
            ]
        names = []
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text, names


def _graph_block(found: list, i: int, kind: str) -> bool:
    return found[i].upper == "GRAPH" and found[i + 1].kind == kind and found[i + 2].text == "{"


def _closing(found: list, opening: int):
    depth = found[opening].depth
    return next(
        (
            u
            for u in found[opening + 1 :]
            if u.kind == "punct" and u.text == "}" and u.depth == depth
        ),
        None,
    )


def dialect_of(server_header: str) -> Dialect:
    return Virtuoso() if server_header.lower().startswith("virtuoso") else Dialect()


class Endpoint:
    """HTTP to one SPARQL server: queries, updates, graphs; errors as our own."""

    def __init__(self, location: Location, timeout: float | None = None):
        self.location = location
        self.timeout = timeout or default("timeout")
        self.max_answer = default("store_max_answer_bytes")
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        if location.user:
            for url in (location.query, location.update, location.graphs):
                passwords.add_password(None, url, location.user, location.password)
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPDigestAuthHandler(passwords),
            urllib.request.HTTPBasicAuthHandler(passwords),
        )
        self.server = ""

    def request(
        self,
        url: str,
        *,
        data: bytes | None = None,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        timeout: float | None = None,
        what: str = "",
    ) -> tuple[str, bytes]:
        """(content type, body); QueryError for what the server refused as a bad request,
        StoreError when it cannot be reached or refuses us."""
        req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
        try:
            with self._opener.open(req, timeout=timeout or self.timeout) as r:
                self.server = self.server or r.headers.get("Server", "")
                if state := r.headers.get("X-SQL-State"):  # Virtuoso's anytime answer: a part
                    asked = what or "the request"
                    raise QueryTimeout(
                        f"the SPARQL server gave only part of its answer to {asked} "
                        f"(X-SQL-State {state}: its own time or memory limit)"
                    )
                body = r.read(self.max_answer + 1)  # never more than the cap in memory
                if len(body) > self.max_answer:
                    raise QueryError(
                        f"the SPARQL server's answer to {what or 'the request'} is larger than "
                        f"{self.max_answer:,} bytes (store_max_answer_bytes): ask for fewer "
                        "rows (LIMIT) or less of each"
                    )
                return r.headers.get_content_type(), body
        except urllib.error.HTTPError as exc:
            body = exc.read().decode("utf-8", "replace")
            message = _first_lines(body) or exc.reason
            if exc.code in (400, 422):
                raise QueryError(
                    f"the SPARQL server refused {what or 'the request'}: {message}"
                ) from None
            if exc.code in (401, 403):
                raise StoreError(
                    f"the SPARQL server refused {what or 'the request'} ({exc.code}): give "
                    "store_user and store_password that may write (Virtuoso: the SPARQL_UPDATE "
                    "role)",
                    file=url,
                ) from None
            raise StoreError(
                f"the SPARQL server answered {exc.code} to {what or 'the request'}: {message}",
                file=url,
            ) from None
        except TimeoutError:
            raise StoreError(
                f"the SPARQL server did not answer {what or 'the request'} within "
                f"{timeout or self.timeout:g} s",
                file=url,
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StoreError(f"cannot reach the SPARQL server: {reason}", file=url) from None

    def select(
        self, text: str, params: Sequence[tuple[str, str]] = (), accept: str = ACCEPT
    ) -> tuple[str, bytes]:
        data = urllib.parse.urlencode([("query", text), *params]).encode("utf-8")
        return self.request(
            self.location.query,
            data=data,
            method="POST",
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
            what="the query",
        )

    def update(self, text: str) -> None:
        data = urllib.parse.urlencode({"update": text}).encode("utf-8")
        self.request(
            self.location.update,
            data=data,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            timeout=max(self.timeout, 600),
            what="an update",
        )

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        self.request(
            self._graph_url(graph),
            data=ntriples,
            method="PUT",
            headers={"Content-Type": NTRIPLES},
            timeout=max(self.timeout, 600),
            what=f"storing the graph <{graph}>",
        )

    def delete_graph(self, graph: str) -> None:
        self.request(
            self._graph_url(graph),
            method="DELETE",
            timeout=max(self.timeout, 600),
            what=f"removing the graph <{graph}>",
        )

    def _graph_url(self, graph: str) -> str:
        sep = "&" if "?" in self.location.graphs else "?"
        return self.location.graphs + sep + urllib.parse.urlencode({"graph": graph})


def _first_lines(body: str, n: int = 3) -> str:
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    return " ".join(lines[:n])[:500]


class RemoteDB:
    """A SPARQL server read as the code reads a pyoxigraph store."""

    def __init__(self, endpoint: Endpoint, base: str = DEFAULT_BASE):
        self.endpoint = endpoint
        self.base = base
        self.merge = base + "graph/merge"
        self.own = {self.merge, base + "graph/merge-pending", base + "graph/store"}

    @cached_property
    def dialect(self) -> Dialect:
        if not self.endpoint.server:
            self.endpoint.select("ASK {}")
        return dialect_of(self.endpoint.server)

    def query(
        self,
        text: str,
        *,
        default_graph: ox.NamedNode | ox.DefaultGraph | Sequence | None = None,
        named_graphs: Sequence[ox.NamedNode] | None = None,
        **_ignored,
    ):
        """The answer as pyoxigraph gives it: QuerySolutions, QueryBoolean, or triples."""
        params = []
        if isinstance(default_graph, ox.NamedNode):
            default_graph = [default_graph]
        if isinstance(default_graph, list | tuple):
            params += [("default-graph-uri", g.value) for g in default_graph]
        params += [("named-graph-uri", g.value) for g in named_graphs or ()]
        info = analyse(text)
        dataset = bool(params or info.from_graphs or info.from_named)
        sent = self.dialect.query(text, self.merge, dataset)
        # a graph is asked for as N-Triples: some servers would write it as a table otherwise
        accept = GRAPH_ACCEPT if info.form in ("CONSTRUCT", "DESCRIBE") else ACCEPT
        kind, body = self.endpoint.select(sent, params, accept)
        try:
            if kind == JSON_RESULTS:
                return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
            if kind in (XML_RESULTS, "application/xml"):
                return ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
            if kind in (NTRIPLES, "text/plain"):
                return iter(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES)))
            if kind in ("text/turtle", "application/x-turtle"):
                return iter(list(ox.parse(body, format=ox.RdfFormat.TURTLE)))
        except SyntaxError as exc:
            raise QueryError(
                f"the SPARQL server's answer could not be read ({kind}): {exc}"
            ) from None
        raise QueryError(f"the SPARQL server answered in {kind or 'no known format'}")

    def update(self, text: str) -> None:
        self.endpoint.update(text)

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        """The graphs stored under this base (a server holds graphs of its own too)."""
        rows = self.query(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
            f'FILTER(STRSTARTS(STR(?g), "{self.base}graph/")) }}'
        )
        for row in rows:
            if row["g"].value not in self.own:
                yield row["g"]

    def contains_named_graph(self, graph: ox.NamedNode) -> bool:
        if graph.value in self.own:
            return False
        return bool(self.query(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}"))

    def quads_for_pattern(self, s=None, p=None, o=None, g=None) -> Iterator[ox.Quad]:
        """Quads as pyoxigraph yields them: with g None, the named graphs' and the default
        graph's (the merge) both."""
        terms = [t if t is not None else ox.Variable(v) for t, v in ((s, "s"), (p, "p"), (o, "o"))]
        pattern = " ".join(str(t) for t in terms) + " ."
        if g is not None and not isinstance(g, ox.DefaultGraph):
            where = f"GRAPH {g} {{ {pattern} }}"
        elif isinstance(g, ox.DefaultGraph):
            where = pattern
        else:
            where = f"{{ GRAPH ?g {{ {pattern} }} }} UNION {{ {pattern} }}"
        for row in self.query(f"SELECT ?s ?p ?o ?g WHERE {{ {where} }}"):
            graph = g if g is not None else (row["g"] if row["g"] is not None else None)
            yield ox.Quad(s or row["s"], p or row["p"], o or row["o"], graph or ox.DefaultGraph())

    def dump(self, output=None, format=None, *, from_graph=None) -> bytes:
        """A named graph as N-Triples (what the dump and revalidation read)."""
        triples = [q.triple for q in self.quads_for_pattern(None, None, None, from_graph)]
        return ox.serialize(triples, format=format or ox.RdfFormat.N_TRIPLES)

    def publication(self) -> str:
        """The publication counter ('0' before the first publish)."""
        rows = self.query(
            f"SELECT ?n WHERE {{ GRAPH <{self.base}graph/store> {{ ?x <{COUNTER}> ?n }} }}"
        )
        return next((row["n"].value for row in rows), "0")


def remote_db(url: str, base: str | None = None, timeout: float | None = None) -> RemoteDB:
    return RemoteDB(Endpoint(Location.of(url), timeout), base or default("base"))


class RemoteSnapshot:
    """The reading side of a store on a server: what ``Snapshot`` is for a directory. Its
    ``generation`` is the server's publication counter, so every front on one server keys
    its caches alike; ``is_current`` asks the server at most every ``RECHECK`` seconds."""

    RECHECK = 1.0

    def __init__(self, url: str, base: str | None = None, timeout: float | None = None):
        self.path = url
        self.db = remote_db(url, base, timeout)
        self.base = self.db.base
        self.minter = Minter(self.base)
        self.generation = "remote-" + self.db.publication()
        self._checked = time.monotonic()

    def is_current(self) -> bool:
        if time.monotonic() - self._checked < self.RECHECK:
            return True
        try:
            current = "remote-" + self.db.publication() == self.generation
        except StoreError:
            return True  # the server is away: keep what we had, the next look will tell
        self._checked = time.monotonic()
        return current

    def query(self, sparql: str, **kw):
        return self.db.query(sparql, **kw)

    def sessions(self, triples: bool = True):
        return list_sessions(self.db, triples)

    def text_index(self):
        return None  # the catalogue's text-search scans on the server


class RemoteStore:
    """The writable side of a store on a SPARQL server: ``replace_graph``, ``remove``,
    ``publish`` as the embedded ``Store`` has them."""

    def __init__(self, url: str, base: str | None = None):
        self.path = url
        self.db = remote_db(url, base)
        self.base = self.db.base
        self.minter = Minter(self.base)
        self.pending = self.base + "graph/merge-pending"
        self.unpublished = False
        self.recovered: str | None = None
        self._finish_pending()

    # -- the merge -----------------------------------------------------------------------

    def _into_merge(self) -> str:
        """The triple template ?s ?p ?o, in the merge wherever this server keeps it."""
        before, after = self.db.dialect.merge_target(self.db.merge)
        return f"{before}?s ?p ?o{after}"

    def _unmerge(self, graph: str) -> str:
        """Out of the merge, each triple of this graph that no other graph states."""
        exclude = " && ".join(f"?other != <{g}>" for g in (graph, *sorted(self.db.own)))
        return (
            f"DELETE {{ {self._into_merge()} }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER({exclude}) }} }}"
        )

    def _merge(self, graph: str) -> str:
        """Every triple of this graph into the merge (once: a graph is a set)."""
        return f"INSERT {{ {self._into_merge()} }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"

    def _note(self, graph: str) -> str:
        return f"INSERT DATA {{ GRAPH <{self.pending}> {{ <{graph}> <{PENDING}> true }} }}"

    def _done(self, graph: str) -> str:
        return f"DELETE DATA {{ GRAPH <{self.pending}> {{ <{graph}> <{PENDING}> true }} }}"

    def _finish_pending(self) -> None:
        """Graphs an interrupted run was changing: merged again (idempotent), and published."""
        rows = self.db.query(
            f"SELECT ?g WHERE {{ GRAPH <{self.pending}> {{ ?g <{PENDING}> ?x }} }}"
        )
        pending = [row["g"].value for row in rows]
        for graph in pending:
            self.db.update(f"{self._merge(graph)} ;\n{self._done(graph)}")
        if pending:
            self.unpublished = True
            self.recovered = self.publish()

    # -- writing -------------------------------------------------------------------------

    def load_reference(self) -> bool:
        return Store.load_reference(self)  # the same graphs, through replace_graph

    def stored(self, graph: str) -> set[ox.Triple]:
        return {q.triple for q in self.db.quads_for_pattern(None, None, None, ox.NamedNode(graph))}

    def replace_graph(self, graph_name, graph) -> bool:
        """Replace a named graph with one Graph Store Protocol PUT, and the merge with it;
        return whether anything changed."""
        name = str(graph_name)
        data = graph if isinstance(graph, bytes) else graph.serialize(format="nt", encoding="utf-8")
        new = set(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        if not new and not self.db.contains_named_graph(ox.NamedNode(name)):
            return False
        stored = self.stored(name)
        canonical = {q.triple for q in as_stored(insert_data(data, name))}
        if stored in (new, canonical):
            return False
        # what the embedded store would hold: its canonical form of each literal (e.g.
        # "5"^^xsd:nonNegativeInteger is kept as xsd:integer), so that a server and the
        # embedded store hold, dump and answer the same terms
        self._write(name, ox.serialize(sorted(canonical, key=str), format=ox.RdfFormat.N_TRIPLES))
        return True

    def _write(self, name: str, data: bytes | None) -> None:
        self.unpublished = True
        self.db.update(f"{self._note(name)} ;\n{self._unmerge(name)}")
        if data is None:
            self.db.endpoint.delete_graph(name)
        else:
            self.db.endpoint.put_graph(name, data)
        self.db.update(f"{self._merge(name)} ;\n{self._done(name)}")

    def remove(self, meeting: str) -> bool:
        from rdflib import URIRef

        graph = str(self.minter.meeting_graph(URIRef(meeting)))
        if not self.db.contains_named_graph(ox.NamedNode(graph)):
            return False
        self._write(graph, None)
        return True

    def keep_source(self, path, sha256: str):
        return None  # a server keeps graphs, not files: `reingest` needs an embedded store

    def source_of(self, graph_name: str) -> str | None:
        return source_of(self.db, graph_name)

    def publish(self, keep: int | None = None) -> str:
        """The statistics of what is stored, computed into their graph, and the publication
        counter moved on: readers see the change (their caches key on the counter)."""
        name = self.minter.graph(statistics.NAME)
        try:
            statistics.compute(self.db, self.base, lambda nt: self.replace_graph(name, nt))
            n = int(self.db.publication()) + 1
            store = f"<{self.base}graph/store>"
            self.db.update(
                f"DROP SILENT GRAPH {store} ;\n"
                f'INSERT DATA {{ GRAPH {store} {{ {store} <{COUNTER}> "{n}" }} }}'
            )
        except StoreError as exc:
            raise StoreWriteError(
                f"cannot publish: {exc.message}; the next command publishes what is stored",
                file=self.path,
            ) from exc
        self.unpublished = False
        return str(n)

    def published(self) -> bool:
        return self.db.publication() != "0"

    @contextmanager
    def batch(self) -> Iterator[None]:
        """The embedded store's batches, as one PUT a session: the server keeps each whole."""
        yield

    def close(self) -> None:
        pass


def open_store(store: str | Path, base: str | None = None):
    """The writable side of the store the setting names: a directory, or a SPARQL server's
    URL (``remote.RemoteStore``, issue 20)."""
    if is_url(store):
        return RemoteStore(str(store), base)
    return Store(store, base)


def open_snapshot(store: str | Path):
    """The reading side of the store the setting names: the current generation of a
    directory, or a SPARQL server's URL (``remote.RemoteSnapshot``)."""
    if is_url(store):
        return RemoteSnapshot(str(store))
    return Snapshot(store)
