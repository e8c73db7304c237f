"""committee-kg: minutes of public committees as a validated RDF knowledge graph.

One import package for the whole distribution. The repository keeps the pipeline's rooms
at its top level (``loaders/``, ``server/``, ``ontology/``, ``shapes/``, ``queries/``,
``examples/``) and ``pyproject.toml`` maps each into this package, so that an installed
copy names nothing generic in site-packages: ``committee_kg.loaders``,
``committee_kg.server``, and the data folders read through :mod:`committee_kg.data`.
"""

__version__ = "0.1.0"
