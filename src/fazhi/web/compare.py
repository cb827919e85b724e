"""One indicator across places and years: the table and charts of ``/indicators/{id}`` and its API.

Each report gives one value per indicator: its first fact of the indicator in the indicator's main unit
(the unit most facts use), else its first fact at all; the others are counted in ``more``. Every cell
links to the fact in its report.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Cell:
    report_id: int
    value: float
    unit: str
    surface: str
    subject: str
    evidence: str
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
            "subject": self.subject,
            "evidence": self.evidence,
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
        return max(self.cells.items()) if self.cells else None


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


def compare(rows: list[tuple[Any, Any]], indicator: str, level: str | None = None) -> Comparison:
    """``rows`` are ``store.facts(indicator=...)``: (ReportSummary, Fact) pairs."""
    rows = [(r, f) for r, f in rows if not level or r.level == level]
    units = Counter(f.unit for _r, f in rows)
    main = units.most_common(1)[0][0] if units else ""
    per_report: dict[int, list[tuple[Any, Any]]] = defaultdict(list)
    for r, f in rows:
        per_report[r.id].append((r, f))
    places: dict[str, PlaceRow] = {}
    for items in per_report.values():
        r = items[0][0]
        if r.year is None:
            continue
        items.sort(key=lambda rf: (rf[1].unit != main, rf[1].start))
        f = items[0][1]
        key = r.admin_code or r.jurisdiction or r.author or r.doc
        row = places.setdefault(key, PlaceRow(key, r.jurisdiction or r.author or r.doc, r.level))
        cell = Cell(r.id, f.value, f.unit, f.surface, f.subject, f.evidence, f.start, more=len(items) - 1)
        old = row.cells.get(r.year)
        if old is None or old.report_id > r.id:  # two reports of one place and year: the first stored
            row.cells[r.year] = cell

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
        n_reports=len(per_report),
    )
