"""X-Forwarded-* headers, honoured only from the proxies named in ``trusted_proxies``
(issue 16, problem 2).

Taken from any client, ``X-Forwarded-Prefix: //evil.example`` or ``javascript:`` landed in
every link of a page and in the 303 Location. Now a request from any other address loses
its X-Forwarded-* headers before the app sees them; from a trusted proxy they are applied
(werkzeug's ProxyFix, one proxy deep), and even then only a prefix that is a plain path, a
host that is a host name and a scheme that is http or https are kept.
"""

from __future__ import annotations

import ipaddress
import re

from werkzeug.middleware.proxy_fix import ProxyFix

from committee_kg.loaders.errors import CommitteeKGError

_PREFIX = re.compile(r"(?:/(?!\.\.?(?:/|$))[A-Za-z0-9._~!$&'()*+;=:@%-]+)*/?")
_HOST = re.compile(r"(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")
_CHECKS = {
    "HTTP_X_FORWARDED_PREFIX": _PREFIX.fullmatch,
    "HTTP_X_FORWARDED_HOST": _HOST.fullmatch,
    "HTTP_X_FORWARDED_PROTO": lambda v: v in ("http", "https"),
}


class SettingInvalid(CommitteeKGError):
    """A setting's value cannot be used (named in the message)."""

    exit_code = 2


def networks(setting: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """The addresses and networks of a ``trusted_proxies`` value (comma-separated)."""
    out = []
    for part in setting.replace(",", " ").split():
        try:
            out.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise SettingInvalid(f"trusted_proxies: {part!r} is not an address: {exc}") from exc
    return out


class TrustedProxies:
    """WSGI middleware around the app."""

    def __init__(self, app, trusted: str):
        self.app = app
        self.networks = networks(trusted)
        self.fixed = ProxyFix(app, x_for=1, x_proto=1, x_host=1, x_prefix=1)

    def trusts(self, address: str | None) -> bool:
        try:
            ip = ipaddress.ip_address(address or "")
        except ValueError:
            return False
        return any(ip in net for net in self.networks)

    def __call__(self, environ, start_response):
        forwarded = [k for k in environ if k.startswith("HTTP_X_FORWARDED_")]
        if not self.trusts(environ.get("REMOTE_ADDR")):
            for key in forwarded:
                del environ[key]
            return self.app(environ, start_response)
        for key, ok in _CHECKS.items():
            if key in environ and not ok(environ[key].strip()):
                del environ[key]
        return self.fixed(environ, start_response)
