"""The embedded store: a pyoxigraph Store on disk, one named graph per meeting.

Layout of a store directory::

    live/               the one writable pyoxigraph store (one writer at a time)
    sources/SHA256.EXT  every source file stored, by content (what ``reingest`` reruns)
    generations/NNNNNN/ published snapshots made with Store.backup (also the backups)
    CURRENT             name of the generation readers use, switched atomically
    BASE                the base IRI the data was minted under

Readers (the server, ``query``, ``dump``) open the current generation read-only, because
pyoxigraph must not be opened read-only while another process writes (DESIGN.md, Store).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from loaders.errors import StoreError
from loaders.reference import ontology_graph, reference_graph, topics_graph
from loaders.vocab import CKG, DEFAULT_BASE, Minter

from . import statistics

LIVE, GENERATIONS, CURRENT, BASE, SOURCES = "live", "generations", "CURRENT", "BASE", "sources"


@dataclass(frozen=True)
class Session:
    meeting: str
    graph: str
    date: str
    committee: str
    source_sha256: str
    triples: int


def to_quads(graph: Graph | bytes, graph_name: str) -> list[ox.Quad]:
    """An rdflib graph (or its N-Triples) as pyoxigraph quads in the named graph (via
    N-Triples, no Python loop over terms)."""
    data = graph if isinstance(graph, bytes) else graph.serialize(format="nt", encoding="utf-8")
    name = ox.NamedNode(graph_name)
    return [
        ox.Quad(t.subject, t.predicate, t.object, name)
        for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
    ]


def insert_data(graph: Graph | bytes, graph_name: str) -> str:
    """A SPARQL INSERT DATA of the graph (or its N-Triples) into the named graph."""
    lines = "\n".join(
        f"{q.subject} {q.predicate} {q.object} ." for q in to_quads(graph, graph_name)
    )
    return f"INSERT DATA {{ GRAPH <{graph_name}> {{\n{lines}\n}} }}"


def as_stored(insert: str) -> set[ox.Quad]:
    """The quads an INSERT DATA leaves in a store. SPARQL Update keeps numeric literals in
    canonical form ("1.0"^^xsd:decimal becomes "1"), so this, not the graph we send, is what
    a stored graph is compared with."""
    staged = ox.Store()
    staged.update(insert)
    return set(staged)


class Store:
    """The writable side: ingest replaces meeting graphs, ``publish`` makes a generation."""

    def __init__(self, path: str | Path, base: str | None = None):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        recorded = self.recorded_base(self.path)
        if recorded and base and recorded != base:
            raise StoreError(
                f"the store holds data minted under {recorded}; refusing to load data "
                f"minted under {base}",
                file=str(self.path),
            )
        self.base = recorded or base or DEFAULT_BASE
        if not recorded:
            _write_atomically(self.path / BASE, self.base + "\n")
        self.minter = Minter(self.base)
        try:
            self.db = ox.Store(str(self.path / LIVE))
        except OSError as exc:
            raise StoreError(
                f"cannot open the store for writing: {exc}", file=str(self.path)
            ) from exc

    @staticmethod
    def recorded_base(path: Path) -> str | None:
        f = path / BASE
        return f.read_text().strip() if f.exists() else None

    # -- writing -----------------------------------------------------------------------

    def load_reference(self) -> bool:
        """Ontology, reference data and topics in graphs of their own (replaced, so
        idempotent)."""
        a = self.replace_graph(self.minter.graph("ontology"), ontology_graph())
        b = self.replace_graph(self.minter.graph("reference"), reference_graph())
        c = self.replace_graph(self.minter.graph("topics"), self._rebased(topics_graph()))
        return a or b or c

    def _rebased(self, graph: Graph) -> Graph:
        """The topic scheme under this store's base: sessions name their topics under it
        (to_rdf), so the hierarchy must too, or skos:broader would join nothing."""
        default, ours = Minter().id, self.minter.id
        if default == ours:
            return graph

        def move(term):
            if isinstance(term, URIRef) and term.startswith(default):
                return URIRef(ours + term[len(default) :])
            return term

        out = Graph()
        for triple in graph:
            out.add(tuple(move(t) for t in triple))
        return out

    def replace_graph(self, graph_name: URIRef | str, graph: Graph | bytes) -> bool:
        """Replace a named graph (an rdflib graph or its N-Triples) in one transaction;
        return whether anything changed."""
        name = ox.NamedNode(str(graph_name))
        insert = insert_data(graph, str(graph_name))
        stored = set(self.db.quads_for_pattern(None, None, None, name))
        if stored and stored == as_stored(insert):  # (nothing stored: no need to compare)
            return False
        self.db.update(f"DROP SILENT GRAPH {name} ;\n{insert}")
        return True

    def keep_source(self, path: Path, sha256: str) -> Path:
        """Keep a copy of a source file under its hash, so the session can be re-read with
        later loaders (``reingest``); written atomically, once."""
        folder = self.path / SOURCES
        folder.mkdir(exist_ok=True)
        target = folder / f"{sha256}{path.suffix.lower()}"
        if not target.exists():
            tmp = target.with_name(target.name + ".tmp")
            shutil.copyfile(path, tmp)
            os.replace(tmp, target)
        return target

    def url_of(self, graph_name: str) -> str | None:
        """The published URL of a stored session's source document, when known."""
        q = (
            f"SELECT ?url WHERE {{ GRAPH <{graph_name}> {{ ?m <{CKG.sourceDocument}> ?s . "
            f"?s <http://purl.org/dc/terms/source> ?url }} }} LIMIT 1"
        )
        for row in self.db.query(q):
            return row["url"].value
        return None

    def stored_source(self, sha256: str) -> Path | None:
        return next((self.path / SOURCES).glob(f"{sha256}.*"), None)

    def source_of(self, graph_name: str) -> str | None:
        """The sha256 of the source document a stored meeting graph came from."""
        q = (
            f"SELECT ?sha WHERE {{ GRAPH <{graph_name}> {{ ?m <{CKG.sourceDocument}> ?s . "
            f"?s <{CKG.sha256}> ?sha }} }} LIMIT 1"
        )
        for row in self.db.query(q):
            return row["sha"].value
        return None

    def remove(self, meeting: str) -> bool:
        graph = str(self.minter.meeting_graph(URIRef(meeting)))
        name = ox.NamedNode(graph)
        if not self.db.contains_named_graph(name):
            return False
        self.db.update(f"DROP GRAPH {name}")
        return True

    def publish(self, keep: int = 3) -> Path:
        """Compute the statistics of what is stored, snapshot the live store as a new
        generation and switch readers to it."""
        statistics.compute(self.db, str(self.minter.graph(statistics.NAME)), self.base)
        self.db.flush()
        gens = self.path / GENERATIONS
        gens.mkdir(exist_ok=True)
        numbers = [int(p.name) for p in gens.iterdir() if p.name.isdigit()]
        target = gens / f"{max(numbers, default=0) + 1:06d}"
        self.db.backup(str(target))
        _write_atomically(self.path / CURRENT, target.name + "\n")
        for old in sorted(p for p in gens.iterdir() if p.name.isdigit())[:-keep]:
            shutil.rmtree(old, ignore_errors=True)
        return target

    def close(self) -> None:
        del self.db


class Snapshot:
    """The reading side: the current published generation, opened read-only."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        current = self.path / CURRENT
        if not current.exists():
            raise StoreError(
                "no published store here; run `committee-kg ingest` first", file=str(self.path)
            )
        self.generation = current.read_text().strip()
        self.base = Store.recorded_base(self.path) or DEFAULT_BASE
        self.minter = Minter(self.base)
        try:
            self.db = ox.Store.read_only(str(self.path / GENERATIONS / self.generation))
        except OSError as exc:
            raise StoreError(
                f"cannot open generation {self.generation}: {exc}", file=str(self.path)
            ) from exc

    def is_current(self) -> bool:
        try:
            return (self.path / CURRENT).read_text().strip() == self.generation
        except OSError:
            return False

    def query(self, sparql: str, **kw):
        return self.db.query(sparql, use_default_graph_as_union=True, **kw)

    def sessions(self, triples: bool = True) -> list[Session]:
        return list_sessions(self.db, triples)


def list_sessions(db: ox.Store, triples: bool = True) -> list[Session]:
    """Every stored session, by date. ``triples`` counts each graph's statements, which
    reads every statement of the store; without it (``triples`` -1) the list is the
    meetings' own facts alone, which pages can afford at any size."""
    count = "?x ?p ?o ." if triples else ""
    q = f"""
    SELECT ?g ?m ?date ?code ?sha (COUNT(*) AS ?n) WHERE {{
      GRAPH ?g {{
        ?m a <{CKG.Meeting}> ; <http://purl.org/dc/terms/date> ?date ;
           <http://schema.org/organizer> ?c ; <{CKG.sourceDocument}> ?s .
        ?c <http://www.w3.org/2004/02/skos/core#notation> ?code . ?s <{CKG.sha256}> ?sha .
        {count}
      }}
    }} GROUP BY ?g ?m ?date ?code ?sha ORDER BY ?date ?m"""
    return [
        Session(
            meeting=r["m"].value,
            graph=r["g"].value,
            date=r["date"].value,
            committee=r["code"].value,
            source_sha256=r["sha"].value,
            triples=int(r["n"].value) if triples else -1,
        )
        for r in db.query(q)
    ]


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
