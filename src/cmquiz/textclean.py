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


DISPLAY_LIMIT = 2000
"""Characters of one field a screen shows (the longest field of the bundled banks has 288)."""
DISPLAY_LINES = 40
"""Lines of one field a screen shows."""


def clip(text: str, limit: int = DISPLAY_LIMIT, *, max_lines: int = DISPLAY_LINES) -> str:
    """What a panel shows of a field: the first ``limit`` characters and ``max_lines`` lines,
    then how much was left out (``……(其余 998,000 字未显示)``). Short text is returned as is.

    A bank may hold a stem of a million characters; printed whole it scrolls the question off
    the screen and takes the terminal seconds to draw.
    """
    kept = text[:limit]
    end = -1
    for _ in range(max_lines):
        end = kept.find("\n", end + 1)
        if end < 0:
            break
    if end >= 0:
        kept = kept[:end]
    if len(kept) == len(text):
        return text
    return f"{kept}……(其余 {len(text) - len(kept):,} 字未显示)"
