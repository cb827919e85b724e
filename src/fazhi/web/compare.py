"""One indicator across places and years: the table and charts of ``/indicators/{id}`` and its API.

Each report gives one value per indicator: its first fact of the indicator in the indicator's main unit
(the unit most facts use), else its first fact at all; the others are counted in ``more``. Every cell
links to the fact in its report, where the sentence it came from is highlighted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Cell:
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


@dataclass
class PlaceRow:
    key: str  # admin code, else name
    jurisdiction: str
    level: str | None
    cells: dict[int, Cell] = field(default_factory=dict)  # year -> cell

    def latest(self) -> tuple[int, Cell] | None:
        if not self.cells:
            return None
        year = max(self.cells)
        return year, self.cells[year]


@dataclass
class Comparison:
    indicator: str
    unit: str  # the main unit
    years: list[int]
    places: list[PlaceRow]  # largest latest value first
    n_facts: int
    n_reports: int

    def values_by_year(self) -> dict[int, list[float]]:
        out: dict[int, list[float]] = defaultdict(list)
        for p in self.places:
            for y, c in p.cells.items():
                if c.unit == self.unit:
                    out[y].append(c.value)
        return dict(out)

    def chart_rows(self, year: int | None) -> list[dict[str, Any]]:
        """One bar per place: its value in ``year``, or its latest value."""
        rows = []
        for p in self.places:
            item = (year, p.cells.get(year)) if year is not None else p.latest()
            if item and item[1] and item[1].unit == self.unit:
                label = p.jurisdiction if year is not None else f"{p.jurisdiction} {item[0]}"
                rows.append({"label": label, "value": item[1].value, "url": item[1].url})
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
    places: dict[str, PlaceRow] = {}
    for rid in sorted(best):  # two reports of one place and year: the first stored wins
        r = reports.get(rid)
        if r is None or r.year is None:
            continue
        key = r.admin_code or r.jurisdiction or r.author or r.doc
        place = places.get(key)
        if place is None:
            place = places[key] = PlaceRow(key, r.jurisdiction or r.author or r.doc, r.level)
        if r.year not in place.cells:
            _other, start, value, unit, surface = best[rid]
            place.cells[r.year] = Cell(rid, value, unit, surface, start, count[rid] - 1)

    def order(p: PlaceRow) -> tuple[float, str]:
        latest = p.latest()
        v = latest[1].value if latest and latest[1].unit == main else float("-inf")
        return (-v, p.jurisdiction)

    return Comparison(
        indicator=indicator,
        unit=main,
        years=sorted({y for p in places.values() for y in p.cells}),
        places=sorted(places.values(), key=order),
        n_facts=len(rows),
        n_reports=len(best),
    )
