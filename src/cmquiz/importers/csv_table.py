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
import unicodedata
from collections.abc import Sequence

from ..errors import ImportSourceError
from ..model import JUDGE_TRUE, OPTION_KEYS, Question, QuestionType
from .drafts import Draft, Note, Parsed, split_options, split_topic_label

_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("id", "题目id", "试题id", "questionid"),
    "type": ("题型", "题目类型", "试题类型", "类型", "type", "questiontype", "qtype"),
    "stem": (
        "题干",
        "题目",
        "题目内容",
        "试题",
        "试题内容",
        "问题",
        "stem",
        "question",
        "questiontext",
        "text",
    ),
    "options": ("选项", "备选项", "options", "choices"),
    "answer": (
        "答案",
        "正确答案",
        "参考答案",
        "标准答案",
        "answer",
        "correct",
        "correctanswer",
        "key",
    ),
    "topic": ("知识点", "考点", "知识点名称", "topic", "knowledgepoint", "category"),
    "topic_code": ("知识点代码", "知识点编号", "知识点编码", "topiccode", "code"),
    "difficulty": ("难度", "难度系数", "difficulty", "level"),
    "explanation": ("解析", "答案解析", "试题解析", "explanation", "analysis"),
    "evidence": ("依据", "原文", "原文依据", "evidence"),
    "source": ("出处", "教材出处", "来源", "source"),
    "author": ("出题人", "命题人", "作者", "author"),
    "anki": ("正面", "背面", "标签", "front", "back", "tags"),  # written by export, not read
}
_BY_NAME = {name: column for column, names in _HEADERS.items() for name in names}
_OPTION_HEADER = re.compile(r"(?:选项|option|choice)?([a-h])(?:选项)?")
_DELIMITERS = (",", "\t", ";", "|")
EXPORT_COLUMNS = (
    "正面",
    "背面",
    "标签",
    "id",
    "题型",
    "知识点代码",
    "知识点",
    "难度",
    "题干",
    *(f"选项{k}" for k in OPTION_KEYS),
    "答案",
    "解析",
    "依据",
    "出处",
    "出题人",
)


def _normalize_header(cell: str) -> str:
    text = unicodedata.normalize("NFKC", cell).lower()
    text = re.sub(r"\([^)]*\)", "", text)  # 题干(必填)
    return re.sub(r"[\s_\-*:#]", "", text)


def _column(cell: str) -> str | None:
    """``选项C``/``C``/``option_c`` -> ``option:C``; ``题干``/``Stem`` -> ``stem``."""
    name = _normalize_header(cell)
    option = _OPTION_HEADER.fullmatch(name)
    if option:
        return f"option:{option.group(1).upper()}"
    return _BY_NAME.get(name)


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
            [f"表头:{_header_line(text)[:120]}", "题干列可以叫:" + "、".join(_HEADERS["stem"])],
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
    draft = Draft(line=line, stem=cells.get("stem", ""))
    draft.type_label = cells.get("type")
    draft.answer = cells.get("answer")
    draft.topic, draft.topic_code = cells.get("topic"), cells.get("topic_code")
    if draft.topic and "topic_code" not in header:
        draft.topic_code, draft.topic = split_topic_label(draft.topic)
    draft.difficulty = cells.get("difficulty")
    draft.explanation = cells.get("explanation")
    draft.evidence = cells.get("evidence")
    draft.source = cells.get("source")
    draft.author = cells.get("author")
    draft.qid = cells["id"].strip() if "id" in cells else None
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
        tag = re.sub(r"\s+", "_", q.topic_label)
        writer.writerow(
            [
                anki_front(q),
                anki_back(q),
                tag,
                q.id,
                q.type.label,
                q.topic_code or "",
                q.topic,
                q.difficulty or "",
                q.stem,
                *(options.get(k, "") for k in OPTION_KEYS),
                answer,
                q.explanation or "",
                q.evidence or "",
                q.source or "",
                q.author or "",
            ]
        )
    return "\ufeff" + out.getvalue()
