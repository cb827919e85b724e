"""CSV and Parquet: one file per tidy table, Chinese headers.

CSV is UTF-8 with a byte-order mark so Excel and WPS open Chinese correctly; yes/no is 是/否, whole
numbers carry no ``.0``. Parquet columns are typed (int64, float64, bool, date32, string); each field's
metadata holds its English ``key``, so code can address columns without typing Chinese.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from .tables import Column, Item, Table, build_tables


def csv_cell(value: Any, missing: str = "") -> str:
    if value is None:
        return missing
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_csv(table: Table, path: Path) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([c.header for c in table.columns])
        for row in table.rows:
            w.writerow([csv_cell(row.get(c.key), c.missing) for c in table.columns])
    return path


def to_csv(items: Sequence[Item], out: Path) -> list[Path]:
    """``<table>.csv`` in the folder ``out`` for every table."""
    out.mkdir(parents=True, exist_ok=True)
    return [write_csv(t, out / f"{t.name}.csv") for t in build_tables(items).values()]


def arrow_type(col: Column) -> Any:
    import pyarrow as pa

    return {
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
    }.get(col.type, pa.string())


def arrow_table(table: Table) -> Any:
    import pyarrow as pa

    names: list[str] = []
    for c in table.columns:  # field names must be unique: a repeated header gets its key
        names.append(c.header if c.header not in names else f"{c.header}（{c.key}）")
    fields = [
        pa.field(name, arrow_type(c), metadata={"key": c.key})
        for name, c in zip(names, table.columns, strict=True)
    ]
    meta = {
        "fazhi.table": table.name,
        "fazhi.title": table.title,
        "fazhi.version": __version__,
        "fazhi.keys": json.dumps({c.key: c.header for c in table.columns}, ensure_ascii=False),
    }
    schema = pa.schema(fields, metadata=meta)
    arrays = []
    for c, f in zip(table.columns, fields, strict=True):
        values = [row.get(c.key) for row in table.rows]
        if c.type == "float":
            values = [None if v is None else float(v) for v in values]
        elif c.type not in ("int", "bool", "date"):
            values = [None if v is None else str(v) for v in values]
        arrays.append(pa.array(values, type=f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def to_parquet(items: Sequence[Item], out: Path) -> list[Path]:
    """``<table>.parquet`` in the folder ``out`` for every table."""
    import pyarrow.parquet as pq

    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for t in build_tables(items).values():
        path = out / f"{t.name}.parquet"
        pq.write_table(arrow_table(t), path)
        paths.append(path)
    return paths
