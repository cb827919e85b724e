"""The Python API notebook users call."""

from __future__ import annotations

import subprocess
import sys

import pytest

import fazhi
from fazhi.models import ReadError

from .conftest import EXAMPLES


def test_read_path_text_and_bytes_agree() -> None:
    path = EXAMPLES / "xiamen-justice-bureau-2024.txt"
    by_path = fazhi.read(path)
    by_str_path = fazhi.read(str(path))
    by_text = fazhi.read(path.read_text(encoding="utf-8"), doc="x")
    by_bytes = fazhi.read(path.read_bytes())
    assert by_path.author == by_str_path.author == by_text.author == by_bytes.author == "厦门市司法局"
    assert by_path.text == by_text.text == by_bytes.text
    assert by_path.level == "department" and by_path.doc == "xiamen-justice-bureau-2024"


def test_read_one_long_line_of_text() -> None:
    line = "2023年，沛县坚持依法行政，全年办理行政复议案件120件，行政机关负责人出庭应诉率100%。" * 8
    doc = fazhi.read(line)
    assert doc.jurisdiction == "沛县" and any(f.value == 120 for f in doc.facts)


def test_read_rejects_non_report_text() -> None:
    with pytest.raises(ReadError, match="not Chinese"):
        fazhi.read("hello world, this is not a report at all")


def test_import_has_no_side_effects() -> None:
    code = "import sys, fazhi; print(len([m for m in ('opencc','jieba','trafilatura','pdfplumber') if m in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0" and out.stderr == ""
