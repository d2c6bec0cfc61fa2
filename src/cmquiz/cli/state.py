"""The global options every command sees (``--bank``, ``--home``), through ``ctx.obj``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ..paths import bundled_banks_dir, cache_dir, env_bank_paths, history_path

if TYPE_CHECKING:
    from ..history import HistoryStore
    from ..model import Library


@dataclass
class State:
    """Global options, shared by every command."""

    banks: list[Path] = field(default_factory=list)
    home: Path | None = None

    def bank_paths(self) -> list[Path]:
        """``--bank``, else ``$CMQUIZ_BANKS``, else the bundled banks."""
        return self.banks or env_bank_paths() or [bundled_banks_dir()]

    def history(self) -> HistoryStore:
        """The answer history in the data dir (``--home``, ``$CMQUIZ_HOME`` or the platform's)."""
        from ..history import HistoryStore

        return HistoryStore(history_path(self.home))

    def library(self) -> Library:
        from ..loader import load_library

        return load_library(self.bank_paths(), cache_dir=cache_dir(self.home))


def state(ctx: typer.Context) -> State:
    obj = ctx.find_object(State)
    return obj if obj is not None else State()
