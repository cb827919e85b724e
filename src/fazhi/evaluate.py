"""``fazhi eval``: score extraction against a gold folder laid out like ``gold/`` (SCHEMA.md there).

Figures, per document and in total:
- metadata: share of the fields of docs.jsonl that are exactly right;
- cleaning: lines of ``clean/<doc>.txt`` found in the cleaned text (recall) and extra lines (precision),
  compared without white space (spaces inside Chinese text carry no meaning and PDF text layers drop them);
- sections: top-level sections matched by number and heading (a heading matches when one contains the
  other or their character-overlap F1 is at least ``HEADING_MATCH``); element and first-area accuracy
  of the matched ones, and area-set F1;
- facts (SCHEMA.md's rule): same value (relative error < 1e-6), same unit, and the prediction's evidence
  sentence contains the gold surface's position (located through the gold ``context``); optional gold
  facts neither reward nor penalise. For matched facts: subject accuracy (one contains the other or
  character-overlap F1 >= ``SUBJECT_MATCH``), kind, approx and area accuracy.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .models import Document, Fact

# the contract's metadata fields (what docs.jsonl of a gold folder holds)
META_FIELDS = tuple(f for f in Document.CONTRACT_FIELDS if f not in ("doc", "source", "text"))
HEADING_MATCH = 0.6
_WS = re.compile(r"\s+")
SUBJECT_MATCH = 0.6


def char_f1(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    common = sum((Counter(a) & Counter(b)).values())
    if not common:
        return 0.0
    p, r = common / len(a), common / len(b)
    return 2 * p * r / (p + r)


def similar(a: str | None, b: str | None, threshold: float) -> bool:
    a, b = (a or "").strip(), (b or "").strip()
    if not a or not b:
        return a == b
    return a in b or b in a or char_f1(a, b) >= threshold


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


@dataclass
class Tally:
    """Counts summed over documents; ratios are computed at the end (micro averages)."""

    c: Counter[str] = field(default_factory=Counter)

    def add(self, **kv: int) -> None:
        self.c.update(kv)

    def ratio(self, num: str, den: str) -> float | None:
        return round(self.c[num] / self.c[den], 4) if self.c[den] else None


def load_gold(gold_dir: Path) -> dict[str, dict[str, Any]]:
    docs: dict[str, dict[str, Any]] = {}
    for line in (gold_dir / "docs.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            docs[d["doc"]] = {"meta": d, "sections": [], "facts": [], "clean": None}
    for name in ("sections", "facts"):
        path = gold_dir / f"{name}.jsonl"
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    if row["doc"] in docs:
                        docs[row["doc"]][name].append(row)
    for doc, entry in docs.items():
        clean = gold_dir / "clean" / f"{doc}.txt"
        if clean.exists():
            entry["clean"] = clean.read_text(encoding="utf-8")
    return docs


def score_metadata(doc: Document, gold: dict[str, Any], t: Tally) -> dict[str, Any]:
    wrong = {}
    for f in META_FIELDS:
        if f not in gold:
            continue
        ok = getattr(doc, f) == gold[f]
        t.add(**{"meta_total": 1, "meta_ok": int(ok), f"meta_{f}_total": 1, f"meta_{f}_ok": int(ok)})
        if not ok:
            wrong[f] = {"got": getattr(doc, f), "gold": gold[f]}
    return wrong


def score_clean(doc: Document, gold_text: str | None, t: Tally) -> dict[str, float] | None:
    if gold_text is None:
        return None
    gold_lines = Counter(_WS.sub("", line) for line in gold_text.splitlines() if line.strip())
    pred_lines = Counter(_WS.sub("", line) for line in doc.text.splitlines() if line.strip())
    tp = sum((gold_lines & pred_lines).values())
    n_pred, n_gold = sum(pred_lines.values()), sum(gold_lines.values())
    t.add(clean_tp=tp, clean_pred=n_pred, clean_gold=n_gold)
    return prf(tp, n_pred, n_gold)


def score_sections(doc: Document, gold: list[dict[str, Any]], t: Tally) -> dict[str, Any]:
    pred = doc.top_sections()
    used: set[int] = set()
    tp = element_ok = area_top_ok = 0
    area_tp = area_pred = area_gold = 0
    for g in gold:
        for i, s in enumerate(pred):
            if i in used or s.number != g["number"] or not similar(s.heading, g["heading"], HEADING_MATCH):
                continue
            used.add(i)
            tp += 1
            element_ok += s.element == g["element"]
            gold_areas = g.get("areas") or []
            area_top_ok += bool(s.areas and gold_areas and s.areas[0] == gold_areas[0])
            area_tp += len(set(s.areas) & set(gold_areas))
            area_pred += len(set(s.areas))
            area_gold += len(set(gold_areas))
            break
    t.add(
        sec_tp=tp,
        sec_pred=len(pred),
        sec_gold=len(gold),
        sec_element_ok=element_ok,
        sec_area_top_ok=area_top_ok,
        sec_area_tp=area_tp,
        sec_area_pred=area_pred,
        sec_area_gold=area_gold,
    )
    out: dict[str, Any] = prf(tp, len(pred), len(gold))
    out["element_accuracy"] = round(element_ok / tp, 4) if tp else None
    return out


def _evidence_span(doc: Document, f: Fact) -> tuple[int, int]:
    """Where a fact's evidence sentence stands in the text (the occurrence around the fact)."""
    lo = max(0, f.end - len(f.evidence) - 1)
    pos = doc.text.find(f.evidence, lo, f.start + len(f.evidence) + 1) if f.evidence else -1
    if pos != -1 and pos <= f.start and f.end <= pos + len(f.evidence):
        return pos, pos + len(f.evidence)
    return f.start, f.end


def _gold_position(text: str, g: dict[str, Any]) -> int | None:
    ctx = g.get("context") or g["surface"]
    pos = text.find(ctx)
    if pos == -1:
        return None
    inner = ctx.find(g["surface"])
    return pos + (inner if inner != -1 else 0)


def score_facts(doc: Document, gold: list[dict[str, Any]], t: Tally) -> dict[str, Any]:
    spans = [_evidence_span(doc, f) for f in doc.facts]
    used: set[int] = set()
    tp = opt_matched = 0
    acc: Counter[str] = Counter()
    missed = []
    for g in gold:
        gpos = _gold_position(doc.text, g)
        best = None
        if gpos is not None:
            for i, f in enumerate(doc.facts):
                if i in used or f.unit != g["unit"]:
                    continue
                if abs(f.value - g["value"]) > 1e-6 * max(1.0, abs(g["value"])):
                    continue
                s, e = spans[i]
                if not (s <= gpos < e):
                    continue
                if best is None or abs(f.start - gpos) < abs(doc.facts[best].start - gpos):
                    best = i
        if best is None:
            if not g.get("optional"):
                missed.append(g["surface"] + " @ " + (g.get("context") or ""))
            continue
        used.add(best)
        if g.get("optional"):
            opt_matched += 1
            continue
        tp += 1
        f = doc.facts[best]
        acc["subject"] += similar(f.subject, g["subject"], SUBJECT_MATCH)
        acc["kind"] += f.kind == g["kind"]
        acc["approx"] += f.approx == g["approx"]
        acc["area"] += f.area == g["area"]
    n_gold = sum(1 for g in gold if not g.get("optional"))
    n_pred = len(doc.facts) - opt_matched
    t.add(fact_tp=tp, fact_pred=n_pred, fact_gold=n_gold, **{f"fact_{k}_ok": v for k, v in acc.items()})
    out: dict[str, Any] = prf(tp, n_pred, n_gold)
    out["missed"] = missed
    out["extra"] = [f.surface + " @ " + f.evidence[:40] for i, f in enumerate(doc.facts) if i not in used]
    return out


def evaluate(gold_dir: Path, docs: Iterable[Document]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    gold = load_gold(gold_dir)
    t = Tally()
    per_doc = []
    for doc in docs:
        g = gold.get(doc.doc)
        if g is None:
            continue
        per_doc.append(
            {
                "doc": doc.doc,
                "metadata_wrong": score_metadata(doc, g["meta"], t),
                "clean": score_clean(doc, g["clean"], t),
                "sections": score_sections(doc, g["sections"], t),
                "facts": score_facts(doc, g["facts"], t),
            }
        )
    c = t.c
    total: dict[str, Any] = {
        "docs": len(per_doc),
        "docs_missing": sorted(set(gold) - {d["doc"] for d in per_doc}),
        "metadata_accuracy": t.ratio("meta_ok", "meta_total"),
        "metadata_fields": {f: t.ratio(f"meta_{f}_ok", f"meta_{f}_total") for f in META_FIELDS},
        "clean": prf(c["clean_tp"], c["clean_pred"], c["clean_gold"]),
        "sections": prf(c["sec_tp"], c["sec_pred"], c["sec_gold"]),
        "section_element_accuracy": t.ratio("sec_element_ok", "sec_tp"),
        "section_area_top1_accuracy": t.ratio("sec_area_top_ok", "sec_tp"),
        "section_areas": prf(c["sec_area_tp"], c["sec_area_pred"], c["sec_area_gold"]),
        "facts": prf(c["fact_tp"], c["fact_pred"], c["fact_gold"]),
        "fact_subject_accuracy": t.ratio("fact_subject_ok", "fact_tp"),
        "fact_kind_accuracy": t.ratio("fact_kind_ok", "fact_tp"),
        "fact_approx_accuracy": t.ratio("fact_approx_ok", "fact_tp"),
        "fact_area_accuracy": t.ratio("fact_area_ok", "fact_tp"),
    }
    return per_doc, total


def find_inputs(gold_dir: Path, raw_dir: Path, extensions: Iterable[str]) -> tuple[list[Path], list[str]]:
    """The raw file of each gold document (by file stem), and the gold documents with none."""
    exts = tuple(extensions)
    by_stem: dict[str, Path] = {}
    for p in sorted(raw_dir.rglob("*")):
        if p.is_file() and p.suffix.lower() in exts:
            by_stem.setdefault(p.stem, p)
    gold = load_gold(gold_dir)
    found = [by_stem[d] for d in gold if d in by_stem]
    return found, [d for d in gold if d not in by_stem]
