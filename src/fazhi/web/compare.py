"""One indicator across places and years: the table and charts of ``/indicators/{id}`` and its API.

Each report gives one value per indicator: its first fact of the indicator in the indicator's main unit
(the unit most facts use), else its first fact at all; the others are counted in ``more``. Every cell
links to the fact in its report, where the sentence it came from is highlighted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, overload


class Cell(NamedTuple):
    """A report's value of the indicator."""

    report_id: int
    value: float
    unit: str
    surface: str
    start: int
    more: int = 0  # further facts of the indicator in the same report

    @property
    def url(self) -> str:
        return f"/reports/{self.report_id}#f-{self.start}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "report_id": self.report_id,
            "value": self.value,
            "unit": self.unit,
            "surface": self.surface,
            "start": self.start,
            "more": self.more,
            "url": self.url,
        }


class PlaceRow(NamedTuple):
    key: str  # admin code, else name
    jurisdiction: str
    level: str | None
    cells: dict[int, Cell]  # year -> cell

    def latest(self) -> tuple[int, Cell] | None:
        if not self.cells:
            return None
        year = max(self.cells)
        return year, self.cells[year]


# A place as a comparison keeps it: (key, jurisdiction, level, ((year, the cell's fields), ...)), plain
# tuples only. A kept comparison holds thousands of places; tuples of plain values drop out of the
# garbage collector's sight (a dict, or a class's instance, would keep them in it), so a full collection
# does not walk every kept comparison (about 0.1 s with the cache full of them, in whichever request
# it falls).
Row = tuple[str, str, str | None, tuple[tuple[int, tuple[Any, ...]], ...]]


def _place(row: Row) -> PlaceRow:
    key, name, level, cells = row
    return PlaceRow(key, name, level, {y: Cell(*c) for y, c in cells})


class Places(Sequence[PlaceRow]):
    """The places of a comparison, largest latest value first, made into ``PlaceRow`` as they are read
    (a page of them, or one)."""

    __slots__ = ("rows",)

    def __init__(self, rows: list[Row]) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, i: int) -> PlaceRow: ...
    @overload
    def __getitem__(self, i: slice) -> list[PlaceRow]: ...
    def __getitem__(self, i: int | slice) -> PlaceRow | list[PlaceRow]:
        if isinstance(i, slice):
            return [_place(r) for r in self.rows[i]]
        return _place(self.rows[i])


@dataclass
class Comparison:
    indicator: str
    unit: str  # the main unit
    years: list[int]
    places: Places  # largest latest value first
    n_facts: int
    n_reports: int

    def values_by_year(self) -> dict[int, list[float]]:
        out: dict[int, list[float]] = defaultdict(list)
        for _key, _name, _level, cells in self.places.rows:
            for y, (_rid, value, unit, *_rest) in cells:
                if unit == self.unit:
                    out[y].append(value)
        return dict(out)

    def chart_rows(self, year: int | None) -> list[dict[str, Any]]:
        """One bar per place: its value in ``year``, or its latest value."""
        rows = []
        for _key, name, _level, pairs in self.places.rows:
            cells = dict(pairs)
            y = year if year is not None else max(cells, default=None)
            c = cells.get(y) if y is not None else None
            if c and c[2] == self.unit:
                cell = Cell(*c)
                label = name if year is not None else f"{name} {y}"
                rows.append({"label": label, "value": cell.value, "url": cell.url})
        return rows


def compare(rows: list[Any], reports: Mapping[int, Any], indicator: str) -> Comparison:
    """``rows``: ``Store.indicator_facts`` (report_id, value, unit, start, surface), one per fact;
    ``reports``: report id -> its ``ReportFigures`` (place, level, year)."""
    units = Counter(row[2] for row in rows)
    main = units.most_common(1)[0][0] if units else ""
    best: dict[int, tuple[Any, ...]] = {}  # report id -> (other unit, start, value, unit, surface)
    count: dict[int, int] = {}
    for rid, value, unit, start, surface in rows:
        fact = (unit != main, start, value, unit, surface)
        old = best.get(rid)
        if old is None:
            best[rid] = fact
            count[rid] = 1
        else:
            count[rid] += 1
            if fact[:2] < old[:2]:
                best[rid] = fact
    places: dict[str, tuple[str, str, str | None, dict[int, tuple[Any, ...]]]] = {}
    for rid in sorted(best):  # two reports of one place and year: the first stored wins
        r = reports.get(rid)
        if r is None or r.year is None:
            continue
        key = r.admin_code or r.jurisdiction or r.author or r.doc
        place = places.get(key)
        if place is None:
            place = places[key] = (key, r.jurisdiction or r.author or r.doc, r.level, {})
        cells = place[3]
        if r.year not in cells:
            _other, start, value, unit, surface = best[rid]
            cells[r.year] = (rid, value, unit, surface, start, count[rid] - 1)

    def order(p: Row) -> tuple[float, str]:
        latest = max(p[3]) if p[3] else None  # (year, cell): the latest year's
        v = latest[1][1] if latest and latest[1][2] == main else float("-inf")
        return (-v, p[1])

    kept: list[Row] = [
        (key, name, level, tuple(cells.items())) for key, name, level, cells in places.values()
    ]
    return Comparison(
        indicator=indicator,
        unit=main,
        years=sorted({y for p in kept for y, _c in p[3]}),
        places=Places(sorted(kept, key=order)),
        n_facts=len(rows),
        n_reports=len(best),
    )
