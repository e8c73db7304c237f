"""A URL given as the store is never a directory (issue 20): `ingest --store http://…/sparql`
once made a folder `http:` in the working directory and reported success. Every command that
takes a store, given a URL where no server answers, says in one line what is wrong (a command
that works on a SPARQL server: that it cannot reach it; the others: that a URL is not a
directory), exits non-zero, and writes nothing."""

from __future__ import annotations

import os

import pytest

from committee_kg.loaders.errors import StoreError
from committee_kg.server.cli import main
from committee_kg.server.store.store import Snapshot, Store

from .support import EXAMPLES

URL = "http://127.0.0.1:1/sparql"  # port 1: nothing listens there
FILE = str(EXAMPLES / "JP-35_2025-04-09.txt")

COMMANDS = {
    "ingest": ["ingest", "--store", URL, FILE],
    "reingest": ["reingest", "--store", URL],
    "query": ["query", "--store", URL, "ASK {}"],
    "query --name": ["query", "--store", URL, "--name", "meetings-per-year"],
    "sessions": ["sessions", "--store", URL],
    "sessions --remove": ["sessions", "--store", URL, "--remove", "https://x/id/meeting/1"],
    "dump": ["dump", "--store", URL, "--out", "dumps"],
    "serve": ["serve", "--store", URL, "--port", "1"],
    "topics": ["topics", "--suggest", "--store", URL],
    "validate --store": ["validate", "--store", URL],
}


def _files(root) -> list[str]:
    return sorted(
        os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs
    )


@pytest.mark.parametrize("argv", COMMANDS.values(), ids=COMMANDS.keys())
def test_a_url_is_refused_in_one_line_and_nothing_is_written(argv, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code = main(argv)
    err = capsys.readouterr().err
    assert code != 0, err
    assert not os.listdir(tmp_path), f"{argv[0]} wrote {_files(tmp_path)}"
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines and lines[-1].startswith("committee-kg: "), err
    assert URL in lines[-1] and "Traceback" not in err


def test_the_store_setting_from_the_environment_is_refused_too(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COMMITTEE_KG_STORE", URL)
    assert main(["sessions"]) != 0
    assert URL in capsys.readouterr().err
    assert not os.listdir(tmp_path)


@pytest.mark.parametrize("opener", [Store, Snapshot])
def test_the_store_classes_refuse_a_url(opener, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError, match="a URL, not a directory"):
        opener("https://example.org/sparql")
    assert not os.listdir(tmp_path)
