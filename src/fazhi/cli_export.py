"""``fazhi export``: reports and their assessments to Excel, CSV, Parquet, JSON or a Word report.

Reports come from files (run through the pipeline and assessed) or from a store (``--db``).
Thin layer: parse, call ``fazhi.exports.export``, print the files written.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import click

from .cli import Batch, _err, make_settings
from .exports import FORMATS, ExportWarning, Item, export
from .settings import DEFAULT, MB


def assessed(batch: Batch) -> Iterator[Item]:
    """Each document of the batch with its assessment; a failed assessment counts as a failed file."""
    from .assessment import assess

    for doc in batch:
        try:
            yield doc, assess(doc)
        except Exception as exc:  # noqa: BLE001 - one report's failure must not lose the batch
            batch.failed += 1
            _err(f"{doc.source}: assessment failed: {type(exc).__name__}: {exc}")
            yield doc, None


def stored(url: str) -> list[Item]:
    """Every report in the store at ``url``, with its stored assessment."""
    from .store import open_store

    with open_store(url) as store:
        reports = (store.report(summary.id) for summary in store.reports())
        return [(r.document, r.assessment) for r in reports if r is not None]


@click.command(name="export")
@click.argument("paths", nargs=-1)
@click.option("--db", "db_url", metavar="URL", help="Export every report in this store instead of PATHS.")
@click.option(
    "--to",
    "formats",
    type=click.Choice(list(FORMATS)),
    multiple=True,
    required=True,
    help="Format; repeat for several (--to xlsx --to docx).",
)
@click.option(
    "-o",
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Folder the files are written to (created if missing).",
)
@click.option(
    "--max-mb",
    type=float,
    default=DEFAULT.max_bytes / MB,
    show_default=True,
    help="Largest input file read, in MB.",
)
def export_cmd(
    paths: tuple[str, ...], db_url: str | None, formats: tuple[str, ...], out: Path, max_mb: float
) -> None:
    """Export reports with their assessments for Excel/WPS, pandas or Word.

    \b
    xlsx     fazhi.xlsx: 排名, 评分明细, 关键指标, 指标明细, 全部数据, 合规检查, 章节
    csv      one UTF-8 (BOM) table per file: reports, criteria, elements, facts, sections, indicators
    parquet  the same tables, typed columns
    json     fazhi.json: every report's fields, sections, facts and assessment
    docx     fazhi.docx: summary, ranking, charts, findings per report with quotes

    PATHS are report files or folders (run through the pipeline and assessed); or give --db URL to
    export what a store holds.
    """
    if bool(paths) == bool(db_url):
        raise click.UsageError("give report PATHS or --db URL (one of them)")
    batch: Batch | None = None
    if db_url:
        items = stored(db_url)
    else:
        batch = Batch(paths, make_settings(max_mb))
        items = list(assessed(batch))
    if not items:
        _err("no reports to export")
        sys.exit(1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ExportWarning)
        for fmt in formats:
            for path in export(items, fmt, out):
                click.echo(str(path))
    for w in caught:
        if issubclass(w.category, ExportWarning):
            _err(f"warning: {w.message}")
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    if batch is not None:
        batch.exit(len(items))
