"""SPARQL on a published generation, for the endpoint and the command line alike.

querytext   what must be known of a query before the engine sees it (form, SERVICE,
            FROM, nesting, LIMIT), from a lexer that reads as the engine does
sparql      one request run and serialized, with the row cap and the refusals
catalogue   the named queries of ``queries/`` and their parameters
workers     the processes that run the server's queries, stopped at the time limit
sandbox     what confines a worker: no network, a ceiling on memory
"""
