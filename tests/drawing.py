"""What the tests need to know about a run before it happens: the paper or practice order the
CLI draws for a seed (the same domain functions it calls), and what to type to answer rightly."""

from __future__ import annotations

import random
from pathlib import Path

from cmquiz.loader import load_library
from cmquiz.model import Question
from cmquiz.papers import PaperSpec, standard_paper_for
from cmquiz.qtypes import QuestionType
from cmquiz.sampling import (
    DrawnItem,
    assemble_paper,
    draw_practice,
    draw_weighted,
    select_topics,
)

DATA = Path(__file__).parent / "data"
MINI = str(DATA / "mini.yaml")


def typed(question: Question, right: bool = True, order: tuple[str, ...] | None = None) -> str:
    """What a user types to answer a question rightly (or wrongly), in the letters on screen."""
    if question.type is QuestionType.JUDGE:
        return "对" if ("T" in question.answer) == right else "错"
    keys = (
        sorted(question.answer)
        if right
        else [k for k in question.keys if k not in question.answer][:1]
    )
    if order is not None:
        keys = sorted("ABCDEFGH"[order.index(k)] for k in keys)
    return ",".join(k.lower() for k in keys)


def pool(bank: str = MINI, topics: list[str] | None = None) -> list[Question]:
    return select_topics(load_library([bank]).questions, topics or [])


def exam_paper(questions: list[Question], n: int, seed: int) -> list[DrawnItem]:
    """The paper ``cmquiz exam --n N --seed S`` draws from ``questions``."""
    available = {t: sum(1 for q in questions if q.type is t) for t in QuestionType}
    spec, _ = standard_paper_for(available, n)
    return assemble_paper(spec, questions, random.Random(seed))


def paper_draw(spec: PaperSpec, questions: list[Question], seed: int) -> list[DrawnItem]:
    return assemble_paper(spec, questions, random.Random(seed))


def practice_order(
    questions: list[Question], n: int, seed: int, *, by_topic: bool = False
) -> list[Question]:
    """What ``cmquiz practice --seed S`` asks with an empty history: ``--topic`` runs take the
    missed-unseen-rest order, runs over the whole bank the weighted draw."""
    if by_topic:
        return draw_practice(questions, n, random.Random(seed))
    return draw_weighted(questions, n, random.Random(seed))
