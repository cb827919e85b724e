"""The store: reports, their parts and assessments in SQLite (default) or PostgreSQL.

    >>> from fazhi.store import open_store
    >>> store = open_store()                      # $FAZHI_DB, else sqlite:///fazhi.db
    >>> store.ingest_paths(["reports/"], progress=True)
    >>> store.search("行政复议", year=2024)[0].sentence

``open_store`` runs the migrations (``fazhi/store/migrations``) when the schema is behind. Tables are
described in ``fazhi.store.schema``, full-text search in ``fazhi.store.sqlite`` / ``.postgres``.
"""

from __future__ import annotations

from .database import DEFAULT_URL, Store, resolve_url
from .records import IngestResult, ReportSummary, SearchHit, StoredReport

__all__ = [
    "DEFAULT_URL",
    "IngestResult",
    "ReportSummary",
    "SearchHit",
    "Store",
    "StoredReport",
    "open_store",
    "resolve_url",
]


def open_store(url: str | None = None) -> Store:
    """The store at ``url`` (an SQLAlchemy URL or a file path); None: $FAZHI_DB or sqlite:///fazhi.db."""
    return Store(url)
