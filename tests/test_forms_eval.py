"""Issue 2's bar for every input form: the HTML, PDF and DOCX forms of the bundled examples,
made here, must score like the text files (metadata all right, cleaning line F1 >= 0.99,
top-level sections F1 >= 0.95), measured with the same scorer as `fazhi eval`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fazhi.evaluate import Tally, load_gold, prf, score_clean, score_metadata, score_sections
from fazhi.pipeline import process_path

from .conftest import DOCS, EXAMPLES, GOLD
from .fixtures.make_forms import find_cjk_font, to_docx, to_html, to_pdf

GOLD_DOCS = load_gold(GOLD)
# Web pages always show a title; for reports whose text names none, the page gives this one, which
# the extractor must then report (and put first in the cleaned text).
PAGE_TITLES = {
    "huli-district-2024": "湖里区2024年法治政府建设工作情况",
    "xiamen-city-2020-traditional": "厦门市2020年法治政府建设情况",
}


def build(form: str, doc: str, tmp: Path) -> tuple[Path, dict, str]:
    """(file, expected metadata, expected clean text) of one example in one form."""
    gold = dict(GOLD_DOCS[doc]["meta"])
    clean = GOLD_DOCS[doc]["clean"]
    path = tmp / f"{doc}.{form}"
    raw = (EXAMPLES / f"{doc}.txt").read_text(encoding="utf-8")  # as scraped, script and all
    if form == "html":
        title = gold["title"] or PAGE_TITLES[doc]
        enc = "big5" if gold["script"] == "traditional" else "gbk"
        path.write_bytes(to_html(raw, title, encoding=enc))
        if gold["title"] is None:
            gold["title"] = title
            clean = title + "\n" + clean
    elif form == "docx":
        to_docx(raw, path, meta_table=True)
    else:
        to_pdf(raw, path)
    return path, gold, clean


@pytest.mark.parametrize("form", ["html", "docx", "pdf"])
def test_every_form_of_the_examples_scores_like_text(form: str, tmp_path: Path) -> None:
    if form == "pdf" and find_cjk_font() is None:
        pytest.skip("no CJK font installed (Debian package fonts-wqy-microhei)")
    t = Tally()
    wrong = {}
    for doc in DOCS:
        path, gold_meta, gold_clean = build(form, doc, tmp_path)
        got = process_path(path)
        got.doc = doc
        if w := score_metadata(got, gold_meta, t):
            wrong[doc] = w
        score_clean(got, gold_clean, t)
        score_sections(got, GOLD_DOCS[doc]["sections"], t)
    c = t.c
    assert wrong == {}, json.dumps(wrong, ensure_ascii=False)
    assert prf(c["clean_tp"], c["clean_pred"], c["clean_gold"])["f1"] >= 0.99
    assert prf(c["sec_tp"], c["sec_pred"], c["sec_gold"])["f1"] >= 0.95
