"""waitress, with connections that cannot be held (issue 16, problem 2).

waitress closes a connection only after ``channel_timeout`` seconds without a byte (120 by
default), and stops accepting at ``connection_limit`` (100): 99 sockets that sent half a
header line and waited kept /health from answering. Here

- a client has ``request_timeout`` seconds to send a whole request, counted from when it
  connected or its previous answer was sent — a byte at a time does not extend it;
- one client address holds at most ``max_client_connections`` connections (a trusted
  proxy, which speaks for many, is not counted); one more is told 503 and closed;
- the request line and headers together are bounded: room for a query string at
  ``max_request_bytes`` percent-encoded (three bytes a character), and 16 KB of headers;
  past that waitress answers 431 itself, below it the app refuses a long path (414) or a
  long query (413) with a problem document.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import ipaddress
import os
import socket
import time

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer

HEADER_ROOM = 16 * 1024  # bytes of request headers beside a request line at the cap
_SAID = b"too many connections from your address\n"
_BUSY = (
    b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nConnection: close\r\n"
    b"Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s" % (len(_SAID), _SAID)
)


class _Channel(HTTPChannel):
    """A connection that remembers when the request it is reading began."""

    def __init__(self, server, sock, addr, adj, map=None):
        super().__init__(server, sock, addr, adj, map)
        self.reading_since: float | None = self.creation_time

    def received(self, data):
        if self.request is None and self.reading_since is None:
            self.reading_since = time.time()
        try:
            return super().received(data)
        finally:
            if self.request is None:
                self.reading_since = None  # read whole; idle from here is channel_timeout


class GuardedServer(TcpWSGIServer):
    channel_class = _Channel

    def __init__(self, app, *, trusted=(), max_client_connections: int, **adjustments):
        adj = Adjustments(**adjustments)
        super().__init__(app, adj=adj)
        self.trusted = list(trusted)
        self.max_client_connections = max_client_connections

    def _counted(self, host: str) -> bool:
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            return True
        return not any(ip in net for net in self.trusted)

    def handle_accept(self):
        try:
            accepted = self.accept()
        except OSError:
            return  # the client went away before we took it, as waitress allows
        if accepted is None:
            return
        conn, addr = accepted
        host = addr[0] if isinstance(addr, tuple) else ""
        if self._counted(host):
            held = sum(1 for c in self.active_channels.values() if c.addr[0] == host)
            if held >= self.max_client_connections:
                _turn_away(conn)
                return
        try:
            self.set_socket_options(conn)
        except OSError:
            conn.close()
            return
        self.channel_class(self, conn, self.fix_addr(addr), self.adj, map=self._map)

    def maintenance(self, now):
        """waitress closes the idle ones; this closes those too slow to send a request."""
        super().maintenance(now)
        cutoff = now - self.adj.channel_timeout
        for channel in self.active_channels.values():
            since = channel.reading_since
            if since is not None and since < cutoff and not channel.requests:
                channel.will_close = True


def _turn_away(conn: socket.socket) -> None:
    try:
        conn.setblocking(False)
        conn.send(_BUSY)
    except OSError:
        pass
    finally:
        conn.close()


M_ARENA_MAX = -8  # glibc's mallopt() parameter for the number of malloc arenas
ARENAS = 2


def few_malloc_arenas(arenas: int = ARENAS) -> bool:
    """glibc gives threads that allocate at once arenas of their own (up to eight a core)
    and seldom hands their freed memory back: after 30 s of 8 clients on a store of 1,000
    sessions the server process held 524 MB, with two arenas 333 MB (issue 19; the GIL lets
    one thread allocate at a time anyway). To be called before the process starts a thread:
    glibc fixes the limit when the first thread needs an arena. Does nothing where the C
    library is not glibc or MALLOC_ARENA_MAX is set already."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(M_ARENA_MAX, arenas))
    except (OSError, AttributeError):
        return False


def serve(
    app,
    *,
    host: str,
    port: int,
    threads: int,
    request_timeout: float,
    max_connections: int,
    max_client_connections: int,
    max_request_bytes: int,
    trusted=(),
) -> None:
    """Serve app until interrupted."""
    server = GuardedServer(
        app,
        trusted=trusted,
        max_client_connections=max_client_connections,
        host=host,
        port=port,
        threads=threads,
        ident="committee-kg",
        # poll(), not select(): a large store opened read-only holds thousands of files, and
        # select() fails on any socket numbered past 1024 (seen with 2,000 sessions, issue 7)
        asyncore_use_poll=True,
        channel_timeout=request_timeout,
        cleanup_interval=1,
        connection_limit=max_connections,
        max_request_header_size=3 * max_request_bytes + HEADER_ROOM,
    )
    server.run()
