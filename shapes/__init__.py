"""The SHACL shapes every session is validated against, in Turtle: package data of
committee_kg."""
