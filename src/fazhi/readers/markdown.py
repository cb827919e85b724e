"""Markdown: the text a reader sees, without the markup (``# 标题``, ``**一、…**``, pipe tables).

Parsed with markdown-it-py (CommonMark plus tables), then written out as plain lines the way the
other readers write them: one line per heading, paragraph or list item, the lines of a paragraph
joined (with no space between Chinese characters), and each table row as its cells joined by tabs
(the form the HTML and Word readers give a table). Links keep their text, images and HTML tags go.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..models import RawDoc, ReadError
from ..settings import Settings
from . import text as _text

_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_TAG = re.compile(r"<[^>]*>")
_CJK_END = re.compile(r"[\u3000-\u9fff\uff00-\uffef]$")
_CJK_START = re.compile(r"^[\u3000-\u9fff\uff00-\uffef]")


def _inline(token: Token) -> str:
    """An inline token's text: links keep theirs, images and HTML tags go; the lines of a paragraph
    are joined with nothing between Chinese characters, a space elsewhere."""
    lines = [""]
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            lines[-1] += child.content
        elif child.type == "softbreak":
            lines.append("")
        elif child.type == "hardbreak":
            lines[-1] += "\n"
    text = lines[0]
    for line in lines[1:]:
        glue = "" if (_CJK_END.search(text) or _CJK_START.match(line)) else " "
        text = text.rstrip() + glue + line.lstrip()
    return text


def to_text(source: str) -> str:
    """The text of a Markdown document, a line per block and a tab-joined line per table row."""
    lines: list[str] = []
    row: list[str] | None = None
    for token in _PARSER.parse(source):
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            if any(row):
                lines.append("\t".join(cell for cell in row if cell))
            row = None
        elif token.type == "inline":
            content = _inline(token).strip()
            if row is not None:
                row.append(content)
            elif content:
                lines.extend(content.split("\n"))
        elif token.type in ("fence", "code_block"):
            lines.extend(token.content.rstrip("\n").split("\n"))
        elif token.type == "html_block":
            lines.extend(t for line in token.content.split("\n") if (t := _TAG.sub("", line).strip()))
    return "\n".join(lines) + "\n"


def read(data: bytes, source: str, doc: str, settings: Settings) -> RawDoc:
    if _text.looks_binary(data):
        raise ReadError("binary content, not a text file")
    text, encoding = _text.decode(data)
    return RawDoc(source=source, doc=doc, text=to_text(text), format="md", encoding=encoding)
