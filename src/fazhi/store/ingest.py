"""Reading many reports into the store: parse in a process pool, write from the main process.

1. list      expand PATHS into files (``fazhi.readers.iter_inputs``)
2. hash      read each file's bytes and hash them; a hash already stored is skipped (this is resume)
3. parse     the pipeline and the assessment run in worker processes, a chunk of files per task;
             each worker also turns its report into table rows (``prepare``), so the main process
             only writes
4. write     finished chunks are gathered into transactions of ``WRITE_BATCH`` reports (``Writer``),
             written by background threads of the main process (one for SQLite, which has one writer
             at a time; several for PostgreSQL, each its own connection and server process) while the
             main thread keeps the pool fed: a report is stored whole or not at all

Ctrl-C: workers ignore SIGINT; the main process stops the pool, lets a transaction being written
finish (or, writing inline, rolls it back), drops the results not yet written and re-raises, so only
complete reports are stored and running again resumes where it stopped.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import queue
import signal
import sys
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import fazhi

from ..models import (
    FACT_FIELDS,
    Assessment,
    Document,
    RawDoc,
    ReadError,
    Rejection,
    Section,
    fact_values,
)
from ..settings import DEFAULT, Settings
from .records import assessment_json, document_json, fact_counts_json, raw_blob

CHUNK = 8  # files per worker task
IN_FLIGHT = 3  # chunks queued per worker, so the pool never waits for the main process
# reports per write transaction: each commit costs (SQLite's full-text index writes a segment per
# commit, merged later), so a few chunks go together; a Ctrl-C loses at most this much parsing
WRITE_BATCH = 32


@dataclass
class Prepared:
    """One report as rows, ready to write (built in a worker)."""

    content_hash: str
    report: dict[str, Any]  # reports columns except id, content_hash, ingested_at
    sections: list[tuple[Any, ...]] = field(default_factory=list)
    facts: list[tuple[Any, ...]] = field(default_factory=list)
    sentences: list[tuple[Any, ...]] = field(default_factory=list)
    criteria: list[tuple[Any, ...]] = field(default_factory=list)
    counts: list[tuple[Any, ...]] = field(default_factory=list)  # one row: the report's fact counts


SECTION_COLUMNS = ("ord", "number", "heading", "depth", "start", "end", "area", "areas", "element")
FACT_COLUMNS = FACT_FIELDS  # in its order: Store.iter_facts makes Fact(*row)
FACT_ROW_COLUMNS = (*FACT_COLUMNS, "sentence_start")  # what is stored: a Fact, and where its sentence starts
SENTENCE_COLUMNS = ("start", "end", "text", "area")
CRITERION_COLUMNS = ("criterion", "name", "score", "max", "note")
COUNTS_COLUMNS = ("counts",)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sentence_areas(sections: list[Section], spans: Iterable[tuple[int, int]]) -> list[str | None]:
    """The area of each sentence (spans in text order): that of the deepest section around it that has
    one. One sweep over sections and sentences, keeping the sections open at the sentence; the answer
    is worked out again only where a section starts or ends."""
    secs = sorted((s for s in sections if s.areas), key=lambda s: (s.start, s.depth))
    out: list[str | None] = []
    open_: list[Section] = []
    i = 0
    area: str | None = None
    until = -1  # the answer holds for sentences starting before this (and before the next section)
    for start, _end in spans:
        if start >= until or (i < len(secs) and secs[i].start <= start):
            while i < len(secs) and secs[i].start <= start:
                open_.append(secs[i])
                i += 1
            open_ = [s for s in open_ if s.end > start]
            best = max(open_, key=lambda s: s.depth, default=None)  # max keeps the first of equal depth
            area = best.areas[0] if best else None
            until = min((s.end for s in open_), default=sys.maxsize)
        out.append(area)
    return out


def sentence_start(starts: list[int], offset: int) -> int | None:
    """Start of the last sentence that starts at or before ``offset`` (``starts`` sorted)."""
    i = bisect_right(starts, offset)
    return starts[i - 1] if i else None


def prepare(
    doc: Document, assessment: Assessment | None, content_hash: str, raw: RawDoc | None = None
) -> Prepared:
    """A Document and its Assessment as rows of every table."""
    text = doc.text
    spans = [(s.start, s.end) for s in doc.sentences if text[s.start : s.end].strip()]
    starts = [a for a, _ in spans]
    report = {
        "source": doc.source,
        "doc": doc.doc,
        "title": doc.title,
        "author": doc.author,
        "jurisdiction": doc.jurisdiction,
        "admin_code": doc.admin_code,
        "level": doc.level,
        "parent": doc.parent,
        "year": doc.year,
        "published": doc.published,
        "script": doc.script,
        "format": doc.format,
        "encoding": doc.encoding,
        "doc_number": doc.doc_number,
        "index_number": doc.index_number,
        "text": text,
        "document": document_json(doc),
        "assessment": assessment_json(assessment, text),
        "raw": raw_blob(raw) if raw is not None else None,
        "extractor_version": fazhi.EXTRACTOR_VERSION,
        "framework": assessment.framework if assessment else None,
        "score": assessment.score if assessment else None,
        "timely": assessment.timely if assessment else None,
        "n_facts": len(doc.facts),
        "n_sentences": len(spans),
    }
    return Prepared(
        content_hash=content_hash,
        report=report,
        sections=[
            (
                i,
                s.number,
                s.heading,
                s.depth,
                s.start,
                s.end,
                s.areas[0] if s.areas else None,
                " ".join(s.areas),
                s.element,
            )
            for i, s in enumerate(doc.sections)
        ],
        facts=[(*fact_values(f), sentence_start(starts, f.start)) for f in doc.facts],
        sentences=[
            (a, b, text[a:b], area)
            for (a, b), area in zip(spans, sentence_areas(doc.sections, spans), strict=True)
        ],
        criteria=[
            (c.id, c.name, c.score, c.max, c.note) for c in (assessment.criteria if assessment else [])
        ],
        counts=[(fact_counts_json(doc.facts),)],
    )


# -- the worker side -----------------------------------------------------------------------------------


def _assess() -> Callable[[Document], Assessment] | None:
    """``fazhi.assessment.assess`` when that stage exists, else None (reports are stored unassessed)."""
    try:
        from ..assessment import assess
    except ModuleNotFoundError as exc:
        if exc.name in ("fazhi.assessment", "fazhi.framework"):
            return None
        raise
    return assess


def analyse(raw: RawDoc, hash_: str, settings: Settings) -> Prepared | Rejection:
    """Pipeline + assessment + rows for one raw document; any failure is a Rejection."""
    from .. import pipeline

    try:
        doc = pipeline.process(raw, settings)
    except ReadError as exc:
        return Rejection(raw.source, str(exc))
    except Exception as exc:  # noqa: BLE001 - a bug on one file must not lose the batch
        return Rejection(raw.source, f"internal error: {type(exc).__name__}: {exc}")
    assess = _assess()
    try:
        assessment = assess(doc) if assess else None
    except Exception as exc:  # noqa: BLE001
        return Rejection(raw.source, f"assessment failed: {type(exc).__name__}: {exc}")
    return prepare(doc, assessment, hash_, raw)


def parse_bytes(
    source: str, doc: str, suffix: str, data: bytes, hash_: str, settings: Settings
) -> Prepared | Rejection:
    from ..readers import read_bytes

    try:
        raw = read_bytes(data, source, doc, suffix, settings)
    except ReadError as exc:
        return Rejection(source, str(exc))
    except Exception as exc:  # noqa: BLE001
        return Rejection(source, f"internal error: {type(exc).__name__}: {exc}")
    return analyse(raw, hash_, settings)


def parse_file(path: str, data: bytes, hash_: str, settings: Settings) -> Prepared | Rejection:
    p = Path(path)
    return parse_bytes(path, p.stem, p.suffix, data, hash_, settings)


def _parse_chunk(items: list[tuple[str, bytes, str]], settings: Settings) -> list[Prepared | Rejection]:
    return [parse_file(path, data, h, settings) for path, data, h in items]


def _reparse_chunk(
    items: list[tuple[int, RawDoc, str]], settings: Settings
) -> list[tuple[int, Prepared | Rejection]]:
    return [(rid, analyse(raw, h, settings)) for rid, raw, h in items]


# A short report through every stage (``warm``).
WARM_TEXT = (
    "某县2024年法治政府建设情况报告\n一、主要成效\n全年办理行政复议案件12件，同比下降5%，出庭应诉率100%。\n"
    "二、存在的不足\n执法力量不足。\n三、2025年工作安排\n加强行政执法监督。\n某县人民政府\n2025年3月1日\n"
)


def warm(settings: Settings) -> None:
    """Load the data files, compile the patterns and build the gazetteers in this process, before a
    pool forks its workers: they start with all of it instead of spending about half a second each on
    their first report. Nothing to gain where workers do not fork (spawn, forkserver)."""
    if multiprocessing.get_start_method() != "fork":
        return
    analyse(RawDoc(source="<warm>", doc="warm", text=WARM_TEXT, format="txt"), "", settings)


def _init_worker() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides what an interrupt means
    from .. import pipeline  # noqa: F401 - import once per worker, not per task

    _assess()


# -- the main side ------------------------------------------------------------------------------------


@dataclass
class Pending:
    """A file to parse: path, bytes and their hash."""

    path: str
    data: bytes
    hash: str


def scan(
    inputs: Iterable[Path | Rejection], known: set[str], settings: Settings = DEFAULT
) -> Iterator[Pending | Rejection | None]:
    """Each of ``readers.iter_inputs``: Pending when new, None when its hash is stored already, or a
    Rejection."""
    for item in inputs:
        if isinstance(item, Rejection):
            yield item
            continue
        try:
            size = item.stat().st_size
            if size > settings.max_bytes:
                yield Rejection(
                    str(item), f"file is larger than the limit ({size} > {settings.max_bytes} bytes)"
                )
                continue
            data = item.read_bytes()
        except OSError as exc:
            yield Rejection(str(item), f"cannot read: {exc.strerror or exc}")
            continue
        h = content_hash(data)
        if h in known:
            yield None
            continue
        known.add(h)  # the same file twice in one batch is stored once
        yield Pending(str(item), data, h)


def chunked(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_pool(
    chunks: Iterator[list[Any]],
    work: Callable[[list[Any], Settings], list[Any]],
    settings: Settings,
    workers: int,
    on_result: Callable[[list[Any]], None],
    crashed: Callable[[Any], Any],
) -> None:
    """``work`` on every chunk in ``workers`` processes (0: in this process), ``on_result`` on each result
    in the main process as it comes.

    A worker that dies (a reader crashing the interpreter, the kernel killing it for memory) breaks the
    pool: a new pool runs the chunks that were in flight again, one item at a time, so the item that
    kills its worker again is known; its result is ``crashed(item)``. On any exception (KeyboardInterrupt
    too) the pool is stopped without waiting for queued chunks, and the exception propagates."""
    if workers <= 0:
        for chunk in chunks:
            on_result(work(chunk, settings))
        return
    warm(settings)
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker)
    pending: dict[Future[list[Any]], list[Any]] = {}
    singles: list[list[Any]] = []  # items of broken chunks, run alone
    try:
        exhausted = False
        alone = False  # one item of a broken chunk is running, nothing else
        while True:
            if singles and not pending:
                chunk = singles.pop(0)
                pending[pool.submit(work, chunk, settings)] = chunk
                alone = True
            while not alone and not singles and not exhausted and len(pending) < workers * IN_FLIGHT:
                chunk = next(chunks, None)
                if chunk is None:
                    exhausted = True
                else:
                    pending[pool.submit(work, chunk, settings)] = chunk
            if not pending:
                break
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            broken: list[list[Any]] = []
            for fut in done:
                chunk = pending.pop(fut)
                try:
                    result = fut.result()
                except BrokenProcessPool:
                    broken.append(chunk)
                    continue
                on_result(result)
            if broken:
                broken += list(pending.values())  # their futures fail too
                pending.clear()
                pool.shutdown(wait=True, cancel_futures=True)
                pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker)
                for chunk in broken:
                    if alone:
                        on_result([crashed(chunk[0])])
                    else:
                        singles.extend([item] for item in chunk)
            if not pending:
                alone = False
    except BaseException:
        for fut in pending:
            fut.cancel()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


class Writer:
    """Results gathered into batches of ``size`` and handed to ``write``: inline (``threads`` 0), or in
    background threads, so that the caller goes on while the database works.

    ``add`` queues results (waiting while every thread is busy and two batches per thread wait); ``close``
    writes what is left (``flush``) or drops it, waits for the threads and re-raises the first error
    of one. After an error nothing more is written."""

    def __init__(self, write: Callable[[list[Any]], None], size: int, threads: int) -> None:
        self.write = write
        self.size = max(1, size)
        self.items: list[Any] = []
        self.error: BaseException | None = None
        self.queue: queue.Queue[list[Any] | None] = queue.Queue(maxsize=max(1, 2 * threads))
        self.threads = [
            threading.Thread(target=self._run, name=f"fazhi-writer-{i}", daemon=True) for i in range(threads)
        ]
        for t in self.threads:
            t.start()

    def _run(self) -> None:
        while True:
            batch = self.queue.get()
            if batch is None:
                return
            if self.error is not None:
                continue  # drain without writing
            try:
                self.write(batch)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller by add/close
                self.error = self.error or exc

    def _check(self) -> None:
        if self.error is not None:
            raise self.error

    def add(self, results: list[Any]) -> None:
        self._check()
        self.items.extend(results)
        if len(self.items) >= self.size:
            self._flush()

    def _flush(self) -> None:
        batch, self.items = self.items, []
        if not batch:
            return
        if self.threads:
            self.queue.put(batch)
        else:
            self.write(batch)

    def close(self, flush: bool = True) -> None:
        try:
            if flush:
                self._check()
                self._flush()
        finally:
            if not flush:
                self.items = []
                while True:  # batches not started: dropped
                    try:
                        self.queue.get_nowait()
                    except queue.Empty:
                        break
            for _ in self.threads:
                self.queue.put(None)  # after the batches queued (when flushing): each thread stops
            for t in self.threads:
                t.join()
        self._check()


def default_workers(workers: int | None) -> int:
    if workers is not None:
        return workers
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def now() -> datetime:
    return datetime.now(timezone.utc)
