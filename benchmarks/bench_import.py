"""Import time of a large numbered-text bank, and the quadratic shapes of issue 13.

    python benchmarks/bench_import.py [--mb 20] [--seed 1]

Writes a deterministic (seeded) numbered-text bank of ``--mb`` megabytes into a temporary
directory, imports it with ``cmquiz import -o`` in a fresh process, and prints the wall time
next to a same-run baseline: the import of a bank one tenth the size (a linear importer shows a
ratio near 10) and a plain read of the big file (``cat``-like, in Python). Then the known bad
shapes at 10k/20k/40k lines, in process, each with its 40k/10k ratio (linear ~4, quadratic ~16).
The target: the 20 MB bank imports in under 30 s. Everything written is removed at the end.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import datagen  # (this folder: run as a script, or imported by the benchmarks and tests)

WORDS = datagen.WORDS


def bank_text(megabytes: float, seed: int) -> str:
    """Numbered questions in every layout the reader knows, about ``megabytes`` MB of UTF-8."""
    rng = random.Random(seed)
    target = int(megabytes * 1024 * 1024)
    parts: list[str] = []
    size = 0
    section = 0
    number = 0
    while size < target:
        if number % 500 == 0:
            section += 1
            kind = ("单选题", "多选题", "判断题")[section % 3]
            heading = "一二三四五六七八九十"[section % 10]
            parts.append(f"{heading}、{kind}\n知识点:{section} 第{section}部分\n")
            number = 0
        number += 1
        stem = "".join(rng.choice(WORDS) for _ in range(rng.randint(6, 30)))
        if kind == "判断题":
            block = f"{number}. {stem}。({'√' if rng.random() < 0.5 else '×'})\n"
        else:
            options = "".join(
                f"{'ABCD'[i]}. {''.join(rng.choice(WORDS) for _ in range(3))}{i}\n"
                for i in range(4)
            )
            letters = "".join(
                sorted(rng.sample("ABCD", 1 if kind == "单选题" else rng.randint(2, 4)))
            )
            block = f"{number}. {stem}( )\n{options}答案:{letters}\n"
        block += f"解析:{''.join(rng.choice(WORDS) for _ in range(rng.randint(5, 20)))}\n"
        parts.append(block)
        size += len(block.encode("utf-8"))
    return "".join(parts)


def timed_import(path: Path, out: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "cmquiz", "import", str(path), "-o", str(out), "--force"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"import failed: {done.stderr[-2000:]}")
    print("  " + done.stderr.strip().splitlines()[1])
    return elapsed


def shapes() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from test_import_linear import SHAPES, SIZES, _seconds

    print(f"\n{'shape':40} " + " ".join(f"{n // 1000:>7}k" for n in SIZES) + "   40k/10k")
    for name, (fmt, make) in SHAPES.items():
        times = [_seconds(fmt, make(n), 1) for n in SIZES]
        ratio = times[-1] / max(times[0], 1e-6)
        cells = " ".join(f"{t:7.3f}s" for t in times)
        print(f"{name:40} {cells}   x{ratio:5.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-shapes", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="cmquiz-bench-import-"))
    try:
        env = {
            **os.environ,
            "CMQUIZ_HOME": str(work / "home"),
            "NO_COLOR": "1",
            "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src"),
        }
        big, small = work / "big.txt", work / "small.txt"
        big.write_text(bank_text(args.mb, args.seed), encoding="utf-8")
        small.write_text(bank_text(args.mb / 10, args.seed), encoding="utf-8")
        start = time.perf_counter()
        big.read_bytes().decode("utf-8").split("\n")
        read = time.perf_counter() - start
        print(f"{args.mb:g} MB numbered-text bank ({big.stat().st_size / 1e6:.1f} MB on disk):")
        small_time = timed_import(small, work / "small.yaml", env)
        big_time = timed_import(big, work / "big.yaml", env)
        print(f"  import {args.mb / 10:g} MB: {small_time:6.2f} s")
        print(f"  import {args.mb:g} MB: {big_time:6.2f} s  (target < 30 s)")
        ratio = big_time / small_time
        print(f"  ratio {args.mb:g} MB / {args.mb / 10:g} MB: x{ratio:.1f} (linear ~10)")
        print(f"  ratio to reading and splitting the file: x{big_time / max(read, 1e-6):.0f}")
        if not args.no_shapes:
            shapes()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
