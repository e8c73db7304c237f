"""One table of settings: the command line, the server and the README all read it.

Each setting can also come from the environment as COMMITTEE_KG_<NAME> (upper case),
which is how a deployment behind a proxy sets them once. Importing this module loads no RDF
library: ``committee-kg --help`` shows every default.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields
from typing import Any

from committee_kg.loaders.defaults import DEFAULT_BASE, DEFAULT_LICENSE
from committee_kg.loaders.limits import DEFAULT_LIMITS, Limits


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS = (
    Setting(
        "store",
        "./data/store",
        "directory of the embedded store (created on first ingest), or a SPARQL server's "
        "query URL (http://host/sparql)",
    ),
    Setting(
        "store_update",
        "",
        "with a SPARQL server as the store: its update URL; empty: beside the query URL "
        "(Virtuoso /sparql-auth, Oxigraph /update)",
    ),
    Setting(
        "store_graphs",
        "",
        "with a SPARQL server as the store: its Graph Store Protocol URL; empty: beside the "
        "query URL (Virtuoso /sparql-graph-crud-auth, Oxigraph /store)",
    ),
    Setting(
        "store_user", "", "user the SPARQL server's update and graph URLs take (Virtuoso: dba)"
    ),
    Setting("store_password", "", "that user's password (digest or basic authentication)"),
    Setting(
        "store_max_answer_bytes",
        256 * 1024 * 1024,
        "with a SPARQL server as the store: the largest answer read from it (a query past it "
        "fails, rather than filling this process's memory before the row cap applies)",
    ),
    Setting("base", DEFAULT_BASE, "base of every IRI; recorded in the store, fixed from then on"),
    Setting("host", "127.0.0.1", "address the server listens on"),
    Setting("port", 8080, "port the server listens on"),
    Setting("timeout", 10.0, "seconds a SPARQL query may run before it is stopped"),
    Setting("max_rows", 10000, "rows a SPARQL result may have; more are cut, and a header says so"),
    Setting("workers", 2, "query worker processes (each holds the store open read-only)"),
    Setting("max_request_bytes", 100_000, "largest SPARQL request accepted (body or query string)"),
    Setting(
        "worker_memory_mb",
        1024,
        "memory a query worker may hold (MB); a query taking it past that is stopped (503)",
    ),
    Setting(
        "query_queue",
        16,
        "queries that may wait for a busy worker (up to request_timeout); more get 503 at once",
    ),
    Setting("page_threads", 4, "pages, graph views and dumps served at once"),
    Setting(
        "page_queue",
        16,
        "page requests that may wait (up to request_timeout) for one of those; more get 503",
    ),
    Setting(
        "max_connections",
        200,
        "open connections the server keeps at once; past it, new ones wait to be accepted",
    ),
    Setting(
        "max_client_connections",
        20,
        "open connections one client address may hold (trusted proxies excepted); more are closed",
    ),
    Setting(
        "request_timeout",
        15.0,
        "seconds a client has to send a whole request, from connecting or from its last answer",
    ),
    Setting("max_path_bytes", 2048, "longest request path accepted (414 past it)"),
    Setting(
        "trusted_proxies",
        "",
        "addresses or networks (comma-separated) whose X-Forwarded-For/-Proto/-Host/-Prefix "
        "are honoured; empty: none",
    ),
    Setting("license", DEFAULT_LICENSE, "licence IRI stated for the data in dumps"),
    Setting(
        "graph_max_nodes",
        3000,
        "nodes a graph view may draw; past it the most connected are kept, and it says so",
    ),
    Setting("keep_generations", 3, "published store snapshots kept (they double as backups)"),
    Setting("dumps", "./data/dumps", "directory the dumps are written to and /dumps/ serves"),
    Setting(
        "public_url",
        "",
        "URL the server is reached at, for the links in the dumps' DCAT/VoID; empty: the base",
    ),
    Setting("publisher_name", "committee-kg", "publisher of the dumps (DCAT/VoID foaf:name)"),
    Setting("publisher_iri", "", "IRI of the publisher; empty: {base}id/publisher"),
    Setting("contact_email", "", "contact address stated in the catalogue; empty: none"),
    Setting(
        "dataset_title",
        "Minutes of Japanese public safety commissions as a knowledge graph",
        "title of the dataset in English (DCAT, VoID, pages)",
    ),
    Setting("dataset_title_ja", "公安委員会会議録の知識グラフ", "title of the dataset in Japanese"),
    Setting(
        "max_source_bytes",
        DEFAULT_LIMITS.max_source_bytes,
        "largest minutes file convert, validate and ingest read; a larger one is refused",
    ),
    Setting(
        "max_text_chars",
        DEFAULT_LIMITS.max_text_chars,
        "most characters of text one minutes file may give (a PDF's are counted as drawn)",
    ),
    Setting("max_pdf_pages", DEFAULT_LIMITS.max_pdf_pages, "most pages a minutes PDF may have"),
    Setting(
        "max_pdf_inflated_bytes",
        DEFAULT_LIMITS.max_pdf_inflated_bytes,
        "most bytes a minutes PDF's compressed streams may inflate to, all together",
    ),
    Setting(
        "convert_timeout",
        DEFAULT_LIMITS.convert_timeout,
        "seconds of processor time reading and converting one minutes file may take",
    ),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def default(name: str) -> Any:
    """The setting's value from the environment, else its default, typed like the default."""
    setting = _BY_NAME[name]
    raw = os.environ.get(f"COMMITTEE_KG_{name.upper()}")
    if raw is None:
        return setting.default
    return type(setting.default)(raw)


_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(store: object) -> bool:
    """Whether a ``store`` value is a URL (``http://host/sparql``), not a directory: a URL
    must never become a folder named ``http:``."""
    return isinstance(store, str) and bool(_URL.match(store))


def limits() -> Limits:
    """The limits on reading one minutes file, as the table sets them."""
    return Limits(**{f.name: default(f.name) for f in fields(Limits)})


def help_text(name: str) -> str:
    s = _BY_NAME[name]
    return f"{s.help} (default: {s.default})"
