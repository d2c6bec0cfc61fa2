"""Keeping terminal control characters out of what cmquiz prints.

Bank text, file names and values quoted in error messages may come from untrusted files; an
escape sequence in them must never reach the terminal.
"""

from __future__ import annotations

import re

# The control characters (Unicode category Cc: C0, DEL, C1) and the bidi overrides; a tab and a
# newline are the only controls text may keep (a tab becomes a space).
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_REMOVED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """Remove control characters (ESC, BEL, C1, bidi overrides); keep newlines, tabs -> space.

    One regular-expression scan; text without controls (nearly all of it) is returned as is."""
    if _ANY_CONTROL.search(text) is None:
        return text
    return _REMOVED.sub("", text.replace("\t", " "))


def clean_text(text: str) -> str:
    """``strip_controls``, then trailing spaces on each line and blank edges removed."""
    text = strip_controls(text)
    if "\n" in text:  # line by line: linear however long a run of spaces is
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text.strip()


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
