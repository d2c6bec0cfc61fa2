"""Finding questions by their words: ``cmquiz search``.

A question matches when every word occurs somewhere in its stem, its options or its
explanation (not necessarily in the same one). Matching ignores case and the difference between
full-width and half-width letters and digits (``ＡＴＭ`` finds ``ATM``); positions refer to the
original text, so the matches can be highlighted where they are.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .model import Question


def fold_text(text: str) -> str:
    """One character for one: lower case, full-width forms to half-width (positions kept)."""
    out = []
    for char in text:
        folded = unicodedata.normalize("NFKC", char).lower()
        out.append(folded if len(folded) == 1 else char.lower() if len(char.lower()) == 1 else char)
    return "".join(out)


def split_words(words: Sequence[str]) -> list[str]:
    """The search words: split on spaces, folded, empty and repeated ones dropped."""
    result: list[str] = []
    for chunk in words:
        for word in fold_text(chunk).split():
            if word not in result:
                result.append(word)
    return result


@dataclass(frozen=True)
class FieldMatch:
    """The words found in one field: ``stem``, ``option:B`` or ``explanation``."""

    field: str
    text: str
    spans: tuple[tuple[int, int], ...]

    @property
    def label(self) -> str:
        if self.field.startswith("option:"):
            return f"选项 {self.field.split(':', 1)[1]}"
        return {"stem": "题干", "explanation": "解析"}[self.field]

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "text": self.text, "spans": [list(s) for s in self.spans]}


@dataclass(frozen=True)
class Hit:
    question: Question
    matches: tuple[FieldMatch, ...]

    def to_dict(self) -> dict[str, Any]:
        q = self.question
        return {
            "qid": q.id,
            "topic": q.topic.name,
            "topic_code": q.topic.code,
            "type": q.type.value,
            "bank": q.bank,
            "matches": [m.to_dict() for m in self.matches],
        }


def _fields(question: Question) -> list[tuple[str, str]]:
    fields = [("stem", question.stem)]
    fields += [(f"option:{key}", text) for key, text in question.options]
    if question.explanation:
        fields.append(("explanation", question.explanation))
    return fields


def _spans(folded: str, words: Sequence[str]) -> list[tuple[int, int]]:
    spans = []
    for word in words:
        start = folded.find(word)
        while start != -1:
            spans.append((start, start + len(word)))
            start = folded.find(word, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def search(questions: Sequence[Question], words: Sequence[str]) -> list[Hit]:
    """The questions (in bank order) whose stem, options or explanation contain every word."""
    wanted = split_words(words)
    if not wanted:
        return []
    hits = []
    for question in questions:
        fields = [(name, text, fold_text(text)) for name, text in _fields(question)]
        if not all(any(w in folded for _, _, folded in fields) for w in wanted):
            continue
        matches = tuple(
            FieldMatch(name, text, tuple(spans))
            for name, text, folded in fields
            if (spans := _spans(folded, wanted))
        )
        hits.append(Hit(question, matches))
    return hits
