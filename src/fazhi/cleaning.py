"""Cleaning: ``RawDoc`` -> cleaned, simplified text plus the metadata lines found in it.

Steps, in order (each a small function, each tested on its own):
1. normalise line breaks, full-width digits/letters/％/spaces (Chinese punctuation is kept);
2. in plain text, drop page numbers and running headers and join hard-wrapped lines (fazhi.layout);
3. remove pinyin annotations that conversion sites put after polyphonic characters: 質(zhì);
4. convert traditional script to simplified with OpenCC, recording the original script;
5. go line by line: drop web chrome (data/chrome.yaml), read metadata lines (data/metadata_labels.tsv)
   into ``meta`` and out of the text, drop empty lines; stop at a line that closes a web page's article
   (相关信息, 上一篇：…: chrome.yaml ``page_end``), and drop a trailing 附件 label whose links were chrome;
6. if the page's metadata named a title that the text does not show near its top, put it first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .layout import drop_page_furniture, unwrap
from .metadata import looks_like_title
from .models import RawDoc
from .resources import load_lines, load_tsv, load_yaml

# Formats whose line breaks may be a page's: hard-wrapped lines, page numbers (see fazhi.layout). The
# Markdown reader joins a paragraph's lines itself, as the PDF, HTML and Word readers do.
PLAIN_FORMATS = ("txt",)
# Share of Han characters that OpenCC's t2s changes above which a text is taken as traditional.
TRADITIONAL_THRESHOLD = 0.03
# How many leading characters decide the script (a report is in one script throughout).
SCRIPT_SAMPLE = 2000
# How many leading lines a title or a page date line may sit in.
HEAD_LINES = 8

_FULLWIDTH = {i: i - 0xFEE0 for i in range(0xFF10, 0xFF1A)}  # ０-９
_FULLWIDTH.update({i: i - 0xFEE0 for i in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_FULLWIDTH.update({i: i - 0xFEE0 for i in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_FULLWIDTH.update({0xFF05: ord("%"), 0x3000: ord(" "), 0x00A0: ord(" "), 0x2002: ord(" "), 0x2003: ord(" ")})
_FULLWIDTH.update({0x200B: None, 0xFEFF: None, 0x200C: None, 0x200D: None})  # zero-width characters
_NEEDS_WIDTH = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_FULLWIDTH)) + "]+")
_DIGIT_DOT = re.compile(r"(?<=\d)[．・](?=\d)(?!(?:19|20)\d\d年)")  # not 1．2024年: a list item

_TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_PY = "[a-z" + _TONE_VOWELS + "]"
_PINYIN = re.compile(r"[(（](?<=[\u3400-\u9fff][(（])\s*(" + _PY + r"(?: ?" + _PY + r"){0,6})\s*[)）]")
_TONE_STRIP = str.maketrans(
    {
        **{c: "aeiouv"[i // 4] for i, c in enumerate("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ")},
        "ü": "v",
        "ń": "n",
        "ň": "n",
        "ǹ": "n",
        "ḿ": "m",
    }
)

_DATE_TIME = re.compile(
    r"(?P<date>(19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)(\s*\d{1,2}:\d{2}(:\d{2})?)?"
)


@dataclass
class Cleaned:
    text: str
    script: str  # "simplified" or "traditional" (of the raw text)
    meta: dict[str, str] = field(default_factory=dict)  # field -> value from metadata lines
    page_date: str | None = None  # a bare date/time line at the top of a web page


def normalise_width(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    if _NEEDS_WIDTH.search(text):  # translate() with a dict is slow: only when there is work
        text = _NEEDS_WIDTH.sub(lambda m: m.group(0).translate(_FULLWIDTH), text)
    return _DIGIT_DOT.sub(".", text)


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    return frozenset(load_lines("pinyin_syllables.txt"))


def remove_pinyin(text: str) -> str:
    """Drop ``(zhì)`` after a Han character when it is one pinyin syllable; real parentheses stay."""
    syllables = _syllables()

    def repl(m: re.Match[str]) -> str:
        word = m.group(1).replace(" ", "")  # PDF text layers may space out letters: (wǎn g)
        toneless = word.translate(_TONE_STRIP)
        has_tone = toneless != word
        if toneless in syllables and (has_tone or len(word) > 1):
            return ""
        return m.group(0)

    if "(" not in text and "（" not in text:
        return text
    return _PINYIN.sub(repl, text)


@lru_cache(maxsize=2)
def _converter(config: str):  # noqa: ANN202 - opencc has no type stubs
    import opencc

    return opencc.OpenCC(config)


_HAN = re.compile(r"[\u4e00-\u9fff]+")  # runs: counted by their lengths
_SENTENCE_MARK = re.compile(r"[。！？!?；;]")


@lru_cache(maxsize=1)
def _traditional_chars() -> re.Pattern[str]:
    """The characters OpenCC's t2s changes: traditional forms. Derived from OpenCC once per process."""
    block = "".join(chr(c) for c in range(0x4E00, 0xA000))
    converted = _converter("t2s").convert(block)
    changed = (
        (a for a, b in zip(block, converted, strict=False) if a != b) if len(converted) == len(block) else ()
    )
    return re.compile("[" + "".join(changed) + "]+")


def detect_script(text: str) -> str:
    sample = text[:SCRIPT_SAMPLE]
    traditional = sum(map(len, _traditional_chars().findall(sample)))
    if not traditional:
        return "simplified"
    han = sum(map(len, _HAN.findall(sample)))
    return "traditional" if traditional / han > TRADITIONAL_THRESHOLD else "simplified"


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text)


@lru_cache(maxsize=1)
def _chrome() -> tuple[int, re.Pattern[str], re.Pattern[str]]:
    spec = load_yaml("chrome.yaml")
    pattern = re.compile("|".join(f"(?:{p})" for p in spec["lines"]))
    tokens = sorted(spec["widget_tokens"], key=len, reverse=True)
    widgets = re.compile(r"(?:[\s【】\[\]:：|｜/]|" + "|".join(map(re.escape, tokens)) + ")+")
    return int(spec["max_len"]), pattern, widgets


def is_chrome(line: str) -> bool:
    max_len, pattern, widgets = _chrome()
    if len(line) > max_len:
        return False
    return pattern.fullmatch(line) is not None or (len(line) > 1 and widgets.fullmatch(line) is not None)


@lru_cache(maxsize=1)
def _page_end() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in load_yaml("chrome.yaml")["page_end"]))


def ends_page(line: str) -> bool:
    """A line after which a web page shows its own links (相关信息, 上一篇：…), not the report."""
    return len(line) <= _chrome()[0] and _page_end().fullmatch(line) is not None


_BARE_ATTACHMENT = re.compile(r"附件\s*[:：]?")  # a label left with nothing after it


def _drop_page_header(lines: list[str]) -> list[str]:
    """Short lines above the report's title are the page's header (the site's name)."""
    limit = load_yaml("chrome.yaml")["header_max_len"]
    for k, line in enumerate(lines[:HEAD_LINES]):
        if looks_like_title(line):
            head = lines[:k]
            if all(len(h) <= limit and not _SENTENCE_MARK.search(h) for h in head):
                return lines[k:]
            break
    return lines


@lru_cache(maxsize=1)
def _label_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    fields: dict[str, str] = {}
    alts = []
    for row in sorted(load_tsv("metadata_labels.tsv"), key=lambda r: -len(r["label"])):
        label = row["label"]
        fields[label] = row["field"]
        alts.append(r"\s*".join(re.escape(ch) for ch in label))
    pattern = re.compile(r"^[-•·*\s]*【?(?P<label>" + "|".join(alts) + r")】?\s*[:：]\s*(?P<value>.*)$")
    return pattern, fields


@lru_cache(maxsize=1)
def _next_label() -> re.Pattern[str]:
    """Where the next label of a line of several starts (来源：X　发布时间：…)."""
    _, fields = _label_pattern()
    alts = [r"\s*".join(re.escape(ch) for ch in label) for label in sorted(fields, key=len, reverse=True)]
    return re.compile(r"\s+【?(?:" + "|".join(alts) + r")】?\s*[:：]")


@lru_cache(maxsize=1)
def _value_patterns() -> dict[str, re.Pattern[str]]:
    return {k: re.compile(v) for k, v in load_yaml("metadata.yaml")["value_patterns"].items()}


def read_meta_line(line: str) -> tuple[str, str, str] | None:
    """``索 引 号:QZ05101`` -> (field, value, rest of the line that is body text)."""
    pattern, fields = _label_pattern()
    m = pattern.match(line)
    if not m:
        return None
    label = re.sub(r"\s+", "", m.group("label"))
    name = fields[label]
    value = m.group("value").strip()
    following = ""  # the next field of a line of several (来源：X　发布时间：…): the caller reads it next
    if nxt := _next_label().search(value):
        value, following = value[: nxt.start()].strip(), value[nxt.start() :].strip()
    rest = ""
    value_pattern = _value_patterns().get(name)
    if value_pattern is not None:
        v = value_pattern.match(value)
        if v is None:
            if following:
                return name, "", following
            return None if name in ("published", "written") else (name, value, "")
        rest = value[v.end() :].strip()
        value = v.group(0).strip()
        if len(rest) < 20:  # widgets after the value (字号, 来源: …) are not body
            rest = ""
    elif name in ("source_name", "author_name", "note") and len(value) > 40:
        return None  # a body sentence that happens to start with 来源: is not metadata
    return name, value, following or rest


def _all_chrome(line: str) -> bool:
    """A line of page widgets spaced apart (浏览次数：1024　字号：大 中 小)."""
    pieces = [p for p in re.split(r"\s{2,}|\u3000", line) if p.strip()]
    return bool(pieces) and all(is_chrome(p.strip()) for p in pieces)


@lru_cache(maxsize=1)
def _doc_number_line() -> re.Pattern[str]:
    return re.compile(load_yaml("metadata.yaml")["doc_number_line"])


def _page_date_line(line: str) -> str | None:
    """A web page's bare date line (``2025-03-04 17:51 字号:``): the date, else None."""
    m = _DATE_TIME.match(line)
    if not m:
        return None
    rest = line[m.end() :].strip()
    if (
        rest
        and not is_chrome(rest)
        and not re.fullmatch(r"(来源|信息来源|作者|浏览次数|访问量)[:：].{0,30}", rest)
    ):
        return None
    return m.group("date").strip()


_CLAUSE_MARK = re.compile("[，,、；;]")  # a title has none; the first lines of a paragraph often do


def _stands_alone(k: int, line: str) -> bool:
    """A line that no hard-wrapped line continues: a title at the top, a document number, a metadata line."""
    return (
        (k < HEAD_LINES and looks_like_title(line) and not _CLAUSE_MARK.search(line))
        or bool(_doc_number_line().fullmatch(line))
        or read_meta_line(line) is not None
    )


def clean(raw: RawDoc) -> Cleaned:
    text = normalise_width(raw.text)
    if raw.format in PLAIN_FORMATS:  # first: a wrap may fall inside a pinyin annotation; other readers
        # rebuild paragraphs themselves
        text = "\n".join(unwrap(drop_page_furniture(text.split("\n")), _stands_alone))
    text = remove_pinyin(text)
    script = detect_script(text)
    if script == "traditional":
        text = to_simplified(text)
    meta: dict[str, str] = {}
    page_date: str | None = None
    body_started = False  # a page's date line stands above the body, never after it
    out: list[str] = []
    for raw_line in text.split("\n"):
        line = raw_line.strip()
        if body_started and ends_page(line):
            break
        if not line or is_chrome(line):
            continue
        found = read_meta_line(line)
        if found is not None:
            while found is not None:  # a line may hold several fields: 来源：X　发布时间：…
                name, value, line = found
                if value:
                    meta.setdefault(name, value)
                found = read_meta_line(line) if line else None
            if not line or _all_chrome(line):
                continue
        elif page_date is None and not body_started and (d := _page_date_line(line)):
            page_date = d
            continue
        elif not body_started and "doc_number" not in meta and _doc_number_line().fullmatch(line):
            meta["doc_number"] = line  # 区政府〔2025〕12号 above the title, with no 文号 label
            continue
        out.append(line)
        body_started = body_started or len(out) >= HEAD_LINES or bool(_SENTENCE_MARK.search(line))
    while out and _BARE_ATTACHMENT.fullmatch(out[-1]):  # its download links were chrome
        out.pop()
    out = _drop_page_header(out)
    title = meta.get("title")
    if title and not any(title in line for line in out[:HEAD_LINES]):
        out.insert(0, title)
    cleaned = "\n".join(out)
    return Cleaned(text=cleaned + "\n" if cleaned else "", script=script, meta=meta, page_date=page_date)
