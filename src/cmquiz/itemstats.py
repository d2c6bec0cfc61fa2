"""Item analysis of exam questions, computed as Moodle's quiz statistics report computes it.

Moodle (``question/classes/statistics/questions/calculator.php``, shown by
``mod/quiz/report/statistics/statistics_table.php``) works per question over the finished quiz
attempts, each question's mark against the rest of the attempt's mark (``othermark``: the
attempt's total minus this question's mark):

- facility index: mean mark / the question's maximum mark (0-1; Moodle shows it as a percent);
- standard deviation: sqrt(sum((mark - mean)^2) / (s - 1)), shown as a fraction of the maximum;
- discrimination index: 100 x cov(mark, othermark) / sqrt(var(mark) x var(othermark)), all with
  sample (s - 1) denominators; undefined when either variance is zero;
- discriminative efficiency: 100 x cov(mark, othermark) / covmax, where covmax pairs the marks
  and the other marks each sorted ascending (the largest covariance the item could have with
  these marks); undefined when covmax is zero;
- random guess score: 0.5 for true/false, the mean option fraction (1 / options) for single
  choice, none for multiple choice (Moodle does not estimate it).

cmquiz draws every exam afresh, so a question meets different papers (and its points can differ
between papers); marks are therefore taken as fractions: the question's points scored / its
points, and the rest of the paper's points scored / the rest of its points. Within one paper
(fixed points and maximum) this is a constant rescaling of Moodle's marks, which changes none of
the figures; across papers it keeps them comparable. As in Moodle, an attempt counts once it is
finished (handed in or timed out), every item of its paper counts, an item left unanswered
scores 0, and the last answer given at a position is the one that counts.

Pure: no I/O. ``ItemAnalysis`` is fed runs one at a time and keeps only, per question, its marks
and other marks (two arrays of floats) and the option counts.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .model import Question
from .qtypes import QuestionType
from .records import Mode, Status
from .replay import SessionView
from .topics import Topic

MIN_ANSWERS = 10  # fewer answers than this: say so, do not print noise
FACILITY_HIGH = 0.95
FACILITY_LOW = 0.2
DISCRIMINATION_LOW = 30.0
EFFICIENCY_LOW = 15.0
_ZERO = 1e-12  # a variance below this is float noise on identical marks: zero
FINISHED = (Status.COMPLETED, Status.TIMED_OUT)


@dataclass(frozen=True)
class Figures:
    """Moodle's figures for one question (or one position) over ``n`` attempts."""

    n: int
    facility: float | None
    sd: float | None
    discrimination_index: float | None
    discriminative_efficiency: float | None


def moodle_figures(marks: Sequence[float], others: Sequence[float]) -> Figures:
    """Moodle's calculator on one question: its marks (as fractions of its maximum) and, for
    the same attempts in the same order, the rest of the paper's marks."""
    s = len(marks)
    if s == 0:
        return Figures(0, None, None, None, None)
    mean = math.fsum(marks) / s
    other_mean = math.fsum(others) / s
    if s < 2:
        return Figures(s, mean, None, None, None)
    var = math.fsum((x - mean) ** 2 for x in marks) / (s - 1)
    other_var = math.fsum((y - other_mean) ** 2 for y in others) / (s - 1)
    cov = math.fsum((x - mean) * (y - other_mean) for x, y in zip(marks, others, strict=True))
    cov /= s - 1
    cov_max = math.fsum(
        (x - mean) * (y - other_mean) for x, y in zip(sorted(marks), sorted(others), strict=True)
    ) / (s - 1)
    var = 0.0 if var < _ZERO else var
    other_var = 0.0 if other_var < _ZERO else other_var
    di = 100 * cov / math.sqrt(var * other_var) if var * other_var else None
    de = 100 * cov / cov_max if abs(cov_max) >= _ZERO else None
    return Figures(s, mean, math.sqrt(var), di, de)


def random_guess_score(qtype: str, options: int | None) -> float | None:
    """What guessing scores on average: 判断 0.5, 单选 1 / options, 多选 none (as Moodle)."""
    if qtype == QuestionType.JUDGE.value:
        return 0.5
    if qtype == QuestionType.SINGLE.value and options:
        return 1 / options
    return None


@dataclass(frozen=True)
class ItemStats:
    """One question's row of the item analysis."""

    qid: str
    type: str
    topic: Topic
    figures: Figures
    random_guess_score: float | None
    options: Mapping[str, int]  # bank letter (T/F for 判断) -> times chosen
    no_response: int  # attempts that left it unanswered
    key: frozenset[str]  # the right letters (empty when unknown)
    enough: bool  # at least ``min_answers`` attempts
    stem: str | None = None

    @property
    def n(self) -> int:
        return self.figures.n

    @property
    def unchosen(self) -> tuple[str, ...]:
        """Options of a choice question nobody chose."""
        if self.type == QuestionType.JUDGE.value:
            return ()
        return tuple(letter for letter, times in self.options.items() if times == 0)

    @property
    def flags(self) -> tuple[str, ...]:
        """Why the question needs a look (only with enough answers): ``too_easy``,
        ``too_hard``, ``low_discrimination``, ``low_efficiency``, ``unchosen_option``."""
        if not self.enough:
            return ()
        f = self.figures
        found = []
        if f.facility is not None and f.facility > FACILITY_HIGH:
            found.append("too_easy")
        if f.facility is not None and f.facility < FACILITY_LOW:
            found.append("too_hard")
        if f.discrimination_index is not None and f.discrimination_index < DISCRIMINATION_LOW:
            found.append("low_discrimination")
        eff = f.discriminative_efficiency
        if eff is not None and eff < EFFICIENCY_LOW:
            found.append("low_efficiency")
        if self.unchosen:
            found.append("unchosen_option")
        return tuple(found)

    def to_dict(self) -> dict[str, Any]:
        f = self.figures
        return {
            "qid": self.qid,
            "type": self.type,
            "topic": self.topic.name,
            "topic_code": self.topic.code,
            "n": f.n,
            "enough": self.enough,
            "facility": _round(f.facility, 4),
            "sd": _round(f.sd, 4),
            "random_guess_score": _round(self.random_guess_score, 4),
            "discrimination_index": _round(f.discrimination_index, 2),
            "discriminative_efficiency": _round(f.discriminative_efficiency, 2),
            "options": dict(self.options),
            "no_response": self.no_response,
            "key": sorted(self.key),
            "flags": list(self.flags),
            "unchosen": list(self.unchosen),
        }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


@dataclass
class _Item:
    type: str
    topic: Topic
    marks: array[float] = field(default_factory=lambda: array("d"))
    others: array[float] = field(default_factory=lambda: array("d"))
    options: dict[str, int] = field(default_factory=dict)
    no_response: int = 0
    key: frozenset[str] = frozenset()
    letters: int | None = None  # how many options its paper showed


def finished_exam(view: SessionView) -> bool:
    """An attempt Moodle would count: an exam handed in or timed out."""
    return view.mode is Mode.EXAM and view.status in FINISHED


class ItemAnalysis:
    """The item analysis, fed one finished exam at a time (``add``)."""

    def __init__(self) -> None:
        self._items: dict[str, _Item] = {}
        self.attempts = 0

    def add(self, view: SessionView) -> bool:
        """Count ``view`` if it is a finished exam; returns whether it was counted."""
        if not finished_exam(view):
            return False
        latest = view.latest()
        # (qid, type, topic, points, letters shown, the answer that counts or None)
        if view.start is not None:
            rows = [
                (p.qid, p.type, p.topic, p.points, p.order, latest.get(i))
                for i, p in enumerate(view.start.items)
            ]
        else:  # v1: no paper on record, only what was answered
            rows = [
                (a.qid, a.type, a.topic, a.max_points, None, a) for _, a in sorted(latest.items())
            ]
        marks = [0.0 if row[5] is None else min(row[5].points, row[3]) for row in rows]
        paper_total = math.fsum(marks)
        paper_max = math.fsum(row[3] for row in rows)
        self.attempts += 1
        for (qid, qtype, topic, points, order, answer), mark in zip(rows, marks, strict=True):
            if points <= 0:
                continue  # Moodle: no facility for a question worth nothing
            item = self._items.get(qid)
            if item is None:
                item = self._items[qid] = _Item(qtype, topic)
            rest = paper_max - points
            item.marks.append(mark / points)
            item.others.append((paper_total - mark) / rest if rest > 0 else 0.0)
            if order is not None:
                item.letters = len(order)
                for letter in order:
                    item.options.setdefault(letter, 0)
            if answer is None:
                item.no_response += 1
                continue
            for letter in answer.given:
                item.options[letter] = item.options.get(letter, 0) + 1
            if answer.correct and not item.key:
                item.key = frozenset(answer.given)
        return True

    def report(
        self, questions: Mapping[str, Question], min_answers: int = MIN_ANSWERS
    ) -> tuple[ItemStats, ...]:
        """One row per question answered in a finished exam; the bank (``questions``) gives the
        options nobody chose, the key and the stem where it still has the question."""
        rows = []
        for qid, item in self._items.items():
            question = questions.get(qid)
            options = dict(item.options)
            key = item.key
            letters = item.letters
            stem = None
            if question is not None and question.type.value == item.type:
                keys = question.keys
                options = {k: item.options.get(k, 0) for k in keys}
                options.update({k: n for k, n in item.options.items() if k not in options})
                key = question.answer
                letters = len(question.options) or None
                stem = question.stem
            elif item.type == QuestionType.JUDGE.value:
                options = {"T": item.options.get("T", 0), "F": item.options.get("F", 0)}
            else:
                options = dict(sorted(options.items()))
            figures = moodle_figures(item.marks, item.others)
            rows.append(
                ItemStats(
                    qid=qid,
                    type=item.type,
                    topic=item.topic,
                    figures=figures,
                    random_guess_score=random_guess_score(item.type, letters),
                    options=options,
                    no_response=item.no_response,
                    key=key,
                    enough=figures.n >= min_answers,
                    stem=stem,
                )
            )
        rows.sort(key=_order)
        return tuple(rows)


def _order(row: ItemStats) -> tuple[int, int, float, str]:
    """Questions that need a look first, then the rest, too-few-answers last; within each,
    lowest discrimination first."""
    group = 2 if not row.enough else 0 if row.flags else 1
    di = row.figures.discrimination_index
    return (group, -len(row.flags), di if di is not None else math.inf, row.qid)
