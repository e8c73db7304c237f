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
