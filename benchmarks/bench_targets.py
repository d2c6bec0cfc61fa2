"""Every target of the performance issue, measured side by side in one run.

    python benchmarks/bench_targets.py            # the full sizes (about 5 minutes)
    python benchmarks/bench_targets.py --quick    # small sizes, to try the script
    python benchmarks/bench_targets.py --keep DIR # keep the generated data in DIR

Generates (seeded, deterministic; ``datagen.py`` and ``bench_items.py``) a 10,000-question bank,
a 100,000-answer and a 1,000,000-answer history on it, and the department's histories (1,000
trainees x 20 exams x 100 questions), then measures each target against a baseline measured in
the same run and prints the ratio (or the figure) beside the target:

1. ``practice`` (time to its first question) and ``stats`` with the 100k history, against the
   same command with an empty history (both with their caches warm); a cold read of the 100k
   history (``HistoryStore.read``) against ``json.loads`` of every line; the peak memory of a
   cold ``stats`` (no cache) over the 1M history.
2. A cold load of the 10k bank (``load_library`` with an empty cache: parse, check every
   question, write the cache) against ``yaml.load`` of the file with PyYAML's C loader.
3. A warm ``exam`` start on the 10k bank (time to its first question) against a minimal Typer
   app that prints one Rich line; ``cmquiz --help`` against that app's ``--help``.
4. ``stats --items`` over the department's 2,000,000 answers: time and peak memory.
5. Long work shows a progress bar on stderr on a terminal and never in a pipe: an import of a
   large text bank is run under a pseudo-terminal and through a pipe.

Commands run in child processes (their peak memory is each child's own high-water mark, see
``measure.py``); each
timing is the median of ``--runs`` pairs, the command and its baseline alternating. Everything
generated is removed at the end (also when interrupted) unless ``--keep`` is given.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_items
import datagen
from measure import peak_run
from terminal import terminal_output

MINI_APP = '''
import typer
from rich.console import Console

app = typer.Typer()


@app.command()
def main(n: int = 50) -> None:
    """A minimal Typer app that prints one Rich line."""
    Console().print(f"[bold]第 1 题[/bold] 共 {n} 题")


if __name__ == "__main__":
    app()
'''

Row = tuple[str, str, str, str, str]  # what, measured, baseline, ratio or figure, target
ROWS: list[Row] = []


def row(what: str, measured: str, baseline: str, value: str, target: str, ok: bool) -> None:
    ROWS.append((what, measured, baseline, value, f"{target} {'✓' if ok else '✗'}"))
    print(f"  {what}: {measured} (baseline {baseline}) -> {value}, target {target}", flush=True)


def cmquiz(*args: str) -> list[str]:
    return [sys.executable, "-m", "cmquiz", *args]


def env_for(home: Path) -> dict[str, str]:
    return {**os.environ, "CMQUIZ_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "80"}


def time_to(cmd: list[str], env: dict[str, str], marker: str | None) -> float:
    """Seconds until ``marker`` appears on the command's stdout (None: until it exits); then
    ``q`` is typed and the command runs to its end."""
    began = time.perf_counter()
    child = subprocess.Popen(
        cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env
    )
    assert child.stdout is not None
    assert child.stdin is not None
    seen = b""
    wanted = marker.encode() if marker else None
    while wanted is None or wanted not in seen:
        chunk = os.read(child.stdout.fileno(), 65536)
        if not chunk:
            break
        seen += chunk
    elapsed = time.perf_counter() - began
    try:
        child.stdin.write(b"q\n")
        child.stdin.close()
    except BrokenPipeError:
        pass
    child.stdout.read()
    child.wait()
    if wanted is not None and wanted not in seen:
        raise RuntimeError(f"{' '.join(cmd)} never printed {marker!r}:\n{seen.decode()[-2000:]}")
    return elapsed


def pairs(
    measure: Callable[[], float], baseline: Callable[[], float], runs: int
) -> tuple[float, float, float]:
    """Medians of the measure and its baseline, and the median of their ratios, run in turn."""
    ours, base = [], []
    for _ in range(runs):
        base.append(baseline())
        ours.append(measure())
    ratios = [o / b for o, b in zip(ours, base, strict=True)]
    return statistics.median(ours), statistics.median(base), statistics.median(ratios)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


# --- the targets ---------------------------------------------------------------------------------


def history_targets(work: Path, bank: Path, answers: int, big_answers: int, runs: int) -> None:
    from cmquiz.history import HistoryStore
    from cmquiz.loader import load_bank

    print(f"1. a start that does not grow with the history ({answers:,} answers)", flush=True)
    questions = load_bank(bank).questions
    empty, full = work / "home-empty", work / "home-100k"
    empty.mkdir()
    full.mkdir()
    datagen.write_history(full / "history.jsonl", questions, answers)
    bank_arg = ["--bank", str(bank)]
    practice = cmquiz(*bank_arg, "practice", "--n", "10", "--seed", "1")
    stats = cmquiz(*bank_arg, "stats")
    for home in (empty, full):  # warm the caches: the bank's and the history's
        subprocess.run(stats, env=env_for(home), capture_output=True, check=True)
        time_to(practice, env_for(home), "第 1/")
    for name, cmd, marker in (("practice --n 10", practice, "第 1/"), ("stats", stats, None)):
        ours, base, ratio = pairs(
            lambda c=cmd, m=marker: time_to(c, env_for(full), m),
            lambda c=cmd, m=marker: time_to(c, env_for(empty), m),
            runs,
        )
        row(
            f"{name}, {answers:,}-answer history vs empty",
            ms(ours),
            ms(base),
            f"{ratio:.2f}x",
            "≤ 1.3x",
            ratio <= 1.3,
        )

    store = HistoryStore(full / "history.jsonl")

    def json_lines() -> float:
        began = time.perf_counter()
        loads = json.loads
        with store.path.open("rb") as f:
            for line in f:
                loads(line)
        return time.perf_counter() - began

    def read_history() -> float:
        began = time.perf_counter()
        store.read()
        return time.perf_counter() - began

    ours, base, ratio = pairs(read_history, json_lines, max(3, runs // 2))
    row(
        f"cold read of the {answers:,}-answer history vs json.loads per line",
        ms(ours),
        ms(base),
        f"{ratio:.2f}x",
        "≤ 1.5x",
        ratio <= 1.5,
    )

    huge = work / "home-1m"
    huge.mkdir()
    datagen.write_history(huge / "history.jsonl", questions, big_answers)
    seconds, mib = peak_run([*bank_arg, "stats", "--json"], env_for(huge))
    row(
        f"cold stats over {big_answers:,} answers: peak memory",
        f"{mib:.0f} MiB",
        "-",
        f"{seconds:.1f} s",
        "< 200 MiB",
        mib < 200,
    )


def bank_targets(work: Path, bank: Path, runs: int) -> None:
    import yaml

    from cmquiz.loader import load_library

    print("2. a cold load faster than raw YAML", flush=True)
    c_loader = getattr(yaml, "CSafeLoader", None)
    if c_loader is None:
        print("  PyYAML has no C loader here (libyaml missing): target 2 is not measured")
        return
    counter = iter(range(10**6))

    def raw_yaml() -> float:
        began = time.perf_counter()
        with open(bank, encoding="utf-8") as f:
            yaml.load(f.read(), Loader=c_loader)
        return time.perf_counter() - began

    def cold_load() -> float:
        cache = work / f"cold-cache-{next(counter)}"
        began = time.perf_counter()
        load_library([bank], cache_dir=cache)
        seconds = time.perf_counter() - began
        shutil.rmtree(cache, ignore_errors=True)
        return seconds

    ours, base, ratio = pairs(cold_load, raw_yaml, runs)
    size = bank.stat().st_size / 2**20
    row(
        f"cold load of the {size:.1f} MiB bank vs yaml.load (C loader)",
        ms(ours),
        ms(base),
        f"{ratio:.2f}x",
        "≤ 0.6x",
        ratio <= 0.6,
    )


def start_targets(work: Path, bank: Path, questions: int, runs: int) -> None:
    print("3. a warm start close to a bare Typer app", flush=True)
    mini = work / "mini.py"
    mini.write_text(MINI_APP, encoding="utf-8")
    warm = work / "home-exam"
    warm.mkdir()
    exam = cmquiz("--bank", str(bank), "exam", "--n", "50", "--seed", "1")
    time_to(exam, env_for(warm), "第 1/")  # the bank's cache
    counter = iter(range(10**6))

    def exam_start() -> float:
        home = work / f"home-exam-{next(counter)}"  # a fresh history: no exam left to resume
        shutil.copytree(warm / "cache" / "banks", home / "cache" / "banks")
        seconds = time_to(exam, env_for(home), "第 1/")
        shutil.rmtree(home, ignore_errors=True)
        return seconds

    def mini_app() -> float:
        return time_to([sys.executable, str(mini)], env_for(warm), None)

    ours, base, ratio = pairs(exam_start, mini_app, runs)
    row(
        f"warm exam start, {questions:,}-question bank vs minimal Typer app",
        ms(ours),
        ms(base),
        f"{ratio:.2f}x",
        "≤ 1.5x",
        ratio <= 1.5,
    )
    ours, base, ratio = pairs(
        lambda: time_to(cmquiz("--help"), env_for(warm), None),
        lambda: time_to([sys.executable, str(mini), "--help"], env_for(warm), None),
        runs,
    )
    row(
        "cmquiz --help vs the minimal app's --help",
        ms(ours),
        ms(base),
        f"{ratio:.2f}x",
        "≤ 1.1x",
        ratio <= 1.1,
    )


def department_target(work: Path, trainees: int) -> None:
    import random

    print(f"4. department scale ({trainees} trainees x 20 exams x 100 questions)", flush=True)
    folder = work / "department"
    rng = random.Random(12)
    answers = bench_items.generate(
        folder, trainees, 20, bench_items.synthetic_bank(rng), bench_items.mock_like_paper(100)
    )
    baseline = bench_items.json_baseline(folder)
    seconds, mib = peak_run(
        ["stats", "--items", "--json", "--history", str(folder)], env_for(work / "dept")
    )
    row(
        f"stats --items over {answers:,} answers: time",
        f"{seconds:.1f} s",
        f"{baseline:.1f} s json",
        f"{seconds / baseline:.2f}x json",
        "< 60 s",
        seconds < 60,
    )
    row(
        f"stats --items over {answers:,} answers: peak memory",
        f"{mib:.0f} MiB",
        "-",
        "-",
        "< 300 MiB",
        mib < 300,
    )


def progress_target(work: Path) -> None:
    print("5. long work shows progress on a terminal, never in a pipe", flush=True)
    text = work / "large.txt"
    text.write_text(large_text_bank(), encoding="utf-8")
    args = cmquiz("import", str(text), "-o", str(work / "imported.yaml"), "--force")
    env = env_for(work / "home-import")
    _code, on_terminal = terminal_output(args, {**env, "COLUMNS": "80", "TERM": "xterm"})
    piped = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    bar = re.compile(r"━|\d+%")
    shown = bool(bar.search(on_terminal))
    hidden = not bar.search(piped.stderr) and not bar.search(piped.stdout)
    row(
        "import of a large text bank: a progress bar on a terminal",
        "shown" if shown else "not shown",
        "-",
        "-",
        "shown",
        shown,
    )
    row(
        "the same import through a pipe",
        "no bar" if hidden else "bar printed",
        "-",
        "-",
        "no bar",
        hidden,
    )


def large_text_bank() -> str:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_import

    return bench_import.bank_text(8.0, seed=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, to try the script")
    parser.add_argument("--runs", type=int, default=7, help="pairs per timing (median)")
    parser.add_argument("--keep", type=Path, help="write the generated data here and keep it")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up when killed too
    questions, answers, big = (2_000, 20_000, 100_000) if args.quick else (10_000, 100_000, 10**6)
    trainees = 50 if args.quick else 1_000
    work = args.keep or Path(tempfile.mkdtemp(prefix="cmquiz-bench-targets-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        bank = datagen.write_large_bank(work / "big.yaml", questions)
        print(f"generated a {questions:,}-question bank ({bank.stat().st_size / 2**20:.1f} MiB)")
        history_targets(work, bank, answers, big, args.runs)
        bank_targets(work, bank, args.runs)
        start_targets(work, bank, questions, args.runs)
        department_target(work, trainees)
        progress_target(work)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print()
    widths = [max(len(r[i]) for r in ROWS) for i in range(5)]
    header = ("target", "measured", "baseline", "ratio / figure", "target")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    for r in ROWS:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))


if __name__ == "__main__":
    main()
