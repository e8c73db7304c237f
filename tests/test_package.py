"""The distribution as a user gets it (issue 17): built into a wheel and an sdist, installed
into a clean virtualenv outside the checkout, it reads minutes, runs the demo and serves,
with its data (ontology, shapes, queries, templates, static assets, examples) found inside
the installed package, and it names nothing in site-packages but ``committee_kg``."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import urllib.parse
import zipfile
from pathlib import Path

import pytest

from .support import ROOT
from .support.server import call, start_server, stop_server

pytestmark = pytest.mark.slow

# folders of the checkout mapped into the package (pyproject.toml), and their names there
MAPPED = {
    "loaders": "committee_kg/loaders",
    "server": "committee_kg/server",
    "ontology": "committee_kg/ontology",
    "shapes": "committee_kg/shapes",
    "queries": "committee_kg/queries",
    "examples": "committee_kg/examples",
    "committee_kg": "committee_kg",
}


def run(*command, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    done = subprocess.run(
        list(map(str, command)), cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{command}: {done.stdout[-2000:]}{done.stderr[-2000:]}"
    return done


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The wheel and the sdist, built as `python -m build` builds them for PyPI."""
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--outdir", out, ROOT, cwd=out)
    (wheel,) = out.glob("committee_kg-*.whl")
    (sdist,) = out.glob("committee_kg-*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


def tracked(folder: str) -> set[str]:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    files = subprocess.run(
        ["git", "ls-files", "-z", folder], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    return {f for f in files if f and not f.endswith((".ruff.toml", ".gitignore"))}


def test_the_wheel_holds_every_file_of_the_package_and_nothing_generic(built):
    names = set(zipfile.ZipFile(built["wheel"]).namelist())
    tops = {n.split("/")[0] for n in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"committee_kg"}
    for folder, inside in MAPPED.items():
        for f in tracked(folder):
            assert inside + f[len(folder) :] in names, f"{f} is not in the wheel"


def test_the_sdist_builds_the_same_wheel_and_carries_the_tests(built):
    with tarfile.open(built["sdist"]) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    for folder in [*MAPPED, "tests"]:
        for f in tracked(folder):
            assert f in names, f"{f} is not in the sdist"


@pytest.fixture(scope="module")
def installed(built, tmp_path_factory) -> Path:
    """A clean virtualenv outside the checkout with the wheel alone (no extras)."""
    home = tmp_path_factory.mktemp("user")
    run(sys.executable, "-m", "venv", home / "venv", cwd=home)
    run(home / "venv/bin/python", "-m", "pip", "install", "-q", built["wheel"], cwd=home)
    return home


def test_reading_installs_without_the_server_side_and_reads_minutes(installed):
    home, bin_ = installed, installed / "venv/bin"
    examples = run(
        bin_ / "python", "-c", "import committee_kg.data as d; print(d.EXAMPLES_DIR)", cwd=home
    ).stdout.strip()
    assert "site-packages" in examples and str(ROOT) not in examples
    minutes = Path(examples) / "minutes" / "JP-35_2025-09-10.txt"
    turtle = run(bin_ / "committee-kg", "convert", minutes, cwd=home).stdout
    assert "ckg:Meeting" in turtle and '"2025-09-10"^^xsd:date' in turtle
    refused = subprocess.run(
        [bin_ / "committee-kg", "ingest", "--store", home / "s", minutes],
        cwd=home,
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 1
    assert "pip install 'committee-kg[server]'" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_with_the_server_extra_the_demo_builds_and_serves_from_the_install(built, installed):
    home, bin_ = installed, installed / "venv/bin"
    run(bin_ / "python", "-m", "pip", "install", "-q", f"{built['wheel']}[server]", cwd=home)
    store, dumps = home / "store", home / "dumps"
    run(bin_ / "committee-kg", "demo", "--no-serve", "--store", store, "--dumps", dumps, cwd=home)
    assert (dumps / "SHA256SUMS").exists()
    proc, url = start_server(store, command=[bin_ / "committee-kg", "serve"], cwd=home)
    try:
        query = "SELECT (COUNT(?m) AS ?n) { ?m a <https://w3id.org/committee-kg/ontology#Meeting> }"
        status, _, body = call(
            f"{url}/sparql?query={urllib.parse.quote(query)}",
            headers={"Accept": "application/sparql-results+json"},
        )
        assert status == 200
        meetings = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
        assert meetings >= 20  # every bundled example session
        status, _, page = call(url + "/", headers={"Accept": "text/html"})
        assert status == 200 and "committee-kg" in page.decode("utf-8")
        status, _, css = call(url + "/static/site.css")
        assert status == 200 and css
    finally:
        stop_server(proc)
