from __future__ import annotations

import random
from dataclasses import replace

import pytest

from cmquiz.errors import TopicNotFoundError
from cmquiz.model import Question
from cmquiz.qtypes import QuestionType
from cmquiz.sampling import (
    allocate,
    count_types,
    draw_practice,
    select_topics,
    summarize_topics,
)
from cmquiz.topics import Topic


def make_pool(spec: dict[tuple[str, QuestionType], int]) -> list[Question]:
    pool = []
    for (topic, qtype), count in spec.items():
        for i in range(count):
            options = () if qtype is QuestionType.JUDGE else (("A", "a"), ("B", "b"), ("C", "c"))
            answer = (
                frozenset("T")
                if qtype is QuestionType.JUDGE
                else (frozenset("AB") if qtype is QuestionType.MULTIPLE else frozenset("A"))
            )
            pool.append(
                Question(
                    id=f"{topic}-{qtype.value}-{i}",
                    type=qtype,
                    topic=Topic(topic),
                    stem=f"{topic}{i}",
                    options=options,
                    answer=answer,
                )
            )
    return pool


S, M, J = QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.JUDGE
POOL = make_pool(
    {
        ("贷款担保管理", S): 20,
        ("贷款担保管理", M): 10,
        ("贷款担保管理", J): 10,
        ("个人贷款还款方式", S): 6,
        ("个人贷款还款方式", J): 4,
        ("电话礼仪", S): 15,
        ("电话礼仪", M): 10,
        ("电话礼仪", J): 5,
        ("企业文化", M): 3,
        ("企业文化", J): 2,
    }
)


def with_code(q: Question, code: str) -> Question:
    return replace(q, topic=Topic(q.topic.name, code))


def test_topic_matches_code_or_part_of_name() -> None:
    pool = [with_code(q, "17") if q.topic.name == "贷款担保管理" else q for q in POOL]
    assert {q.topic.name for q in select_topics(pool, ["17"])} == {"贷款担保管理"}
    assert {q.topic.name for q in select_topics(pool, ["担保"])} == {"贷款担保管理"}
    assert {q.topic.name for q in select_topics(pool, ["贷款"])} == {
        "贷款担保管理",
        "个人贷款还款方式",
    }
    assert {q.topic.name for q in select_topics(pool, ["礼仪", "文化"])} == {"电话礼仪", "企业文化"}
    assert select_topics(pool, []) == pool
    # "1" is not the code 17, and is in no name
    with pytest.raises(TopicNotFoundError) as info:
        select_topics(pool, ["1", "担保"])
    assert info.value.patterns == ["1"]
    assert "17 贷款担保管理" in info.value.available
    assert info.value.exit_code == 2


def test_allocate_is_proportional_and_capped() -> None:
    rng = random.Random(0)
    assert allocate({"a": 50, "b": 30, "c": 20}, 10, rng) == {"a": 5, "b": 3, "c": 2}
    assert sum(allocate({"a": 1, "b": 1, "c": 1}, 2, rng).values()) == 2
    assert allocate({"a": 2, "b": 8}, 50, rng) == {"a": 2, "b": 8}


def test_practice_puts_missed_then_unseen_first() -> None:
    pool = make_pool({("t", S): 6})
    last = {"t-single-0": True, "t-single-1": False, "t-single-2": True, "t-single-3": False}
    order = [q.id for q in draw_practice(pool, None, random.Random(5), last)]
    assert set(order[:2]) == {"t-single-1", "t-single-3"}
    assert set(order[2:4]) == {"t-single-4", "t-single-5"}
    assert set(order[4:]) == {"t-single-0", "t-single-2"}
    assert len(draw_practice(pool, 3, random.Random(5), last)) == 3


def test_summarize_topics_counts_by_type() -> None:
    summary = {s.topic.name: s for s in summarize_topics(POOL)}
    assert summary["贷款担保管理"].counts == {S: 20, M: 10, J: 10}
    assert summary["企业文化"].total == 5
    assert list(summary) == ["贷款担保管理", "个人贷款还款方式", "电话礼仪", "企业文化"]


def test_topic_matches_the_bank_title_too() -> None:
    pool = [
        Question(
            **{**q.__dict__, "bank": "服务礼仪与商务礼仪" if q.topic.name == "企业文化" else "其他"}
        )
        for q in POOL
    ]
    chosen = {q.topic.name for q in select_topics(pool, ["商务礼仪"])}
    assert chosen == {"企业文化"}  # by its bank's title, though its own name has no 礼仪
    assert {q.topic.name for q in select_topics(pool, ["礼仪"])} == {"企业文化", "电话礼仪"}


def test_count_types_counts_every_type_in_order() -> None:
    pool = make_pool({("甲", QuestionType.JUDGE): 3, ("乙", QuestionType.SINGLE): 2})
    counts = count_types(pool)
    assert list(counts) == list(QuestionType)
    assert counts == {QuestionType.SINGLE: 2, QuestionType.MULTIPLE: 0, QuestionType.JUDGE: 3}
    assert count_types(iter(pool)) == counts  # any iterable, read once
    assert count_types([]) == dict.fromkeys(QuestionType, 0)
