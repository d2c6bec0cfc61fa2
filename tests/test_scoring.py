"""One scoring module: points per item and the three 多选 rules."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmquiz.model import Question
from cmquiz.qtypes import QuestionType
from cmquiz.scoring import MultiRule, score_answer, total
from cmquiz.topics import Topic

ALL, PARTIAL, PER_OPTION = MultiRule.ALL_OR_NOTHING, MultiRule.PARTIAL, MultiRule.PER_OPTION


def multiple(answer: str = "ACD", keys: str = "ABCDE") -> Question:
    return Question(
        id="m",
        type=QuestionType.MULTIPLE,
        topic=Topic("t"),
        stem="s",
        options=tuple((k, k.lower()) for k in keys),
        answer=frozenset(answer),
    )


SINGLE = Question(
    id="s",
    type=QuestionType.SINGLE,
    topic=Topic("t"),
    stem="s",
    options=(("A", "a"), ("B", "b")),
    answer=frozenset("A"),
)
JUDGE = Question(id="j", type=QuestionType.JUDGE, topic=Topic("t"), stem="s", answer=frozenset("T"))


@pytest.mark.parametrize(
    ("given_keys", "rule", "points"),
    [
        ("ACD", ALL, 2.0),
        ("AC", ALL, 0.0),  # a subset earns nothing
        ("ABCD", ALL, 0.0),  # so does a superset
        ("ACD", PARTIAL, 2.0),
        ("AC", PARTIAL, 1.3333),  # no wrong letter: points x chosen / right
        ("A", PARTIAL, 0.6667),
        ("ACB", PARTIAL, 0.0),  # any wrong letter: nothing
        ("ACD", PER_OPTION, 2.0),
        ("AC", PER_OPTION, 1.3333),  # +1/3 each right letter
        ("ACB", PER_OPTION, 0.6667),  # ... -1/3 each wrong one
        ("AB", PER_OPTION, 0.0),
        ("BE", PER_OPTION, 0.0),  # floored at 0
    ],
)
def test_multiple_choice_rules(given_keys: str, rule: MultiRule, points: float) -> None:
    result = score_answer(multiple(), frozenset(given_keys), 2.0, rule)
    assert result.points == pytest.approx(points, abs=1e-4)
    assert result.max_points == 2.0
    assert result.correct == (given_keys == "ACD")


@pytest.mark.parametrize("rule", list(MultiRule))
def test_single_and_judge_are_all_or_nothing_under_every_rule(rule: MultiRule) -> None:
    assert score_answer(SINGLE, frozenset("A"), 0.5, rule).points == 0.5
    assert score_answer(SINGLE, frozenset("B"), 0.5, rule).points == 0.0
    assert score_answer(JUDGE, frozenset("T"), 1.0, rule).points == 1.0
    assert score_answer(JUDGE, frozenset("F"), 1.0, rule).points == 0.0


def test_a_paper_total_and_its_pass_mark() -> None:
    score = total([0.5, 1.0, 0.3333], [0.5, 1.0, 1.0, 1.0], 2.0)
    assert (score.score, score.max_score) == (1.83, 3.5)
    assert score.passed is False
    assert total([1.0, 1.0], [1.0, 1.0], 2.0).passed is True  # the pass mark itself passes
    assert total([1.0], [1.0], None).passed is None


keys = st.sampled_from(["ABCD", "ABCDE", "ABCDEFGH", "AB", "ABC"])


@st.composite
def answered(draw: st.DrawFn) -> tuple[Question, frozenset[str], float]:
    letters = draw(keys)
    right = draw(st.sets(st.sampled_from(letters), min_size=2))
    chosen = draw(st.sets(st.sampled_from(letters)))
    points = draw(st.sampled_from([0.5, 1.0, 2.0, 1.5]))
    return multiple("".join(sorted(right)), letters), frozenset(chosen), points


@given(answered())
def test_score_properties(case: tuple[Question, frozenset[str], float]) -> None:
    question, chosen, points = case
    scores = {rule: score_answer(question, chosen, points, rule).points for rule in MultiRule}
    for value in scores.values():
        assert 0.0 <= value <= points
    assert scores[PARTIAL] >= scores[ALL]
    assert scores[PER_OPTION] >= scores[ALL]
    if chosen == question.answer:
        assert set(scores.values()) == {points}
    if chosen and chosen <= question.answer:  # no wrong letter: partial and per-option agree
        assert scores[PARTIAL] == pytest.approx(scores[PER_OPTION], abs=1e-3)
