"""Loading of the domain data files under ``fazhi/data/`` (cached; no module state besides caches)."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .settings import DATA_DIR


def data_path(name: str, data_dir: Path = DATA_DIR) -> Path:
    return data_dir / name


@lru_cache(maxsize=64)
def load_yaml(name: str, data_dir: Path = DATA_DIR) -> Any:
    with open(data_path(name, data_dir), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@lru_cache(maxsize=64)
def load_tsv(name: str, data_dir: Path = DATA_DIR) -> list[dict[str, str]]:
    """A UTF-8 TSV with a header row; lines starting with '#' are comments."""
    with open(data_path(name, data_dir), encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@lru_cache(maxsize=64)
def load_lines(name: str, data_dir: Path = DATA_DIR) -> list[str]:
    """One entry per line; blank lines and '#' comments skipped."""
    with open(data_path(name, data_dir), encoding="utf-8") as fh:
        return [s for line in fh if (s := line.strip()) and not s.startswith("#")]
