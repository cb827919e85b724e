"""The ``assess``, ``compare``, ``promises`` and ``reuse`` commands (thin: parse, call, print).

Like every command that reads reports, a bad file is one line on stderr and the batch goes on (exit
1); a framework file that cannot be used is one line ``FILE:LINE: problem`` and exit 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from .cli import Batch, _err, format_option, input_options, make_settings
from .models import Assessment, Document, Rejection

F = TypeVar("F", bound=Callable[..., Any])


def framework_option(fn: F) -> F:
    return click.option(
        "--framework",
        "framework_path",
        metavar="FILE",
        default=None,
        help="Scoring framework (YAML); default: the bundled default.v1.",
    )(fn)


def _framework(path: str | None):
    from .framework import FrameworkError, load_framework

    try:
        return load_framework(path)
    except FrameworkError as exc:
        _err(str(exc))
        sys.exit(2)


def _title(doc: Document) -> str:
    who = doc.author or doc.jurisdiction or ""
    year = f"{doc.year}年度" if doc.year else ""
    return f"{doc.doc}（{who}{year}）" if who or year else doc.doc


def _assessed(batch: Batch, framework) -> list[tuple[Document, Assessment]]:
    from .assessment import assess

    out = []
    for doc in batch:
        try:
            out.append((doc, assess(doc, framework)))
        except Exception as exc:  # noqa: BLE001 - a bug on one report must not lose the batch
            batch.reject(Rejection(doc.source, f"assessment failed: {type(exc).__name__}: {exc}"))
    return out


def _console():
    from rich.console import Console

    return Console()


@click.command(name="assess")
@input_options
@framework_option
@format_option(
    ["table", "json", "csv"],
    "table: for people; json: one object per report per line; csv: one row per criterion.",
)
def assess_cmd(paths: tuple[str, ...], max_mb: float, framework_path: str | None, fmt: str) -> None:
    """Score reports against a framework: required elements, substance, coverage, data, timeliness.

    Every criterion's score comes with the quotes (and offsets) or the missing element that decided it.
    """
    from .assessment import assess
    from .assessment import render as r

    framework = _framework(framework_path)
    batch = Batch(paths, make_settings(max_mb))
    done: list[tuple[str, Assessment]] = []
    console = _console() if fmt == "table" else None
    if fmt == "csv":
        click.echo(r.csv_header())
    for doc in batch:
        try:
            a = assess(doc, framework)
        except Exception as exc:  # noqa: BLE001 - a bug on one report must not lose the batch
            batch.reject(Rejection(doc.source, f"assessment failed: {type(exc).__name__}: {exc}"))
            continue
        done.append((_title(doc), a))
        if fmt == "json":
            click.echo(r.json_line(a))
        elif fmt == "csv":
            click.echo(r.csv_rows(a), nl=False)
        else:
            r.assessment_tables(a, _title(doc), console)
    if fmt == "table" and len(done) > 1:
        r.summary_table(done, console)
    batch.exit(len(done))


@click.command(name="compare")
@input_options
@framework_option
@format_option(["table", "json"])
@click.option(
    "--threshold",
    type=click.FloatRange(0.05, 1.0),
    default=0.5,
    show_default=True,
    help="Similarity for reused text.",
)
def compare_cmd(
    paths: tuple[str, ...], max_mb: float, framework_path: str | None, fmt: str, threshold: float
) -> None:
    """Compare reports: key indicators by place and by year with evidence, rankings per criterion,
    areas over- and under-reported, next-year promises followed up, reused paragraphs."""
    from .assessment import render as r
    from .compare import compare

    framework = _framework(framework_path)
    batch = Batch(paths, make_settings(max_mb))
    pairs = _assessed(batch, framework)
    if pairs:
        result = compare([d for d, _ in pairs], [a for _, a in pairs], reuse_threshold=threshold).to_dict()
        if fmt == "json":
            click.echo(json.dumps(result, ensure_ascii=False))
        else:
            r.comparison_tables(result, _console())
    batch.exit(len(pairs))


@click.command(name="promises")
@click.argument("prev_path", metavar="PREV")
@click.argument("next_path", metavar="NEXT")
@format_option(["table", "json"])
@click.option("--max-mb", type=float, default=50.0, show_default=True, help="Largest input file read, in MB.")
def promises_cmd(prev_path: str, next_path: str, fmt: str, max_mb: float) -> None:
    """Check the next-year plan of PREV against NEXT (the same place's report of the following year):
    each item followed up (with the passage), mentioned only, or not found."""
    from .assessment import render as r
    from .promises import follow_up

    batch = Batch((prev_path, next_path), make_settings(max_mb))
    docs = list(batch)
    if len(docs) == 2:
        prev, nxt = docs
        if prev.year and nxt.year and nxt.year != prev.year + 1:
            _err(f"note: {nxt.doc} covers {nxt.year}, not the year after {prev.doc} ({prev.year})")
        items = follow_up(prev, nxt)
        if fmt == "json":
            out = {"prev": prev.doc, "next": nxt.doc, "items": [i.to_dict() for i in items]}
            click.echo(json.dumps(out, ensure_ascii=False))
        else:
            r.promises_table(prev.doc, nxt.doc, items, _console())
    batch.exit(len(docs))


@click.command(name="reuse")
@input_options
@click.option(
    "--threshold",
    type=click.FloatRange(0.05, 1.0),
    default=0.5,
    show_default=True,
    help="Jaccard similarity of shingles.",
)
@format_option(["table", "json"])
def reuse_cmd(paths: tuple[str, ...], max_mb: float, threshold: float, fmt: str) -> None:
    """Find paragraphs repeated (near-duplicates too) between reports: the same place across years and
    different places. JSON: one pair per line."""
    from .assessment import render as r
    from .reuse import find_reuse

    batch = Batch(paths, make_settings(max_mb))
    docs = list(batch)
    pairs = find_reuse(docs, threshold) if len(docs) > 1 else []
    if fmt == "json":
        for p in pairs:
            click.echo(json.dumps(p.to_dict(), ensure_ascii=False))
    else:
        r.reuse_table(pairs, _console())
    batch.exit(len(docs))


COMMANDS = (assess_cmd, compare_cmd, promises_cmd, reuse_cmd)
