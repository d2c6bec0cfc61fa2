"""The bundled banks teach the job, stay true to the seed material and keep their ids honest."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from cmquiz.importers import import_file
from cmquiz.lintrules import DOCUMENT_WORDS, LETTER_ONLY
from cmquiz.loader import expand_bank_paths, load_bank, load_library
from cmquiz.model import Library
from cmquiz.paths import bundled_banks_dir
from cmquiz.qtypes import QuestionType
from cmquiz.sampling import summarize_topics

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
SEED = DATA / "seed" / "000_e7e4e28864bc092d.txt"  # a copy of ../shared/seed
SEED_EXAM_BANKS = ("02-credit.yaml", "03-private-banking.yaml")


# Stems never ask about the source documents, and explanations name options by their text: the
# lint rules L111 and L110 hold the patterns.
@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(expand_bank_paths([bundled_banks_dir()]))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_seed_copy_is_the_shared_seed() -> None:
    shared = REPO.parent / "shared" / "seed" / SEED.name
    if shared.exists():  # next to the checkout on the development machine
        assert shared.read_bytes() == SEED.read_bytes()
    assert SEED.stat().st_size > 40_000


def test_bundled_banks_load_without_problems(library: Library) -> None:
    paths = expand_bank_paths([bundled_banks_dir()])
    assert len(library.banks) == len(paths) >= 7
    assert len(library.questions) == len(library.by_id())  # ids unique across banks


def test_size_and_type_shares_near_the_real_exam(library: Library) -> None:
    questions = library.questions
    assert 100 <= len(questions) <= 200
    types = Counter(q.type for q in questions)
    assert types[QuestionType.MULTIPLE] / len(questions) >= 0.20
    assert types[QuestionType.JUDGE] / len(questions) >= 0.15


def test_no_stem_asks_about_the_documents(library: Library) -> None:
    offending = {q.id: q.stem for q in library.questions if DOCUMENT_WORDS.search(q.stem)}
    assert not offending, offending


def test_the_document_pattern_catches_what_the_audit_found() -> None:
    for stem in (
        "下列哪一项列于第三章第二节?",
        "《银行客户经理商务礼仪》课程第六讲讲的是()。",
        "根据教材目录,第二章包括()。",
        "电话礼仪属于第三模块。",
    ):
        assert DOCUMENT_WORDS.search(stem), stem


def test_every_question_is_documented(library: Library) -> None:
    for q in library.questions:
        assert q.evidence, q.id
        assert len(squash(q.evidence)) >= 6, q.id
        assert q.source, q.id
        assert q.explanation, q.id
        assert q.difficulty is not None, q.id


def test_explanations_name_options_by_their_text(library: Library) -> None:
    offending = {
        q.id: q.explanation
        for q in library.questions
        if q.type is not QuestionType.JUDGE and LETTER_ONLY.search(q.explanation or "")
    }
    assert not offending, offending
    assert LETTER_ONLY.search("所以选A。")
    assert LETTER_ONLY.search("B项说法错误")
    assert not LETTER_ONLY.search("“20%的高价值客户”才是重点")


def test_evidence_is_quoted_verbatim_from_the_seed(library: Library) -> None:
    seed = squash(SEED.read_text(encoding="utf-8"))
    missing = [q.id for q in library.questions if squash(q.evidence or "") not in seed]
    assert not missing, f"evidence not found verbatim in the seed: {missing}"


def test_the_seeds_own_exam_questions_are_kept_as_they_are() -> None:
    imported = import_file(SEED).bank.questions
    kept = [q for name in SEED_EXAM_BANKS for q in load_bank(bundled_banks_dir() / name).questions]
    assert len(kept) == len(imported) == 9
    for original, bundled in zip(imported, kept, strict=True):
        assert (bundled.type, bundled.options, bundled.answer, bundled.topic) == (
            original.type,
            original.options,
            original.answer,
            original.topic,
        ), bundled.id
    codes = {q.topic.code for q in kept if q.topic.code}
    assert codes == {"17", "18", "19", "25"}


def test_every_published_id_is_kept_or_retired(library: Library) -> None:
    """An id, once published, stays the same question or is listed as retired, never reused."""
    published = set((DATA / "published_ids.txt").read_text(encoding="utf-8").split())
    current = set(library.by_id())
    retired = {qid for bank in library.banks for qid in bank.retired}
    assert not current & retired
    assert published - current - retired == set()
    unlisted = current - published
    assert not unlisted, f"add new ids to tests/data/published_ids.txt: {sorted(unlisted)}"


def test_knowledge_points_are_named_for_trainees(library: Library) -> None:
    seed_exam = {
        q.topic.name
        for name in SEED_EXAM_BANKS
        for q in load_bank(bundled_banks_dir() / name).questions
    }
    for summary in summarize_topics(library.questions):
        name = summary.topic.name
        assert not re.search(r"第.+[章节]|^\d", name), name
        # the seed's own exam questions keep their knowledge points, however few they are
        assert summary.total >= 2 or name in seed_exam, f"a one-question knowledge point: {name}"
        code = summary.topic.code
        assert code is None or code in {"17", "18", "19", "25"}, name


def test_no_two_questions_share_a_stem(library: Library) -> None:
    stems = Counter(squash(q.stem) for q in library.questions)
    assert [s for s, n in stems.items() if n > 1] == []


def test_answers_are_spread(library: Library) -> None:
    singles = [q for q in library.questions if q.type is QuestionType.SINGLE]
    letters = Counter(next(iter(q.answer)) for q in singles)
    for letter in "ABCD":
        assert letters[letter] / len(singles) >= 0.15, letters
    multiples = [q for q in library.questions if q.type is QuestionType.MULTIPLE]
    assert len({q.answer for q in multiples}) >= 10
    judges = [q for q in library.questions if q.type is QuestionType.JUDGE]
    trues = sum(1 for q in judges if "T" in q.answer)
    assert 0.35 <= trues / len(judges) <= 0.65


def test_multiple_choice_questions_have_two_wrong_options(library: Library) -> None:
    few = [
        q.id
        for q in library.questions
        if q.type is QuestionType.MULTIPLE and len(q.options) - len(q.answer) < 2
    ]
    # the seed's own pb-003 keys every option; nothing else may
    assert few == ["pb-003"]


def test_difficulty_is_not_flat(library: Library) -> None:
    levels = Counter(q.difficulty for q in library.questions)
    assert len(levels) >= 4
    assert max(levels.values()) / len(library.questions) < 0.6
