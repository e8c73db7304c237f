"""Typed errors: each names the file and the place in it, so a person can act on one line.

The command line turns any of these into one line on stderr and an exit code; the server
into a JSON problem document. Nothing else is caught broadly: an unexpected error is a bug
to see, not a 400 to hide.
"""

from __future__ import annotations


class CommitteeKGError(Exception):
    """Base of every error we raise on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, file: str | None = None, where: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.where = where

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.where) if p]
        return ": ".join([*parts, self.message])


class SourceError(CommitteeKGError):
    """The file cannot be read or decoded as text."""

    exit_code = 2


class SourceTooLarge(SourceError):
    """The file, or what reading it takes, is past a limit (its size, its text, a PDF's pages
    or inflated content, the processor time): refused whole, nothing read from it kept."""


class LayoutNotRecognised(CommitteeKGError):
    """No loader recognises the document (or the one asked for does not exist)."""

    exit_code = 2


class SessionIncomplete(CommitteeKGError):
    """The document was read, but a fact that identifies the session (its date, its
    committee) is missing, so nothing usable can be printed or stored."""

    exit_code = 2


class SessionInvalid(CommitteeKGError):
    """The session's graph breaks the shapes; the report says which rule and where."""

    exit_code = 3

    def __init__(self, message: str, *, report: str = "", **kw):
        super().__init__(message, **kw)
        self.report = report


class StoreError(CommitteeKGError):
    """The store is missing, locked, or was minted under another base IRI."""

    exit_code = 4


class StoreWriteError(StoreError):
    """Writing the store failed (a full disk, a read-only or failing file system): the change
    in hand was not made and readers keep the generation they had; what the run stored
    before it is published by the next command that finds room."""


class QueryError(CommitteeKGError):
    """A SPARQL query could not be parsed or evaluated."""

    exit_code = 5


class QueryRefused(QueryError):
    """A query asks for something we do not allow (updates, outbound requests)."""


class QueryTimeout(QueryError):
    """A query ran past the time limit and was stopped."""


class UpdateRefused(QueryRefused):
    """A SPARQL Update sent to the read-only endpoint (HTTP 403 rather than 400)."""
