"""Long work shows a progress bar on stderr when it is a terminal, never in a pipe or with
--json: the domain's reports (``cmquiz.progress``) and the CLI's bar (``cli/progressbar``)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from cmquiz.cli.progressbar import TerminalProgress, progress_shown
from cmquiz.progress import _LISTENER, report, reporting, tracked

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from terminal import terminal_output  # noqa: E402


def test_tracked_reports_to_a_listener_and_is_silent_without_one() -> None:
    seen: list[tuple[str, int, int | None]] = []
    assert list(tracked(range(5), "数数", 5)) == [0, 1, 2, 3, 4]  # nobody listens: no error
    with reporting(lambda *a: seen.append(a)):
        assert list(tracked(range(1000), "数数", 1000)) == list(range(1000))
        report("读取", 3, None)
    assert seen[0] == ("数数", 0, 1000)
    assert seen[-2] == ("数数", 1000, 1000)
    assert seen[-1] == ("读取", 3, None)
    assert len(seen) <= 1000 // (1000 // 200) + 3  # about 1/200 of the way each
    assert _LISTENER.get() is None  # the listener is gone after the block


def bar_console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=80, color_system=None), out


def test_the_bar_waits_for_a_slow_stage_and_goes_when_it_is_done() -> None:
    console, out = bar_console()
    quick = TerminalProgress(console, delay=60)
    quick("检查题目", 0, 100)
    quick("检查题目", 50, 100)
    assert quick.bar is None  # not running long enough to show
    slow = TerminalProgress(console, delay=0)
    slow("检查题目", 0, 100)
    assert slow.bar is not None
    slow("检查题目", 40, 100)
    slow("检查题目", 100, 100)
    assert slow.bar is None  # done: the bar is closed
    assert "检查题目" in out.getvalue()


def test_a_long_step_of_unknown_length_shows_at_once() -> None:
    console, out = bar_console()
    listener = TerminalProgress(console, delay=60)
    listener("读取题库", 0, None)
    assert listener.bar is not None
    listener.close()
    assert "读取题库" in out.getvalue()


def test_no_bar_with_json_or_in_a_pipe() -> None:
    with progress_shown(as_json=True):
        assert _LISTENER.get() is None
    with progress_shown(as_json=False):  # pytest's stderr is not a terminal
        assert _LISTENER.get() is None


def large_text_bank(path: Path, megabytes: float) -> Path:
    import bench_import

    path.write_text(bench_import.bank_text(megabytes, seed=3), encoding="utf-8")
    return path


def test_a_large_import_shows_a_bar_on_a_terminal_and_none_in_a_pipe(tmp_path: Path) -> None:
    source = large_text_bank(tmp_path / "large.txt", 3.0)
    env = {
        **os.environ,
        "CMQUIZ_HOME": str(tmp_path / "home"),
        "COLUMNS": "80",
        "TERM": "xterm",
    }
    env.pop("NO_COLOR", None)
    args = [sys.executable, "-m", "cmquiz", "import", str(source), "--force", "-o"]
    code, screen = terminal_output([*args, str(tmp_path / "a.yaml")], env)
    assert code == 0, screen
    assert "识别题目" in screen or "检查题目" in screen
    assert "━" in screen  # the bar itself
    piped = subprocess.run(
        [*args, str(tmp_path / "b.yaml")], env=env, capture_output=True, text=True, check=True
    )
    assert "━" not in piped.stderr
    assert "识别题目" not in piped.stderr
    assert (tmp_path / "a.yaml").read_bytes() == (tmp_path / "b.yaml").read_bytes()
