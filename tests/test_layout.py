from __future__ import annotations

import pytest

from fazhi.cleaning import clean
from fazhi.layout import display_width, drop_page_furniture, unwrap, wrap_widths
from fazhi.models import RawDoc

from .conftest import DOCS, GOLD


def cleaned(text: str, fmt: str = "txt") -> str:
    return clean(RawDoc(source="t", doc="t", text=text, format=fmt)).text


def chunks(line: str, width: int, measure) -> list[str]:  # noqa: ANN001 - a width function
    out, cur = [], ""
    for c in line:
        if cur and measure(cur + c) > width:
            out.append(cur)
            cur = ""
        cur += c
    return [*out, cur] if cur else out


def as_pdf_text(text: str, width: int, measure, header: str, page_lines: int = 30) -> str:  # noqa: ANN001
    """A text as a PDF prints it: paragraphs indented and wrapped at ``width``, a page number and the
    running header every ``page_lines`` lines, the page breaks falling mid-sentence."""
    lines: list[str] = []
    for k, para in enumerate(text.splitlines()):
        lines += chunks(para if k == 0 else "\u3000\u3000" + para, width, measure)
    out = []
    for n, line in enumerate(lines, 1):
        out.append(line)
        if n % page_lines == 0:
            out += ["", f"— {n // page_lines} —", "", header]
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("doc", DOCS)
@pytest.mark.parametrize(("width", "measure"), [(28, len), (56, display_width)])
def test_a_report_wrapped_like_a_pdf_cleans_to_the_same_text(doc: str, width: int, measure) -> None:  # noqa: ANN001
    original = (GOLD / "clean" / f"{doc}.txt").read_text(encoding="utf-8")
    wrapped = as_pdf_text(original, width, measure, "某市人民政府关于2024年法治政府建设情况的报告")
    assert wrapped.count("\n") > 2 * original.count("\n")  # the wrap cut most paragraphs
    # a space where a line was cut goes with the cut
    assert cleaned(wrapped).replace(" ", "") == cleaned(original).replace(" ", "")


@pytest.mark.parametrize("doc", DOCS)
def test_reports_with_a_paragraph_per_line_are_not_wrapped(doc: str) -> None:
    lines = (GOLD / "clean" / f"{doc}.txt").read_text(encoding="utf-8").splitlines()
    assert wrap_widths(lines) == []
    assert unwrap(lines) == lines


def test_numbers_and_units_split_by_the_wrap_are_joined() -> None:
    text = (
        "全县行政执法机关办理行政处罚案件3178件，罚没款金额284\n"
        "6.5万元。开展涉企收费专项检查，为企业减负1260万元\n"
        "。审议涉法议题27项，开展会前学法14次，组织领导干部\n"
        "参加年度网上学法考试，参考率100%，平均成绩92.6分\n"
        "。全年新登记经营主体8421户，同比增长9.3%，政务服务\n"
        "事项网上可办率达到98.7%，“一网通办”办件量达到18\n"
        ".4万件，推行涉企经营许可事项告知承诺制，办理告知承\n"
        "诺事项2365件，企业开办时间压缩至0.5个工作日以内。\n"
    )
    out = cleaned(text)
    assert "罚没款金额2846.5万元" in out and "18.4万件" in out and out.count("\n") == 1


def test_page_furniture_goes_and_the_title_stays() -> None:
    title = "汇川区人民政府关于2024年法治政府建设情况的报告"
    lines = [
        title,
        "全区调解组织调处矛盾纠纷5124件。",
        "— 1 —",
        title,
        "办理法律援助案件612件。",
        "-2-",
        title,
        "完。",
    ]
    assert drop_page_furniture(lines) == [
        title,
        "全区调解组织调处矛盾纠纷5124件。",
        "办理法律援助案件612件。",
        "完。",
    ]
    # a bare number may be a table cell: only a decorated one is a page number
    assert drop_page_furniture(["受理", "12", "办结"]) == ["受理", "12", "办结"]


def test_html_lines_are_left_to_their_reader() -> None:
    text = "\n".join(["行政执法机关全年办理行政处罚案件3178件罚没款金额2846"] * 10)
    assert cleaned(text, "html").count("\n") == 10
    assert cleaned(text, "txt").count("\n") == 1


def test_table_rows_are_not_taken_for_wrapped_lines() -> None:
    rows = "".join(f"{k}\t项目{k}\t{k * 10}件\n" for k in range(1, 16))
    text = f"某区2024年法治政府建设情况报告\n开展会前学法10次。\n某区人民政府\n2025年3月28日\n附件\n统计表\n{rows}"
    assert wrap_widths(text.splitlines()) == []
    assert cleaned(text) == text
