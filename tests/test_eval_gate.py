"""Eval gate: `fazhi eval`'s figures must stay at or above the floors pinned in tests/eval/baseline.json,
on the bundled gold (the five examples) and on the held-out set (reports written and annotated blind
to the code, tests/eval/heldout)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fazhi.evaluate import evaluate, find_inputs
from fazhi.pipeline import process_path
from fazhi.settings import DEFAULT

from .conftest import EXAMPLES, GOLD

BASELINE = json.loads((GOLD.parent / "baseline.json").read_text(encoding="utf-8"))
HELDOUT = GOLD.parent / "heldout"
SETS: dict[str, tuple[Path, Path]] = {"gold": (GOLD, EXAMPLES), "heldout": (HELDOUT, HELDOUT / "raw")}


def figure(total: dict, key: str) -> float:
    value = total
    for part in key.split("."):
        value = value[part]
    return value


@pytest.fixture(scope="module")
def totals() -> dict[str, dict]:
    out = {}
    for name, (gold, raw) in SETS.items():
        files, missing = find_inputs(gold, raw, DEFAULT.extensions)
        assert missing == []
        out[name] = evaluate(gold, (process_path(f) for f in files))[1]
    return out


@pytest.mark.parametrize(("dataset", "key"), [(d, k) for d in SETS for k in sorted(BASELINE[d])])
def test_figure_is_at_or_above_its_floor(totals: dict, dataset: str, key: str) -> None:
    assert figure(totals[dataset], key) >= BASELINE[dataset][key], f"{dataset}: {key} fell below its floor"
