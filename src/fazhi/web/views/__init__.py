"""The dashboard's pages, one module per page kind; helpers every page uses live here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

from ...models import LEVELS


@dataclass
class Filters:
    """The place / level / year filters of lists, search and comparison, from a query string."""

    place: str | None = None
    level: str | None = None
    year: int | None = None

    @classmethod
    def parse(cls, place: str | None, level: str | None, year: str | None) -> Filters:
        place = (place or "").strip() or None
        level = (level or "").strip() or None
        if level is not None and level not in LEVELS:
            raise HTTPException(422, f"level: must be one of {', '.join(LEVELS)}")
        return cls(place, level, parse_year(year))

    def params(self) -> dict[str, Any]:
        return {"place": self.place, "level": self.level, "year": self.year}


def parse_year(year: str | None) -> int | None:
    year = (year or "").strip()
    if not year:
        return None
    if not (year.isdigit() and len(year) == 4):
        raise HTTPException(422, "year: must be a four-digit year")
    return int(year)


def parse_page(page: str | None) -> int:
    page = (page or "").strip()
    if not page:
        return 1
    if not page.isdigit() or int(page) < 1:
        raise HTTPException(422, "page: must be a positive whole number")
    return int(page)


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    templates = request.app.state.templates
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def store(request: Request) -> Any:
    return request.app.state.store


def web(request: Request) -> Any:
    return request.app.state.web
