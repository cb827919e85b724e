"""Orchestration only: the numbered steps that turn one input into a ``Document``.

1. read      bytes -> RawDoc                    (fazhi.readers)
2. clean     RawDoc -> simplified text + meta    (fazhi.cleaning)
3. check     is it a Chinese report at all?      (fazhi.readers.text.check_chinese)
4. metadata  who, where, which year, when        (fazhi.metadata)
5. outline   sections, paragraphs, sentences     (fazhi.outline)
6. facts     quantitative facts with evidence    (fazhi.facts)
7. areas     framework areas of sections/facts   (fazhi.areas)

A step that cannot go on raises ``ReadError``; ``process_paths`` turns that into a ``Rejection``
for the file and goes on with the batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from . import areas, cleaning, metadata, outline
from .facts import extract_facts
from .models import Document, RawDoc, ReadError, Rejection
from .readers import iter_inputs, read_path, read_text
from .readers.text import check_chinese
from .settings import DEFAULT, Settings


def process(raw: RawDoc, settings: Settings = DEFAULT) -> Document:
    """Steps 2-7 on one raw document."""
    cleaned = cleaning.clean(raw)  # 2
    check_chinese(cleaned.text, settings)  # 3
    md = metadata.extract(cleaned.text, {**raw.meta, **cleaned.meta}, cleaned.page_date)  # 4
    doc = Document(
        doc=raw.doc,
        source=raw.source,
        text=cleaned.text,
        title=md.title,
        author=md.author,
        jurisdiction=md.jurisdiction,
        admin_code=md.admin_code,
        level=md.level,
        parent=md.parent,
        year=md.year,
        published=md.published,
        script=cleaned.script,
        format=raw.format,
        encoding=raw.encoding,
        doc_number=md.doc_number,
        index_number=md.index_number,
        meta={**raw.meta, **cleaned.meta},
    )
    doc.sections = outline.build(doc.text)  # 5
    doc.paragraphs = outline.paragraph_spans(doc.text)
    doc.sentences = outline.sentence_spans(doc.text)
    if settings.with_facts:
        doc.facts = extract_facts(doc.text, doc.sections)  # 6
    areas.assign(doc)  # 7
    return doc


def process_text(text: str, doc: str = "text", settings: Settings = DEFAULT) -> Document:
    return process(read_text(text, doc=doc), settings)


def process_path(path: str | Path, settings: Settings = DEFAULT) -> Document:
    return process(read_path(path, settings), settings)


def process_paths(
    paths: Iterable[str | Path], settings: Settings = DEFAULT
) -> Iterator[Document | Rejection]:
    """Every report under ``paths``; a file that fails yields a Rejection and the batch goes on."""
    for item in iter_inputs(paths, settings):
        if isinstance(item, Rejection):
            yield item
            continue
        try:
            yield process_path(item, settings)
        except ReadError as exc:
            yield Rejection(str(item), str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug on one file must not lose the batch
            yield Rejection(str(item), f"internal error: {type(exc).__name__}: {exc}")
