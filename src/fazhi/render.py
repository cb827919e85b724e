"""Terminal output for people (rich tables); labels in Chinese, as the tool's users read them."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from .labels import label
from .models import Document


def documents_table(docs: Sequence[Document], console: Console | None = None) -> None:
    table = Table(title="法治政府建设年度报告", show_lines=False)
    for col in ("文件", "报告主体", "地区", "代码", "层级", "年度", "发布日期", "字数", "章节", "数据"):
        table.add_column(col)
    for d in docs:
        table.add_row(
            d.doc,
            d.author or "—",
            d.jurisdiction or "—",
            d.admin_code or "—",
            label("levels", d.level, "—"),
            str(d.year or "—"),
            d.published or "—",
            str(len(d.text)),
            str(len(d.top_sections())),
            str(len(d.facts)),
        )
    (console or Console()).print(table)
