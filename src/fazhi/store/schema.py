"""The store's tables, as SQLAlchemy 2 declarative models.

One row in ``reports`` per stored report (keyed by the SHA-256 of the file's bytes), and its parts in
child tables that the dashboard, the exports and search query directly:

- ``sections``   the outline (one row per heading), with the framework areas of each part
- ``facts``      every quantitative fact, with indicator, area and evidence sentence
- ``sentences``  every sentence of the cleaned text with its area: what full-text search runs on
- ``criteria``   the assessment's score on each criterion of the framework
- ``fact_counts``  per report, its facts by area and by indicator (JSON): what the dashboard's overview
                 and indicator catalogue add up, one short row per report instead of a count over
                 every stored fact (migration 0006)

``reports.document`` and ``reports.assessment`` keep the ``Document`` (without its text and facts, which
are in ``reports.text`` and ``facts``) and ``Assessment`` (without the quotes that are the text between
their offsets) as JSON, so ``Store.report`` gives back exactly what was stored.
``reports.raw`` is the reader's output (decoded text, format, metadata; zlib-compressed JSON), from which
``Store.reprocess`` re-runs the pipeline without the source file.

The migrations under ``migrations/versions/`` create these tables; ``tests/test_store.py`` checks that
the migrated database and these models agree. The full-text index is dialect specific and lives only in
the migrations (see ``fazhi.store.sqlite`` and ``fazhi.store.postgres``), as do the list-order index
``ix_reports_order`` and SQLite's covering ``ix_reports_summary`` (migration 0003).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Report(Base):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(Text)
    doc: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    jurisdiction: Mapped[str | None] = mapped_column(Text, index=True)
    admin_code: Mapped[str | None] = mapped_column(String(12), index=True)
    level: Mapped[str | None] = mapped_column(String(16), index=True)
    parent: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    published: Mapped[str | None] = mapped_column(String(10))
    script: Mapped[str | None] = mapped_column(String(16))
    format: Mapped[str | None] = mapped_column(String(8))
    encoding: Mapped[str | None] = mapped_column(String(32))
    doc_number: Mapped[str | None] = mapped_column(Text)
    index_number: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    document: Mapped[str] = mapped_column(Text)  # JSON: the Document without its text
    assessment: Mapped[str | None] = mapped_column(Text)  # JSON: Assessment.to_dict()
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)  # zlib(JSON) of the reader's RawDoc
    extractor_version: Mapped[str] = mapped_column(String(32), index=True)
    framework: Mapped[str | None] = mapped_column(String(64))
    score: Mapped[float | None] = mapped_column(Float)
    timely: Mapped[bool | None] = mapped_column(Boolean)
    n_facts: Mapped[int] = mapped_column(Integer, default=0)
    n_sentences: Mapped[int] = mapped_column(Integer, default=0)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    processed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


def _report_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))


class SectionRow(Base):
    __tablename__ = "sections"
    __table_args__ = (Index("ix_sections_report", "report_id", "ord"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = _report_fk()
    ord: Mapped[int] = mapped_column(Integer)  # position in the outline
    number: Mapped[str | None] = mapped_column(String(16))
    heading: Mapped[str] = mapped_column(Text)
    depth: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    area: Mapped[str | None] = mapped_column(String(32), index=True)  # the first (main) area
    areas: Mapped[str] = mapped_column(Text, default="")  # every area, space separated
    element: Mapped[str | None] = mapped_column(String(32))


class FactRow(Base):
    __tablename__ = "facts"
    __table_args__ = (
        Index("ix_facts_report", "report_id", "start"),
        Index("ix_facts_indicator", "indicator", "report_id", "sentence_start"),
        Index("ix_facts_area", "area", "report_id", "start"),
        # an indicator's values without table rows (fazhi.store.aggregates.indicator_facts)
        Index(
            "ix_facts_values",
            "indicator",
            "report_id",
            "start",
            "unit",
            "value",
            "surface",
            sqlite_where=text("indicator IS NOT NULL"),
            postgresql_where=text("indicator IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = _report_fk()
    surface: Mapped[str] = mapped_column(Text)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(32))
    approx: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(Text)
    indicator: Mapped[str | None] = mapped_column(String(64))
    area: Mapped[str | None] = mapped_column(String(32))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    evidence: Mapped[str] = mapped_column(Text)
    sentence_start: Mapped[int | None] = mapped_column(Integer)  # start of the sentence that holds it


class SentenceRow(Base):
    __tablename__ = "sentences"
    __table_args__ = (Index("ix_sentences_report", "report_id", "start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = _report_fk()
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    area: Mapped[str | None] = mapped_column(String(32))


class CriterionRow(Base):
    __tablename__ = "criteria"
    __table_args__ = (Index("ix_criteria_report", "report_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = _report_fk()
    criterion: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float)
    max: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")


class FactCountsRow(Base):
    __tablename__ = "fact_counts"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    counts: Mapped[str] = mapped_column(Text)  # {"areas": {area: n}, "indicators": {indicator: n}}


reports = Report.__table__
sections = SectionRow.__table__
facts = FactRow.__table__
sentences = SentenceRow.__table__
criteria = CriterionRow.__table__
fact_counts = FactCountsRow.__table__
metadata = Base.metadata
