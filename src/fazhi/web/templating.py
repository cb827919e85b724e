"""The Jinja2 environment of the pages: autoescape on, filters for numbers and Chinese labels."""

from __future__ import annotations

import math
from pathlib import Path
from urllib.parse import urlencode

from fastapi.templating import Jinja2Templates

from .. import __version__, labels


def fmt_number(value: float | int | None) -> str:
    """``175000.0`` -> ``175,000``; ``99.81`` -> ``99.81``; None -> ``—``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def fmt_score(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def query(params: dict, **changes: object) -> str:
    """``?a=1&b=2`` from the current parameters with some changed; empty values are dropped."""
    merged = {**params, **changes}
    kept = {k: v for k, v in merged.items() if v not in (None, "") and not (k == "page" and str(v) == "1")}
    return "?" + urlencode(kept) if kept else "?"


def make_templates(directory: Path) -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(directory))
    env = templates.env
    env.autoescape = True
    env.trim_blocks = True
    env.lstrip_blocks = True
    env.filters.update(
        number=fmt_number,
        score=fmt_score,
        area=labels.area_name,
        indicator=labels.indicator_name,
        element=lambda e: labels.label("elements", e),
        level=lambda v: labels.label("levels", v),
        kind=lambda k: labels.label("kinds", k),
        substance=lambda s: labels.label("substance", s),
    )
    env.globals.update(version=__version__, query=query, levels=labels.labels("levels"))
    return templates
