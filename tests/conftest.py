"""Shared fixtures: the real seed (skipped outside the workplace) and our example minutes.
Helpers that are not fixtures live in tests/support."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.support")  # their asserts explain themselves too

from .support import SEEDS, example_files  # noqa: E402


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
