"""``model.Catalog``: a pool read column by column, its questions built only when taken; it
behaves like the tuple of its questions. And a warm exam on a cached bank builds only what it
draws."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cmquiz.loader import load_library
from cmquiz.model import Bank, Catalog, Library, Question
from cmquiz.papers import standard_paper_for
from cmquiz.qtypes import QuestionType
from cmquiz.sampling import assemble_paper, count_types, select_topics, summarize_topics
from strategies import questions as question_strategy
from test_bankcache import age

# Questions are costly to generate: a loaded machine must not fail the health check.
examples = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def pools(size: int) -> st.SearchStrategy[list[Question]]:
    """Lists of ``size`` questions with distinct ids (as a library has)."""
    return st.lists(
        question_strategy(newlines=False), min_size=size, max_size=size, unique_by=lambda q: q.id
    )


@examples
@given(st.lists(question_strategy(newlines=False), max_size=8))
def test_a_catalog_behaves_like_the_tuple_of_its_questions(qs: list[Question]) -> None:
    catalog = Catalog.of(qs)
    whole = tuple(qs)
    assert len(catalog) == len(whole)
    assert catalog == whole
    assert whole == catalog  # the tuple's own comparison gives way to the catalog's
    assert hash(catalog) == hash(whole)
    assert list(catalog) == qs
    assert catalog[1:3] == whole[1:3]
    assert catalog[::-1] == whole[::-1]
    if qs:
        assert catalog[-1] is qs[-1]
        assert catalog != whole[:-1]
    assert catalog.ids == [q.id for q in qs]
    assert catalog.types == [q.type for q in qs]
    assert Catalog.of(catalog) is catalog
    with pytest.raises(IndexError):
        _ = catalog[len(qs)]


@examples
@given(pools(8))
def test_a_catalog_builds_a_question_when_it_is_taken_and_keeps_it(qs: list[Question]) -> None:
    built: list[int] = []

    def build(i: int) -> Question:
        built.append(i)
        return qs[i]

    catalog = Catalog(
        [q.id for q in qs], [q.type for q in qs], [q.topic for q in qs], [q.bank for q in qs], build
    )
    assert count_types(catalog) == count_types(qs)
    assert summarize_topics(catalog) == summarize_topics(qs)
    assert built == []  # counting and summing up read the columns only
    assert catalog[3] is catalog[3] is qs[3]
    assert catalog[-1] is qs[-1]
    assert built == [3, len(qs) - 1]
    subset = catalog.subset([5, 2])
    assert list(subset) == [qs[5], qs[2]]
    assert built == [3, len(qs) - 1, 5, 2]
    joined = Catalog.join([catalog, Catalog.of(qs[:4])])
    assert joined.ids == [q.id for q in qs] + [q.id for q in qs[:4]]
    assert joined[len(qs) + 1] is qs[1]
    assert joined[3] is qs[3]
    assert built[-1] == 2  # built already: not built again
    with pytest.raises(ValueError, match="differ in length"):
        Catalog([q.id for q in qs], [], [], [], build)


@examples
@given(pools(6))
def test_banks_and_libraries_compare_equal_whichever_form_their_questions_take(
    qs: list[Question],
) -> None:
    as_tuple = Bank("题库", tuple(qs))
    as_catalog = Bank("题库", Catalog.of(qs))
    assert as_tuple == as_catalog
    assert hash(as_tuple) == hash(as_catalog)
    library = Library((as_catalog, Bank("另一个", ())))
    assert library.questions == tuple(qs)
    assert library.questions[0] is qs[0]


@examples
@given(pools(12))
def test_select_topics_reads_knowledge_points_only(qs: list[Question]) -> None:
    built: list[int] = []
    catalog = Catalog(
        [q.id for q in qs],
        [q.type for q in qs],
        [q.topic for q in qs],
        [q.bank for q in qs],
        lambda i: built.append(i) or qs[i],
    )
    name = qs[0].topic.name
    chosen = select_topics(catalog, [name])
    assert built == []
    assert list(chosen) == [q for q in qs if q.topic.matches(name, q.bank)]
    assert select_topics(catalog, []) is catalog


def write_big_bank(path: Path, count: int) -> Path:
    lines = ["bank: 大题库", "questions:"]
    for i in range(count):
        kind = ("single", "multiple", "judge")[i % 3]
        if kind == "judge":
            lines.append(
                f"  - {{id: q{i:04d}, type: judge, topic: 知识点{i % 9}, stem: 题{i}, answer: 对}}"
            )
        else:
            answer = "A" if kind == "single" else "AC"
            lines.append(
                f"  - {{id: q{i:04d}, type: {kind}, topic: 知识点{i % 9}, stem: 题{i},"
                f" options: {{A: 甲, B: 乙, C: 丙, D: 丁}}, answer: {answer}}}"
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    age(path)
    return path


def test_a_paper_from_a_cached_bank_builds_only_the_questions_drawn(tmp_path: Path) -> None:
    bank = write_big_bank(tmp_path / "big.yaml", 900)
    cache = tmp_path / "cache"
    parsed = load_library([bank], cache_dir=cache)
    cached = load_library([bank], cache_dir=cache)
    assert cached.parsed == ()
    assert parsed.parsed != ()
    pool = select_topics(cached.questions, [])
    spec, _ = standard_paper_for(count_types(pool), 60)
    catalog = cached.questions
    assert isinstance(catalog, Catalog)
    drawn = assemble_paper(spec, pool, random.Random(7))
    built = [i for i in range(len(catalog)) if catalog._built[i] is not None]
    assert len(built) == len(drawn) == 60
    # the same draw as from the parsed bank, question for question
    again = assemble_paper(spec, select_topics(parsed.questions, []), random.Random(7))
    assert [(d.question, d.points, d.order) for d in drawn] == [
        (d.question, d.points, d.order) for d in again
    ]
    assert {d.question.type for d in drawn} == set(QuestionType)


def test_loading_several_cached_banks_builds_no_question(tmp_path: Path) -> None:
    """The check for ids repeated across banks reads the ids only."""
    big = write_big_bank(tmp_path / "big.yaml", 300)
    small = tmp_path / "small.yaml"
    small.write_text(
        "bank: 小题库\nquestions:\n  - {id: s1, type: judge, topic: t, stem: 题干, answer: 对}\n",
        encoding="utf-8",
    )
    age(small)
    cache = tmp_path / "cache"
    load_library([big, small], cache_dir=cache)
    cached = load_library([big, small], cache_dir=cache)
    assert cached.parsed == ()
    for bank in cached.banks:
        assert isinstance(bank.questions, Catalog)
        assert all(q is None for q in bank.questions._built)
    assert len(cached.questions) == 301
