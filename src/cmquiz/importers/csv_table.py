"""CSV/TSV tables with a header row, as spreadsheets export them, in and out.

Import: the header names the columns, in Chinese or English (题型/type, 题干/stem,
选项A…选项H or A…H, 答案/answer, 知识点/topic, 知识点代码, 难度, 解析, 依据, 出处, 出题人, id);
the delimiter is the one (comma, tab, semicolon, bar) that makes the most header cells known,
else what ``csv.Sniffer`` finds. Encodings are handled by ``loader.read_text``.

Export: UTF-8 with a BOM and CRLF line ends (Excel and WPS open it as Chinese text), every
field of the bank format in its own column, plus three columns first for Anki: 正面 (stem and
options), 背面 (answer and explanation) as HTML, and 标签 (the knowledge point as a tag).
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence

from ..answers import JUDGE_TRUE, OPTION_KEYS
from ..errors import ImportSourceError
from ..fields import (
    FIELDS_BY_NAME,
    FREE_TEXT_FIELDS,
    QUESTION_FIELDS,
    field_for,
    normalize_field_name,
)
from ..model import Question
from ..qtypes import QuestionType
from ..spreadsheet import as_text_cell, from_text_cell
from .drafts import (
    Draft,
    ExportResult,
    Note,
    Parsed,
    Rule,
    Skip,
    SkipReason,
    split_options,
    split_topic_label,
)

_ANKI_COLUMNS = frozenset({"正面", "背面", "标签", "front", "back", "tags"})  # written, not read
_OPTION_HEADER = re.compile(r"(?:选项|option|choice)?([a-h])(?:选项)?")
_DELIMITERS = (",", "\t", ";", "|")
STEM = FIELDS_BY_NAME["stem"]
EXPORT_COLUMNS = (
    "正面",
    "背面",
    "标签",
    *(
        label
        for f in QUESTION_FIELDS
        for label in ([f"{f.label}{k}" for k in OPTION_KEYS] if f.name == "options" else [f.label])
    ),
)


def _column(cell: str) -> str | None:
    """``选项C``/``C``/``option_c`` -> ``option:C``; ``题干``/``Stem`` -> ``stem``."""
    name = normalize_field_name(cell)
    option = _OPTION_HEADER.fullmatch(name)
    if option:
        return f"option:{option.group(1).upper()}"
    if name in _ANKI_COLUMNS:
        return "anki"
    return field_for(name)


def _header_line(text: str) -> str:
    """The first line with something on it (found without splitting the whole text)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        if text[start:end].strip():
            return text[start:end]
        start = end + 1
    return ""


def _pick_delimiter(text: str) -> str | None:
    """The delimiter that makes the header name a stem column and most other known columns
    (one pass over the header per delimiter; a sniffer could only pick among the same four)."""
    import csv

    allow_big_fields()
    header = _header_line(text)
    best, best_known = None, 0
    for delimiter in _DELIMITERS:
        if delimiter not in header:
            continue
        try:
            cells = next(csv.reader([header], delimiter=delimiter), [])
        except csv.Error:
            continue
        columns = [_column(c) for c in cells]
        known = sum(1 for c in columns if c)
        if "stem" in columns and len(cells) >= 2 and known > best_known:
            best, best_known = delimiter, known
    return best


def looks_like(text: str) -> bool:
    return _pick_delimiter(text) is not None


def _split_option_cell(cell: str) -> list[tuple[str, str]]:
    """One ``选项`` column: ``A. 甲 B. 乙`` or one option per line (lettered or not)."""
    lines = [line.strip() for line in cell.split("\n") if line.strip()]
    if len(lines) == 1:
        options = split_options(lines[0])
        if options:
            return options
        lines = [part.strip() for part in re.split(r"[|｜]", lines[0]) if part.strip()]
    options = []
    for key, line in zip(OPTION_KEYS, lines, strict=False):
        lettered = split_options(line)
        options.append((key, lettered[0][1] if len(lettered) == 1 else line))
    return options


_FIELD_LIMIT = 64 * 1024 * 1024  # a cell may be as large as the largest file cmquiz imports


def allow_big_fields() -> None:
    """The csv module refuses a field over 128 KiB; a cell may be as large as an import file."""
    import csv

    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))


def _unclosed_quote(text: str, line: int) -> bool:
    """Whether the row starting at ``line`` runs to the end of the file inside quotes."""
    offset = 0
    for _ in range(line - 1):
        found = text.find("\n", offset)
        if found == -1:
            return False
        offset = found + 1
    return text.count('"', offset) % 2 == 1


def rows_to_drafts(
    rows: list[tuple[int, list[str]]], parsed: Parsed, *, unescape_cells: bool = True
) -> bool:
    """Table rows (line, cells), the first non-empty one the header, into drafts. Shared with
    the Excel and Word readers. False when no header row names a stem column."""
    header: list[str | None] = []
    unknown: list[str] = []
    for line, raw in rows:
        row = [from_text_cell(c) for c in raw] if unescape_cells else raw
        if not any(cell.strip() for cell in row):
            continue
        if not header:
            header = [_column(cell) for cell in row]
            if "stem" not in header:
                return False
            unknown = [
                cell.strip()
                for cell, col in zip(row, header, strict=True)
                if col is None and cell.strip()
            ]
            continue
        parsed.drafts.append(_draft(line, row, header))
    if unknown:
        parsed.warnings.append(Note(None, f"忽略了不认识的列:{'、'.join(unknown)}"))
    return bool(header)


def header_columns(cells: list[str]) -> list[str | None]:
    return [_column(cell) for cell in cells]


def parse(text: str) -> Parsed:
    import csv
    import io

    delimiter = _pick_delimiter(text)
    if delimiter is None:
        raise ImportSourceError(
            "CSV 表头中找不到题干列",
            [
                f"表头:{_header_line(text)[:120]}",
                "题干列可以叫:" + "、".join((STEM.label, STEM.name, *STEM.aliases)),
            ],
        )
    allow_big_fields()
    parsed = Parsed()
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    last_line = 0
    try:
        for row in reader:
            rows.append((last_line + 1, row))
            last_line = reader.line_num
    except csv.Error as exc:  # only a field over the limit is left to raise here
        raise ImportSourceError(f"CSV 第 {last_line + 1} 行无法读取:{exc}") from None
    broken = None
    if rows and last_line - rows[-1][0] > 0 and _unclosed_quote(text, rows[-1][0]):
        broken = rows.pop()
    rows_to_drafts(rows, parsed)
    if broken is not None:
        parsed.skips.append(
            Skip(
                broken[0],
                SkipReason.BROKEN_ROW,
                f"这一行的引号没有配对,从这里到文件末尾(第 {last_line} 行)都被读成了一个单元格;"
                "请检查引号",
            )
        )
    return parsed


def _draft(line: int, row: list[str], header: Sequence[str | None]) -> Draft:
    cells: dict[str, str] = {}
    for column, cell in zip(header, row, strict=False):
        if column is not None and cell.strip() and column not in cells:
            cells[column] = cell
    draft = Draft(line=line)
    for name, value in cells.items():
        if name in FIELDS_BY_NAME and name != "options":
            draft.set_field(name, value.strip() if name == "id" else value)
    if draft.answer is not None:
        draft.answer_rule = Rule.COLUMN
    if draft.topic and "topic_code" not in header:
        draft.topic_code, draft.topic = split_topic_label(draft.topic)
    lettered = sorted((c.split(":")[1], v) for c, v in cells.items() if c.startswith("option:"))
    if lettered:
        draft.options = [(k, v) for k, v in lettered]
    elif "options" in cells:
        draft.options = _split_option_cell(cells["options"])
    return draft


# --- export --------------------------------------------------------------------------------


def _html(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


def anki_front(question: Question) -> str:
    lines = [_html(question.stem), ""]
    if question.type is QuestionType.JUDGE:
        lines.append("(判断:对 / 错)")
    else:
        lines.append(f"({question.type.label})")
        lines.extend(f"{key}. {_html(text)}" for key, text in question.options)
    return "<br>".join(lines)


def anki_back(question: Question) -> str:
    answer = question.describe(question.answer)
    if question.type is not QuestionType.JUDGE:
        answer += " " + ";".join(f"{k}. {question.option_text(k)}" for k in sorted(question.answer))
    lines = [f"答案:{_html(answer)}"]
    if question.explanation:
        lines.append(f"解析:{_html(question.explanation)}")
    return "<br>".join(lines)


def export(questions: Sequence[Question]) -> str:
    """The CSV text, BOM first; a cell a spreadsheet would run as a formula starts with ``'``."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for q in questions:
        options = dict(q.options)
        if q.type is QuestionType.JUDGE:
            answer = "对" if JUDGE_TRUE in q.answer else "错"
        else:
            answer = "".join(sorted(q.answer))
        tag = re.sub(r"\s+", "_", q.topic.label)
        values = {
            "id": q.id,
            "type": q.type.label,
            "topic": q.topic.name,
            "topic_code": q.topic.code or "",
            "difficulty": q.difficulty or "",
            "stem": q.stem,
            "answer": answer,
            **{name: getattr(q, name) or "" for name in FREE_TEXT_FIELDS},
        }
        row: list[str] = [anki_front(q), anki_back(q), tag]
        for f in QUESTION_FIELDS:
            if f.name == "options":
                row.extend(options.get(k, "") for k in OPTION_KEYS)
            else:
                row.append(str(values[f.name]))
        writer.writerow([as_text_cell(cell) for cell in row])
    return "\ufeff" + out.getvalue()


def write(questions: Sequence[Question]) -> ExportResult:
    return ExportResult("csv", export(questions), tuple(questions))
