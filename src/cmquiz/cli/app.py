"""The Typer app, its global options, and the one place errors become exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from .. import __version__
from ..errors import CmquizError
from ..history import HistoryStore
from ..model import Library
from ..paths import bundled_banks_dir, cache_dir, env_bank_paths, history_path
from .zh import OPTIONS_METAVAR, SUBCOMMAND_METAVAR, ChineseCommand, ChineseGroup

CommandFunction = TypeVar("CommandFunction", bound=Callable[..., Any])

app = typer.Typer(
    name="cmquiz",
    help="个人客户经理岗位资格考试刷题工具:按知识点练习、模拟考试、统计薄弱环节。",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    cls=ChineseGroup,
    options_metavar=OPTIONS_METAVAR,
    subcommand_metavar=SUBCOMMAND_METAVAR,
)


def command(**options: Any) -> Callable[[CommandFunction], CommandFunction]:
    """``@app.command`` with Chinese help and usage (every cmquiz command uses this)."""
    return app.command(cls=ChineseCommand, **options)


@dataclass
class State:
    """Global options, shared by every command through ``ctx.obj``."""

    banks: list[Path] = field(default_factory=list)
    home: Path | None = None

    def bank_paths(self) -> list[Path]:
        """``--bank``, else ``$CMQUIZ_BANKS``, else the bundled banks."""
        return self.banks or env_bank_paths() or [bundled_banks_dir()]

    def history(self) -> HistoryStore:
        """The answer history in the data dir (``--home``, ``$CMQUIZ_HOME`` or the platform's)."""
        return HistoryStore(history_path(self.home))

    def library(self) -> Library:
        from ..loader import load_library

        return load_library(self.bank_paths(), cache_dir=cache_dir(self.home))


def fail(error: CmquizError) -> NoReturn:
    """Print a domain error to stderr and exit with its code (1 data, 2 usage)."""
    from ..render import error_text, make_console

    make_console(stderr=True).print(error_text(error), soft_wrap=True)
    raise typer.Exit(error.exit_code)


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn a CmquizError raised inside the block into a message and an exit code."""
    try:
        yield
    except CmquizError as error:
        if os.environ.get("CMQUIZ_DEBUG"):
            import traceback

            traceback.print_exc()
        fail(error)


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
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="显示版本并退出。"),
    ] = False,
) -> None:
    # An empty --home (or CMQUIZ_HOME="") means "not set", never "the current directory".
    ctx.obj = State(banks=list(bank or []), home=Path(home).expanduser() if home else None)


def state(ctx: typer.Context) -> State:
    obj = ctx.find_object(State)
    return obj if obj is not None else State()


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
