"""Anki's text files, in and out.

Export writes what Anki (2.1.55 and later) imports right with its default settings, in any UI
language::

    #separator:tab
    #html:true
    #tags column:3
    <front>\t<back>\t<tag>

No header row (Anki would make it a card) and no notetype or deck name (names differ by UI
language): Anki fills the current notetype's fields by position (Basic: Front <- column 1,
Back <- column 2) and reads the tags from column 3, the knowledge point (``17_贷款担保管理``:
a tag has no spaces). Anki skips every line that starts with ``#``, so a field that starts with
``#`` is quoted, as is any field with a tab, a quote or a line break.

Import reads such files: the ``#key:value`` header lines (``separator``, ``html``,
``columns``, ``tags column``), then rows. With ``#columns:`` naming cmquiz's CSV columns the
rows are read as CSV; otherwise each row is a front and a back as cmquiz writes them (stem,
type, lettered options; ``答案:B``, ``解析:…``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from ..model import Question
from . import csv_table
from .drafts import Draft, ExportResult, Parsed, Rule, normalize_key, split_topic_label

_HEADER_KEYS = (
    "separator",
    "html",
    "tags",
    "columns",
    "notetype",
    "deck",
    "notetype column",
    "deck column",
    "tags column",
    "guid column",
    "if matches",
)
_SEPARATORS = {
    "comma": ",",
    "semicolon": ";",
    "tab": "\t",
    "space": " ",
    "pipe": "|",
    "colon": ":",
}
_TYPE_LINE = re.compile(r"\((单选|多选|判断)[^)]*\)")
_OPTION = re.compile(r"([A-H])\. (.*)", re.S)


def _field(value: str) -> str:
    if value.startswith("#") or any(c in value for c in '\t"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def tag_for(question: Question) -> str:
    return "_".join(question.topic.label.split())


def export(questions: Sequence[Question]) -> str:
    lines = ["#separator:tab", "#html:true", "#tags column:3"]
    for q in questions:
        fields = (csv_table.anki_front(q), csv_table.anki_back(q), tag_for(q))
        lines.append("\t".join(_field(f) for f in fields))
    return "\n".join(lines) + "\n"


def write(questions: Sequence[Question]) -> ExportResult:
    return ExportResult("anki", export(questions), tuple(questions))


# --- import --------------------------------------------------------------------------------


def _header_key(line: str) -> tuple[str, str] | None:
    if not line.startswith("#"):
        return None
    key, sep, value = line[1:].partition(":")
    if not sep:
        return None
    return key.strip().lower(), value.strip()


def looks_like(text: str) -> bool:
    """The file starts with one of Anki's ``#key:value`` header lines."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    found = _header_key(first)
    return found is not None and found[0] in _HEADER_KEYS


def _from_html(text: str) -> str:
    text = re.sub(r"(?i)<br[ \t]*+/?>|</div>|</p>", "\n", text)
    return html.unescape(re.sub(r"<[^<>]*+>", "", text))


def _draft(line: int, front: str, back: str, tag: str, is_html: bool) -> Draft:
    front_text = _from_html(front) if is_html else front
    back_text = _from_html(back) if is_html else back
    draft = Draft(line=line)
    stem: list[str] = []
    lines = [part.strip() for part in front_text.split("\n")]
    seen_type = False
    for part in lines:
        kind = _TYPE_LINE.fullmatch(part)
        option = _OPTION.fullmatch(part) if seen_type else None
        if kind and not seen_type:
            seen_type = True
            draft.type_label = kind.group(1)
        elif option:
            draft.options.append((normalize_key(option.group(1)), option.group(2).strip()))
        elif not seen_type:
            stem.append(part)
    draft.stem = "\n".join(stem).strip()
    explanation: list[str] = []
    in_explanation = False
    for part in back_text.split("\n"):
        if part.startswith("答案:") and draft.answer is None and not in_explanation:
            draft.answer = (part[3:].split() or [""])[0]
            draft.answer_rule = Rule.ANKI
        elif part.startswith("解析:") and not in_explanation:
            in_explanation = True
            explanation.append(part[3:])
        elif in_explanation:
            explanation.append(part)
    if explanation:
        draft.explanation = "\n".join(explanation)
    if tag.strip():
        first_tag = tag.split()[0]
        draft.topic_code, draft.topic = split_topic_label(first_tag.replace("_", " "))
    return draft


def parse(text: str) -> Parsed:
    import csv
    import io

    lines = text.split("\n")
    delimiter, is_html, columns, tags_column = "\t", True, "", 0
    start = 0
    while start < len(lines) and lines[start].startswith("#"):
        found = _header_key(lines[start])
        if found is not None:
            key, value = found
            if key == "separator":
                delimiter = _SEPARATORS.get(value.lower(), value[:1] or delimiter)
            elif key == "html":
                is_html = value.lower() != "false"
            elif key == "columns":
                columns = value
            elif key == "tags column" and value.isdigit() and len(value) < 4:
                tags_column = int(value)
        start += 1
    csv_table.allow_big_fields()
    body = "\n".join(lines[start:])
    reader = csv.reader(io.StringIO(body), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    last = 0
    try:
        for row in reader:
            rows.append((start + last + 1, row))
            last = reader.line_num
    except csv.Error as exc:
        from ..errors import ImportSourceError

        raise ImportSourceError(f"Anki 文件第 {start + last + 1} 行无法读取:{exc}") from None
    rows = [(n, r) for n, r in rows if r and not lines[n - 1].startswith("#")]  # Anki comments
    parsed = Parsed()
    if columns:
        try:
            labels = next(csv.reader([columns], delimiter=delimiter), [])
        except csv.Error:
            labels = []
        if "stem" in csv_table.header_columns(labels) and csv_table.rows_to_drafts(
            [(start, labels), *rows], parsed
        ):
            return parsed
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        front = row[0]
        back = row[1] if len(row) > 1 else ""
        tag = row[tags_column - 1] if 0 < tags_column <= len(row) else ""
        parsed.drafts.append(_draft(line, front, back, tag, is_html))
    return parsed
