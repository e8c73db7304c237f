"""What every request passes through, whichever route answers it: its bounds (issue 16),
the one way errors become answers, and the headers every response carries.

- A path longer than ``max_path_bytes`` is refused (414); a page (the start page, search,
  resource pages, dumps, graph views) waits for one of the admission's page places, and
  is answered 503 with Retry-After when none comes.
- Every error we raise on purpose is a ``CommitteeKGError`` and carries its own HTTP
  status, title and any further members or headers (``loaders/errors.py``): one handler
  turns it into a problem document. Werkzeug's HTTP errors become problem documents too,
  and anything else a 500 without its text, so no stack trace ever leaves the server.
- Reads may come from any origin (CORS), and every response carries the one
  Content-Security-Policy (``csp.py``) and ``X-Content-Type-Options: nosniff``.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, g, request
from werkzeug.exceptions import HTTPException

from committee_kg.loaders.errors import CommitteeKGError

from .csp import policy
from .site import problem
from .state import state

blueprint = Blueprint("guards", __name__)

TRUNCATED_HEADER = "X-Committee-KG-Truncated"
ROWS_HEADER = "X-Committee-KG-Rows"
GENERATION_HEADER = "X-Committee-KG-Generation"
CACHE_HEADER = "X-Committee-KG-Cache"
PAGES = ("home", "pages", "graphs")  # the blueprints whose requests take a page place


@blueprint.before_app_request
def bounded():
    limit = state()["max_path_bytes"]
    if len(request.environ.get("PATH_INFO", "")) > limit:
        return problem(414, "URI too long", f"request paths are limited to {limit} bytes")
    if request.blueprint in PAGES:
        state()["admission"].enter("page")
        g.page_place = True
    return None


@blueprint.teardown_app_request
def release(_exc):
    if g.pop("page_place", False):
        state()["admission"].leave("page")


@blueprint.app_errorhandler(CommitteeKGError)
def on_error(exc: CommitteeKGError):
    resp = problem(exc.http_status, exc.title, exc.http_detail or exc.message, **exc.fields)
    resp.headers.update(exc.headers)
    return resp


@blueprint.app_errorhandler(HTTPException)
def on_http_error(exc: HTTPException):
    if exc.code == 413:
        limit = state()["max_request_bytes"]
        return problem(413, "Request too large", f"requests are limited to {limit} bytes")
    return problem(exc.code or 500, exc.name, exc.description or exc.name)


@blueprint.app_errorhandler(Exception)
def on_unexpected(exc: Exception):
    # the last resort, so that no stack trace reaches a client; Flask logs it for us
    current_app.logger.exception("unexpected error", exc_info=exc)
    return problem(500, "Internal error", "the server could not answer this request")


@blueprint.after_app_request
def cors(resp: Response) -> Response:
    if request.method in ("GET", "HEAD"):
        resp.headers["Access-Control-Allow-Origin"] = "*"
        resp.headers["Access-Control-Expose-Headers"] = ", ".join(
            (TRUNCATED_HEADER, ROWS_HEADER, GENERATION_HEADER)
        )
    return resp


@blueprint.after_app_request
def security_headers(resp: Response) -> Response:
    resp.headers["Content-Security-Policy"] = policy()
    resp.headers.setdefault("X-Content-Type-Options", "nosniff")
    return resp
