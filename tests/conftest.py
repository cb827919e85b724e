from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
GOLD = ROOT / "tests" / "eval" / "gold"
DOCS = sorted(p.stem for p in EXAMPLES.glob("*.txt"))


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    return GOLD


@pytest.fixture(scope="session")
def processed():
    """Every bundled example through the whole pipeline, once per test session."""
    from fazhi.pipeline import process_path

    return {p.stem: process_path(p) for p in sorted(EXAMPLES.glob("*.txt"))}
