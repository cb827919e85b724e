"""Reused text: paragraphs that repeat, exactly or nearly, between reports.

Paragraphs, and the sentences of paragraphs with more than one, are compared as the set of its character shingles (``SHINGLE`` characters long) after
normalisation: only Chinese characters, letters and digits are kept and every digit run becomes
``0``, so a shortcomings paragraph copied from last year with the year and a few numbers changed
still matches. Candidate pairs come from MinHash LSH (datasketch), then each pair's exact Jaccard
similarity of shingles is computed and kept when at least ``threshold``; a sentence pair inside a
paragraph pair already found is left out. Pairs inside one report are not reported; each pair says whether the two reports are of the same place (across years) or of
different places, and which element each paragraph is in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .assessment.elements import find_parts
from .assessment.view import View
from .models import Document, Evidence

SHINGLE = 3  # characters per shingle
NUM_PERM = 128  # MinHash permutations
MIN_CHARS = 30  # shortest paragraph compared (Chinese characters, letters and digits)
DEFAULT_THRESHOLD = 0.5  # Jaccard similarity of shingles
LSH_MARGIN = 0.15  # LSH looks for candidates this much below the threshold (then checked exactly)

_KEEP = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")
_DIGITS = re.compile(r"\d+")

RELATION_LABELS = {"same_place": "同一地方跨年度", "other_place": "不同地方之间"}


@dataclass
class Reuse:
    a_doc: str
    a: Evidence
    b_doc: str
    b: Evidence
    similarity: float  # Jaccard similarity of the paragraphs' shingles
    relation: str  # same_place / other_place
    a_element: str | None = None
    b_element: str | None = None

    def to_dict(self) -> dict:
        return {
            "a_doc": self.a_doc,
            "a": self.a.to_dict(),
            "a_element": self.a_element,
            "b_doc": self.b_doc,
            "b": self.b.to_dict(),
            "b_element": self.b_element,
            "similarity": self.similarity,
            "relation": self.relation,
        }


_STEM_PLACE = re.compile(r"^(.+?)[-_ ](?:19|20)\d{2}(?:\D|$)")


def place_of(doc: Document) -> str:
    """Who a report is about: the department for a department's report, else the jurisdiction; when
    the metadata names neither, the file name before its year (``<place>-<year>-….txt``)."""
    if doc.level == "department" and doc.author:
        return doc.author
    if doc.jurisdiction or doc.author:
        return doc.jurisdiction or doc.author or ""
    m = _STEM_PLACE.match(doc.doc)
    return m.group(1) if m else doc.doc


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    norm = _DIGITS.sub("0", "".join(_KEEP.findall(text)))
    if len(norm) < k:
        return {norm} if norm else set()
    return {norm[i : i + k] for i in range(len(norm) - k + 1)}


def _element_at(view: View, parts: dict, offset: int) -> str | None:
    for el in ("shortcomings", "plan", "principal_duty", "other", "achievements"):
        part = parts.get(el)
        if part and (any(s.start <= offset < s.end for s in part.spans) or part.start <= offset < part.end):
            return el
    top = view.top_at(offset)
    return top.element if top else None


def find_reuse(docs: Sequence[Document], threshold: float = DEFAULT_THRESHOLD) -> list[Reuse]:
    """Pairs of paragraphs from different reports with shingle similarity >= ``threshold``, most
    similar first."""
    from datasketch import MinHash, MinHashLSH

    units: list[tuple[int, Evidence, set[str]]] = []  # (doc index, paragraph, shingles)
    views = [View(d) for d in docs]
    for i, view in enumerate(views):
        for p in view.paragraphs:
            spans = [p]
            inner = view.sentences_in(p.start, p.end)
            if len(inner) > 1:  # a copied sentence inside an otherwise new paragraph
                spans.extend(inner)
            for sp in spans:
                ev = view.quote(sp.start, sp.end)
                if len("".join(_KEEP.findall(ev.quote))) >= MIN_CHARS:
                    units.append((i, ev, shingles(ev.quote)))
    lsh = MinHashLSH(threshold=max(0.1, threshold - LSH_MARGIN), num_perm=NUM_PERM)
    hashes = []
    for k, (_, _, sh) in enumerate(units):
        m = MinHash(num_perm=NUM_PERM, seed=1)
        m.update_batch([s.encode("utf-8") for s in sorted(sh)])
        lsh.insert(k, m)
        hashes.append(m)
    parts = [find_parts(v) for v in views]
    out: list[Reuse] = []
    seen: set[tuple[int, int]] = set()
    for k, (i, ev, sh) in enumerate(units):
        for j in sorted(lsh.query(hashes[k])):
            if j <= k or (k, j) in seen:
                continue
            seen.add((k, j))
            i2, ev2, sh2 = units[j]
            if i2 == i:
                continue
            sim = len(sh & sh2) / len(sh | sh2)
            if sim < threshold:
                continue
            a, b = docs[i], docs[i2]
            same = place_of(a) == place_of(b)
            out.append(
                Reuse(
                    a.doc,
                    ev,
                    b.doc,
                    ev2,
                    round(sim, 3),
                    "same_place" if same else "other_place",
                    _element_at(views[i], parts[i], ev.start),
                    _element_at(views[i2], parts[i2], ev2.start),
                )
            )
    out.sort(key=lambda r: (-r.similarity, r.a_doc, r.a.start, r.b_doc, r.b.start))
    return _outermost(out)


def _outermost(pairs: list[Reuse]) -> list[Reuse]:
    """Drop a sentence pair that lies inside a paragraph pair already reported (most similar first)."""
    kept: list[Reuse] = []
    for r in pairs:
        inside = any(
            k.a_doc == r.a_doc
            and k.b_doc == r.b_doc
            and k.a.start <= r.a.start
            and r.a.end <= k.a.end
            and k.b.start <= r.b.start
            and r.b.end <= k.b.end
            for k in kept
        )
        if not inside:
            kept.append(r)
    return kept
