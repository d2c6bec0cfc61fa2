"""Nothing answered is lost: real processes killed with SIGKILL, resumed, and run side by side."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cmquiz.history import HistoryStore
from cmquiz.records import AnswerRecord, StartRecord, Status
from cmquiz.replay import replay
from drawing import MINI, exam_paper, typed
from drawing import pool as mini_pool

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
KILL_TRIALS = int(os.environ.get("CMQUIZ_KILL_TRIALS", "20"))


def script() -> str:
    found = shutil.which("cmquiz", path=str(Path(sys.executable).parent))
    assert found, "the cmquiz console script is not installed next to this Python"
    return found


def environment(home: Path) -> dict[str, str]:
    env = {**os.environ, "CMQUIZ_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "80"}
    env["PYTHONUNBUFFERED"] = "1"  # what is on screen is what was printed
    env.pop("CMQUIZ_BANKS", None)
    return env


def wait_for(predicate, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError("timed out waiting")


def answers_in(path: Path) -> int:
    if not path.exists():
        return 0
    return path.read_text(encoding="utf-8").count('"kind":"answer"')


def test_an_exam_killed_with_sigkill_resumes_with_its_paper_answers_and_time(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    history = home / "history.jsonl"
    paper = exam_paper(mini_pool(), 4, 3)
    q = [d.question for d in paper]
    proc = subprocess.Popen(
        [script(), "--bank", MINI, "exam", "--n", "4", "--seed", "3", "--time-limit", "10m"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment(home),
        cwd=tmp_path,
        text=True,
    )
    assert proc.stdin is not None
    proc.stdin.write(f"{typed(q[0])}\nm\n")  # answer item 1, flag item 2
    proc.stdin.flush()
    wait_for(lambda: history.exists() and '"kind":"flag"' in history.read_text(encoding="utf-8"))
    proc.stdin.write(f"{typed(q[1], right=False)}\n")
    proc.stdin.flush()
    wait_for(lambda: answers_in(history) == 2)
    time.sleep(1.2)  # time passes after the last answer; a killed exam does not count it
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    before = HistoryStore(history).read()
    assert before.warnings == []
    (view,) = replay(before.records).values()
    assert view.end is None  # killed: no end record
    assert view.resumable
    start = view.start
    used = view.time_used_s()

    resumed = subprocess.run(
        [script(), "--bank", MINI, "exam", "--resume"],
        input=f"{typed(q[2])}\n{typed(q[3])}\ny\n",
        capture_output=True,
        text=True,
        env=environment(home),
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    out = resumed.stdout
    assert "继续考试 · 已答 2/4 题" in out
    left = re.search(r"剩余时间 (\d+):(\d\d)", out)
    assert left is not None
    seconds_left = int(left.group(1)) * 60 + int(left.group(2))
    assert 600 - used - 2 <= seconds_left <= 600 - used + 1
    assert "另有 1 题已标记" in out  # the flag survived
    assert "第 3/4 题" in out

    after = HistoryStore(history).read()
    assert sum(isinstance(r, StartRecord) for r in after.records) == 1  # the same paper
    (view,) = replay(after.records).values()
    assert view.start == start
    assert sorted(view.latest()) == [0, 1, 2, 3]
    assert view.latest()[1].correct is False  # the answers given before the kill count
    assert view.end is not None
    assert view.end.status is Status.COMPLETED
    assert view.end.score == 2.5  # all right but item 2 (0.5)


def _kill_trial(tmp_path: Path, mode: str, rng: random.Random, trial: int) -> tuple[int, int]:
    """Start a run with every answer already piped in, kill it at a random moment; return
    (answers acknowledged on screen, answers in the history)."""
    home = tmp_path / f"home-{mode}-{trial}"
    history = home / "history.jsonl"
    questions = mini_pool()
    lines = []
    for i in range(12):
        lines.append("a" if i % 2 == 0 else "对")  # valid for any type within two lines
    if mode == "practice":  # single choice from the bundled banks: "a" always answers
        args = ["practice", "--type", "single", "--n", "5"]
    else:
        args = ["--bank", MINI, "exam", "--n", "5"]
    proc = subprocess.Popen(
        [script(), *args, "--seed", str(trial)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=environment(home),
        cwd=tmp_path,
    )
    assert proc.stdin is not None
    wait_for(lambda: history.exists())  # the start record is written before the first question
    proc.stdin.write(("\n".join(lines) + "\n").encode())
    proc.stdin.flush()
    time.sleep(rng.uniform(0.0, 0.25))
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=30)
    text = out.decode("utf-8", "replace")
    if mode == "practice":  # feedback is shown after the answer is saved
        acknowledged = text.count("回答正确") + text.count("回答错误")
    else:  # the next question (or the sheet) is shown after the answer is saved
        acknowledged = max(0, len(re.findall(r"第 \d/5 题", text)) - 1)
    log = HistoryStore(history).read()
    # every line but a torn last one is a whole record
    raw = history.read_bytes().split(b"\n")
    for chunk in raw[:-1]:
        json.loads(chunk)
    assert len(log.warnings) <= 1
    del questions
    return acknowledged, sum(isinstance(r, AnswerRecord) for r in log.records)


@pytest.mark.parametrize("mode", ["practice", "exam"])
def test_sigkill_at_random_moments_loses_no_acknowledged_answer(tmp_path: Path, mode: str) -> None:
    rng = random.Random(f"kill-{mode}")
    shown = kept = 0
    for trial in range(KILL_TRIALS):
        acknowledged, recorded = _kill_trial(tmp_path, mode, rng, trial)
        assert recorded >= acknowledged, (trial, acknowledged, recorded)
        shown += acknowledged
        kept += recorded
    assert kept >= shown
    assert kept > 0  # the trials did answer something before being killed


def test_four_processes_writing_at_once_keep_every_record_whole(tmp_path: Path) -> None:
    home = tmp_path / "home"
    procs = [
        subprocess.Popen(
            [script(), "practice", "--type", "single", "--n", "20", "--seed", str(seed)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=environment(home),
            cwd=tmp_path,
        )
        for seed in range(4)
    ]
    for proc in procs:  # all four answer at the same time
        assert proc.stdin is not None
        proc.stdin.write(b"a\n" * 20)
        proc.stdin.close()
    for proc in procs:
        assert proc.wait(timeout=60) == 0
    raw = (home / "history.jsonl").read_bytes()
    lines = raw.split(b"\n")
    assert lines[-1] == b""
    records = [json.loads(line) for line in lines[:-1]]
    log = HistoryStore(home / "history.jsonl").read()
    assert log.warnings == []
    sessions = replay(log.records)
    assert len(sessions) == 4
    for view in sessions.values():
        assert len(view.answers) == 20
        assert view.end is not None
        assert view.end.status is Status.COMPLETED
    assert len(records) == 4 * 22  # start, twenty answers, end
    sessions_in_order = [r["session"] for r in records]
    assert len(set(sessions_in_order[:44])) > 1  # the writers really interleaved
