"""``--csv``: the figures of ``--json`` as tables for a spreadsheet.

One file holds several tables, one after another: a line naming the table (``[知识点]``), its
header, its rows, and an empty line. Numbers are written as numbers (fractions 0-1 as in JSON,
percents where JSON has percents); a text cell that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with a leading
``'``, so opening the file never runs anything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .department import DepartmentReport
from .stats import StatsReport

Row = list[Any]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """A value as a CSV cell: None empty, text defused, numbers and booleans as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_START) else value
    return value


def _table(name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[Row]:
    out: list[Row] = [[f"[{name}]"], list(header)]
    out.extend([cell(v) for v in row] for row in rows)
    out.append([])
    return out


def stats_rows(report: StatsReport, command: str | None = None) -> list[Row]:
    """Every figure of ``cmquiz stats --json`` as tables (``command``: the next step's)."""
    data = report.to_dict()
    act = data["activity"]
    step = data["next_step"]
    rows = _table(
        "总计",
        ["answered", "correct", "accuracy", "questions_seen", "first", "last", "time_spent_s"],
        [
            [
                data["answered"],
                data["correct"],
                data["accuracy"],
                data["questions_seen"],
                data["first"],
                data["last"],
                act["time_spent_s"],
            ]
        ],
    )
    rows += _table("次数", ["mode", "sessions"], data["sessions"].items())
    topic_fields = ["code", "topic", "answered", "correct", "accuracy", "seen", "in_bank"]
    topic_fields += ["coverage", "last", "recent", "trend"]
    rows += _table(
        "知识点",
        topic_fields,
        (
            ["".join(map(str, r[f])) if f == "recent" else r[f] for f in topic_fields]
            for r in data["by_topic"] + data["unpractised"]
        ),
    )
    rows += _table(
        "题型",
        ["label", "answered", "correct", "accuracy"],
        ([r["label"], r["answered"], r["correct"], r["accuracy"]] for r in data["by_type"]),
    )
    exam_fields = ["started", "ended", "paper", "status", "score", "max_score", "pass_mark"]
    exam_fields += ["passed", "percent", "pass_percent", "questions", "answered", "session"]
    rows += _table("考试", exam_fields, ([r[f] for f in exam_fields] for r in data["exams"]))
    rows += _table(
        "每天",
        ["date", "answers", "correct", "seconds"],
        ([d["date"], d["answers"], d["correct"], d["seconds"]] for d in act["days"]),
    )
    rows += _table(
        "连续",
        ["current", "longest", "active_days", "window_first", "window_last"],
        [
            [
                act["streak"]["current"],
                act["streak"]["longest"],
                act["active_days"],
                act["window"]["first"],
                act["window"]["last"],
            ]
        ],
    )
    missed_fields = ["qid", "topic", "wrong", "answered", "last_correct", "stem"]
    rows += _table(
        "错得最多", missed_fields, ([r[f] for f in missed_fields] for r in data["missed"])
    )
    if step is not None:
        rows += _table("下一步", ["reason", "command"], [[step["reason"], command]])
    return rows


ITEM_FIELDS = [
    "qid",
    "type",
    "topic_code",
    "topic",
    "n",
    "enough",
    "facility",
    "sd",
    "random_guess_score",
    "discrimination_index",
    "discriminative_efficiency",
    "no_response",
    "key",
    "flags",
]


def items_rows(report: DepartmentReport) -> list[Row]:
    """``cmquiz stats --items --csv``: one row per question (the options as ``option_A``...
    columns), then one row per trainee."""
    data = report.to_dict()
    letters = sorted({k for item in data["items"] for k in item["options"]})
    header = ITEM_FIELDS + [f"option_{k}" for k in letters]
    rows = _table(
        "题目分析",
        header,
        (
            [" ".join(item[f]) if f in ("key", "flags") else item[f] for f in ITEM_FIELDS]
            + [item["options"].get(k) for k in letters]
            for item in data["items"]
        ),
    )
    trainee_fields = ["name", "exams", "passed", "mean_percent", "best_percent", "last_percent"]
    trainee_fields += ["last_exam", "answered", "correct", "accuracy", "active_days"]
    trainee_fields += ["last_active", "time_spent_s"]
    rows += _table(
        "学员", trainee_fields, ([t[f] for f in trainee_fields] for t in data["trainees"])
    )
    return rows
