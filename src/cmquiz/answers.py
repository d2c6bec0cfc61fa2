"""Answers: how option letters and 对/错 are read, wherever they come from.

One rule for an answer typed at the prompt, written in a bank file and found in an imported file:

- option letters in any case and order, full-width too, with or without separators
  (``acd``, ``A,C,D``, ``a c d``, ``A.C``, ``Ａ、Ｃ``); a letter given twice (``AAC``) is refused
  (it is usually a typo for another letter), and so is a letter the question has no option for;
- 判断: 对/错, 正确/错误, 是/否, t/f, true/false, y/n, 1/0, √/×. At the prompt the initials d/c
  (dui/cuo) work too; in files they do not, because a lone C or D in a file is an option letter.

What differs by source is only what a *key* must satisfy: a bank file's single-choice key has one
letter and a multiple-choice key at least two, while a trainee may well answer a multiple-choice
question with one letter (it is graded, as wrong).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from .qtypes import INDEFINITE, QuestionType, TypeName

OPTION_KEYS: Final = "ABCDEFGH"
JUDGE_TRUE: Final = "T"
JUDGE_FALSE: Final = "F"

_JUDGE_WORDS: dict[str, str] = {}
for _word in ("对", "正确", "是", "t", "true", "y", "yes", "1", "√", "✓", "✔"):
    _JUDGE_WORDS[_word] = JUDGE_TRUE
for _word in ("错", "错误", "否", "f", "false", "n", "no", "0", "×", "✗", "✘", "x"):
    _JUDGE_WORDS[_word] = JUDGE_FALSE
_TYPED_INITIALS = {"d": JUDGE_TRUE, "c": JUDGE_FALSE}  # 对 dui / 错 cuo, at the prompt only
JUDGE_HINT: Final = "对/错(也可用 正确/错误、t/f、y/n、1/0、√/×)"

_SEPARATORS = re.compile(r"[\s,;、/|+.。]+")
_JUDGE_WRAPPING = "()[]【】。.! "


class AnswerFormatError(ValueError):
    """Text that is not an answer to this question (the message says why, in Chinese)."""


class KeyMismatchError(AnswerFormatError):
    """Letters that are fine, but too many or too few for the question's type."""


def normalize_text(text: str) -> str:
    """NFKC (full-width letters and punctuation become ASCII), trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def judge_key(raw: str, *, typed: bool = False) -> str | None:
    """``对``/``√``/``(正确)``/``true``… -> ``T``/``F``; None when it is not a judge word."""
    word = normalize_text(raw).strip(_JUDGE_WRAPPING).lower()
    key = _JUDGE_WORDS.get(word)
    if key is None and typed:
        key = _TYPED_INITIALS.get(word)
    return key


def letters_of(raw: str) -> str | None:
    """``a, c`` / ``ＡＣ`` / ``A.C`` -> ``AC`` (order and repeats kept); None unless the text is
    only letters and separators."""
    letters = _SEPARATORS.sub("", normalize_text(raw)).upper()
    if letters and letters.isascii() and letters.isalpha():
        return letters
    return None


def _span(keys: str) -> str:
    return f"{keys[0]}–{keys[-1]}" if keys else "(无选项)"


def parse_choice(raw: str, keys: str) -> frozenset[str]:
    """Option letters out of ``raw``; AnswerFormatError when they are not letters of ``keys``."""
    letters = letters_of(raw)
    if letters is None:
        shown = normalize_text(raw)
        raise AnswerFormatError(f"{shown} 不是选项字母(应为 {_span(keys)} 中的字母,如 B 或 ACD)")
    bad = "".join(sorted({c for c in letters if c not in keys}))
    if bad:
        raise AnswerFormatError(f"没有选项 {bad}(选项为 {_span(keys)})")
    repeated = "".join(sorted({c for c in letters if letters.count(c) > 1}))
    if repeated:
        raise AnswerFormatError(f"{letters} 中字母 {repeated} 重复了")
    return frozenset(letters)


def parse_judge(raw: str, *, typed: bool = False) -> frozenset[str]:
    key = judge_key(raw, typed=typed)
    if key is None:
        hint = JUDGE_HINT.replace("、√/×", "、√/×、d/c") if typed else JUDGE_HINT
        raise AnswerFormatError(f"判断题的答案应为 {hint}")
    return frozenset({key})


def key_problem(qtype: QuestionType, chosen: frozenset[str]) -> str | None:
    """Why ``chosen`` cannot be the key of a question of this type (bank files, imports)."""
    if qtype is QuestionType.SINGLE and len(chosen) != 1:
        return f"单选题只能有一个答案,现为 {''.join(sorted(chosen))}"
    if qtype is QuestionType.MULTIPLE and len(chosen) < 2:
        return f"多选题至少要有两个正确答案,现只有 {''.join(sorted(chosen))};只有一个答案请用单选"
    return None


def parse_key(qtype: TypeName, raw: str | bool, keys: str) -> tuple[QuestionType, frozenset[str]]:
    """The key of a question in a bank or an imported file: its type (``不定项`` decided by the
    number of letters) and its answer. AnswerFormatError says what is wrong."""
    if qtype is QuestionType.JUDGE:
        if isinstance(raw, bool):
            return qtype, frozenset({JUDGE_TRUE if raw else JUDGE_FALSE})
        return qtype, parse_judge(raw)
    if isinstance(raw, bool):
        raise AnswerFormatError(f"选择题的答案应为选项字母 {_span(keys)},不是 true/false")
    chosen = parse_choice(raw, keys)
    if qtype == INDEFINITE:
        qtype = QuestionType.MULTIPLE if len(chosen) > 1 else QuestionType.SINGLE
    assert isinstance(qtype, QuestionType)
    problem = key_problem(qtype, chosen)
    if problem is not None:
        raise KeyMismatchError(problem)
    return qtype, chosen


def parse_typed(qtype: QuestionType, keys: str, text: str) -> frozenset[str]:
    """What a trainee typed at the prompt, as option keys (``T``/``F`` for 判断)."""
    if not normalize_text(text):
        raise AnswerFormatError("请输入答案")
    if qtype is QuestionType.JUDGE:
        return parse_judge(text, typed=True)
    chosen = parse_choice(text, keys)
    if qtype is QuestionType.SINGLE and len(chosen) > 1:
        raise AnswerFormatError("单选题只能选一个选项")
    return chosen


def describe_answer(qtype: QuestionType, keys: frozenset[str] | set[str] | tuple[str, ...]) -> str:
    """An answer in words: ``B``, ``ACD`` or ``对``."""
    if qtype is QuestionType.JUDGE:
        return "、".join("对" if k == JUDGE_TRUE else "错" for k in sorted(keys, reverse=True))
    return "".join(sorted(keys))
