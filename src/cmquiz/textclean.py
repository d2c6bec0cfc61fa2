"""Keeping terminal control characters out of what cmquiz prints.

Bank text, file names and values quoted in error messages may come from untrusted files; an
escape sequence in them must never reach the terminal.
"""

from __future__ import annotations

import unicodedata

_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def strip_controls(text: str) -> str:
    """Remove control characters (ESC, BEL, C1, bidi overrides); keep newlines, tabs -> space."""
    kept = [
        ch
        for ch in text
        if ch == "\n"
        or ch == "\t"
        or (unicodedata.category(ch) != "Cc" and ch not in _BIDI_CONTROLS)
    ]
    return "".join(kept).replace("\t", " ")


def clean_text(text: str) -> str:
    """``strip_controls``, then trailing spaces on each line and blank edges removed."""
    lines = strip_controls(text).split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def shorten(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters with ``…`` when longer: a value quoted in a message
    (an id, a title) that may be absurdly long."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"
