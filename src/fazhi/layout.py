"""Page layout left in plain text: lines hard-wrapped at a fixed width, page numbers and running headers.

Text copied or converted from a PDF (pdftotext, a crawled corpus, a paste) keeps the page's line breaks:
``罚没款金额284⏎6.5万元``. Numbers, units and sentences are cut in two, and every page repeats its header
and number. The PDF reader rebuilds paragraphs from the page's geometry; for plain text the lines
themselves must tell, which is what this module does (``cleaning`` calls it on .txt and .md input):

- ``drop_page_furniture``: lines that are page numbers (``— 3 —``, ``-3-``, ``第3页 共9页``), and the
  lines repeated next to them (the running header or footer) where they stand next to one;
- ``unwrap``: when most lines are about as wide as the widest ones (the wrap width) and many of those
  end mid-sentence, a full-width line is joined to the next one, unless the next opens a heading or an
  indented paragraph.

The patterns are shared with ``readers.pdf``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

# sentence and clause ends after which a line may end a paragraph
TERMINAL = "。！？；：!?;:"
# a line that opens a numbered heading or an attachment: never the continuation of the line above
HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十百]+[)）]|\d{1,2}[.．、](?!\d)|"
    r"[（(]\d{1,2}[)）]|第[一二三四五六七八九十百]+[章节部分条]|附件\s*\d*[:：]?)"
)
# a page number alone on its line: 3, - 3 -, — 3 —, 第3页, 第3页 共9页, 3/9, Page 3
PAGE_NUMBER = re.compile(
    r"^(?:[-—–－﹣_~\s]*\d{1,4}[-—–－﹣_~\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,4}\s*页)?|"
    r"\d{1,4}\s*[/／]\s*\d{1,4}|(?:page|Page|PAGE|页码)\s*[:：]?\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?)$"
)
# in plain text a bare number on its own line may be a table cell: only a decorated one is a page number
_DECORATED_PAGE_NUMBER = re.compile(r"^[-—–－﹣~]+\s*\d{1,4}\s*[-—–－﹣~]+$|^第\s*\d{1,4}\s*页")

MIN_LINES = 8  # fewer lines than this are never taken as hard-wrapped
MIN_WIDTH = 20  # a wrap width below this (ten Chinese characters) is a column of short lines, not prose
SLACK = 4  # a line this much narrower than the wrap width is still full (digits and Latin are half width)
FULL_SHARE = 0.5  # share of lines that must be full for a text to be hard-wrapped
OPEN_SHARE = 0.4  # share of full lines that must end mid-sentence
INDENT = 2  # leading spaces that open a paragraph
MIN_FURNITURE = 4  # a running header or footer has at least this many characters


_WIDE = re.compile("[\u2e80-\U0010ffff]+")


def display_width(line: str) -> int:
    """Columns a line takes: two for Chinese characters and full-width forms, one for the rest."""
    return len(line) + sum(map(len, _WIDE.findall(line)))


def drop_page_furniture(lines: list[str]) -> list[str]:
    """Page-number lines, and the lines that repeat next to them (running headers and footers) where
    they stand next to one (the title at the top, equal to the header, stays)."""
    numbers = {k for k, line in enumerate(lines) if _DECORATED_PAGE_NUMBER.match(line.strip())}
    if not numbers:
        return lines
    counts = Counter(line.strip() for line in lines)
    filled = [k for k, line in enumerate(lines) if line.strip()]
    at = {k: n for n, k in enumerate(filled)}
    # the nearest lines with text on either side of each page number
    near = {filled[at[k] + d] for k in numbers for d in (-1, 1) if 0 <= at[k] + d < len(filled)}
    furniture = {
        key
        for k in near
        if counts[key := lines[k].strip()] >= 2 and len(key) >= MIN_FURNITURE and key[-1] not in TERMINAL
    }
    return [
        line
        for k, line in enumerate(lines)
        if k not in numbers and not (k in near and line.strip() in furniture)
    ]


def _mode_width(values: list[int], slack: int) -> int:
    """The width with the most values within ``slack`` below it (the widest such, on a tie)."""
    counts = Counter(values)
    return max(counts, key=lambda w: (sum(n for v, n in counts.items() if w - slack <= v <= w), w))


Measure = Callable[[str], int]


def is_table_row(text: str) -> bool:
    """A row of table cells (the readers join cells with tabs): never wrapped prose."""
    return "\t" in text


def wrap_widths(lines: list[str]) -> list[tuple[Measure, int]]:
    """The widths a hard-wrapped text was cut at, by display width (a PDF's lines) and by characters (a
    program's), those under which its lines read as hard-wrapped; empty when neither does. Table rows
    are left out of the count."""
    texts = [t for line in lines if (t := line.strip()) and not is_table_row(t)]
    if len(texts) < MIN_LINES:
        return []
    if sum(1 for t in texts if t[-1] not in TERMINAL) < FULL_SHARE * OPEN_SHARE * len(texts):
        return []  # a paragraph per line (most lines end a sentence): the common case, decided fast
    found = []
    for measure, slack, least in ((display_width, SLACK, MIN_WIDTH), (len, SLACK // 2, MIN_WIDTH // 2)):
        widths = [measure(t) for t in texts]
        width = _mode_width(widths, slack)
        if width < least:
            continue
        full = [t for t, w in zip(texts, widths, strict=True) if width - slack <= w <= width + slack]
        if len(full) < FULL_SHARE * len(texts):
            continue
        if sum(1 for t in full if t[-1] not in TERMINAL) < OPEN_SHARE * len(full):
            continue
        found.append((measure, width - slack))
    return found


def unwrap(lines: list[str], stands_alone: Callable[[int, str], bool] = lambda k, line: False) -> list[str]:
    """Hard-wrapped lines joined back into paragraphs (the lines as they are when they do not read as
    hard-wrapped). Lines keep their leading spaces until joined: an indent opens a paragraph. A table
    row, or a line for which ``stands_alone(index, text)`` holds (a title, a document number), is joined
    to nothing."""
    widths = wrap_widths(lines)
    if not widths:
        return lines
    out: list[str] = []
    joinable = False  # the last line of out is full and may go on
    for k, line in enumerate(lines):
        text = line.strip()
        if not text:  # a blank line ends a paragraph, unless the line above stops mid-sentence (a page break)
            if not (joinable and out[-1].rstrip()[-1:] not in TERMINAL):
                out.append(line)
                joinable = False
            continue
        lead = len(line) - len(line.lstrip(" \t\u3000"))
        alone = is_table_row(text) or stands_alone(k, text)
        if joinable and lead < INDENT and not alone and not HEADING.match(text):
            out[-1] += text
        else:
            out.append(line)
        # full: as wide as the wrap width, its indent counted (a space stands for a Chinese character)
        joinable = not alone and any(measure(text) + lead * measure("中") >= full for measure, full in widths)
    return out
