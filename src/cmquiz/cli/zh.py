"""Simplified Chinese for the parts of the shell that Typer and Click write themselves.

Usage errors (an unknown option, a bad value, a missing argument) are printed here in Chinese
with the command's usage line, instead of Click's English panel; help screens get Chinese
panel titles, a Chinese usage prefix and a Chinese ``-h`` description. The exception classes
are recognised by name, so this works with Click itself and with the copy Typer vendors.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import Any, NoReturn

from typer.core import TyperCommand, TyperGroup

HELP_TEXT = "显示帮助并退出。"
USAGE_PREFIX = "用法:"
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."

_RICH_TEXTS = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "ABORTED_TEXT": "已中止。",
    "DEFAULT_STRING": "[默认:{}]",
    "ENVVAR_STRING": "[环境变量:{}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEPRECATED_STRING": "(已弃用) ",
    "RICH_HELP": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
}


def localize_rich_help() -> None:
    """Chinese titles and labels in Typer's Rich help screens (where Typer has them)."""
    with suppress(ImportError):
        from typer import rich_utils

        for name, text in _RICH_TEXTS.items():
            if hasattr(rich_utils, name):
                setattr(rich_utils, name, text)


class _ChineseHelp:
    """Usage prefix and help-option text in Chinese; mixed into Typer's command classes."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=USAGE_PREFIX)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_TEXT
        return option


class ChineseCommand(_ChineseHelp, TyperCommand):
    """A Typer command whose help and usage speak Chinese."""


class ChineseGroup(_ChineseHelp, TyperGroup):
    """The top-level group: Chinese help, and usage errors reported in Chinese (exit 2)."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(args) if args is not None else sys.argv[1:]
        if not argv or "-h" in argv or "--help" in argv:
            localize_rich_help()  # only a help screen needs Typer's Rich help module
        argv = self.hoist_global_options(argv)
        args = argv
        run = super().main
        if not standalone_mode:
            return run(args, prog_name, complete_var, False, windows_expand_args, **extra)
        try:
            result = run(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except Exception as error:
            if _is_click_exception(error):
                report_usage_error(error)
            raise
        sys.exit(result if isinstance(result, int) else 0)

    def hoist_global_options(self, argv: list[str]) -> list[str]:
        """Let the group's options follow the command too: ``cmquiz exam --bank x.yaml`` is
        read as ``cmquiz --bank x.yaml exam``. Options the command has itself stay put."""
        takes_value = {
            opt for p in self.params if not getattr(p, "is_flag", False) for opt in p.opts
        }
        i = 0
        while i < len(argv) and argv[i] != "--" and argv[i] not in self.commands:
            i += 2 if argv[i] in takes_value else 1
        if i >= len(argv) or argv[i] not in self.commands:
            return argv
        command = self.commands[argv[i]]
        own = {opt for p in command.params for opt in p.opts}
        hoistable = takes_value - own
        moved: list[str] = []
        kept: list[str] = []
        rest = argv[i + 1 :]
        j = 0
        while j < len(rest):
            arg = rest[j]
            if arg == "--":
                kept.extend(rest[j:])
                break
            name = arg.split("=", 1)[0]
            if name in hoistable and "=" in arg and name.startswith("--"):
                moved.append(arg)
            elif arg in hoistable and j + 1 < len(rest):
                moved.extend(rest[j : j + 2])
                j += 1
            else:
                kept.append(arg)
            j += 1
        return [*argv[:i], *moved, argv[i], *kept]


def _is_click_exception(error: BaseException) -> bool:
    return any(cls.__name__ == "ClickException" for cls in type(error).__mro__) or (
        type(error).__name__ == "Abort"
    )


def report_usage_error(error: Any) -> NoReturn:
    """Print a Click error in Chinese on stderr and exit with its code."""
    name = type(error).__name__
    if name == "NoArgsIsHelpError":  # the help screen has been shown already
        sys.exit(error.exit_code)
    if name == "Abort":
        print("已中止。", file=sys.stderr)
        sys.exit(1)
    lines = [f"错误:{describe_usage_error(error)}"]
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        pieces = " ".join(ctx.command.collect_usage_pieces(ctx))
        lines.append(f"{USAGE_PREFIX}{ctx.command_path} {pieces}".rstrip())
        lines.append(f"运行 '{ctx.command_path} -h' 查看帮助。")
    print("\n".join(lines), file=sys.stderr)
    sys.exit(getattr(error, "exit_code", 2))


def describe_usage_error(error: Any) -> str:
    """The Chinese sentence for a Click usage error; Click's own text when it is unknown."""
    name = type(error).__name__
    message = str(getattr(error, "message", error))
    if name == "NoSuchOption":
        text = f"没有选项 {error.option_name}"
        if error.possibilities:
            text += f";是不是 {'、'.join(sorted(error.possibilities))}?"
        return text
    hint = _param_hint(error)
    if name == "MissingParameter":
        kind = "参数" if getattr(error, "param_type", "") == "argument" else "选项"
        return f"缺少{kind} {hint}" if hint else "缺少参数"
    if name == "BadParameter":
        return f"{hint} 的值无效:{translate_detail(message)}"
    if match := re.match(r"Option '(.+)' requires an? (argument|\d+ arguments)", message):
        return f"选项 {match.group(1)} 需要一个值"
    if match := re.match(r"No such command '([^']+)'", message):
        text = f"没有命令 {match.group(1)}"
        if guess := re.search(r"Did you mean '([^']+)'", message):
            return f"{text};是不是 {guess.group(1)}?"
        known = "、".join(sorted(error.ctx.command.commands)) if error.ctx else ""
        return text + (f";可用的命令:{known}" if known else "")
    if match := re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.+)\)", message):
        return f"多余的参数:{match.group(1)}"
    if match := re.match(r"Option '(.+)' does not take a value", message):
        return f"选项 {match.group(1)} 不接受值"
    if message == "Missing command.":
        return "缺少命令"
    return message


def _param_hint(error: Any) -> str:
    hint = getattr(error, "param_hint", None)
    if isinstance(hint, list | tuple):
        hint = " / ".join(hint)
    param = getattr(error, "param", None)
    if not hint and param is not None:
        hint = " / ".join(getattr(param, "opts", ())) or str(getattr(param, "name", ""))
    return str(hint or "").replace("'", "")


def _choices(match: re.Match[str]) -> str:
    return "应为 " + "、".join(re.findall(r"'([^']*)'", match.group(1))) + " 之一"


_DETAILS: list[tuple[str, Callable[[re.Match[str]], str]]] = [
    (r".*valid int(?:eger)?\b", lambda m: "应为整数"),
    (r".*valid (?:number|float)", lambda m: "应为数字"),
    (r".*greater than or equal to (-?\d+(?:\.\d+)?)", lambda m: f"应不小于 {m.group(1)}"),
    (r".*less than or equal to (-?\d+(?:\.\d+)?)", lambda m: f"应不大于 {m.group(1)}"),
    (r".*not in the range \S*?>=(-?\d+(?:\.\d+)?)", lambda m: f"应不小于 {m.group(1)}"),
    (r".*is not one of (.+)", _choices),
    (r".*does not exist", lambda m: "路径不存在"),
]


def translate_detail(message: str) -> str:
    """Common Click/pydantic value errors in Chinese; anything else as it was."""
    for pattern, render in _DETAILS:
        if match := re.match(pattern, message, re.S):
            return render(match)
    return message
