"""One JSON file: every report's contract fields, sections and facts, with its assessment."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from .tables import Item, rank


def report_dicts(items: Sequence[Item]) -> list[dict[str, Any]]:
    """Reports in ranking order: ``Document.to_dict()`` plus ``rank`` and ``assessment`` (or null)."""
    out = []
    for r, d, a in rank(items):
        obj = d.to_dict()
        obj["rank"] = r
        obj["assessment"] = a.to_dict() if a else None
        out.append(obj)
    return out


def to_json(items: Sequence[Item], path: Path) -> Path:
    """Write ``{"fazhi_version", "count", "reports": [...]}`` to ``path`` (UTF-8, Chinese unescaped)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    reports = report_dicts(items)
    payload = {"fazhi_version": __version__, "count": len(reports), "reports": reports}
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(payload, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    return path
