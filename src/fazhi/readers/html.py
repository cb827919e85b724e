"""Saved web pages (.html/.htm): decode, read the page's metadata, extract the article.

``read`` runs these steps, each a small function below:

1. decode: a BOM, strict UTF-8, the charset the page declares, then ``text.decode`` (statistics); a
   declared charset whose text reads much worse than the detected one is a wrong declaration;
2. parse with lxml; ``<meta>`` tags (ArticleTitle, PubDate, ContentSource…) go into ``RawDoc.meta``;
3. take the metadata block (索引号/发布机构/发布日期/文号/标题… in a table or list) out of the page and
   keep it as ``label:value`` lines for the top of the text, where the cleaning stage reads them;
4. unwrap layout tables, which extraction would otherwise flatten into one line;
5. extract the main text with trafilatura (favor_recall), one paragraph per line, a table row as
   its cells joined by tabs;
6. rescue: lines of the article's container that trafilatura dropped (a short heading ``一、…``, the
   signature, the date) go back in their place;
7. drop widget lines (字号, 打印本页, 扫一扫…: data/chrome_html.yaml) and put the title first.
"""

from __future__ import annotations

import codecs
import re
from functools import lru_cache
from typing import Any

import lxml.html
import trafilatura
from lxml import etree

from ..models import RawDoc, ReadError
from ..resources import load_yaml
from ..settings import Settings
from . import text as _text

# Where a charset declaration is looked for.
HEAD_BYTES = 8192
# A declared legacy charset may leave this share of bytes undecodable (stray bytes on real pages).
REPLACEMENT_SHARE = 0.001
# The declared charset wins unless the detected decoding reads this much more like Chinese.
PLAUSIBILITY_MARGIN = 0.05
# A metadata item is at most this long; a metadata block holds little besides its items.
META_ITEM_MAX_CHARS = 200
META_BLOCK_SLACK_CHARS = 40
# A table cell with this many characters (or holding paragraphs) lays out the page: unwrap it.
LAYOUT_CELL_CHARS = 200
# A line needs this many characters to anchor the article's container; shorter ones match exactly.
ANCHOR_CHARS = 30
SHORT_MATCH_CHARS = 15
# The title is not repeated when one of the text's first lines already is it.
TITLE_HEAD_LINES = 10
# Lines after the article's last extracted line that may be rescued (signature, date, 此件主动公开).
TAIL_LINES = 8
TAIL_MAX_CHARS = 80

_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "tr",
        "ul",
    ]
)
_SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "title",
        "meta",
        "link",
        "select",
        "option",
        "button",
        "iframe",
        "object",
        "svg",
        "input",
        "textarea",
        "map",
        "area",
    ]
)
_CELL_TAGS = frozenset(("td", "th"))

_CHARSET_RE = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL_RE = re.compile(rb"""\s*<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL_STR = re.compile(r"^\s*<\?xml[^>]*\?>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[\W_]+")
_TABLE_RULE = re.compile(r"^[\s|:\-]*$")

# A declared legacy name -> codecs to try: GB2312/GBK pages carry GB18030 characters, Big5 pages cp950's.
_WIDER = {
    "gb2312": ("gb18030",),
    "gbk": ("gb18030",),
    "x-gbk": ("gb18030",),
    "gb18030": ("gb18030",),
    "big5": ("cp950", "big5hkscs"),
    "cp950": ("cp950", "big5hkscs"),
    "big5hkscs": ("big5hkscs",),
}


@lru_cache(maxsize=4)
def _config(data_dir: Any) -> dict[str, Any]:
    raw = load_yaml("chrome_html.yaml", data_dir)
    labels = sorted(raw["metadata_labels"], key=len, reverse=True)
    label_alt = "|".join(r"\s*".join(map(re.escape, label)) for label in labels)
    return {
        "meta_tags": raw["meta_tags"],
        "label_start": re.compile(rf"^\s*(?P<label>{label_alt})\s*[:：]\s*"),
        "label_only": re.compile(rf"^\s*(?P<label>{label_alt})\s*[:：]?\s*$"),
        "label_any": re.compile(rf"(?:{label_alt})\s*[:：]"),
        "widgets": [re.compile(p) for p in raw["widget_lines"]],
        "widget_max_len": int(raw["widget_max_len"]),
    }


def _ws(s: str) -> str:
    return _SPACE.sub(" ", s).strip()


def _norm(s: str) -> str:
    """A line reduced to Han, letters and digits: how lines are compared across extractions."""
    return _NON_WORD.sub("", s)


# --- 1. decode ----------------------------------------------------------------------------------


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in ``<?xml encoding>`` or ``<meta charset>``, as a codec name."""
    head = data[:HEAD_BYTES]
    m = _XML_DECL_RE.match(head) or _CHARSET_RE.search(head)
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore").lower()
    if name in _WIDER:
        return name
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _lenient(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        decoded = data.decode(codec, errors="replace")
        if decoded.count("\ufffd") <= max(2, len(data) * REPLACEMENT_SHARE):
            return decoded
    except LookupError:
        pass
    return None


def decode_html(data: bytes) -> tuple[str, str]:
    """(text, codec) of a page: BOM, strict UTF-8, the declared charset unless it reads wrong, detection."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _text.decode(data)
    declared = declared_charset(data)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        detected: tuple[str, str] | None = _text.decode(data)
        error = None
    except ReadError as exc:
        detected, error = None, exc
    if declared and not declared.startswith(("utf-8", "utf-16", "utf-32", "utf_")):
        for codec in _WIDER.get(declared, (declared,)):
            decoded = _lenient(data, codec)
            if decoded is None:
                continue
            if detected is None or (
                _text.plausibility(decoded) >= _text.plausibility(detected[0]) - PLAUSIBILITY_MARGIN
            ):
                return decoded, codec
    if detected is None:
        assert error is not None
        raise error
    return detected


# --- 2. parse, <meta> ---------------------------------------------------------------------------


def parse(text: str) -> lxml.html.HtmlElement:
    text = _CONTROL.sub("", _XML_DECL_STR.sub("", text, count=1))
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ReadError(f"cannot parse the HTML page ({exc})") from exc


def page_meta(tree: lxml.html.HtmlElement, config: dict[str, Any]) -> dict[str, str]:
    """``title``/``published``/``author`` from ``<meta>`` tags (ArticleTitle, PubDate, ContentSource…)."""
    values: dict[str, str] = {}
    for el in tree.iter("meta"):
        name = (el.get("name") or el.get("property") or el.get("itemprop") or "").strip().lower()
        content = _ws(el.get("content") or "")
        if name and content:
            values.setdefault(name, content)
    meta: dict[str, str] = {}
    for key, names in config["meta_tags"].items():
        for name in names:
            if values.get(name):
                meta[key] = values[name]
                break
    return meta


# --- 3. metadata block --------------------------------------------------------------------------


def _content_elements(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    body = tree.find("body")
    root = body if body is not None else tree
    return [el for el in root.iter() if isinstance(el.tag, str) and el.tag not in _SKIP_TAGS]


def _next_cell(cell: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    nxt = cell.getnext()
    while nxt is not None and not (isinstance(nxt.tag, str) and nxt.tag in _CELL_TAGS):
        nxt = nxt.getnext()
    return nxt


def metadata_block(tree: lxml.html.HtmlElement, config: dict[str, Any]) -> list[str]:
    """``label:value`` lines of the metadata block(s) above the article, which are removed from the tree.

    An item is the highest element whose text starts with a known label and holds no other one
    (``<li><span>索引号：</span>QZ…</li>``, a ``<th>索 引 号：</th>`` with its value in the next cell);
    a block is an element holding two or more items and little else. Lone items stay in the page.
    """
    items: list[tuple[str, str, list[Any]]] = []
    taken: set[Any] = set()
    for el in _content_elements(tree):
        if any(a in taken for a in el.iterancestors()) or el in taken:
            continue
        text = _ws(el.text_content())
        if not text or len(text) > META_ITEM_MAX_CHARS or len(config["label_any"].findall(text)) != 1:
            continue
        m = config["label_start"].match(text)
        if not m:
            continue
        label = _SPACE.sub("", m.group("label"))
        value = text[m.end() :].strip()
        parts = [el]
        if not value and el.tag in _CELL_TAGS:
            nxt = _next_cell(el)
            if nxt is not None:
                nxt_text = _ws(nxt.text_content())
                if not config["label_only"].match(nxt_text) and not config["label_start"].match(nxt_text):
                    value = nxt_text
                    parts.append(nxt)
        taken.update(parts)
        items.append((label, value, parts))

    lines: list[str] = []
    blocks: list[Any] = []
    for label, value, parts in items:
        block = _block_of(parts[0], items, config)
        if block is None:
            continue
        if block not in blocks:
            blocks.append(block)
        line = f"{label}:{value}"
        if value and line not in lines:
            lines.append(line)
    for block in blocks:
        if block.getparent() is not None and not any(a in blocks for a in block.iterancestors()):
            block.drop_tree()
    return lines


def _block_of(el: Any, items: list[tuple[str, str, list[Any]]], config: dict[str, Any]) -> Any | None:
    """The highest ancestor of an item that holds another item and little besides items."""
    best = None
    for anc in el.iterancestors():
        if anc.tag in ("body", "html"):
            break
        inside = [it for it in items if any(p is anc or anc in p.iterancestors() for p in it[2])]
        if len(inside) < 2:
            continue
        text_len = len(_norm(anc.text_content()))
        items_len = sum(len(_norm(it[0] + it[1])) for it in inside)
        if text_len > items_len + META_BLOCK_SLACK_CHARS:
            break
        best = anc
    return best


# --- 4. layout tables ---------------------------------------------------------------------------


def _own_cells(table: Any) -> list[Any]:
    return table.xpath("./tr/td | ./tr/th | ./*/tr/td | ./*/tr/th")


def _is_layout(table: Any) -> bool:
    for cell in _own_cells(table):
        blocks = cell.xpath(".//p | .//div | .//table | .//br | .//h1 | .//h2 | .//h3 | .//ul | .//ol")
        if len(blocks) >= 2 or len(_norm(cell.text_content())) >= LAYOUT_CELL_CHARS:
            return True
    return False


def unwrap_layout_tables(tree: lxml.html.HtmlElement) -> None:
    """Turn tables that lay out the page into ``div``s, so that their paragraphs stay paragraphs."""
    for table in list(tree.iter("table")):
        if not _is_layout(table):
            continue
        parts = [table, *table.xpath("./tr | ./*/tr | ./thead | ./tbody | ./tfoot"), *_own_cells(table)]
        for el in parts:
            el.tag = "div"


# --- 5. extraction ------------------------------------------------------------------------------


def extract_main(tree: lxml.html.HtmlElement) -> list[str]:
    """Paragraph lines of the main content, by trafilatura (which works on its own copy of the tree)."""
    result = trafilatura.extract(
        tree,
        output_format="txt",
        favor_recall=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
    )
    if not result:
        return []
    lines = [line for raw in result.splitlines() if (line := raw.strip()) and not _TABLE_RULE.match(line)]
    return [_table_row(line) for line in lines]


def _table_row(line: str) -> str:
    """trafilatura's ``| a | b |`` row as ``a<TAB>b``, as the DOCX reader gives table rows."""
    if len(line) > 2 and line.startswith("|") and line.endswith("|"):
        return "\t".join(cell for c in line[1:-1].split("|") if (cell := c.strip()))
    return line


# --- 6. rescue ----------------------------------------------------------------------------------


def block_lines(root: Any) -> list[tuple[str, Any]]:
    """(line, block element) for the text under ``root``: a line ends at every block element and ``<br>``.

    Table cells of one row share a line, as trafilatura puts them.
    """
    lines: list[tuple[str, Any]] = []
    buf: list[str] = []
    stack: list[Any] = [root]
    anchor: list[Any] = [None]

    def add(s: str | None) -> None:
        if s:
            if anchor[0] is None:
                anchor[0] = stack[-1]
            buf.append(s)

    def flush() -> None:
        line = _ws("".join(buf))
        if line:
            lines.append((line, anchor[0]))
        buf.clear()
        anchor[0] = None

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else None
        if event == "start":
            if tag is None or tag in _SKIP_TAGS:
                walker.skip_subtree()
                continue
            if tag in _BLOCK_TAGS or tag == "br":
                flush()
            if tag in _BLOCK_TAGS:
                stack.append(el)
            if tag in _CELL_TAGS:
                add(" ")
            add(el.text)
        else:
            if tag in _BLOCK_TAGS:
                flush()
                stack.pop()
            if el is not root:
                add(el.tail)
    flush()
    return lines


def _common_ancestor(elements: list[Any]) -> Any:
    paths = [[*reversed(list(el.iterancestors())), el] for el in elements]
    common = None
    for level in zip(*paths, strict=False):
        if all(x is level[0] for x in level):
            common = level[0]
        else:
            break
    return common


def _matches(short: str, long: str) -> bool:
    if short == long:
        return True
    return (len(short) >= SHORT_MATCH_CHARS and short in long) or (
        len(long) >= SHORT_MATCH_CHARS and long in short
    )


def rescue(extracted: list[str], page: list[tuple[str, Any]], config: dict[str, Any]) -> list[str]:
    """Put back lines of the article's container that the extraction dropped, in their place.

    The container is the lowest element holding every long extracted line; its lines before the first
    extracted one (title, date bar) are left out, those between extracted lines put back, and up to
    ``TAIL_LINES`` short ones after the last (signature, date) until a widget line. ``page`` is
    ``block_lines`` of the page's body.
    """
    if not extracted:
        return extracted
    joined = "\n".join(_norm(line) for line in extracted)
    anchors = [el for line, el in page if len(n := _norm(line)) >= ANCHOR_CHARS and n in joined]
    if not anchors:
        return extracted
    container = _common_ancestor(anchors)
    if container is None:
        return extracted
    ours = [line for line, _ in block_lines(container)]
    n_ext = [_norm(line) for line in extracted]

    match: list[int | None] = []
    pos = 0
    for line in ours:
        n = _norm(line)
        if not n:
            match.append(-1)
        elif pos > 0 and _matches(n, n_ext[pos - 1]):
            match.append(pos - 1)
        else:
            j = next((j for j in range(pos, len(n_ext)) if _matches(n, n_ext[j])), None)
            match.append(j)
            if j is not None:
                pos = j + 1
    hits = [k for k, j in enumerate(match) if j is not None and j >= 0]
    if not hits:
        return extracted
    first, last = hits[0], hits[-1]

    out: list[str] = []
    emitted = 0
    for k, line in enumerate(ours):
        j = match[k]
        if j is not None and j >= 0:
            if j >= emitted:
                out.extend(extracted[emitted : j + 1])
                emitted = j + 1
        elif j is None and first < k < last and not is_widget(line, config):
            out.append(line)
    for k in range(last + 1, min(len(ours), last + 1 + TAIL_LINES)):
        if match[k] is not None:
            continue
        if is_widget(ours[k], config) or len(ours[k]) > TAIL_MAX_CHARS:
            break
        out.append(ours[k])
    # lines the extraction found outside the container keep their place after it
    out.extend(extracted[emitted:])
    return out


# --- 7. widgets, title --------------------------------------------------------------------------


def is_widget(line: str, config: dict[str, Any]) -> bool:
    compact = _SPACE.sub("", line)
    if len(compact) > config["widget_max_len"]:
        return False
    return any(p.fullmatch(compact) for p in config["widgets"])


def _first_body_element(body: list[str], page: list[tuple[str, Any]]) -> Any | None:
    """The element holding the first substantial body line."""
    for line in body:
        n = _norm(line)
        if len(n) >= SHORT_MATCH_CHARS:
            return next((el for text, el in page if _matches(_norm(text), n)), None)
    return None


def find_title(tree: lxml.html.HtmlElement, meta: dict[str, str], first_body: Any | None) -> str | None:
    """The report's title: ``<meta>`` ArticleTitle; else the last h1–h3 before the body (not the site's
    name); else a heading the ``<title>`` contains; else ``<title>``'s first part ("title_site")."""
    if meta.get("title"):
        return meta["title"]
    page_title = _ws(tree.findtext(".//title") or "")
    parts = [p for p in re.split(r"\s*(?:[_|｜]|--|—|–| - )\s*", page_title) if p]
    site = {_norm(p) for p in parts[1:]}
    order = {el: i for i, el in enumerate(tree.iter())}
    headings = [
        (order[el], t)
        for el in tree.iter("h1", "h2", "h3")
        if 4 <= len(t := _ws(el.text_content())) <= 100 and _norm(t) not in site
    ]
    if first_body is not None and first_body in order:
        before = [t for i, t in headings if i <= order[first_body]]
        if before:
            return before[-1]
    for _, heading in headings:
        if page_title and _norm(heading) in _norm(page_title):
            return heading
    if parts:
        return parts[0] if len(_norm(parts[0])) >= 4 else max(parts, key=len)
    return headings[0][1] if headings else None


# --- read ---------------------------------------------------------------------------------------


def read(data: bytes, source: str, doc: str, settings: Settings) -> RawDoc:
    if _text.looks_binary(data):
        raise ReadError("binary content, not an HTML page")
    config = _config(settings.data_dir)
    text, encoding = decode_html(data)
    tree = parse(text)
    meta = page_meta(tree, config)
    meta_lines = metadata_block(tree, config)
    unwrap_layout_tables(tree)
    root = tree.find("body")
    page = block_lines(root if root is not None else tree)
    body = rescue(extract_main(tree), page, config)
    if not body:
        # baseline: every line of the page; the cleaning stage strips the chrome
        body = [line for line, _ in page]
    body = [line for line in body if not is_widget(line, config)]
    if not body:
        raise ReadError("no text found in the HTML page")
    title = find_title(tree, meta, _first_body_element(body, page))
    if title:
        meta.setdefault("title", title)
        if not any(_norm(title) == _norm(line) for line in body[:TITLE_HEAD_LINES]):
            body.insert(0, title)
    return RawDoc(
        source=source,
        doc=doc,
        text="\n".join(meta_lines + body),
        format="html",
        encoding=encoding,
        meta=meta,
    )
