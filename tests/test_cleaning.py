from __future__ import annotations

import pytest

from fazhi.cleaning import clean, detect_script, is_chrome, normalise_width, read_meta_line, remove_pinyin
from fazhi.models import RawDoc
from fazhi.readers import read_bytes

from .conftest import DOCS, EXAMPLES, GOLD


def raw(text: str) -> RawDoc:
    return RawDoc(source="t", doc="t", text=text, format="txt")


@pytest.mark.parametrize("doc", DOCS)
def test_examples_clean_to_gold_text(doc: str) -> None:
    cleaned = clean(raw((EXAMPLES / f"{doc}.txt").read_text(encoding="utf-8")))
    assert cleaned.text == (GOLD / "clean" / f"{doc}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "line",
    [
        "• |",
        "• EN |",
        "移动版",
        "闽政通APP",
        "网站支持IPV6",
        "当前位置:首页 / 最新通告",
        "当前位置：首页 > 政务公开 > 法治政府",
        "字号：大 中 小",
        "【字体：大 中 小】",
        "打印本页",
        "【打印本页】 【关闭窗口】",
        "关闭窗口",
        "扫一扫在手机上查看当前页面",
        "掃一掃在手機上查看當前頁面",
        "分享到：微信 微博 QQ空间",
        "版权所有：厦门市人民政府办公厅",
        "闽ICP备05003362号-1",
        "网站标识码：3502000001",
        "主办单位：石狮市人民政府办公室",
        "上一篇：关于印发某某的通知",
        "相关链接",
        "相关链接：浙江省人民政府　湖州市人民政府　中国政府网",
    ],
)
def test_chrome_lines_are_recognised(line: str) -> None:
    assert is_chrome(line)


@pytest.mark.parametrize(
    "line",
    [
        "一、坚持党的领导,推动法治政府建设更加全面",
        "石狮市人民政府",
        "特此报告。",
        "相关新闻媒体报道了我市的做法。",
        "2025年1月22日",
        "(此件主动公开)",
        "中共石狮市委:",
        "深化行政复议应诉工作。审查行政复议申请590件,复议案件登记率及依法受理率均为100%。",
        "优化官方网站和微信公众号功能,利用抖音、快手等平台,以生动有趣的形式吸引更多年轻群体关注法治宣传。",
        "推广“闽政通”APP等平台",
    ],
)
def test_body_lines_are_not_chrome(line: str) -> None:
    assert not is_chrome(line)


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("高素質(zhì)高顏值現(xiàn)代化", "高素質高顏值現代化"),
        ("創(chuàng)新發(fā)展", "創新發展"),
        ("臺(tái)賬", "臺賬"),
        ("調(diào)解", "調解"),
        ("人民網(wǎn g)、報", "人民網、報"),  # letters spaced out by a PDF text layer
        ("着(zhe)力", "着力"),  # a toneless syllable of two letters or more
        ("法治政府建设实施方案(2021-2025年)", "法治政府建设实施方案(2021-2025年)"),
        ("“i石狮”亲清平台(app)上线", "“i石狮”亲清平台(app)上线"),
        ("三项制度(a)", "三项制度(a)"),
        ("第(一)项", "第(一)项"),
        ("平台（ABC）", "平台（ABC）"),
    ],
)
def test_pinyin_annotations_removed_real_parentheses_kept(src: str, expected: str) -> None:
    assert remove_pinyin(src) == expected


def test_traditional_is_detected_and_converted() -> None:
    cleaned = clean(
        raw(
            "在省委、省政府的正確領導下，我市以習近平新時代中國特色社會主義思想為指導，深入學習貫徹黨的十九大精神。"
        )
    )
    assert cleaned.script == "traditional"
    assert "在省委、省政府的正确领导下，我市以习近平新时代中国特色社会主义思想为指导" in cleaned.text
    assert (
        detect_script("在省委、省政府的正确领导下，我市以习近平新时代中国特色社会主义思想为指导")
        == "simplified"
    )


def test_full_width_forms_are_normalised_chinese_punctuation_kept() -> None:
    assert normalise_width("出庭应诉率９９．８１％，共１２３件ＡＰＰ") == "出庭应诉率99.81%，共123件APP"
    assert normalise_width("一、　坚持（一）。") == "一、 坚持（一）。"
    # a full-width point between a list number and a year is the list's, not a decimal point
    assert normalise_width("附件：１．２０２４年度执法统计表") == "附件：1．2024年度执法统计表"


@pytest.mark.parametrize(
    ("line", "field", "value", "rest"),
    [
        ("- 索 引 号:QZ05101-3000-2025-00007", "index_number", "QZ05101-3000-2025-00007", ""),
        ("发布机构：石狮市人民政府", "publisher", "石狮市人民政府", ""),
        ("- 备注/文号:狮政综〔2025〕6号", "doc_number", "狮政综〔2025〕6号", ""),
        ("发布日期：2025-01-26", "published", "2025-01-26", ""),
        ("【发布时间】：2025年3月4日", "published", "2025年3月4日", ""),
        (
            "发表时间 : 2025-03-18 16:56:432024年以来,在市委市政府的正确领导下,市司法局坚持",
            "published",
            "2025-03-18 16:56:43",
            "2024年以来,在市委市政府的正确领导下,市司法局坚持",
        ),
    ],
)
def test_metadata_lines_are_read(line: str, field: str, value: str, rest: str) -> None:
    assert read_meta_line(line) == (field, value, rest)


def test_metadata_lines_leave_text_and_title_is_kept() -> None:
    text = "索引号：001\n标题：某县2023年法治政府建设情况报告\n发布日期：2024-03-01\n2023年，某县坚持依法行政。\n"
    cleaned = clean(raw(text))
    assert cleaned.text == "某县2023年法治政府建设情况报告\n2023年，某县坚持依法行政。\n"
    assert cleaned.meta == {
        "index_number": "001",
        "title": "某县2023年法治政府建设情况报告",
        "published": "2024-03-01",
    }


def test_a_line_of_several_fields_gives_each() -> None:
    text = "某县2024年度法治政府建设情况的报告\n来源：某县司法局　发布时间：2025-03-28 10:30　浏览次数：1268\n2024年，某县坚持依法行政。\n"
    cleaned = clean(raw(text))
    assert cleaned.text == "某县2024年度法治政府建设情况的报告\n2024年，某县坚持依法行政。\n"
    assert cleaned.meta == {"source_name": "某县司法局", "published": "2025-03-28 10:30"}
    # widgets after the fields go too; a field with a value pattern is cut at the next label
    text = (
        "某局2024年法治政府建设工作报告\n索引号：11320583MB1234567X/2025-00012    文号：昆市监〔2025〕18号\n"
        "来源：某区人民政府网站    发布时间：2025-03-27 10:15    浏览次数：1024    字号：大 中 小\n全年办理案件30件。\n"
    )
    cleaned = clean(raw(text))
    assert cleaned.text == "某局2024年法治政府建设工作报告\n全年办理案件30件。\n"
    assert cleaned.meta == {
        "index_number": "11320583MB1234567X/2025-00012",
        "doc_number": "昆市监〔2025〕18号",
        "source_name": "某区人民政府网站",
        "published": "2025-03-27 10:15",
    }


def test_a_bare_document_number_above_the_body_is_read() -> None:
    text = "某区人民政府\n区政府〔2025〕12号\n关于2024年度法治政府建设情况的报告\n2024年以来，某区依法收到〔2024〕3号文件。\n"
    cleaned = clean(raw(text))
    assert cleaned.meta == {"doc_number": "区政府〔2025〕12号"}
    assert "区政府〔2025〕12号" not in cleaned.text and "〔2024〕3号文件" in cleaned.text


def test_page_date_line_is_read_not_kept() -> None:
    cleaned = clean(raw("某市2024年度法治政府建设情况\n2025-03-04 17:51 字号:\n2024年，某市坚持依法行政。"))
    assert cleaned.page_date == "2025-03-04"
    assert "字号" not in cleaned.text and "17:51" not in cleaned.text


@pytest.mark.parametrize(
    "line",
    [
        "首页 | 走进沂南 | 政务公开 | 政务服务 | 互动交流",
        "字号：大 中 小　　打印本页　　关闭窗口",
        "【字号：大 中 小】【打印】【关闭】",
    ],
)
def test_navigation_bars_and_widget_rows_are_chrome(line: str) -> None:
    assert is_chrome(normalise_width(line).strip())


def test_site_name_above_the_title_is_page_header_but_a_signature_stays() -> None:
    text = "沂南县人民政府\n沂南县人民政府关于2023年度法治政府建设情况的报告\n2023年，沂南县坚持依法行政。\n沂南县人民政府\n2024年3月28日\n"
    assert clean(raw(text)).text == (
        "沂南县人民政府关于2023年度法治政府建设情况的报告\n2023年，沂南县坚持依法行政。\n沂南县人民政府\n2024年3月28日\n"
    )


def test_metadata_value_glued_to_the_body() -> None:
    line = "文号：沂南政字〔2024〕11号2023年，沂南县坚持以习近平新时代中国特色社会主义思想为指导。"
    assert read_meta_line(line) == (
        "doc_number",
        "沂南政字〔2024〕11号",
        "2023年，沂南县坚持以习近平新时代中国特色社会主义思想为指导。",
    )
    assert read_meta_line("索引号：11371321004348219Y/2024-0003162") == (
        "index_number",
        "11371321004348219Y/2024-0003162",
        "",
    )


def test_a_pages_related_links_and_download_link_are_not_report_text() -> None:
    page = (
        "<html><body><div id='zoom'><h1>某县2024年法治政府建设情况报告</h1>"
        "<p>全县办理行政处罚案件5937件，调解矛盾纠纷1.12万件。</p>"
        "<p>某县人民政府</p><p>2025年3月26日</p></div>"
        "<div class='fj'>附件：<a href='/a.pdf'>某县2024年度法治政府建设情况报告.pdf</a></div>"
        "<div class='xgxx'><h3>相关信息</h3><ul>"
        "<li><a href='/1.html'>某县2023年度法治政府建设情况报告</a><span>2024-03-29</span></li>"
        "<li><a href='/2.html'>某县2022年度法治政府建设情况报告</a><span>2023-03-30</span></li>"
        "</ul></div></body></html>"
    )
    cleaned = clean(read_bytes(page.encode("utf-8"), "t.html", "t", ".html"))
    assert cleaned.text == (
        "某县2024年法治政府建设情况报告\n全县办理行政处罚案件5937件，调解矛盾纠纷1.12万件。\n"
        "某县人民政府\n2025年3月26日\n"
    )


@pytest.mark.parametrize("line", ["上一篇：某区2023年度法治政府建设情况报告", "相关阅读", "推荐阅读："])
def test_the_previous_next_and_related_lines_end_the_article(line: str) -> None:
    text = (
        f"某区2024年度法治政府建设情况报告\n2024年，某区坚持依法行政。\n{line}\n某区2022年报告\n2023-03-30\n"
    )
    assert clean(raw(text)).text == "某区2024年度法治政府建设情况报告\n2024年，某区坚持依法行政。\n"


def test_related_words_in_the_body_do_not_end_it() -> None:
    text = "某区2024年度法治政府建设情况报告\n相关信息公开及时。\n上一篇文章之后，某区坚持依法行政。\n"
    assert clean(raw(text)).text == text
