"""Loader and history throughput on synthetic data, as ratios to plain parsing in the same run.

    python benchmarks/bench_data.py [--questions 3000] [--answers 100000]

- bank: ``cmquiz.loader.load_bank`` (compose + full validation) against ``yaml.load`` with the
  C loader (parse only) and with the pure-Python loader, on one bank of ``--questions`` questions;
- history: ``HistoryStore.read`` against ``json.loads`` of every line, and ``compute_stats`` on
  top, on ``--answers`` answer records; peak memory from tracemalloc.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from cmquiz.history import AnswerRecord, HistoryStore, Mode
from cmquiz.loader import load_bank
from cmquiz.stats import compute_stats


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def peak_mib(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def print_rows(title: str, rows: list[tuple[str, float]]) -> None:
    """A timing table; the first row is the baseline the ratios are taken against."""
    base = rows[0][1]
    print(title)
    print(f"{'':<36} {'ms':>9} {'x baseline':>11}")
    for name, ms in rows:
        print(f"{name:<36} {ms:>9.1f} {ms / base:>11.2f}")


def synthetic_bank(n: int, rng: random.Random) -> str:
    questions = []
    for i in range(n):
        kind = rng.choice(["single", "multiple", "judge"])
        q: dict[str, object] = {
            "id": f"bench-{i:05d}",
            "type": kind,
            "topic": f"知识点{i % 40}",
            "topic_code": str(i % 40),
            "difficulty": rng.randint(1, 5),
            "stem": "专业担保机构为保证人的,原则上应当有一定数额的担保基金存入专门账户,实行()。"
            * 2,
            "explanation": "担保基金实行专项储存、专户管理。",
            "source": "个人客户经理学习资料",
        }
        if kind == "judge":
            q["answer"] = rng.random() < 0.5
        else:
            q["options"] = {k: f"选项{k}的内容,长度与真实题目相近" for k in "ABCD"}
            q["answer"] = "B" if kind == "single" else "ACD"
        questions.append(q)
    return yaml.safe_dump(
        {"bank": "基准题库", "questions": questions}, allow_unicode=True, sort_keys=False
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=3000)
    parser.add_argument("--answers", type=int, default=100_000)
    args = parser.parse_args()
    rng = random.Random(0)
    tmp = Path(tempfile.mkdtemp(prefix="cmquiz-bench-"))

    bank = tmp / "bank.yaml"
    bank.write_text(synthetic_bank(args.questions, rng), encoding="utf-8")
    text = bank.read_text(encoding="utf-8")
    c_loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    base = best_of(lambda: yaml.load(text, Loader=c_loader))
    rows = [
        ("yaml.load, C loader (baseline)", base),
        ("yaml.load, pure-Python loader", best_of(lambda: yaml.load(text, Loader=yaml.SafeLoader))),
        ("cmquiz load_bank (validated)", best_of(lambda: load_bank(bank))),
    ]
    print_rows(f"bank: {args.questions} questions, {bank.stat().st_size / 2**20:.1f} MiB", rows)
    print(f"{'load_bank peak memory (MiB)':<36} {peak_mib(lambda: load_bank(bank)):>9.1f}")

    store = HistoryStore(tmp / "history.jsonl")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with store.path.open("w", encoding="utf-8") as f:
        for i in range(args.answers):
            record = AnswerRecord(
                session=f"s{i // 50}",
                mode=Mode.EXAM,
                ts=start + timedelta(seconds=i),
                qid=f"bench-{rng.randrange(args.questions):05d}",
                topic=f"知识点{i % 40}",
                type="single",
                given=("B",),
                correct=rng.random() < 0.7,
                points=1.0,
                max_points=1.0,
                elapsed_ms=rng.randrange(1000, 60000),
                topic_code=str(i % 40),
            )
            f.write(json.dumps(record.to_dict(), ensure_ascii=False) + "\n")
    raw = store.path.read_text(encoding="utf-8")
    base = best_of(lambda: [json.loads(line) for line in raw.splitlines()])
    log = store.read()
    rows = [
        ("json.loads per line (baseline)", base),
        ("HistoryStore.read (validated)", best_of(store.read)),
        ("compute_stats on the read log", best_of(lambda: compute_stats(log))),
    ]
    size = store.path.stat().st_size / 2**20
    print_rows(f"\nhistory: {args.answers} answers, {size:.1f} MiB", rows)
    print(f"{'HistoryStore.read peak memory (MiB)':<36} {peak_mib(store.read):>9.1f}")
    append_ms = best_of(lambda: store.append(log.answers[0]), repeat=20)
    print(f"{'one append (flush + fsync), ms':<36} {append_ms:>9.2f}")


if __name__ == "__main__":
    main()
