"""What the tests share that is not a fixture: where things are, and helpers by subject.

Test modules import from here (``from .support import EXAMPLES``, ``from .support.server
import start_server``), never from one another; fixtures live in ``conftest.py``.

- ``server``: ingest and serve as subprocesses, plain HTTP calls, a listener that counts
  connections
- ``store``: a store's named graphs and their union, copies of a session on other days,
  serving a store
- ``stores``: the stores every reading test shares, and the guard that keeps them as built
- ``pages``: stores for the page and dump tests, a session with markup in its text
- ``browser``: how Chromium is started
- ``pdfs``: test PDFs (reportlab, Chromium, cairo, hand-written text layers)
- ``shape_cases``: one case per shape, each breaking a valid session the way it forbids
- ``real_minutes``: the development set of real minutes beside the repository
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = ROOT / "examples" / "minutes"
SEEDS = ROOT.parent / "shared" / "seeds"

# what an example's expectations (*.expected.json) state: the fields of loaders.summary
FIELDS = (
    "committee",
    "date",
    "kind",
    "weekday",
    "start",
    "end",
    "places",
    "members",
    "chair",
    "officers_present",
    "items",
    "remarks",
    "agreements",
    "appeals",
    "dispatch_requests",
)


def example_files() -> list[Path]:
    """The bundled example minutes (examples/minutes/*.txt), in name order."""
    return sorted(EXAMPLES.glob("*.txt"))
