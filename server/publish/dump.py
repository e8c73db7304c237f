"""Open-data dumps (issue 6): the whole dataset in five formats, one Turtle file per
session, the ontology, reference data, topics and shapes as files of their own, a VoID
description, a DCAT catalogue and SHA256SUMS.

    dataset.ttl  dataset.nt.gz  dataset.nq.gz  dataset.trig  dataset.jsonld  context.jsonld
    meetings/JP-35/2025-04-09.ttl …
    ontology.ttl  reference.ttl  topics.ttl  statistics.ttl  shapes.ttl
    void.ttl  catalog.ttl  SHA256SUMS

Deterministic: statements are sorted (as N-Triples lines, which is code-point order of
subject, predicate, object), prefixes are fixed, gzip carries no name or time, and nothing
states when the dump was made, so the same store content gives the same bytes whatever the
order it was loaded in. The whole-dataset files (union of the graphs, distinct triples) are
made by a merge of sorted runs, so memory stays bounded however large the store.

Fast: pyoxigraph reads each graph as N-Triples and writes Turtle, TriG and N-Quads itself
(rdflib's Turtle writer takes time quadratic in the number of our path-like IRIs, as it
looks for a prefix for each; ``bench/dump.py`` measures).

Atomic: the dump is written into a new directory beside ``out``, and ``out`` is a symbolic
link switched to it in one rename; a dump interrupted midway leaves the previous one in
place, and a reader never sees a half-written dump. Files whose bytes did not change keep
their modification time, so Last-Modified on /dumps/ changes only with the content.
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import hashlib
import heapq
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from committee_kg.data import SHAPES_DIR
from committee_kg.loaders.vocab import RDFS

from ..store.remote import open_snapshot
from ..store.store import Snapshot
from .dcat import METADATA_PREFIXES, Describer, FileInfo, Metadata, SessionPart, Statistics
from .serialize import NAMESPACES, JsonLdWriter, context_document, sorted_lines

# store graphs that get a file of their own
OWN_GRAPHS = ("ontology", "reference", "topics", "statistics")
RUN_BYTES = 64 << 20  # a sorted run of the union is spilled to disk past this many bytes
GZIP_LEVEL = 6
RDF_TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def dump(
    snapshot: Snapshot,
    out: str | Path,
    meta: Metadata | None = None,
    *,
    run_bytes: int = RUN_BYTES,
) -> list[Path]:
    """Write the dump into ``out`` (switched atomically); return its files."""
    meta = meta or Metadata.from_settings(snapshot.base)
    out = Path(out).absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    with _lock(out):
        _remove_leftovers(out)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
        try:
            os.chmod(tmp, 0o755)
            _write(snapshot, tmp, meta, run_bytes)
            _keep_times(out, tmp)
            _switch(out, tmp)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return sorted(p for p in out.rglob("*") if p.is_file())


# -- writing -------------------------------------------------------------------------------


def _write(snapshot: Snapshot, tmp: Path, meta: Metadata, run_bytes: int) -> None:
    db, base = snapshot.db, snapshot.base
    meeting_graphs = base + "graph/meeting/"
    own = {base + "graph/" + name: name for name in OWN_GRAPHS}
    sessions: list[SessionPart] = []
    files: dict[str, str] = {}  # graph → the Turtle file of its own
    runs = _Runs(tmp, run_bytes)
    # 1. each named graph, sorted: into the N-Quads, and into runs for the union (the store's
    # default graph is that union, derived from the named graphs: the files state each
    # fact once, in the graph it came from)
    with _gzip_writer(tmp / "dataset.nq.gz") as nq:
        for graph in sorted(g.value for g in db.named_graphs()):
            term = ox.NamedNode(graph)
            lines = sorted_lines(db.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=term))
            if not lines:
                continue
            tail = str(term).encode("utf-8") + b" .\n"  # '<s> <p> <o> .' → '… <o> <g> .'
            nq.write(b"".join(line[:-1] + tail for line in lines))
            runs.add(lines)
            if graph.startswith(meeting_graphs):
                rel = graph[len(meeting_graphs) :]
                if any(seg in ("", ".", "..") for seg in rel.split("/")):
                    continue  # not a name we minted; it stays in the whole-dataset files
                files[graph] = f"meetings/{rel}.ttl"
                sessions.append(_session(db, base, graph, files[graph], len(lines)))
            elif graph in own:
                files[graph] = f"{own[graph]}.ttl"
    # 2. the union: distinct triples, merged from the sorted runs, with the VoID counts
    counter = _Counter(("<" + base + "id/").encode("utf-8"))
    with _gzip_writer(tmp / "dataset.nt.gz") as nt:
        for chunk in _chunks(runs.merged()):
            nt.write(b"\n".join(chunk) + b"\n")
            counter.add(chunk)
    runs.close()
    stats = counter.stats
    with gzip.open(tmp / "dataset.nt.gz", "rb") as f:
        ox.serialize(
            ox.parse(f, format=ox.RdfFormat.N_TRIPLES),
            str(tmp / "dataset.ttl"),
            ox.RdfFormat.TURTLE,
            prefixes=NAMESPACES,
        )
    # 3. one pass over the quads feeds the TriG, the JSON-LD and the files of each graph
    with (
        gzip.open(tmp / "dataset.nq.gz", "rb") as f,
        open(tmp / "dataset.jsonld", "wb") as jsonld,
    ):
        writer = JsonLdWriter(jsonld)
        ox.serialize(
            _fan_out(ox.parse(f, format=ox.RdfFormat.N_QUADS), writer, files, tmp),
            str(tmp / "dataset.trig"),
            ox.RdfFormat.TRIG,
            prefixes=NAMESPACES,
        )
        writer.close()
    (tmp / "context.jsonld").write_bytes(context_document())
    (tmp / "shapes.ttl").write_bytes(_shapes())
    sessions.sort(key=lambda s: (s.date, s.meeting))
    files = _file_infos(tmp)
    describer = Describer(meta, stats, files, sessions)
    _metadata(describer.void(), tmp / "void.ttl")
    files = _file_infos(tmp)
    describer.files = files
    _metadata(describer.catalogue(), tmp / "catalog.ttl")
    files = _file_infos(tmp)
    (tmp / "SHA256SUMS").write_text(
        "".join(f"{f.sha256}  {f.path}\n" for f in files.values()), encoding="utf-8"
    )


def _fan_out(
    quads: Iterable[ox.Quad], writer: JsonLdWriter, files: dict[str, str], root: Path
) -> Iterator[ox.Quad]:
    """Pass the quads on (to the TriG writer), to the JSON-LD writer, and each graph that
    has a file of its own into that file."""
    graph, triples = None, []
    for q in quads:
        writer.add(q)
        name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
        if name != graph:
            _turtle(triples, files.get(graph), root)
            graph, triples = name, []
        if name in files:
            triples.append(q.triple)
        yield q
    _turtle(triples, files.get(graph), root)


def _turtle(triples: list[ox.Triple], rel: str | None, root: Path) -> None:
    if rel is None or not triples:
        return
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    ox.serialize(triples, str(path), ox.RdfFormat.TURTLE, prefixes=NAMESPACES)


def _metadata(triples: list[ox.Triple], path: Path) -> None:
    ox.serialize(
        sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object))),
        str(path),
        ox.RdfFormat.TURTLE,
        prefixes=METADATA_PREFIXES,
    )


def _session(db: ox.Store, base: str, graph: str, path: str, triples: int) -> SessionPart:
    """What the catalogue says of one session: its meeting, date, committee, labels, URL."""
    g = ox.NamedNode(graph)
    meeting = base + "id/" + graph[len(base + "graph/") :]
    m = ox.NamedNode(meeting)

    def value(s, p) -> ox.Literal | ox.NamedNode | None:
        for q in db.quads_for_pattern(s, ox.NamedNode(p), None, g):
            return q.object
        return None

    date = value(m, "http://purl.org/dc/terms/date")
    committee = value(m, "http://schema.org/organizer")
    source = value(m, "https://w3id.org/committee-kg/ontology#sourceDocument")
    url = value(source, "http://purl.org/dc/terms/source") if source else None
    labels = sorted(
        (q.object.value, q.object.language or "")
        for q in db.quads_for_pattern(m, ox.NamedNode(str(RDFS.label)), None, g)
        if isinstance(q.object, ox.Literal)
    )
    return SessionPart(
        meeting=meeting,
        graph=graph,
        path=path,
        date=date.value if date else "",
        committee=committee.value.rsplit("/", 1)[-1] if committee else "",
        triples=triples,
        labels=labels,
        source_url=url.value if isinstance(url, ox.NamedNode) else None,
    )


def _shapes() -> bytes:
    """The SHACL shapes as one Turtle file: the files of shapes/ as written (their lists and
    property shapes are blank nodes, so re-serializing them would not be deterministic)."""
    parts = []
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        parts.append(f"# ---- shapes/{path.name}\n".encode() + path.read_bytes().rstrip() + b"\n")
    return b"\n".join(parts)


def _file_infos(root: Path) -> dict[str, FileInfo]:
    infos = {}
    for p in sorted(root.rglob("*")):
        if p.is_file() and not p.name.startswith("."):
            rel = p.relative_to(root).as_posix()
            infos[rel] = FileInfo(rel, p.stat().st_size, _sha256(p))
    return infos


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# -- the union of the graphs: sorted runs, merged ------------------------------------------


class _Runs:
    """Sorted, distinct N-Triples lines of every graph: batches sorted in memory, spilled to
    files past ``limit`` bytes, and merged (heapq) when read."""

    def __init__(self, directory: Path, limit: int):
        self.directory = directory
        self.limit = limit
        self.batch: list[bytes] = []
        self.size = 0
        self.files: list[Path] = []

    def add(self, lines: list[bytes]) -> None:
        self.batch.extend(lines)
        self.size += sum(map(len, lines))
        if self.size > self.limit:
            self._spill()

    def _spill(self) -> None:
        if not self.batch:
            return
        path = self.directory / f".run-{len(self.files):05d}"
        with open(path, "wb") as f:
            f.write(b"\n".join(sorted(set(self.batch))) + b"\n")
        self.files.append(path)
        self.batch, self.size = [], 0

    def merged(self) -> Iterator[bytes]:
        if not self.files:
            yield from sorted(set(self.batch))
            return
        self._spill()
        with contextlib.ExitStack() as stack:
            handles = [stack.enter_context(open(p, "rb")) for p in self.files]
            previous = None
            for line in heapq.merge(*handles):
                if line != previous:
                    yield line[:-1]
                    previous = line

    def close(self) -> None:
        for p in self.files:
            p.unlink(missing_ok=True)


def _chunks(lines: Iterable[bytes], size: int = 20_000) -> Iterator[list[bytes]]:
    chunk: list[bytes] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Counter:
    """VoID statistics from sorted, distinct N-Triples lines (a subject's lines are together,
    so distinct subjects are counted without a set)."""

    def __init__(self, id_space: bytes):
        self.id_space = id_space
        self.stats = Statistics()
        self.last: bytes | None = None
        self.properties: Counter[bytes] = Counter()
        self.classes: Counter[bytes] = Counter()

    def add(self, lines: list[bytes]) -> None:
        stats, properties, classes = self.stats, self.properties, self.classes
        for line in lines:
            s_end = line.index(b" ")
            p_end = line.index(b" ", s_end + 1)
            s, p = line[:s_end], line[s_end + 1 : p_end]
            properties[p] += 1
            if s != self.last:
                stats.subjects += 1
                if s.startswith(self.id_space):
                    stats.entities += 1
                self.last = s
            if p == RDF_TYPE:
                o = line[p_end + 1 : -2]
                if o.startswith(b"<"):
                    classes[o] += 1
        stats.triples += len(lines)
        stats.properties = Counter({k[1:-1].decode(): n for k, n in properties.items()})
        stats.classes = Counter({k[1:-1].decode(): n for k, n in classes.items()})


# -- files ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _gzip_writer(path: Path) -> Iterator[IO[bytes]]:
    """gzip without a file name or time in its header, so the same bytes give the same file."""
    with (
        open(path, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=GZIP_LEVEL) as f,
    ):
        yield f


@contextlib.contextmanager
def _lock(out: Path) -> Iterator[None]:
    """One dump at a time into one place (a second waits), so leftovers can be removed."""
    with open(out.with_name(f".{out.name}.lock"), "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _remove_leftovers(out: Path) -> None:
    """Directories of dumps that were killed midway (never switched to)."""
    current = out.resolve() if out.is_symlink() else None
    for p in out.parent.glob(f".{out.name}.*"):
        if p.is_dir() and not p.is_symlink() and p.resolve() != current:
            shutil.rmtree(p, ignore_errors=True)


def _keep_times(out: Path, new: Path) -> None:
    """A file whose bytes are those of the previous dump keeps the previous time."""
    sums = out / "SHA256SUMS"
    if not sums.exists():
        return
    old = _read_sums(sums.read_text(encoding="utf-8"))
    for line in (new / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, _, rel = line.partition("  ")
        if old.get(rel) == digest:
            st = (out / rel).stat()
            os.utime(new / rel, ns=(st.st_atime_ns, st.st_mtime_ns))
    if (new / "SHA256SUMS").read_bytes() == sums.read_bytes():
        st = sums.stat()
        os.utime(new / "SHA256SUMS", ns=(st.st_atime_ns, st.st_mtime_ns))


def _read_sums(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        digest, _, rel = line.partition("  ")
        out[rel] = digest
    return out


def _switch(out: Path, new: Path) -> None:
    """Point ``out`` at ``new`` in one rename, then remove what it pointed at before."""
    previous = out.resolve() if out.is_symlink() else None
    if out.exists() and not out.is_symlink():
        # a plain directory (a dump by an earlier version, or made by hand): moved aside
        # once, so that from now on ``out`` is a link
        aside = out.with_name(f".{out.name}.previous")
        shutil.rmtree(aside, ignore_errors=True)
        os.replace(out, aside)
        previous = aside
    link = out.with_name(f".{out.name}.link")
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(new.name)
    os.replace(link, out)
    if previous is not None and previous != new.resolve():
        shutil.rmtree(previous, ignore_errors=True)


def dump_store(store: str | Path, out: str | Path, public_url: str | None = None) -> list:
    """The dumps of a store's current generation, written to ``out``, described as the
    settings say (``public_url``, when given, instead of the setting's)."""
    snapshot = open_snapshot(store)
    overrides = {"public_url": public_url} if public_url is not None else {}
    return dump(snapshot, out, Metadata.from_settings(snapshot.base, **overrides))


def read_sums(directory: Path) -> dict[str, str]:
    """SHA256SUMS of a dump as {relative path: sha256} (empty when there is none)."""
    path = Path(directory) / "SHA256SUMS"
    try:
        return _read_sums(path.read_text(encoding="utf-8"))
    except OSError:
        return {}
