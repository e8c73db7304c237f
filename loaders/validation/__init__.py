"""The parts of stage 5, validation, one job to a module.

``loaders/validate.py`` is the stage itself and the one module callers import from
(ingest, the command line, re-validation): it decides which engine's verdict a session
gets. The parts it is made of sit here, under it, rather than beside it in ``loaders/``:
``loaders/`` lists the pipeline's stages (extract, normalize, to_rdf, validate …), one
module each, and these are the inside of one stage. They share a few names that begin with
an underscore: private to validation as a whole, not to one module.

They import one another in one direction, in this order:

* ``report``: the report model: ``Finding``, ``Report``, a finding's line of text, the
  sh:ValidationReport graph, and reading a SHACL report graph into findings;
* ``context``: what a session is validated with: the ontology, and the reference data it
  mentions;
* ``pyshacl_engine``: the reference engine, pyshacl;
* ``sparql_engine``: the shapes' SHACL-SPARQL constraints: read from the shapes, analysed
  by walking rdflib's SPARQL algebra (what of a session each can see), run on pyoxigraph
  as pyshacl runs them;
* ``ntriples``: the N-Triples writer: a session and its context written once for the fast
  engine, with the literals pyoxigraph's store keeps otherwise;
* ``fast_engine``: pyshacl-turbo for SHACL Core, ``sparql_engine`` for SHACL-SPARQL, on
  what ``ntriples`` wrote.
"""
