"""Start-up stays fast: ``cmquiz --help`` imports no command module and none of the heavy
modules; a command imports its own module only; every listed command builds, and its help
opens with the line the command list shows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from cmquiz.cli import app
from cmquiz.cli.app import COMMAND_ENTRIES, CommandEntry, LazyCommands, build_command

COMMAND_MODULES = tuple(
    f"cmquiz.cli.{m}"
    for m in ("practice", "quiz", "exams", "report", "transfer", "learn", "lookup")
)
HEAVY = ("yaml", "platformdirs", "fsrs", "cmquiz.loader", "cmquiz.records", "cmquiz.model",
         "cmquiz.session", "docx", "openpyxl", "hypothesis")  # fmt: skip

PROBE = """
import sys
sys.argv = ["cmquiz", *sys.argv[1:]]
from cmquiz.cli import main
try:
    main()
except SystemExit:
    pass
print("LOADED:" + ",".join(m for m in {watched!r} if m in sys.modules))
"""


def loaded(args: list[str], watched: tuple[str, ...], env: dict[str, str]) -> list[str]:
    """Which of ``watched`` a real ``cmquiz *args`` process imported."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(watched=watched), *args],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "", "COLUMNS": "100", **env},
    ).stdout
    names = out.rsplit("LOADED:", 1)[1].strip()
    return names.split(",") if names else []


def test_help_imports_no_command_module_and_nothing_heavy() -> None:
    assert loaded(["--help"], HEAVY + COMMAND_MODULES, {}) == []


def test_a_command_imports_its_own_module_only(tmp_path: Path) -> None:
    used = loaded(["papers", "--json"], COMMAND_MODULES, {"CMQUIZ_HOME": str(tmp_path)})
    assert used == ["cmquiz.cli.exams"]


def test_the_command_list_shows_every_summary_without_building_a_command() -> None:
    group = typer.main.get_command(app)
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "300", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    commands = group.commands  # type: ignore[attr-defined]
    assert isinstance(commands, LazyCommands)
    assert not commands.built
    names = [line.split()[1] for line in result.output.splitlines() if line.startswith("│ ")]
    listed = [entry.name for entry in COMMAND_ENTRIES]
    assert names[-len(listed) :] == listed
    for entry in COMMAND_ENTRIES:
        assert entry.summary in result.output


@pytest.mark.parametrize("entry", COMMAND_ENTRIES, ids=lambda e: e.name)
def test_every_command_builds_and_its_help_opens_with_its_summary(entry: CommandEntry) -> None:
    command = build_command(entry)
    assert command.name == entry.name
    assert command.help is not None
    assert command.help.startswith(entry.summary)
    assert command.short_help == entry.summary
    result = CliRunner().invoke(app, [entry.name, "--help"], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert entry.summary in result.output
    assert f"用法:cmquiz {entry.name} [选项]" in result.output


def test_an_unknown_command_is_named_with_a_guess() -> None:
    result = CliRunner().invoke(app, ["exma"])
    assert result.exit_code == 2
    assert "没有命令 exma;是不是 exam?" in result.output


def test_a_command_registered_the_usual_way_is_kept_beside_the_listed_ones() -> None:
    import typer

    from cmquiz.cli.app import CmquizCommand, CmquizGroup

    extra = typer.Typer(cls=CmquizGroup)
    extra.callback()(lambda: None)

    @extra.command("hello", cls=CmquizCommand)
    def hello() -> None:
        typer.echo("你好")

    result = CliRunner().invoke(extra, ["hello"])
    assert result.exit_code == 0, result.output
    assert "你好" in result.output
    group = typer.main.get_command(extra)
    commands = group.commands  # type: ignore[attr-defined]
    assert "hello" in commands
    assert "exam" in commands
    del commands["exam"]
    assert "exam" not in commands
    assert len(commands) == len(COMMAND_ENTRIES)  # the listed ones less exam, plus hello
