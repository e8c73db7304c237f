"""Typed errors: each names the file and the place in it, so a person can act on one line.

Each class says how it ends either way: the command line turns it into one line on stderr
and its ``exit_code``; the server into a problem document (RFC 9457) with its
``http_status`` and ``title``, through one error handler. Nothing else is caught broadly:
an unexpected error is a bug to see, not a 400 to hide.
"""

from __future__ import annotations


class CommitteeKGError(Exception):
    """Base of every error we raise on purpose."""

    exit_code = 1  # what the command line exits with
    http_status = 500  # what the server answers with
    title = "Error"  # the problem document's title
    # what a client is told instead of the message, when the message is the server's own
    # business (how a worker died)
    http_detail: str | None = None

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        where: str | None = None,
        fields: dict | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.file = file
        self.where = where
        self.fields = dict(fields or {})  # more members of the problem document
        self.headers = dict(headers or {})  # more headers of the response (Retry-After)

    @property
    def status(self) -> int:
        """The HTTP status, by the name the problem document gives it."""
        return self.http_status

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.where) if p]
        return ": ".join([*parts, self.message])


class SourceError(CommitteeKGError):
    """The file cannot be read or decoded as text."""

    exit_code = 2
    http_status = 422
    title = "Source unreadable"


class SourceTooLarge(SourceError):
    """The file, or what reading it takes, is past a limit (its size, its text, a PDF's pages
    or inflated content, the processor time): refused whole, nothing read from it kept."""

    http_status = 413
    title = "Source too large"


class LayoutNotRecognised(CommitteeKGError):
    """No loader recognises the document (or the one asked for does not exist)."""

    exit_code = 2
    http_status = 422
    title = "Layout not recognised"


class SessionIncomplete(CommitteeKGError):
    """The document was read, but a fact that identifies the session (its date, its
    committee) is missing, so nothing usable can be printed or stored."""

    exit_code = 2
    http_status = 422
    title = "Session incomplete"


class SessionInvalid(CommitteeKGError):
    """The session's graph breaks the shapes; the report says which rule and where."""

    exit_code = 3
    http_status = 422
    title = "Session invalid"

    def __init__(self, message: str, *, report: str = "", **kw):
        super().__init__(message, **kw)
        self.report = report


class StoreError(CommitteeKGError):
    """The store is missing, locked, or was minted under another base IRI."""

    exit_code = 4
    http_status = 503
    title = "Store unavailable"


class StoreWriteError(StoreError):
    """Writing the store failed (a full disk, a read-only or failing file system): the change
    in hand was not made and readers keep the generation they had; what the run stored
    before it is published by the next command that finds room."""


class QueryError(CommitteeKGError):
    """A SPARQL query could not be parsed or evaluated."""

    exit_code = 5
    http_status = 400
    title = "Bad query"


class QueryRefused(QueryError):
    """A query asks for something we do not allow (updates, outbound requests)."""

    title = "Query refused"


class QueryTimeout(QueryError):
    """A query ran past the time limit and was stopped (its problem document states the
    limit, ``fields={"timeout": seconds}``)."""

    http_status = 503
    title = "Query stopped"


class UpdateRefused(QueryRefused):
    """A SPARQL Update sent to the read-only endpoint (HTTP 403 rather than 400)."""

    http_status = 403
    title = "Update refused"


class ServerBusy(CommitteeKGError):
    """Every place for this kind of request is taken (the admission's places, or the query
    workers): try again after ``retry_after`` seconds."""

    http_status = 503
    title = "Server busy"

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message, headers={"Retry-After": str(retry_after)})
