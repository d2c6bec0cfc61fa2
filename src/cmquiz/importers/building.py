"""Drafts -> questions: decide each record's type and answer, check it as the loader would,
and give every question a stable id.

Nothing is guessed: a record without an answer, or whose answer does not fit its options or
its declared type, is skipped with the reason. Whatever is built here passes the bank loader.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from ..answers import JUDGE_HINT, JUDGE_TRUE, judge_key, letters_of
from ..fields import FREE_TEXT_FIELDS
from ..model import ID_PATTERN, Question
from ..qtypes import INDEFINITE, QuestionType, TypeName, parse_type_name
from ..rules import Checked, Flaw, RuleProblem, check_question
from ..textclean import clean_text
from ..topics import Topic
from .drafts import (
    UNCATEGORIZED,
    Draft,
    Note,
    Place,
    Skip,
    SkipReason,
    line_place,
    shorten,
)

_DIFFICULTY_WORDS = {
    "易": 1,
    "容易": 1,
    "简单": 1,
    "easy": 1,
    "较易": 2,
    "中": 3,
    "中等": 3,
    "一般": 3,
    "medium": 3,
    "较难": 4,
    "难": 5,
    "困难": 5,
    "hard": 5,
}


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    return clean_text(text) or None


def parse_difficulty(raw: str) -> int | None:
    """``2``/``２``/``中等``/``hard`` -> 1..5; None for anything else."""
    text = unicodedata.normalize("NFKC", raw).strip().lower()
    if text.isdigit() and len(text) <= 2 and 1 <= int(text) <= 5:
        return int(text)
    return _DIFFICULTY_WORDS.get(text)


def _present(draft: Draft) -> str:
    """What a broken record does have, for the skip message."""
    parts = []
    if draft.type_label:
        parts.append(f"题型 {draft.type_label.strip()}")
    if draft.stem.strip():
        parts.append(f"题干“{shorten(draft.stem)}”")
    if draft.options:
        keys = [k for k, _ in draft.options]
        parts.append(f"选项 {keys[0]}–{keys[-1]}" if len(keys) > 1 else f"选项 {keys[0]}")
    if draft.answer and draft.answer.strip():
        parts.append(f"答案 {draft.answer.strip()}")
    return "只有" + "、".join(parts) if parts else "空记录"


_REASONS = {
    Flaw.BAD_OPTIONS: SkipReason.BAD_OPTIONS,
    Flaw.BAD_ANSWER: SkipReason.BAD_ANSWER,
    Flaw.KEY_MISMATCH: SkipReason.TYPE_MISMATCH,
    Flaw.BAD_TYPE: SkipReason.UNSUPPORTED,
}
_MISSING_REASONS = {
    "stem": SkipReason.NO_STEM,
    "options": SkipReason.NO_OPTIONS,
    "answer": SkipReason.NO_ANSWER,
}


def _skip(draft: Draft, problem: RuleProblem) -> Skip:
    """The reason a record is skipped, from the first bank rule it breaks."""
    head = problem.field.partition(".")[0]
    if problem.flaw is Flaw.MISSING:
        reason = _MISSING_REASONS.get(head, SkipReason.BAD_ANSWER)
    else:
        reason = _REASONS.get(problem.flaw, SkipReason.BAD_OPTIONS)
    return Skip(draft.line, reason, problem.message)


def _pictures(draft: Draft) -> Skip | None:
    """A picture in the stem or an option (Word, Excel): the question is reported, never
    imported without its figure."""
    if not draft.pictures:
        return None
    stem = draft.stem.strip()
    shown = f"题目“{shorten(stem)}”" if stem else "题目"
    return Skip(draft.line, SkipReason.IMAGE, f"{shown}的{'、'.join(draft.pictures)}里有图片")


def _judge_from_options(options: list[tuple[str, str]], letters: str | None) -> str | None:
    """A judge question written as ``A. 正确 B. 错误`` with answer ``A``."""
    if letters is None or len(letters) != 1:
        return None
    for key, text in options:
        if key == letters:
            return judge_key(text)
    return None


def _layout(
    draft: Draft, declared: TypeName | None, options: list[tuple[str, str]]
) -> tuple[TypeName, str | None, list[tuple[str, str]]] | Skip:
    """What the layout says the record is: its type, raw answer and options. Only what a
    source's layout makes plain is read here (a judge question written with 正确/错误 options, a
    type left out); whether the result is a valid question is for the bank rules to say."""
    raw = (draft.answer or "").strip()
    letters = letters_of(raw) if raw else None
    judged = judge_key(raw) if raw else None
    if declared is QuestionType.JUDGE or (declared is None and not options):
        if not raw:
            return Skip(draft.line, SkipReason.NO_ANSWER, _present(draft))
        key = _judge_from_options(options, letters) if options else None
        if key is None and judged is not None:
            key = judged
        if key is not None:
            return QuestionType.JUDGE, "对" if key == JUDGE_TRUE else "错", []
        if declared is None and letters:
            return Skip(draft.line, SkipReason.NO_OPTIONS, f"{_present(draft)},没有选项")
        return Skip(draft.line, SkipReason.BAD_ANSWER, f"判断题的答案 {raw} 不是 {JUDGE_HINT}")
    if not options:
        return Skip(draft.line, SkipReason.NO_OPTIONS, _present(draft))
    if not raw:
        return Skip(draft.line, SkipReason.NO_ANSWER, f"{_present(draft)},没有答案")
    all_judge_words = len(options) == 2 and all(judge_key(text) for _, text in options)
    if declared is None and all_judge_words:
        if letters is None and judged is not None:
            return QuestionType.JUDGE, raw, []
        key = _judge_from_options(options, letters)
        if key is not None:
            return QuestionType.JUDGE, "对" if key == JUDGE_TRUE else "错", []
    return declared if declared is not None else INDEFINITE, raw, options


def build_question(
    draft: Draft, fallback_topic: str | None, warnings: list[Note]
) -> Checked | Skip:
    """One draft -> a checked question (its id is given later), or why it cannot be one."""
    declared: TypeName | None = None
    if draft.type_label and draft.type_label.strip():
        declared = parse_type_name(draft.type_label)
        if declared is None:
            return Skip(draft.line, SkipReason.UNSUPPORTED, f"题型“{draft.type_label.strip()}”")
    pictured = _pictures(draft)
    if pictured is not None:
        return pictured
    if _clean(draft.stem) is None:
        return Skip(draft.line, SkipReason.NO_STEM, _present(draft))
    decided = _layout(draft, declared, draft.options)
    if isinstance(decided, Skip):
        return decided
    qtype, answer, options = decided
    difficulty = None
    if draft.difficulty and draft.difficulty.strip():
        difficulty = parse_difficulty(draft.difficulty)
        if difficulty is None:
            warnings.append(Note(draft.line, f"难度“{shorten(draft.difficulty)}”不是 1–5,已忽略"))
    topic = _clean(draft.topic)
    values = {
        "type": qtype if qtype != INDEFINITE else "不定项",
        "topic": topic or fallback_topic or UNCATEGORIZED,
        "topic_code": draft.topic_code if topic else None,
        "difficulty": difficulty,
        "stem": draft.stem,
        "options": dict(options) if options else None,
        "answer": answer,
        **{name: getattr(draft, name) for name in FREE_TEXT_FIELDS},
    }
    checked = check_question(values, with_id=False)
    if not checked.ok:
        return _skip(draft, checked.problems[0])
    return checked


# --- ids -----------------------------------------------------------------------------------


def slug(text: str, limit: int = 24) -> str:
    """ASCII letters and digits of ``text``, lower case, runs of anything else as ``-``."""
    ascii_text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:limit].strip("-")


def _id_middle(topic: Topic) -> str:
    if topic.code:
        return slug(topic.code)
    if topic.name.isascii():
        return slug(topic.name)
    return ""


def assign_ids(
    questions: Sequence[Checked],
    prefix: str,
    carried: Sequence[str | None],
    lines: Sequence[int],
    warnings: list[Note],
    place: Place = line_place,
) -> list[Question]:
    """Give every question an id: the one its source carries when valid and unused, else
    ``<prefix>-<topic code>-<nnn>`` (``<prefix>-<nnn>`` without a code), numbered per code in
    source order, so the same file always gets the same ids."""
    taken: dict[str, int] = {}
    chosen: list[str | None] = []
    for qid, line in zip(carried, lines, strict=True):
        usable = qid is not None and ID_PATTERN.fullmatch(qid) and not qid.isdigit()
        if usable and qid in taken:
            warnings.append(Note(line, f"id {qid} 与{place(taken[qid])}重复,已改用生成的 id"))
            usable = False
        if usable and qid is not None:
            taken[qid] = line
            chosen.append(qid)
        else:
            chosen.append(None)
    counters: dict[str, int] = {}
    result: list[Question] = []
    for question, qid in zip(questions, chosen, strict=True):
        if qid is None:
            middle = _id_middle(question.content["topic"])
            head = f"{prefix}-{middle}" if middle else prefix
            while True:
                counters[head] = counters.get(head, 0) + 1
                qid = f"{head}-{counters[head]:03d}"
                if qid not in taken:
                    break
            taken[qid] = 0
        result.append(question.question(qid))
    return result
