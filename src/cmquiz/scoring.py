"""Scoring: points per item, the 多选 rule, a paper's score, maximum and pass mark.

Used by the exam, its report, ``cmquiz exams`` and stats; no screen computes a score itself.

多选 rules (single choice and 判断 are always all or nothing):

- ``all_or_nothing``: the item's points only for exactly the right letters;
- ``partial``: no wrong letter chosen -> points x chosen / right (a subset earns its share),
  any wrong letter -> 0;
- ``per_option``: each right letter chosen +1/k, each wrong letter chosen -1/k (k = number of
  right letters), times the points, floored at 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .model import Question
from .qtypes import QuestionType

POINT_DIGITS = 4  # points are kept to 4 decimals, so 0.5 x 2/3 is stored as 0.3333


class MultiRule(StrEnum):
    """How a multiple-choice answer scores."""

    ALL_OR_NOTHING = "all_or_nothing"
    PARTIAL = "partial"
    PER_OPTION = "per_option"

    @property
    def label(self) -> str:
        return _RULE_LABELS[self]


_RULE_LABELS = {
    MultiRule.ALL_OR_NOTHING: "多选题全对才得分",
    MultiRule.PARTIAL: "多选题少选按比例得分,错选不得分",
    MultiRule.PER_OPTION: "多选题每选对一项加分、选错一项扣分,最低 0 分",
}


@dataclass(frozen=True)
class ItemScore:
    """What one answer earned."""

    points: float
    max_points: float
    correct: bool  # exactly the right answer (full marks)


def score_answer(
    question: Question,
    given: frozenset[str],
    points: float = 1.0,
    rule: MultiRule = MultiRule.ALL_OR_NOTHING,
) -> ItemScore:
    """Points for ``given`` on ``question`` worth ``points`` under ``rule``."""
    correct = given == question.answer
    if correct:
        return ItemScore(points, points, True)
    if question.type is not QuestionType.MULTIPLE or rule is MultiRule.ALL_OR_NOTHING:
        return ItemScore(0.0, points, False)
    right = len(given & question.answer)
    wrong = len(given - question.answer)
    k = len(question.answer)
    if rule is MultiRule.PARTIAL:
        fraction = right / k if wrong == 0 else 0.0
    else:
        fraction = max(0.0, (right - wrong) / k)
    return ItemScore(round(points * fraction, POINT_DIGITS), points, False)


@dataclass(frozen=True)
class PaperScore:
    """A paper's total: score out of ``max_score``, passed when ``score >= pass_mark``."""

    score: float
    max_score: float
    pass_mark: float | None

    @property
    def passed(self) -> bool | None:
        if self.pass_mark is None:
            return None
        return self.score >= self.pass_mark - 1e-9

    @property
    def fraction(self) -> float:
        return self.score / self.max_score if self.max_score else 0.0


def total(
    points: Iterable[float], max_points: Iterable[float], pass_mark: float | None
) -> PaperScore:
    """The paper score from the points earned and the points of every item (unanswered: 0)."""
    return PaperScore(round(sum(points), 2), round(sum(max_points), POINT_DIGITS), pass_mark)


def format_points(value: float) -> str:
    """``1.0`` -> ``1``, ``0.5`` -> ``0.5``, ``0.33333`` -> ``0.33``."""
    return f"{round(value, 2):g}"
