"""The README documents every command and the test command CI runs."""

from __future__ import annotations

from pathlib import Path

import typer.main

from cmquiz.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_every_command_is_documented_in_the_readme() -> None:
    group = typer.main.get_command(app)
    names = sorted(group.commands)  # type: ignore[attr-defined]
    assert names, "no commands registered"
    missing = [name for name in names if f"cmquiz {name}" not in README]
    assert not missing, f"commands missing from README.md: {missing}"


def test_readme_names_install_and_test_commands() -> None:
    assert 'pip install -e ".[test]"' in README
    assert "pytest" in README
