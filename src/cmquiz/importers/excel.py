"""Excel workbooks (.xlsx), read with openpyxl (imported only when an Excel file is read).

Every sheet is looked at: a row among its first 20 that names a stem column (the CSV column
names: 题型、题干、选项A…选项H or A…H、答案、知识点、难度、解析…) is its header, and each row
below it is a question, read exactly as a CSV row. A merged cell gives its value to every cell
it covers (a 题型 or 知识点 written once for a block of rows). Without an answer column, the
option cells shown in red, bold, underline or a fill colour are the answer, when some but not
all of a row's options are. A picture anchored in a question's row is reported "含图片,未导入".
A workbook with no such header anywhere is read as numbered question text, row by row.
Places in the report: ``工作表 S 第 R 行``.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from ..errors import ImportSourceError
from . import csv_table, numbered
from .drafts import IMAGE_MARK, Note, Parsed, Rule, mark_pictures
from .word import _is_zip_with, check_zip, library_failure

_HEADER_ROWS = 20


def looks_like_bytes(data: bytes) -> bool:
    return _is_zip_with(data, "xl/")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _marked(cell: Any) -> bool:
    """Formatting that marks an answer: red text, bold, underline, a fill colour."""
    font = getattr(cell, "font", None)
    if font is not None:
        if font.b or (font.u and font.u != "none"):
            return True
        rgb = getattr(getattr(font, "color", None), "rgb", None)
        if isinstance(rgb, str) and len(rgb) == 8:
            try:
                red, green, blue = (int(rgb[i : i + 2], 16) for i in (2, 4, 6))
            except ValueError:
                red = green = blue = 0
            if red >= 0xB0 and green <= 0x70 and blue <= 0x70:
                return True
    fill = getattr(cell, "fill", None)
    if fill is not None and getattr(fill, "fill_type", None) == "solid":
        rgb = getattr(getattr(fill, "fgColor", None), "rgb", None)
        if isinstance(rgb, str) and rgb.upper() not in ("00000000", "FFFFFFFF"):
            return True
    return False


class _Sheet:
    """One sheet as a grid of text, merged cells filled in, pictures marked."""

    def __init__(self, sheet: Any) -> None:
        self.name = str(sheet.title)
        self.cells: dict[tuple[int, int], str] = {}
        self.marks: dict[tuple[int, int], bool] = {}
        self.max_row = 0
        self.max_col = 0
        for row in sheet.iter_rows():
            for cell in row:
                value = _text(cell.value)
                if value:
                    self.cells[(cell.row, cell.column)] = value
                    self.max_row = max(self.max_row, cell.row)
                    self.max_col = max(self.max_col, cell.column)
                    if _marked(cell):
                        self.marks[(cell.row, cell.column)] = True
        for merged in list(getattr(sheet.merged_cells, "ranges", [])):
            top = (merged.min_row, merged.min_col)
            value = self.cells.get(top, "")
            for r in range(merged.min_row, min(merged.max_row, self.max_row) + 1):
                for c in range(merged.min_col, min(merged.max_col, self.max_col) + 1):
                    if value:
                        self.cells[(r, c)] = value
                    if self.marks.get(top):
                        self.marks[(r, c)] = True
        self.pictures: list[tuple[int, int]] = []
        for image in getattr(sheet, "_images", []):
            anchor = getattr(getattr(image, "anchor", None), "_from", None)
            if anchor is not None:
                self.pictures.append((int(anchor.row) + 1, int(anchor.col) + 1))
                self.max_row = max(self.max_row, int(anchor.row) + 1)

    def row(self, r: int) -> list[str]:
        return [self.cells.get((r, c), "") for c in range(1, self.max_col + 1)]

    def header(self) -> int | None:
        seen = 0
        for r in range(1, self.max_row + 1):
            cells = self.row(r)
            if not any(cells):
                continue
            if "stem" in csv_table.header_columns(cells):
                return r
            seen += 1
            if seen >= _HEADER_ROWS:
                return None
        return None


def _read(workbook: Any) -> tuple[list[_Sheet], Parsed]:
    sheets = [_Sheet(ws) for ws in workbook.worksheets]
    parsed = Parsed()
    places: list[str] = []
    found = False
    for sheet in sheets:
        header = sheet.header()
        if header is None:
            if sheet.cells:
                parsed.warnings.append(
                    Note(None, f"工作表 {sheet.name} 中找不到带“题干”列的表头,未读取")
                )
            continue
        found = True
        columns = csv_table.header_columns(sheet.row(header))
        stem_col = columns.index("stem") + 1
        for picture_row, picture_col in sheet.pictures:
            if picture_row > header:
                column = columns[picture_col - 1] if picture_col <= len(columns) else None
                target = picture_col if column and column.startswith("option:") else stem_col
                key = (picture_row, target)
                sheet.cells[key] = sheet.cells.get(key, "") + IMAGE_MARK
        first = len(places) + 1
        rows = []
        for r in range(header, sheet.max_row + 1):
            places.append(f"工作表 {sheet.name} 第 {r} 行")
            rows.append((first + r - header, sheet.row(r)))
        before = len(parsed.drafts)
        csv_table.rows_to_drafts(rows, parsed)
        for draft in parsed.drafts[before:]:
            if draft.answer is not None:
                continue
            r = header + draft.line - first
            marked = {
                column.split(":")[1]
                for c, column in enumerate(columns, start=1)
                if column and column.startswith("option:") and sheet.marks.get((r, c))
            }
            keys = {key for key, _ in draft.options}
            if marked and marked < keys:
                draft.answer, draft.answer_rule = "".join(sorted(marked)), Rule.EMPHASIS
    if not found:
        return sheets, _as_text(sheets)
    parsed.place = _placer(places)
    return sheets, parsed


def _placer(places: list[str]) -> Any:
    def place(line: int) -> str:
        return places[line - 1] if 0 < line <= len(places) else f"第 {line} 行"

    return place


def _as_text(sheets: list[_Sheet]) -> Parsed:
    """No header anywhere: the cells, row by row, as numbered question text."""
    lines: list[str] = []
    places: list[str] = []
    for sheet in sheets:
        for picture_row, picture_col in sheet.pictures:
            key = (picture_row, picture_col)
            sheet.cells[key] = sheet.cells.get(key, "") + IMAGE_MARK
        for r in range(1, sheet.max_row + 1):
            lines.append("  ".join(c.replace("\n", " ") for c in sheet.row(r) if c))
            places.append(f"工作表 {sheet.name} 第 {r} 行")
    parsed = numbered.parse("\n".join(lines), _placer(places))
    if not parsed.records:
        raise ImportSourceError(
            "Excel 工作簿中找不到题目:没有带“题干”列的表头(列名同 CSV:题型、题干、A、B、答案…),"
            "也没有编号题目"
        )
    return parsed


def parse_bytes(data: bytes) -> Parsed:
    check_zip(data, "Excel ")
    try:
        import openpyxl  # type: ignore[import-untyped]

        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        try:
            parsed = _read(workbook)[1]
            mark_pictures(parsed)
            return parsed
        finally:
            workbook.close()
    except ImportSourceError:
        raise
    except Exception as exc:  # openpyxl on a damaged file: any of its errors
        raise library_failure("Excel ", exc) from None
