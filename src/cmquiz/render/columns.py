"""Fixed-width listings that fit the terminal: every column but one has a width, the flexible
one takes the rest and is cut with an ellipsis, so a line never wraps and no column is squeezed
out (Rich's tables drop narrow columns when a no-wrap column is long). Chinese text is measured
in terminal cells. On a narrow terminal, optional columns are left out, the last one first,
until a line fits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text

GAP = 2
MIN_FLEXIBLE = 8  # the flexible column never gets narrower


@dataclass(frozen=True)
class Column:
    header: str
    width: int | None = None  # None: the flexible column (or the widest cell, up to ``cap``)
    right: bool = False
    cap: int = 24
    flexible: bool = False
    optional: bool = False  # left out (the last one first) when the line would not fit


def cell(text: Text | str, width: int, right: bool = False) -> Text:
    """``text`` cut to ``width`` cells (with an ellipsis) and padded to exactly that width."""
    value = Text(text) if isinstance(text, str) else text.copy()
    value.truncate(width, overflow="ellipsis")
    pad = width - value.cell_len
    if pad > 0:
        return Text(" " * pad) + value if right else value + Text(" " * pad)
    return value


def listing(
    columns: Sequence[Column], rows: Sequence[Sequence[Text | str]], width: int, title: str = ""
) -> Text:
    """The header, a rule and one line per row, ``width`` cells wide at most."""
    shown = list(range(len(columns)))
    while True:
        columns_shown = [columns[i] for i in shown]
        rows_shown = [[row[i] for i in shown] for row in rows]
        widths = _fixed_widths(columns_shown, rows_shown)
        fixed = sum(widths) + GAP * (len(shown) - 1)
        least = fixed + 1 + sum(MIN_FLEXIBLE for c in columns_shown if c.flexible)
        optional = [i for i in shown if columns[i].optional]
        if least <= width or not optional:
            break
        shown.remove(optional[-1])
    columns, rows = columns_shown, rows_shown
    for i, column in enumerate(columns):
        if column.flexible:
            widths[i] = max(MIN_FLEXIBLE, min(_longest(column, rows, i), width - fixed - 1))
    lines: list[Text] = []
    if title:
        lines.append(Text(title, style="bold"))
    gap = Text(" " * GAP)
    header = gap.join(cell(c.header, w, c.right) for c, w in zip(columns, widths, strict=True))
    header.stylize("bold")
    lines.append(header)
    lines.append(Text("─" * min(width - 1, header.cell_len), style="dim"))
    for row in rows:
        lines.append(
            gap.join(cell(v, w, c.right) for c, w, v in zip(columns, widths, row, strict=True))
        )
    for line in lines:
        line.rstrip()
    return Text("\n").join(lines)


def _len(value: Text | str) -> int:
    return Text(value).cell_len if isinstance(value, str) else value.cell_len


def _longest(column: Column, rows: Sequence[Sequence[Text | str]], i: int) -> int:
    return max([Text(column.header).cell_len, *(_len(row[i]) for row in rows)])


def _fixed_widths(columns: Sequence[Column], rows: Sequence[Sequence[Text | str]]) -> list[int]:
    """Each column's width; 0 for the flexible one (it takes what is left)."""
    return [
        0
        if column.flexible
        else column.width
        if column.width is not None
        else min(_longest(column, rows, i), column.cap)
        for i, column in enumerate(columns)
    ]
