"""Writing a cache file: whole, then put in place atomically, or not at all.

A cache (the banks', the history's digest) is only ever a shortcut: a reader never sees half a
file (the new one replaces the old in one rename), and a cache that cannot be written, on a
full disk or in a read-only folder, is simply not written.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import suppress
from pathlib import Path


def replace_file(path: Path, data: bytes) -> bool:
    """Write ``data`` to a temporary file beside ``path`` and rename it over ``path``; False
    (and nothing left behind) when it cannot be done."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem[:8]}-", suffix=".tmp")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        with suppress(OSError):
            os.unlink(tmp)
        return False
    return True
