"""Line breaking for Chinese text mixed with Latin words and numbers.

Terminal renderers break lines at spaces only, so ``利率下限为基准利率的 0.9 倍`` wraps at the
space and leaves a half-empty line, and a long run of Chinese is cut at the edge wherever it
falls, even before a comma. This module breaks between any two Chinese characters, keeps Latin
words and numbers whole, and follows the basic line-breaking rules of Chinese typesetting:
no line starts with closing punctuation and none ends with an opening bracket.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

# Characters that may not start a line (closing punctuation, half- and full-width).
NO_LINE_START = frozenset(",.;:!?)]}>%、,。;:!?)】》」』〉”’…—·~")
# Characters that may not end a line (opening brackets and quotes).
NO_LINE_END = frozenset("([{<(【《「『〈“‘")

_TOKEN = re.compile(r"\s+|[A-Za-z0-9_@#$&*+=/\\.'%-]+|.", re.DOTALL)


def cell_width(text: str) -> int:
    """Terminal cells: wide and full-width characters take two, combining marks none."""
    if text.isascii():
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def break_offsets(line: str, width: int) -> list[int]:
    """Character offsets at which to break ``line`` (no newlines in it) to fit ``width`` cells.

    Spaces at a break are left at the end of the previous line (the caller strips them).
    Linear in the length of ``line``: a word wider than the line is cut into line-wide pieces
    once, up front, and each token is measured once.
    """
    tokens = _tokens(line, width)
    breaks: list[int] = []
    used = 0
    i = 0
    while i < len(tokens):
        start, token, size = tokens[i]
        if token.isspace() or used + size <= width or used == 0:
            if used == 0 and token.isspace() and breaks:
                i += 1  # a space at the start of a wrapped line is dropped
                continue
            if used == 0 and size > width and token.isspace():
                # spaces wider than the first line: cut at the width (once per paragraph,
                # since the rest then hangs at the end of that line)
                pieces = _cut(start, token, width)
                if len(pieces) > 1:
                    tokens[i : i + 1] = [pieces[0], _joined(pieces[1:])]
                    continue
            used += size
            i += 1
            continue
        # ``token`` does not fit: break before it, moving back over forbidden positions.
        j = i
        while j > 0 and _forbidden_break(tokens, j) and not _at_line_start(tokens, j, breaks):
            j -= 1
        if _at_line_start(tokens, j, breaks):
            j = i  # cannot honour the rule without an empty line; break where it overflows
        while j < len(tokens) and tokens[j][1].isspace():
            j += 1  # spaces at a break stay at the end of the line above
        if j == len(tokens):
            break
        breaks.append(tokens[j][0])
        used = 0
        i = j
    return breaks


_Token = tuple[int, str, int]  # start offset, text, cells


def _tokens(line: str, width: int) -> list[_Token]:
    """Spaces, Latin words and numbers, and single characters; a word wider than ``width`` as
    line-wide pieces (it always starts a line, so it is cut where it would be cut there)."""
    tokens: list[_Token] = []
    for match in _TOKEN.finditer(line):
        text = match.group()
        size = cell_width(text)
        if size > width and len(text) > 1 and not text.isspace():
            tokens.extend(_cut(match.start(), text, width))
        else:
            tokens.append((match.start(), text, size))
    return tokens


def _cut(start: int, text: str, width: int) -> list[_Token]:
    """``text`` in pieces of at most ``width`` cells, each as long as fits; from a character
    wider than the line on, the rest is one piece (it cannot fit anywhere)."""
    pieces: list[_Token] = []
    begin = acc = 0
    for k, ch in enumerate(text):
        w = 1 if ch.isascii() else cell_width(ch)
        if acc + w > width:
            if k == begin:
                break
            pieces.append((start + begin, text[begin:k], acc))
            begin, acc = k, 0
            if w > width:
                break
        acc += w
    else:
        pieces.append((start + begin, text[begin:], acc))
        return pieces
    rest = text[begin:]
    pieces.append((start + begin, rest, cell_width(rest)))
    return pieces


def _joined(pieces: list[_Token]) -> _Token:
    return (pieces[0][0], "".join(p[1] for p in pieces), sum(p[2] for p in pieces))


def _forbidden_break(tokens: list[_Token], j: int) -> bool:
    after = tokens[j][1]
    before = tokens[j - 1][1]
    return (after[:1] in NO_LINE_START) or (before[-1:] in NO_LINE_END)


def _at_line_start(tokens: list[_Token], j: int, breaks: list[int]) -> bool:
    line_start = breaks[-1] if breaks else 0
    return tokens[j][0] <= line_start


def wrap(text: str, width: int) -> list[str]:
    """``text`` as lines of at most ``width`` cells (existing newlines are kept)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        offsets = [0, *break_offsets(paragraph, width), len(paragraph)]
        for a, b in itertools.pairwise(offsets):
            lines.append(paragraph[a:b].rstrip())
    return lines
