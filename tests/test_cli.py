"""The `fazhi extract` and `fazhi eval` contract, through click's CliRunner on real files."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from fazhi.cli import cli

from .conftest import EXAMPLES, GOLD

CONTRACT = {
    "doc",
    "source",
    "title",
    "author",
    "jurisdiction",
    "admin_code",
    "level",
    "parent",
    "year",
    "published",
    "script",
    "text",
    "sections",
    "facts",
}
SECTION_FIELDS = {"number", "heading", "depth", "start", "end", "areas", "element"}
FACT_FIELDS = {
    "surface",
    "value",
    "unit",
    "approx",
    "kind",
    "subject",
    "indicator",
    "area",
    "start",
    "end",
    "evidence",
}


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_extract_jsonl_has_the_contract_fields() -> None:
    result = run("extract", str(EXAMPLES), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(r["doc"] for r in rows) == sorted(p.stem for p in EXAMPLES.glob("*.txt"))
    for row in rows:
        assert set(row) >= CONTRACT
        text = row["text"]
        for s in row["sections"]:
            assert set(s) >= SECTION_FIELDS
            assert 0 <= s["start"] < s["end"] <= len(text)
        for f in row["facts"]:
            assert set(f) >= FACT_FIELDS
            assert text[f["start"] : f["end"]] == f["surface"]
            assert f["surface"] in f["evidence"]
    shishi = next(r for r in rows if r["doc"] == "shishi-city-2024")
    assert (shishi["jurisdiction"], shishi["admin_code"], shishi["published"]) == (
        "石狮市",
        "350581",
        "2025-01-26",
    )


def test_extract_json_and_table_formats() -> None:
    path = str(EXAMPLES / "huli-district-2024.txt")
    out = json.loads(run("extract", path, "--format", "json", "--full").stdout)
    assert out[0]["jurisdiction"] == "湖里区" and out[0]["paragraphs"] and out[0]["sentences"]
    table = run("extract", path, "--format", "table")
    assert table.exit_code == 0 and "湖里区" in table.stdout


def test_extract_reads_stdin() -> None:
    data = (EXAMPLES / "xiamen-city-2024.txt").read_bytes()
    result = run("extract", "-", input=data)
    row = json.loads(result.stdout)
    assert (row["doc"], row["jurisdiction"], row["year"]) == ("stdin", "厦门市", 2024)


def test_bad_files_are_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "english.txt").write_text("This is an annual report written in English only. " * 20)
    (tmp_path / "good.txt").write_bytes((EXAMPLES / "huli-district-2024.txt").read_bytes())
    result = CliRunner().invoke(cli, ["extract", str(tmp_path), str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    assert [json.loads(x)["doc"] for x in result.stdout.splitlines()] == ["good"]
    err = result.stderr
    assert "empty.txt: empty file" in err
    assert "english.txt: text is not Chinese" in err
    assert "missing.txt: no such file or folder" in err
    assert "Traceback" not in err


def test_eval_prints_per_document_lines_and_a_json_total() -> None:
    result = run("eval", str(GOLD), "--inputs", str(EXAMPLES))
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 6
    total = json.loads(lines[-1])
    assert total["docs"] == 5
    assert total["metadata_accuracy"] == 1.0
    assert total["clean"]["f1"] >= 0.99 and total["sections"]["f1"] >= 0.95
