"""Where the package's data lives, wherever the package is installed.

The vocabulary, shapes, queries and example minutes are package data (each folder of the
repository is a package of its own in the distribution), found through
``importlib.resources`` rather than beside a source file: a wheel installs them under
``site-packages/committee_kg/``, an editable install leaves them in the checkout.
Importing this module loads no RDF library (``--help`` must stay quick).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def folder(name: str) -> Path:
    """A data folder of the package, as a path (wheels install unzipped, so it is one)."""
    return Path(str(resources.files(f"committee_kg.{name}")))


ONTOLOGY_DIR = folder("ontology")
SHAPES_DIR = folder("shapes")
QUERIES_DIR = folder("queries")
EXAMPLES_DIR = folder("examples")
