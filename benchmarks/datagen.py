"""Seeded, deterministic data for the benchmarks: a large bank and a long history.

- ``write_large_bank(path, questions, seed)``: a YAML bank of ``questions`` questions (10,000
  make about 7 MiB), 40 knowledge points, the three types, explanations and sources, with stems
  and options of varied Chinese text about the job.
- ``write_history(path, bank, answers, seed)``: one trainee's history of about ``answers``
  answer records on that bank, a year of daily work: practice runs of 20 questions, a review
  run now and then, a 50-question exam every twentieth run, each run with its start and end
  records, written as cmquiz writes them (``history.encode``).

The same arguments always give the same bytes. The department's histories (many trainees'
exams) come from ``bench_items.generate``.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

WORDS = [
    "个人贷款",
    "担保",
    "抵押物",
    "质押",
    "保证人",
    "利率",
    "还款计划",
    "客户",
    "理财产品",
    "风险评估",
    "合规",
    "营销",
    "服务",
    "存款",
    "账户",
    "基金",
    "保险",
    "信用",
    "审批",
    "授信",
    "征信",
    "反洗钱",
    "实名制",
    "大额交易",
    "可疑交易",
    "适当性",
    "双录",
    "投诉",
    "厅堂",
    "分流",
    "引导",
    "识别",
    "身份",
    "证件",
    "核实",
    "资料",
    "归档",
    "贷后检查",
    "逾期",
    "催收",
    "展期",
    "提前还款",
    "保证金",
    "净值型",
    "风险等级",
    "风险承受能力",
    "冷静期",
    "销售",
    "宣传",
    "承诺收益",
    "代销",
    "私人银行",
    "财富管理",
    "资产配置",
    "流动性",
]
TOPICS = [f"知识点{i:02d}" for i in range(40)]


def _phrase(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def large_bank_text(questions: int = 10_000, seed: int = 1) -> str:
    """The YAML text of the large bank (see the module's docstring)."""
    import yaml

    rng = random.Random(seed)
    items = []
    for i in range(questions):
        kind = ("single", "multiple", "judge")[i % 3]
        topic = i % len(TOPICS)
        q: dict[str, object] = {
            "id": f"big-{i:05d}",
            "type": kind,
            "topic": TOPICS[topic],
            "topic_code": f"{topic + 1}",
            "difficulty": rng.randint(1, 5),
            "stem": f"关于{_phrase(rng, 4, 12)},下列说法{'正确的是' if kind != 'judge' else ''}"
            f"({_phrase(rng, 2, 6)})。",
            "explanation": _phrase(rng, 20, 50) + "。",
            "source": f"个人客户经理学习资料 第 {topic + 1} 部分",
        }
        if kind == "judge":
            q["answer"] = rng.random() < 0.5
        else:
            q["options"] = {k: f"{_phrase(rng, 2, 5)}{i % 97}{k}" for k in "ABCD"}
            q["answer"] = (
                rng.choice("ABCD") if kind == "single" else "".join(sorted(rng.sample("ABCD", 2)))
            )
        items.append(q)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(
        {"bank": "基准大题库", "questions": items},
        Dumper=dumper,
        allow_unicode=True,
        sort_keys=False,
        width=200,
    )


def write_large_bank(path: Path, questions: int = 10_000, seed: int = 1) -> Path:
    path.write_text(large_bank_text(questions, seed), encoding="utf-8")
    return path


def write_history(path: Path, bank: Sequence[object], answers: int, seed: int = 1) -> int:
    """About ``answers`` answers on the ``bank``'s questions (``cmquiz.model.Question``s);
    returns how many were written."""
    from cmquiz.history import encode
    from cmquiz.qtypes import QuestionType
    from cmquiz.records import AnswerRecord, EndRecord, Mode, Status
    from cmquiz.session import Item, start_record

    rng = random.Random(seed)
    questions = list(bank)
    written = 0
    run = 0
    end_day = datetime(2026, 12, 3, 12, tzinfo=UTC)
    with path.open("wb") as out:
        while written < answers:
            mode, size = Mode.PRACTICE, 20
            if run % 20 == 19:
                mode, size = Mode.EXAM, 50
            elif run % 7 == 3:
                mode = Mode.REVIEW
            size = min(size, answers - written)
            at = end_day - timedelta(days=365 * (1 - written / answers), hours=rng.random() * 3)
            drawn = rng.sample(questions, size)
            items = [Item(i, q, 2.0 if mode is Mode.EXAM else 1.0) for i, q in enumerate(drawn)]  # type: ignore[arg-type]
            session = uuid.UUID(int=rng.getrandbits(128)).hex
            lines = [encode(start_record(session, mode, items, at, user="trainee", seed=run))]
            right = 0
            score = 0.0
            for item in items:
                q = item.question
                at += timedelta(seconds=rng.randint(5, 90))
                correct = rng.random() < 0.72
                if correct:
                    given = tuple(sorted(q.answer))
                elif q.type is QuestionType.JUDGE:
                    given = ("F",) if "T" in q.answer else ("T",)
                else:
                    given = (next(k for k in q.keys if k not in q.answer),)
                points = item.points if correct else 0.0
                right += correct
                score += points
                lines.append(
                    encode(
                        AnswerRecord(
                            session=session,
                            mode=mode,
                            ts=at,
                            qid=q.id,
                            topic=q.topic,
                            type=q.type.value,
                            given=given,
                            correct=correct,
                            points=points,
                            max_points=item.points,
                            elapsed_ms=rng.randint(3_000, 90_000),
                            index=item.index,
                            rev=q.rev,
                        )
                    )
                )
            maximum = sum(item.points for item in items)
            lines.append(
                encode(
                    EndRecord(
                        session,
                        Status.COMPLETED,
                        score,
                        maximum,
                        score >= 0.6 * maximum if mode is Mode.EXAM else None,
                        at + timedelta(seconds=5),
                        pass_mark=0.6 * maximum if mode is Mode.EXAM else None,
                        answered=len(items),
                        correct=right,
                        mode=mode,
                    )
                )
            )
            out.write(b"".join(lines))
            written += len(items)
            run += 1
    return written
