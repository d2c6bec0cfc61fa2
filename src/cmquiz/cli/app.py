"""The Typer app, its global options, and the one place errors become exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from .. import __version__
from ..errors import EXIT_INTERRUPTED, CmquizError
from .state import State
from .zh import OPTIONS_METAVAR, SUBCOMMAND_METAVAR, ChineseCommand, ChineseGroup


class CmquizGroup(ChineseGroup):
    """The top-level group: the one place a domain error becomes a message and an exit code."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().main(*args, **kwargs)
        except CmquizError as error:
            abort(error)
        except KeyboardInterrupt:
            print("\n已中断。", file=sys.stderr)
            sys.exit(EXIT_INTERRUPTED)


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
    # An empty --home (or CMQUIZ_HOME="") means "not set", never "the current directory".
    source = ctx.get_parameter_source("home")
    home_given = getattr(source, "name", "") == "COMMANDLINE"
    ctx.obj = State(
        banks=list(bank or []),
        home=Path(home).expanduser() if home else None,
        home_given=bool(home) and home_given,
        user=user.strip() if user and user.strip() else None,
    )


def register(commands: Sequence[tuple[str, Callable[..., Any]]]) -> None:
    """Add the commands, by name, with Chinese help and usage."""
    for name, function in commands:
        app.command(name, cls=CmquizCommand)(function)


def main() -> None:
    """Console-script entry point: no Python traceback reaches a user."""
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
