"""Report text as HTML: every piece of text escaped, sentences and facts wrapped by their offsets.

Element ids come from character offsets into ``Document.text``, so any offset can be linked to:
``s-START`` is the sentence starting at START, ``f-START`` the fact starting there. A link to evidence
names the sentence holding its first character and carries the whole span in ``data-start``/``data-end``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence

from markupsafe import Markup, escape

from .. import outline
from ..models import Document, Fact, Span


class TextIndex:
    """The sentences of a text, sorted, for offset -> sentence look-ups."""

    def __init__(self, sentences: Iterable[Span]) -> None:
        self.sentences = sorted(sentences, key=lambda s: (s.start, s.end))
        self._starts = [s.start for s in self.sentences]

    @classmethod
    def of(cls, doc: Document) -> TextIndex:
        return cls(doc.sentences or outline.sentence_spans(doc.text))

    def sentence_at(self, offset: int) -> Span | None:
        """The sentence holding ``offset``, else the nearest one before it (else the first)."""
        if not self.sentences:
            return None
        i = max(bisect_right(self._starts, offset) - 1, 0)
        return self.sentences[i]

    def anchor(self, offset: int) -> str:
        s = self.sentence_at(offset)
        return f"s-{s.start}" if s else "text"


def _facts_in_order(facts: Sequence[Fact]) -> list[tuple[int, Fact]]:
    """(index in ``facts``, fact) by position; a fact overlapping an earlier one is left unwrapped."""
    out: list[tuple[int, Fact]] = []
    end = -1
    for i, f in sorted(enumerate(facts), key=lambda x: (x[1].start, -x[1].end)):
        if f.start >= end and f.end > f.start:
            out.append((i, f))
            end = f.end
    return out


class _Writer:
    def __init__(self, text: str, facts: list[tuple[int, Fact]]) -> None:
        self.text = text
        self.facts = facts
        self.k = 0  # next fact to place
        self.ids: set[str] = set()
        self.out: list[str] = []

    def _id(self, ident: str) -> str:
        if ident in self.ids:
            return ""
        self.ids.add(ident)
        return f' id="{ident}"'

    def run(self, a: int, b: int) -> None:
        """Text [a, b) with the facts inside it wrapped (a fact crossing b is cut there)."""
        facts, text = self.facts, self.text
        while self.k < len(facts) and facts[self.k][1].end <= a:
            self.k += 1
        pos = a
        k = self.k
        while k < len(facts) and facts[k][1].start < b:
            i, f = facts[k]
            fs, fe = max(f.start, pos), min(f.end, b)
            if fs > pos:
                self.out.append(str(escape(text[pos:fs])))
            self.out.append(
                f'<mark class="fact"{self._id(f"f-{f.start}")} data-fact="{i}" tabindex="0">'
                f"{escape(text[fs:fe])}</mark>"
            )
            pos = fe
            if f.end > b:
                break
            k += 1
        self.k = k
        if pos < b:
            self.out.append(str(escape(text[pos:b])))


def render_text(doc: Document, index: TextIndex | None = None) -> Markup:
    """The cleaned text as ``<p>`` per paragraph, ``<span class="s">`` per sentence, ``<mark>`` per fact."""
    text = doc.text
    index = index or TextIndex.of(doc)
    paragraphs = doc.paragraphs or outline.paragraph_spans(text)
    headings = {}
    for sec in doc.sections:
        headings.setdefault(sec.start, sec)
    w = _Writer(text, _facts_in_order(doc.facts))
    sentences = index.sentences
    j = 0
    for p in paragraphs:
        sec = headings.get(p.start)
        cls = ""
        if sec is not None and len(text[p.start : p.end].strip()) <= len(sec.heading) + 12:
            cls = f' class="h d{min(sec.depth, 3)}"'
        w.out.append(f'<p data-p="{p.start}"{cls}>')
        while j < len(sentences) and sentences[j].end <= p.start:
            j += 1
        pos = p.start
        k = j
        while k < len(sentences) and sentences[k].start < p.end:
            s = sentences[k]
            ss, se = max(s.start, pos), min(s.end, p.end)
            if ss > pos:
                w.run(pos, ss)
            if se > ss:
                w.out.append(f'<span class="s"{w._id(f"s-{s.start}")} data-e="{s.end}">')
                w.run(ss, se)
                w.out.append("</span>")
                pos = se
            if s.end > p.end:
                break
            k += 1
        if pos < p.end:
            w.run(pos, p.end)
        w.out.append("</p>\n")
    return Markup("".join(w.out))


def mark_sentence(sentence: str, marks: Iterable[tuple[int, int]]) -> Markup:
    """A search hit's sentence, escaped, with the matched ranges in ``<mark>``."""
    out, pos = [], 0
    for a, b in sorted(marks):
        a, b = max(a, pos), min(b, len(sentence))
        if b <= a:
            continue
        out.append(str(escape(sentence[pos:a])))
        out.append(f"<mark>{escape(sentence[a:b])}</mark>")
        pos = b
    out.append(str(escape(sentence[pos:])))
    return Markup("".join(out))
