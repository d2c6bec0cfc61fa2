"""Decoding JSON fast: ``orjson`` (a dependency, a maintained Rust parser about four times
faster than the standard library on cmquiz's lines) when it can be imported, ``json`` when not.

What the two accept differs only at the edges: orjson refuses lone surrogates, numbers that
overflow a double and ``NaN``, and reads integers past 64 bits as floats. So the history reader
takes orjson's value only when it makes a valid record, and reads every other line again with
``json`` (``history.Cursor``): what is accepted, and what each warning says, stays the same.
The caches cmquiz writes itself hold none of those edge cases.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any


def _loads() -> Callable[[bytes | str], Any]:
    try:
        import orjson
    except ImportError:  # installed without its dependencies: the standard library
        return json.loads
    return orjson.loads


loads: Callable[[bytes | str], Any] = _loads()
FAST = loads is not json.loads
