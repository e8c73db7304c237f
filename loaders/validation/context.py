"""What a session is validated with: the ontology, and the reference data it mentions.

The shapes run over the session's graph merged with these (``_context``). Merged, not
passed to pyshacl as an ontology graph: that mixes in class definitions but not the types
of reference entities, which gives false sh:class violations. pyshacl reads the context
as rdflib triples; the fast engine as N-Triples, and of the ontology only the triples a
shape can read (``ntriples``).
"""

from __future__ import annotations

from functools import cache

from rdflib import Graph

from ..defaults import DEFAULT_BASE
from ..reference import ontology_graph, rebased, reference_graph


@cache
def _ontology() -> tuple:
    return tuple(ontology_graph())


@cache
def _reference_by_subject(base: str = DEFAULT_BASE) -> dict:
    """The reference data by subject, under the base the session was minted with."""
    index: dict = {}
    for triple in rebased(reference_graph(), base):
        index.setdefault(triple[0], []).append(triple)
    return index


def _context(graph: Graph, base: str = DEFAULT_BASE) -> list:
    """The ontology, and what the reference data says about the nodes the session mentions.

    The reference data is static: merging only the descriptions of the committees, posts,
    roles and outcomes a session mentions gives the shapes every fact they follow (they
    look one step into the reference data: a post's prefLabel, a committee's type) without
    validating all 52 committees and every post again for each session. The reference data
    as a whole is validated by the tests (tests/test_shapes.py).
    """
    index = _reference_by_subject(base)
    mentioned = set(graph.subjects()) | set(graph.objects())
    triples = list(_ontology())
    for node in mentioned:
        triples.extend(index.get(node, ()))
    return triples
