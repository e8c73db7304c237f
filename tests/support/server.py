"""Helpers for tests that run the real server: a free loopback port, ingest and serve as
subprocesses, plain HTTP calls, and a listener that counts who connects to it."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

SERVE = [sys.executable, "-m", "committee_kg.server.cli", "serve"]
OTHER_CLIENT = "127.0.0.2"  # a second loopback address: another client of the same server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ingest(store, *files) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "committee_kg.server.cli",
            "ingest",
            "--store",
            str(store),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )


def start_server(store, *extra, env: dict[str, str] | None = None, command=SERVE, **popen):
    """`committee-kg serve` on a free port; returns (process, base URL) once /health answers.
    ``env`` adds COMMITTEE_KG_* settings for this server only; ``command`` is how serve is
    run (another installation's, say); ``popen`` goes to Popen."""
    port = free_port()
    proc = subprocess.Popen(
        [*command, "--store", str(store), "--port", str(port), *extra],
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        **popen,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(400):
        try:
            urllib.request.urlopen(url + "/health", timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    return proc, url


def stop_server(proc) -> str:
    proc.terminate()
    _, err = proc.communicate(timeout=20)
    return err.decode("utf-8", "replace")


def call(url, data=None, headers=None, method=None, timeout=30):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def call_from(url: str, path: str, source: str = OTHER_CLIENT, headers=None, timeout=30):
    """GET path from another loopback address (urllib cannot choose the source address)."""
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout, source_address=(source, 0))
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def problem_of(status_headers_body) -> dict:
    status, headers, body = status_headers_body
    assert headers.get_content_type() == "application/problem+json", body
    doc = json.loads(body)
    assert doc["status"] == status and "Traceback" not in body.decode()
    return doc


class Listener:
    """A loopback TCP listener that counts the connections anyone opens to it, and answers
    each with an HTTP error whose body is a secret (it must never reach a client)."""

    SECRET = b"SECRET-BODY-OF-THE-INTERNAL-API"

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/internal-api"
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            try:
                conn.settimeout(1)
                conn.recv(65536)
                body = self.SECRET
                conn.sendall(
                    b"HTTP/1.1 500 Internal\r\nContent-Type: text/plain\r\n"
                    b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body)
                )
            except OSError:
                pass
            finally:
                conn.close()

    def close(self):
        self._stop = True
        self._thread.join(2)
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def confined_attempt(url: str, conn) -> None:
    """In a child process: confine it as a query worker is, then try to reach url directly
    and through the engine's SERVICE; send back what happened."""
    import pyoxigraph as ox

    from committee_kg.server.query.sandbox import confine

    confine()
    results = []
    port = int(url.split(":")[2].split("/")[0])
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        results.append("socket connected")
    except OSError as exc:
        results.append(f"socket refused: {exc}")
    try:
        list(ox.Store().query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"))
        results.append("engine answered")
    except OSError as exc:
        results.append(f"engine refused: {exc}")
    conn.send(results)
