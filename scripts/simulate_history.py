"""Write a seeded, made-up answer history: a trainee who practised and reviewed on the bundled
banks for a couple of weeks, then set an exam date. For trying ``cmquiz review`` and ``cmquiz
plan`` on a realistic history (also across days, under faketime).

    python scripts/simulate_history.py HOME [--days 14] [--exam-in 30] [--per-day 30] [--seed 1]
                                             [--today YYYY-MM-DD]

Each past day: one practice run of 15 questions (the weighted draw ``cmquiz practice`` uses)
and the day's FSRS reviews; a question is answered right with a probability that grows with
how often it was seen. The last record is the exam plan, written "today".
"""

from __future__ import annotations

import argparse
import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from cmquiz.history import HistoryStore
from cmquiz.learning import fold
from cmquiz.learning_records import PlanRecord
from cmquiz.loader import load_library
from cmquiz.model import Question
from cmquiz.paths import bundled_banks_dir
from cmquiz.qtypes import QuestionType
from cmquiz.records import Mode, Record, Status
from cmquiz.review import agenda
from cmquiz.sampling import draw_weighted
from cmquiz.session import Item, Session, start_record


def typed_answer(question: Question, right: bool, rng: random.Random) -> frozenset[str]:
    if right:
        return question.answer
    if question.type is QuestionType.JUDGE:
        return frozenset({"F" if "T" in question.answer else "T"})
    wrong = [k for k in question.keys if k not in question.answer]
    if not wrong:  # every option is right: leave one out
        return frozenset(sorted(question.answer)[1:])
    return frozenset({rng.choice(wrong)})


def run(
    records: list[Record],
    questions: list[Question],
    mode: Mode,
    at: datetime,
    rng: random.Random,
    seen: dict[str, int],
) -> None:
    items = [Item(i, q, 1.0) for i, q in enumerate(questions)]
    start = start_record(uuid.UUID(int=rng.getrandbits(128)).hex, mode, items, at, user="sim")
    session = Session(start, items, at)
    records.append(start)
    moment = at
    for item in items:
        q = item.question
        bonus = 0.05 if q.type is QuestionType.JUDGE else 0.0
        p = min(0.95, 0.6 + 0.1 * seen.get(q.id, 0) + bonus)
        elapsed = rng.randint(4000, 40000)
        moment += timedelta(milliseconds=elapsed)
        right = rng.random() < p
        records.append(session.answer(item.index, typed_answer(q, right, rng), moment, elapsed))
        seen[q.id] = seen.get(q.id, 0) + 1
    records.append(session.finish(moment + timedelta(seconds=1), Status.COMPLETED))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("home", type=Path)
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--exam-in", type=int, default=30)
    parser.add_argument("--per-day", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    args = parser.parse_args()
    rng = random.Random(args.seed)
    bank = list(load_library([bundled_banks_dir()]).questions)
    records: list[Record] = []
    seen: dict[str, int] = {}
    for back in range(args.days, 0, -1):
        day = args.today - timedelta(days=back)
        morning = datetime.combine(day, time(1, 0), UTC) + timedelta(minutes=rng.randint(0, 90))
        learning = fold(records)
        due = agenda(bank, learning, morning, UTC).questions
        by_id = {q.id: q for q in bank}
        if due:
            run(records, [by_id[q] for q in due], Mode.REVIEW, morning, rng, seen)
        accuracy = {q.topic.name: learning.topic_accuracy(q.topic.name) for q in bank}
        drawn = draw_weighted(bank, 15, rng, learning.last_results(), accuracy)
        run(records, drawn, Mode.PRACTICE, morning + timedelta(hours=10), rng, seen)
    exam = args.today + timedelta(days=args.exam_in)
    now = datetime.combine(args.today, time(0, 30), UTC)
    records.append(PlanRecord(exam, args.per_day, now))
    store = HistoryStore(args.home / "history.jsonl")
    for record in records:
        store.append(record)
    answers = sum(1 for r in records if r.__class__.__name__ == "AnswerRecord")
    print(f"wrote {len(records)} records ({answers} answers) to {store.path}; exam {exam}")


if __name__ == "__main__":
    main()
