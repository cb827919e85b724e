"""Eval gate: `fazhi eval`'s figures on the bundled gold must stay at or above the pinned floors."""

from __future__ import annotations

import json

import pytest

from fazhi.evaluate import evaluate, find_inputs
from fazhi.pipeline import process_path
from fazhi.settings import DEFAULT

from .conftest import EXAMPLES, GOLD

BASELINE = json.loads((GOLD.parent / "baseline.json").read_text(encoding="utf-8"))


def figure(total: dict, key: str) -> float:
    value = total
    for part in key.split("."):
        value = value[part]
    return value


@pytest.fixture(scope="module")
def total() -> dict:
    files, missing = find_inputs(GOLD, EXAMPLES, DEFAULT.extensions)
    assert missing == []
    _, total = evaluate(GOLD, (process_path(f) for f in files))
    return total


@pytest.mark.parametrize("key", sorted(BASELINE["gold"]))
def test_figure_is_at_or_above_its_floor(total: dict, key: str) -> None:
    assert figure(total, key) >= BASELINE["gold"][key], f"{key} fell below its floor"
