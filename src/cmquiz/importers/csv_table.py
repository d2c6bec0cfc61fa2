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

import csv
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
from .drafts import Draft, ExportResult, Note, Parsed, split_options, split_topic_label

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
    return next((line for line in text.split("\n") if line.strip()), "")


def _pick_delimiter(text: str) -> str | None:
    """The delimiter that makes the header name a stem column and most other known columns."""
    header = _header_line(text)
    best, best_known = None, 0
    for delimiter in _DELIMITERS:
        cells = next(csv.reader([header], delimiter=delimiter), [])
        columns = [_column(c) for c in cells]
        known = sum(1 for c in columns if c)
        if "stem" in columns and len(cells) >= 2 and known > best_known:
            best, best_known = delimiter, known
    if best is None:
        try:
            sniffed = csv.Sniffer().sniff(text[:8192], delimiters="".join(_DELIMITERS))
        except csv.Error:
            return None
        cells = next(csv.reader([header], delimiter=sniffed.delimiter), [])
        if "stem" in [_column(c) for c in cells]:
            best = sniffed.delimiter
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


def parse(text: str) -> Parsed:
    delimiter = _pick_delimiter(text)
    if delimiter is None:
        raise ImportSourceError(
            "CSV 表头中找不到题干列",
            [
                f"表头:{_header_line(text)[:120]}",
                "题干列可以叫:" + "、".join((STEM.label, STEM.name, *STEM.aliases)),
            ],
        )
    parsed = Parsed()
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header: list[str | None] = []
    unknown: list[str] = []
    last_line = 0
    for row in reader:
        line, last_line = last_line + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if not header:
            header = [_column(cell) for cell in row]
            unknown = [
                cell.strip()
                for cell, col in zip(row, header, strict=True)
                if col is None and cell.strip()
            ]
            continue
        parsed.drafts.append(_draft(line, row, header))
    if unknown:
        parsed.warnings.append(Note(None, f"忽略了不认识的列:{'、'.join(unknown)}"))
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
    """The CSV text, BOM first."""
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
        row: list[object] = [anki_front(q), anki_back(q), tag]
        for f in QUESTION_FIELDS:
            if f.name == "options":
                row.extend(options.get(k, "") for k in OPTION_KEYS)
            else:
                row.append(values[f.name])
        writer.writerow(row)
    return "\ufeff" + out.getvalue()


def write(questions: Sequence[Question]) -> ExportResult:
    return ExportResult("csv", export(questions), tuple(questions))
