"""The development set of real published minutes, read in-process and scored field by field.

The documents, their hand-checked gold labels and the scorer that defines every field live
beside the repository in this workplace (``../shared/real-minutes``: other people's texts,
never copied in here). The floor test and ``bench/accuracy.py`` both use this module; outside
the workplace ``available()`` is False and both skip.
"""

from __future__ import annotations

import importlib.util
import json
from collections import defaultdict
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
REAL = ROOT.parent / "shared" / "real-minutes"
MODES = ("committee", "alone")


def available() -> bool:
    return (REAL / "gold.json").is_file() and (REAL / "score.py").is_file()


@cache
def scorer():
    """The scorer's own module: its field definitions are the measure, not a copy of them."""
    spec = importlib.util.spec_from_file_location("real_minutes_score", REAL / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def documents() -> list[dict]:
    return json.loads((REAL / "gold.json").read_text(encoding="utf-8"))


def read_one(doc: dict, mode: str, loader: str | None = None):
    """What the converted session states, in the scorer's terms; None when refused, with
    the refusal."""
    from committee_kg.loaders.errors import CommitteeKGError
    from committee_kg.loaders.pipeline import convert

    given = {"committee": doc["committee_code"]} if mode == "committee" else {"url": doc["url"]}
    try:
        conv = convert(REAL / "docs" / doc["file"], loader=loader, **given)
    except CommitteeKGError as exc:
        return None, str(exc)
    return scorer().read_graph(conv.graph.serialize(format="nt")), ""


def score_set(mode: str, loader: str | None = None):
    """({layout: {field: mean}}, {field: mean over all documents}, [refused documents])."""
    s = scorer()
    by_layout: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    overall: dict[str, list[float]] = defaultdict(list)
    refused = []
    for doc in documents():
        got, why = read_one(doc, mode, loader)
        if got is None:
            refused.append(f"{doc['file']}: {why}")
        for field, value in s.score(doc["gold"], got).items():
            by_layout[doc["format"]][field].append(value)
            overall[field].append(value)

    def means(cells):
        return {f: sum(v) / len(v) for f, v in cells.items() if v}

    return {k: means(v) for k, v in by_layout.items()}, means(overall), refused
