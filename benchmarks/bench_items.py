"""Department-scale item analysis: ``cmquiz stats --items`` over many trainees' histories.

    python benchmarks/bench_items.py                      # 1,000 trainees x 20 exams x 100 items
    python benchmarks/bench_items.py --trainees 30 --exams 5 --bundled --keep DIR

Generates (seeded, deterministic) one v2 history file per trainee in a temporary folder: every
exam a start record with its paper, one answer per item, an end record (``--practice N`` adds N
practice runs before each exam, for a livelier trainee report). Answers follow a simple
item-response model (trainee ability, item difficulty and discrimination, guessing among the
options), with a few items built to be flagged: miskeyed (negative discrimination), too easy,
too hard, and a distractor nobody chooses. Then it times the item analysis over the folder and
prints the time and the peak memory next to the targets of the performance issue (under 60 s
and under 300 MB for 2,000,000 answer records):
``cmquiz stats --items --json`` runs in a child process, whose peak resident memory it reports
itself (``measure.py``), and ``analyse`` is timed in this process too; the baseline measured in the
same run is ``json.loads`` of every line. The folder is removed afterwards (also when the
benchmark is interrupted) unless ``--keep`` names where to write it.

``--bundled`` draws the exams from the bundled banks with the bundled ``mock`` paper instead of
a synthetic 500-question bank.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cmquiz.history import encode
from cmquiz.model import Question
from cmquiz.papers import PaperSpec, Section
from cmquiz.qtypes import QuestionType
from cmquiz.records import AnswerRecord, EndRecord, Mode, PaperItem, StartRecord, Status
from cmquiz.scoring import MultiRule, score_answer, total
from cmquiz.topics import Topic
from measure import peak_run

TARGET_S = 60.0
TARGET_MB = 300.0
EPOCH = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@dataclass(frozen=True)
class ItemModel:
    """How trainees answer one question: P(knows) = logistic(a * (ability - b)); a trainee who
    does not know guesses, choosing options with ``weights`` (a weight of 0: nobody picks it)."""

    a: float
    b: float
    weights: tuple[float, ...]


def synthetic_bank(rng: random.Random, size: int = 500) -> list[Question]:
    """``size`` questions: 60% 单选 (4 options), 25% 多选 (5 options), 15% 判断."""
    questions = []
    for i in range(size):
        roll = rng.random()
        topic = Topic(f"知识点{i % 20:02d}", str(10 + i % 20))
        stem = f"第 {i} 题的题干"
        if roll < 0.6:
            options = tuple((k, f"选项{k}") for k in "ABCD")
            question = Question(
                f"dept-{i:04d}",
                QuestionType.SINGLE,
                topic,
                stem,
                frozenset(rng.choice("ABCD")),
                options,
            )
        elif roll < 0.85:
            options = tuple((k, f"选项{k}") for k in "ABCDE")
            key = frozenset(rng.sample("ABCDE", rng.choice((2, 3))))
            question = Question(f"dept-{i:04d}", QuestionType.MULTIPLE, topic, stem, key, options)
        else:
            key = frozenset(rng.choice("TF"))
            question = Question(f"dept-{i:04d}", QuestionType.JUDGE, topic, stem, key)
        questions.append(question)
    return questions


def item_models(questions: Sequence[Question], rng: random.Random) -> dict[str, ItemModel]:
    models = {}
    for n, q in enumerate(questions):
        a, b = rng.uniform(0.4, 2.5), rng.gauss(0.0, 1.0)
        kind = n % 25
        if kind == 1:
            a = -1.2  # miskeyed: the stronger the trainee, the likelier wrong
        elif kind == 2:
            b = -4.0  # everybody knows it
        elif kind == 3:
            b = 3.5  # nobody does
        keys = q.keys
        weights = [1.0] * len(keys)
        if kind == 4 and q.type is QuestionType.SINGLE:
            dead = next(i for i, k in enumerate(keys) if k not in q.answer)
            weights[dead] = 0.0  # a distractor nobody falls for
        models[q.id] = ItemModel(a, b, tuple(weights))
    return models


def mock_like_paper(size: int) -> PaperSpec:
    """A paper of ``size`` items: 60% 单选 x 1, 25% 多选 x 2, 15% 判断 x 1; pass at 60%."""
    singles, multiples = round(size * 0.6), round(size * 0.25)
    sections = (
        Section(QuestionType.SINGLE, singles, 1.0),
        Section(QuestionType.MULTIPLE, multiples, 2.0),
        Section(QuestionType.JUDGE, size - singles - multiples, 1.0),
    )
    spec = PaperSpec("部门月考", sections, time_limit_s=3600, rule=MultiRule.PARTIAL)
    return PaperSpec(spec.title, sections, 3600, round(spec.max_score * 0.6, 2), MultiRule.PARTIAL)


def answer_of(q: Question, model: ItemModel, ability: float, rng: random.Random) -> frozenset[str]:
    knows = 1.0 / (1.0 + math.exp(-model.a * (ability - model.b)))
    if rng.random() < knows:
        return q.answer
    keys = q.keys
    if q.type is QuestionType.MULTIPLE:
        size = rng.choice((1, 2, 2, 3))
        return frozenset(rng.sample(keys, size))
    return frozenset(rng.choices(keys, weights=model.weights)[0])


PRACTICE_ITEMS = 15


def practice_run(
    session: str,
    at: datetime,
    pools: dict[QuestionType, list[Question]],
    models: dict[str, ItemModel],
    ability: float,
    rng: random.Random,
    user: str,
) -> list[bytes]:
    """A practice run of ``PRACTICE_ITEMS`` questions of any type, every one answered."""
    pool = [q for qs in pools.values() for q in qs]
    drawn = rng.sample(pool, PRACTICE_ITEMS)
    start = StartRecord(
        session=session,
        mode=Mode.PRACTICE,
        ts=at,
        items=tuple(PaperItem(q.id, q.rev, 1.0, q.type.value, q.topic) for q in drawn),
        user=user,
    )
    lines = [encode(start)]
    right = 0
    for index, q in enumerate(drawn):
        given = answer_of(q, models[q.id], ability, rng)
        score = score_answer(q, given)
        elapsed = rng.randrange(5_000, 40_000)
        at += timedelta(milliseconds=elapsed + 3_000)
        lines.append(
            encode(
                AnswerRecord(
                    session,
                    Mode.PRACTICE,
                    at,
                    q.id,
                    q.topic,
                    q.type.value,
                    tuple(sorted(given)),
                    score.correct,
                    score.points,
                    1.0,
                    elapsed,
                    index=index,
                    rev=q.rev,
                )
            )
        )
        right += score.correct
    end = EndRecord(
        session, Status.COMPLETED, float(right), float(len(drawn)), None, at,
        answered=len(drawn), correct=right,
    )  # fmt: skip
    lines.append(encode(end))
    return lines


def write_trainee(
    path: Path,
    user: str,
    ability: float,
    exams: int,
    pools: dict[QuestionType, list[Question]],
    models: dict[str, ItemModel],
    spec: PaperSpec,
    rng: random.Random,
    practice: int = 0,
) -> int:
    """One trainee's history: ``exams`` handed-in exams, each after ``practice`` practice runs
    of 15 questions (ability grows a little with practice). Returns the number of answers."""
    lines: list[bytes] = []
    answers = 0
    offset = rng.randrange(3)  # trainees sit the same exams on different days
    for e in range(exams):
        session = f"{user}-e{e:02d}"
        at = EPOCH + timedelta(days=3 * e + offset, minutes=rng.randrange(600))
        for p in range(practice):
            day = at - timedelta(days=p + 1, minutes=rng.randrange(120))
            lines += practice_run(f"{session}-p{p}", day, pools, models, ability, rng, user)
            answers += PRACTICE_ITEMS
            ability += 0.03
        drawn: list[tuple[Question, float, tuple[str, ...] | None]] = []
        for section in spec.sections:
            for q in rng.sample(pools[section.type], section.count):
                order = None
                if spec.shuffle_options and q.type is not QuestionType.JUDGE:
                    order = tuple(rng.sample(q.letters, len(q.letters)))
                drawn.append((q, section.points, order))
        start = StartRecord(
            session=session,
            mode=Mode.EXAM,
            ts=at,
            items=tuple(
                PaperItem(q.id, q.rev, points, q.type.value, q.topic, order)
                for q, points, order in drawn
            ),
            rule=spec.rule,
            time_limit_s=spec.time_limit_s,
            pass_mark=spec.pass_mark,
            seed=rng.randrange(2**31),
            paper=spec.title,
            paper_name=spec.name,
            user=user,
            shuffle_options=spec.shuffle_options,
        )
        lines.append(encode(start))
        points: list[float] = []
        correct = 0
        for index, (q, worth, _) in enumerate(drawn):
            given = answer_of(q, models[q.id], ability, rng)
            score = score_answer(q, given, worth, spec.rule)
            elapsed = rng.randrange(8_000, 60_000)
            at += timedelta(milliseconds=elapsed)
            record = AnswerRecord(
                session=session,
                mode=Mode.EXAM,
                ts=at,
                qid=q.id,
                topic=q.topic,
                type=q.type.value,
                given=tuple(sorted(given)),
                correct=score.correct,
                points=score.points,
                max_points=worth,
                elapsed_ms=elapsed,
                index=index,
                rev=q.rev,
            )
            lines.append(encode(record))
            points.append(score.points)
            correct += score.correct
        paper = total(points, (w for _, w, _ in drawn), spec.pass_mark)
        end = EndRecord(
            session=session,
            status=Status.COMPLETED,
            score=paper.score,
            max_score=paper.max_score,
            passed=paper.passed,
            ts=at,
            pass_mark=spec.pass_mark,
            answered=len(drawn),
            correct=correct,
            time_used_s=round((at - start.ts).total_seconds(), 1),
        )
        lines.append(encode(end))
        answers += len(drawn)
    path.write_bytes(b"".join(lines))
    return answers


def generate(
    folder: Path,
    trainees: int,
    exams: int,
    questions: Sequence[Question],
    spec: PaperSpec,
    seed: int = 12,
    practice: int = 0,
) -> int:
    """Write the department's histories into ``folder``; returns the number of answers."""
    rng = random.Random(seed)
    models = item_models(questions, rng)
    pools = {t: [q for q in questions if q.type is t] for t in QuestionType}
    folder.mkdir(parents=True, exist_ok=True)
    answers = 0
    for t in range(trainees):
        user = f"trainee-{t + 1:04d}"
        ability = rng.gauss(0.0, 1.0)
        answers += write_trainee(
            folder / f"{user}.jsonl", user, ability, exams, pools, models, spec, rng, practice
        )
    return answers


def bundled() -> tuple[list[Question], PaperSpec]:
    from cmquiz.loader import load_library
    from cmquiz.paperfile import load_paper
    from cmquiz.papers import bundled_papers_dir
    from cmquiz.paths import bundled_banks_dir

    spec = load_paper(bundled_papers_dir() / "mock.yaml")
    return list(load_library([bundled_banks_dir()]).questions), spec


def json_baseline(folder: Path) -> float:
    began = time.perf_counter()
    loads = json.loads
    for path in sorted(folder.iterdir()):
        with path.open("rb") as f:
            for line in f:
                loads(line)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=1000)
    parser.add_argument("--exams", type=int, default=20)
    parser.add_argument("--items", type=int, default=100, help="items per exam (synthetic)")
    parser.add_argument("--bundled", action="store_true", help="the bundled banks, mock paper")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument(
        "--practice", type=int, default=0, help="practice runs of 15 questions before each exam"
    )
    parser.add_argument("--keep", type=Path, help="write the histories here and keep them")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up when killed too

    if args.bundled:
        questions, spec = bundled()
    else:
        questions, spec = synthetic_bank(random.Random(args.seed)), mock_like_paper(args.items)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="cmquiz-bench-items-"))
    try:
        began = time.perf_counter()
        answers = generate(
            folder, args.trainees, args.exams, questions, spec, args.seed, args.practice
        )
        size = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
        print(
            f"generated {args.trainees} trainees x {args.exams} exams = {answers:,} answers, "
            f"{size:.0f} MiB, in {time.perf_counter() - began:.1f} s ({folder})"
        )
        run_items(folder, json_baseline(folder))
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def run_items(folder: Path, baseline: float) -> None:
    """Time the item analysis in this process, then the real command in a child process (its
    time and its peak resident memory, which is what the target is about)."""
    from cmquiz.department import analyse
    from cmquiz.histories import history_files

    files = history_files([folder])
    began = time.perf_counter()
    report = analyse(files, questions={})
    in_process = time.perf_counter() - began
    seconds, rss = peak_run(
        ["stats", "--items", "--json", "--history", str(folder)], dict(os.environ)
    )
    print(
        f"stats --items over {len(files)} files: {report.attempts:,} exams, "
        f"{len(report.items)} questions"
    )
    print(f"{'':<44} {'measured':>9} {'x json':>7} {'target':>9}")
    rows = [
        ("json.loads of every line (baseline), s", baseline, ""),
        ("analyse() in this process, s", in_process, ""),
        ("cmquiz stats --items --json, s", seconds, f"< {TARGET_S:g}"),
    ]
    for name, value, target in rows:
        print(f"{name:<44} {value:>9.1f} {value / baseline:>7.2f} {target:>9}")
    print(
        f"{'cmquiz stats --items --json, peak RSS MiB':<44} {rss:>9.1f} {'':>7} "
        f"{'< ' + format(TARGET_MB, 'g'):>9}"
    )


if __name__ == "__main__":
    main()
