"""Decoding and encoding JSON fast: ``orjson`` (a dependency, a maintained Rust library about
four times faster than the standard one on cmquiz's lines) when it can be imported, ``json``
when not.

What the two accept differs only at the edges: orjson refuses lone surrogates, numbers that
overflow a double and ``NaN``, and reads integers past 64 bits as floats. So the history reader
takes orjson's value only when it makes a valid record, and reads every other line again with
``json`` (``history.Cursor``): what is accepted, and what each warning says, stays the same.
The caches cmquiz writes are read with ``loads_written``, which falls back the same way.
``dumps`` writes compact UTF-8 (what ``json.dumps(..., ensure_ascii=False,
separators=(",", ":"))`` writes).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _json_dumps(value: Any) -> bytes:
    try:
        return _ENCODER.encode(value).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: escaped, so the bytes stay UTF-8
        return json.dumps(value, separators=(",", ":")).encode("ascii")


def _codec() -> tuple[Callable[[bytes | str], Any], Callable[[Any], bytes]]:
    try:
        import orjson
    except ImportError:  # installed without its dependencies: the standard library
        return json.loads, _json_dumps

    def dumps(value: Any) -> bytes:
        try:
            return orjson.dumps(value)
        except TypeError:  # what orjson will not write (a lone surrogate): json writes it
            return _json_dumps(value)

    return orjson.loads, dumps


loads, dumps = _codec()
FAST = loads is not json.loads


def loads_written(raw: bytes | str) -> Any:
    """JSON that cmquiz wrote itself (a cache): ``loads``, and ``json`` again for what orjson
    refuses (``NaN``, which ``json`` writes for a float that is not a number; a lone surrogate,
    which ``dumps`` leaves to ``json``), so every value reads back as it was written."""
    try:
        return loads(raw)
    except ValueError:
        return json.loads(raw)
