"""The catalogue of named SPARQL queries (one .rq each, its title and description in a
header comment) and the queries publishing runs: package data of committee_kg."""
