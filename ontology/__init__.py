"""The vocabulary (OWL/RDFS, ja+en labels), the SKOS topic scheme and the reference data
(commissions, posts), in Turtle: package data of committee_kg."""
