"""The embedded store: a pyoxigraph Store on disk, one named graph per meeting.

Layout of a store directory::

    live/               the one writable pyoxigraph store (one writer at a time)
    sources/SHA256.EXT  every source file stored, by content (what ``reingest`` reruns)
    generations/NNNNNN/ published snapshots made with Store.backup (also the backups)
    CURRENT             name of the generation readers use, switched atomically
    BASE                the base IRI the data was minted under
    FORMAT              present once the default graph holds the merge of the graphs
    UNPUBLISHED         present while live/ holds changes no generation has yet
    JOURNAL             new sessions written but not yet bulk-loaded into live/ (a batch)
    search.sqlite       the full-text index of live/ (textindex.py); each generation
                        holds its own copy, made when it is published

The default graph is the RDF merge of every named graph, each triple once (issue 15):
pyoxigraph 0.5's ``use_default_graph_as_union`` repeats a triple once per graph that
states it (oxigraph issue 1919), so the store keeps the merge itself, in the real default
graph, updated in the same transaction as each named graph. ARCHITECTURE.md argues why.

Readers (the server, ``query``, ``dump``) open the current generation read-only, because
pyoxigraph must not be opened read-only while another process writes. Every step from
storing to publishing can be interrupted (issue 16): ``UNPUBLISHED`` is written before the
first change, and whoever opens the store next publishes what it holds.
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from committee_kg.loaders.errors import StoreError, StoreWriteError
from committee_kg.loaders.reference import ontology_graph, rebased, reference_graph, topics_graph
from committee_kg.loaders.vocab import CKG, DEFAULT_BASE, Minter

from ..settings import default, is_url
from . import statistics
from .textindex import SEARCHED, TextIndex, rows_of

LIVE, GENERATIONS, CURRENT, BASE, SOURCES = "live", "generations", "CURRENT", "BASE", "sources"
FORMAT, UNPUBLISHED, SEARCH = "FORMAT", "UNPUBLISHED", "search.sqlite"
JOURNAL = "JOURNAL.nq"
STORED = b"# stored "  # the journal's line after each whole session
BATCH_QUADS = 250_000  # a batch's quads (about 100 sessions of 1,100 triples, twice each)
DEFAULT_GRAPH_IS_MERGE = "2"  # FORMAT: the default graph holds the merge of the named graphs
NT = ox.RdfFormat.N_TRIPLES
CRASH_AT = "COMMITTEE_KG_CRASH_AT"  # fault injection for the crash tests (issue 16)


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
    return _insert_data(to_quads(graph, graph_name), graph_name)


def _insert_data(quads: list[ox.Quad], graph_name: str) -> str:
    lines = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
    return f"INSERT DATA {{ GRAPH <{graph_name}> {{\n{lines}\n}} }}"


def as_stored(insert: str) -> set[ox.Quad]:
    """The quads an INSERT DATA leaves in a store. SPARQL Update keeps numeric literals in
    canonical form ("1.0"^^xsd:decimal becomes "1"), so this, not the graph we send, is what
    a stored graph is compared with."""
    staged = ox.Store()
    staged.update(insert)
    return set(staged)


def journal_block(ntriples: bytes, graph_name: str) -> bytes:
    """A new session as the journal holds it: its triples in its graph and in the default
    graph (the merge), as N-Quads, then the STORED line that says the session is whole."""
    suffix = f" <{graph_name}> .\n".encode()
    lines = ntriples.splitlines()
    if any(not line.endswith(b" .") for line in lines):
        raise ValueError(f"not one triple a line: the N-Triples of <{graph_name}>")
    quads = b"".join(line[:-2] + suffix for line in lines)
    return quads + ntriples.rstrip(b"\n") + b"\n" + STORED + graph_name.encode() + b"\n"


SEARCHED_IRIS = tuple(f"<{p}>".encode() for p in SEARCHED)


def searched_lines(ntriples: bytes) -> bytes:
    """The lines of a session's N-Triples that the full-text index reads (``rows_of``)."""
    lines = ntriples.splitlines()
    return b"\n".join(line for line in lines if any(w in line for w in SEARCHED_IRIS))


def whole_sessions(journal: bytes) -> bytes:
    """The journal up to its last STORED line: a write cut short leaves a tail behind it."""
    end = journal.rfind(b"\n") + 1  # whole lines only
    last = journal.rfind(b"\n" + STORED, 0, end)
    return journal[: journal.index(b"\n", last + 1) + 1] if last >= 0 else b""


def local_path(path: str | Path) -> Path:
    """The directory of an embedded store; a URL is refused (StoreError), never made a
    folder named ``http:`` (issue 20)."""
    if is_url(path):
        raise StoreError(
            "a URL, not a directory: the embedded store is opened only in a directory, and "
            "this command does not work on a SPARQL server",
            file=str(path),
        )
    return Path(path)


class Store:
    """The writable side: ingest replaces meeting graphs, ``publish`` makes a generation."""

    def __init__(self, path: str | Path, base: str | None = None):
        self.path = local_path(path)
        with self._writing("create the store"):
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
            with self._writing("create the store"):
                _write_atomically(self.path / BASE, self.base + "\n")
        self.minter = Minter(self.base)
        fresh = not (self.path / LIVE).exists()
        try:
            self.db = ox.Store(str(self.path / LIVE))
        except OSError as exc:
            raise StoreError(
                f"cannot open the store for writing: {exc}", file=str(self.path)
            ) from exc
        self.recovered: str | None = None  # the generation an interrupted run was finished as
        indexed = (self.path / SEARCH).exists()
        with self._writing("open the full-text index"):
            self.index = TextIndex(self.path / SEARCH)
        if not indexed and not fresh:
            self._changing()  # a store made before the index: a generation that has it
        self._journal = None  # the open journal while batching (``batch``)
        self._pending: dict[str, bytes] = {}  # graphs in the journal, not yet in live/
        self._journal_quads = 0
        self._replay_journal()
        if self.unpublished:
            self._index_every_graph()
        self._recover(fresh)

    def _recover(self, fresh: bool) -> None:
        """Finish what an interrupted run left (issue 16): a store made before the default
        graph held the merge gets it, and changes stored but never published are published
        now, so that nothing stored stays invisible."""
        if not (self.path / FORMAT).exists():
            if not fresh and next(self.db.named_graphs(), None) is not None:
                self._changing()
                with self._writing("merge the stored graphs into the default graph"):
                    self._merge_every_graph()
            with self._writing("create the store"):
                _write_atomically(self.path / FORMAT, DEFAULT_GRAPH_IS_MERGE + "\n")
        if self.unpublished:
            self.recovered = self.publish().name

    def _replay_journal(self) -> None:
        """Load what an interrupted batch journaled (``batch``): every whole session in it.
        Loading a session twice changes nothing, a graph being a set; the full-text index
        is made again from live/ after it, as after any interrupted run."""
        journal = self.path / JOURNAL
        if not journal.exists():
            return
        whole = whole_sessions(journal.read_bytes())
        if whole:
            self._changing()
            with self._writing("load the sessions an interrupted run journaled"):
                self.db.bulk_load(whole, format=ox.RdfFormat.N_QUADS)
                self.db.flush()
        journal.unlink()

    def _merge_every_graph(self) -> None:
        """The default graph made again from every named graph, a graph per transaction (a
        crash midway leaves FORMAT unwritten, and the next run starts again)."""
        self.db.clear_graph(ox.DefaultGraph())
        for name in list(self.db.named_graphs()):
            self.db.update(f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }}")

    def _index_every_graph(self) -> None:
        """The full-text index made again from live/: for a store made before it, and after
        a run that may have died between a session's transaction and the index's (the two
        are separate files, so the store is the truth and the index is rebuilt from it)."""
        with self._writing("rebuild the full-text index"):
            self.index.clear()
            for name in list(self.db.named_graphs()):
                self._index(name.value, self.db.quads_for_pattern(None, None, None, name))

    def _index(self, graph_name: str, quads) -> None:
        rows = rows_of((q.subject.value, q.predicate.value, q.object.value) for q in quads)
        self.index.replace(graph_name, rows)

    @property
    def unpublished(self) -> bool:
        """Whether live/ holds changes that no published generation has."""
        return (self.path / UNPUBLISHED).exists()

    def _changing(self) -> None:
        """Called before a change is written: from here on a crash leaves live/ ahead of the
        published generation, and the marker tells the next run to publish (issue 16)."""
        if not self.unpublished:
            with self._writing("begin a change"):
                _write_atomically(self.path / UNPUBLISHED, "")

    @contextmanager
    def _writing(self, what: str) -> Iterator[None]:
        """An OSError while writing (a full disk, above all) as one line naming what was
        being written and where (issue 16: a full disk on the first ingest was a raw
        traceback). Each write is a transaction or a rename, so nothing of it is left."""
        try:
            yield
        except OSError as exc:
            raise StoreWriteError(f"cannot {what}: {exc}", file=str(self.path)) from exc

    @staticmethod
    def recorded_base(path: Path) -> str | None:
        f = path / BASE
        return f.read_text().strip() if f.exists() else None

    # -- writing -----------------------------------------------------------------------

    def load_reference(self) -> bool:
        """Ontology, reference data and topics in graphs of their own (replaced, so
        idempotent)."""
        a = self.replace_graph(self.minter.graph("ontology"), ontology_graph())
        base = self.minter.base  # sessions name the reference data under it (rebased)
        b = self.replace_graph(self.minter.graph("reference"), rebased(reference_graph(), base))
        c = self.replace_graph(self.minter.graph("topics"), rebased(topics_graph(), base))
        return a or b or c

    def replace_graph(self, graph_name: URIRef | str, graph: Graph | bytes) -> bool:
        """Replace a named graph (an rdflib graph or its N-Triples), and the default graph
        with it, in one transaction; return whether anything changed. While batching, a new
        graph's N-Triples go to the journal instead (``batch``)."""
        if str(graph_name) in self._pending:  # the same session twice in a batch
            self.flush()
        name = ox.NamedNode(str(graph_name))
        new = next(self.db.quads_for_pattern(None, None, None, name), None) is None
        if new and self._journal and isinstance(graph, bytes) and b"_:" not in graph:
            return self._journaled(str(graph_name), graph)
        quads = to_quads(graph, str(graph_name))
        if new:  # its quads and the merge's triples, one transaction
            if not quads:
                return False
            self._changing()
            with self._writing(f"store the graph <{graph_name}>"):
                merged = (ox.Quad(q.subject, q.predicate, q.object) for q in quads)
                self.db.extend([*quads, *merged])
                self._index(str(graph_name), quads)
            return True
        stored = set(self.db.quads_for_pattern(None, None, None, name))
        insert = _insert_data(quads, str(graph_name))
        if stored == as_stored(insert):
            return False
        self._changing()
        with self._writing(f"store the graph <{graph_name}>"):
            self.db.update(
                f"{_unmerge(name)} ;\nDROP SILENT GRAPH {name} ;\n{insert} ;\n{_merge(name)}"
            )
            self._index(str(graph_name), quads)
        return True

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Store new sessions in batches through pyoxigraph's bulk loader, in less than half
        the time of a transaction a session (issue 19: storing was half of ingest's time).

        A transaction is what kept a session whole; here the journal does: each new session
        is appended to it, whole, before ``replace_graph`` returns, and a batch is loaded
        into live/ only once the journal is on disk. Killed at any point, the next command
        loads the journal's whole sessions again (``_replay_journal``; loading twice is
        harmless) and publishes them. Replacements of stored sessions stay transactions.
        What cannot be loaded (a full disk) stays in the journal for the next command."""
        if self._journal:
            yield
            return
        with self._writing("open the journal"):
            self._journal = open(self.path / JOURNAL, "ab", buffering=0)  # noqa: SIM115
        try:
            yield
        finally:
            try:
                self.flush()
            finally:
                self._journal.close()
                self._journal = None
                if not self._pending:  # all loaded
                    (self.path / JOURNAL).unlink(missing_ok=True)

    def _journaled(self, graph_name: str, ntriples: bytes) -> bool:
        if not ntriples.strip():
            return False
        self._changing()
        with self._writing(f"journal the graph <{graph_name}>"):
            end = self._journal.tell()
            try:  # unbuffered: in the OS's hands at once, so a killed process loses nothing
                block = memoryview(journal_block(ntriples, graph_name))
                while block:
                    block = block[self._journal.write(block) :]
            except OSError:
                with suppress(OSError):  # not whole: gone, or ignored by whole_sessions
                    self._journal.truncate(end)
                raise
        self._pending[graph_name] = ntriples
        self._journal_quads += 2 * ntriples.count(b"\n")
        if self._journal_quads >= BATCH_QUADS:
            self.flush()
        return True

    def flush(self) -> None:
        """Load the journal's sessions into live/ and the full-text index, then empty it."""
        if not self._pending or not self._journal:  # not batching, or left for the next run
            return
        journal = self.path / JOURNAL
        with self._writing("load a batch of sessions"):
            os.fsync(self._journal.fileno())
            crash_point("batch journaled")
            whole = whole_sessions(journal.read_bytes())
            self.db.bulk_load(whole, format=ox.RdfFormat.N_QUADS)
            self.db.flush()
            crash_point("batch loaded")
            for graph, ntriples in self._pending.items():
                self._index(graph, ox.parse(searched_lines(ntriples), format=NT))
            self._journal.truncate(0)
            self._journal.seek(0)
            os.fsync(self._journal.fileno())
        self._pending.clear()
        self._journal_quads = 0

    def keep_source(self, path: Path, sha256: str) -> Path:
        """Keep a copy of a source file under its hash, so the session can be re-read with
        later loaders (``reingest``); written atomically, once."""
        folder = self.path / SOURCES
        target = folder / f"{sha256}{path.suffix.lower()}"
        if target.exists():
            return target
        tmp = target.with_name(target.name + ".tmp")
        with self._writing(f"keep a copy of {path} in {folder}"):
            try:
                folder.mkdir(exist_ok=True)
                shutil.copyfile(path, tmp)
                os.replace(tmp, target)
            finally:
                tmp.unlink(missing_ok=True)
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
        if graph_name in self._pending:
            self.flush()
        return source_of(self.db, graph_name)

    def remove(self, meeting: str) -> bool:
        """Remove a session's graph, and from the default graph what no other graph states,
        in one transaction."""
        self.flush()
        graph = str(self.minter.meeting_graph(URIRef(meeting)))
        name = ox.NamedNode(graph)
        if not self.db.contains_named_graph(name):
            return False
        self._changing()
        with self._writing(f"remove the session <{meeting}>"):
            self.db.update(f"{_unmerge(name)} ;\nDROP GRAPH {name}")
            self.index.remove(graph)
        return True

    def publish(self, keep: int | None = None) -> Path:
        """Compute the statistics of what is stored, snapshot the live store as a new
        generation and switch readers to it.

        Each step can be interrupted (issue 16): the snapshot is made under a hidden name
        and renamed whole, CURRENT is switched atomically, and UNPUBLISHED goes last, so a
        crash anywhere leaves readers on the previous generation and the next run
        publishing again."""
        self.flush()
        keep = default("keep_generations") if keep is None else keep
        current = self.path / CURRENT
        readers = current.read_text().strip() if current.exists() else "none yet"
        gens = self.path / GENERATIONS
        making: Path | None = None
        try:
            name = self.minter.graph(statistics.NAME)
            statistics.compute(self.db, self.base, lambda nt: self.replace_graph(name, nt))
            crash_point("statistics")
            self.db.flush()
            gens.mkdir(exist_ok=True)
            for half_made in gens.glob(".*"):  # a snapshot a crash interrupted
                shutil.rmtree(half_made, ignore_errors=True)
            numbers = [int(p.name) for p in gens.iterdir() if p.name.isdigit()]
            target = gens / f"{max(numbers, default=0) + 1:06d}"
            making = gens / f".{target.name}"
            self.db.backup(str(making))
            self.index.copy_to(making / SEARCH)
            os.replace(making, target)
            making = None
            _sync_directory(gens)
            crash_point("snapshot")
            _write_atomically(current, target.name + "\n")
        except (OSError, StoreWriteError) as exc:
            if making is not None:  # what a full disk let us copy: room back at once
                shutil.rmtree(making, ignore_errors=True)
            reason = exc.message if isinstance(exc, StoreWriteError) else str(exc)
            raise StoreWriteError(
                f"cannot publish a new generation: {reason}; readers keep generation "
                f"{readers}, and the next command publishes what is stored",
                file=str(self.path),
            ) from exc
        crash_point("switched")
        (self.path / UNPUBLISHED).unlink(missing_ok=True)
        for old in sorted(p for p in gens.iterdir() if p.name.isdigit())[:-keep]:
            shutil.rmtree(old, ignore_errors=True)
        return target

    def published(self) -> bool:
        """Whether a generation has been published (readers have something to open)."""
        return (self.path / CURRENT).exists()

    def close(self) -> None:
        self.flush()
        self.index.close()
        del self.db


class Snapshot:
    """The reading side: the current published generation, opened read-only."""

    def __init__(self, path: str | Path):
        self.path = local_path(path)
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
        """A query on this generation; its default graph is the merge of the stored graphs."""
        return self.db.query(sparql, **kw)

    def sessions(self, triples: bool = True) -> list[Session]:
        return list_sessions(self.db, triples)

    def text_index(self) -> TextIndex | None:
        """This generation's full-text index (None for a generation published before the
        index existed: the catalogue's text-search then scans, as it did)."""
        path = self.path / GENERATIONS / self.generation / SEARCH
        return TextIndex(path, readonly=True) if path.exists() else None


def source_of(db, graph_name: str) -> str | None:
    """The sha256 of the source document a stored meeting graph came from (``db``: the
    embedded store or a server's, which answer queries alike)."""
    q = (
        f"SELECT ?sha WHERE {{ GRAPH <{graph_name}> {{ ?m <{CKG.sourceDocument}> ?s . "
        f"?s <{CKG.sha256}> ?sha }} }} LIMIT 1"
    )
    for row in db.query(q):
        return row["sha"].value
    return None


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


def agenda_texts(db: ox.Store) -> list[tuple[str, str]]:
    """(session, text) of every agenda item's title and description and every remark's
    words: what ``topics --suggest`` looks for phrases in."""
    q = """PREFIX ckg: <https://w3id.org/committee-kg/ontology#>
    PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX schema: <http://schema.org/>
    SELECT ?m ?text WHERE {
      { ?m ckg:agendaItem ?i . ?i dcterms:title|schema:description ?text }
      UNION { ?m ckg:agendaItem ?i . ?r dcterms:isPartOf ?i ; schema:text ?text }
    }"""
    return [(row["m"].value, row["text"].value) for row in db.query(q)]


def _unmerge(name: ox.NamedNode) -> str:
    """SPARQL Update: out of the default graph, each triple of this graph that no other
    graph states (issue 15: the default graph is the merge as a set; a triple leaves it
    only when no stored graph states it any more)."""
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH {name} {{ ?s ?p ?o }} "
        f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != {name}) }} }}"
    )


def _merge(name: ox.NamedNode) -> str:
    """SPARQL Update: every triple of this graph into the default graph (once: a graph
    is a set)."""
    return f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }}"


def query_dataset(
    db: ox.Store, default_graphs: Sequence[str], named_graphs: Sequence[str]
) -> tuple[ox.Store, dict]:
    """The store to query and pyoxigraph's options for a dataset named by FROM / FROM NAMED
    or the protocol's graph parameters. One default graph is read where it is; several are
    merged as a set into a store in memory, since pyoxigraph would give a triple once per
    graph that states it (issue 15)."""
    defaults = [ox.NamedNode(g) for g in dict.fromkeys(default_graphs)]
    named = [ox.NamedNode(g) for g in dict.fromkeys(named_graphs)]
    if len(defaults) < 2:
        return db, {"default_graph": defaults, "named_graphs": named}
    merged = ox.Store()
    for g in defaults:
        merged.extend(
            ox.Quad(q.subject, q.predicate, q.object)
            for q in db.quads_for_pattern(None, None, None, g)
        )
    for g in named:
        merged.extend(db.quads_for_pattern(None, None, None, g))
    return merged, {"default_graph": ox.DefaultGraph(), "named_graphs": named}


def recover(path: str | Path) -> str | None:
    """Finish an interrupted ingest, if one left changes unpublished (issue 16): what the
    next command or the server's start calls. Returns the generation published, or None
    (nothing to do, or another process holds the store and will publish itself); raises
    StoreWriteError when there is no room to publish."""
    path = Path(path)
    if not (path / LIVE).exists():
        return None
    if (path / FORMAT).exists() and not (path / UNPUBLISHED).exists():
        return None
    try:
        store = Store(path)
    except StoreWriteError:
        raise  # no room to publish: the caller says so, and readers stay where they were
    except StoreError:
        return None
    store.close()
    return store.recovered


def crash_point(stage: str) -> None:
    """Fault injection for the crash tests (issue 16): with COMMITTEE_KG_CRASH_AT=stage in
    the environment, the process dies here by SIGKILL, as under ``kill -9``."""
    if os.environ.get(CRASH_AT) == stage:
        os.kill(os.getpid(), signal.SIGKILL)


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    _sync_directory(path.parent)


def _sync_directory(path: Path) -> None:
    """Make a rename in this directory durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
