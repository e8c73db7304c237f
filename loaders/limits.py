"""What reading one source document may cost, and the clock that stops it.

Minutes are files of a few hundred kilobytes and a few tens of thousands of characters.
A file far past that, by mistake or by design (a PDF whose 3.6 MB inflate to 1 GiB of
content, 200 MB of text, megabytes of random bytes named .html), would otherwise hold a
converting process for minutes and gigabytes (issue 16). Each limit refuses the document
whole with a ``SourceTooLarge`` that names the file, the limit and where it was reached;
the command line and the server read their values from the settings table.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import SourceTooLarge


@dataclass(frozen=True)
class Limits:
    max_source_bytes: int = 20_000_000  # the file as read
    max_text_chars: int = 1_000_000  # the text extracted from it (a session: ~10,000)
    max_pdf_pages: int = 1_000
    max_pdf_inflated_bytes: int = 100_000_000  # all of a PDF's streams, decompressed
    convert_timeout: float = 60.0  # processor seconds to read and convert one document


DEFAULT_LIMITS = Limits()

_REFIRE = 0.5  # seconds: the clock rings again if code under it swallowed the first stop


def _stopped_in(frame) -> str:
    """The innermost function of ours that was running, for the error message."""
    package = Path(__file__).parent
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        if package in path.parents:
            module = path.relative_to(package).with_suffix("").as_posix().replace("/", ".")
            return f", stopped in {module}.{frame.f_code.co_name}"
        frame = frame.f_back
    return ""


@contextmanager
def time_limit(seconds: float, file: str) -> Iterator[None]:
    """Raise SourceTooLarge once this process has spent ``seconds`` of processor time in the
    block. A signal does it, so the limit holds in the main thread (where the command line
    and ingest's worker processes convert); elsewhere, or inside another limit, the block
    runs under no clock of its own."""
    if (
        seconds <= 0
        or threading.current_thread() is not threading.main_thread()
        or getattr(signal.getsignal(signal.SIGPROF), "is_time_limit", False)
    ):
        yield
        return

    def stop(signum, frame):
        raise SourceTooLarge(
            f"reading took more than {seconds:g} s of processor time (the convert_timeout "
            f"limit){_stopped_in(frame)}",
            file=file,
        )

    stop.is_time_limit = True
    previous = signal.signal(signal.SIGPROF, stop)
    signal.setitimer(signal.ITIMER_PROF, seconds, _REFIRE)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
