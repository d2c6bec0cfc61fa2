"""Where cmquiz keeps its files: the data dir (history) and the bundled banks."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "cmquiz"
HOME_ENV = "CMQUIZ_HOME"
BANKS_ENV = "CMQUIZ_BANKS"
HISTORY_FILE = "history.jsonl"


def data_dir(home: str | os.PathLike[str] | None = None) -> Path:
    """``--home``, else ``$CMQUIZ_HOME``, else the platform's user data dir."""
    if home:
        return Path(home).expanduser()
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def cache_dir(home: str | os.PathLike[str] | None = None) -> Path:
    """``<data dir>/cache`` when a home is given, else the platform's user cache dir."""
    if home or os.environ.get(HOME_ENV):
        return data_dir(home) / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False))


def history_path(home: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(home) / HISTORY_FILE


def bundled_banks_dir() -> Path:
    """The banks shipped with cmquiz, inside the package (``cmquiz/banks``)."""
    from importlib import resources  # only when the bundled banks are used

    return Path(str(resources.files(APP_NAME))) / "banks"


def env_bank_paths() -> list[Path]:
    """Bank paths from ``$CMQUIZ_BANKS`` (separated like PATH)."""
    raw = os.environ.get(BANKS_ENV, "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]
