"""The time and the peak memory of one ``cmquiz`` command, run in a child process.

The peak is the child's own high-water mark (``VmHWM`` in ``/proc/self/status``), read by the
child as it exits. The operating system's ``ru_maxrss`` of a child is no good here: a forked
child starts as a copy of the benchmark process, which holds the generated data, and that
counts in its maximum even after it has become ``cmquiz``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_WRAPPER = """
import atexit, sys
out = sys.argv.pop(1)
def peak():
    with open("/proc/self/status") as f:
        kib = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    with open(out, "w") as f:
        f.write(str(kib))
atexit.register(peak)
sys.argv[0] = "cmquiz"
from cmquiz.cli import main
main()
"""


def peak_run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of ``cmquiz *args`` (its output discarded)."""
    with tempfile.TemporaryDirectory(prefix="cmquiz-peak-") as folder:
        out = Path(folder) / "peak"
        began = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _WRAPPER, str(out), *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - began
        if done.returncode != 0:
            raise RuntimeError(f"cmquiz {' '.join(args)} failed:\n{done.stderr[-2000:]}")
        return seconds, int(out.read_text()) / 1024


if __name__ == "__main__":  # python benchmarks/measure.py ARGS...: one command's figures
    seconds, mib = peak_run(sys.argv[1:], dict(os.environ))
    print(f"{seconds:.2f} s, peak {mib:.1f} MiB")
