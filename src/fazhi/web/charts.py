"""ECharts options of the dashboard's charts, built as plain data (the page embeds them as JSON).

A data item may carry ``url``: ``static/app.js`` opens it when the item is clicked.
"""

from __future__ import annotations

import statistics
from typing import Any

from ..labels import label
from ..models import LEVELS
from .stats import Overview

PALETTE = ["#1d4e89", "#c23b22", "#3c8d5a", "#d98b1d", "#6b4c9a", "#2a9d8f", "#8d6e63"]
LEVEL_ORDER = (*LEVELS, "unknown")


def _base(**extra: Any) -> dict[str, Any]:
    for series in extra.get("series", []):
        if series.get("type") == "bar":
            series.setdefault("barMaxWidth", 28)
    return {
        "color": PALETTE,
        "textStyle": {"fontFamily": "inherit"},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 48, "right": 24, "top": 40, "bottom": 32, "containLabel": True},
        "animation": False,
        **extra,
    }


def score_distribution(ov: Overview) -> dict[str, Any]:
    levels = [lv for lv in LEVEL_ORDER if any(lv in row for row in ov.distribution)]
    return _base(
        legend={"top": 0},
        xAxis={
            "type": "category",
            "data": [row["bin"] for row in ov.distribution],
            "axisLabel": {"interval": 0, "fontSize": 10},
        },
        yAxis={"type": "value", "name": "报告数", "minInterval": 1},
        series=[
            {
                "name": label("levels", lv, "未知"),
                "type": "bar",
                "stack": "level",
                "data": [row.get(lv, 0) for row in ov.distribution],
            }
            for lv in levels
        ],
    )


def area_coverage(ov: Overview) -> dict[str, Any]:
    rows = list(reversed(ov.coverage))  # horizontal bars read top-down in the file's order
    return _base(
        grid={"left": 8, "right": 48, "top": 16, "bottom": 24, "containLabel": True},
        tooltip={"trigger": "item"},
        xAxis={"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
        yAxis={
            "type": "category",
            "data": [r["name"] for r in rows],
            "axisLabel": {"width": 180, "overflow": "truncate"},
        },
        series=[
            {
                "name": "有相关数据的报告占比",
                "type": "bar",
                "label": {"show": True, "position": "right", "formatter": "{c}%"},
                "data": [
                    {"value": round(r["share"] * 100, 1), "url": f"/indicators#area-{r['area']}"}
                    for r in rows
                ],
            }
        ],
    )


def years(ov: Overview) -> dict[str, Any]:
    return _base(
        legend={"top": 0},
        xAxis={"type": "category", "data": [str(r["year"]) for r in ov.by_year]},
        yAxis=[
            {"type": "value", "name": "报告数", "minInterval": 1},
            {"type": "value", "name": "平均分", "min": 0, "max": 100, "splitLine": {"show": False}},
        ],
        series=[
            {
                "name": "报告数",
                "type": "bar",
                "data": [{"value": r["reports"], "url": f"/?year={r['year']}"} for r in ov.by_year],
            },
            {
                "name": "平均分",
                "type": "line",
                "yAxisIndex": 1,
                "data": [r["mean_score"] for r in ov.by_year],
            },
        ],
    )


def criteria(items: list[Any]) -> dict[str, Any]:
    """A report's score on each criterion, as a share of its points."""
    rows = list(reversed(items))
    return _base(
        grid={"left": 8, "right": 56, "top": 8, "bottom": 8, "containLabel": True},
        tooltip={"trigger": "item"},
        xAxis={"type": "value", "max": 100, "axisLabel": {"show": False}, "splitLine": {"show": False}},
        yAxis={
            "type": "category",
            "data": [c.name for c in rows],
            "axisLabel": {"width": 220, "overflow": "truncate"},
        },
        series=[
            {
                "name": "得分率",
                "type": "bar",
                "label": {"show": True, "position": "right", "formatter": "{c}%"},
                "data": [
                    {"value": round(100 * c.score / c.max, 1) if c.max else 0, "url": f"#crit-{c.id}"}
                    for c in rows
                ],
            }
        ],
    )


def indicator_places(rows: list[dict[str, Any]], unit: str, year: int | None) -> dict[str, Any]:
    """Values of the places of one year (or each place's latest), largest first (at most 30)."""
    top = sorted((r for r in rows if r["value"] is not None), key=lambda r: -r["value"])[:30]
    top.reverse()
    title = f"{year}年" if year else "各地最近一年"
    return _base(
        title={
            "text": f"{title}（{unit or '无单位'}）",
            "textStyle": {"fontSize": 13, "fontWeight": "normal"},
        },
        grid={"left": 8, "right": 64, "top": 36, "bottom": 24, "containLabel": True},
        tooltip={"trigger": "item"},
        xAxis={"type": "value"},
        yAxis={"type": "category", "data": [r["label"] for r in top]},
        series=[
            {
                "type": "bar",
                "label": {"show": True, "position": "right"},
                "data": [{"value": r["value"], "url": r["url"]} for r in top],
            }
        ],
    )


def indicator_years(values_by_year: dict[int, list[float]], unit: str) -> dict[str, Any]:
    """Median value and number of reports stating the indicator, per year."""
    ys = sorted(values_by_year)
    return _base(
        legend={"top": 0},
        xAxis={"type": "category", "data": [str(y) for y in ys]},
        yAxis=[
            {"type": "value", "name": f"中位数（{unit or '无单位'}）"},
            {"type": "value", "name": "报告数", "minInterval": 1, "splitLine": {"show": False}},
        ],
        series=[
            {
                "name": "中位数",
                "type": "line",
                "data": [round(statistics.median(values_by_year[y]), 2) for y in ys],
            },
            {
                "name": "报告数",
                "type": "bar",
                "yAxisIndex": 1,
                "data": [len(values_by_year[y]) for y in ys],
                "itemStyle": {"opacity": 0.35},
            },
        ],
    )
