"""The criterion kinds: one measurement function per ``kind`` a framework file may name.

Each takes the report's ``Context`` and a ``Criterion`` and returns a ``CriterionScore`` whose
``note`` (Chinese) says how every point was gained or lost and whose ``evidence`` quotes the text
that decided it. ``MEASURES`` is the whole set (its keys are ``fazhi.framework.KINDS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from ..framework import OUTLINE_AREAS, Criterion
from ..models import CriterionScore, Document, ElementCheck, Evidence, Fact
from .catalogue import indicator_name, indicator_names
from .elements import Part, Signals, check, find_parts, signal_counts
from .view import View, han_count, label

MAX_QUOTES = 6  # quotes per signal or list shown as evidence
DEADLINE_MONTH, DEADLINE_DAY = 4, 1  # reports are published before 1 April of the following year


@dataclass
class Context:
    """Everything measured once per report and shared by the criteria."""

    view: View
    parts: dict[str, Part] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: Document) -> Context:
        view = View(doc)
        return cls(view, find_parts(view))

    @property
    def doc(self) -> Document:
        return self.view.doc

    @cached_property
    def signals(self) -> dict[str, Signals]:
        return {el: signal_counts(self.view, part) for el, part in self.parts.items()}

    @cached_property
    def elements(self) -> dict[str, ElementCheck]:
        return check(self.view, self.parts, self.signals)

    @cached_property
    def timeliness(self) -> Timeliness:
        return timeliness(self.view)


def _pts(x: float) -> float:
    return round(x + 0.0, 2)


def _fmt(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _el(element: str) -> str:
    return f"「{label('elements', element)}」"


# -- elements --------------------------------------------------------------------------------------


def element_present(ctx: Context, c: Criterion) -> CriterionScore:
    el = c.params["element"]
    part = ctx.parts.get(el)
    if part is None:
        note = f"缺少{_el(el)}：没有以此为标题的部分，也没有表述这一要素的句子，不得分。"
        return CriterionScore(c.id, c.name, 0.0, c.max, [], note)
    if part.own:
        where = f"见「{part.section}」部分" if part.section else "见其独立部分"
        return CriterionScore(
            c.id, c.name, _pts(c.max), c.max, list(part.evidence), f"具备{_el(el)}，{where}，得满分。"
        )
    share = float(c.params.get("embedded_share", 1.0))
    if part.section:
        note = f"具备{_el(el)}，但没有独立部分，只见于「{part.section}」中的{len(part.evidence)}处语句"
    else:
        note = f"具备{_el(el)}，但没有独立部分，只见于没有标题的正文中"
    note += "，得满分。" if share >= 1 else f"，按无独立部分得{_fmt(share * 100)}%的分值。"
    return CriterionScore(c.id, c.name, _pts(c.max * share), c.max, list(part.evidence), note)


def element_signals(ctx: Context, c: Criterion) -> CriterionScore:
    el = c.params["element"]
    if el not in ctx.parts:
        return CriterionScore(c.id, c.name, 0.0, c.max, [], f"缺少{_el(el)}，无从评价其具体程度，不得分。")
    signals = ctx.signals[el]
    score = 0.0
    bits: list[str] = []
    evidence: list[Evidence] = []
    seen: set[tuple[int, int]] = set()
    for item in c.params["signals"]:
        name, need, share = item["signal"], float(item["min"]), float(item["share"])
        got = signals[name]
        pts = c.max * share * min(got.count / need, 1.0)
        score += pts
        bits.append(
            f"{label('signals', name)}{got.count}处（需{_fmt(need)}处，得{_fmt(pts)}/{_fmt(c.max * share)}分）"
        )
        for e in got.evidence[:MAX_QUOTES]:
            if (e.start, e.end) not in seen:
                seen.add((e.start, e.end))
                evidence.append(e)
    evidence.sort(key=lambda e: e.start)
    sub = ctx.elements[el].substance
    note = f"{_el(el)}具体程度：{label('substance', sub)}。" + "；".join(bits) + "。"
    return CriterionScore(c.id, c.name, _pts(score), c.max, evidence, note)


# -- coverage and density --------------------------------------------------------------------------


def area_coverage(ctx: Context, c: Criterion) -> CriterionScore:
    view = ctx.view
    areas = list(c.params.get("areas") or OUTLINE_AREAS)
    basis = c.params["basis"]
    evidence: list[Evidence] = []
    if basis == "text":
        chars = view.area_chars
        total = sum(chars.values())
        if not total:
            return CriterionScore(
                c.id, c.name, 0.0, c.max, [], "各部分未标注所属方面，无法计算覆盖面，不得分。"
            )
        need = float(c.params.get("min_share", 0.02))
        share = {a: chars.get(a, 0.0) / total for a in areas}
        covered = [a for a in areas if share[a] >= need and share[a] > 0]
        for a in covered:
            s = view.largest_section(a)
            if s is not None:
                evidence.append(view.quote(s.start, max(s.heading_end, s.start + 1)))
        done = "、".join(
            f"{label('areas', a)}{share[a]:.0%}" for a in sorted(covered, key=lambda a: -share[a])
        )
        missing = "、".join(f"{label('areas', a)}{share[a]:.0%}" for a in areas if a not in covered)
        rule = f"篇幅占比≥{need:.0%}"
    else:
        need_n = int(c.params.get("min_facts", 1))
        by_area = view.area_facts
        counts = {a: len(by_area.get(a, [])) for a in areas}
        covered = [a for a in areas if counts[a] >= need_n]
        for a in covered:
            evidence.append(view.fact_evidence(by_area[a][0]))
        done = "、".join(
            f"{label('areas', a)}{counts[a]}条" for a in sorted(covered, key=lambda a: -counts[a])
        )
        missing = "、".join(f"{label('areas', a)}{counts[a]}条" for a in areas if a not in covered)
        rule = f"数据≥{need_n}条"
    score = c.max * len(covered) / len(areas)
    note = f"覆盖{len(covered)}/{len(areas)}个方面（{rule}）：{done or '无'}"
    note += f"；未覆盖：{missing}。" if missing else "。"
    evidence.sort(key=lambda e: e.start)
    return CriterionScore(c.id, c.name, _pts(score), c.max, _dedupe(evidence), note)


def _dedupe(evidence: list[Evidence]) -> list[Evidence]:
    seen: set[tuple[int, int]] = set()
    out = []
    for e in evidence:
        if (e.start, e.end) not in seen:
            seen.add((e.start, e.end))
            out.append(e)
    return out


def _spread(items: list, k: int) -> list:
    """k items evenly spread over a list (first and last included)."""
    if len(items) <= k:
        return list(items)
    step = (len(items) - 1) / (k - 1)
    return [items[round(i * step)] for i in range(k)]


def fact_density(ctx: Context, c: Criterion) -> CriterionScore:
    view = ctx.view
    n = len(view.facts)
    chars = han_count(view.text)
    density = n * 1000 / chars if chars else 0.0
    full_at = float(c.params["full_at"])
    score = c.max * min(density / full_at, 1.0)
    evidence = _dedupe([view.fact_evidence(f) for f in _spread(view.facts, MAX_QUOTES)])
    note = f"共{n}条数据，正文{chars}字，每千字{density:.1f}条（每千字{_fmt(full_at)}条得满分"
    note += "）。" if density >= full_at else f"，按比例得{density / full_at:.0%}的分值）。"
    return CriterionScore(c.id, c.name, _pts(score), c.max, evidence, note)


def _indicator_ids(spec: list[str] | str) -> list[str]:
    return list(indicator_names()) if spec == "all" else list(spec)


def indicator_share(ctx: Context, c: Criterion) -> CriterionScore:
    view = ctx.view
    ids = _indicator_ids(c.params["indicators"])
    if not ids:
        return CriterionScore(
            c.id, c.name, 0.0, c.max, [], "未安装重点指标目录（data/indicators.yaml），不得分。"
        )
    reported = {i: view.facts_of(i) for i in ids}
    done = [i for i in ids if reported[i]]
    share = len(done) / len(ids)
    full_at = float(c.params["full_at"])
    score = c.max * min(share / full_at, 1.0)
    evidence = _dedupe(sorted((view.fact_evidence(reported[i][0]) for i in done), key=lambda e: e.start))
    missing = [indicator_name(i) for i in ids if not reported[i]]
    note = f"报告了{len(done)}/{len(ids)}项重点指标（{share:.0%}，达到{full_at:.0%}得满分）"
    if done:
        note += "：" + "、".join(indicator_name(i) for i in done)
    if missing:
        shown = "、".join(missing[:12]) + ("等" if len(missing) > 12 else "")
        note += f"；未报告{len(missing)}项：{shown}"
    return CriterionScore(c.id, c.name, _pts(score), c.max, evidence, note + "。")


def pick_fact(view: View, indicator: str, kind: str | None = None, unit: str | None = None) -> list[Fact]:
    """Facts of an indicator, those of the wanted kind and unit first (the first one is the value used)."""
    facts = view.facts_of(indicator)
    return [f for f in facts if (kind is None or f.kind == kind) and (unit is None or f.unit == unit)]


def indicator_reference(ctx: Context, c: Criterion) -> CriterionScore:
    p = c.params
    name = indicator_name(p["indicator"])
    facts = pick_fact(ctx.view, p["indicator"], p.get("kind"), p.get("unit"))
    ref, zero, higher = float(p["reference"]), float(p["zero_at"]), p["direction"] == "higher"
    sign = "≥" if higher else "≤"
    rule = f"参考水平{sign}{_fmt(ref)}{p.get('unit', '')}，{'低于' if higher else '高于'}{_fmt(zero)}不得分"
    if p.get("source"):
        rule += f"；依据：{p['source']}"
    if not facts:
        share = float(p.get("missing_share", 0.0))
        tail = "不得分" if share <= 0 else f"得{_fmt(share * 100)}%的分值"
        note = f"未报告「{name}」（{rule}），{tail}。"
        return CriterionScore(c.id, c.name, _pts(c.max * share), c.max, [], note)
    f = facts[0]
    v = f.value
    if higher:
        frac = 1.0 if v >= ref else 0.0 if v <= zero else (v - zero) / (ref - zero)
    else:
        frac = 1.0 if v <= ref else 0.0 if v >= zero else (zero - v) / (zero - ref)
    verdict = "达到参考水平，得满分" if frac >= 1 else "不得分" if frac <= 0 else f"按差距得{frac:.0%}的分值"
    note = f"「{name}」{f.surface}（{rule}）：{verdict}。"
    if len(facts) > 1:
        note += f"另有{len(facts) - 1}处同一指标的数据，取第一处。"
    return CriterionScore(c.id, c.name, _pts(c.max * frac), c.max, [ctx.view.fact_evidence(f)], note)


# -- timeliness ------------------------------------------------------------------------------------


@dataclass
class Timeliness:
    timely: bool | None
    deadline: str | None
    evidence: list[Evidence]
    note: str


def deadline_of(year: int | None) -> date | None:
    """The publication deadline of a report on ``year``: before 1 April of the following year (the 2019
    rules; for report years up to 2018 the rule was the first quarter, the same date)."""
    return date(year + 1, DEADLINE_MONTH, DEADLINE_DAY) if year else None


def _date_forms(d: date) -> list[str]:
    y, m, dd = d.year, d.month, d.day
    return [
        f"{y}-{m:02d}-{dd:02d}",
        f"{y}年{m}月{dd}日",
        f"{y}年{m:02d}月{dd:02d}日",
        f"{y}/{m:02d}/{dd:02d}",
        f"{y}.{m:02d}.{dd:02d}",
        f"{y}-{m}-{dd}",
        f"{y}/{m}/{dd}",
    ]


def timeliness(view: View) -> Timeliness:
    doc = view.doc
    deadline = deadline_of(doc.year)
    if deadline is None:
        return Timeliness(None, None, [], "未能确定报告年度，无法判断是否按时公开。")
    rule = "第一季度内" if doc.year and doc.year <= 2018 else f"{deadline.year}年4月1日之前"
    try:
        published = date.fromisoformat(doc.published) if doc.published else None
    except ValueError:
        published = None
    if published is None:
        return Timeliness(None, deadline.isoformat(), [], f"未找到发布日期，无法判断是否在{rule}公开。")
    evidence: list[Evidence] = []
    for form in _date_forms(published):
        m = re.search(re.escape(form) + r"(?!\d)", view.text)
        if m:
            line = view.paragraph_at(m.start())
            evidence = [view.quote(line.start, line.end)]
            break
    origin = "" if evidence else "（取自页面或文件的发布信息，不在清洗后的正文中）"
    if published < deadline:
        return Timeliness(
            True, deadline.isoformat(), evidence, f"发布于{published.isoformat()}{origin}，在{rule}公开。"
        )
    late = (published - deadline).days + 1
    return Timeliness(
        False,
        deadline.isoformat(),
        evidence,
        f"发布于{published.isoformat()}{origin}，超过公开期限（{rule}）{late}天。",
    )


def timeliness_measure(ctx: Context, c: Criterion) -> CriterionScore:
    t = ctx.timeliness
    if t.timely is True:
        return CriterionScore(c.id, c.name, _pts(c.max), c.max, t.evidence, t.note + "得满分。")
    key = "late_share" if t.timely is False else "unknown_share"
    share = float(c.params.get(key, 0.0))
    tail = "不得分。" if share <= 0 else f"得{_fmt(share * 100)}%的分值。"
    return CriterionScore(c.id, c.name, _pts(c.max * share), c.max, t.evidence, t.note + tail)


MEASURES: dict[str, Callable[[Context, Criterion], CriterionScore]] = {
    "element_present": element_present,
    "element_signals": element_signals,
    "area_coverage": area_coverage,
    "fact_density": fact_density,
    "indicator_share": indicator_share,
    "indicator_reference": indicator_reference,
    "timeliness": timeliness_measure,
}
