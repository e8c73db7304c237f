"""What the server reads from a query before the engine runs it: refusals and the row cap.

Words inside strings, IRIs and comments are not keywords (issue 4, point 5: a comment or a
literal mentioning SERVICE is no reason to refuse); real uses are refused whatever their
case or place.
"""

from __future__ import annotations

import contextlib
import time

import pytest

from committee_kg.loaders.errors import QueryError, QueryRefused, UpdateRefused
from committee_kg.server.query.querytext import analyse, error_position, tokens
from committee_kg.server.query.sparql import refuse

HARMLESS = [
    'SELECT ?x WHERE { ?x ?p "SERVICE <http://example.org/> { }" }',
    "SELECT ?x WHERE { ?x ?p '''multi\nline SERVICE LOAD FROM''' }",
    "SELECT ?x WHERE { ?x <http://example.org/SERVICE> ?o }",
    "SELECT ?x WHERE { ?x ?p ?o } # SERVICE <http://example.org/> { }",
    "PREFIX ex: <http://example.org/> SELECT ?x WHERE { ?x ex:Load ?o . ?x ex:from ?y }",
    "SELECT ?x WHERE { ?x <http://example.org/service#a> ?o } # \\u0053ERVICE",
    'SELECT ?x WHERE { ?x ?p ?o FILTER(CONTAINS(?o, "FROM NAMED <http://x/>")) }',
    'SELECT ?x WHERE { ?x ?p "drop \\" SERVICE"@en }',
    "SELECT ?fromDate ?service WHERE { ?service ?p ?fromDate }",
]

SERVICE = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { OPTIONAL { { SELECT ?s { SERVICE ?e { ?s ?p ?o } } } } }",
    "SELECT * WHERE { ?a ?b ?c . SERVICE\n<http://x/>{?s ?p ?o} } # SERVICE in a comment too",
    'SELECT * WHERE { ?a ?b "x" . Service<http://x/>{?s ?p ?o} }',
    # issue 16: the engine reads these as SERVICE too, so "service" in any name is refused
    "SELECT ?s WHERE { #\rSERVICE <http://x/> { ?x ?y ?z } \n}",
    "PREFIX : <http://x/> SELECT * WHERE { service:x { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICESILENT<http://x/>{ ?x ?y ?z } }",
    "PREFIX x: <http://x/> SELECT * WHERE { SERVICEx:y { ?x ?y ?z } }",
    "PREFIX ex: <http://a:> SELECT * WHERE { ?s ?p ex:SERVICE<http://x/>{?x ?y ?z} }",
    "PREFIX service: <http://example.org/> SELECT ?x WHERE { ?x service:load ?o }",
    # were the engine ever to unescape \\u before parsing, as SPARQL allows
    "SELECT * WHERE { \\u0053ERVICE <http://x/> { ?s ?p ?o } }",
]

UPDATES = [
    "INSERT DATA { <http://x/s> <http://x/p> 1 }",
    "PREFIX ex: <http://x/> DELETE WHERE { ?s ex:p ?o }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "drop all",
    "WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "CLEAR DEFAULT",
]


@pytest.mark.parametrize("query", HARMLESS)
def test_words_in_strings_iris_and_comments_are_not_refused(query):
    info = analyse(query)
    refuse(info)
    assert info.form == "SELECT" and not info.service and not info.from_graphs


@pytest.mark.parametrize("query", SERVICE)
def test_service_is_refused_wherever_it_is(query):
    with pytest.raises(QueryRefused, match="SERVICE"):
        refuse(analyse(query))


@pytest.mark.parametrize("query", UPDATES)
def test_updates_are_refused_as_read_only(query):
    with pytest.raises(UpdateRefused, match="read-only"):
        refuse(analyse(query))


def test_from_graphs_are_resolved_through_prefixes_and_base():
    info = analyse(
        "BASE <https://w3id.org/committee-kg/> PREFIX g: <https://w3id.org/committee-kg/graph/>\n"
        "SELECT * FROM g:meeting\\/JP-35\\/2025-04-09 FROM <graph/reference>\n"
        "FROM NAMED <http://127.0.0.1:9/x> WHERE { ?s ?p ?o }"
    )
    assert info.from_graphs == [
        "https://w3id.org/committee-kg/graph/meeting/JP-35/2025-04-09",
        "https://w3id.org/committee-kg/graph/reference",
    ]
    assert info.from_named == ["http://127.0.0.1:9/x"]


def test_a_graph_clause_inside_the_query_is_not_a_dataset_clause():
    info = analyse("SELECT * WHERE { GRAPH <http://x/g> { ?s ?p ?o } }")
    assert not info.has_dataset


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT * WHERE { ?s ?p ?o } LIMIT 11 "),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 5", "SELECT * WHERE { ?s ?p ?o } LIMIT 5"),
        ("SELECT * WHERE { ?s ?p ?o } limit 500", "SELECT * WHERE { ?s ?p ?o } limit 11"),
        (
            "SELECT * WHERE { ?s ?p ?o } ORDER BY ?s OFFSET 3",
            "SELECT * WHERE { ?s ?p ?o } ORDER BY ?s OFFSET 3 LIMIT 11 ",
        ),
        (
            "SELECT ?s (COUNT(*) AS ?n) WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 100 } }"
            " GROUP BY ?s HAVING (COUNT(*) > 1) # LIMIT 2",
            "SELECT ?s (COUNT(*) AS ?n) WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 100 } }"
            " GROUP BY ?s HAVING (COUNT(*) > 1) LIMIT 11  # LIMIT 2",
        ),
        (
            "SELECT * WHERE { ?s ?p ?o } VALUES ?s { <http://x/a> }",
            "SELECT * WHERE { ?s ?p ?o }  LIMIT 11 VALUES ?s { <http://x/a> }",
        ),
        ("ASK { ?s ?p ?o }", "ASK { ?s ?p ?o }"),
        ("DESCRIBE <http://x/a>", "DESCRIBE <http://x/a> LIMIT 11 "),
    ],
)
def test_the_row_cap_becomes_a_top_level_limit(query, expected):
    assert analyse(query).with_limit(11) == expected


def test_tokens_keep_japanese_prefixed_names_and_language_tags_whole():
    toks = tokens('SELECT * { ?x kg:警務部長 "説明"@ja ; rdfs:label ?l } # 注')
    texts = [t.text for t in toks]
    assert "kg:警務部長" in texts and "@ja" in texts and "注" not in "".join(texts)


def test_error_position_is_read_from_the_engine_message():
    assert error_position("error at 3:17: expected one of ABS, AVG") == (3, 17)
    assert error_position("no position here") is None


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p 'never closed }",
        'SELECT * WHERE { ?s ?p """never closed }',
        'SELECT * WHERE { ?s ?p "bad \\x escape" }',
        "SELECT * WHERE { ?s ?p 'line\rbreak' }",
    ],
)
def test_a_string_that_is_never_closed_stops_the_reading(query):
    with pytest.raises(QueryError, match="never closed"):
        analyse(query)


def test_nesting_is_measured_and_refused_past_the_limit():
    from committee_kg.server.query.querytext import MAX_NESTING

    assert analyse("SELECT * WHERE { { ?s ?p [ ?q (1 2) ] } }").nesting == 4
    deep = "SELECT * WHERE " + "{" * (MAX_NESTING + 1) + "}" * (MAX_NESTING + 1)
    with pytest.raises(QueryRefused, match="nests"):
        refuse(analyse(deep))


@pytest.mark.slow  # 100 KB queries, one per piece
@pytest.mark.parametrize(
    "piece",
    ['"\\"', "'''a", '"""a', "a.", "a-", "<a", "\\", "#", "service:", "@a-", "?", "1.e", "'a"],
)
def test_reading_is_linear_in_the_length_of_the_query(piece):
    """Pieces that could make a regex lexer rescan the rest of the query from each
    repetition (issue 16: no request path may grow faster than linearly). 100 KB, the
    request cap, is read in about a second; the old lexer took 64 s for 40 KB of "a.".
    The bound is on this process's processor time, which other load on the machine leaves
    alone: a "did not hang" bound, not a speed test (bench/reading.py times reading)."""
    text = "SELECT * WHERE { ?s ?p ?o }\n" + piece * (100_000 // len(piece))
    started = time.process_time()
    with contextlib.suppress(QueryError):
        analyse(text)
    assert time.process_time() - started < 15
