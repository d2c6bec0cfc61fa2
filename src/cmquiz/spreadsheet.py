"""CSV for spreadsheets (Excel, WPS): UTF-8 with a BOM, CRLF line ends, and no cell that a
spreadsheet would run as a formula.

A cell starting with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which some
spreadsheets skip before looking) is read as a formula by Excel and LibreOffice, so text from a
bank or a history could run one ("CSV injection"). Such a cell gets a leading apostrophe, which
spreadsheets show as text and do not display.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def as_text_cell(value: str) -> str:
    """Text a spreadsheet shows as text, never runs: an apostrophe first when the text (after
    any apostrophes it starts with) begins like a formula. ``from_text_cell`` undoes it exactly,
    so a file written and read back (``cmquiz export`` then ``import``) keeps every cell."""
    rest = value.lstrip("'")
    return "'" + value if rest.startswith(FORMULA_STARTS) else value


def from_text_cell(value: str) -> str:
    """The text ``as_text_cell`` was given."""
    if value.startswith("'") and as_text_cell(value[1:]) == value:
        return value[1:]
    return value


def safe_cell(value: object) -> str:
    """A cell's text, never a formula: numbers stay numbers, text that could be one is quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return str(value)
    return as_text_cell(str(value))


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The whole table: BOM, header, rows; CRLF line ends; every cell through ``safe_cell``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return BOM + out.getvalue()
