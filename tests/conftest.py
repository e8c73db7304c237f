"""Shared fixtures: the real seed (skipped outside the workplace), our example minutes, and
the stores every reading test shares. Helpers that are not fixtures live in tests/support.

``example_store`` (the bundled examples) and ``marked_up_store`` (the same and one session
whose title and remark carry markup and quotes) are built once per test session and only
read: after every test that uses one, and at the end of the session, its files are
compared with what was built (tests/support/stores.py), so a test that writes to a shared
store fails by name. A test that writes copies one (``writable_copy``) or builds its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.support")  # their asserts explain themselves too

from .support import SEEDS, example_files  # noqa: E402
from .support.stores import build_published_store, changes, fingerprint  # noqa: E402


@pytest.fixture(scope="session")
def seed_file() -> Path:
    files = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not files:
        pytest.skip("../shared/seeds is not here (outside the workplace)")
    return files[0]


@pytest.fixture(scope="session")
def seed_conversion(seed_file):
    from committee_kg.loaders.pipeline import convert

    return convert(seed_file)


@pytest.fixture(scope="session")
def example_conversions():
    from committee_kg.loaders.pipeline import convert

    return {p.name: convert(p) for p in example_files()}


# -- the shared stores -----------------------------------------------------------------------

SHARED: dict[str, tuple[Path, dict]] = {}  # fixture name: (store, its fingerprint as built)


def _shared(name: str, path: Path):
    built = fingerprint(path)
    SHARED[name] = (path, built)
    yield path
    SHARED.pop(name)
    changed = changes(path, built)
    assert not changed, f"{name} was written to during the session: " + "; ".join(changed)


@pytest.fixture(scope="session")
def example_store(example_conversions, tmp_path_factory) -> Path:
    """The bundled examples (examples/minutes) stored and published once: only read it."""
    convs = [example_conversions[k] for k in sorted(example_conversions)]
    yield from _shared(
        "example_store",
        build_published_store(tmp_path_factory.mktemp("example-store") / "store", convs),
    )


@pytest.fixture(scope="session")
def marked_up_conversion(tmp_path_factory):
    """The example of 2025-04-09 moved a week on, with markup and quotes in an item's title
    and a member's remark (tests/support/pages.py)."""
    from .support.pages import hostile_conversion

    return hostile_conversion(tmp_path_factory.mktemp("marked-up"))


@pytest.fixture(scope="session")
def marked_up_store(example_conversions, marked_up_conversion, tmp_path_factory) -> Path:
    """The example store and the marked-up session, published once: only read it."""
    convs = [example_conversions[k] for k in sorted(example_conversions)]
    yield from _shared(
        "marked_up_store",
        build_published_store(
            tmp_path_factory.mktemp("marked-up-store") / "store", [*convs, marked_up_conversion]
        ),
    )


@pytest.fixture(autouse=True)
def _shared_stores_stay_as_built(request):
    """After each test that uses a shared store: the store is as it was built."""
    yield
    for name, (path, built) in list(SHARED.items()):
        if name in request.fixturenames and (changed := changes(path, built)):
            SHARED[name] = (path, fingerprint(path))  # the next test is judged on its own
            pytest.fail(f"{request.node.nodeid} wrote to {name}: " + "; ".join(changed))


# -- servers of others -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A Virtuoso server of this test session's own (tests/support/virtuoso.py), fresh and
    empty; skipped where Debian's virtuoso-opensource-7-bin is not installed. Tests that use
    it are slow; each works under graph names of its own, or clears it first."""
    from .support.virtuoso import Virtuoso, available

    if reason := available():
        pytest.skip(reason)
    root = tmp_path_factory.mktemp("virtuoso")
    server = Virtuoso(root / "db", allowed=(root,))
    server.load_dir = root  # files for the bulk loader go here (DirsAllowed)
    yield server.start()
    server.stop()
