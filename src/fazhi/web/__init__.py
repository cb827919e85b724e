"""The dashboard (``fazhi serve``): FastAPI app and settings (``app``), pages (``views/``), JSON API (``api``)."""

from __future__ import annotations

from .app import WebSettings, create_app

__all__ = ["WebSettings", "create_app"]
