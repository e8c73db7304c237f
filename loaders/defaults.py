"""The defaults the loaders mint and license data with, as plain strings.

Read by the settings table too (``server/settings.py``), which ``committee-kg --help``
shows: importing this module loads no RDF library, so that ``--help`` stays quick.
"""

from __future__ import annotations

DEFAULT_BASE = "https://w3id.org/committee-kg/"  # of every IRI, unless the store records another
DEFAULT_LICENSE = "https://creativecommons.org/licenses/by/4.0/"  # of the data, in every graph
