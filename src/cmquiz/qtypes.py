"""The three question types and every name they go by, in one table.

A bank file's ``type:``, an imported file's 题型 column or section heading and the command line's
``--type`` all read a type name through ``parse_type_name``, so ``单选``, ``单项选择题``,
``single`` and ``SC`` mean the same everywhere. ``不定项`` (indefinite choice) is a type name too:
the question is single or multiple choice according to the number of letters in its answer.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from typing import Final, Literal


class QuestionType(StrEnum):
    """The three question types of the exam."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    JUDGE = "judge"

    @property
    def label(self) -> str:
        """``单选`` / ``多选`` / ``判断``."""
        return _LABELS[self]


_LABELS = {
    QuestionType.SINGLE: "单选",
    QuestionType.MULTIPLE: "多选",
    QuestionType.JUDGE: "判断",
}
TYPE_ORDER: Final = (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.JUDGE)

INDEFINITE: Final = "indefinite"
"""``不定项``: single or multiple choice, decided by how many letters the answer has."""
TypeName = QuestionType | Literal["indefinite"]

_NAMES: dict[QuestionType | None, tuple[str, ...]] = {
    QuestionType.SINGLE: (
        "single",
        "单选",
        "单项选择",
        "单选择",
        "单项",
        "singlechoice",
        "sc",
        "radio",
    ),
    QuestionType.MULTIPLE: (
        "multiple",
        "多选",
        "多项选择",
        "多选择",
        "多项",
        "multiplechoice",
        "multi",
        "mc",
        "checkbox",
        "multipleanswer",
    ),
    QuestionType.JUDGE: (
        "judge",
        "判断",
        "是非",
        "对错",
        "判断对错",
        "truefalse",
        "tf",
        "boolean",
    ),
    None: ("不定项", "不定项选择"),
}
TYPE_NAMES: Final[dict[str, QuestionType | None]] = {
    name: qtype for qtype, names in _NAMES.items() for name in names
}
_IGNORED = re.compile(r"[\s_\-/()（）【】\[\]]")


def normalize_type_name(raw: str) -> str:
    """``单选题`` / ``Single Choice`` / ``【多项选择题】`` -> the table's key form."""
    key = _IGNORED.sub("", unicodedata.normalize("NFKC", raw).lower())
    return key.removesuffix("题")


def parse_type_name(raw: str) -> TypeName | None:
    """A question type, ``INDEFINITE`` for 不定项, or None when the name is unknown."""
    key = normalize_type_name(raw)
    if key not in TYPE_NAMES:
        return None
    qtype = TYPE_NAMES[key]
    return INDEFINITE if qtype is None else qtype


def type_names_hint() -> str:
    """What a type may be called, for error messages."""
    return "single(单选)、multiple(多选)、judge(判断),或 不定项(按答案字母数定为单选或多选)"
