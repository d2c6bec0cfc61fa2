"""The Typer app, its global options, and the one place errors become exit codes."""

from __future__ import annotations

import importlib
import inspect
import os
import sys
from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from .. import __version__
from .zh import OPTIONS_METAVAR, SUBCOMMAND_METAVAR, ChineseCommand, ChineseGroup

if TYPE_CHECKING:
    from ..errors import CmquizError


@dataclass(frozen=True)
class CommandEntry:
    """One command of the shell: its name, the function that runs it (``module:function`` in
    ``cmquiz.cli``) and the line the command list shows, which also opens its own help."""

    name: str
    target: str
    summary: str


class LazyCommands(MutableMapping[str, Any]):
    """The group's commands by name. A command's module is imported and its Click command
    built when it is first looked up; the command list (``cmquiz --help``) needs only names
    and summaries (``listed``), so it imports none of them."""

    def __init__(self, entries: Iterable[CommandEntry]) -> None:
        self.entries = {entry.name: entry for entry in entries}
        self.built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        command = self.built.get(name)
        if command is None:
            entry = self.entries[name]  # KeyError: no such command
            try:
                command = self.built[name] = build_command(entry)
            except KeyError as error:  # a bug in building it, never "no such command"
                raise RuntimeError(f"building command {name!r} failed: {error!r}") from error
        return command

    def __setitem__(self, name: str, command: Any) -> None:
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self.entries.pop(name, None)
        self.built.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self.entries or name in self.built

    def __iter__(self) -> Iterator[str]:
        yield from self.entries
        yield from (name for name in self.built if name not in self.entries)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def listed(self, name: str) -> Any:
        """What the command list shows for ``name``: its summary, without building it."""
        entry = self.entries.get(name)
        if entry is None or name in self.built:
            return self.get(name)
        return ChineseCommand(name=name, help=entry.summary, short_help=entry.summary)


def build_command(entry: CommandEntry) -> Any:
    """The Click command for ``entry``: its function, with Chinese help and usage."""
    import typer.main

    module_name, _, function_name = entry.target.partition(":")
    function = getattr(importlib.import_module(f"{__package__}.{module_name}"), function_name)
    details = inspect.getdoc(function)
    single = typer.Typer(add_completion=False, rich_markup_mode="rich")
    single.command(
        entry.name,
        cls=CmquizCommand,
        options_metavar=OPTIONS_METAVAR,
        help=f"{entry.summary}\n\n{details}" if details else entry.summary,
        short_help=entry.summary,
    )(function)
    return typer.main.get_command(single)


COMMAND_ENTRIES: list[CommandEntry] = []


class CmquizGroup(ChineseGroup):
    """The top-level group: its commands built on first use (``LazyCommands``), and the one
    place a domain error becomes a message and an exit code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lazy = LazyCommands(COMMAND_ENTRIES)
        lazy.built.update(self.commands)  # any registered the usual way (``@app.command``)
        self.commands: MutableMapping[str, Any] = lazy
        self.listing = False

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self.listing = True  # the command list needs summaries only
        try:
            super().format_help(ctx, formatter)
        finally:
            self.listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # names only: Typer's own reads every command

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if self.listing and isinstance(self.commands, LazyCommands):
            return self.commands.listed(cmd_name)
        return super().get_command(ctx, cmd_name)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().main(*args, **kwargs)
        except KeyboardInterrupt:
            from ..errors import EXIT_INTERRUPTED

            print("\n已中断。", file=sys.stderr)
            sys.exit(EXIT_INTERRUPTED)
        except Exception as error:
            from ..errors import CmquizError  # here, not above: --help never needs it

            if isinstance(error, CmquizError):
                abort(error)
            raise


class CmquizCommand(ChineseCommand):
    """A command: long work inside it shows a progress bar on a terminal (``progressbar``)."""

    def invoke(self, ctx: Any) -> Any:
        from .progressbar import progress_shown

        with progress_shown(bool(ctx.params.get("as_json"))):
            return super().invoke(ctx)


def abort(error: CmquizError) -> NoReturn:
    """Print a domain error on stderr (in Chinese, no traceback) and exit with its code."""
    from ..render.common import error_text, make_console

    if os.environ.get("CMQUIZ_DEBUG"):
        import traceback

        traceback.print_exc()
    make_console(stderr=True).print(error_text(error), soft_wrap=True)
    sys.exit(error.exit_code)


app = typer.Typer(
    name="cmquiz",
    help="个人客户经理岗位资格考试刷题工具:按知识点练习、模拟考试、统计薄弱环节。",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    cls=CmquizGroup,
    options_metavar=OPTIONS_METAVAR,
    subcommand_metavar=SUBCOMMAND_METAVAR,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cmquiz {__version__}")
        raise typer.Exit()


@app.callback()
def global_options(
    ctx: typer.Context,
    bank: Annotated[
        list[Path] | None,
        typer.Option(
            "--bank",
            "-b",
            metavar="PATH",
            help="题库文件或目录,可重复(默认:$CMQUIZ_BANKS 或自带题库)。",
        ),
    ] = None,
    home: Annotated[
        str | None,
        typer.Option(
            "--home",
            metavar="DIR",
            envvar="CMQUIZ_HOME",
            show_envvar=True,
            help="数据目录,存放答题记录(默认:系统的用户数据目录)。",
        ),
    ] = None,
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            metavar="NAME",
            envvar="CMQUIZ_USER",
            help="答题人(写入答题记录,供培训部门合并统计;默认:登录名)。",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="显示版本并退出。"),
    ] = False,
) -> None:
    from .state import State  # here: --help never runs this, and need not import it

    # An empty --home (or CMQUIZ_HOME="") means "not set", never "the current directory".
    source = ctx.get_parameter_source("home")
    home_given = getattr(source, "name", "") == "COMMANDLINE"
    ctx.obj = State(
        banks=list(bank or []),
        home=Path(home).expanduser() if home else None,
        home_given=bool(home) and home_given,
        user=user.strip() if user and user.strip() else None,
    )


def register(entries: Iterable[CommandEntry]) -> None:
    """List the commands, by name; each is built when first used (``LazyCommands``)."""
    COMMAND_ENTRIES.extend(entries)


def main() -> None:
    """Console-script entry point: no Python traceback reaches a user."""
    from ..collector import freeze_for_the_process

    freeze_for_the_process()
    try:
        app(prog_name="cmquiz")
    except Exception as exc:  # a bug, not a user error
        if os.environ.get("CMQUIZ_DEBUG"):
            raise
        print(
            f"cmquiz 内部错误:{type(exc).__name__}: {exc}\n"
            "设置环境变量 CMQUIZ_DEBUG=1 后重试可查看详细信息;你的答题记录不受影响。",
            file=sys.stderr,
        )
        sys.exit(1)
