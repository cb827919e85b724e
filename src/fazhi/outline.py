"""Outline: cleaned text -> sections (the Chinese numbering hierarchy, unnumbered closing parts and
一是/二是 enumerations), paragraphs and sentences, all with offsets into the text.

Numbering styles and element cues are data (data/numbering.yaml, data/elements.yaml). Each section
gets its ``element`` here; its ``areas`` come later from fazhi.areas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .models import Section, Span
from .resources import load_yaml

_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_SENTENCE = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』)）]?|(?=\n)|$)")


def numeral_value(s: str) -> int:
    """一..九十九, digits or a circled number -> int (0 if not a number)."""
    if s in _CIRCLED:
        return _CIRCLED.index(s) + 1
    if s.isdecimal():
        return int(s)
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (_CN.get(tens, 0) if tens else 1) * 10 + (_CN.get(ones, 0) if ones else 0)
    return _CN.get(s, 0)


@dataclass(frozen=True)
class _Style:
    id: str
    rank: int
    marker: re.Pattern[str]


# closing elements: their parts inherit them (see build)
_CLOSING = ("plan", "shortcomings")


@lru_cache(maxsize=1)
def _styles() -> tuple[_Style, ...]:
    spec = load_yaml("numbering.yaml")
    return tuple(_Style(s["id"], i, re.compile(s["marker"])) for i, s in enumerate(spec["styles"]))


@lru_cache(maxsize=1)
def _spec() -> dict:
    return load_yaml("numbering.yaml")


@lru_cache(maxsize=1)
def _elements() -> dict:
    spec = load_yaml("elements.yaml")
    compiled = {}
    for group in ("heading_cues", "opening_cues", "strong_cues"):
        compiled[group] = {el: [re.compile(p) for p in pats] for el, pats in spec[group].items()}
    compiled["opening_not"] = [re.compile(p) for p in spec.get("opening_not", [])]
    compiled["default"] = spec["default"]
    compiled["closing_parts_after"] = float(spec["closing_parts_after"])
    return compiled


def paragraph_spans(text: str) -> list[Span]:
    spans = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            spans.append(Span(pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def sentence_spans(text: str) -> list[Span]:
    """Sentences end at 。！？；(and their ASCII forms) or a line break; closing quotes stay inside."""
    out = []
    for m in _SENTENCE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s] in " \t":
            s += 1
        if e > s and text[s:e].strip():
            out.append(Span(s, e))
    return out


@dataclass
class _Line:
    start: int
    end: int
    text: str


def _lines(text: str) -> list[_Line]:
    out = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append(_Line(pos, pos + len(line), line))
        pos += len(line) + 1
    return out


def _match_style(line: str) -> tuple[_Style, int, int] | None:
    """(style, number, end of the marker) of a numbered heading line."""
    for style in _styles():
        m = style.marker.match(line)
        if m:
            n = numeral_value(m.group("n"))
            rest = line[m.end() :]
            if n and rest.strip() and not rest.lstrip().startswith(("是", "、")):
                return style, n, m.end()
    return None


_SENTENCE_END = re.compile(r"[。；;！!？?]\s*")


def _run_in(line: str, style: _Style) -> list[tuple[int, int, str]]:
    """The items of a run-in list: a line that opens with a marker and goes on with the next ones
    after the end of a sentence (（一）执法力量不足。（二）专业化水平有待提升。) as (number, offset,
    marker); empty when the line is an ordinary numbered heading."""
    found: list[tuple[int, int, str]] = []
    for at in [0, *(m.end() for m in _SENTENCE_END.finditer(line))]:
        m = style.marker.match(line, at)
        n = numeral_value(m.group("n")) if m else 0
        if n and (not found or n == found[-1][0] + 1):
            found.append((n, at, m.group()))  # type: ignore[union-attr]
    return found if len(found) >= 2 else []


def _number(marker: str) -> str:
    """A heading's number as its marker writes it, without brackets and punctuation: （一） -> 一."""
    return re.sub(r"^[(（第]|[)）、.．,，:：\s]|(部分|章|篇)", "", marker.strip())


def _heading_of(line: str, marker_end: int) -> tuple[str, int]:
    """Heading text after the marker and its end offset within the line."""
    m = re.compile(_spec()["heading_end"]).search(line, marker_end)
    end = m.start() if m and m.start() > marker_end + 1 else len(line)
    return line[marker_end:end].strip(), end


def _unnumbered_heading(line: str) -> tuple[str, int]:
    spec = _spec()
    colon = re.search(r"[:：]", line)
    if colon and colon.start() <= spec["unnumbered_colon_within"]:
        head = re.sub(spec["lead_in_tail"], "", line[: colon.start()]).strip()
        return head, colon.start()
    end_sentence = re.search(r"[。！？!?；;]", line)
    limit = end_sentence.start() if end_sentence else len(line)
    pos = 0
    for m in re.finditer(r"[,，]", line[:limit]):
        pos = m.start()
        if len(line[:pos].strip()) >= spec["unnumbered_min_chars"]:
            return line[:pos].strip(), pos
    return line[:limit].strip(), limit


def _opening_element(line: str) -> str | None:
    cues = _elements()
    if any(p.search(line[:60]) for p in cues["opening_not"]):
        return None
    for element, patterns in cues["opening_cues"].items():
        if any(p.search(line) for p in patterns):
            return element
    return None


def _heading_names(heading: str, element: str) -> bool:
    """Does a heading name this element (存在的问题和下一步工作打算 names both closing ones)?"""
    return any(re.search(p, heading) for p in _elements()["heading_cues"].get(element, []))


def _named_element(heading: str) -> str | None:
    """The element a heading's words name (the first in elements.yaml's order), if any."""
    for el, patterns in _elements()["heading_cues"].items():
        if any(p.search(heading) for p in patterns):
            return el
    return None


@lru_cache(maxsize=1)
def _bare_not() -> re.Pattern[str]:
    return re.compile(_spec()["bare_not"])


def _bare(line: str) -> str | None:
    """The heading a line is when it is nothing but an unnumbered heading (no sentence punctuation,
    short, not a title or a date), else None."""
    s = line.strip().rstrip(":：").strip()
    if not s or len(s) > _spec()["bare_max_chars"] or _bare_not().search(s):
        return None
    return s


def _is_content(line: str) -> bool:
    """A line of running text (a sentence, or longer than any heading)."""
    return bool(re.search(r"[。！？!?；;]", line)) or len(line.strip()) > _spec()["bare_max_chars"]


def classify_element(heading: str, body: str) -> str:
    """The required element a part is, from its heading, and ``mixed`` when its body also carries
    the other closing element strongly (a plan part that opens with last year's problems)."""
    cues = _elements()
    element = _named_element(heading) or cues["default"]
    other = {"plan": "shortcomings", "shortcomings": "plan"}.get(element)
    if other and any(p.search(body) for p in cues["strong_cues"][other]):
        return "mixed"
    return element


@lru_cache(maxsize=1)
def closing_mark() -> re.Pattern[str]:
    """A line that opens the closing block: 特此报告, 附件, 附表 (numbering.yaml ``tail_start``; the
    metadata stage looks for the signature above it too)."""
    return re.compile(_spec()["tail_start"])


def _tail_start(lines: list[_Line], first: int, default: int) -> int:
    """Where the closing block (特此报告, signature and date, attachments) starts, looking from line
    ``first`` on: the end of the text before it, or ``default`` when there is none."""
    start, date = closing_mark(), re.compile(_spec()["tail_date"])
    for k in range(first, len(lines)):
        if start.match(lines[k].text):
            return max(lines[k].start - 1, 0)
        if date.match(lines[k].text):
            if k - 1 >= first and _bare(lines[k - 1].text) is not None:
                k -= 1
            return max(lines[k].start - 1, 0)
    return default


def _top(heads: list[tuple[int, Section]]) -> Section | None:
    """The top-level part open at the end of ``heads``."""
    return next((s for _, s in reversed(heads) if s.depth == 1), None)


def _top_names(heads: list[tuple[int, Section]], element: str) -> bool:
    """Does the open top-level part, numbered or a bare heading, name this element (then a line opening
    that element is its content: 七、存在的问题和下一步工作打算 holds "2025年，我区将…")?"""
    top = _top(heads)
    return top is not None and top.style != "unnumbered" and _heading_names(top.heading, element)


def _bare_section(ln: _Line, heading: str, depth: int, element: str | None = None) -> Section:
    """The section a bare heading line opens (the whole line is its heading)."""
    return Section(
        number=None,
        heading=heading,
        depth=depth,
        start=ln.start,
        end=ln.end,
        style="bare",
        heading_end=ln.end,
        element=element,
    )


def build(text: str) -> list[Section]:
    """All sections of a text, flat, in document order, with depth, offsets and element."""
    lines = _lines(text)
    # 1. candidate numbered headings, validated against their style's running sequence
    found: list[tuple[int, _Style, int, int]] = []  # (line index, style, number, marker end)
    runs: list[tuple[int, list[tuple[int, int, str]], str]] = []  # run-in lists: (line start, items, style)
    last: dict[str, int] = {}
    for i, ln in enumerate(lines):
        hit = _match_style(ln.text)
        if hit is None:
            continue
        style, n, mend = hit
        run = _run_in(ln.text, style)
        if run:  # items inside a paragraph, not a heading (step 5)
            runs.append((ln.start, run, style.id))
            continue
        prev = last.get(style.id, 0)
        if n == 1 or n == prev + 1 or (prev and prev < n <= prev + 2):
            found.append((i, style, n, mend))
            last[style.id] = n
            for other in _styles():  # a new outer heading restarts the inner sequences
                if other.rank > style.rank:
                    last.pop(other.id, None)
    used = sorted({s.rank for _, s, _, _ in found})
    depth_of = {rank: d + 1 for d, rank in enumerate(used)}

    # 2. sections from numbered headings, plus unnumbered top-level parts
    heads: list[tuple[int, Section]] = []
    min_start = len(text) * _elements()["closing_parts_after"]
    numbered_at = {i: (s, n, mend) for i, s, n, mend in found}
    prev_heading_line = -2
    first_numbered = found[0][0] if found else len(lines)
    subs: list[tuple[int, str]] = []  # bare lines that may be sub-parts (decided below)
    for i, ln in enumerate(lines):
        bare = _bare(ln.text) if 0 < i < len(lines) - 1 and i not in numbered_at else None
        if bare is not None:
            element = _named_element(bare)
            if element in _CLOSING:
                opens = ln.start >= min_start and not _top_names(heads, element)
            else:  # 主要工作成效 opens a part when no numbered one came before, nor a part it names
                top = _top(heads)
                opens = (
                    element is not None
                    and i < first_numbered
                    and not (
                        top is not None and top.style == "bare" and _named_element(top.heading) == element
                    )
                )
            if opens:
                heads.append((i, _bare_section(ln, bare, 1, element if element in _CLOSING else None)))
                prev_heading_line = i
            else:
                subs.append((i, bare))
            continue
        if i in numbered_at:
            style, n, mend = numbered_at[i]
            heading, hend = _heading_of(ln.text, mend)
            sec = Section(
                number=_number(ln.text[:mend]) or str(n),
                heading=heading,
                depth=depth_of[style.rank],
                start=ln.start,
                end=ln.end,
                style=style.id,
                heading_end=ln.start + hend,
            )
            heads.append((i, sec))
            prev_heading_line = i
            continue
        # an unnumbered closing part starts a new top-level section, unless it is the first
        # paragraph of a numbered part (then it is that part's content)
        if (
            i == prev_heading_line + 1
            and heads
            and heads[-1][1].depth == 1
            and heads[-1][1].style != "unnumbered"
        ):
            continue
        element = _opening_element(ln.text) if ln.start >= min_start else None
        if not element:
            continue
        if _top_names(heads, element):
            continue  # 七、存在的问题和下一步工作打算 holds its plan: "2025年，我区将…" is its content
        if i > 0:
            heading, hend = _unnumbered_heading(ln.text)
            sec = Section(
                number=None,
                heading=heading,
                depth=1,
                start=ln.start,
                end=ln.end,
                style="unnumbered",
                heading_end=ln.start + hend,
                element=element,
            )
            heads.append((i, sec))
            prev_heading_line = i

    # a report whose first part is a bare heading: its numbered headings are one level below, and
    # where it is numbered nowhere, the bare lines followed by text inside its parts are sub-parts
    bare_tops = [i for i, sec in heads if sec.style == "bare"]
    if bare_tops and bare_tops[0] < first_numbered:
        for i, sec in heads:
            if i in numbered_at:
                sec.depth += 1
        if not found:
            for i, heading in subs:
                if i > bare_tops[0] and _is_content(lines[i + 1].text):
                    heads.append((i, _bare_section(lines[i], heading, 2)))
            heads.sort(key=lambda h: h[0])

    # 3. ends: a section runs until the next section at the same or a shallower depth
    sections = [s for _, s in heads]
    text_end = _tail_start(lines, heads[-1][0] + 1 if heads else len(lines), len(text.rstrip("\n")))
    for k, sec in enumerate(sections):
        end = text_end
        for nxt in sections[k + 1 :]:
            if nxt.depth <= sec.depth:
                end = nxt.start - 1
                break
        sec.end = max(end, sec.heading_end)

    # 4. elements
    for sec in sections:
        body = text[sec.heading_end : sec.end]
        if sec.element is None:
            sec.element = classify_element(sec.heading, body)
        elif sec.element in _CLOSING:
            sec.element = classify_element(sec.heading + ("将" if sec.element == "plan" else "问题"), body)
    # the parts of a plan or of a shortcomings part are that element, whatever their own words say
    # (四、2025年工作安排 → （一）持续深化依法行政 is planned work, not an achievement)
    open_: list[Section] = []
    for sec in sections:
        while open_ and not (open_[-1].start <= sec.start < open_[-1].end and open_[-1].depth < sec.depth):
            open_.pop()
        if open_ and open_[-1].element in _CLOSING:
            sec.element = open_[-1].element
        open_.append(sec)

    # 5. 一是/二是 items inside paragraphs, and run-in lists, one level below their section
    items = _inline_items(text, sections, runs)
    for item in items:
        parent = [s for s in sections if s.start <= item.start < s.end and s.depth < item.depth]
        item.element = parent[-1].element if parent else None
        if item.element == "mixed":  # in a part of problems and plans, the paragraph's opening tells
            line = text[text.rfind("\n", 0, item.start) + 1 : item.start]
            item.element = _opening_element(line) or "mixed"
    sections.extend(items)
    sections.sort(key=lambda s: (s.start, s.depth))
    return sections


@lru_cache(maxsize=1)
def _inline_marker() -> re.Pattern[str]:
    spec = _spec()["inline"]
    return re.compile(f"(?:{spec['before']})(?P<m>{spec['marker']})", re.M)


_ITEM_HEADING_END = re.compile(r"[。！？!?；;：:，,]")


def _inline_items(
    text: str, sections: list[Section], runs: list[tuple[int, list[tuple[int, int, str]], str]]
) -> list[Section]:
    """Sections for the items inside paragraphs: 一是/二是 (the ``inline`` marker of numbering.yaml) and
    the ``runs`` found by ``build`` (offsets within their line)."""
    spec = _spec()["inline"]
    groups: list[tuple[int, list[tuple[int, int, str]], str]] = [
        (line_start, [(n, line_start + at, mtext) for n, at, mtext in items], style)
        for line_start, items, style in runs
    ]
    # markers of the whole text at once, then grouped by the paragraph (line) they stand in
    by_line: dict[int, list[re.Match[str]]] = {}
    for m in _inline_marker().finditer(text):
        by_line.setdefault(text.rfind("\n", 0, m.start("m")) + 1, []).append(m)
    for line_start, matches in by_line.items():
        found: list[tuple[int, int, str]] = []
        for m in matches:
            n = numeral_value(m.group("n"))
            if n == (found[-1][0] + 1 if found else 1):
                found.append((n, m.start("m"), m.group("m")))
        if len(found) >= 2:
            groups.append((line_start, found, spec["id"]))
    items: list[Section] = []
    bounds = [(s.heading_end, s.end, s.depth) for s in sections]
    for line_start, found, style in groups:
        line_end = text.find("\n", line_start)
        para_end = len(text) if line_end == -1 else line_end
        depth = 1 + max((d for s, e, d in bounds if s <= found[0][1] < e), default=0)
        for k, (_n, start, mtext) in enumerate(found):
            end = found[k + 1][1] if k + 1 < len(found) else para_end
            body_start = start + len(mtext)
            hm = _ITEM_HEADING_END.search(text, body_start, end)
            hend = hm.start() if hm else end
            items.append(
                Section(
                    number=mtext[:-1] if style == spec["id"] else _number(mtext),
                    heading=text[body_start:hend].strip(" ,，"),
                    depth=depth,
                    start=start,
                    end=end,
                    style=style,
                    heading_end=hend,
                    element=None,
                )
            )
    return items
