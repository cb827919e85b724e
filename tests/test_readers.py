"""Readers: every form of a report (txt in any encoding, saved web page, PDF, DOCX) reads back its text.

The forms are built from examples/*.txt by tests/fixtures/make_forms.py into tmp_path. A reader must give
back every body line of the report, in order and one paragraph per line, and none of the page chrome.
"""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from fazhi.models import ReadError
from fazhi.readers import docx as docx_reader
from fazhi.readers import html as html_reader
from fazhi.readers import pdf as pdf_reader
from fazhi.readers import read_bytes, read_path
from fazhi.readers.text import check_chinese, decode
from fazhi.resources import load_yaml
from fazhi.settings import Settings
from tests.fixtures.make_forms import (
    CHROME_LINES,
    EXAMPLES,
    FONT_PACKAGE,
    GOLD_CLEAN,
    body_lines,
    compact,
    find_cjk_font,
    missing_in_order,
    split_meta,
    to_docx,
    to_html,
    to_pdf,
)

NAMES = sorted(p.stem for p in EXAMPLES.glob("*.txt"))
TRADITIONAL = "xiamen-city-2020-traditional"
TITLES = {
    "huli-district-2024": "湖里区2024年法治政府建设年度报告",
    "shishi-city-2024": "石狮市人民政府关于2024年度法治政府建设情况的报告",
    TRADITIONAL: "廈門市2020年法治政府建設情況報告",
    "xiamen-city-2024": "厦门市2024年度法治政府建设情况",
    "xiamen-justice-bureau-2024": "厦门市司法局2024年法治政府建设工作情况报告",
}
needs_font = pytest.mark.skipif(
    find_cjk_font() is None,
    reason=f"no CJK font to draw PDFs with: install the Debian package {FONT_PACKAGE}",
)


def example(name: str) -> str:
    return (EXAMPLES / f"{name}.txt").read_text(encoding="utf-8")


def expected(name: str) -> list[str]:
    """The report's body lines: the gold cleaned text, or for the traditional report (whose gold is
    converted to simplified) its own lines less the page chrome line."""
    if name == TRADITIONAL:
        return [line for line in body_lines(example(name)) if "掃一掃" not in line]
    return body_lines((GOLD_CLEAN / f"{name}.txt").read_text(encoding="utf-8"))


def assert_paragraphs(expected_lines: list[str], text: str) -> None:
    """Every expected line is there, in order, and within one line of ``text`` (not split)."""
    missing = missing_in_order(expected_lines, text)
    assert not missing, f"{len(missing)} lines missing or out of order, first: {missing[0][:60]}"
    got = [compact(line) for line in text.splitlines()]
    split = [line for line in expected_lines if not any(compact(line) in g for g in got)]
    assert not split, f"{len(split)} lines split across lines, first: {split[0][:60]}"


def assert_no_chrome(source: str, text: str) -> None:
    leaked = [c for c in CHROME_LINES if c in text and c not in source]
    assert not leaked, f"page chrome in the text: {leaked}"


# --- plain text: encodings ----------------------------------------------------------------------

ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"]


def _encodable(text: str, encoding: str) -> str:
    """``text`` less the characters ``encoding`` cannot hold (GBK lacks "•", Big5 pinyin tone marks)."""
    return "".join(c for c in text if c.encode(encoding, errors="ignore") or not c)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("name", NAMES)
def test_txt_round_trips_in_every_encoding(name: str, encoding: str) -> None:
    text = _encodable(example(name), encoding)
    assert len(text) > 0.99 * len(example(name))
    raw = read_bytes(text.encode(encoding), f"{name}.txt", name, ".txt")
    assert raw.text == text
    assert raw.format == "txt" and raw.encoding


@pytest.mark.parametrize("encoding", ["big5", "cp950"])
def test_txt_big5_round_trips_the_traditional_report(encoding: str) -> None:
    text = _encodable(example(TRADITIONAL), encoding)  # Big5 has no pinyin tone marks
    assert len(text) > 0.95 * len(example(TRADITIONAL))
    raw = read_bytes(text.encode(encoding), "t.txt", "t", ".txt")
    assert raw.text == text
    assert raw.encoding == "big5"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("一、坚持党的领导，推动法治政府建设", "gbk"),
        ("法治政府建設情況", "big5"),
        ("厦门市2024年度法治政府建设情况报告", "utf-16-le"),
        ("厦门市2024年度法治政府建设情况报告", "utf-16-be"),
    ],
)
def test_decode_short_texts(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding))[0] == text


def test_md_keeps_its_format(tmp_path) -> None:
    path = tmp_path / "report.md"
    path.write_text("# 厦门市2024年度法治政府建设情况\n\n一、坚持党的领导\n", encoding="utf-8")
    raw = read_path(path)
    assert raw.format == "md" and raw.doc == "report"


# --- check_chinese ------------------------------------------------------------------------------

SETTINGS = Settings()


@pytest.mark.parametrize("name", NAMES)
def test_check_chinese_accepts_every_example(name: str) -> None:
    check_chinese(example(name), SETTINGS)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Annual report on the construction of a government under the rule of law. " * 20, "0 Han"),
        ("1234567890 " * 50, "0 Han"),
        ("厦门市法治政府", "7 Han"),
        (
            "厦门市法治政府建设情况报告" * 2 + " The rest of this page is written in English only." * 30,
            "of its letters",
        ),
        ("", "0 Han"),
    ],
)
def test_check_chinese_rejects(text: str, reason: str) -> None:
    with pytest.raises(ReadError, match="text is not Chinese") as err:
        check_chinese(text, SETTINGS)
    assert reason in str(err.value)


def test_check_chinese_follows_settings() -> None:
    check_chinese("厦门市法治政府", Settings(min_chinese_chars=5))
    with pytest.raises(ReadError):
        check_chinese("法治 rule of law", Settings(min_chinese_chars=1, min_chinese_ratio=0.5))


# --- HTML ---------------------------------------------------------------------------------------


def _html_encoding(name: str) -> str:
    return "big5" if name == TRADITIONAL else "gbk"


@pytest.mark.parametrize("name", NAMES)
def test_html_page_reads_back_every_body_line(name: str) -> None:
    text = example(name)
    page = to_html(text, TITLES[name], encoding=_html_encoding(name))
    raw = read_bytes(page, f"{name}.html", name, ".html")
    assert raw.format == "html"
    assert_paragraphs(expected(name), raw.text)
    assert_no_chrome(text, raw.text)
    assert raw.meta["title"] == TITLES[name]


@pytest.mark.parametrize("name", NAMES)
def test_html_of_clean_text_has_no_chrome_line(name: str) -> None:
    lines = expected(name)
    page = to_html("\n".join(lines), TITLES[name], encoding="utf-8")
    raw = read_bytes(page, "p.html", "p", ".html")
    assert_paragraphs(lines, raw.text)
    assert_no_chrome("\n".join(lines), raw.text)
    assert not [
        line
        for line in raw.text.splitlines()
        if html_reader.is_widget(line, html_reader._config(SETTINGS.data_dir))
    ]


def test_html_keeps_the_metadata_block_as_label_value_lines_on_top() -> None:
    page = to_html(example("shishi-city-2024"), TITLES["shishi-city-2024"])
    raw = read_bytes(page, "s.html", "s", ".html")
    lines = raw.text.splitlines()
    assert lines[:7] == [
        "索引号:QZ05101-3000-2025-00007",
        "主题分类:应主动公开的其他政府信息",
        "发布机构:石狮市人民政府",
        "公文生成日期:2025-01-22",
        "标题:石狮市人民政府关于2024年度法治政府建设情况的报告",
        "备注/文号:狮政综〔2025〕6号",
        "发布日期:2025-01-26",
    ]
    assert raw.meta == {
        "title": "石狮市人民政府关于2024年度法治政府建设情况的报告",
        "published": "2025-01-26",
        "author": "石狮市人民政府",
    }
    # the block is not repeated as a table further down
    assert sum("QZ05101-3000-2025-00007" in line for line in lines) == 1


def test_html_metadata_block_as_a_list() -> None:
    page = (
        """<html><head><title>报告_某区政府</title></head><body>
    <div class="xxgk"><ul><li><b>索 引 号：</b><span>QZ001-2025-1</span></li><li><b>发布机构：</b>湖里区人民政府</li>
    <li><b>发布日期：</b>2025-02-01</li></ul></div>
    <div class="content"><h1>湖里区2024年法治政府建设年度报告</h1>
    """
        + "".join(f"<p>{line}</p>" for line in expected("huli-district-2024"))
        + "</div></body></html>"
    )
    raw = read_bytes(page.encode("utf-8"), "h.html", "h", ".html")
    lines = raw.text.splitlines()
    assert lines[:3] == ["索引号:QZ001-2025-1", "发布机构:湖里区人民政府", "发布日期:2025-02-01"]
    assert lines[3] == "湖里区2024年法治政府建设年度报告"
    assert_paragraphs(expected("huli-district-2024"), raw.text)


@pytest.mark.parametrize(
    ("encoding", "charset"),
    [
        ("gbk", True),
        ("gbk", False),  # no declaration
        ("gbk", "utf-8"),  # wrong declaration
        ("gbk", "iso-8859-1"),  # wrong declaration that decodes anything
        ("gb18030", "gb2312"),  # a narrower declaration than the bytes
        ("utf-8", True),
        ("utf-8", False),
        ("utf-8", "gb2312"),  # wrong declaration
        ("utf-8-sig", "gbk"),  # a BOM beats the declaration
        ("big5", True),
        ("big5", False),
        ("big5", "gbk"),  # wrong declaration
    ],
)
def test_html_charsets(encoding: str, charset: str | bool) -> None:
    name = TRADITIONAL if encoding == "big5" else "xiamen-city-2024"
    page = to_html(example(name), TITLES[name], encoding=encoding, charset=charset)
    raw = read_bytes(page, "p.html", "p", ".html")
    assert_paragraphs(expected(name), raw.text)


@pytest.mark.parametrize(
    ("head", "declared"),
    [
        (b'<meta charset="GB2312">', "gb2312"),
        (b"<meta http-equiv='Content-Type' content='text/html; charset=gbk'>", "gbk"),
        (b'<?xml version="1.0" encoding="UTF-8"?><html>', "utf-8"),
        (b'<meta charset="big5">', "big5"),
        (b'<meta charset="no-such-codec">', None),
        (b"<html><head><title>x</title>", None),
    ],
)
def test_declared_charset(head: bytes, declared: str | None) -> None:
    assert html_reader.declared_charset(head) == declared


def _variant(page: str, kind: str) -> str:
    """The same article marked up as other gov sites do."""
    if kind == "br":  # one block, lines separated by <br>
        return re.sub(r"<p[^>]*>(?:<strong>)?(.*?)(?:</strong>)?</p>", r"\1<br>", page)
    if kind == "div":
        return re.sub(r"<p([^>]*)>(.*?)</p>", r"<div\1>\2</div>", page)
    if kind == "h3":  # headings as <h3>: trafilatura tends to drop them
        return re.sub(r"<p[^>]*><strong>(.*?)</strong></p>", r"<h3>\1</h3>", page)
    if kind == "span-heading":  # headings as a styled span with an anchor
        return re.sub(
            r"<p[^>]*><strong>(.*?)</strong></p>",
            r'<p><span style="font-family:黑体"><a name="t"></a>\1</span></p>',
            page,
        )
    if kind == "layout-table":  # the article inside a layout table
        return page.replace(
            '<div class="TRS_Editor" id="zoom">',
            '<table width="100%"><tr><td class="bt_content"><div id="zoom">',
        ).replace('</div>\n<div class="tools">', '</div></td></tr></table>\n<div class="tools">')
    if kind == "row-per-paragraph":  # one table row per paragraph
        return (
            page.replace('<div class="TRS_Editor" id="zoom">', "<table><tbody>")
            .replace('</div>\n<div class="tools">', '</tbody></table>\n<div class="tools">')
            .replace("<p ", "<tr><td ")
            .replace("</p>", "</td></tr>")
        )
    if kind == "signature-outside":  # the last three lines (signature, date…) after the article's container
        end = page.index('</div>\n<div class="tools">')
        start = page.rindex("<p ", 0, page.rindex("<p ", 0, page.rindex("<p ", 0, end)))
        moved = re.sub(r"<p[^>]*>(.*?)</p>", r'<div align="right">\1</div>', page[start:end])
        return page[:start] + "</div>\n" + moved + page[end + len("</div>") :]
    raise ValueError(kind)


@pytest.mark.parametrize(
    "kind", ["br", "div", "h3", "span-heading", "layout-table", "row-per-paragraph", "signature-outside"]
)
@pytest.mark.parametrize("name", ["shishi-city-2024", "xiamen-city-2024", "xiamen-justice-bureau-2024"])
def test_html_markup_variants_keep_every_line(name: str, kind: str) -> None:
    page = to_html(example(name), TITLES[name], encoding="utf-8").decode("utf-8")
    raw = read_bytes(_variant(page, kind).encode("utf-8"), "v.html", "v", ".html")
    assert_paragraphs(expected(name), raw.text)
    assert_no_chrome(example(name), raw.text)


def test_html_short_lines_survive() -> None:
    """Numbered headings, 特此报告, signature and date: short lines extraction likes to drop."""
    page = to_html(example("shishi-city-2024"), TITLES["shishi-city-2024"], encoding="utf-8").decode("utf-8")
    short = [
        "一、聚焦政治统领,坚定法治政府正确方向",
        "六、存在问题与不足",
        "特此报告。",
        "石狮市人民政府",
        "2025年1月22日",
    ]
    for kind in ("h3", "span-heading", "signature-outside"):
        lines = read_bytes(_variant(page, kind).encode("utf-8"), "v.html", "v", ".html").text.splitlines()
        body = lines[lines.index("中共石狮市委:") :]
        for line in short:
            assert line in body, (kind, line)
        assert body[-3:] in (
            ["石狮市人民政府", "2025年1月22日", "(此件主动公开)"],
            ["(此件主动公开)", "石狮市人民政府", "2025年1月22日"],
        )


def test_rescue_puts_dropped_lines_back_in_place() -> None:
    paragraphs = [
        "一、坚持党的领导",
        "坚持把党的集中统一领导贯穿法治政府建设全过程各方面，定期召开市委常委会会议。",
        "二、持续深化改革",
        "细化落实《厦门经济特区优化营商环境条例》，实施提升版优化营商环境方案。",
        "特此报告。",
        "厦门市人民政府",
        "2025年3月4日",
    ]
    page = (
        '<html><body><div class="nav">首页 政务公开</div><div id="zoom">'
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "<p>扫一扫在手机上查看当前页面</p><p>版权所有：厦门市人民政府</p></div></body></html>"
    )
    tree = html_reader.parse(page)
    page_lines = html_reader.block_lines(tree.find("body"))
    extracted = [paragraphs[1], paragraphs[3]]  # what an extractor keeping only long lines gives
    config = html_reader._config(SETTINGS.data_dir)
    assert (
        html_reader.rescue(extracted, page_lines, config) == paragraphs[1:]
    )  # the leading heading sits before
    extracted = [paragraphs[0], paragraphs[1], paragraphs[3]]
    assert html_reader.rescue(extracted, page_lines, config) == paragraphs


def test_html_title_from_page_title_and_h1_without_meta_tags() -> None:
    lines = expected("huli-district-2024")
    page = to_html(
        "\n".join(lines), TITLES["huli-district-2024"], meta_tags=False, site="厦门市湖里区人民政府"
    )
    raw = read_bytes(page, "h.html", "h", ".html")
    assert raw.meta == {"title": TITLES["huli-district-2024"]}
    assert raw.text.splitlines()[0] == TITLES["huli-district-2024"]


def test_html_data_table_in_the_article_is_kept() -> None:
    rows = "".join(
        f"<tr><td>{a}</td><td>{b}</td></tr>"
        for a, b in [("项目", "数量"), ("行政复议案件", "120件"), ("行政诉讼案件", "85件")]
    )
    lines = expected("xiamen-city-2024")
    page = (
        "<html><head><meta charset='utf-8'><title>t</title></head><body><div class='article'>"
        + "".join(f"<p>{line}</p>" for line in lines[:6])
        + f"<table>{rows}</table>"
        + "".join(f"<p>{line}</p>" for line in lines[6:])
        + "</div></body></html>"
    )
    raw = read_bytes(page.encode("utf-8"), "t.html", "t", ".html")
    assert_paragraphs(lines, raw.text)
    assert missing_in_order(["项目\t数量", "行政复议案件\t120件", "行政诉讼案件\t85件"], raw.text) == []
    assert "项目\t数量\n行政复议案件\t120件\n行政诉讼案件\t85件" in raw.text


@pytest.mark.parametrize(
    ("line", "widget"),
    [
        ("字号：大 中 小", True),
        ("【字体：大 中 小】", True),
        ("【打印本页】【关闭窗口】", True),
        ("分享到：微信 微博", True),
        ("扫一扫在手机上查看当前页面", True),
        ("当前位置：首页 > 政务公开", True),
        ("闽ICP备05000000号-1 闽公网安备 35058102000001号", True),
        ("一、坚持党的领导，推动法治政府建设更加全面", False),
        ("特此报告。", False),
        ("2025年1月22日", False),
        ("加强网站版权所有信息管理，" + "推进政务公开标准化规范化建设。" * 3, False),
    ],
)
def test_is_widget(line: str, widget: bool) -> None:
    assert html_reader.is_widget(line, html_reader._config(SETTINGS.data_dir)) is widget


def test_chrome_html_data_file() -> None:
    data = load_yaml("chrome_html.yaml")
    assert set(data) == {"meta_tags", "metadata_labels", "widget_max_len", "widget_lines"}
    assert set(data["meta_tags"]) == {"title", "published", "author"}
    assert all(name == name.lower() for names in data["meta_tags"].values() for name in names)
    for pattern in data["widget_lines"]:
        re.compile(pattern)
    config = html_reader._config(SETTINGS.data_dir)
    body = [line for name in NAMES for line in expected(name)]
    assert not [line for line in body if html_reader.is_widget(line, config)]


def test_html_without_text_is_an_error() -> None:
    with pytest.raises(ReadError, match="no text"):
        read_bytes(
            b"<html><head><title></title></head><body><script>var a=1;</script></body></html>",
            "e.html",
            "e",
            ".html",
        )


# --- PDF ----------------------------------------------------------------------------------------


@needs_font
@pytest.mark.parametrize("name", NAMES)
def test_pdf_paragraphs_come_back_whole(name: str, tmp_path) -> None:
    text = example(name)
    path = to_pdf(text, tmp_path / f"{name}.pdf", title=TITLES[name], header="某某市人民政府文件")
    raw = read_path(path)
    assert raw.format == "pdf"
    got = [compact(line) for line in raw.text.splitlines()]
    # exactly the paragraphs: no running header, no "- N -" page number, no line split or merged
    assert got == [compact(TITLES[name])] + [compact(line) for line in body_lines(text)]
    assert_paragraphs(expected(name), raw.text)


@needs_font
@pytest.mark.parametrize("name", NAMES)
def test_pdf_flush_left_paragraphs_are_never_merged(name: str, tmp_path) -> None:
    """Without a first-line indent, a paragraph may split where a sentence ends a full line; never merge."""
    text = example(name)
    raw = read_path(to_pdf(text, tmp_path / "f.pdf", indent=False, page_numbers=True))
    assert missing_in_order(body_lines(text), raw.text) == []
    originals = [compact(line) for line in body_lines(text)]
    merged = [line for line in raw.text.splitlines() if not any(compact(line) in o for o in originals)]
    assert not merged


@needs_font
def test_pdf_metadata(tmp_path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("cjk", fname=str(find_cjk_font()))
    pdf.set_title("厦门市2024年度法治政府建设情况")
    pdf.set_author("厦门市人民政府")
    pdf.set_creation_date(datetime(2025, 3, 4, 17, 51))
    pdf.add_page()
    pdf.set_font("cjk", size=14)
    pdf.multi_cell(0, 8, expected("xiamen-city-2024")[1])
    pdf.output(str(tmp_path / "m.pdf"))
    raw = read_path(tmp_path / "m.pdf")
    assert raw.meta == {
        "title": "厦门市2024年度法治政府建设情况",
        "author": "厦门市人民政府",
        "created": "2025-03-04",
    }


def _line(text: str, x0: float, x1: float, top: float, page: int = 0, size: float = 14) -> pdf_reader.Line:
    return pdf_reader.Line(text=text, x0=x0, x1=x1, top=top, size=size, first_width=size, page=page)


def test_pdf_paragraph_rules() -> None:
    """Lines fill 70..520 at size 14: full lines continue, headings / indented / after-short lines start."""
    lines = [
        _line("一、坚持党的领导", 98, 210, 100),  # heading, short
        _line("坚持把党的集中统一领导贯穿法治政府建设全过程各方面。党政主要负责同志认真履", 98, 520, 122),
        _line("行推进法治建设第一责任人职责，定期召开市委常委会会议、市政府常务会议和市", 70, 519, 144),
        _line("委依法治市委会议。", 70, 196, 166),  # short: the paragraph ends
        _line("（一）深化改革。细化落实《厦门经济特区优化营商环境条例》，实施提升版优化营", 98, 520, 188),
        _line("商环境方案。城市综合信用指数保持全国第一，关地协同集成化改革入选全国优化。", 70, 520, 210),
        _line("营商环境创新实践十大案例，大力推进海丝中央法务区厦门片区建设，推动最高人", 70, 520, 232),
        _line("1.坚持问题导向，持续深化改革", 70, 300, 254),  # heading number, not indented
        _line("厦门市人民政府", 420, 520, 300),  # right-aligned signature
        _line("2025年3月4日", 430, 520, 322),
    ]
    assert pdf_reader.paragraphs([lines]) == [
        "一、坚持党的领导",
        lines[1].text + lines[2].text + lines[3].text,
        lines[4].text + lines[5].text + lines[6].text,  # full line ending in 。 continues: the doc indents
        "1.坚持问题导向，持续深化改革",
        "厦门市人民政府",
        "2025年3月4日",
    ]


def test_pdf_paragraphs_continue_across_pages() -> None:
    page1 = [
        _line("坚持把党的集中统一领导贯穿法治政府建设全过程各方面。党政主要负责同志认真履", 98, 520, 700),
        _line("行推进法治建设第一责任人职责，定期召开市委常委会会议、市政府常务会议和市", 70, 520, 722),
    ]
    page2 = [
        _line("委依法治市委会议。", 70, 196, 80, page=1),
        _line("二、持续深化改革", 98, 210, 102, page=1),
    ]
    assert pdf_reader.paragraphs([page1, page2]) == [
        page1[0].text + page1[1].text + page2[0].text,
        "二、持续深化改革",
    ]


def test_pdf_flush_left_full_line_ending_a_sentence_ends_the_paragraph() -> None:
    lines = [
        _line("坚持把党的集中统一领导贯穿法治政府建设全过程各方面。党政主要负责同志认真履", 70, 520, 100),
        _line("行推进法治建设第一责任人职责，定期召开市委常委会会议、市政府常务会议会议。", 70, 520, 122),
        _line("细化落实《厦门经济特区优化营商环境条例》。", 70, 330, 144),
        _line("关地协同集成化改革入选全国优化营商环境创新实践十大案例。", 70, 430, 166),
    ]
    assert pdf_reader.paragraphs([lines]) == [lines[0].text + lines[1].text, lines[2].text, lines[3].text]


@pytest.mark.parametrize("number", ["- 3 -", "— 12 —", "第3页", "第 3 页 共 9 页", "3", "3/9", "Page 3 of 9"])
def test_pdf_page_number_lines_are_dropped(number: str) -> None:
    body = [_line(f"第{i}行正文内容，推进法治政府建设。", 70, 400, 100 + 22 * i) for i in range(6)]
    pages = [[*body, _line(number, 280, 310, 800)]]
    assert pdf_reader.drop_furniture(pages) == [body]


def test_pdf_repeated_header_and_footer_are_dropped_but_not_body_lines() -> None:
    text = "".join(expected("xiamen-city-2024"))
    pages = []
    for p in range(4):
        body = [
            _line(text[(p * 6 + i) * 20 : (p * 6 + i + 1) * 20], 70, 400, 100 + 22 * i, page=p)
            for i in range(6)
        ]
        header = _line("厦门市人民政府文件", 200, 380, 50, page=p)
        footer = _line(f"厦门市人民政府 第{p + 1}页", 200, 380, 800, page=p)
        pages.append([header, *body, footer])
    out = pdf_reader.drop_furniture(pages)
    assert [[line.text for line in page] for page in out] == [
        [line.text for line in page[1:-1]] for page in pages
    ]


# --- DOCX ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_docx_paragraphs_in_order(name: str, tmp_path) -> None:
    text = example(name)
    path = to_docx(
        text, tmp_path / f"{name}.docx", title=TITLES[name], author="某某", created=datetime(2025, 1, 22, 9)
    )
    raw = read_path(path)
    assert raw.format == "docx"
    assert raw.text.splitlines() == body_lines(text)
    assert raw.meta == {"title": TITLES[name], "author": "某某", "created": "2025-01-22"}
    assert_paragraphs(expected(name), raw.text)


def test_docx_metadata_table_comes_first_as_label_value_lines(tmp_path) -> None:
    text = example("shishi-city-2024")
    raw = read_path(to_docx(text, tmp_path / "s.docx", meta_table=True))
    meta, body = split_meta(text)
    lines = raw.text.splitlines()
    assert lines[: len(meta)] == [f"{label}：{value}" for label, value in meta.items()]
    assert lines[len(meta) :] == body


def test_docx_tables_rows_cells_nested_and_layout(tmp_path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("一、主要指标")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [("项目", "2023年", "2024年"), ("行政复议案件", "98件", "120件"), ("出庭应诉率", "98.3%", "99.81%")]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    inner = table.cell(2, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "其中：行政机关"
    inner.cell(0, 1).text = "88件"
    layout = document.add_table(rows=2, cols=1)
    layout.cell(0, 0).text = "二、下一步工作"
    layout.cell(1, 0).paragraphs[0].text = "持续深化改革。"
    layout.cell(1, 0).add_paragraph("加强法治人才培养。")
    document.add_paragraph("特此报告。")
    document.save(str(tmp_path / "t.docx"))
    assert read_path(tmp_path / "t.docx").text.splitlines() == [
        "一、主要指标",
        "项目\t2023年\t2024年",
        "行政复议案件\t98件\t120件",
        "出庭应诉率\t98.3%",
        "99.81%",
        "其中：行政机关\t88件",
        "二、下一步工作",
        "持续深化改革。",
        "加强法治人才培养。",
        "特此报告。",
    ]


def test_docx_line_breaks_tracked_changes_and_text_boxes(tmp_path) -> None:
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    p = document.add_paragraph("厦门市人民政府")
    p.add_run().add_break()
    p.add_run("2025年3月4日")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    tracked = parse_xml(
        f"<w:p {w}><w:r><w:t>办理案件</w:t></w:r><w:ins w:id='1' w:author='a'><w:r><w:t>120</w:t></w:r></w:ins>"
        f"<w:del w:id='2' w:author='a'><w:r><w:delText>100</w:delText></w:r></w:del><w:r><w:t>件。</w:t></w:r></w:p>"
    )
    document.element.body.insert(len(document.element.body) - 1, tracked)
    document.save(str(tmp_path / "b.docx"))
    assert read_path(tmp_path / "b.docx").text.splitlines() == [
        "厦门市人民政府",
        "2025年3月4日",
        "办理案件120件。",
    ]


def test_docx_automatic_list_numbers_are_written_out(tmp_path) -> None:
    """Headings numbered by Word (numbering.xml), not typed: 一、（一）1. must still lead the line."""
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    numbering = document.part.numbering_part.element
    levels = [
        ("chineseCounting", "%1、"),
        ("chineseCounting", "（%2）"),
        ("decimal", "%3."),
        ("bullet", "\uf0b7"),
    ]
    numbering.insert(
        0,
        parse_xml(
            f'<w:abstractNum {w} w:abstractNumId="90">'
            + "".join(
                f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
                for i, (fmt, text) in enumerate(levels)
            )
            + "</w:abstractNum>"
        ),
    )
    numbering.append(parse_xml(f'<w:num {w} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int) -> None:
        p = document.add_paragraph(text)
        p._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {w}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )

    numbered("坚持党的领导", 0)
    numbered("加强学习", 1)
    numbered("组织培训12次", 2)
    numbered("开展述法", 2)
    numbered("压实责任", 1)
    numbered("深化改革", 0)
    numbered("优化营商环境", 1)
    numbered("要点", 3)
    document.add_paragraph("依法行政", style="List Number")  # numbered through its style
    document.save(str(tmp_path / "n.docx"))
    assert read_path(tmp_path / "n.docx").text.splitlines() == [
        "一、坚持党的领导",
        "（一）加强学习",
        "1.组织培训12次",
        "2.开展述法",
        "（二）压实责任",
        "二、深化改革",
        "（一）优化营商环境",
        "要点",
        "1.依法行政",
    ]


@pytest.mark.parametrize(
    ("n", "fmt", "shown"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (12, "chineseCountingThousand", "十二"),
        (21, "chineseCounting", "二十一"),
        (3, "chineseLegalSimplified", "叁"),
        (2, "ideographTraditional", "乙"),
        (3, "decimalEnclosedCircle", "③"),
        (4, "upperRoman", "IV"),
        (2, "lowerLetter", "b"),
        (7, "decimal", "7"),
        (7, "somethingNew", "7"),
    ],
)
def test_docx_number_formats(n: int, fmt: str, shown: str) -> None:
    assert docx_reader.format_number(n, fmt) == shown


MARKDOWN_REPORT = """# 六安市金安区2024年法治政府建设工作情况报告

2024年，金安区坚持以习近平法治思想为指导，
统筹推进法治政府建设。现将有关情况报告如下。

**一、2024年法治政府建设主要做法和成效**

**一是强化党的领导。** 主持召开区政府常务会议研究法治议题8个，开展会前学法10次。
详见[工作台账](http://example.com/a.html)。![图](a.png)

## 二、存在的不足

- 执法力量不足；
- 案卷评查中不合格案卷占比4.2%。

六安市金安区人民政府

2025年3月28日

**附件**

| 序号 | 项目 | 数量 | 备注 |
| --- | --- | --- | --- |
| 1 | 行政处罚案件 | 2364件 | 同比下降6.1% |
| 2 | 罚没款 | 1873万元 | |
"""


def test_markdown_is_read_as_its_text_without_markup() -> None:
    raw = read_bytes(MARKDOWN_REPORT.encode("utf-8"), "r.md", "r", ".md")
    assert raw.format == "md"
    assert raw.text.splitlines() == [
        "六安市金安区2024年法治政府建设工作情况报告",
        "2024年，金安区坚持以习近平法治思想为指导，统筹推进法治政府建设。现将有关情况报告如下。",
        "一、2024年法治政府建设主要做法和成效",
        "一是强化党的领导。 主持召开区政府常务会议研究法治议题8个，开展会前学法10次。详见工作台账。",
        "二、存在的不足",
        "执法力量不足；",
        "案卷评查中不合格案卷占比4.2%。",
        "六安市金安区人民政府",
        "2025年3月28日",
        "附件",
        "序号\t项目\t数量\t备注",
        "1\t行政处罚案件\t2364件\t同比下降6.1%",
        "2\t罚没款\t1873万元",
    ]


def test_a_markdown_report_gets_its_outline_signature_and_table_facts() -> None:
    from fazhi.pipeline import process

    doc = process(read_bytes(MARKDOWN_REPORT.encode("utf-8"), "r.md", "r", ".md"))
    assert doc.title == "六安市金安区2024年法治政府建设工作情况报告"
    assert doc.published == "2025-03-28"
    assert [(s.number, s.heading, s.element) for s in doc.sections] == [
        ("一", "2024年法治政府建设主要做法和成效", "achievements"),
        ("二", "存在的不足", "shortcomings"),
    ]
    facts = {f.surface: f.subject for f in doc.facts}
    assert facts["2364件"] == "行政处罚案件"
    assert facts["1873万元"] == "罚没款"
