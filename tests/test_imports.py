"""The import graph of the code: rooms that depend on each other one way only.

Built from the source (every ``import`` and ``from … import``, those inside functions
included, relative ones resolved to ``committee_kg.…`` names), not from what a run happens
to load, so an import hidden in a function that no test calls is counted too.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import networkx as nx

import committee_kg.loaders
import committee_kg.server

PACKAGES = {
    "committee_kg.loaders": Path(committee_kg.loaders.__file__).parent,
    "committee_kg.server": Path(committee_kg.server.__file__).parent,
}
RDF_LIBRARIES = ("rdflib", "pyoxigraph")


def modules() -> dict[str, Path]:
    """Every module of loaders/ and server/ by its dotted name."""
    out = {}
    for package, folder in PACKAGES.items():
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join((package, *parts))] = path
    return out


def typing_only(tree: ast.AST) -> set[ast.AST]:
    """Imports under ``if TYPE_CHECKING:``: they never run, so they make no cycle (a
    module may name another's type in its annotations while that one imports it)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            for child in node.body:
                out.update(ast.walk(child))
    return out


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of ``known`` that the module imports, anywhere in its source."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skipped = typing_only(tree)
    for node in ast.walk(tree):
        if node in skipped:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                stem = ".".join([*base, *([node.module] if node.module else [])])
            else:
                stem = node.module or ""
            # from a package import a module, or from a module import a name
            targets = [f"{stem}.{alias.name}" for alias in node.names] + [stem]
        else:
            continue
        for target in targets:
            # the longest known name the target starts with (a name inside a module)
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target:
                found.add(target)
    found.discard(name)
    return found


def import_graph() -> nx.DiGraph:
    found = modules()
    graph = nx.DiGraph()
    graph.add_nodes_from(found)
    for name, path in found.items():
        graph.add_edges_from((name, target) for target in imported(name, path, set(found)))
    return graph


def test_the_graph_sees_imports_inside_functions_and_relative_ones():
    graph = import_graph()
    # cli imports the store only inside the commands that need it, relatively
    assert any(t.startswith("committee_kg.server.store") for t in graph["committee_kg.server.cli"])
    assert "committee_kg.loaders.errors" in graph["committee_kg.server.cli"]


def test_no_module_imports_itself_back():
    graph = import_graph()
    cycles = [c for c in nx.simple_cycles(graph)]
    assert not cycles, "import cycles:\n" + "\n".join(" → ".join([*c, c[0]]) for c in cycles)


def test_loaders_never_import_the_server_side():
    graph = import_graph()
    back = sorted(
        (a, b)
        for a, b in graph.edges
        if a.startswith("committee_kg.loaders") and b.startswith("committee_kg.server")
    )
    assert not back, back


def test_help_loads_no_rdf_library():
    """``committee-kg --help`` (and a typo's usage message) is quick: argument parsing and
    the settings table only, no RDF library."""
    script = (
        "import json, sys\n"
        "from committee_kg.server.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = json.loads(run.stdout.splitlines()[-1])
    assert "usage: committee-kg" in run.stdout
    heavy = [m for m in loaded if m.split(".")[0] in RDF_LIBRARIES]
    assert not heavy, heavy
