"""Moodle's Aiken format, in and out::

    专业担保机构为保证人的,原则上应当实行()。
    A. 专项储存,分户管理
    B. 专项储存,专户管理
    ANSWER: B

Aiken has one line of question text, one line per option and only single-choice questions;
it carries no knowledge point (``--topic`` supplies one on import). The importer is lenient
(lower-case or full-width letters, ``A、``, several answer letters, blank lines anywhere); the
exporter writes strict Aiken and leaves out every question Aiken cannot hold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..answers import letters_of
from ..model import Question
from ..qtypes import QuestionType
from .drafts import Draft, ExportResult, Parsed, Rule, normalize_key, shorten

_OPTION = re.compile(r"\s*+([A-Za-zＡ-Ｚａ-ｚ])\s*+[.．)）、]\s*+(.*)", re.S)
_ANSWER = re.compile(r"\s*+ANSWER\s*+[:：]\s*+(.*)", re.IGNORECASE | re.S)
LOOKS_LIKE = re.compile(r"(?mi)^[ \t\u3000]*+ANSWER[ \t\u3000]*+[:：][ \t\u3000]*+[A-Za-z]")


def parse(text: str) -> Parsed:
    parsed = Parsed()
    draft: Draft | None = None
    stems: dict[int, list[str]] = {}  # a stem's lines, joined once at the end
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        answer = _ANSWER.fullmatch(line)
        option = _OPTION.fullmatch(line)
        if answer:
            if draft is None:
                draft = Draft(line=number)
                parsed.drafts.append(draft)
            draft.answer = answer.group(1).strip()
            draft.answer_rule = Rule.AIKEN
            letters = letters_of(draft.answer)
            draft.type_label = "multiple" if letters and len(letters) > 1 else "single"
            draft = None
        elif draft is not None and option and (draft.options or draft.stem):
            draft.options.append((normalize_key(option.group(1)), option.group(2).strip()))
        elif draft is None or draft.options:
            draft = Draft(line=number, stem=line)  # a new question (the last one had no ANSWER)
            parsed.drafts.append(draft)
            stems[id(draft)] = [line]
        else:
            stems[id(draft)].append(line)
    for item in parsed.drafts:
        if id(item) in stems:
            item.stem = "\n".join(stems[id(item)])
    return parsed


@dataclass(frozen=True)
class AikenExport:
    text: str
    left_out: tuple[Question, ...] = ()  # not single-choice
    flattened: tuple[Question, ...] = ()  # line breaks became spaces
    clashing: tuple[Question, ...] = field(default=())  # stem reads as an ANSWER: line


_MOODLE_OPTION = re.compile(r"[A-Z][).][ \t]")  # Moodle's test for an option line


def misread_stem(stem: str) -> str | None:
    """How Moodle's Aiken reader would misread this (one-line) stem, or None when it would not:
    as an option line (``A. …``, ``B) …``), as the answer line, or (under 2 bytes) as nothing."""
    if _MOODLE_OPTION.match(stem):
        return "选项行"
    if _ANSWER.fullmatch(stem):
        return "ANSWER: 行"
    if len(stem.encode("utf-8")) < 2:
        return "空行(Moodle 跳过不到 2 个字节的行)"
    return None


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.split("\n") if part.strip())


def export(questions: Sequence[Question]) -> AikenExport:
    """Single-choice questions as Aiken; others left out. Line breaks become spaces."""
    blocks: list[str] = []
    left_out: list[Question] = []
    flattened: list[Question] = []
    clashing: list[Question] = []
    for q in questions:
        if q.type is not QuestionType.SINGLE:
            left_out.append(q)
            continue
        if misread_stem(_one_line(q.stem)) is not None:
            clashing.append(q)
            continue
        texts = [q.stem, *(text for _, text in q.options)]
        if any("\n" in t for t in texts):
            flattened.append(q)
        lines = [_one_line(q.stem)]
        lines.extend(f"{key}. {_one_line(text)}" for key, text in q.options)
        lines.append(f"ANSWER: {next(iter(q.answer))}")
        blocks.append("\n".join(lines) + "\n")
    return AikenExport("\n".join(blocks), tuple(left_out), tuple(flattened), tuple(clashing))


def write(questions: Sequence[Question]) -> ExportResult:
    """``export`` with what the user must be told: types left out, lines joined, clashes."""
    result = export(questions)
    skipped = {q.id for q in (*result.left_out, *result.clashing)}
    notes = []
    if result.flattened:
        notes.append(
            f"{len(result.flattened)} 道题的题干或选项有换行,Aiken 只能写一行,"
            "已改为空格:" + ", ".join(q.id for q in result.flattened)
        )
    for q in result.clashing:
        how = misread_stem(_one_line(q.stem))
        stem = shorten(_one_line(q.stem))
        notes.append(f"未导出 {q.id}:题干“{stem}”在 Moodle 的 Aiken 导入里会被读成{how}")
    return ExportResult(
        "aiken",
        result.text,
        tuple(q for q in questions if q.id not in skipped),
        left_out=result.left_out,
        notes=tuple(notes),
    )


def looks_like(text: str) -> bool:
    return bool(LOOKS_LIKE.search(text))
