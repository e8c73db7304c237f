"""One table of settings (STYLE.md): each is documented in the README, and the limits the
server enforces can be set on its command line."""

from __future__ import annotations

from committee_kg.server.cli import build_parser
from committee_kg.server.settings import SETTINGS

from .support import ROOT


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for s in SETTINGS:
        assert f"| `{s.name}` | `{s.default}` |" in readme, s.name


def test_serve_takes_the_limits_from_the_table():
    args = build_parser().parse_args(
        ["serve", "--timeout", "3.5", "--max-rows", "7", "--workers", "3"]
    )
    assert (args.timeout, args.max_rows, args.workers) == (3.5, 7, 3)
    defaults = build_parser().parse_args(["serve"])
    table = {s.name: s.default for s in SETTINGS}
    assert (defaults.timeout, defaults.max_rows, defaults.workers) == (
        table["timeout"],
        table["max_rows"],
        table["workers"],
    )
