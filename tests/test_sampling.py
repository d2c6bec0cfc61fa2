from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmquiz.errors import TopicNotFoundError
from cmquiz.model import Question
from cmquiz.qtypes import QuestionType
from cmquiz.sampling import (
    allocate,
    draw_paper,
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


def test_paper_is_stratified_by_topic_and_type() -> None:
    n = 40
    paper = draw_paper(POOL, n, random.Random(7))
    assert len(paper) == n
    assert len({q.id for q in paper}) == n  # no repeats
    by_topic = Counter(q.topic.name for q in paper)
    topic_sizes = Counter(q.topic.name for q in POOL)
    for topic, size in topic_sizes.items():
        assert abs(by_topic[topic] - n * size / len(POOL)) < 1, topic
    by_type = Counter(q.type for q in paper)
    type_sizes = Counter(q.type for q in POOL)
    for qtype, size in type_sizes.items():
        assert abs(by_type[qtype] - n * size / len(POOL)) <= 1, qtype


def test_paper_is_ordered_single_multiple_judge() -> None:
    paper = draw_paper(POOL, 30, random.Random(3))
    order = [q.type for q in paper]
    assert order == sorted(order, key=[S, M, J].index)


def test_same_seed_same_paper_different_seed_different_paper() -> None:
    first = [q.id for q in draw_paper(POOL, 25, random.Random(42))]
    again = [q.id for q in draw_paper(list(reversed(POOL)), 25, random.Random(42))]
    other = [q.id for q in draw_paper(POOL, 25, random.Random(43))]
    assert first == again
    assert first != other


def test_small_pool_gives_all_of_it() -> None:
    pool = POOL[:7]
    paper = draw_paper(pool, 50, random.Random(1))
    assert sorted(q.id for q in paper) == sorted(q.id for q in pool)


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.dictionaries(
        st.tuples(st.sampled_from("abcdefg"), st.sampled_from([S, M, J])),
        st.integers(1, 12),
        min_size=1,
        max_size=12,
    ),
    n=st.integers(1, 80),
    seed=st.integers(0, 2**32),
)
def test_paper_properties(sizes: dict[tuple[str, QuestionType], int], n: int, seed: int) -> None:
    pool = make_pool(sizes)
    paper = draw_paper(pool, n, random.Random(seed))
    assert len(paper) == min(n, len(pool))
    assert len({q.id for q in paper}) == len(paper)
    counts = Counter(q.topic.name for q in paper)
    sizes_by_topic = Counter(q.topic.name for q in pool)
    for topic, size in sizes_by_topic.items():
        assert abs(counts[topic] - len(paper) * size / len(pool)) < 1
    types = Counter(q.type for q in paper)
    for qtype, size in Counter(q.type for q in pool).items():
        assert abs(types[qtype] - len(paper) * size / len(pool)) < 2


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
