"""One ``Settings`` object built once and passed down every stage (like trafilatura's ``Extractor``).

Defaults live here with their help text; the CLI and the API override them by keyword.
Domain knowledge does not live here: it lives in ``fazhi/data/`` and is loaded by ``fazhi.resources``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"

MB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    max_bytes: int = field(default=50 * MB, metadata={"help": "largest input file read, in bytes"})
    max_unpacked_bytes: int = field(
        default=200 * MB, metadata={"help": "largest total uncompressed size of a .docx (zip bomb guard)"}
    )
    min_chinese_ratio: float = field(
        default=0.2,
        metadata={"help": "share of Han characters among letters below which a text is not Chinese"},
    )
    min_chinese_chars: int = field(default=20, metadata={"help": "fewest Han characters a report may have"})
    extensions: tuple[str, ...] = field(
        default=(".txt", ".md", ".html", ".htm", ".pdf", ".docx"),
        metadata={"help": "file endings read when a folder is given"},
    )
    with_facts: bool = field(default=True, metadata={"help": "run the facts stage"})
    data_dir: Path = field(default=DATA_DIR, metadata={"help": "folder of the domain data files"})

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def describe() -> list[tuple[str, object, str]]:
    """(name, default, help) of every setting, for docs and ``--help``."""
    return [(f.name, f.default, f.metadata.get("help", "")) for f in fields(Settings)]


DEFAULT = Settings()
