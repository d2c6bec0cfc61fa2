"""Drafts -> questions: decide each record's type and answer, check it as the loader would,
and give every question a stable id.

Nothing is guessed: a record without an answer, or whose answer does not fit its options or
its declared type, is skipped with the reason. Whatever is built here passes the bank loader.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace

from ..model import ID_PATTERN, OPTION_KEYS, Question, QuestionType
from ..textclean import clean_text
from .drafts import (
    UNCATEGORIZED,
    Draft,
    Note,
    Skip,
    SkipReason,
    judge_key,
    parse_letters,
    parse_type_label,
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
    if text.isdigit() and 1 <= int(text) <= 5:
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


def _check_options(draft: Draft, options: list[tuple[str, str]]) -> Skip | None:
    if len(options) < 2:
        return Skip(draft.line, SkipReason.BAD_OPTIONS, f"只有 {len(options)} 个选项")
    if len(options) > len(OPTION_KEYS):
        return Skip(draft.line, SkipReason.BAD_OPTIONS, f"选项多于 {len(OPTION_KEYS)} 个")
    keys = "".join(k for k, _ in options)
    if keys != OPTION_KEYS[: len(keys)]:
        return Skip(
            draft.line,
            SkipReason.BAD_OPTIONS,
            f"选项应依次为 {'、'.join(OPTION_KEYS[: len(keys)])},现为 {'、'.join(keys)}",
        )
    seen: dict[str, str] = {}
    for key, text in options:
        if not text:
            return Skip(draft.line, SkipReason.BAD_OPTIONS, f"选项 {key} 为空")
        if text in seen:
            return Skip(draft.line, SkipReason.BAD_OPTIONS, f"选项 {key} 与选项 {seen[text]} 相同")
        seen[text] = key
    return None


def _judge_from_options(options: list[tuple[str, str]], letters: str | None) -> str | None:
    """A judge question written as ``A. 正确 B. 错误`` with answer ``A``."""
    if letters is None or len(letters) != 1:
        return None
    for key, text in options:
        if key == letters:
            return judge_key(text)
    return None


def _answer_and_type(
    draft: Draft, declared: QuestionType | str | None, options: list[tuple[str, str]]
) -> tuple[QuestionType, frozenset[str]] | Skip:
    """The question type and answer keys, or why the record cannot be imported."""
    raw = (draft.answer or "").strip()
    letters = parse_letters(raw) if raw else None
    judged = judge_key(raw) if raw else None
    if declared is QuestionType.JUDGE or (declared is None and not options):
        if not raw:
            return Skip(draft.line, SkipReason.NO_ANSWER, _present(draft))
        key = _judge_from_options(options, letters) if options else None
        if key is None and judged is not None:
            key = judged
        if key is not None:
            return QuestionType.JUDGE, frozenset({key})
        if declared is None and letters:
            return Skip(draft.line, SkipReason.NO_OPTIONS, f"{_present(draft)},没有选项")
        return Skip(
            draft.line, SkipReason.BAD_ANSWER, f"判断题的答案 {raw} 不是 对/错(正确/错误、√/×、T/F)"
        )
    if not options:
        return Skip(draft.line, SkipReason.NO_OPTIONS, _present(draft))
    if not raw:
        return Skip(draft.line, SkipReason.NO_ANSWER, f"{_present(draft)},没有答案")
    bad = _check_options(draft, options)
    if bad is not None:
        return bad
    all_judge_words = len(options) == 2 and all(judge_key(text) for _, text in options)
    if letters is None:
        if declared is None and judged is not None and all_judge_words:
            return QuestionType.JUDGE, frozenset({judged})
        return Skip(draft.line, SkipReason.BAD_ANSWER, f"答案 {raw} 不是选项字母")
    keys = [k for k, _ in options]
    outside = [c for c in letters if c not in keys]
    if outside:
        return Skip(
            draft.line,
            SkipReason.BAD_ANSWER,
            f"答案 {''.join(outside)} 不在选项 {keys[0]}–{keys[-1]} 中",
        )
    if declared is QuestionType.SINGLE and len(letters) > 1:
        return Skip(
            draft.line, SkipReason.TYPE_MISMATCH, f"单选题却有 {len(letters)} 个答案 {letters}"
        )
    if declared is QuestionType.MULTIPLE and len(letters) < 2:
        return Skip(draft.line, SkipReason.TYPE_MISMATCH, f"多选题只有一个答案 {letters}")
    if declared is None and all_judge_words and len(letters) == 1:
        key = _judge_from_options(options, letters)
        if key is not None:
            return QuestionType.JUDGE, frozenset({key})
    qtype = QuestionType.MULTIPLE if len(letters) > 1 else QuestionType.SINGLE
    return qtype, frozenset(letters)


def build_question(
    draft: Draft, fallback_topic: str | None, warnings: list[Note]
) -> Question | Skip:
    """One draft -> a question (id still empty), or the reason it cannot be one."""
    declared: QuestionType | str | None = None
    if draft.type_label and draft.type_label.strip():
        declared = parse_type_label(draft.type_label)
        if declared is None:
            return Skip(draft.line, SkipReason.UNSUPPORTED, f"题型“{draft.type_label.strip()}”")
    stem = _clean(draft.stem)
    if stem is None:
        return Skip(draft.line, SkipReason.NO_STEM, _present(draft))
    options = [(k, clean_text(v)) for k, v in draft.options]
    decided = _answer_and_type(draft, declared, options)
    if isinstance(decided, Skip):
        return decided
    qtype, answer = decided
    difficulty = None
    if draft.difficulty and draft.difficulty.strip():
        difficulty = parse_difficulty(draft.difficulty)
        if difficulty is None:
            warnings.append(Note(draft.line, f"难度“{draft.difficulty.strip()}”不是 1–5,已忽略"))
    topic = _clean(draft.topic)
    return Question(
        id="",
        type=qtype,
        topic=topic or fallback_topic or UNCATEGORIZED,
        topic_code=_clean(draft.topic_code) if topic else None,
        difficulty=difficulty,
        stem=stem,
        options=tuple(options) if qtype is not QuestionType.JUDGE else (),
        answer=answer,
        explanation=_clean(draft.explanation),
        evidence=_clean(draft.evidence),
        source=_clean(draft.source),
        author=_clean(draft.author),
    )


# --- ids -----------------------------------------------------------------------------------


def slug(text: str, limit: int = 24) -> str:
    """ASCII letters and digits of ``text``, lower case, runs of anything else as ``-``."""
    ascii_text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:limit].strip("-")


def _id_middle(question: Question) -> str:
    if question.topic_code:
        return slug(question.topic_code)
    if question.topic.isascii():
        return slug(question.topic)
    return ""


def assign_ids(
    questions: Sequence[Question],
    prefix: str,
    carried: Sequence[str | None],
    lines: Sequence[int],
    warnings: list[Note],
) -> list[Question]:
    """Give every question an id: the one its source carries when valid and unused, else
    ``<prefix>-<topic code>-<nnn>`` (``<prefix>-<nnn>`` without a code), numbered per code in
    source order, so the same file always gets the same ids."""
    taken: dict[str, int] = {}
    chosen: list[str | None] = []
    for qid, line in zip(carried, lines, strict=True):
        usable = qid is not None and ID_PATTERN.fullmatch(qid) and not qid.isdigit()
        if usable and qid in taken:
            warnings.append(Note(line, f"id {qid} 与第 {taken[qid]} 行重复,已改用生成的 id"))
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
            middle = _id_middle(question)
            head = f"{prefix}-{middle}" if middle else prefix
            while True:
                counters[head] = counters.get(head, 0) + 1
                qid = f"{head}-{counters[head]:03d}"
                if qid not in taken:
                    break
            taken[qid] = 0
        result.append(replace(question, id=qid))
    return result


def duplicate_warnings(questions: Iterable[Question], lines: Sequence[int]) -> list[Note]:
    """Questions that appear twice (same stem and options) are kept, but pointed out."""
    first: dict[tuple[str, tuple[tuple[str, str], ...]], int] = {}
    notes: list[Note] = []
    for question, line in zip(questions, lines, strict=True):
        key = (question.stem, question.options)
        if key in first:
            notes.append(Note(line, f"与第 {first[key]} 行的题目重复(两道都已导入)"))
        else:
            first[key] = line
    return notes
