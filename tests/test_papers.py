"""Exam papers: the YAML layout validated like a bank, the standard layout, assembly."""

from __future__ import annotations

import random
import textwrap
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmquiz.errors import BankError, PaperShortError
from cmquiz.loader import load_library
from cmquiz.model import Question
from cmquiz.paperfile import load_paper, parse_paper_text
from cmquiz.papers import (
    PaperSpec,
    Section,
    TopicQuota,
    bundled_papers_dir,
    parse_duration,
    standard_paper,
    standard_paper_for,
)
from cmquiz.paths import bundled_banks_dir
from cmquiz.qtypes import QuestionType
from cmquiz.sampling import assemble_paper
from cmquiz.scoring import MultiRule
from cmquiz.topics import Topic

S, M, J = QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.JUDGE


def make_pool(spec: dict[tuple[str, QuestionType], int]) -> list[Question]:
    pool = []
    for (topic, qtype), count in spec.items():
        for i in range(count):
            options = () if qtype is J else (("A", "a"), ("B", "b"), ("C", "c"), ("D", "d"))
            answer = frozenset("T" if qtype is J else ("AB" if qtype is M else "A"))
            pool.append(
                Question(
                    id=f"{topic}-{qtype.value}-{i}",
                    type=qtype,
                    topic=Topic(topic, "17" if topic == "担保" else None),
                    stem=f"{topic}{qtype.value}{i}",
                    options=options,
                    answer=answer,
                )
            )
    return pool


POOL = make_pool(
    {
        ("担保", S): 20,
        ("担保", M): 10,
        ("担保", J): 6,
        ("礼仪", S): 12,
        ("礼仪", M): 8,
        ("礼仪", J): 6,
        ("营销", S): 8,
        ("营销", M): 4,
        ("营销", J): 4,
    }
)


def paper(text: str) -> PaperSpec:
    return parse_paper_text(textwrap.dedent(text), "p.yaml")


# --- reading paper files ------------------------------------------------------------------------


def test_a_paper_file_reads_every_field() -> None:
    spec = paper(
        """
        title: 模拟卷
        description: 说明
        time_limit: 1h30m
        pass_mark: 33
        rule: per_option
        shuffle_questions: false
        shuffle_options: true
        sections:
          - {type: 单选, count: 30, points: 0.5, topics: [17, 礼仪]}
          - {type: multiple, count: 20, points: 1.5}
          - {type: judge, count: 10, points: 1}
        topics:
          - {topic: 营销, count: 5}
          - {topic: 礼仪, share: 0.2}
        """
    )
    assert spec.title == "模拟卷"
    assert spec.time_limit_s == 5400
    assert spec.pass_mark == 33
    assert spec.rule is MultiRule.PER_OPTION
    assert (spec.shuffle_questions, spec.shuffle_options) == (False, True)
    assert spec.sections[0] == Section(S, 30, 0.5, ("17", "礼仪"))
    assert spec.items == 60
    assert spec.max_score == 15 + 30 + 10
    assert spec.quotas == (TopicQuota("营销", count=5), TopicQuota("礼仪", share=0.2))
    assert spec.quotas[1].seats(60) == 12


@pytest.mark.parametrize(
    ("text", "expected"),
    [("90m", 5400), ("1h30m", 5400), ("2h", 7200), ("45s", 45), ("1.5h", 5400), ("90分钟", 5400)],
)
def test_durations(text: str, expected: int) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["90", "", "abc", "m", "1x"])
def test_not_durations(text: str) -> None:
    assert parse_duration(text) is None


def test_every_problem_of_a_paper_is_reported_at_once_with_its_line() -> None:
    with pytest.raises(BankError) as caught:
        paper(
            """
            titel: 拼错了
            time_limit: 90
            pass_mark: 200
            rule: lenient
            shuffle_options: maybe
            sections:
              - {type: essay, count: 3, points: 1}
              - {type: single, count: 0, points: 1}
              - {type: judge, count: 2.5, points: -1}
              - {type: multiple, count: 5, points: 2, topics: 礼仪}
              - {type: single, points: 1, extra: x}
            topics:
              - {topic: 礼仪, count: 3, share: 0.5}
              - {topic: 营销, share: 1.5}
              - {count: 2}
            """
        )
    messages = [f"{p.line}:{p.where}: {p.message}" for p in caught.value.problems]
    joined = "\n".join(messages)
    for needle in (
        "2:titel: 未知字段 titel;是不是 title?",
        ":title: 缺少字段 title",
        "3:time_limit: 时间限制应写明单位",
        "5:rule: 多选计分规则应为 all_or_nothing、partial、per_option 之一",
        "6:shuffle_options: 应为 true 或 false",
        "8:sections[0].type: 题型应为",
        "9:sections[1].count: 应大于 0",
        "10:sections[2].count: 应为正整数",
        "10:sections[2].points: 应大于 0",
        "11:sections[3].topics: 应为知识点列表",
        "12:sections[4].count: 缺少字段 count",
        "12:sections[4].extra: 未知字段 extra",
        "14:topics[0]: count(题数)和 share(占比,0 到 1)二者必须且只能写一个",
        "15:topics[1].share: 占比应在 0 到 1 之间",
        "16:topics[2].topic: 缺少字段 topic",
    ):
        assert needle in joined, (needle, joined)
    assert all(p.file == "p.yaml" for p in caught.value.problems)


def test_a_pass_mark_above_the_maximum() -> None:
    with pytest.raises(BankError) as caught:
        paper(
            """
            title: t
            pass_mark: 40
            sections: [{type: single, count: 30, points: 1}]
            """
        )
    assert "及格线 40 分高于满分 30 分" in caught.value.details()[1]


def test_quotas_larger_than_the_paper() -> None:
    with pytest.raises(BankError) as caught:
        paper(
            """
            title: t
            sections: [{type: single, count: 10, points: 1}]
            topics: [{topic: 担保, count: 12}]
            """
        )
    assert "合计 12 道,超过试卷总题数 10 道" in caught.value.details()[1]


def test_the_bundled_papers() -> None:
    files = sorted(bundled_papers_dir().glob("*.yaml"))
    assert [f.stem for f in files] == ["mock", "qualification"]
    real = load_paper(bundled_papers_dir() / "qualification.yaml")
    assert [(s.type, s.count, s.points) for s in real.sections] == [
        (S, 90, 0.5),
        (M, 40, 1.0),
        (J, 15, 1.0),
    ]
    assert (real.max_score, real.pass_mark, real.time_limit_s) == (100, 60, 7200)
    mock = load_paper(bundled_papers_dir() / "mock.yaml")
    single, multiple, judge = mock.sections
    assert single.points * 2 == multiple.points  # 单选 worth half a 多选, as in the real exam
    assert judge.points == multiple.points
    assert mock.max_score == 100
    # the time limit in proportion to the number of questions
    assert abs(mock.time_limit_s / mock.items - real.time_limit_s / real.items) < 5
    bundled = list(load_library([bundled_banks_dir()]).questions)
    items = assemble_paper(mock, bundled, random.Random(1))  # the bundled banks can fill it
    assert len(items) == mock.items
    with pytest.raises(PaperShortError):
        assemble_paper(real, bundled, random.Random(1))


# --- the standard layout (exam --n N) ---------------------------------------------------------


def test_the_standard_paper_follows_the_real_exam() -> None:
    full = standard_paper(145)
    assert [(s.type, s.count, s.points) for s in full.sections] == [
        (S, 90, 0.5),
        (M, 40, 1.0),
        (J, 15, 1.0),
    ]
    assert (full.max_score, full.pass_mark, full.time_limit_s) == (100, 60, 7200)
    fifty = standard_paper(50)
    assert [s.count for s in fifty.sections] == [31, 14, 5]
    assert fifty.max_score == 15.5 + 14 + 5
    assert fifty.pass_mark == round(fifty.max_score * 0.6, 2)
    assert fifty.time_limit_s == 42 * 60


def test_the_standard_paper_moves_seats_the_pool_lacks() -> None:
    spec, notes = standard_paper_for({S: 10, M: 40, J: 40}, 50)
    assert [(s.type, s.count) for s in spec.sections] == [(S, 10), (M, 35), (J, 5)]
    assert notes == ["单选题只有 10 道,少于按比例应出的 31 道,其余题数由其他题型补足。"]
    small, notes = standard_paper_for({S: 2, M: 1, J: 1}, 50)
    assert small.items == 4
    assert notes[0].startswith("符合条件的题目只有 4 道,少于 50 道")


# --- assembly -------------------------------------------------------------------------------------


def test_sections_are_filled_by_type_in_order() -> None:
    spec = paper(
        """
        title: t
        sections:
          - {type: single, count: 10, points: 0.5}
          - {type: multiple, count: 6, points: 1}
          - {type: judge, count: 4, points: 1}
        """
    )
    items = assemble_paper(spec, POOL, random.Random(3))
    assert [d.question.type for d in items] == [S] * 10 + [M] * 6 + [J] * 4
    assert [d.points for d in items] == [0.5] * 10 + [1.0] * 10
    assert len({d.question.id for d in items}) == 20
    assert all(d.order is None for d in items)
    # knowledge points in proportion to the pool within each section
    singles = Counter(d.question.topic.name for d in items[:10])
    assert singles == {"担保": 5, "礼仪": 3, "营销": 2}


def test_section_topics_and_paper_quotas() -> None:
    spec = paper(
        """
        title: t
        sections:
          - {type: single, count: 10, points: 1, topics: [17]}
          - {type: multiple, count: 10, points: 2}
          - {type: judge, count: 10, points: 1}
        topics:
          - {topic: 营销, count: 6}
          - {topic: 礼仪, share: 0.3}
        """
    )
    items = assemble_paper(spec, POOL, random.Random(5))
    assert {d.question.topic.name for d in items[:10]} == {"担保"}
    topics = Counter(d.question.topic.name for d in items)
    assert topics["营销"] == 6
    assert topics["礼仪"] == 9
    assert topics["担保"] == 15


def test_a_pool_that_cannot_fill_the_paper_lists_every_shortfall() -> None:
    spec = paper(
        """
        title: 大卷
        sections:
          - {type: single, count: 50, points: 1}
          - {type: multiple, count: 40, points: 1}
          - {type: judge, count: 5, points: 1, topics: [营销]}
        topics:
          - {topic: 礼仪, count: 30}
        """
    )
    with pytest.raises(PaperShortError) as caught:
        assemble_paper(spec, POOL, random.Random(1))
    lines = caught.value.shortfalls
    assert "单选 需要 50 道,题池只有 40 道" in lines
    assert "多选 需要 40 道,题池只有 22 道" in lines
    # 礼仪 questions fit only the two sections open to every knowledge point
    assert "知识点 礼仪 需要 30 道,题池只有 20 道" in lines
    assert "判断(知识点:营销) 需要 5 道,题池只有 4 道" in lines
    assert "大卷" in caught.value.message


def test_options_are_shuffled_only_when_the_paper_says_so() -> None:
    spec = PaperSpec("t", (Section(S, 10, 1), Section(J, 4, 1)), shuffle_options=True)
    items = assemble_paper(spec, POOL, random.Random(2))
    orders = [d.order for d in items[:10]]
    assert all(sorted(o or ()) == list("ABCD") for o in orders)
    assert any(list(o or ()) != list("ABCD") for o in orders)
    assert all(d.order is None for d in items[10:])  # 判断 has no options


def test_same_seed_same_paper() -> None:
    spec = standard_paper(30)
    first = [d.question.id for d in assemble_paper(spec, POOL, random.Random(42))]
    again = [d.question.id for d in assemble_paper(spec, list(reversed(POOL)), random.Random(42))]
    other = [d.question.id for d in assemble_paper(spec, POOL, random.Random(43))]
    assert first == again
    assert first != other


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
def test_standard_paper_properties(
    sizes: dict[tuple[str, QuestionType], int], n: int, seed: int
) -> None:
    pool = make_pool(sizes)
    available = Counter(q.type for q in pool)
    spec, _ = standard_paper_for(dict(available), n)
    items = assemble_paper(spec, pool, random.Random(seed))
    assert len(items) == min(n, len(pool))
    assert len({d.question.id for d in items}) == len(items)
    assert sum(d.points for d in items) == pytest.approx(spec.max_score)
    for section in spec.sections:
        chosen = [d for d in items if d.question.type is section.type]
        assert len(chosen) == section.count
        in_pool = Counter(q.topic.name for q in pool if q.type is section.type)
        drawn = Counter(d.question.topic.name for d in chosen)
        total = sum(in_pool.values())
        for topic, size in in_pool.items():
            assert abs(drawn[topic] - section.count * size / total) < 1
