"""The global options every command sees (``--bank``, ``--home``), through ``ctx.obj``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..paths import bundled_banks_dir, cache_dir, env_bank_paths, history_path

if TYPE_CHECKING:
    from rich.console import Console

    from ..digest import HistoryDigest
    from ..history import HistoryStore
    from ..model import Library


@dataclass
class State:
    """Global options, shared by every command."""

    banks: list[Path] = field(default_factory=list)
    home: Path | None = None
    home_given: bool = False  # --home on the command line (not only $CMQUIZ_HOME)
    user: str | None = None

    def bank_paths(self) -> list[Path]:
        """``--bank``, else ``$CMQUIZ_BANKS``, else the bundled banks."""
        return self.banks or env_bank_paths() or [bundled_banks_dir()]

    def history(self) -> HistoryStore:
        """The answer history in the data dir (``--home``, ``$CMQUIZ_HOME`` or the platform's)."""
        from ..history import HistoryStore

        return HistoryStore(history_path(self.home))

    def digest(self, err: Console, *, cards: bool = False) -> HistoryDigest:
        """The history's digest (``cmquiz.digest``), its warnings shown on ``err``; ``cards``:
        its learning state holds the FSRS cards (review, plan and ``show`` look at them)."""
        from ..digest import digest_history
        from ..render.common import warning_text

        result = digest_history(self.history(), cache_dir(self.home), None, cards=cards)
        for notice in result.notices():
            err.print(warning_text(notice), soft_wrap=True)
        return result.digest

    def user_name(self) -> str:
        """``--user``, else ``$CMQUIZ_USER``, else the login name."""
        if self.user:
            return self.user
        import getpass

        try:
            return getpass.getuser()
        except Exception:  # no login name (a container without a passwd entry)
            return "unknown"

    def command_line(self, *args: str) -> str:
        """A cmquiz command that works when copied: the global options in use, then ``args``."""
        import shlex

        words = ["cmquiz"]
        for bank in self.banks:
            words += ["--bank", str(bank)]
        if self.home_given and self.home is not None:
            words += ["--home", str(self.home)]
        return shlex.join([*words, *args])

    def papers_dir(self) -> Path:
        """A trainer's own papers: ``<data dir>/papers``."""
        from ..paths import data_dir

        return data_dir(self.home) / "papers"

    def library(self) -> Library:
        from ..loader import load_library

        library = load_library(self.bank_paths(), cache_dir=cache_dir(self.home))
        if library.parsed:  # read from YAML, not from the cache
            from ..yamlnodes import has_libyaml

            if not has_libyaml():
                from ..render.common import make_console, warning_text

                make_console(stderr=True).print(
                    warning_text(
                        "PyYAML 没有 libyaml(C 解析器),题库改用纯 Python 解析,大题库首次加载会慢"
                        "几倍;安装 libyaml 后重装 PyYAML 即可(题库没有变化时从缓存读取,不受影响)"
                    ),
                    soft_wrap=True,
                )
        return library


def state(ctx: typer.Context) -> State:
    obj = ctx.find_object(State)
    return obj if obj is not None else State()
