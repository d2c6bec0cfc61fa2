"""A JSON cache of validated banks, so a start-up with unchanged banks skips YAML entirely.

One file per cache directory maps each bank's absolute path to its size, modification time and
validated content (``Question.to_dict``). An entry is used only when size and mtime still match
and the cache was written by the same cmquiz version; anything unreadable is ignored and
rewritten. Only banks that passed validation are stored. JSON, not pickle: a cache file can
never run code.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any

from . import __version__
from .model import Bank, Question

CACHE_FILE = "banks.json"
CACHE_FORMAT = 2
# A file changed less than this long ago may change again within the same timestamp tick on
# coarse file systems, so it is not cached yet (the "racy timestamp" rule git uses).
RACY_SECONDS = 2.0


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def _key(path: Path) -> str:
    return os.path.realpath(path)  # never raises, unlike Path.resolve on a symlink loop


def _read(cache_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((cache_dir / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    if data.get("format") != CACHE_FORMAT or data.get("version") != __version__:
        return {}
    entries = data.get("banks")
    return entries if isinstance(entries, dict) else {}


def cached_banks(paths: Sequence[Path], cache_dir: Path) -> list[Bank] | None:
    """The banks at ``paths`` from the cache, or None unless every one of them is fresh."""
    entries = _read(cache_dir)
    banks: list[Bank] = []
    for path in paths:
        entry = entries.get(_key(path))
        stamp = _stamp(path)
        if not isinstance(entry, dict) or stamp is None or entry.get("stamp") != list(stamp):
            return None
        try:
            title = entry["title"]
            banks.append(
                Bank(
                    title=title,
                    description=entry.get("description"),
                    path=str(path),
                    questions=tuple(
                        Question.from_dict(q, bank=title, line=line)
                        for q, line in zip(entry["questions"], entry["lines"], strict=True)
                    ),
                    retired=tuple(entry.get("retired", ())),
                )
            )
        except Exception:  # a cache of the wrong shape is just a miss
            return None
    return banks


def store_banks(banks: Sequence[Bank], cache_dir: Path) -> None:
    """Record validated banks; a cache that cannot be written is silently skipped."""
    entries = _read(cache_dir)
    for bank in banks:
        if not bank.path:
            continue
        path = Path(bank.path)
        stamp = _stamp(path)
        if stamp is None or time.time() - stamp[1] / 1e9 < RACY_SECONDS:
            continue
        entries[_key(path)] = {
            "stamp": list(stamp),
            "title": bank.title,
            "description": bank.description,
            "questions": [q.to_dict() for q in bank.questions],
            "lines": [q.line for q in bank.questions],
            "retired": list(bank.retired),
        }
    payload = {"format": CACHE_FORMAT, "version": __version__, "banks": entries}
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".banks-", suffix=".json")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(payload, f, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, cache_dir / CACHE_FILE)
    except OSError:
        with suppress(OSError):
            os.unlink(tmp)
