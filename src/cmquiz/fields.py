"""The fields of a question, in one table: bank-file key, Chinese name, and the other names
imported files use for it.

The bank loader (allowed and required keys), ``Question.to_dict``, the import readers (CSV
headers, GIFT comments) and the exporters (CSV columns, GIFT comments) all read this table, so
adding a field is one line here plus its handling in ``rules``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Field:
    """One question field."""

    name: str  # the key in a bank file and in ``Question.to_dict``
    label: str  # its Chinese name: CSV header, GIFT comment key, messages
    required: bool = False
    free_text: bool = False  # optional text copied as written (解析, 出处, …)
    aliases: tuple[str, ...] = ()  # further names an imported file may use (normalized form)


QUESTION_FIELDS: Final = (
    Field("id", "id", required=True, aliases=("题目id", "试题id", "questionid")),
    Field(
        "type",
        "题型",
        required=True,
        aliases=("题目类型", "试题类型", "类型", "questiontype", "qtype"),
    ),
    Field(
        "topic",
        "知识点",
        required=True,
        aliases=("考点", "知识点名称", "knowledgepoint", "category"),
    ),
    Field("topic_code", "知识点代码", aliases=("知识点编号", "知识点编码", "topiccode", "code")),
    Field("difficulty", "难度", aliases=("难度系数", "level")),
    Field(
        "stem",
        "题干",
        required=True,
        aliases=(
            "题目",
            "题目内容",
            "试题",
            "试题内容",
            "问题",
            "question",
            "questiontext",
            "text",
        ),
    ),
    Field("options", "选项", aliases=("备选项", "choices")),
    Field(
        "answer",
        "答案",
        required=True,
        aliases=("正确答案", "参考答案", "标准答案", "准确答案", "correct", "correctanswer", "key"),
    ),
    Field("explanation", "解析", free_text=True, aliases=("答案解析", "试题解析", "analysis")),
    Field("evidence", "依据", free_text=True, aliases=("原文", "原文依据")),
    Field("source", "出处", free_text=True, aliases=("教材出处", "来源")),
    Field("author", "出题人", free_text=True, aliases=("命题人", "作者")),
)
FIELDS_BY_NAME: Final = {f.name: f for f in QUESTION_FIELDS}
FIELD_NAMES: Final = tuple(f.name for f in QUESTION_FIELDS)
REQUIRED_FIELDS: Final = tuple(f.name for f in QUESTION_FIELDS if f.required)
FREE_TEXT_FIELDS: Final = tuple(f.name for f in QUESTION_FIELDS if f.free_text)
TEXT_FIELDS: Final = ("topic", "topic_code", "stem", *FREE_TEXT_FIELDS)


def normalize_field_name(raw: str) -> str:
    """``题干(必填)`` / ``Question Text`` / ``topic_code`` -> the lookup form."""
    text = unicodedata.normalize("NFKC", raw).lower()
    text = re.sub(r"\([^()]*\)", "", text)  # no nested "(": linear on a run of "(((("
    return re.sub(r"[\s_\-*:#]", "", text)


_LOOKUP: dict[str, str] = {}
for _field in QUESTION_FIELDS:
    for _name in (_field.name, _field.label, *_field.aliases):
        _LOOKUP.setdefault(normalize_field_name(_name), _field.name)


def field_for(raw: str) -> str | None:
    """The field an imported file means by a header or comment key, or None."""
    return _LOOKUP.get(normalize_field_name(raw))
