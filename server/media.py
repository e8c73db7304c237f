"""Media types in one place: /sparql, /id/… and /dumps/ all negotiate through these tables."""

from __future__ import annotations

import pyoxigraph as ox

# key: (media type, pyoxigraph format, file extension)
RESULTS = {
    "json": ("application/sparql-results+json", ox.QueryResultsFormat.JSON, "srj"),
    "xml": ("application/sparql-results+xml", ox.QueryResultsFormat.XML, "srx"),
    "csv": ("text/csv", ox.QueryResultsFormat.CSV, "csv"),
    "tsv": ("text/tab-separated-values", ox.QueryResultsFormat.TSV, "tsv"),
}
GRAPHS = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE, "ttl"),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES, "nt"),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD, "jsonld"),
    "rdfxml": ("application/rdf+xml", ox.RdfFormat.RDF_XML, "rdf"),
    "trig": ("application/trig", ox.RdfFormat.TRIG, "trig"),
    "nq": ("application/n-quads", ox.RdfFormat.N_QUADS, "nq"),
}
# the graph views (/api/graph/<view>, issue 7): key: (media type, writer, extension); GraphML
# has no registered media type, this is the one its authors and Gephi use
NETWORKS = {
    "json": ("application/json", "to_json", "json"),
    "graphml": ("application/graphml+xml", "to_graphml", "graphml"),
    "gexf": ("application/gexf+xml", "to_gexf", "gexf"),
}
ALIASES = {
    "turtle": "ttl",
    "ntriples": "nt",
    "n-triples": "nt",
    "json-ld": "jsonld",
    "rdf": "rdfxml",
    "xml-rdf": "rdfxml",
    "srj": "json",
    "srx": "xml",
}


def key_for(name: str, table: dict) -> str | None:
    """A format name or media type (``format=`` parameter) → a key of table, or None."""
    name = name.strip().lower()
    name = ALIASES.get(name, name)
    if name in table:
        return name
    for key, (media, _, _) in table.items():
        if media == name:
            return key
    return None


def negotiate(accept: str | None, table: dict, default: str) -> str | None:
    """The key of table best matching an Accept header (q-values honoured), else None."""
    if not accept:
        return default
    offers = []
    for k, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        offers.append((-q, k, media))
    for _, _, media in sorted(offers):
        if media in ("*/*", "application/*", "text/*"):
            return default
        if media == "application/json":
            media = "application/sparql-results+json" if "json" in table else "application/ld+json"
        if media == "application/xml":
            media = "application/sparql-results+xml" if "xml" in table else "application/rdf+xml"
        found = key_for(media, table)
        if found:
            return found
    return None


# /id/…, /graph/… and /ontology: a page for people, a description for machines
PAGES = {"html": ("text/html", None, "html")} | {
    k: GRAPHS[k] for k in ("ttl", "nt", "jsonld", "rdfxml")
}

# Files of the dumps by how their name ends: (media type of the content, compression or
# None, the EU file type that DCAT-AP's dct:format names). The HTTP Content-Type of a file
# is its compression when it has one: a .nt.gz is sent as application/gzip, byte for byte
# (no Content-Encoding), so that its size and checksum are those the catalogue states.
DUMP_FILES = {
    ".nt.gz": ("application/n-triples", "application/gzip", "RDF_N_TRIPLES"),
    ".nq.gz": ("application/n-quads", "application/gzip", "RDF_N_QUADS"),
    ".ttl": ("text/turtle", None, "RDF_TURTLE"),
    ".trig": ("application/trig", None, "RDF_TRIG"),
    ".jsonld": ("application/ld+json", None, "JSON_LD"),
    "SHA256SUMS": ("text/plain", None, "TXT"),
}
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
EU_FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"


def dump_file_type(name: str) -> tuple[str, str | None, str]:
    """(content media type, compression, EU file type) of a dump file; KeyError if unknown."""
    for ending in sorted(DUMP_FILES, key=len, reverse=True):
        if name.endswith(ending):
            return DUMP_FILES[ending]
    raise KeyError(name)


def http_media_type(name: str) -> str:
    """The Content-Type a dump file is served with (text/* in UTF-8)."""
    media, compression, _ = dump_file_type(name)
    return compression or media
