"""What a portal harvests beside the dumps (issue 6): a DCAT catalogue that conforms to
DCAT-AP 3.0.0 and a VoID description of the dataset.

Nothing here states when the dump was made: ``dcterms:modified`` is the date of the newest
session, so the same store gives the same bytes, and a portal that compares checksums or
modification dates sees a change only when the data changed. Every node has
an IRI under ``{base}id/dataset…`` (no blank nodes); the server answers for them at /id/…
from these files. Links to files and to the endpoint start at ``public_url`` (by default the
base, which w3id.org redirects to the deployment).

    catalogue  {base}id/catalog                       dcat:Catalog
    dataset    {base}id/dataset                       dcat:Dataset, void:Dataset (everything)
    series     {base}id/dataset/meetings              dcat:DatasetSeries (one per session)
    session    {base}id/dataset/meeting/JP-35/2025-04-09   dcat:Dataset, void:Dataset
    parts      {base}id/dataset/ontology|reference|topics|statistics|shapes
    files      {dataset}/distribution/<ext> or {part}/distribution
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import quote

import pyoxigraph as ox

from committee_kg.loaders.reference import reference
from committee_kg.loaders.vocab import CKG, PREFIXES

from ..media import EU_FILE_TYPES, IANA_MEDIA_TYPES, dump_file_type
from ..settings import default

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
FOAF = "http://xmlns.com/foaf/0.1/"
SPDX = "http://spdx.org/rdf/terms#"
VCARD = "http://www.w3.org/2006/vcard/ns#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
FORMATS = "http://www.w3.org/ns/formats/"
EU = "http://publications.europa.eu/resource/authority/"
ONTOLOGY = str(CKG).rstrip("#")

METADATA_PREFIXES = {
    "dcat": DCAT,
    "dcterms": DCT,
    "void": VOID,
    "foaf": FOAF,
    "spdx": SPDX,
    "vcard": VCARD,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "ckg": str(CKG),
}

# what the default graph of every query is (issue 15): said by the DCAT data service and
# the endpoint's own service description alike
DEFAULT_GRAPH = {
    "en": "Without FROM or default-graph-uri, the default graph is the union of the graphs of "
    "the sessions (with the ontology, reference data, topics and statistics) as a set: their "
    "RDF merge, where a triple that many sessions state is there once.",
    "ja": "FROM や default-graph-uri がなければ、既定グラフは各会議のグラフ（語彙・参照"
    "データ・話題・統計を含む）の和集合（RDF マージ）であり、多くの会議が述べるトリプルも"
    "一度だけ含まれる。",
}

# the files of the dataset as a whole: (ending, title, W3C format IRI for void:feature)
WHOLE = (
    ("ttl", "Turtle", "Turtle"),
    ("nt.gz", "N-Triples (gzip)", "N-Triples"),
    ("nq.gz", "N-Quads (gzip)", "N-Quads"),
    ("trig", "TriG", "TriG"),
    ("jsonld", "JSON-LD", "JSON-LD"),
)
# datasets of their own: name → (file, title ja, title en, description ja, description en)
PARTS = {
    "ontology": (
        "ontology.ttl",
        "語彙（オントロジー）",
        "Vocabulary (ontology)",
        "会議・議題・発言などのクラスとプロパティ（日英のラベルと説明）。",
        "The classes and properties of sessions, agenda items, remarks and the rest, with "
        "Japanese and English labels and comments.",
    ),
    "reference": (
        "reference.ttl",
        "参照データ（委員会・職・役割・結果）",
        "Reference data (commissions, posts, roles, outcomes)",
        "47都道府県の公安委員会、国家公安委員会、北海道の方面公安委員会、警察の職とその別名、"
        "委員の役割、議題の結果。",
        "The 47 prefectural public safety commissions, the National Public Safety Commission, "
        "Hokkaido's area commissions, police posts and their aliases, member roles, outcomes.",
    ),
    "topics": (
        "topics.ttl",
        "話題の分類（SKOS）",
        "Topic scheme (SKOS)",
        "議題と発言に付ける話題の体系。",
        "The scheme of topics that agenda items and remarks are tagged with.",
    ),
    "statistics": (
        "statistics.ttl",
        "統計（委員会・年、委員の在任、審査請求、援助要求、協定）",
        "Statistics (commission-years, member tenure, appeals, dispatch requests, agreements)",
        "会議録から公開の世代ごとに計算した統計（RDF Data Cube の観測）：委員会・年ごとの会議数・"
        "議題数・発言数、委員の在任期間、審査請求の日付と所要期間、委員会間の援助要求、協定と締結先。"
        "審査請求自身の経過の日付（受理、審理、答申、裁決）も同時に導いてここに置く。",
        "Figures computed from the sessions whenever a generation is published, as RDF Data "
        "Cube observations: sessions, agenda items and remarks per commission and year, "
        "members' tenure, every appeal's dates and the durations between them, dispatch "
        "requests between commissions, and agreements with their parties; with them, each "
        "appeal's own life (receipt, hearings, opinion, ruling), derived at the same time.",
    ),
    "shapes": (
        "shapes.ttl",
        "SHACL シェイプ",
        "SHACL shapes",
        "各会議のデータが満たす条件（取り込み時に検証する）。",
        "The constraints every session's data meets (checked when it is ingested).",
    ),
}


@dataclass(frozen=True)
class Metadata:
    """What the operator states about the data (settings: license, publisher_*, …)."""

    base: str
    public_url: str = ""
    license: str = ""
    publisher_name: str = ""
    publisher_iri: str = ""
    title_en: str = ""
    title_ja: str = ""
    contact_email: str = ""

    @classmethod
    def from_settings(cls, base: str, **overrides: str) -> Metadata:
        values = {
            "public_url": default("public_url"),
            "license": default("license"),
            "publisher_name": default("publisher_name"),
            "publisher_iri": default("publisher_iri"),
            "title_en": default("dataset_title"),
            "title_ja": default("dataset_title_ja"),
            "contact_email": default("contact_email"),
        }
        values.update({k: v for k, v in overrides.items() if v})
        return cls(base=base, **values)

    @property
    def root(self) -> str:
        """Where the server is reached: public_url, else the base."""
        url = self.public_url or self.base
        return url if url.endswith("/") else url + "/"

    def file_url(self, path: str) -> str:
        return self.root + "dumps/" + quote(path)

    @property
    def publisher(self) -> str:
        return self.publisher_iri or self.base + "id/publisher"


@dataclass
class FileInfo:
    path: str  # relative to the dump directory, with /
    size: int
    sha256: str


@dataclass
class SessionPart:
    meeting: str
    graph: str
    path: str  # meetings/JP-35/2025-04-09.ttl
    date: str
    committee: str
    triples: int
    labels: list[tuple[str, str]] = field(default_factory=list)  # (text, language)
    source_url: str | None = None


@dataclass
class Statistics:
    """Counted over the distinct triples of the whole dataset (the union of its graphs)."""

    triples: int = 0
    subjects: int = 0
    entities: int = 0
    properties: Counter = field(default_factory=Counter)  # predicate IRI → triples
    classes: Counter = field(default_factory=Counter)  # class IRI → instances


class _Triples:
    def __init__(self):
        self.items: list[ox.Triple] = []

    def add(self, s: str, p: str, o) -> None:
        if o is None:
            return
        if isinstance(o, str):
            o = ox.NamedNode(o)
        self.items.append(ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o))

    def lit(self, s: str, p: str, value, lang: str | None = None, dt: str | None = None):
        if lang:
            o = ox.Literal(str(value), language=lang)
        elif dt:
            o = ox.Literal(str(value), datatype=ox.NamedNode(dt))
        else:
            o = ox.Literal(str(value))
        self.add(s, p, o)


def _labels(t: _Triples, s: str, p: str, ja: str, en: str) -> None:
    t.lit(s, p, ja, "ja")
    t.lit(s, p, en, "en")


class Describer:
    """Builds the VoID description and the DCAT catalogue of one dump."""

    def __init__(
        self,
        meta: Metadata,
        stats: Statistics,
        files: dict[str, FileInfo],
        sessions: list[SessionPart],
    ):
        self.meta = meta
        self.stats = stats
        self.files = files
        self.sessions = sessions
        base = meta.base
        self.catalog = base + "id/catalog"
        self.dataset = base + "id/dataset"
        self.series = base + "id/dataset/meetings"
        self.service = base + "id/dataset/sparql"
        dates = sorted(s.date for s in sessions if s.date)
        self.first, self.last = (dates[0], dates[-1]) if dates else (None, None)
        self.committees = sorted({s.committee for s in sessions})

    # -- shared ------------------------------------------------------------------------

    def part_iri(self, name: str) -> str:
        return f"{self.dataset}/{name}"

    def session_iri(self, s: SessionPart) -> str:
        return f"{self.dataset}/meeting/{s.meeting.split('/id/meeting/', 1)[1]}"

    def committee_iri(self, code: str) -> str:
        return f"{self.meta.base}id/committee/{code}"

    def _agents(self, t: _Triples) -> None:
        t.add(self.meta.publisher, RDF + "type", FOAF + "Agent")
        t.lit(self.meta.publisher, FOAF + "name", self.meta.publisher_name)
        committees = reference().committees
        for code in self.committees:
            iri = self.committee_iri(code)
            t.add(iri, RDF + "type", FOAF + "Agent")
            c = committees.get(code)
            if c:
                _labels(t, iri, FOAF + "name", c.label_ja, c.label_en)
            else:
                t.lit(iri, FOAF + "name", code)

    def _common(self, t: _Triples, s: str) -> None:
        """What every dataset states: publisher, licence, language, modification date."""
        t.add(s, DCT + "publisher", self.meta.publisher)
        t.add(s, DCT + "license", self.meta.license)
        t.add(s, DCT + "language", EU + "language/JPN")
        if self.last:
            t.lit(s, DCT + "modified", self.last, dt=XSD + "date")
        if self.meta.contact_email:
            t.add(s, DCAT + "contactPoint", self.meta.base + "id/publisher/contact")

    # -- DCAT --------------------------------------------------------------------------

    def catalogue(self) -> list[ox.Triple]:
        t = _Triples()
        m = self.meta
        c = self.catalog
        t.add(c, RDF + "type", DCAT + "Catalog")
        _labels(
            t,
            c,
            DCT + "title",
            f"{m.title_ja} データカタログ",
            f"{m.title_en}: data catalogue",
        )
        _labels(
            t,
            c,
            DCT + "description",
            "会議録から作った知識グラフのダンプ、会議ごとのファイル、語彙とシェイプ、"
            "SPARQL エンドポイント。",
            "Dumps of the knowledge graph made from the minutes, one file per session, the "
            "vocabulary and shapes, and the SPARQL endpoint.",
        )
        t.add(c, DCT + "publisher", m.publisher)
        t.add(c, DCT + "license", m.license)
        t.add(c, DCT + "language", EU + "language/JPN")
        if self.last:
            t.lit(c, DCT + "modified", self.last, dt=XSD + "date")
        t.add(c, FOAF + "homepage", m.root)
        t.add(m.root, RDF + "type", FOAF + "Document")
        t.add(c, DCAT + "service", self.service)
        for name in ("void.ttl", "SHA256SUMS"):
            t.add(c, RDFS + "seeAlso", m.file_url(name))
        t.add(c, DCAT + "dataset", self.dataset)
        t.add(c, DCAT + "dataset", self.series)
        for name in PARTS:
            t.add(c, DCAT + "dataset", self.part_iri(name))
        for s in self.sessions:
            t.add(c, DCAT + "dataset", self.session_iri(s))
        self._agents(t)
        t.add(m.license, RDF + "type", DCT + "LicenseDocument")
        if m.contact_email:
            contact = m.base + "id/publisher/contact"
            t.add(contact, RDF + "type", VCARD + "Kind")
            t.lit(contact, VCARD + "fn", m.publisher_name)
            t.add(contact, VCARD + "hasEmail", "mailto:" + m.contact_email)
        self._whole(t)
        self._service(t)
        self._series(t)
        for name in PARTS:
            self._part(t, name)
        for s in self.sessions:
            self._session(t, s)
        return t.items

    def _whole(self, t: _Triples) -> None:
        m, d = self.meta, self.dataset
        t.add(d, RDF + "type", DCAT + "Dataset")
        _labels(t, d, DCT + "title", m.title_ja, m.title_en)
        n, k = len(self.sessions), len(self.committees)
        span_ja = f"、{self.first}〜{self.last}" if self.first else ""
        span_en = f", {self.first} to {self.last}" if self.first else ""
        _labels(
            t,
            d,
            DCT + "description",
            f"公安委員会の会議録（{k}委員会の{n}回の会議{span_ja}）から抽出した会議、出席者、"
            "議題、発言、決定、協定、審査請求、援助の要求。各事実は会議録中の該当箇所を指す。",
            f"Sessions, attendance, agenda items, remarks, decisions, agreements, appeals and "
            f"dispatch requests extracted from the minutes of public safety commissions ({n} "
            f"sessions of {k} commissions{span_en}); every fact points at the passage of the "
            "minutes it was read from.",
        )
        self._common(t, d)
        for code in self.committees:
            t.add(d, DCT + "creator", self.committee_iri(code))
        rights = d + "/rights"
        t.add(d, DCT + "rights", rights)
        t.add(rights, RDF + "type", DCT + "RightsStatement")
        _labels(
            t,
            rights,
            RDFS + "label",
            "出典：各公安委員会が公表した会議録（会議ごとのデータに出典URLを記載）。",
            "Source: the minutes published by each public safety commission (each session's "
            "data gives the URL it was published at).",
        )
        t.add(d, DCT + "conformsTo", ONTOLOGY)
        t.add(ONTOLOGY, RDF + "type", DCT + "Standard")
        t.add(d, DCT + "spatial", EU + "country/JPN")
        t.add(EU + "country/JPN", RDF + "type", DCT + "Location")
        t.add(EU + "language/JPN", RDF + "type", DCT + "LinguisticSystem")
        for theme, label in THEMES.items():
            t.add(d, DCAT + "theme", EU + "data-theme/" + theme)
            t.add(EU + "data-theme/" + theme, RDF + "type", SKOS_CONCEPT)
            t.lit(EU + "data-theme/" + theme, SKOS_PREF_LABEL, label, "en")
        for word, lang in (
            ("公安委員会", "ja"),
            ("会議録", "ja"),
            ("警察", "ja"),
            ("public safety commission", "en"),
            ("minutes", "en"),
            ("police", "en"),
        ):
            t.lit(d, DCAT + "keyword", word, lang)
        if self.first:
            period = d + "/period"
            t.add(d, DCT + "temporal", period)
            t.add(period, RDF + "type", DCT + "PeriodOfTime")
            t.lit(period, DCAT + "startDate", self.first, dt=XSD + "date")
            t.lit(period, DCAT + "endDate", self.last, dt=XSD + "date")
        t.add(d, DCAT + "landingPage", m.root)
        for ending, title, _ in WHOLE:
            self._distribution(t, d, f"dataset.{ending}", f"{d}/distribution/{ending}", title)
        sparql = d + "/distribution/sparql"
        t.add(d, DCAT + "distribution", sparql)
        t.add(sparql, RDF + "type", DCAT + "Distribution")
        t.lit(sparql, DCT + "title", "SPARQL endpoint", "en")
        t.add(sparql, DCAT + "accessURL", m.root + "sparql")
        t.add(sparql, DCAT + "accessService", self.service)
        t.add(sparql, DCT + "license", m.license)

    def _service(self, t: _Triples) -> None:
        s, m = self.service, self.meta
        t.add(s, RDF + "type", DCAT + "DataService")
        _labels(t, s, DCT + "title", "SPARQL エンドポイント", "SPARQL endpoint")
        t.lit(
            s,
            DCT + "description",
            "SPARQL 1.1 Protocol, read-only, with a time limit and a row cap. "
            + DEFAULT_GRAPH["en"],
            "en",
        )
        t.lit(s, DCT + "description", DEFAULT_GRAPH["ja"], "ja")
        t.add(s, DCAT + "endpointURL", m.root + "sparql")
        t.add(s, DCAT + "endpointDescription", m.root + "sparql?format=ttl")
        t.add(s, DCAT + "servesDataset", self.dataset)
        sparql11 = "https://www.w3.org/TR/sparql11-protocol/"
        t.add(s, DCT + "conformsTo", sparql11)
        t.add(sparql11, RDF + "type", DCT + "Standard")
        t.add(s, DCT + "license", m.license)
        t.add(s, DCT + "publisher", m.publisher)

    def _series(self, t: _Triples) -> None:
        s = self.series
        t.add(s, RDF + "type", DCAT + "DatasetSeries")
        t.add(s, RDF + "type", DCAT + "Dataset")  # DCAT 3: a series is a dataset
        _labels(
            t,
            s,
            DCT + "title",
            f"{self.meta.title_ja}（会議ごと）",
            f"{self.meta.title_en}, one dataset per session",
        )
        _labels(
            t,
            s,
            DCT + "description",
            "会議ごとのデータ（一つの Turtle ファイルがその会議の名前付きグラフのすべてを持つ）。",
            "The data of each session on its own (one Turtle file holds everything its named "
            "graph states, including the labels of the shared nodes it mentions).",
        )
        t.add(s, DCT + "publisher", self.meta.publisher)
        t.add(s, DCT + "license", self.meta.license)  # a harvester reads it off the series too
        if self.last:
            t.lit(s, DCT + "modified", self.last, dt=XSD + "date")

    def _part(self, t: _Triples, name: str) -> None:
        file, title_ja, title_en, desc_ja, desc_en = PARTS[name]
        if file not in self.files:
            return
        d = self.part_iri(name)
        t.add(d, RDF + "type", DCAT + "Dataset")
        _labels(t, d, DCT + "title", title_ja, title_en)
        _labels(t, d, DCT + "description", desc_ja, desc_en)
        self._common(t, d)
        if name != "shapes":  # the shapes constrain the data; they are not part of it
            t.add(d, DCT + "isPartOf", self.dataset)
        self._distribution(t, d, file, d + "/distribution", "Turtle")

    def _session(self, t: _Triples, s: SessionPart) -> None:
        d = self.session_iri(s)
        t.add(d, RDF + "type", DCAT + "Dataset")
        labels = dict((lang, text) for text, lang in s.labels)
        ja = labels.get("ja", s.meeting.rsplit("/id/meeting/", 1)[-1])
        en = labels.get("en", ja)
        _labels(t, d, DCT + "title", ja, en)
        _labels(
            t,
            d,
            DCT + "description",
            f"{ja}の会議録から抽出したデータ（{s.triples}トリプル）。",
            f"The data extracted from the minutes of {en} ({s.triples} triples).",
        )
        t.add(d, DCAT + "inSeries", self.series)
        t.add(d, DCT + "isPartOf", self.dataset)
        t.add(d, DCT + "creator", self.committee_iri(s.committee))
        t.add(d, DCT + "publisher", self.meta.publisher)
        t.add(d, DCT + "license", self.meta.license)
        t.add(d, DCT + "language", EU + "language/JPN")
        t.lit(d, DCT + "modified", s.date, dt=XSD + "date")
        t.add(d, DCT + "relation", s.meeting)
        if s.source_url:
            t.add(d, "http://www.w3.org/ns/prov#wasDerivedFrom", s.source_url)
        self._distribution(t, d, s.path, d + "/distribution", "Turtle")

    def _distribution(self, t: _Triples, dataset: str, path: str, iri: str, title: str):
        info = self.files.get(path)
        if info is None:
            return
        media, compression, eu = dump_file_type(path)
        t.add(dataset, DCAT + "distribution", iri)
        t.add(iri, RDF + "type", DCAT + "Distribution")
        t.lit(iri, DCT + "title", title, "en")
        t.add(iri, DCAT + "accessURL", self.meta.root + "dumps/")
        t.add(iri, DCAT + "downloadURL", self.meta.file_url(path))
        t.add(iri, DCAT + "mediaType", IANA_MEDIA_TYPES + media)
        t.add(IANA_MEDIA_TYPES + media, RDF + "type", DCT + "MediaType")
        t.add(iri, DCT + "format", EU_FILE_TYPES + eu)
        t.add(EU_FILE_TYPES + eu, RDF + "type", DCT + "MediaTypeOrExtent")
        if compression:
            t.add(iri, DCAT + "compressFormat", IANA_MEDIA_TYPES + compression)
            t.add(IANA_MEDIA_TYPES + compression, RDF + "type", DCT + "MediaType")
        t.lit(iri, DCAT + "byteSize", info.size, dt=XSD + "nonNegativeInteger")
        checksum = iri + "/checksum"
        t.add(iri, SPDX + "checksum", checksum)
        t.add(checksum, RDF + "type", SPDX + "Checksum")
        t.add(checksum, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256")
        t.add(SPDX + "checksumAlgorithm_sha256", RDF + "type", SPDX + "ChecksumAlgorithm")
        t.lit(checksum, SPDX + "checksumValue", info.sha256, dt=XSD + "hexBinary")
        t.add(iri, DCT + "license", self.meta.license)
        if path.endswith(".jsonld") and "context.jsonld" in self.files:
            context = self.meta.file_url("context.jsonld")
            t.add(iri, DCT + "conformsTo", context)
            t.add(context, RDF + "type", DCT + "Standard")
            t.lit(context, DCT + "title", "JSON-LD context of committee-kg", "en")

    # -- VoID --------------------------------------------------------------------------

    def void(self) -> list[ox.Triple]:
        t = _Triples()
        m, d, st = self.meta, self.dataset, self.stats
        t.add(d, RDF + "type", VOID + "Dataset")
        _labels(t, d, DCT + "title", m.title_ja, m.title_en)
        t.add(d, DCT + "license", m.license)
        t.add(d, DCT + "publisher", m.publisher)
        t.add(m.publisher, RDF + "type", FOAF + "Agent")
        t.lit(m.publisher, FOAF + "name", m.publisher_name)
        if self.last:
            t.lit(d, DCT + "modified", self.last, dt=XSD + "date")
        t.add(d, VOID + "sparqlEndpoint", m.root + "sparql")
        t.lit(d, VOID + "uriSpace", m.base + "id/")
        t.add(d, VOID + "rootResource", self.catalog)
        for ending, _, feature in WHOLE:
            if f"dataset.{ending}" in self.files:
                t.add(d, VOID + "dataDump", m.file_url(f"dataset.{ending}"))
                t.add(d, VOID + "feature", FORMATS + feature)
        for name, value in (
            ("triples", st.triples),
            ("entities", st.entities),
            ("distinctSubjects", st.subjects),
            ("properties", len(st.properties)),
            ("classes", len(st.classes)),
        ):
            t.lit(d, VOID + name, value, dt=XSD + "integer")
        for vocabulary in sorted(_vocabularies(st)):
            t.add(d, VOID + "vocabulary", vocabulary)
        for cls, n in sorted(st.classes.items()):
            part = f"{d}/class/{_slug(cls)}"
            t.add(d, VOID + "classPartition", part)
            t.add(part, VOID + "class", cls)
            t.lit(part, VOID + "entities", n, dt=XSD + "integer")
        for prop, n in sorted(st.properties.items()):
            part = f"{d}/property/{_slug(prop)}"
            t.add(d, VOID + "propertyPartition", part)
            t.add(part, VOID + "property", prop)
            t.lit(part, VOID + "triples", n, dt=XSD + "integer")
        if self.sessions:
            t.add(d, VOID + "exampleResource", self.sessions[-1].meeting)
        for name in PARTS:
            file = PARTS[name][0]
            if file in self.files and name != "shapes":
                part = self.part_iri(name)
                t.add(d, VOID + "subset", part)
                t.add(part, RDF + "type", VOID + "Dataset")
                t.add(part, VOID + "dataDump", m.file_url(file))
        for s in self.sessions:
            part = self.session_iri(s)
            t.add(d, VOID + "subset", part)
            t.add(part, RDF + "type", VOID + "Dataset")
            t.add(part, VOID + "dataDump", m.file_url(s.path))
            t.add(part, VOID + "rootResource", s.meeting)
            t.lit(part, VOID + "triples", s.triples, dt=XSD + "integer")
        return t.items


SKOS_CONCEPT = "http://www.w3.org/2004/02/skos/core#Concept"
SKOS_PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
# EU data themes (publications.europa.eu/resource/authority/data-theme) of the dataset
THEMES = {"JUST": "Justice, legal system and public safety", "GOVE": "Government and public sector"}


def _vocabularies(stats: Statistics) -> set[str]:
    """The namespaces (as their documents' IRIs) of the properties and classes used."""
    out = set()
    for iri in list(stats.properties) + list(stats.classes):
        for ns in PREFIXES.values():
            if iri.startswith(str(ns)):
                out.add(ONTOLOGY if str(ns) == str(CKG) else str(ns))
    return out


def _slug(iri: str) -> str:
    """A class or property IRI as one path segment: ``ckg-Meeting``, ``schema-startDate``."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(str(ns)):
            return f"{prefix}-{iri[len(str(ns)) :]}"
    return quote(iri, safe="")
