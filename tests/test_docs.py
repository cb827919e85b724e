"""Docs cannot drift: every command and every setting is documented in the README."""

from __future__ import annotations

import pytest

from fazhi.cli import cli
from fazhi.settings import describe

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"fazhi {name}" in README


@pytest.mark.parametrize("name", [n for n, _, _ in describe()])
def test_every_setting_is_in_the_readme(name: str) -> None:
    assert f"`{name}`" in README


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help(name: str) -> None:
    assert (cli.commands[name].help or "").strip()


def test_readme_states_the_two_setup_commands() -> None:
    assert "make demo" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text()
