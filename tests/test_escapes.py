"""Terminal control characters never reach the screen, whatever file they come from."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from drawing import MINI

Invoke = Callable[..., Any]
ESCAPES = "\x1b[31mRED\x1b]0;pwned\x07\u202eevil\x9b2J"


def clean(output: str) -> bool:
    return not any(ch in output for ch in ("\x1b", "\x07", "\u202e", "\x9b"))


def test_text_read_back_from_the_history_is_shown_without_controls(
    invoke: Invoke, home: Path
) -> None:
    home.mkdir(parents=True)
    record = {
        "v": 2,
        "kind": "answer",
        "session": "s",
        "index": 0,
        "qid": f"x{ESCAPES}",
        "given": ["A"],
        "points": 0.0,
        "max_points": 1.0,
        "correct": False,
        "ts": "2026-12-01T01:00:00+00:00",
        "mode": "practice",
        "type": "single",
        "topic": f"知识点{ESCAPES}",
        "elapsed_ms": 1,
    }
    (home / "history.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = invoke("--bank", MINI, "stats")
    assert result.exit_code == 0, result.output
    assert "知识点" in result.output
    assert clean(result.output), repr(result.output)
    as_json = invoke("--bank", MINI, "stats", "--json")
    assert as_json.exit_code == 0


def test_bank_file_names_are_shown_without_controls(invoke: Invoke, tmp_path: Path) -> None:
    odd = tmp_path / f"bank{ESCAPES}.yaml"
    odd.write_text(Path(MINI).read_text(encoding="utf-8"), encoding="utf-8")
    result = invoke("check", str(odd))
    assert result.exit_code == 0, result.output
    assert clean(result.output), repr(result.output)
    broken = tmp_path / f"broken{ESCAPES}.yaml"
    broken.write_text("bank: x\nquestions: [\n", encoding="utf-8")
    failed = invoke("check", str(broken))
    assert failed.exit_code == 1
    assert clean(failed.output), repr(failed.output)
