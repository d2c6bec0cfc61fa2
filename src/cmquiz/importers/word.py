"""Word documents (.docx), read with python-docx (imported only when a Word file is read).

The document is read in body order. Paragraphs become lines of numbered question text (the
``numbered`` reader does the rest, key blocks included); a table whose first rows hold a header
naming a stem column (the CSV column names: 题干、A、B、答案…) is a question table, one question
a row; any other table is read row by row as text (``1 | 题干``, ``A | 甲``, a ``题号 / 答案``
key table), merged cells counted once.

When the file has no answer for a question, the option shown in red, bold, underline or
highlight is its answer, if some but not all of its options are marked that way. A picture in a
question stands as ``IMAGE_MARK`` and the question is reported "含图片,未导入". Places in the
report: ``第 N 段`` (the paragraph) or ``表 T 第 R 行``.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from ..errors import ImportSourceError
from . import csv_table, numbered
from .drafts import IMAGE_MARK, Draft, Parsed, Rule, mark_pictures

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAX_UNPACKED = 512 * 1024 * 1024  # a zip that unpacks to more than this is refused
_FALSE = {"0", "false", "off", "none"}


def _is_zip_with(data: bytes, folder: str) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(name.startswith(folder) for name in archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return folder.encode() in data  # a damaged file: its local headers still name the parts


def looks_like_bytes(data: bytes) -> bool:
    return _is_zip_with(data, "word/")


def check_zip(data: bytes, what: str) -> None:
    """Refuse a damaged zip, or one that unpacks to far more than any real document."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportSourceError(f"{what}文件已损坏或不完整(zip 结构无法读取)") from None
    if total > _MAX_UNPACKED:
        raise ImportSourceError(f"{what}文件解压后超过 512 MB,不像是题库,已拒绝")


def library_failure(what: str, exc: Exception) -> ImportSourceError:
    """A python-docx/openpyxl failure on a damaged file, as one message."""
    reason = {
        "KeyError": "缺少必需的部件",
        "BadZipFile": "zip 结构无法读取",
        "XMLSyntaxError": "XML 内容有误",
        "ParseError": "XML 内容有误",
    }.get(type(exc).__name__, "格式无法识别")
    return ImportSourceError(f"无法读取{what}文件:文件已损坏或不是有效的{what}文件({reason})")


@dataclass
class _Line:
    text: str
    place: str
    marked: list[bool] = field(default_factory=list)  # per character: red/bold/underline/…


def _on(element: Any, name: str) -> bool:
    found = element.find(_W + name)
    if found is None:
        return False
    return (found.get(_W + "val") or "true").lower() not in _FALSE


def _emphasized(run: Any) -> bool:
    """Direct formatting of a run that marks an answer: red, bold, underline, highlight."""
    props = run.find(_W + "rPr")
    if props is None:
        return False
    if _on(props, "b") or _on(props, "u") or _on(props, "highlight"):
        return True
    color = props.find(_W + "color")
    value = (color.get(_W + "val") or "") if color is not None else ""
    if len(value) == 6:
        try:
            red, green, blue = (int(value[i : i + 2], 16) for i in (0, 2, 4))
        except ValueError:
            red = green = blue = 0
        if red >= 0xB0 and green <= 0x70 and blue <= 0x70:
            return True
    shading = props.find(_W + "shd")
    fill = (shading.get(_W + "fill") or "auto").lower() if shading is not None else "auto"
    return fill not in ("auto", "ffffff", "")


def _has_picture(element: Any) -> bool:
    for node in element.iter():
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag.endswith(("}blip", "}imagedata")):
            return True
    return False


def _paragraph_text(paragraph: Any) -> tuple[str, list[bool]]:
    """The text of a paragraph (line breaks kept) and, per character, whether it is marked."""
    chars: list[str] = []
    marks: list[bool] = []
    for run in paragraph.iter(_W + "r"):
        marked = _emphasized(run)
        for child in run:
            tag = child.tag if isinstance(child.tag, str) else ""
            piece = ""
            if tag == _W + "t":
                piece = child.text or ""
            elif tag == _W + "tab":
                piece = "\t"
            elif tag in (_W + "br", _W + "cr"):
                piece = "\n"
            elif tag == _W + "noBreakHyphen":
                piece = "-"
            elif tag in (_W + "drawing", _W + "pict", _W + "object") and _has_picture(child):
                piece = IMAGE_MARK
            chars.append(piece)
            marks.extend([marked] * len(piece))
    text = "".join(chars).replace(IMAGE_MARK + IMAGE_MARK, IMAGE_MARK)
    if len(text) != len(marks):  # only when two picture marks were merged: drop the detail
        marks = [False] * len(text)
    return text, marks


def _cell_text(cell: Any) -> tuple[str, list[bool]]:
    texts: list[str] = []
    marks: list[bool] = []
    for paragraph in cell.iter(_W + "p"):
        text, marked = _paragraph_text(paragraph)
        if texts:
            texts.append("\n")
            marks.append(False)
        texts.append(text)
        marks.extend(marked)
    return "".join(texts), marks


def _row_cells(table: Any) -> list[list[tuple[str, list[bool], bool]]]:
    """Each row's cells as (text, marks, continues): a cell merged across columns once; a cell
    merged down from the row above is marked ``continues`` (its text is the top cell's)."""
    rows: list[list[tuple[str, list[bool], bool]]] = []
    above: list[Any] = []
    for row in table.rows:
        cells: list[tuple[str, list[bool], bool]] = []
        seen: list[Any] = []
        for cell in row.cells:
            tc = cell._tc
            if seen and seen[-1] is tc:
                continue
            seen.append(tc)
            text, marks = _cell_text(tc)
            cells.append((text, marks, any(tc is other for other in above)))
        above = seen
        rows.append(cells)
    return rows


def _row_line(cells: list[tuple[str, list[bool], bool]]) -> tuple[str, list[bool]]:
    """A table row as one line of text: ``1 | 题干`` -> ``1. 题干``, ``答案 | B`` -> ``答案: B``."""
    parts: list[tuple[str, list[bool]]] = []
    for cell_text, cell_marks, continues in cells:
        flat = cell_text.replace("\n", " ")
        lead = len(flat) - len(flat.lstrip())
        kept = flat.strip()
        if kept and not continues:
            parts.append((kept, cell_marks[lead : lead + len(kept)]))
    if not parts:
        return "", []
    first = parts[0][0]
    joiner = "  "
    if len(parts) > 1:
        if first.isdigit():
            parts[0] = (f"{first}.", [False] * (len(first) + 1))
            joiner = " "
        elif len(first) == 1 and first.upper() in "ABCDEFGH":
            parts[0] = (f"{first}.", [False, False])
            joiner = " "
    line = joiner.join(t for t, _ in parts)
    marks: list[bool] = []
    for index, (part, marked) in enumerate(parts):
        if index:
            marks.extend([False] * len(joiner))
        marks.extend(marked[: len(part)] + [False] * (len(part) - len(marked)))
    return line, marks


def _marked_keys(text: str, marks: list[bool]) -> set[str]:
    """The options of a line most of whose characters are marked."""
    keys = set()
    for key, start, end in numbered.option_spans_of_line(text):
        shown = [marks[i] for i in range(start, min(end, len(marks))) if not text[i].isspace()]
        if shown and sum(shown) * 2 > len(shown):
            keys.add(key)
    return keys


def _header_row(rows: list[list[tuple[str, list[bool], bool]]]) -> int | None:
    for index, cells in enumerate(rows[:3]):
        if "stem" in csv_table.header_columns([t for t, _, _ in cells]):
            return index
    return None


class _Document:
    def __init__(self) -> None:
        self.lines: list[_Line] = []
        self.tables: list[tuple[int, list[list[tuple[str, list[bool], bool]]], str]] = []
        self.paragraph = 0
        self.table = 0

    def add_paragraph(self, element: Any) -> None:
        self.paragraph += 1
        text, marks = _paragraph_text(element)
        place = f"第 {self.paragraph} 段"
        start = 0
        for piece in text.split("\n"):
            self.lines.append(_Line(piece, place, marks[start : start + len(piece)]))
            start += len(piece) + 1

    def add_table(self, table: Any) -> None:
        self.table += 1
        rows = _row_cells(table)
        header = _header_row(rows)
        if header is not None:
            first = len(self.lines) + 1
            for number in range(1, len(rows) + 1):
                self.lines.append(_Line("", f"表 {self.table} 第 {number} 行"))
            self.tables.append((first, rows[header:], str(self.table)))
            return
        for number, cells in enumerate(rows, start=1):
            text, marks = _row_line(cells)
            self.lines.append(_Line(text, f"表 {self.table} 第 {number} 行", marks))


def _walk(document: Any, container: Any, into: _Document) -> None:
    from docx.table import Table

    for child in container.iterchildren():
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == _W + "p":
            into.add_paragraph(child)
        elif tag == _W + "tbl":
            into.add_table(Table(child, document))
        elif tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                _walk(document, content, into)


def _table_drafts(doc: _Document, parsed: Parsed) -> None:
    """Question tables: header row, then one question a row (as a CSV row)."""
    for first, rows, _ in doc.tables:
        header = csv_table.header_columns([t for t, _, _ in rows[0]])
        table_rows = [(first + i, [t for t, _, _ in cells]) for i, cells in enumerate(rows)]
        before = len(parsed.drafts)
        csv_table.rows_to_drafts(table_rows, parsed, unescape_cells=False)
        marks_by_line = {first + i: cells for i, cells in enumerate(rows)}
        for draft in parsed.drafts[before:]:
            _emphasis_from_cells(draft, header, marks_by_line.get(draft.line, []))


def _emphasis_from_cells(
    draft: Draft, header: list[str | None], cells: list[tuple[str, list[bool], bool]]
) -> None:
    if draft.answer is not None:
        return
    marked = set()
    for column, (text, marks, _) in zip(header, cells, strict=False):
        shown = [m for ch, m in zip(text, marks, strict=False) if not ch.isspace()]
        if column and column.startswith("option:") and shown and sum(shown) * 2 > len(shown):
            marked.add(column.split(":")[1])
    keys = {key for key, _ in draft.options}
    if marked and marked < keys:
        draft.answer, draft.answer_rule = "".join(sorted(marked)), Rule.EMPHASIS


def parse_bytes(data: bytes) -> Parsed:
    check_zip(data, "Word ")
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        doc = _Document()
        _walk(document, document.element.body, doc)
    except ImportSourceError:
        raise
    except Exception as exc:  # python-docx on a damaged file: any of its errors
        raise library_failure("Word ", exc) from None
    places = [line.place for line in doc.lines]

    def place(line: int) -> str:
        return places[line - 1] if 0 < line <= len(places) else f"第 {line} 行"

    emphasized = {
        number: keys
        for number, line in enumerate(doc.lines, start=1)
        if any(line.marked) and (keys := _marked_keys(line.text, line.marked))
    }
    parsed = numbered.parse("\n".join(line.text for line in doc.lines), place, emphasized)
    _table_drafts(doc, parsed)
    parsed.drafts.sort(key=lambda d: d.line)
    parsed.place = place
    mark_pictures(parsed)
    return parsed
