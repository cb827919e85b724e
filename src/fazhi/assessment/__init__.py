"""Assessment: a ``Document`` and a scoring framework -> an ``Assessment`` with evidence for every point.

    >>> from fazhi.assessment import assess
    >>> a = assess(doc)                  # the bundled framework, default.v1
    >>> a.score, a.elements["shortcomings"].substance, a.timely

Pure: no I/O besides the cached data files; the same report and framework always give the same
result. Modules: ``view`` (offsets, sentences, clauses, quotes), ``elements`` (where each required
element is and how substantive it is), ``measures`` (one function per criterion kind), ``catalogue``
(the key-indicator catalogue).
"""

from __future__ import annotations

from ..framework import Framework, load_framework
from ..models import Assessment, Document
from .measures import MEASURES, Context

__all__ = ["MEASURES", "assess", "context"]


def context(doc: Document) -> Context:
    """What the criteria measure on one report (elements, signals, areas, timeliness), computed lazily."""
    return Context.of(doc)


def assess(doc: Document, framework: Framework | None = None) -> Assessment:
    """Score one report against a framework (default: the bundled ``default.v1``)."""
    fw = framework or load_framework()
    ctx = Context.of(doc)
    scores = [MEASURES[c.kind](ctx, c) for c in fw.criteria]
    total = sum(s.score for s in scores)
    return Assessment(
        doc=doc.doc,
        framework=fw.key,
        score=round(100 * total / fw.total, 1) if fw.total else 0.0,
        criteria=scores,
        elements=ctx.elements,
        timely=ctx.timeliness.timely,
        deadline=ctx.timeliness.deadline,
    )
