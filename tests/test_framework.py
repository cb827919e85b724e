"""Scoring frameworks as data: the bundled default, user files, and clear errors for malformed ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from fazhi.assessment import assess
from fazhi.assessment.measures import MEASURES
from fazhi.cli import cli
from fazhi.framework import FRAMEWORK_DIR, KINDS, FrameworkError, load_framework, parse_framework

from .test_assessment import FIXTURES

DEFAULT_TEXT = (FRAMEWORK_DIR / "default.v1.yaml").read_text(encoding="utf-8")


def test_bundled_default_loads_with_its_version() -> None:
    fw = load_framework()
    assert fw.key == "default.v1"
    assert fw.total == 100
    assert load_framework("default.v1") is fw
    kinds = {c.kind for c in fw.criteria}
    assert kinds == set(KINDS)  # the default uses every kind at least once
    elements = {c.params["element"] for c in fw.criteria if c.kind == "element_present"}
    assert elements == {"achievements", "shortcomings", "principal_duty", "plan"}


def test_every_kind_has_a_measurement_function() -> None:
    assert set(MEASURES) == set(KINDS)


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# (what is changed, how, the line the error must name (by a needle on it), words the message must hold)
MALFORMED = [
    (
        "yaml syntax",
        (
            "params: {element: achievements, embedded_share: 0.5}",
            "params: {element: [achievements, embedded_share: 0.5}",
        ),
        "params: {element: [achievements",
        "YAML syntax error",
    ),
    (
        "unknown kind",
        ("kind: fact_density", "kind: fact_densty"),
        "kind: fact_densty",
        "unknown kind 'fact_densty'",
    ),
    (
        "bad weight type",
        ("max: 8\n    kind: fact_density", "max: eight\n    kind: fact_density"),
        "max: eight",
        "`max` must be a number",
    ),
    (
        "boolean weight",
        ("max: 5\n    kind: timeliness", "max: yes\n    kind: timeliness"),
        "max: yes",
        "must be a number",
    ),
    (
        "negative weight",
        ("max: 5\n    kind: timeliness", "max: -5\n    kind: timeliness"),
        "max: -5",
        "above 0",
    ),
    (
        "missing kind",
        ("    max: 5\n    kind: timeliness\n", "    max: 5\n"),
        "  - id: timeliness",
        "criterion `timeliness`: missing field `kind`",
    ),
    (
        "bad element",
        ("element: plan, embedded_share", "element: plans, embedded_share"),
        "element: plans",
        "parameter `element` is 'plans'",
    ),
    (
        "unknown parameter",
        ("{full_at: 8}", "{full_at: 8, foo: 1}"),
        "{full_at: 8, foo: 1}",
        "unknown parameter `foo`",
    ),
    (
        "missing parameter",
        ("{basis: text, min_share: 0.02}", "{min_share: 0.02}"),
        "{min_share: 0.02}",
        "missing parameter `basis`",
    ),
    (
        "unknown indicator",
        ("indicator: litigation_loss_rate", "indicator: loss_rate"),
        "indicator: loss_rate",
        "unknown indicator 'loss_rate'",
    ),
    (
        "shares over one",
        ("{signal: reasons, min: 1, share: 0.5}", "{signal: reasons, min: 1, share: 0.9}"),
        "signals:\n        - {signal: problems",
        "shares add up to 1.4",
    ),
    (
        "unknown signal",
        ("{signal: reasons, min: 1", "{signal: causes, min: 1"),
        "{signal: causes",
        "unknown signal 'causes'",
    ),
    (
        "duplicate key",
        ("    max: 5\n    kind: timeliness", "    max: 5\n    max: 6\n    kind: timeliness"),
        "max: 6\n    kind: timeliness",
        "duplicate key `max`",
    ),
    (
        "tab indentation",
        ("  - id: timeliness", "\t- id: timeliness"),
        "\t- id: timeliness",
        "YAML syntax error",
    ),
    (
        "zero_at on the wrong side",
        ("zero_at: 25", "zero_at: 5"),
        "zero_at: 5",
        "must lie on the worse side",
    ),
    (
        "unknown top-level field",
        ("version: 1\n", "version: 1\nweights: {}\n"),
        "weights: {}",
        "unknown field `weights`",
    ),
    (
        "version not a number",
        ("version: 1\n", "version: one\n"),
        "version: one",
        "`version` must be an integer",
    ),
]


@pytest.mark.parametrize(("case", "change", "needle", "words"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_framework_names_the_line_and_the_problem(case, change, needle, words) -> None:
    old, new = change
    assert old in DEFAULT_TEXT, case
    text = DEFAULT_TEXT.replace(old, new, 1)
    with pytest.raises(FrameworkError) as err:
        parse_framework(text, "my.yaml", frozenset(_indicator_ids()))
    message = str(err.value)
    line = _line_of(text, needle)
    assert message.startswith(f"my.yaml:{line}: "), message
    assert words in message, message


def _indicator_ids() -> list[str]:
    from fazhi.assessment.catalogue import indicator_names

    return list(indicator_names())


def test_empty_non_mapping_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(FrameworkError, match=r"^x.yaml:1: the file is empty$"):
        parse_framework("", "x.yaml")
    with pytest.raises(FrameworkError, match=r"^x.yaml:1: framework must be a mapping, got a list$"):
        parse_framework("- a\n- b\n", "x.yaml")
    with pytest.raises(FrameworkError, match="no such framework file"):
        load_framework(tmp_path / "nope.yaml")
    bad = tmp_path / "gbk.yaml"
    bad.write_bytes("id: x\nversion: 1\nname: 某市\n".encode("gbk"))
    with pytest.raises(FrameworkError, match=r"gbk.yaml:3: not UTF-8 text"):
        load_framework(bad)


def _user_framework(tmp_path: Path, shortcomings: int, timeliness: int, version: int = 1) -> Path:
    path = tmp_path / f"mycity.v{version}.yaml"
    path.write_text(
        f"""id: mycity
version: {version}
name: 某市年度报告评分办法
criteria:
  - id: has_shortcomings
    name: 存在的不足和原因
    max: {shortcomings}
    kind: element_present
    params: {{element: shortcomings}}
  - id: on_time
    name: 按时公开
    max: {timeliness}
    kind: timeliness
""",
        encoding="utf-8",
    )
    return path


def test_a_user_framework_changes_criteria_and_weights(tmp_path: Path) -> None:
    import fazhi

    doc = fazhi.read(FIXTURES / "sample-county-2023-no-shortcomings.txt")  # on time, no shortcomings
    even = assess(doc, load_framework(_user_framework(tmp_path, 50, 50)))
    assert even.framework == "mycity.v1"
    assert [c.id for c in even.criteria] == ["has_shortcomings", "on_time"]
    assert even.score == 50.0
    tilted = assess(doc, load_framework(_user_framework(tmp_path, 10, 90, version=2)))
    assert tilted.framework == "mycity.v2"
    assert tilted.score == 90.0
    assert tilted.criteria[0].max == 10 and tilted.criteria[0].score == 0
    assert "缺少「存在的不足和原因」" in tilted.criteria[0].note


def test_cli_uses_a_user_framework_and_reports_a_broken_one_in_one_line(tmp_path: Path) -> None:
    report = str(FIXTURES / "sample-county-2023-no-shortcomings.txt")
    good = _user_framework(tmp_path, 10, 90)
    result = CliRunner().invoke(cli, ["assess", report, "--framework", str(good), "--format", "json"])
    assert result.exit_code == 0, result.output
    row = json.loads(result.stdout)
    assert row["framework"] == "mycity.v1" and row["score"] == 90.0
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        good.read_text(encoding="utf-8").replace("kind: timeliness", "kind: punctuality"), "utf-8"
    )
    result = CliRunner().invoke(cli, ["assess", report, "--framework", str(broken)])
    assert result.exit_code == 2
    line = _line_of(broken.read_text(encoding="utf-8"), "kind: punctuality")
    assert result.stderr.strip().splitlines() == [
        f"fazhi: {broken}:{line}: criterion `on_time`: unknown kind 'punctuality'; expected one of "
        + ", ".join(KINDS)
    ]
    assert result.stdout == ""
