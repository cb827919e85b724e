"""Store commands (``fazhi ingest``, ``fazhi reprocess``, ``fazhi search``): parse, call ``fazhi.store``, print."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from .cli import _err, format_option, input_options, make_settings
from .models import LEVELS, FazhiError, Rejection

F = TypeVar("F", bound=Callable[..., Any])


def db_option(fn: F) -> F:
    return click.option(
        "--db",
        "db",
        envvar="FAZHI_DB",
        default=None,
        metavar="URL",
        help="Database: an SQLAlchemy URL (postgresql://user@host/name) or an SQLite file path. "
        "Default: $FAZHI_DB, else fazhi.db here.",
    )(fn)


def workers_option(fn: F) -> F:
    return click.option(
        "--workers",
        type=click.IntRange(min=0),
        default=None,
        help="Processes that parse reports (default: one per core; 0: none, parse in this process).",
    )(fn)


def progress_option(fn: F) -> F:
    return click.option(
        "--progress/--no-progress", default=True, show_default=True, help="Show a progress bar on stderr."
    )(fn)


def _open(db: str | None) -> Any:
    from .store import open_store

    try:
        return open_store(db)
    except FazhiError as exc:
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:  # noqa: BLE001 - a bad URL or an unreachable server: one line, no traceback
        raise click.ClickException(
            f"cannot open the store: {type(exc).__name__}: {exc}".splitlines()[0]
        ) from exc


def _reject(r: Rejection) -> None:
    _err(str(r))


@click.command()
@input_options
@db_option
@workers_option
@progress_option
def ingest(
    paths: tuple[str, ...], max_mb: float, db: str | None, workers: int | None, progress: bool
) -> None:
    """Store reports with their text, sections, facts and assessment.

    PATHS are files, folders (searched recursively) or - for stdin. A report is stored once (by the
    hash of its bytes): running again skips what is stored, so an interrupted ingest resumes.
    """
    from .store import IngestResult

    settings = make_settings(max_mb)
    files = [p for p in paths if p != "-"]
    with _open(db) as store:
        result = IngestResult()
        if files:
            result = store.ingest_paths(
                files, workers=workers, progress=progress, settings=settings, on_reject=_reject
            )
        if "-" in paths and not result.interrupted:
            known = store.count_reports()
            got = store.ingest_bytes(sys.stdin.buffer.read(), settings=settings)
            if isinstance(got, Rejection):
                result.failed.append(got)
                _reject(got)
            elif store.count_reports() > known:
                result.added += 1
            else:
                result.skipped += 1
    click.echo(
        f"{result.added} report(s) stored, {result.skipped} already stored, {len(result.failed)} failed"
    )
    if result.interrupted:
        _err("interrupted: the reports above are stored whole; run the same command again to resume")
        sys.exit(130)
    if result.failed:
        sys.exit(1)


@click.command()
@db_option
@workers_option
@progress_option
@click.option("--force", is_flag=True, help="Reprocess every report, not only those of an older extractor.")
def reprocess(db: str | None, workers: int | None, progress: bool, force: bool) -> None:
    """Bring stored reports up to date with this version of the extractor (from their stored text)."""
    from . import EXTRACTOR_VERSION

    failed: list[Rejection] = []

    def reject(r: Rejection) -> None:
        failed.append(r)
        _reject(r)

    with _open(db) as store:
        n = store.reprocess(progress=progress, workers=workers, force=force, on_reject=reject)
    click.echo(f"{n} report(s) reprocessed (extractor version {EXTRACTOR_VERSION})")
    if failed:
        sys.exit(1)


@click.command()
@click.argument("query")
@db_option
@click.option(
    "--place", help="Jurisdiction or issuing body by name, or an administrative code (and all inside it)."
)
@click.option("--level", type=click.Choice(LEVELS))
@click.option("--year", type=int, help="Year the report covers.")
@click.option("--area", help="Framework area of the sentence's part (e.g. disputes).")
@click.option("--indicator", help="Only sentences with a fact of this indicator.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True)
@format_option(["table", "json"])
def search(
    query: str,
    db: str | None,
    place: str | None,
    level: str | None,
    year: int | None,
    area: str | None,
    indicator: str | None,
    limit: int,
    offset: int,
    fmt: str,
) -> None:
    """Find sentences of stored reports that contain every term of QUERY (terms separated by spaces).

    Prints each matching sentence with the match highlighted, and the report's id and document.
    """
    with _open(db) as store:
        hits = store.search(
            query,
            place=place,
            level=level,
            year=year,
            area=area,
            indicator=indicator,
            limit=limit,
            offset=offset,
        )
    if fmt == "json":
        out = [
            {**h.to_dict(), "url": f"/reports/{h.report_id}#s-{h.start}"} for h in hits
        ]  # as the dashboard
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo(f"没有找到 “{query}”", err=True)
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=True, title=f"“{query}”: {len(hits)} 条 (从第 {offset + 1} 条起)")
    table.add_column("报告", justify="right", style="cyan", no_wrap=True)
    table.add_column("文档")
    table.add_column("地区")
    table.add_column("年份", justify="right")
    table.add_column("句子")
    for h in hits:
        sentence = Text(h.sentence)
        for a, b in h.marks:
            sentence.stylize("bold black on yellow", a, b)
        table.add_row(f"#{h.report_id}", h.doc, h.jurisdiction or "", str(h.year or ""), sentence)
    Console().print(table)
