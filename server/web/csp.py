"""The Content-Security-Policy every response carries (issue 6, point 6), defined here
once: ``guards.py`` sets it on every response, the graph page's included.

Text from the minutes is escaped by the templates, so it never becomes markup; the policy
is the second line of defence: scripts only from this server, and an inline script only if
it is one written in our own templates (allowed by its hash, computed from the template
files when the app starts — so text in a page can never smuggle in one that runs).
Styles may be inline (the editor's components set them, and so do Cytoscape.js, which adds
a <style> element for its container, and vis-timeline, which positions its items with
style attributes), images only ours or data: URIs, connections only to us, and forms post
only to us.

Nothing may frame our pages (``frame-ancestors 'none'``): no page of ours frames another,
so allowing 'self' would protect nothing we use and would let any page of the site put
the others in a frame, which is what a clickjacking page needs once it finds a way in.
The graph page had a policy of its own that said 'self'; it now has this one.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates"
_INLINE = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)


def inline_script_hashes(directory: Path = TEMPLATES) -> list[str]:
    """'sha256-…' of every executable inline script of the templates that has no template
    syntax inside (those the browser sees exactly as written)."""
    out = set()
    for path in sorted(directory.glob("*.html")):
        for m in _INLINE.finditer(path.read_text(encoding="utf-8")):
            attrs, body = m.group("attrs").lower(), m.group("body")
            if "src=" in attrs or "application/json" in attrs or not body.strip():
                continue
            if "{{" in body or "{%" in body:
                continue
            digest = hashlib.sha256(body.encode("utf-8")).digest()
            out.add("'sha256-" + base64.b64encode(digest).decode() + "'")
    return sorted(out)


@cache
def policy() -> str:
    return "; ".join(
        (
            "default-src 'self'",
            "script-src " + " ".join(["'self'", *inline_script_hashes()]),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )
