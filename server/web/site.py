"""What every page of the site shares: the language a person reads it in, the layout's
context, the favicon, and errors shown as pages to people and as problem documents to
programs (``problem``, which every route answers an error with).

One language at a time (ja or en): ``?lang=`` chooses it and a cookie remembers it, else
the browser's Accept-Language decides, else Japanese. Templates say everything through
``t(ja, en)`` and name data through ``name(node)``, which falls back to the other language
where the minutes give only one.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    has_request_context,
    render_template,
    request,
    send_from_directory,
)

blueprint = Blueprint("site", __name__)

LANGS = ("ja", "en")
COOKIE = "ckg_lang"
COOKIE_AGE = 365 * 24 * 3600

# what a person is told, per status, above the server's own (technical) detail
STATUS_TITLES = {
    400: ("リクエストを読み取れませんでした", "The request could not be read"),
    403: ("この操作はできません", "This is not allowed"),
    404: ("見つかりません", "Not found"),
    405: ("この方法では使えません", "Method not allowed"),
    406: ("その形式では返せません", "Not available in that format"),
    413: ("リクエストが大きすぎます", "Request too large"),
    414: ("アドレスが長すぎます", "Address too long"),
    500: ("サーバーの内部エラー", "Internal server error"),
    503: ("ただいま応答できません", "Temporarily unavailable"),
}


def language() -> str:
    """The language of this request (memoised on ``g``)."""
    found = g.get("ckg_lang")
    if found is None:
        chosen = request.args.get("lang")
        cookie = request.cookies.get(COOKIE)
        if chosen in LANGS:
            found = chosen
        elif cookie in LANGS:
            found = cookie
        else:
            found = request.accept_languages.best_match(LANGS, default="ja")
        g.ckg_lang = found
    return found


@blueprint.app_template_global()
def t(ja: str, en: str) -> str:
    return en if language() == "en" else ja


@blueprint.app_template_global()
def name(node, fallback: str = "") -> str:
    """A node's label in the page's language, else in the other one."""
    ja, en = getattr(node, "ja", ""), getattr(node, "en", "")
    first, second = (en, ja) if language() == "en" else (ja, en)
    return first or second or getattr(node, "label", "") or fallback


@blueprint.app_template_global()
def other_name(node) -> str:
    """The label in the other language, when it says something the first does not."""
    ja, en = getattr(node, "ja", ""), getattr(node, "en", "")
    shown, other = (en, ja) if language() == "en" else (ja, en)
    return other if shown and other and other != shown else ""


@blueprint.app_template_global()
def switch_url(lang: str) -> str:
    """This page in the other language: the same path and arguments, ``lang`` replaced."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    args.append(("lang", lang))
    return request.script_root + request.path + "?" + urlencode(args)


def wants_html() -> bool:
    """A browser (it names text/html, and prefers it to JSON); curl, fetch() and the
    editor's requests get problem documents."""
    if "text/html" not in request.headers.get("Accept", ""):
        return False
    best = request.accept_mimetypes.best_match(
        ["application/problem+json", "application/json", "text/html"]
    )
    return best == "text/html"


def problem(status: int, title: str, detail: str, **extra) -> Response:
    """An RFC 9457 problem document; for a browser, the same as a page people can read."""
    if has_request_context() and wants_html():
        return error_page(status, title, detail, **extra)
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    resp = Response(json.dumps(body, ensure_ascii=False), status=status)
    resp.mimetype = "application/problem+json"
    return resp


def error_page(status: int, title: str, detail: str, **extra) -> Response:
    """The problem as a page: what happened in the reader's language, the server's detail,
    and, for a query that does not parse, the query with the place marked."""
    heading = STATUS_TITLES.get(status, (title, title))
    query_lines = []
    query = request.values.get("query") if request.method in ("GET", "POST") else None
    if query and "line" in extra:
        query_lines = query.splitlines()
    body = render_template(
        "error.html",
        status=status,
        heading=heading,
        title=title,
        detail=detail,
        line=extra.get("line"),
        column=extra.get("column"),
        query_lines=query_lines,
    )
    return Response(body, status=status, mimetype="text/html")


# t, name, other_name and switch_url are template globals, not a context processor's: the
# macros a template imports see them too


@blueprint.app_context_processor
def layout():
    return {"lang": language()}


@blueprint.after_app_request
def remember(resp: Response) -> Response:
    chosen = request.args.get("lang")
    if chosen in LANGS and request.cookies.get(COOKIE) != chosen:
        resp.set_cookie(
            COOKIE,
            chosen,
            max_age=COOKIE_AGE,
            path=request.script_root or "/",
            samesite="Lax",
        )
    if resp.mimetype == "text/html":
        resp.vary.update(("Cookie", "Accept-Language"))
    return resp


@blueprint.get("/favicon.ico")
def favicon():
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=86400)
