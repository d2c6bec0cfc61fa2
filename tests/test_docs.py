"""The README documents every command and the test command CI runs."""

from __future__ import annotations

import re
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


def test_readme_bank_table_matches_the_bundled_banks() -> None:
    from cmquiz.loader import expand_bank_paths, load_bank
    from cmquiz.paths import bundled_banks_dir

    rows = {
        m.group(1): [int(x) for x in m.group(2).split("|")]
        for m in re.finditer(r"^\| `([\w.-]+\.yaml)` \|[^|]*\|[^|]*\|([\d |]+)\|$", README, re.M)
    }
    for path in expand_bank_paths([bundled_banks_dir()]):
        bank = load_bank(path)
        counts = [
            sum(1 for q in bank.questions if q.type.value == t)
            for t in ("single", "multiple", "judge")
        ]
        assert rows.get(path.name) == [*counts, len(bank.questions)], path.name
