"""Open-data dumps, written with pyoxigraph's serializers (rdflib's Turtle writer is
quadratic on our path-like IRIs: DESIGN.md) and made deterministic by sorting.

The output directory is replaced as a whole: a dump interrupted midway leaves the
previous one in place.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

from loaders.vocab import PREFIXES

from .store import Snapshot


def _sorted_quads(db: ox.Store) -> list[ox.Quad]:
    return sorted(
        db, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))
    )


def _gzip(data: bytes) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as f:
        f.write(data)
    return buf.getvalue()


def _prefixes() -> dict[str, str]:
    return {k: str(v) for k, v in PREFIXES.items()}


def dump(snapshot: Snapshot, out: str | Path) -> list[Path]:
    """Write the dataset files into ``out`` (replaced atomically); return the files."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        quads = _sorted_quads(snapshot.db)
        nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        (tmp / "dataset.nq.gz").write_bytes(_gzip(nquads))
        triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
        (tmp / "dataset.nt.gz").write_bytes(
            _gzip(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
        )
        (tmp / "dataset.ttl").write_bytes(
            ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=_prefixes())
        )
        (tmp / "dataset.trig").write_bytes(
            ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=_prefixes())
        )
        meetings = tmp / "meetings"
        for session in snapshot.sessions():
            name = ox.NamedNode(session.graph)
            graph = sorted(
                (
                    ox.Triple(q.subject, q.predicate, q.object)
                    for q in snapshot.db.quads_for_pattern(None, None, None, name)
                ),
                key=str,
            )
            target = meetings / (session.meeting.split("/id/meeting/", 1)[1] + ".ttl")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(
                ox.serialize(graph, format=ox.RdfFormat.TURTLE, prefixes=_prefixes())
            )
        files = sorted(p for p in tmp.rglob("*") if p.is_file())
        sums = "".join(
            f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(tmp).as_posix()}\n"
            for p in files
        )
        (tmp / "SHA256SUMS").write_text(sums, encoding="utf-8")
        old = out.with_name(f".{out.name}.old")
        if old.exists():
            shutil.rmtree(old)
        if out.exists():
            os.replace(out, old)
        os.replace(tmp, out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return sorted(p for p in out.rglob("*") if p.is_file())
