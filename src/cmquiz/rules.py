"""Bank rules: what a valid question is, checked on plain values.

The bank loader reads a YAML file into plain values (remembering where each one stands) and the
importers build the same values from other formats; both hand them to ``check_question``, which
reports every problem by field. The loader adds file, line and column; an importer turns the
first problem into the reason a record was skipped. Nothing else decides what a question may be.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .answers import OPTION_KEYS, AnswerFormatError, KeyMismatchError, parse_key
from .fields import FIELD_NAMES, REQUIRED_FIELDS, TEXT_FIELDS
from .frozen import trusted
from .model import ID_PATTERN, Question
from .qtypes import INDEFINITE, QuestionType, parse_type_name, type_names_hint
from .textclean import clean_text
from .topics import Topic

MAX_OPTIONS = len(OPTION_KEYS)
MIN_DIFFICULTY, MAX_DIFFICULTY = 1, 5


class Flaw(StrEnum):
    """What kind of problem a field has (importers count skipped records by these)."""

    UNKNOWN_FIELD = "unknown_field"
    MISSING = "missing"
    NOT_TEXT = "not_text"
    BAD_ID = "bad_id"
    BAD_TYPE = "bad_type"
    BAD_DIFFICULTY = "bad_difficulty"
    BAD_OPTIONS = "bad_options"
    BAD_ANSWER = "bad_answer"
    KEY_MISMATCH = "key_mismatch"  # a single-choice key with two letters, and the like


@dataclass(frozen=True)
class RuleProblem:
    """One problem: the field path (``answer``, ``options.B``), its kind and the message."""

    field: str
    flaw: Flaw
    message: str


@dataclass(frozen=True)
class Checked:
    """The outcome of ``check_question``: every problem, or the question's checked content."""

    problems: tuple[RuleProblem, ...] = ()
    content: Mapping[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def question(self, qid: str, *, bank: str = "", line: int | None = None) -> Question:
        """The question, with its id (importers assign ids after checking)."""
        if self.problems or not qid:
            raise ValueError("a question with problems (or no id) cannot be built")
        # The content passed every rule (the key is among the options), so the constructor's
        # own checks are skipped: building ten thousand questions was a tenth of a cold load.
        return trusted(Question, {"id": qid, "bank": bank, "line": line, **self.content})


class _NotText:
    """Marks a value that is a list or mapping where text is expected."""


NOT_TEXT = _NotText()


def unknown_field_message(name: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(name, allowed, n=1)
    hint = f";是不是 {close[0]}?" if close else f";可用字段:{', '.join(allowed)}"
    return f"未知字段 {name}{hint}"


class _Checker:
    def __init__(self) -> None:
        self.problems: list[RuleProblem] = []

    def add(self, where: str, flaw: Flaw, message: str) -> None:
        self.problems.append(RuleProblem(where, flaw, message))

    def text(self, name: str, value: Any, *, required: bool) -> str | None:
        if value is NOT_TEXT or isinstance(value, list | dict | bool):
            self.add(name, Flaw.NOT_TEXT, "应为文本")
            return None
        if value is None:
            if required:
                self.add(name, Flaw.MISSING, "不能为空")
            return None
        text = clean_text(str(value))
        if not text and required:
            self.add(name, Flaw.MISSING, "不能为空")
        return text or None


def check_question(values: Mapping[str, Any], *, with_id: bool = True) -> Checked:
    """Check one question given as plain values (what a bank file or an import holds).

    Text fields are strings (``NOT_TEXT`` or a list/dict where the source had no text); ``options``
    is a mapping of letters to texts or a list of texts; ``answer`` a string, a list of letters or
    a bool (判断); ``difficulty`` an int. ``with_id=False`` checks everything but the id.
    """
    c = _Checker()
    for name in values:
        if name not in FIELD_NAMES:
            c.add(name, Flaw.UNKNOWN_FIELD, unknown_field_message(name, FIELD_NAMES))
    for name in REQUIRED_FIELDS:
        if name not in values and (with_id or name != "id"):
            c.add(name, Flaw.MISSING, f"缺少必填字段 {name}")

    if with_id and "id" in values:
        qid = values["id"]
        if not isinstance(qid, str):
            c.add("id", Flaw.BAD_ID, 'id 应为文本(数字请加引号,如 "001")')
        elif not ID_PATTERN.fullmatch(qid):
            c.add("id", Flaw.BAD_ID, "id 只能包含字母、数字、点、下划线和连字符")

    declared = None
    if "type" in values:
        raw_type = values["type"]
        declared = parse_type_name(raw_type) if isinstance(raw_type, str) else None
        if declared is None:
            shown = str(raw_type).strip() if isinstance(raw_type, str | int) else ""
            c.add("type", Flaw.BAD_TYPE, f"未知题型 {shown or '(空)'};应为 {type_names_hint()}")

    texts = {
        name: c.text(name, values[name], required=name in REQUIRED_FIELDS)
        for name in TEXT_FIELDS
        if name in values
    }

    difficulty = _difficulty(c, values.get("difficulty"))

    options: tuple[tuple[str, str], ...] = ()
    if values.get("options") is not None:
        if declared is QuestionType.JUDGE:
            c.add("options", Flaw.BAD_OPTIONS, "判断题不应有选项(答案写 true 或 false)")
        else:
            options = _options(c, values["options"])
    elif declared is not None and declared is not QuestionType.JUDGE:
        label = declared.label if isinstance(declared, QuestionType) else "选择"
        c.add("options", Flaw.MISSING, f"{label}题缺少选项 options")

    qtype: QuestionType | None = declared if isinstance(declared, QuestionType) else None
    answer: frozenset[str] | None = None
    raw_answer = values.get("answer")
    if "answer" in values and declared is not None:
        if raw_answer is None or raw_answer == "" or raw_answer == []:
            c.add("answer", Flaw.MISSING, "缺少答案")
        elif declared is QuestionType.JUDGE or options:
            qtype, answer = _answer(c, declared, raw_answer, "".join(k for k, _ in options))

    if c.problems:
        return Checked(tuple(c.problems))
    assert qtype is not None
    assert answer is not None
    return Checked(
        content={
            "type": qtype,
            "topic": Topic(texts.get("topic") or "", texts.get("topic_code")),
            "stem": texts.get("stem") or "",
            "options": options if qtype is not QuestionType.JUDGE else (),
            "answer": answer,
            "difficulty": difficulty,
            "explanation": texts.get("explanation"),
            "evidence": texts.get("evidence"),
            "source": texts.get("source"),
            "author": texts.get("author"),
        }
    )


def _difficulty(c: _Checker, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        c.add("difficulty", Flaw.BAD_DIFFICULTY, "难度应为 1 到 5 的整数")
        return None
    if not MIN_DIFFICULTY <= value <= MAX_DIFFICULTY:
        shown = str(value) if abs(value) < 10**12 else "过大的数"
        c.add(
            "difficulty",
            Flaw.BAD_DIFFICULTY,
            f"难度 {shown} 超出范围;应为 1(易)到 5(难)的整数",
        )
        return None
    return value


def _options(c: _Checker, value: Any) -> tuple[tuple[str, str], ...]:
    if isinstance(value, Mapping):
        items = [(str(k).strip().upper(), v) for k, v in value.items()]
    elif isinstance(value, list | tuple):
        if len(value) > MAX_OPTIONS:
            c.add(
                "options", Flaw.BAD_OPTIONS, f"选项应有 2 到 {MAX_OPTIONS} 个,现有 {len(value)} 个"
            )
            return ()
        items = list(zip(OPTION_KEYS, value, strict=False))
    else:
        c.add("options", Flaw.BAD_OPTIONS, "选项应为映射(A: …、B: …)或列表")
        return ()
    if not 2 <= len(items) <= MAX_OPTIONS:
        c.add("options", Flaw.BAD_OPTIONS, f"选项应有 2 到 {MAX_OPTIONS} 个,现有 {len(items)} 个")
        return ()
    expected = OPTION_KEYS[: len(items)]
    keys = "".join(key for key, _ in items)
    if keys != expected:
        c.add(
            "options",
            Flaw.BAD_OPTIONS,
            f"选项应依次为 {'、'.join(expected)},现为 {'、'.join(k for k, _ in items)}",
        )
        return ()
    result: list[tuple[str, str]] = []
    first_with: dict[str, str] = {}
    broken = False
    for key, raw in items:
        before = len(c.problems)
        text = c.text(f"options.{key}", raw, required=True)
        if len(c.problems) > before:
            c.problems[-1] = RuleProblem(
                f"options.{key}",
                Flaw.BAD_OPTIONS,
                f"选项 {key} " + c.problems[-1].message,
            )
        if text is None:
            broken = True
            continue
        if text in first_with:
            c.add(f"options.{key}", Flaw.BAD_OPTIONS, f"与选项 {first_with[text]} 内容相同")
            broken = True
        first_with.setdefault(text, key)
        result.append((key, text))
    return () if broken else tuple(result)


def _answer(
    c: _Checker, declared: Any, raw: Any, keys: str
) -> tuple[QuestionType | None, frozenset[str] | None]:
    if isinstance(raw, list):
        if not all(isinstance(part, str) for part in raw):
            c.add("answer", Flaw.BAD_ANSWER, "答案列表只能包含选项字母")
            return None, None
        raw = "".join(raw)
    elif not isinstance(raw, str | bool):
        raw = str(raw)
    try:
        return parse_key(declared if declared is not None else INDEFINITE, raw, keys)
    except AnswerFormatError as problem:
        message = str(problem)
        flaw = Flaw.KEY_MISMATCH if isinstance(problem, KeyMismatchError) else Flaw.BAD_ANSWER
        c.add("answer", flaw, message)
        return None, None
