"""Oxigraph's own server (the ``oxigraph`` command from PyPI, in the ``[test]`` extra) as a
read replica for the tests (issue 20): ``oxigraph load`` of the dumps into a fresh directory,
then ``oxigraph serve-read-only`` on a free loopback port, stopped with its process group.

The N-Quads dump holds the named graphs only, so the replica's default graph is loaded from
the N-Triples dump, which is their merge as a set: the default graph is then what ours is,
each triple once (``--union-default-graph`` would repeat a triple once per graph that states
it, oxigraph issue 1919)."""

from __future__ import annotations

import gzip
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from .server import free_port

BINARY = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")


def available() -> str | None:
    if not os.access(BINARY, os.X_OK):
        return "the oxigraph command is not installed (pip install 'committee-kg[test]')"
    return None


def load_dumps(dumps: Path, location: Path) -> Path:
    """The dumps' named graphs (dataset.nq.gz) and their merge as the default graph
    (dataset.nt.gz) loaded into a new Oxigraph database at ``location``."""
    location.mkdir(parents=True)
    for name in ("dataset.nq.gz", "dataset.nt.gz"):
        plain = location.parent / name.removesuffix(".gz")  # the command reads no gzip
        with gzip.open(dumps / name, "rb") as packed, open(plain, "wb") as out:
            shutil.copyfileobj(packed, out)
        done = subprocess.run(
            [BINARY, "load", "--location", str(location), "--file", str(plain)],
            capture_output=True,
            timeout=600,
        )
        if done.returncode:
            raise RuntimeError(f"oxigraph load {name}: {done.stderr.decode()}")
        plain.unlink()
    return location


class OxigraphServer:
    """``oxigraph serve-read-only`` on a loaded database; ``url`` is its query URL."""

    def __init__(self, location: Path):
        self.location = location
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/query"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> OxigraphServer:
        self.proc = subprocess.Popen(
            [
                BINARY,
                "serve-read-only",
                "--location",
                str(self.location),
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        probe = self.url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"oxigraph exited: {self.proc.stderr.read().decode()}")
            try:
                with urllib.request.urlopen(probe, timeout=2):
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"oxigraph did not answer within {timeout:g} s")

    def stop(self) -> None:
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self.proc.stderr.close()
        self.proc = None
