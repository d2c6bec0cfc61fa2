"""Start-up time of the everyday commands, as ratios to a bare Python start in the same run.

    python benchmarks/bench_startup.py [--runs 15]

Each command runs ``--runs`` times in a fresh process; the table shows the median wall time and
its ratio to ``python -c pass`` measured in the same run, so figures from different machines can
be compared by their ratios.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def median_ms(
    cmd: list[str], runs: int, stdin: str = "", env: dict[str, str] | None = None
) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=env, check=False)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    script = shutil.which("cmquiz", path=str(Path(sys.executable).parent)) or "cmquiz"
    home = tempfile.mkdtemp(prefix="cmquiz-bench-")
    env = {**os.environ, "CMQUIZ_HOME": home, "NO_COLOR": "1", "COLUMNS": "80"}
    cases = [
        ("python -c pass (baseline)", [sys.executable, "-c", "pass"], ""),
        ("python -c 'import typer'", [sys.executable, "-c", "import typer"], ""),
        ("cmquiz --help", [script, "--help"], ""),
        ("cmquiz topics (loads every bank)", [script, "topics"], ""),
        ("cmquiz exam --n 50 (start, then q)", [script, "exam", "--n", "50", "--seed", "1"], "q\n"),
        ("cmquiz stats (empty history)", [script, "stats"], ""),
    ]
    baseline = None
    print(f"{'command':<40} {'median ms':>10} {'x baseline':>11}")
    for name, cmd, stdin in cases:
        ms = median_ms(cmd, args.runs, stdin, env)
        baseline = baseline or ms
        print(f"{name:<40} {ms:>10.1f} {ms / baseline:>11.2f}")
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
