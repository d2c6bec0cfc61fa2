"""The domain model: questions, banks, typed answers and grading.

Pure Python: no I/O, no typer, no rich. Answers are sets of option keys; a judge question's
keys are ``"T"`` (对) and ``"F"`` (错), so every question type is graded the same way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

JUDGE_TRUE = "T"
JUDGE_FALSE = "F"
OPTION_KEYS = "ABCDEFGH"
ID_PATTERN = re.compile(r"[A-Za-z0-9._-]+")

# Words a user (or a bank author) may use for a judge answer, after NFKC and lower-casing.
_JUDGE_WORDS: dict[str, str] = {}
for _word in ("对", "正确", "是", "t", "true", "y", "yes", "1", "√", "✓", "✔"):
    _JUDGE_WORDS[_word] = JUDGE_TRUE
for _word in ("错", "错误", "否", "f", "false", "n", "no", "0", "×", "✗", "✘", "x"):
    _JUDGE_WORDS[_word] = JUDGE_FALSE


class QuestionType(StrEnum):
    """The three question types of the exam."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    JUDGE = "judge"

    @property
    def label(self) -> str:
        return _TYPE_LABELS[self]


_TYPE_LABELS = {
    QuestionType.SINGLE: "单选",
    QuestionType.MULTIPLE: "多选",
    QuestionType.JUDGE: "判断",
}


class AnswerFormatError(ValueError):
    """Typed input that is not an answer to this question; the user is asked again."""


@dataclass(frozen=True)
class Question:
    """One exam question. ``answer`` holds option keys (``T``/``F`` for judge questions)."""

    id: str
    type: QuestionType
    topic: str
    stem: str
    answer: frozenset[str]
    options: tuple[tuple[str, str], ...] = ()
    topic_code: str | None = None
    difficulty: int | None = None
    explanation: str | None = None
    evidence: str | None = None
    source: str | None = None
    author: str | None = None
    bank: str = field(default="", compare=False)
    line: int | None = field(default=None, compare=False)  # where it starts in its bank file

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys a user may choose from."""
        if self.type is QuestionType.JUDGE:
            return (JUDGE_TRUE, JUDGE_FALSE)
        return tuple(key for key, _ in self.options)

    @property
    def topic_label(self) -> str:
        """Knowledge point as shown to users: ``17 贷款担保管理``."""
        return f"{self.topic_code} {self.topic}" if self.topic_code else self.topic

    def option_text(self, key: str) -> str:
        for k, text in self.options:
            if k == key:
                return text
        raise KeyError(key)

    def describe(self, keys: frozenset[str] | set[str] | tuple[str, ...]) -> str:
        """An answer in words: ``B``, ``ACD`` or ``对``."""
        return describe_answer(self.type, keys)

    def to_dict(self) -> dict[str, Any]:
        """The bank-file form of the question (what ``from_dict`` reads back)."""
        data: dict[str, Any] = {"id": self.id, "type": self.type.value, "topic": self.topic}
        if self.topic_code is not None:
            data["topic_code"] = self.topic_code
        if self.difficulty is not None:
            data["difficulty"] = self.difficulty
        data["stem"] = self.stem
        if self.type is not QuestionType.JUDGE:
            data["options"] = dict(self.options)
            data["answer"] = "".join(sorted(self.answer))
        else:
            data["answer"] = JUDGE_TRUE in self.answer
        for name in ("explanation", "evidence", "source", "author"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], bank: str = "") -> Question:
        """Build from the dict ``to_dict`` wrote (trusted input: the loader validates files)."""
        qtype = QuestionType(data["type"])
        raw_answer = data["answer"]
        if qtype is QuestionType.JUDGE:
            answer = frozenset({JUDGE_TRUE if raw_answer else JUDGE_FALSE})
        else:
            answer = frozenset(raw_answer)
        return cls(
            id=data["id"],
            type=qtype,
            topic=data["topic"],
            topic_code=data.get("topic_code"),
            difficulty=data.get("difficulty"),
            stem=data["stem"],
            options=tuple((k, v) for k, v in (data.get("options") or {}).items()),
            answer=answer,
            explanation=data.get("explanation"),
            evidence=data.get("evidence"),
            source=data.get("source"),
            author=data.get("author"),
            bank=bank,
        )


@dataclass(frozen=True)
class Bank:
    """One bank file: a title and its questions, in file order."""

    title: str
    questions: tuple[Question, ...]
    description: str | None = None
    path: str | None = None


@dataclass(frozen=True)
class Grade:
    correct: bool
    points: float
    max_points: float = 1.0


def describe_answer(qtype: QuestionType, keys: frozenset[str] | set[str] | tuple[str, ...]) -> str:
    if qtype is QuestionType.JUDGE:
        return "、".join("对" if k == JUDGE_TRUE else "错" for k in sorted(keys, reverse=True))
    return "".join(sorted(keys))


def normalize_text(text: str) -> str:
    """NFKC (full-width letters and punctuation become ASCII), trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def parse_judge_word(text: str) -> str | None:
    """``对``/``错``/``t``/``f``/... to ``T``/``F``; None when it is not a judge word."""
    return _JUDGE_WORDS.get(normalize_text(text).lower())


def parse_answer(question: Question, text: str) -> frozenset[str]:
    """Turn what a user typed into option keys, or raise AnswerFormatError (ask again).

    Letters in any case and order, with or without separators (``acd``, ``A,C,D``, ``a c d``,
    full-width too). Judge questions take 对/错, 正确/错误, t/f, y/n, 1/0, √/×.
    """
    cleaned = normalize_text(text)
    if not cleaned:
        raise AnswerFormatError("请输入答案")
    if question.type is QuestionType.JUDGE:
        key = parse_judge_word(cleaned)
        if key is None:
            raise AnswerFormatError("判断题请输入 对/错(也可用 t/f、y/n、1/0、√/×)")
        return frozenset({key})
    letters = re.sub(r"[\s,;、，；/|+.]+", "", cleaned).upper()
    valid = question.keys
    span = f"{valid[0]}–{valid[-1]}"
    if not letters or not letters.isascii() or not letters.isalpha():
        raise AnswerFormatError(f"请输入选项字母 {span}")
    bad = sorted({c for c in letters if c not in valid})
    if bad:
        raise AnswerFormatError(f"没有选项 {''.join(bad)},请输入 {span} 中的字母")
    chosen = frozenset(letters)
    if question.type is QuestionType.SINGLE and len(chosen) > 1:
        raise AnswerFormatError("单选题只能选一个选项")
    return chosen


def grade(question: Question, given: frozenset[str]) -> Grade:
    """All or nothing: a multiple-choice answer is right only when the set is exactly right."""
    correct = given == question.answer
    return Grade(correct=correct, points=1.0 if correct else 0.0)


@dataclass(frozen=True)
class Library:
    """Every loaded bank; question ids are unique across all of them (the loader checks)."""

    banks: tuple[Bank, ...]

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for bank in self.banks for q in bank.questions)

    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}
