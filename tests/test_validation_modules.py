"""Validation's parts (loaders/validation/) import one another in one direction only, in
the order the package's docstring lists them, and none of them imports the stage above
(loaders/validate.py): the parts, one job each, stay apart, and no import cycle forms."""

from __future__ import annotations

import ast
import re

import committee_kg.loaders.validation as package

from .support import ROOT

FOLDER = ROOT / "loaders" / "validation"
ORDER = re.findall(r"^\* ``(\w+)``", package.__doc__, re.M)


def imports(name: str) -> set[str]:
    """What one part imports of committee_kg.loaders: its siblings by name, and any other
    module of loaders as ``..name``."""
    tree = ast.parse((FOLDER / f"{name}.py").read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                out |= {node.module} if node.module else {a.name for a in node.names}
            elif node.level == 2:
                out.add(f"..{node.module}")
            elif (node.module or "").startswith("committee_kg.loaders"):
                out.add(".." + node.module.removeprefix("committee_kg.loaders."))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("committee_kg.loaders"):
                    out.add(".." + alias.name.removeprefix("committee_kg.loaders."))
    return out


def test_the_docstring_lists_every_part():
    parts = {p.stem for p in FOLDER.glob("*.py")} - {"__init__"}
    assert sorted(ORDER) == sorted(parts)


def test_each_part_imports_only_the_parts_before_it():
    for k, name in enumerate(ORDER):
        siblings = {m for m in imports(name) if not m.startswith("..")}
        assert siblings <= set(ORDER[:k]), f"{name} imports {siblings - set(ORDER[:k])}"


def test_no_part_imports_the_stage():
    for name in ORDER:
        assert "..validate" not in imports(name), name
