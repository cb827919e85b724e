"""``Store``: the one object that owns the database (engine, migrations, reads and writes)."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Boolean, DateTime, create_engine, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool

import fazhi

from ..models import Assessment, Document, Fact, RawDoc, Rejection
from ..settings import DEFAULT, Settings
from . import ingest, postgres, sqlite
from .aggregates import Aggregates
from .ingest import (
    COUNTS_COLUMNS,
    CRITERION_COLUMNS,
    FACT_COLUMNS,
    FACT_ROW_COLUMNS,
    SECTION_COLUMNS,
    SENTENCE_COLUMNS,
    Prepared,
)
from .records import (
    SUMMARY_COLUMNS,
    IngestResult,
    ReportSummary,
    SearchHit,
    StoredReport,
    load_assessment,
    load_document,
    load_raw,
)
from .schema import reports
from .search import Filters, report_where
from .search import search as _search

log = logging.getLogger("fazhi.store")

DEFAULT_URL = "sqlite:///fazhi.db"
MIGRATIONS = Path(__file__).parent / "migrations"
HEAD = "0008"  # the newest migration; tests/test_store.py checks it against the migrations folder
# newest year first, then by administrative code; the same on both databases, and served by the index
# ix_reports_order (SQLite puts NULL last in DESC and first in ASC by itself)
REPORT_ORDER = "r.year DESC NULLS LAST, r.admin_code NULLS FIRST, r.id"
WORKER_DIED = "the process reading it died (a crash, or out of memory)"
CHILD_TABLES = ("sections", "facts", "sentences", "criteria", "fact_counts")
_FACT_SELECT = ", ".join(
    f'f."{c}"' for c in FACT_COLUMNS
)  # facts f: a Fact's columns, as Fact(*row) takes them
_ADVISORY_LOCK = 0x66617A6869  # "fazhi": one migration at a time on a PostgreSQL server


def resolve_url(url: str | None = None) -> str:
    """None -> $FAZHI_DB or sqlite:///fazhi.db; a bare file path means SQLite."""
    url = url or os.environ.get("FAZHI_DB") or DEFAULT_URL
    if "://" not in url:
        return "sqlite:///" + url
    return postgres.normalize_url(url)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        sqlite.check_version()
        memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            poolclass=StaticPool if memory else None,
        )
        sqlite.configure(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine) -> None:
    """Bring the schema to HEAD (at once when it is there already)."""
    with engine.connect() as conn:
        try:
            current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:
            current = None
            conn.rollback()
    if current == HEAD:
        return
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_LOCK})
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _utc(value: datetime) -> datetime:
    """SQLite keeps no time zone: the store writes UTC."""
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def _insert_reports(conn: Connection, dialect: Any, rows: list[dict[str, Any]]) -> dict[str, int]:
    """Insert report rows (all with the same columns), as many per statement as the database's limit of
    bound parameters allows; content hash -> id of each row stored (a hash stored already is left out)."""
    if not rows:
        return {}
    columns = list(rows[0])
    cols = ", ".join(f'"{c}"' for c in columns)
    marks = "(" + ", ".join(dialect.PARAM for _ in columns) + ")"
    per = max(1, dialect.MAX_VARIABLES // len(columns))
    out: dict[str, int] = {}
    for i in range(0, len(rows), per):
        part = rows[i : i + per]
        sql = (
            f"INSERT INTO reports ({cols}) VALUES {', '.join(marks for _ in part)} "
            "ON CONFLICT (content_hash) DO NOTHING RETURNING content_hash, id"
        )
        values = tuple(dialect.stored(r[c]) for r in part for c in columns)
        out.update(conn.exec_driver_sql(sql, values).all())  # type: ignore[arg-type]
    return out


class Store(Aggregates):
    """Stored reports: write them (``ingest_paths``, ``add``, ``reprocess``), query them (``reports``,
    ``report``, ``facts``, ``search``). Safe to share between threads."""

    def __init__(self, url: str | None = None) -> None:
        self.url = resolve_url(url)
        self.engine = make_engine(self.url)
        self.dialect = postgres if self.engine.dialect.name == "postgresql" else sqlite
        migrate(self.engine)

    def __repr__(self) -> str:
        return f"<Store {self.engine.url!r}>"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    # -- writing ------------------------------------------------------------------------------------

    def add(
        self, doc: Document, assessment: Assessment | None, content_hash: str, raw: RawDoc | None = None
    ) -> int:
        """Store one report in one transaction; when the hash is stored already, nothing changes and the
        existing id comes back. ``raw`` (the reader's output) lets ``reprocess`` re-run every stage."""
        ids = self._write([ingest.prepare(doc, assessment, content_hash, raw)])
        if ids[0] is not None:
            return ids[0]
        found = self.report_id(content_hash)
        assert found is not None
        return found

    def report_id(self, content_hash: str) -> int | None:
        with self.engine.connect() as conn:
            return conn.execute(select(reports.c.id).where(reports.c.content_hash == content_hash)).scalar()

    def _insert_children(self, conn: Connection, rows: list[tuple[int, Prepared]]) -> None:
        for table, columns, attr in (
            ("sections", SECTION_COLUMNS, "sections"),
            ("facts", FACT_ROW_COLUMNS, "facts"),
            ("sentences", SENTENCE_COLUMNS, "sentences"),
            ("criteria", CRITERION_COLUMNS, "criteria"),
            ("fact_counts", COUNTS_COLUMNS, "counts"),
        ):
            values = [(rid, *row) for rid, p in rows for row in getattr(p, attr)]
            self.dialect.insert_many(
                conn, table, *self.dialect.with_keys(table, ("report_id", *columns), values)
            )
        self.dialect.index_sentences(conn, [rid for rid, _ in rows])

    def _write(self, batch: list[Prepared]) -> list[int | None]:
        """Insert new reports, all in one transaction; None for a hash that is stored already (or that
        comes earlier in the batch)."""
        ts = ingest.now()
        rows = [
            {
                **p.report,
                **self.dialect.report_keys(p.report["text"]),
                "content_hash": p.content_hash,
                "ingested_at": ts,
                "processed_at": ts,
            }
            for p in batch
        ]
        with self.engine.begin() as conn:
            found = _insert_reports(conn, self.dialect, rows)
            ids: list[int | None] = []
            for p in batch:
                ids.append(found.pop(p.content_hash, None))  # pop: a second copy gets None
            self._insert_children(
                conn, [(rid, p) for rid, p in zip(ids, batch, strict=True) if rid is not None]
            )
        return ids

    def _replace(self, batch: list[tuple[int, Prepared]]) -> None:
        """Replace stored reports by a new reading of them (same id, hash, source and ingest time)."""
        if not batch:
            return
        ts = ingest.now()
        with self.engine.begin() as conn:
            ids = [rid for rid, _ in batch]
            for table in CHILD_TABLES:
                conn.execute(text(f"DELETE FROM {table} WHERE report_id IN ({', '.join(map(str, ids))})"))
            for rid, p in batch:
                values = {k: v for k, v in p.report.items() if k != "raw" or v is not None}
                conn.execute(reports.update().where(reports.c.id == rid).values(**values, processed_at=ts))
                extra = self.dialect.report_keys(p.report["text"])  # columns the models do not know
                if extra:
                    sets = ", ".join(f"{c} = :{c}" for c in extra)
                    conn.execute(text(f"UPDATE reports SET {sets} WHERE id = :id"), {**extra, "id": rid})
            self._insert_children(conn, batch)

    def delete(self, report_id: int) -> bool:
        with self.engine.begin() as conn:
            for table in CHILD_TABLES:
                conn.execute(text(f"DELETE FROM {table} WHERE report_id = :id"), {"id": report_id})
            return conn.execute(reports.delete().where(reports.c.id == report_id)).rowcount > 0

    def stored_hashes(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(select(reports.c.content_hash)).scalars())

    def ingest_bytes(
        self, data: bytes, source: str = "<stdin>", suffix: str = ".txt", settings: Settings | None = None
    ) -> int | Rejection:
        """Store one report given as bytes (stdin); its id (new or already stored) or why it was not."""
        h = ingest.content_hash(data)
        found = self.report_id(h)
        if found is not None:
            return found
        doc = Path(source).stem if not source.startswith("<") else source.strip("<>")
        result = ingest.parse_bytes(source, doc, suffix, data, h, settings or DEFAULT)
        if isinstance(result, Rejection):
            return result
        rid = self._write([result])[0]
        return rid if rid is not None else self.report_id(h)  # type: ignore[return-value]

    def ingest_paths(
        self,
        paths: Iterable[str | Path],
        workers: int | None = None,
        progress: bool = False,
        settings: Settings | None = None,
        on_reject: Callable[[Rejection], None] | None = None,
    ) -> IngestResult:
        """Read, analyse and store every report under ``paths`` (files and folders).

        Files already stored (same content hash) are skipped, so running again after an interruption
        resumes. ``workers``: processes that parse (default: one per core; 0: parse in this process).
        Ctrl-C stops after the reports already written, and the result says ``interrupted``."""
        from ..readers import iter_inputs

        settings = settings or DEFAULT
        result = IngestResult()

        def reject(r: Rejection) -> None:
            result.failed.append(r)
            if on_reject:
                on_reject(r)

        inputs = list(iter_inputs(paths, settings))
        with _progress(progress, "存储报告", len(inputs)) as advance:

            def pending() -> Iterator[tuple[str, bytes, str]]:
                for item in ingest.scan(inputs, self.stored_hashes(), settings):
                    if item is None:
                        result.skipped += 1
                    elif isinstance(item, Rejection):
                        reject(item)
                    else:
                        yield (item.path, item.data, item.hash)
                        continue
                    advance(1)

            lock = threading.Lock()  # the writer threads count too

            def write(batch: list[Prepared]) -> None:
                ids = self._write(batch)
                with lock:
                    result.added += sum(1 for i in ids if i is not None)
                    result.skipped += sum(1 for i in ids if i is None)
                advance(len(batch))

            def rejected(r: Rejection) -> None:
                reject(r)
                advance(1)

            try:
                self._parse_and_write(
                    ingest.chunked(pending(), ingest.CHUNK),
                    ingest._parse_chunk,
                    settings,
                    workers,
                    lambda r: r if isinstance(r, Rejection) else None,
                    rejected,
                    write,
                    crashed=lambda item: Rejection(item[0], WORKER_DIED),
                )
            except KeyboardInterrupt:
                result.interrupted = True
        if result.added:
            self._after_bulk()
        return result

    def _parse_and_write(
        self,
        chunks: Iterator[list[Any]],
        work: Callable[[list[Any], Settings], list[Any]],
        settings: Settings,
        workers: int | None,
        rejection: Callable[[Any], Rejection | None],
        rejected: Callable[[Rejection], None],
        write: Callable[[list[Any]], None],
        crashed: Callable[[Any], Any],
    ) -> None:
        """``work`` on every chunk in the pool (``ingest.run_pool``); each result that ``rejection``
        finds a Rejection in goes to ``rejected``, the others to ``write`` in transactions of
        ``ingest.WRITE_BATCH``, by the database's writer threads (``ingest.Writer``) while the pool goes
        on. What is gathered is written when the pool is done and dropped when it raises (Ctrl-C)."""
        n = ingest.default_workers(workers)
        writer = ingest.Writer(write, ingest.WRITE_BATCH, self.dialect.WRITERS if n else 0)

        def take(results: list[Any]) -> None:
            kept = []
            for r in results:
                found = rejection(r)
                if found is None:
                    kept.append(r)
                else:
                    rejected(found)
            writer.add(kept)

        finished = False
        try:
            ingest.run_pool(chunks, work, settings, n, take, crashed=crashed)
            finished = True
        finally:
            writer.close(flush=finished)

    def _after_bulk(self) -> None:
        """After many writes: let the database bring its indexes and statistics up to date."""
        with self.engine.begin() as conn:
            self.dialect.after_bulk(conn)

    def reprocess(
        self,
        progress: bool = False,
        workers: int | None = None,
        force: bool = False,
        settings: Settings | None = None,
        on_reject: Callable[[Rejection], None] | None = None,
    ) -> int:
        """Re-run extraction and assessment on the stored texts of reports whose extractor version is
        not ``fazhi.EXTRACTOR_VERSION`` (every report with ``force``). The source files are not read.
        Returns how many reports were brought up to date; a report that fails keeps its old reading."""
        settings = settings or DEFAULT
        with self.engine.connect() as conn:
            q = select(reports.c.id).order_by(reports.c.id)
            if not force:
                q = q.where(reports.c.extractor_version != fazhi.EXTRACTOR_VERSION)
            ids = list(conn.execute(q).scalars())
        done = 0
        with _progress(progress, "重新处理", len(ids)) as advance:

            def chunks() -> Iterator[list[tuple[int, RawDoc, str]]]:
                for i in range(0, len(ids), ingest.CHUNK):
                    yield self._raw_docs(ids[i : i + ingest.CHUNK])

            lock = threading.Lock()

            def write(batch: list[tuple[int, Prepared]]) -> None:
                nonlocal done
                self._replace(batch)
                with lock:
                    done += len(batch)
                advance(len(batch))

            def rejected(r: Rejection) -> None:
                log.warning("reprocess: %s", r)
                if on_reject:
                    on_reject(r)
                advance(1)

            self._parse_and_write(
                chunks(),
                ingest._reparse_chunk,
                settings,
                workers,
                lambda item: item[1] if isinstance(item[1], Rejection) else None,
                rejected,
                write,
                crashed=lambda item: (item[0], Rejection(item[1].source, WORKER_DIED)),
            )
        if done:
            self._after_bulk()
        return done

    def _raw_docs(self, ids: list[int]) -> list[tuple[int, RawDoc, str]]:
        """What the readers produced for these reports (or, for reports added without it, their text)."""
        cols = (reports.c.id, reports.c.raw, reports.c.content_hash, reports.c.text, reports.c.document)
        with self.engine.connect() as conn:
            rows = conn.execute(select(*cols).where(reports.c.id.in_(ids)).order_by(reports.c.id)).all()
        out = []
        for r in rows:
            if r.raw is not None:
                raw = load_raw(r.raw)
            else:
                d = load_document(r.document, r.text)
                raw = RawDoc(d.source, d.doc, d.text, d.format, d.encoding, dict(d.meta))
            out.append((r.id, raw, r.content_hash))
        return out

    # -- reading ------------------------------------------------------------------------------------

    def reports(
        self,
        place: str | None = None,
        level: str | None = None,
        year: int | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[ReportSummary]:
        """Stored reports, newest year first, then by administrative code."""
        where, params = report_where(place, level, year)
        sql = (
            f"SELECT {', '.join('r.' + c for c in SUMMARY_COLUMNS)} FROM reports r"
            + (" WHERE " + " AND ".join(where) if where else "")
            + f" ORDER BY {REPORT_ORDER}"
        )
        if limit is not None:
            sql += " LIMIT :limit OFFSET :offset"
            params.update(limit=int(limit), offset=max(0, int(offset)))
        elif offset:
            sql += " LIMIT -1 OFFSET :offset" if self.dialect is sqlite else " OFFSET :offset"
            params["offset"] = int(offset)
        with self.engine.connect() as conn:
            rows = conn.execute(text(sql).columns(timely=Boolean), params).all()
        return [ReportSummary(*row) for row in rows]

    def count_reports(
        self, place: str | None = None, level: str | None = None, year: int | None = None
    ) -> int:
        where, params = report_where(place, level, year)
        sql = "SELECT count(*) FROM reports r" + (" WHERE " + " AND ".join(where) if where else "")
        with self.engine.connect() as conn:
            return int(conn.execute(text(sql), params).scalar() or 0)

    def report(self, report_id: int) -> StoredReport | None:
        cols = (
            "id",
            "text",
            "document",
            "assessment",
            "content_hash",
            "source",
            "extractor_version",
            "ingested_at",
        )
        sql = f"SELECT {', '.join(cols)} FROM reports WHERE id = :id"
        with self.engine.connect() as conn:
            row = conn.execute(
                text(sql).columns(ingested_at=DateTime(timezone=True)), {"id": report_id}
            ).first()
            if row is None:
                return None
            facts = conn.execute(  # in the order they were written: the Document's
                text(f"SELECT {_FACT_SELECT} FROM facts f WHERE f.report_id = :id ORDER BY f.id"),
                {"id": report_id},
            ).all()
        return StoredReport(
            id=row.id,
            document=load_document(row.document, row.text, [Fact(*f) for f in facts]),
            assessment=load_assessment(row.assessment, row.text),
            content_hash=row.content_hash,
            source=row.source,
            extractor_version=row.extractor_version,
            ingested_at=_utc(row.ingested_at),
        )

    def facts(
        self,
        indicator: str | None = None,
        place: str | None = None,
        year: int | None = None,
        area: str | None = None,
        limit: int | None = None,
    ) -> list[tuple[ReportSummary, Fact]]:
        """Stored facts with the report each comes from, by report (newest year first) and position."""
        return list(self.iter_facts(indicator, place, year, area, limit))

    def iter_facts(
        self,
        indicator: str | None = None,
        place: str | None = None,
        year: int | None = None,
        area: str | None = None,
        limit: int | None = None,
    ) -> Iterator[tuple[ReportSummary, Fact]]:
        where, params = report_where(place, None, year)
        if indicator:
            where.append("f.indicator = :indicator")
            params["indicator"] = indicator
        if area:
            where.append("f.area = :area")
            params["area"] = area
        select = f"SELECT {', '.join('r.' + c for c in SUMMARY_COLUMNS)}, {_FACT_SELECT} "
        source = "FROM facts f JOIN reports r ON r.id = f.report_id" + (
            " WHERE " + " AND ".join(where) if where else ""
        )
        order = f" ORDER BY {REPORT_ORDER}, f.start, f.id"
        if limit is None:
            sql = select + source + order
        else:  # sort the keys, then read the rows of the page only
            params["limit"] = int(limit)
            sql = (
                f"WITH k AS MATERIALIZED (SELECT f.id AS fid {source}{order} LIMIT :limit) "
                f"{select}FROM k JOIN facts f ON f.id = k.fid JOIN reports r ON r.id = f.report_id{order}"
            )
        n = len(SUMMARY_COLUMNS)
        summaries: dict[int, ReportSummary] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(text(sql).columns(timely=Boolean), params):
                summary = summaries.get(row[0])
                if summary is None:
                    summary = summaries[row[0]] = ReportSummary(*row[:n])
                yield summary, Fact(*row[n:])

    def search(
        self,
        query: str,
        place: str | None = None,
        level: str | None = None,
        year: int | None = None,
        area: str | None = None,
        indicator: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> list[SearchHit]:
        """Sentences that contain every term of ``query`` (see ``fazhi.store.search``)."""
        with self.engine.connect() as conn:
            return _search(conn, query, Filters(place, level, year, area, indicator), limit, offset)

    def stats(self) -> dict[str, Any]:
        """How much is stored: reports, sentences, facts, and reports at an older extractor version."""
        with self.engine.connect() as conn:
            count = {
                t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                for t in ("reports", "sections", "facts", "sentences", "criteria")
            }
            stale = conn.execute(
                text("SELECT count(*) FROM reports WHERE extractor_version != :v"),
                {"v": fazhi.EXTRACTOR_VERSION},
            ).scalar()
        return {**count, "stale": stale, "url": self.engine.url.render_as_string(hide_password=True)}


def _rate_column() -> Any:
    from rich.progress import ProgressColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Any) -> Text:
            return Text(f"{task.speed:.1f} 份/秒" if task.speed else "", style="progress.data.speed")

    return RateColumn()


class _Progress:
    """A rich progress bar on stderr (or nothing), as a callable that advances it."""

    def __init__(self, show: bool, label: str, total: int) -> None:
        self.bar = None
        if show:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TaskProgressColumn(),
                _rate_column(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
            )
            self.task = self.bar.add_task(label, total=total)

    def __enter__(self) -> Callable[[int], None]:
        if self.bar is None:
            return lambda n: None
        self.bar.start()
        bar, task = self.bar, self.task
        return lambda n: bar.advance(task, n)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _progress(show: bool, label: str, total: int) -> _Progress:
    return _Progress(show, label, total)
