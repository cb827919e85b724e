"""fazhi (法治): read Chinese governments' annual rule-of-law government reports into data.

    >>> import fazhi
    >>> doc = fazhi.read("examples/xiamen-city-2024.txt")
    >>> doc.jurisdiction, doc.year, len(doc.facts)

Importing this package has no side effects: data files and libraries load on first use.
"""

from __future__ import annotations

from pathlib import Path

from .models import Document, Fact, Quantity, Rejection, Section
from .settings import Settings

__version__ = "0.1.0"
# Bumped whenever extraction output changes, so stored reports can be brought up to date.
EXTRACTOR_VERSION = "13"

__all__ = [
    "Document",
    "Fact",
    "Quantity",
    "Rejection",
    "Section",
    "Settings",
    "extract_facts",
    "parse_quantity",
    "read",
]


def read(source: str | Path | bytes, settings: Settings | None = None, *, doc: str | None = None) -> Document:
    """A report from a path (any supported format), from its text, or from raw bytes.

    A ``str`` that names an existing file is read as that file; any other ``str`` is the report's text.
    Raises ``fazhi.models.ReadError`` with a one-line reason when the input is not a readable report.
    """
    from . import pipeline
    from .readers import read_bytes

    settings = settings or Settings()
    if isinstance(source, bytes):
        return pipeline.process(read_bytes(source, "<bytes>", doc or "bytes", ".txt", settings), settings)
    if isinstance(source, Path) or _is_file(source):
        return pipeline.process_path(source, settings)
    return pipeline.process_text(source, doc=doc or "text", settings=settings)


def _is_file(s: str) -> bool:
    if "\n" in s or len(s) > 1024:
        return False
    try:
        return Path(s).is_file()
    except (OSError, ValueError):  # too long for a file name, or a NUL byte: it is text
        return False


def extract_facts(text: str) -> list[Fact]:
    """Every quantitative fact in a (cleaned) text."""
    from .facts import extract_facts as _extract

    return _extract(text)


def parse_quantity(s: str) -> Quantity | None:
    """One quantity expression (``"17.5万件"``) -> value, unit, approx; None when it is not one."""
    from .facts import parse_quantity as _parse

    return _parse(s)
