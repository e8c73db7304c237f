"""The server side: what is done with sessions once the loaders have read and validated
them. One room per step of the pipeline, each depending only on those before it:

store/     the store on disk: ingest, published generations, statistics, recovery,
           re-validation of what is stored
query/     SPARQL: reading a query, running it on a generation, the catalogue of
           named queries, the sandboxed worker processes that run them for the server
publish/   the open-data dumps, their DCAT catalogue and VoID, and RDF serialization
graphs/    graph analytics: the views, their extraction, measures, layout and exports
web/       the Flask app under waitress: routes, pages, the endpoint, caches, guards

and beside them ``cli.py`` (the command line: parsing and dispatch), ``settings.py`` (the
one table of settings) and ``media.py`` (the formats every room names). Nothing in
``loaders/`` imports from here; ``tests/test_imports.py`` checks that and that no import
goes in a circle.
"""
