"""The real seed read as its expectations say, and what our examples cover beyond it (every
example document is checked against its expectations in test_layouts.py)."""

from __future__ import annotations

import json

from committee_kg.loaders.pipeline import read
from committee_kg.loaders.summary import fold, summarize

from .support import EXAMPLES, FIELDS, example_files


def check(path, expected_path):
    expected = fold(json.loads(expected_path.read_text(encoding="utf-8")))
    minutes = read(path)
    actual = summarize(minutes)
    for field in FIELDS:
        assert actual[field] == expected[field], f"{path.name}: {field}"
    return minutes


def test_seed_matches_expectations(seed_file):
    minutes = check(seed_file, EXAMPLES / "seed.expected.json")
    assert minutes.warnings == []


def test_examples_cover_what_the_seed_does_not():
    sessions = [json.loads(p.with_suffix(".expected.json").read_text()) for p in example_files()]
    assert len(sessions) >= 8
    assert len({s["committee"] for s in sessions}) >= 2
    assert len({s["date"][:7] for s in sessions}) >= 3
    days = [(s["committee"], s["date"]) for s in sessions]
    assert len(days) > len(set(days)), "two meetings on one day"
    assert any(s["kind"] == "臨時会" for s in sessions)
    assert not all(any(i["kind"] == "Consultation" for i in s["items"]) for s in sessions)
    assert any("令和元年" in p.read_text() for p in example_files())
