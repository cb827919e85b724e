"""What the store gives back (``ReportSummary``, ``StoredReport``, ``SearchHit``, ``IngestResult``) and the
exact JSON round-trip of ``Document`` and ``Assessment`` that ``reports.document``/``.assessment`` hold."""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import orjson

from ..models import (
    Assessment,
    CriterionScore,
    Document,
    ElementCheck,
    Evidence,
    Fact,
    RawDoc,
    Rejection,
    Section,
    Span,
)


@dataclass
class ReportSummary:
    """One stored report as lists and tables show it (no text, no parts)."""

    id: int
    doc: str
    title: str | None
    author: str | None
    jurisdiction: str | None
    admin_code: str | None
    level: str | None
    parent: str | None
    year: int | None
    published: str | None
    score: float | None
    timely: bool | None
    n_facts: int
    framework: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


SUMMARY_COLUMNS = tuple(ReportSummary.__dataclass_fields__)


@dataclass
class StoredReport:
    id: int
    document: Document  # full: text, sections, facts, paragraphs, sentences, meta
    assessment: Assessment | None
    content_hash: str
    source: str
    extractor_version: str
    ingested_at: datetime


@dataclass
class SearchHit:
    """One sentence that matches a search, with the matches marked."""

    report_id: int
    doc: str
    jurisdiction: str | None
    year: int | None
    sentence: str
    start: int  # offsets of the sentence in the report's text
    end: int
    marks: list[tuple[int, int]] = field(default_factory=list)  # matches, offsets within the sentence
    title: str | None = None
    level: str | None = None
    area: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["marks"] = [list(m) for m in self.marks]
        return out


@dataclass
class IngestResult:
    added: int = 0
    skipped: int = 0  # already stored (same content hash)
    failed: list[Rejection] = field(default_factory=list)
    interrupted: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "skipped": self.skipped,
            "failed": [{"source": r.source, "reason": r.reason} for r in self.failed],
            "interrupted": self.interrupted,
        }


# -- a report's fact counts <-> JSON (table fact_counts) ------------------------------------------------


@dataclass
class FactCounts:
    """One report's facts by area and by indicator (facts without one are not counted)."""

    areas: dict[str, int] = field(default_factory=dict)
    indicators: dict[str, int] = field(default_factory=dict)


def fact_counts_json(facts: Iterable[Fact]) -> str:
    """``{"areas": {area: facts}, "indicators": {indicator: facts}}`` of these facts."""
    counts = FactCounts()
    for f in facts:
        if f.area is not None:
            counts.areas[f.area] = counts.areas.get(f.area, 0) + 1
        if f.indicator is not None:
            counts.indicators[f.indicator] = counts.indicators.get(f.indicator, 0) + 1
    return dump(counts).decode("utf-8")


def load_fact_counts(data: str | bytes) -> FactCounts:
    d = orjson.loads(data)
    return FactCounts(d["areas"], d["indicators"])


# -- Document / Assessment <-> JSON ------------------------------------------------------------------


def dump(obj: Any) -> bytes:
    """Compact UTF-8 JSON, by orjson (several times faster than ``json`` on ingest's path). Dataclasses
    are written as objects of their fields, in order."""
    return orjson.dumps(obj)


_DOCUMENT_FIELDS = tuple(
    f
    for f in Document.__dataclass_fields__
    if f not in ("text", "sections", "facts", "paragraphs", "sentences", "meta")
)


def document_json(doc: Document) -> str:
    """Every field of the Document except ``text`` and ``facts`` (kept in ``reports.text`` and the
    ``facts`` table, which ``Store.report`` reads them back from); sections as objects of their fields,
    spans as [start, end]."""
    d: dict[str, Any] = {name: getattr(doc, name) for name in _DOCUMENT_FIELDS}
    d["sections"] = doc.sections
    d["paragraphs"] = [[p.start, p.end] for p in doc.paragraphs]
    d["sentences"] = [[s.start, s.end] for s in doc.sentences]
    d["meta"] = doc.meta
    return dump(d).decode("utf-8")


def load_document(data: str, text: str, facts: list[Fact] | None = None) -> Document:
    """The Document that ``document_json`` wrote, with its text and facts. (Stores written before
    facts left the JSON have them there too: those are used.)"""
    d = orjson.loads(data)
    d["text"] = text
    d["sections"] = [Section(**s) for s in d.get("sections", [])]
    d["facts"] = [Fact(**f) for f in d["facts"]] if "facts" in d else list(facts or [])
    d["paragraphs"] = [Span(a, b) for a, b in d.get("paragraphs", [])]
    d["sentences"] = [Span(a, b) for a, b in d.get("sentences", [])]
    return Document(**d)


def assessment_json(a: Assessment | None, text: str | None = None) -> str | None:
    """The Assessment as JSON. Given the report's text, a quote that is exactly ``text[start:end]`` (as
    the assessment's quotes are) is left out and taken from the text again on loading: it is about half
    of the JSON."""
    if a is None:
        return None
    d = a.to_dict()
    if text is not None:
        for item in (*d["criteria"], *d["elements"].values()):
            for e in item["evidence"]:
                if text[e["start"] : e["end"]] == e["quote"]:
                    del e["quote"]
    return dump(d).decode("utf-8")


def _evidence(items: list[dict[str, Any]], text: str | None) -> list[Evidence]:
    out = []
    for e in items:
        if "quote" not in e:
            if text is None:
                raise ValueError("this assessment's quotes are in the report's text: pass it")
            e["quote"] = text[e["start"] : e["end"]]
        out.append(Evidence(**e))
    return out


def load_assessment(data: str | None, text: str | None = None) -> Assessment | None:
    """The Assessment ``assessment_json`` wrote (``text``: the report's, where the quotes were left out)."""
    if data is None:
        return None
    d = orjson.loads(data)
    d["criteria"] = [
        CriterionScore(**{**c, "evidence": _evidence(c.get("evidence", []), text)}) for c in d["criteria"]
    ]
    d["elements"] = {
        k: ElementCheck(**{**v, "evidence": _evidence(v.get("evidence", []), text)})
        for k, v in d["elements"].items()
    }
    return Assessment(**d)


_RAW_FIELDS = tuple(RawDoc.__dataclass_fields__)


def raw_blob(raw: RawDoc) -> bytes:
    """What a reader produced, compressed: enough to re-run the pipeline without the file. (Field by
    field, as ``asdict`` would give it: the meta values are strings.)"""
    d: dict[str, Any] = {name: getattr(raw, name) for name in _RAW_FIELDS}
    d["meta"] = dict(raw.meta)
    return zlib.compress(dump(d), 1)


def load_raw(blob: bytes) -> RawDoc:
    return RawDoc(**orjson.loads(zlib.decompress(blob)))
