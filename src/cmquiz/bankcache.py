"""A JSON cache of validated banks, so a start-up with unchanged banks skips YAML entirely.

One cache file per bank (``<cache dir>/banks/<hash of the bank's real path>.json``) holds the
bank's path, size and modification time and its validated content (``Question.to_dict``). It
is used only when path, size and mtime still match and it was written by the same cmquiz
version; anything unreadable, oversized or of the wrong shape is a miss, and the bank is read
and cached again. Loading one bank reads one cache file once, whatever else was ever cached, so
a small bank never gets slower because a big one was loaded once. Files are written whole with
the C JSON encoder (``json.dumps``; ``json.dump`` would encode in Python) and replaced
atomically. Only banks that passed validation are stored. JSON, not pickle: a cache file can
never run code.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import time
from contextlib import suppress
from pathlib import Path
from typing import Any

from . import __version__
from .errors import BankError
from .model import Bank, Question
from .textfile import MAX_FILE_BYTES, read_bytes

CACHE_SUBDIR = "banks"
CACHE_FORMAT = 3
LEGACY_CACHE_FILE = "banks.json"  # format 2: every bank ever loaded, in one file
MAX_CACHE_BYTES = 8 * MAX_FILE_BYTES
# A file changed less than this long ago may change again within the same timestamp tick on
# coarse file systems, so it is not cached yet (the "racy timestamp" rule git uses).
RACY_SECONDS = 2.0


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return st.st_size, st.st_mtime_ns


def _key(path: Path) -> str:
    return os.path.realpath(path)  # never raises, unlike Path.resolve on a symlink loop


def cache_file(path: Path, cache_dir: Path) -> Path:
    """Where the bank at ``path`` is cached."""
    digest = hashlib.sha256(os.fsencode(_key(path))).hexdigest()[:32]
    return cache_dir / CACHE_SUBDIR / f"{digest}.json"


def cached_bank(path: Path, cache_dir: Path) -> Bank | None:
    """The bank at ``path`` from its cache file, or None when there is no fresh, sound one."""
    stamp = _stamp(path)
    if stamp is None:
        return None
    try:
        data = json.loads(read_bytes(cache_file(path, cache_dir), limit=MAX_CACHE_BYTES))
    except (BankError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    if (
        data.get("format") != CACHE_FORMAT
        or data.get("version") != __version__
        or data.get("path") != _key(path)
        or data.get("stamp") != list(stamp)
    ):
        return None
    try:
        title = data["title"]
        return Bank(
            title=title,
            description=data.get("description"),
            path=str(path),
            questions=tuple(
                Question.from_dict(q, bank=title, line=line)
                for q, line in zip(data["questions"], data["lines"], strict=True)
            ),
            retired=tuple(data.get("retired", ())),
        )
    except Exception:  # a cache of the wrong shape is just a miss
        return None


def store_bank(bank: Bank, cache_dir: Path) -> None:
    """Record a validated bank; a cache that cannot be written is silently skipped."""
    if not bank.path:
        return
    path = Path(bank.path)
    stamp = _stamp(path)
    if stamp is None or time.time() - stamp[1] / 1e9 < RACY_SECONDS:
        return
    payload: dict[str, Any] = {
        "format": CACHE_FORMAT,
        "version": __version__,
        "path": _key(path),
        "stamp": list(stamp),
        "title": bank.title,
        "description": bank.description,
        "questions": [q.to_dict() for q in bank.questions],
        "lines": [q.line for q in bank.questions],
        "retired": list(bank.retired),
    }
    encoded = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    target = cache_file(path, cache_dir)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".bank-", suffix=".json")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(encoded)
        os.replace(tmp, target)
    except OSError:
        with suppress(OSError):
            os.unlink(tmp)
        return
    with suppress(OSError):  # the one-file cache of earlier versions, never read again
        (cache_dir / LEGACY_CACHE_FILE).unlink()
