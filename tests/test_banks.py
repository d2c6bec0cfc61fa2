"""Every bundled bank is valid and meets the bar a training department would set."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest

from cmquiz.loader import expand_bank_paths, load_library
from cmquiz.model import Library, QuestionType
from cmquiz.paths import bundled_banks_dir
from cmquiz.sampling import summarize_topics

REPO = Path(__file__).resolve().parents[1]
# The knowledge points of the seed's own exam-bank export (credit and private banking). The seed
# has only their questions, no teaching text, so they keep the seed's few questions rather than
# padding them with invented ones; every other knowledge point needs at least six.
SEED_EXAM_BANKS = ("02-credit.yaml", "03-private-banking.yaml")


def seed_dir() -> Path | None:
    """../shared/seed when it is there (the source of truth), else the copy in tests/data."""
    for candidate in (
        os.environ.get("CMQUIZ_SEED_DIR"),
        REPO.parent / "shared" / "seed",
        REPO / "tests" / "data" / "seed",
    ):
        if candidate and Path(candidate).is_dir() and any(Path(candidate).glob("*.txt")):
            return Path(candidate)
    return None


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(expand_bank_paths([bundled_banks_dir()]))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_bundled_banks_load_without_problems(library: Library) -> None:
    paths = expand_bank_paths([bundled_banks_dir()])
    assert len(library.banks) == len(paths) >= 7
    assert len(library.questions) == len(library.by_id())  # ids unique across banks


def test_size_topics_and_type_shares(library: Library) -> None:
    questions = library.questions
    assert len(questions) >= 150
    topics = summarize_topics(questions)
    assert len(topics) >= 12
    types = Counter(q.type for q in questions)
    assert types[QuestionType.MULTIPLE] / len(questions) >= 0.25
    assert types[QuestionType.JUDGE] / len(questions) >= 0.15


def test_every_knowledge_point_has_six_questions(library: Library) -> None:
    seed_exam_topics = {
        q.topic.name
        for b in library.banks
        if Path(b.path or "").name in SEED_EXAM_BANKS
        for q in b.questions
    }
    assert seed_exam_topics == {
        "贷款担保管理",
        "个人贷款还款方式",
        "个人贷款利息及结息规定",
        "个人贷款风险管理",
        "工银私人银行服务体系",
        "工银私人银行产品服务体系",
        "私人银行服务定义",
    }
    thin = {
        t.topic.label: t.total
        for t in summarize_topics(library.questions)
        if t.total < 6 and t.topic.name not in seed_exam_topics
    }
    assert not thin, f"knowledge points with fewer than 6 questions: {thin}"


def test_every_question_is_documented(library: Library) -> None:
    for q in library.questions:
        assert q.evidence, q.id
        assert len(squash(q.evidence)) >= 6, q.id
        assert q.source, q.id
        assert q.explanation, q.id
        assert q.difficulty is not None, q.id


def test_evidence_is_quoted_verbatim_from_the_seed(library: Library) -> None:
    folder = seed_dir()
    if folder is None:
        pytest.skip("no seed material next to the repository or in tests/data/seed")
    seed = squash("".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))))
    missing = [q.id for q in library.questions if squash(q.evidence or "") not in seed]
    assert not missing, f"evidence not found verbatim in {folder}: {missing}"


def test_no_two_questions_share_a_stem(library: Library) -> None:
    stems = Counter(squash(q.stem) for q in library.questions)
    assert [s for s, n in stems.items() if n > 1] == []


def test_answers_are_spread(library: Library) -> None:
    singles = [q for q in library.questions if q.type is QuestionType.SINGLE]
    letters = Counter(next(iter(q.answer)) for q in singles)
    for letter in "ABCD":
        assert letters[letter] / len(singles) >= 0.15, letters
    multiples = [q for q in library.questions if q.type is QuestionType.MULTIPLE]
    assert len({q.answer for q in multiples}) >= 12
    judges = [q for q in library.questions if q.type is QuestionType.JUDGE]
    trues = sum(1 for q in judges if "T" in q.answer)
    assert 0.3 <= trues / len(judges) <= 0.7


def test_difficulty_is_not_flat(library: Library) -> None:
    levels = Counter(q.difficulty for q in library.questions)
    assert len(levels) >= 3
    assert max(levels.values()) / len(library.questions) < 0.7
