"""Plain data passed between the pipeline's stages.

readers -> ``RawDoc`` -> cleaning -> metadata -> outline -> facts -> ``Document``;
assessment turns a ``Document`` into an ``Assessment``. Every stage maps one of
these to the next; none of them does I/O except the readers and the store.

Offsets (``start``/``end``) are always character offsets into ``Document.text``,
end exclusive, so ``text[start:end]`` is the span.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

# Framework area ids (see data/areas.yaml); element ids of a report's parts.
AREAS = (
    "leadership",
    "functions",
    "rules",
    "decisions",
    "enforcement",
    "emergency",
    "disputes",
    "oversight",
    "digital",
    "society",
    "other",
)
ELEMENTS = ("achievements", "shortcomings", "plan", "principal_duty", "mixed", "other")
APPROX = ("none", "over", "about", "under")
KINDS = ("count", "money", "rate", "rank", "change", "duration", "other")
LEVELS = ("province", "prefecture", "county", "township", "department")


@dataclass
class RawDoc:
    """What a reader produces: decoded text lines plus what the container told us."""

    source: str  # path as given, or "<stdin>"
    doc: str  # file stem, the document's id in outputs
    text: str  # decoded text, one paragraph per line where the format allows
    format: str  # txt, md, html, pdf, docx
    encoding: str | None = None  # detected encoding for byte formats
    meta: dict[str, str] = field(default_factory=dict)  # e.g. html <title>, docx core properties


@dataclass
class Span:
    start: int
    end: int


@dataclass
class Section:
    number: str | None  # numbering as printed: "一", "（一）" -> "一", "1", None for unnumbered parts
    heading: str  # heading text without its number
    depth: int  # 1 = top level
    start: int  # offset of the heading line
    end: int  # end of the section's last line (exclusive)
    areas: list[str] = field(default_factory=list)  # framework areas, most important first
    element: str | None = None  # achievements / shortcomings / plan / principal_duty / mixed / other
    style: str = ""  # numbering style id, e.g. "cn_dun" for 一、 (see data/numbering.yaml)
    heading_end: int = 0  # end of the heading text (the body may follow on the same line)

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "heading": self.heading,
            "depth": self.depth,
            "start": self.start,
            "end": self.end,
            "areas": list(self.areas),
            "element": self.element,
        }


@dataclass
class Quantity:
    """One parsed quantity expression: ``"17.5万件"`` -> 175000, 件, none."""

    value: float
    unit: str
    approx: str = "none"
    kind: str = "count"
    high: float | None = None  # upper end of a range ("3至5次")


@dataclass
class Fact:
    surface: str  # number with its unit as written: "17.5万件"
    value: float
    unit: str
    approx: str  # none / over / about / under
    kind: str  # count / money / rate / rank / change / duration / other
    subject: str  # what the number measures, as written
    indicator: str | None  # id in data/indicators.yaml, or None
    area: str | None  # framework area id
    start: int  # offset of surface in Document.text
    end: int
    evidence: str  # the sentence the fact came from

    def to_dict(self) -> dict[str, Any]:
        # every field is a plain value: read them straight (asdict deep-copies each, a tenth of extract)
        return dict(zip(FACT_FIELDS, fact_values(self), strict=True))


FACT_FIELDS = tuple(f.name for f in fields(Fact))
fact_values = attrgetter(*FACT_FIELDS)  # a Fact's values, in FACT_FIELDS order (Fact(*values) again)


@dataclass
class Document:
    doc: str
    source: str
    text: str  # cleaned, simplified text
    title: str | None = None
    author: str | None = None
    jurisdiction: str | None = None
    admin_code: str | None = None
    level: str | None = None
    parent: str | None = None
    year: int | None = None
    published: str | None = None  # YYYY-MM-DD
    script: str = "simplified"
    format: str = "txt"
    encoding: str | None = None
    doc_number: str | None = None  # 文号
    index_number: str | None = None  # 索引号
    sections: list[Section] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    paragraphs: list[Span] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)  # every metadata line read, label -> value

    CONTRACT_FIELDS = (
        "doc",
        "source",
        "title",
        "author",
        "jurisdiction",
        "admin_code",
        "level",
        "parent",
        "year",
        "published",
        "script",
        "text",
    )

    def to_dict(self, full: bool = False) -> dict[str, Any]:
        """The contract's JSON object; ``full`` adds offsets of paragraphs and sentences."""
        out: dict[str, Any] = {name: getattr(self, name) for name in self.CONTRACT_FIELDS}
        out["doc_number"] = self.doc_number
        out["index_number"] = self.index_number
        out["format"] = self.format
        out["sections"] = [s.to_dict() for s in self.sections]
        out["facts"] = [f.to_dict() for f in self.facts]
        if full:
            out["paragraphs"] = [[p.start, p.end] for p in self.paragraphs]
            out["sentences"] = [[s.start, s.end] for s in self.sentences]
            out["meta"] = dict(self.meta)
        return out

    def top_sections(self) -> list[Section]:
        return [s for s in self.sections if s.depth == 1]


@dataclass
class Rejection:
    """A file that could not be turned into a Document, and why (one line for the user)."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


class FazhiError(Exception):
    """Base for errors the tool reports to the user as one line (never a traceback)."""


class ReadError(FazhiError):
    """A file could not be read as a report: missing, empty, binary, corrupt, too large, not Chinese."""


@dataclass
class Evidence:
    """A quote from ``Document.text`` that decided a judgement (offsets into the text)."""

    quote: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"quote": self.quote, "start": self.start, "end": self.end}


@dataclass
class CriterionScore:
    id: str  # criterion id in the framework file
    name: str  # Chinese name shown to users
    score: float
    max: float
    evidence: list[Evidence] = field(default_factory=list)
    note: str = ""  # why the points were gained or lost (Chinese, for the user)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "score": self.score,
            "max": self.max,
            "evidence": [e.to_dict() for e in self.evidence],
            "note": self.note,
        }


@dataclass
class ElementCheck:
    """One required element of a report (achievements, shortcomings, principal_duty, plan, other)."""

    present: bool
    start: int | None = None
    end: int | None = None
    substance: str = "absent"  # absent / generic / specific
    section: str | None = None  # heading of the part that carries it
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "present": self.present,
            "start": self.start,
            "end": self.end,
            "substance": self.substance,
            "section": self.section,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass
class Assessment:
    doc: str
    framework: str  # framework id with its version, e.g. "default.v1"
    score: float  # 0-100
    criteria: list[CriterionScore] = field(default_factory=list)
    elements: dict[str, ElementCheck] = field(default_factory=dict)
    timely: bool | None = None  # published before the deadline; None when no date is known
    deadline: str | None = None  # YYYY-MM-DD

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "framework": self.framework,
            "score": self.score,
            "criteria": [c.to_dict() for c in self.criteria],
            "elements": {k: v.to_dict() for k, v in self.elements.items()},
            "timely": self.timely,
            "deadline": self.deadline,
        }
