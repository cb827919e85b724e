"""The ``fazhi`` command: a thin click layer over the library (parse, call, print).

Every command that reads reports reports a bad file on one line of stderr (``fazhi: FILE: reason``),
goes on with the others, and exits 1 when any file failed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .models import Document, ReadError, Rejection
from .settings import DEFAULT, MB, Settings

F = TypeVar("F", bound=Callable[..., Any])


def input_options(fn: F) -> F:
    """Options shared by every command that reads reports."""
    fn = click.option(
        "--max-mb",
        type=float,
        default=DEFAULT.max_bytes / MB,
        show_default=True,
        help="Largest input file read, in MB.",
    )(fn)
    return click.argument("paths", nargs=-1, required=True)(fn)


def make_settings(max_mb: float, **changes: Any) -> Settings:
    return DEFAULT.with_(max_bytes=int(max_mb * MB), **changes)


def _err(message: str) -> None:
    click.echo(f"fazhi: {message}", err=True)


class Batch:
    """Runs the pipeline over PATHS (``-`` is stdin), reporting each rejected file on stderr."""

    def __init__(self, paths: tuple[str, ...], settings: Settings) -> None:
        self.paths = paths
        self.settings = settings
        self.failed = 0

    def __iter__(self) -> Iterator[Document]:
        from . import pipeline
        from .readers import read_bytes

        files = [p for p in self.paths if p != "-"]
        if "-" in self.paths:
            try:
                raw = read_bytes(sys.stdin.buffer.read(), "<stdin>", "stdin", ".txt", self.settings)
                yield pipeline.process(raw, self.settings)
            except ReadError as exc:
                self.reject(Rejection("<stdin>", str(exc)))
        for item in pipeline.process_paths(files, self.settings):
            if isinstance(item, Rejection):
                self.reject(item)
            else:
                yield item

    def reject(self, r: Rejection) -> None:
        self.failed += 1
        _err(str(r))

    def exit(self, ok_count: int) -> None:
        if self.failed:
            _err(f"{self.failed} file(s) failed, {ok_count} processed")
            sys.exit(1)


@click.group()
@click.version_option(__version__, prog_name="fazhi")
def cli() -> None:
    """Read annual rule-of-law government reports (法治政府建设情况报告) into structured data."""


def format_option(
    choices: list[str], text: str = "table: for people; json: for programs."
) -> Callable[[F], F]:
    """The ``--format`` option of a command (its value is ``fmt``); the first choice is the default."""
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True, help=text
    )


@cli.command()
@input_options
@format_option(
    ["jsonl", "json", "table"],
    "jsonl: one JSON object per report; json: one array; table: a summary for people.",
)
@click.option("--no-facts", is_flag=True, help="Skip the facts stage (faster; `facts` is empty).")
@click.option("--full", is_flag=True, help="Add paragraph and sentence offsets and all metadata lines.")
def extract(paths: tuple[str, ...], max_mb: float, fmt: str, no_facts: bool, full: bool) -> None:
    """Extract metadata, clean text, sections and facts from reports.

    PATHS are files (.txt .md .html .htm .pdf .docx), folders (searched recursively) or - for stdin.
    """
    batch = Batch(paths, make_settings(max_mb, with_facts=not no_facts))
    n = 0
    if fmt == "table":
        from .render import documents_table

        docs = list(batch)
        n = len(docs)
        if docs:
            documents_table(docs)
    elif fmt == "json":
        out = [d.to_dict(full=full) for d in batch]
        n = len(out)
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        for d in batch:
            n += 1
            click.echo(json.dumps(d.to_dict(full=full), ensure_ascii=False))
    batch.exit(n)


@cli.command(name="eval")
@click.argument("gold_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--inputs",
    "raw_dir",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of the raw reports named after the gold documents (file stem = doc).",
)
@click.option("--verbose", "-v", is_flag=True, help="List missed and extra facts of each document.")
def eval_cmd(gold_dir: Path, raw_dir: Path, verbose: bool) -> None:
    """Score extraction against a gold folder (docs.jsonl, sections.jsonl, facts.jsonl, clean/).

    Prints one line per document, then one JSON line with the totals.
    """
    from .evaluate import evaluate, find_inputs

    files, missing = find_inputs(gold_dir, raw_dir, DEFAULT.extensions)
    for doc in missing:
        _err(f"{raw_dir}: no input file for gold document {doc}")
    batch = Batch(tuple(str(f) for f in files), DEFAULT)
    per_doc, total = evaluate(gold_dir, batch)
    for d in per_doc:
        f, s, c = d["facts"], d["sections"], d["clean"]
        click.echo(
            f"{d['doc']}: metadata wrong={sorted(d['metadata_wrong']) or '-'} "
            f"clean_f1={c['f1'] if c else '-'} sections_f1={s['f1']} "
            f"facts p={f['precision']} r={f['recall']} f1={f['f1']}"
        )
        if verbose:
            for k, v in d["metadata_wrong"].items():
                click.echo(f"    metadata {k}: got {v['got']!r}, gold {v['gold']!r}")
            for m in f["missed"]:
                click.echo(f"    missed {m}")
            for x in f["extra"]:
                click.echo(f"    extra  {x}")
    click.echo(json.dumps(total, ensure_ascii=False))
    if batch.failed or missing:
        sys.exit(1)


def main() -> None:  # pragma: no cover - console entry point
    cli()


from .cli_export import export_cmd  # noqa: E402 - registered last: it imports from this module

cli.add_command(export_cmd)

from .cli_store import ingest, reprocess, search  # noqa: E402 - registered last: it imports from this module

cli.add_command(ingest)
cli.add_command(reprocess)
cli.add_command(search)

from .cli_assess import COMMANDS as _assess_commands  # noqa: E402 - registered last: it imports from this module

for _command in _assess_commands:
    cli.add_command(_command)

from .cli_web import serve  # noqa: E402 - registered last: it imports from this module

cli.add_command(serve)
