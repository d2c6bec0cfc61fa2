"""The installed console script and ``python -m cmquiz``, run as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def installed_script() -> str:
    script = shutil.which("cmquiz", path=str(Path(sys.executable).parent))
    assert script, "the cmquiz console script is not installed next to this Python"
    return script


def run(
    args: list[str], home: Path, cwd: Path, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CMQUIZ_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "80"}
    env.pop("CMQUIZ_BANKS", None)
    return subprocess.run(
        args, input=stdin, capture_output=True, text=True, cwd=cwd, env=env, timeout=60, check=False
    )


def test_installed_entry_point_runs_an_exam(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = run(
        [installed_script(), "exam", "--n", "3", "--seed", "1"], home, tmp_path, stdin="a\n对\n" * 6
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "得分" in result.stdout
    assert "Traceback" not in result.stderr
    lines = (home / "history.jsonl").read_text(encoding="utf-8").splitlines()
    kinds = [line.split('"kind":"')[1].split('"')[0] for line in lines]
    assert kinds == ["start", "answer", "answer", "answer", "end"]


def test_python_dash_m(tmp_path: Path) -> None:
    result = run([sys.executable, "-m", "cmquiz", "topics"], tmp_path / "home", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "贷款担保管理" in result.stdout


def test_a_bad_bank_gives_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("bank: x\nquestions: [\n", encoding="utf-8")
    result = run([installed_script(), "--bank", str(bad), "exam"], tmp_path / "home", tmp_path)
    assert result.returncode == 1
    assert "YAML 语法错误" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_sigterm_mid_exam_keeps_answers_and_exits_143(tmp_path: Path) -> None:
    import signal
    import time

    home = tmp_path / "home"
    env = {**os.environ, "CMQUIZ_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "80"}
    proc = subprocess.Popen(
        [installed_script(), "exam", "--n", "5", "--seed", "2"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=env,
        text=True,
    )
    assert proc.stdin is not None
    proc.stdin.write("a\n对\n")  # one valid answer whatever the first question's type
    proc.stdin.flush()
    history = home / "history.jsonl"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if history.exists() and '"kind":"answer"' in history.read_text(encoding="utf-8"):
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 143, out + err
    lines = history.read_text(encoding="utf-8").splitlines()
    assert '"kind":"start"' in lines[0]
    assert '"kind":"answer"' in lines[1]
    assert '"status":"interrupted"' in lines[-1]
    assert "Traceback" not in err


def test_closed_stdin_ends_the_run_cleanly(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "CMQUIZ_HOME": str(home), "NO_COLOR": "1"}
    result = subprocess.run(
        [installed_script(), "exam", "--n", "2", "--seed", "1"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
        preexec_fn=lambda: os.close(0),
    )
    assert result.returncode == 0, result.stderr
    assert "输入已结束" in result.stdout + result.stderr
    assert '"status":"completed"' in (home / "history.jsonl").read_text(encoding="utf-8")
    assert "Traceback" not in result.stderr
