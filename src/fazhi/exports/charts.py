"""Charts for the Word report (matplotlib, no pyplot state): PNG bytes.

Chinese labels need a CJK font, set by file path. ``find_cjk_font`` asks fontconfig
(``fc-list :lang=zh``), then looks through the fonts matplotlib knows. Without one, charts label
reports and areas by their ids (ASCII) so they stay readable, and the caller warns once.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..models import AREAS
from .tables import Item, area_name, rank, report_label

FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
# Families known to carry Chinese glyphs, for systems without fontconfig.
CJK_FAMILY_HINTS = ("CJK", "WenQuanYi", "Source Han", "Hei", "Song", "YaHei", "PingFang", "Ming", "Kai")
DPI = 150
BAR_COLOR = "#2F5597"
MAX_BARS = 40  # more reports than this: the score chart becomes a histogram
MAX_HEATMAP = 30  # more reports than this: the coverage chart shows shares of reports per area


def _fc_list() -> list[Path]:
    exe = shutil.which("fc-list")
    if not exe:
        return []
    try:
        out = subprocess.run([exe, ":lang=zh", "file"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    paths = [Path(line.split(":")[0].strip()) for line in out.splitlines() if line.strip()]
    return sorted(p for p in paths if p.suffix.lower() in FONT_SUFFIXES)


def _usable(path: Path) -> bool:
    from matplotlib.font_manager import FontProperties

    try:
        return bool(FontProperties(fname=str(path)).get_name())
    except (OSError, RuntimeError, ValueError):
        return False


@lru_cache(maxsize=1)
def find_cjk_font() -> Path | None:
    """A font file with Chinese glyphs that matplotlib can load, or None."""
    for path in _fc_list():
        if path.is_file() and _usable(path):
            return path
    from matplotlib import font_manager

    for entry in font_manager.fontManager.ttflist:
        if any(h.lower() in entry.name.lower() for h in CJK_FAMILY_HINTS) and _usable(Path(entry.fname)):
            return Path(entry.fname)
    return None


@contextmanager
def font_context(font: Path | None) -> Iterator[None]:
    import matplotlib as mpl
    from matplotlib import font_manager

    rc: dict[str, Any] = {"axes.unicode_minus": False, "font.size": 9}
    if font is not None:
        font_manager.fontManager.addfont(str(font))
        name = font_manager.FontProperties(fname=str(font)).get_name()
        rc |= {"font.family": "sans-serif", "font.sans-serif": [name, "DejaVu Sans"]}
    with mpl.rc_context(rc):
        yield


def _png(fig: Any) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    return buf.getvalue()


def score_chart(items: Sequence[Item], font: Path | None) -> bytes | None:
    """Total scores: one bar per report, best on top (a histogram past MAX_BARS); None if none assessed."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    ranked = [(d, a) for _, d, a in rank(items) if a is not None]
    if not ranked:
        return None
    scores = [a.score for _, a in ranked]
    with font_context(font):
        if len(ranked) > MAX_BARS:
            fig = Figure(figsize=(6.3, 3.2))
            ax = fig.add_subplot()
            ax.hist(scores, bins=range(0, 105, 5), color=BAR_COLOR, edgecolor="white")
            ax.set_xlabel("总分" if font else "score")
            ax.set_ylabel("报告数" if font else "reports")
            ax.set_title(f"{len(ranked)}份报告的总分分布" if font else "Total scores")
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        else:
            labels = [report_label(d) if font else d.doc for d, _ in ranked]
            fig = Figure(figsize=(6.3, 0.9 + 0.35 * len(ranked)))
            ax = fig.add_subplot()
            y = list(range(len(ranked)))[::-1]
            bars = ax.barh(y, scores, color=BAR_COLOR, height=0.6)
            ax.set_yticks(y, labels)
            ax.bar_label(bars, labels=[f"{s:.1f}" for s in scores], padding=3)
            ax.set_xlabel("总分" if font else "score")
            ax.set_title("各报告总分" if font else "Total score")
        ax.set_xlim(0, 100)
        ax.spines[["top", "right"]].set_visible(False)
        return _png(fig)


def coverage_chart(items: Sequence[Item], font: Path | None) -> bytes | None:
    """Facts per framework area: a heat map of areas x reports (past MAX_HEATMAP reports, the share of
    reports with facts in each area); None when no report has facts."""
    from matplotlib.figure import Figure

    docs = [d for _, d, _ in rank(items)]
    counts: dict[str, dict[str, int]] = {d.doc: {} for d in docs}
    for d in docs:
        for f in d.facts:
            area = f.area or "other"
            counts[d.doc][area] = counts[d.doc].get(area, 0) + 1
    areas = [a for a in AREAS if any(c.get(a) for c in counts.values())]
    if not areas:
        return None
    area_labels = [area_name(a) if font else a for a in areas]
    with font_context(font):
        if len(docs) > MAX_HEATMAP:
            share = [100 * sum(1 for d in docs if counts[d.doc].get(a)) / len(docs) for a in areas]
            fig = Figure(figsize=(6.3, 1.2 + 0.35 * len(areas)))
            ax = fig.add_subplot()
            y = list(range(len(areas)))[::-1]
            bars = ax.barh(y, share, color=BAR_COLOR, height=0.6)
            ax.set_yticks(y, area_labels)
            ax.bar_label(bars, labels=[f"{v:.0f}%" for v in share], padding=3)
            ax.set_xlim(0, 100)
            ax.set_xlabel("有数据的报告占比（%）" if font else "reports with facts (%)")
            ax.set_title(f"{len(docs)}份报告的领域覆盖" if font else "Area coverage")
            ax.spines[["top", "right"]].set_visible(False)
        else:
            grid = [[counts[d.doc].get(a, 0) for d in docs] for a in areas]
            fig = Figure(figsize=(6.3, 1.8 + 0.4 * len(areas)))
            ax = fig.add_subplot()
            ax.imshow(grid, cmap="Blues", aspect="auto")
            ax.set_yticks(range(len(areas)), area_labels)
            doc_labels = [report_label(d) if font else d.doc for d in docs]
            ax.set_xticks(range(len(docs)), doc_labels, rotation=30, ha="right")
            top = max(max(row) for row in grid) or 1
            for i, row in enumerate(grid):
                for j, v in enumerate(row):
                    ax.text(j, i, str(v), ha="center", va="center", color="white" if v > top / 2 else "black")
            ax.set_title("各领域数据条数" if font else "Facts per area")
        return _png(fig)
