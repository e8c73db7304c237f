"""Virtuoso (Debian's ``virtuoso-opensource-7-bin``) as a real server for the tests (issue 20):
started in the foreground on free loopback ports, with a fresh database directory and an ini
of its own (small buffers: this machine has two cores and little memory to spare), and
stopped with its process group after. ``isql`` runs SQL on it: grants, the bulk loader.

Virtuoso's SPARQL endpoints, beside the HTTP port: ``/sparql`` (queries, anonymous),
``/sparql-auth`` (queries and updates, digest authentication) and
``/sparql-graph-crud-auth`` (the Graph Store Protocol, digest authentication); the user
``dba`` (password ``dba`` in a fresh database) may update.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .server import free_port

BINARY = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
ISQL = shutil.which("isql-vt") or "/usr/bin/isql-vt"
USER, PASSWORD = "dba", "dba"

INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
ServerThreads = 10
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
CheckpointAuditTrail = 0
AllowOSCalls = 0
SchedulerInterval = 10
DirsAllowed = ., {dirs}
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize = 100000
SingleCPU = 0
PrefixResultNames = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps = 64
MaxQueryMem = 500M
VectorSize = 1000
MaxVectorSize = 1000000
AdjustVectorSize = 0
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
MaxSortedTopRows = 1000000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 8
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
TempASPXDir = 0
MaxKeepAlives = 10
KeepAliveTimeout = 10
HTTPThreadSize = 280000
HttpPrintWarningsInOutput = 0
Charset = UTF-8
MaintenancePageRoot = {dir}
EnabledGzipContent = 1

[Client]
SQL_PREFETCH_ROWS = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT = 0
SQL_TXN_TIMEOUT = 0

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 120
DeferInferenceRulesInit = 0
"""


XSD = "http://www.w3.org/2001/XMLSchema#"
_DAYS = re.compile(rf'^"(-?)P(\d+)D"\^\^<{XSD}dayTimeDuration>$')


def as_virtuoso_gives(row: tuple) -> tuple:
    """A row of terms (N-Triples form) as Virtuoso 7 gives it, for the two differences of its
    SPARQL that no query rewriting removes (listed in the README): the difference of two
    dates is an integer of seconds, not an xsd:dayTimeDuration, and a boolean expression's
    value is the integer 1 or 0."""
    out = []
    for term in row:
        if term and (m := _DAYS.match(term)):
            term = f'"{m.group(1)}{int(m.group(2)) * 86400}"^^<{XSD}integer>'
        elif term in (f'"true"^^<{XSD}boolean>', f'"false"^^<{XSD}boolean>'):
            term = f'"{int("true" in term)}"^^<{XSD}integer>'
        out.append(term)
    return tuple(out)


def available() -> str | None:
    """Why Virtuoso cannot be started here, or None when it can."""
    for path in (BINARY, ISQL):
        if not os.access(path, os.X_OK):
            return f"{path} is not installed (Debian: apt-get install virtuoso-opensource-7-bin)"
    return None


class Virtuoso:
    """One Virtuoso server of our own: ``start()`` waits until /sparql answers."""

    def __init__(self, directory: Path, allowed: tuple[Path, ...] = ()):
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.sql_port, self.http_port = free_port(), free_port()
        self.allowed = (*(Path(p) for p in allowed), self.dir)
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def start(self, timeout: float = 120) -> Virtuoso:
        ini = self.dir / "virtuoso.ini"
        ini.write_text(
            INI.format(
                dir=self.dir,
                sql_port=self.sql_port,
                http_port=self.http_port,
                dirs=", ".join(str(p) for p in self.allowed),
            )
        )
        self.log = open(self.dir / "stdout.txt", "wb")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(
            [BINARY, "+foreground", "+configfile", str(ini)],
            cwd=self.dir,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed whole in stop()
        )
        deadline = time.monotonic() + timeout
        probe = f"{self.url}?" + urllib.parse.urlencode({"query": "ASK {}"})
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited at start: {self.tail()}")
            try:
                with urllib.request.urlopen(probe, timeout=2) as r:
                    if r.status == 200:
                        return self
            except (OSError, urllib.error.HTTPError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"virtuoso-t did not answer within {timeout:g} s: {self.tail()}")

    def tail(self, n: int = 20) -> str:
        log = self.dir / "virtuoso.log"
        text = log.read_text(errors="replace") if log.exists() else ""
        return "\n".join(text.splitlines()[-n:])

    def isql(self, *statements: str, timeout: float = 600) -> str:
        """Run SQL statements (each ending with ';') as dba; raise with the output on error."""
        script = "\n".join(statements) + "\n"
        done = subprocess.run(
            [ISQL, f"127.0.0.1:{self.sql_port}", USER, PASSWORD, "VERBOSE=OFF", "BANNER=OFF"],
            input=script.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
        )
        out = done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")
        if done.returncode != 0 or "*** Error" in out:
            raise RuntimeError(f"isql failed: {out}")
        return out.replace("SQL> ", "").strip()  # (VERBOSE=OFF: rows only, and the prompts)

    def clear(self, prefix: str) -> None:
        """Every graph whose name starts with ``prefix`` gone (Virtuoso's own graphs stay)."""
        self.isql(
            f"DELETE FROM DB.DBA.RDF_QUAD WHERE id_to_iri(G) LIKE '{prefix}%';", "checkpoint;"
        )

    def bulk_load(self, directory: Path, pattern: str, graph: str) -> None:
        """Virtuoso's bulk loader over files in ``directory`` (which must be allowed):
        N-Quads name their own graphs, N-Triples go into ``graph``."""
        self.isql(
            f"ld_dir('{directory}', '{pattern}', '{graph}');",
            "rdf_loader_run();",
            "checkpoint;",
        )
        errors = self.isql(
            "SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;"
        )
        if errors:
            raise RuntimeError(f"the bulk loader reported errors: {errors}")

    def stop(self) -> None:
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self.proc = None
        self.log.close()
