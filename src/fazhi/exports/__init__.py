"""Exports: documents and their assessments to Excel, CSV, Parquet, JSON and a Word report.

    >>> from fazhi.exports import export
    >>> export([(doc, assessment)], "xlsx", Path("out"))
    [PosixPath('out/fazhi.xlsx')]

Every format is written from the tidy tables of ``fazhi.exports.tables`` (or, for JSON, from the
models' ``to_dict``), so all of them agree. One function per format; ``export`` picks by name.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from .tables import ExportWarning, Item, Table, build_tables

STEM = "fazhi"  # file name of the single-file formats: fazhi.xlsx, fazhi.json, fazhi.docx


def _xlsx(items: Sequence[Item], out: Path) -> list[Path]:
    from .xlsx import to_xlsx

    return [to_xlsx(items, out / f"{STEM}.xlsx")]


def _csv(items: Sequence[Item], out: Path) -> list[Path]:
    from .csv_parquet import to_csv

    return to_csv(items, out)


def _parquet(items: Sequence[Item], out: Path) -> list[Path]:
    from .csv_parquet import to_parquet

    return to_parquet(items, out)


def _json(items: Sequence[Item], out: Path) -> list[Path]:
    from .json import to_json

    return [to_json(items, out / f"{STEM}.json")]


def _docx(items: Sequence[Item], out: Path) -> list[Path]:
    from .docx import to_docx

    return [to_docx(items, out / f"{STEM}.docx")]


FORMATS: dict[str, Callable[[Sequence[Item], Path], list[Path]]] = {
    "xlsx": _xlsx,
    "csv": _csv,
    "parquet": _parquet,
    "json": _json,
    "docx": _docx,
}


def export(items: Sequence[Item], to: str, out: Path) -> list[Path]:
    """Write ``items`` (document, assessment or None) as format ``to`` into the folder ``out``.

    Returns the files written. Raises ``ValueError`` for an unknown format.
    """
    if to not in FORMATS:
        raise ValueError(f"unknown export format {to!r} (choose from {', '.join(FORMATS)})")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    return FORMATS[to](list(items), out)


__all__ = ["FORMATS", "ExportWarning", "Item", "Table", "build_tables", "export"]
