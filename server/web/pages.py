"""IRIs a person can open, and open data a portal can harvest (issue 6): a Flask blueprint.

    /id/…               every data IRI: an HTML page, or its description as Turtle,
                        N-Triples or JSON-LD (Accept, or ?format=)
    /graph/…            a named graph's triples (a session's graph: its page for people)
    /ontology           the ontology's documentation, or the ontology (Turtle …)
    /context.jsonld     the JSON-LD context of our JSON-LD
    /dumps/             the dumps with their DCAT catalogue, VoID and checksums
    /.well-known/void   the VoID description

Request paths map to IRIs under the store's base, never under the host a request names
(the IRIs are minted once, under the base the store records, and must not change with
where the server runs): ``/id/x`` on any host, under any proxy prefix (SCRIPT_NAME,
X-Forwarded-Prefix), is ``{base}id/x``, and every link is built with url_for, so pages
work on localhost and behind a proxy alike.
Pages are server-rendered Jinja with autoescape and no scripts of their own.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

import pyoxigraph as ox
from flask import (
    Blueprint,
    Response,
    g,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)

from committee_kg.loaders.reference import ontology_graph
from committee_kg.loaders.vocab import CKG, DEFAULT_BASE

from ..media import PAGES, dump_file_type, http_media_type, key_for, negotiate
from ..publish.dump import read_sums
from ..publish.serialize import context_document, write
from . import ontodoc
from .cache import Cache
from .describe import Node, Passage, Reader, curie
from .site import problem
from .state import state

blueprint = Blueprint("pages", __name__)

MEETING = str(CKG.Meeting)
SOURCE = str(CKG.SourceDocument)
PASSAGE = str(CKG.Passage)
DUMP_MAX_AGE = 300  # seconds a client may reuse a dump file before it revalidates (ETag)
ANCESTORS = 8  # levels a not-found page looks up: our deepest IRIs have 7 (a selector)


class DumpFiles:
    """The dumps directory /dumps/ serves, and what was read from the dump now in it (its
    checksums and its DCAT and VoID), read again when a new dump is switched in."""

    def __init__(self, dumps: str):
        self.dumps = Path(dumps)
        self._read: Cache[str, tuple[dict[str, str], ox.Store]] = Cache(1)

    def dump_dir(self) -> Path | None:
        """The current dump's real directory (the link resolved once per request), if any."""
        real = Path(os.path.realpath(self.dumps))
        return real if (real / "SHA256SUMS").is_file() else None

    def dump(self) -> tuple[Path, dict[str, str], ox.Store] | None:
        real = self.dump_dir()
        if real is None:
            return None
        key = f"{real}:{(real / 'SHA256SUMS').stat().st_mtime_ns}"
        (sums, metadata), _ = self._read.get_or_make(key, lambda: _read_dump(real))
        return real, sums, metadata


def _read_dump(real: Path) -> tuple[dict[str, str], ox.Store]:
    metadata = ox.Store()
    for name in ("catalog.ttl", "void.ttl"):
        if (real / name).is_file():
            metadata.bulk_load(path=str(real / name), format=ox.RdfFormat.TURTLE)
    return read_sums(real), metadata


def _dumps() -> DumpFiles:
    return state()["dumps"]


def _labels() -> Cache:
    return state()["labels"]


def _holder():
    return state()["holder"]


def _base() -> str:
    """The store's base; without a store, the base it would have."""
    return _holder().base()


# -- links ----------------------------------------------------------------------------------


@blueprint.app_template_global("ckg_href")
def href(iri: str) -> str | None:
    """Where a link to this IRI goes: our page for our IRIs, the IRI itself otherwise."""
    base = g.get("ckg_base") or DEFAULT_BASE
    if iri.startswith(base + "id/"):
        return url_for("pages.resource", path=iri[len(base) + 3 :])
    if iri.startswith(base + "graph/"):
        return url_for("pages.graph", path=iri[len(base) + 6 :])
    if iri.startswith(str(CKG)):
        return url_for("pages.ontology") + "#" + iri[len(str(CKG)) :]
    if iri == str(CKG).rstrip("#"):
        return url_for("pages.ontology")
    if iri.startswith(("http://", "https://")):
        return iri
    return None


@blueprint.app_template_global("ckg_source_href")
def source_href(p: Passage) -> str | None:
    """The whole normalized text of the passage's source, with the passage marked."""
    target = href(p.source.iri)
    return f"{target}?start={p.start}&end={p.end}#passage" if target else None


@blueprint.app_template_global("ckg_curie")
def _curie(iri: str) -> str:
    return curie(iri)


# -- negotiation ----------------------------------------------------------------------------


def _format(table: dict = PAGES, fallback: str = "html") -> str | None:
    fmt = request.args.get("format")
    if fmt:
        return key_for(fmt, table)
    return negotiate(request.headers.get("Accept"), table, fallback)


def _not_acceptable(table: dict = PAGES) -> Response:
    names = ", ".join(media for media, _, _ in table.values())
    return problem(406, "Not acceptable", f"this resource can be sent as: {names}")


def _rdf(triples: list[ox.Triple], key: str) -> Response:
    media = PAGES[key][0]
    resp = Response(write(triples, key), mimetype=media)
    if media.startswith("text/"):
        resp.charset = "utf-8"
    resp.headers["Vary"] = "Accept"
    return resp


def _html(template: str, status: int = 200, **context) -> Response:
    resp = Response(render_template(template, **context), status=status, mimetype="text/html")
    resp.headers["Vary"] = "Accept"
    return resp


def _alternates() -> list[tuple[str, str, str]]:
    """(media type, name, URL) of the other formats of this page."""
    out = []
    for key, name in (("ttl", "Turtle"), ("nt", "N-Triples"), ("jsonld", "JSON-LD")):
        url = url_for(request.endpoint, **(request.view_args or {}), format=key)
        out.append((PAGES[key][0], name, url))
    return out


# -- /id/… ----------------------------------------------------------------------------------


@blueprint.get("/id/", defaults={"path": ""})
@blueprint.get("/id/<path:path>")
def resource(path: str):
    fmt = _format()
    if fmt is None:
        return _not_acceptable()
    snapshot = _holder().get()
    g.ckg_base = snapshot.base
    iri = snapshot.base + "id/" + path
    if not _is_iri(iri):
        return _not_an_iri(path)
    reader = Reader.of(snapshot, _labels())
    if path and reader.exists(iri):
        return _answer(reader, iri, fmt)
    found = _dumps().dump()
    if path and found:
        meta = Reader(found[2], snapshot.base, "dump:" + str(found[0]), _labels())
        if meta.exists(iri):
            return _answer(meta, iri, fmt)
    return _not_found(reader, iri, fmt)


def _answer(reader: Reader, iri: str, fmt: str) -> Response:
    if fmt != "html":
        return _rdf(reader.description(iri), fmt)
    r = reader.resource(iri)
    types = {t.iri for t in r.types}
    if MEETING in types:
        meeting = reader.meeting(iri)
        if meeting:
            found = _dumps().dump()
            has_file = bool(found and meeting.file in found[1])
            return _html(
                "page_meeting.html", r=r, m=meeting, has_file=has_file, alternates=_alternates()
            )
    if SOURCE in types:
        return _source_page(reader, r)
    return _html("page_resource.html", r=r, alternates=_alternates())


def _source_page(reader: Reader, r) -> Response:
    text = reader.text_of(r.node.iri)
    try:
        start = int(request.args.get("start", ""))
        end = int(request.args.get("end", ""))
    except ValueError:
        start = end = -1
    if not 0 <= start <= end <= len(text):
        start = end = -1
    parts = (text[:start], text[start:end], text[end:]) if start >= 0 else (text, "", "")
    meetings = [n for t, nodes, _ in r.incoming if t.iri == str(CKG.sourceDocument) for n in nodes]
    return _html(
        "page_source.html",
        r=r,
        parts=parts,
        marked=start >= 0,
        meetings=meetings,
        length=len(text),
        alternates=_alternates(),
    )


def _not_found(reader: Reader, iri: str, fmt: str) -> Response:
    if fmt != "html":
        return problem(404, "Not found", f"no resource has the IRI {iri}")
    ancestors = []
    rest = iri[len(reader.id) :]
    parts = rest.split("/")
    # the first few levels only: every ancestor of a long path was a quadratic walk (issue 16)
    for k in range(min(len(parts) - 1, ANCESTORS), 0, -1):
        candidate = reader.id + "/".join(parts[:k])
        if reader.exists(candidate):
            ancestors.append(reader.label(candidate))
    sessions = _holder().sessions()
    nearby: list[Node] = []
    if len(parts) >= 2 and parts[0] in ("meeting", "committee", "member", "officer"):
        code = parts[1]
        same = [s for s in sessions if s.committee == code]
        wanted = parts[2] if len(parts) > 2 else ""
        same.sort(key=lambda s: (abs(_day(s.date) - _day(wanted[:10])), s.date))
        nearby = [reader.label(s.meeting) for s in same[:10]]
    committees = sorted({s.committee for s in sessions})
    return _html(
        "notfound.html",
        status=404,
        iri=iri,
        ancestors=ancestors,
        nearby=nearby,
        committees=[reader.label(reader.id + "committee/" + c) for c in committees],
        sessions=len(sessions),
    )


def _is_iri(iri: str) -> bool:
    """Whether the store can take this as an IRI (a path with %00, <, " or a space cannot:
    it was a 500, issue 16)."""
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return True


def _not_an_iri(path: str) -> Response:
    return problem(400, "Bad request", f"{path!r} cannot be part of an IRI, so nothing has it")


def _day(text: str) -> int:
    """A date as a day number (0 when it is not one), to find the sessions nearest to it."""
    try:
        y, m, d = (int(x) for x in text.split("-"))
        return y * 372 + m * 31 + d
    except ValueError:
        return 0


# -- /graph/… -------------------------------------------------------------------------------


@blueprint.get("/graph/<path:path>")
def graph(path: str):
    fmt = _format()
    if fmt is None:
        return _not_acceptable()
    snapshot = _holder().get()
    g.ckg_base = snapshot.base
    if not _is_iri(snapshot.base + "graph/" + path):
        return _not_an_iri(path)
    reader = Reader.of(snapshot, _labels())
    if fmt == "html":
        if path.startswith("meeting/"):
            return redirect(url_for("pages.resource", path=path), 303)
        if path == "ontology":
            return redirect(url_for("pages.ontology"), 303)
        fmt = "ttl"
    triples = reader.graph(snapshot.base + "graph/" + path)
    if not triples:
        return _not_found(reader, snapshot.base + "graph/" + path, fmt)
    return _rdf(triples, fmt)


# -- /ontology ------------------------------------------------------------------------------


@blueprint.get("/ontology")
def ontology():
    fmt = _format()
    if fmt is None:
        return _not_acceptable()
    if fmt != "html":
        return _rdf(_ontology_triples(), fmt)
    g.ckg_base = _base()
    return _html("ontology.html", doc=ontodoc.document(), alternates=_alternates())


def _ontology_triples() -> list[ox.Triple]:
    data = ontology_graph().serialize(format="nt", encoding="utf-8")
    return list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))


@blueprint.get("/context.jsonld")
def context():
    return Response(context_document(), mimetype="application/ld+json")


# -- /dumps/ --------------------------------------------------------------------------------


@blueprint.get("/dumps/")
def dumps_index():
    found = _dumps().dump()
    table = {"html": PAGES["html"], "ttl": PAGES["ttl"]}
    fmt = _format(table)
    if fmt is None:
        return _not_acceptable(table)
    if found is None:
        g.ckg_base = _base()
        if fmt != "html":
            return problem(404, "Not found", "no dump has been written yet")
        return _html("page_dumps.html", status=404, files=[], counts={}, summary=None)
    real, sums, metadata = found
    if fmt == "ttl":
        return _send(real, "catalog.ttl", sums)
    g.ckg_base = _base()
    # the per-session files (40,000 in a full store) are counted per commission; one
    # commission's are listed on request (?committee=JP-35), with their sizes and digests
    chosen = request.args.get("committee", "")
    files, counts, listed = [], {}, []
    for name, digest in sorted(sums.items()):
        if not name.startswith("meetings/"):
            files.append(_file_row(real, name, digest))
            continue
        committee = name.split("/")[1]
        counts[committee] = counts.get(committee, 0) + 1
        if committee == chosen:
            listed.append(_file_row(real, name, digest))
    if chosen and not listed:
        return problem(404, "Not found", f"the dump has no session of committee {chosen!r}")
    # the session file the recipe names: one of the listed commission's, else the first
    meeting = next((n for n in sorted(sums) if n.startswith("meetings/")), "meetings/…")
    meeting = listed[0]["name"] if listed else meeting
    return _html(
        "page_dumps.html",
        files=files,
        counts=dict(sorted(counts.items())),
        chosen=chosen,
        listed=listed,
        summary=_summary(metadata),
        recipes=[(r, r.code.replace("{meeting}", meeting)) for r in RECIPES],
    )


@dataclass(frozen=True)
class Recipe:
    """How to load some files of the dump: what they hold, and code that loads them (run
    as written by tests/test_site.py against a real dump; ``{meeting}`` is one session's
    file)."""

    key: str
    files: tuple[str, ...]  # fnmatch patterns of the files it is for
    ja: str
    en: str
    code: str


RECIPES = (
    Recipe(
        "merged",
        ("dataset.ttl", "dataset.nt.gz"),
        "すべてのグラフを一つに併合したもの（各トリプル一度だけ、名前付きグラフなし）。",
        "Every graph merged into one (each triple once, no named graphs).",
        "import gzip\nimport pyoxigraph as ox\n\nstore = ox.Store()\n"
        'store.bulk_load(path="dataset.ttl", format=ox.RdfFormat.TURTLE)\n'
        '# or: store.bulk_load(gzip.open("dataset.nt.gz"), format=ox.RdfFormat.N_TRIPLES)',
    ),
    Recipe(
        "named",
        ("dataset.nq.gz", "dataset.trig", "dataset.jsonld"),
        "名前付きグラフのデータセット：会議ごとに一つのグラフ、ほかに語彙・参照データ・話題・統計の"
        "グラフ。dataset.jsonld も名前付きグラフだけでできているので、rdflib では Dataset で読む"
        "（Graph().parse はエラーなしに 0 トリプルを返す）。",
        "A dataset of named graphs: one per session, and the ontology, reference data, topics "
        "and statistics in graphs of their own. dataset.jsonld too holds nothing but named "
        "graphs: read it into an rdflib Dataset (Graph().parse reads 0 triples, with no error).",
        "import gzip\nimport pyoxigraph as ox\n\nstore = ox.Store()\n"
        'store.bulk_load(path="dataset.trig", format=ox.RdfFormat.TRIG)\n'
        '# or: store.bulk_load(path="dataset.jsonld", format=ox.RdfFormat.JSON_LD)\n'
        '# or: store.bulk_load(gzip.open("dataset.nq.gz"), format=ox.RdfFormat.N_QUADS)\n'
        '# rdflib: ds = rdflib.Dataset(); ds.parse("dataset.jsonld", format="json-ld")',
    ),
    Recipe(
        "session",
        ("meetings/*",),
        "一つの会議のグラフ。それだけで完結している（共有されるノードのラベルと型も含む）。",
        "One session's graph, complete on its own (with the labels and types of the shared "
        "nodes it mentions).",
        'from rdflib import Graph\n\ng = Graph()\ng.parse("{meeting}")',
    ),
    Recipe(
        "parts",
        ("ontology.ttl", "reference.ttl", "topics.ttl", "shapes.ttl", "statistics.ttl"),
        "語彙、参照データ（委員会・職・役職・結果）、話題の体系、SHACL シェイプ、統計"
        "（RDF Data Cube と、審査請求ごとの経過の日付）。それぞれ Turtle の一つのグラフ。",
        "The ontology, the reference data (commissions, posts, roles, outcomes), the topic "
        "scheme, the SHACL shapes and the statistics (RDF Data Cube, and each appeal's "
        "derived dates), each one Turtle graph.",
        "import pyoxigraph as ox\n\nstore = ox.Store()\n"
        'store.bulk_load(path="ontology.ttl", format=ox.RdfFormat.TURTLE)',
    ),
    Recipe(
        "metadata",
        ("catalog.ttl", "void.ttl", "context.jsonld"),
        "このダンプの説明：DCAT カタログ（ファイルごとの配布、ライセンス）、VoID、"
        "JSON-LD ファイルのコンテキスト。",
        "About this dump: the DCAT catalogue (a distribution per file, licences), VoID, and "
        "the context of the JSON-LD files.",
        "import pyoxigraph as ox\n\nstore = ox.Store()\n"
        'store.bulk_load(path="catalog.ttl", format=ox.RdfFormat.TURTLE)',
    ),
    Recipe(
        "sums",
        ("SHA256SUMS",),
        "各ファイルの SHA-256。ダウンロードしたファイルを確かめる。",
        "The SHA-256 of every file: check what you downloaded.",
        "sha256sum -c SHA256SUMS",
    ),
)


def recipe_of(name: str) -> Recipe | None:
    return next((r for r in RECIPES if any(fnmatch(name, f) for f in r.files)), None)


def _file_row(real: Path, name: str, digest: str) -> dict:
    try:
        media, compression, _ = dump_file_type(name)
    except KeyError:
        media, compression = "application/octet-stream", None
    return {
        "name": name,
        "size": (real / name).stat().st_size,
        "sha256": digest,
        "media": media + (f" ({compression})" if compression else ""),
        "recipe": recipe_of(name),
    }


def _summary(metadata: ox.Store) -> dict:
    """Title, modification date and counts of the dump, read from its VoID/DCAT."""
    base = _base()
    dataset = ox.NamedNode(base + "id/dataset")

    def one(p: str, lang: str | None = None) -> str:
        for q in metadata.quads_for_pattern(dataset, ox.NamedNode(p), None, None):
            o = q.object
            if lang is None or (isinstance(o, ox.Literal) and o.language == lang):
                return o.value
        return ""

    dct, void = "http://purl.org/dc/terms/", "http://rdfs.org/ns/void#"
    return {
        "title_ja": one(dct + "title", "ja"),
        "title_en": one(dct + "title", "en"),
        "description_ja": one(dct + "description", "ja"),
        "description_en": one(dct + "description", "en"),
        "modified": one(dct + "modified"),
        "license": one(dct + "license"),
        "triples": one(void + "triples"),
        "entities": one(void + "entities"),
        "dataset": base + "id/dataset",
    }


@blueprint.get("/dumps/<path:name>")
def dump_file(name: str):
    found = _dumps().dump()
    if found is None:
        return _missing_file(name)
    real, sums, _ = found
    if name not in sums and name != "SHA256SUMS":
        return _missing_file(name)
    return _send(real, name, sums)


@blueprint.get("/.well-known/void")
def well_known_void():
    found = _dumps().dump()
    if found is None or "void.ttl" not in found[1]:
        return _missing_file("void.ttl")
    return _send(found[0], "void.ttl", found[1])


def _send(real: Path, name: str, sums: dict[str, str]) -> Response:
    """A dump file with its media type, Content-Length, a strong ETag (its sha256, stable
    across dumps of the same content), Last-Modified, and conditional and range requests."""
    digest = sums.get(name)
    if digest is None:  # SHA256SUMS itself
        digest = hashlib.sha256((real / name).read_bytes()).hexdigest()
    resp = send_from_directory(
        real,
        name,
        mimetype=http_media_type(name),
        etag=digest,
        conditional=True,
        max_age=DUMP_MAX_AGE,
    )
    return resp


def _missing_file(name: str) -> Response:
    return problem(404, "Not found", f"the dumps have no file {name!r}; see /dumps/")
