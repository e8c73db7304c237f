"""Stores for the dump and page tests (issue 6): the example minutes, and one session whose
titles and remarks carry markup and quotes.

Stores are built from the session-wide conversions of the examples (no second conversion)
straight into a Store, as ingest would store them, so that two stores can hold the same
content loaded in different orders.
"""

from __future__ import annotations

from pathlib import Path

from committee_kg.server.store.store import Store

from . import EXAMPLES

HOSTILE_TITLE = 'サイバー<script>alert("t")</script>犯罪対策の"強化"'
HOSTILE_REMARK = "<img src=x onerror=\"alert(1)\">相談窓口が'ある'ことを"
HOSTILE_MEETING = "https://w3id.org/committee-kg/id/meeting/JP-35/2025-04-16"


def hostile_source(directory: Path) -> Path:
    """The example of 2025-04-09 moved to 2025-04-16 (also a Wednesday), with markup and
    quotes in an item's title and in a member's remark."""
    text = (EXAMPLES / "JP-35_2025-04-09.txt").read_text(encoding="utf-8")
    text = text.replace("令和７年４月９日", "令和７年４月１６日")
    text = text.replace("サイバー犯罪対策の強化", HOSTILE_TITLE, 1)
    text = text.replace("相談窓口があることを", HOSTILE_REMARK, 1)
    assert HOSTILE_TITLE in text and HOSTILE_REMARK in text
    path = directory / "JP-35_2025-04-16.txt"
    path.write_text(text, encoding="utf-8")
    return path


def hostile_conversion(directory: Path):
    from committee_kg.loaders.pipeline import convert
    from committee_kg.loaders.validate import validate

    conv = convert(hostile_source(directory))
    assert validate(conv.graph).conforms
    return conv


def build_store(path: Path, conversions) -> Path:
    """A published store of these conversions, loaded in the order given."""
    store = Store(path)
    store.load_reference()
    for conv in conversions:
        store.replace_graph(conv.graph_name, conv.graph)
    store.publish()
    store.close()
    return path
