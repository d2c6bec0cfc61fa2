"""``cmquiz stats`` and ``cmquiz stats --items`` end to end."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from cmquiz.loader import load_library
from cmquiz.records import Mode
from drawing import MINI
from histmaker import T0, exam, practice, question, write

Invoke = Callable[..., Any]
MINI_QUESTIONS = load_library([MINI]).by_id()


def home_history(home: Path) -> Path:
    guar = MINI_QUESTIONS["t-guar-1"]
    phone = next(q for q in MINI_QUESTIONS.values() if q.topic.name == "电话礼仪")
    records = practice("p1", [(guar, True), (guar, False), (phone, True)], T0)
    records += practice("r1", [(phone, False)], T0 + timedelta(days=1), mode=Mode.REVIEW)
    records += exam(
        "e1", [(guar, 2.0), (phone, 2.0)], ["B", None], T0 + timedelta(days=2), pass_mark=2.4
    )
    return write(home / "history.jsonl", records)


def test_stats_screen_at_80_columns(invoke: Invoke, home: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    path = home_history(home)
    before = path.read_bytes()
    result = invoke("--bank", MINI, "stats")
    assert result.exit_code == 0, result.output
    out = result.output
    assert path.read_bytes() == before  # stats never changes the history
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "共答题 5 次" in out
    assert "覆盖" in out
    assert "走势" in out
    assert "考试成绩(占满分的百分比)" in out
    # the exam: 2 of 4 points (50%, failed: ○) under its pass mark 2.4 of 4 (60%)
    assert " 60% │───\n" in out
    assert " 50% ┤ ○ \n" in out
    assert "每天答题数" in out
    assert "下一步:" in out
    assert f"cmquiz --bank {MINI} practice --topic" in out
    assert "\x1b[" not in out  # NO_COLOR


def test_the_knowledge_point_lines_fit_a_narrow_terminal(
    invoke: Invoke, home: Path, monkeypatch: Any
) -> None:
    """Below about 60 columns the trend, then the last-day columns are left out: a knowledge
    point stays on one line."""
    from rich.cells import cell_len

    home_history(home)
    for width, kept, dropped in ((40, ["覆盖", "最近"], ["走势"]), (80, ["最近", "走势"], [])):
        monkeypatch.setenv("COLUMNS", str(width))
        result = invoke("--bank", MINI, "stats")
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        header = next(i for i, line in enumerate(lines) if line.startswith("知识点 "))
        for name in kept:
            assert name in lines[header]
        for name in dropped:
            assert name not in lines[header]
        table = lines[header : header + 4]  # header, rule, the two knowledge points
        assert all(cell_len(line) <= width for line in table), table
        assert "17 贷款" in table[2] + table[3]  # cut with … when narrow
        assert "电话礼仪" in table[2] + table[3]


def test_stats_json_and_csv_give_the_same_figures(invoke: Invoke, home: Path) -> None:
    home_history(home)
    data = json.loads(invoke("--bank", MINI, "stats", "--json").stdout)
    result = invoke("--bank", MINI, "stats", "--csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("\ufeff")
    tables = csv_tables(result.stdout)
    (total,) = tables["总计"]
    assert int(total["answered"]) == data["answered"] == 5
    assert float(total["accuracy"]) == data["accuracy"]
    topics = {row["topic"]: row for row in tables["知识点"]}
    for row in data["by_topic"] + data["unpractised"]:
        assert topics[row["topic"]]["coverage"] == row["coverage"]
        assert float(topics[row["topic"]]["accuracy"]) == row["accuracy"]
    assert len(tables["考试"]) == len(data["exams"]) == 1
    assert float(tables["考试"][0]["percent"]) == data["exams"][0]["percent"] == 50.0
    assert [d["date"] for d in tables["每天"]] == [d["date"] for d in data["activity"]["days"]]
    assert tables["下一步"][0]["command"] == data["next_step"]["command"]
    assert data["next_step"]["command"].startswith(f"cmquiz --bank {MINI} ")


def csv_tables(text: str) -> dict[str, list[dict[str, str]]]:
    tables: dict[str, list[dict[str, str]]] = {}
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    i = 0
    while i < len(rows):
        if rows[i] and rows[i][0].startswith("["):
            name, header = rows[i][0].strip("[]"), rows[i + 1]
            i += 2
            body = []
            while i < len(rows) and rows[i]:
                body.append(dict(zip(header, rows[i], strict=True)))
                i += 1
            tables[name] = body
        i += 1
    return tables


def test_stats_filters(invoke: Invoke, home: Path) -> None:
    home_history(home)

    def answered(*args: str) -> int:
        result = invoke("--bank", MINI, "stats", "--json", *args)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["answered"]  # type: ignore[no-any-return]

    assert answered() == 5
    assert answered("--mode", "review") == 1
    assert answered("--mode", "practice", "--mode", "考试") == 4
    day = (T0 + timedelta(days=1)).astimezone().date().isoformat()
    assert answered("--since", day, "--until", day) == 1
    assert answered("--topic", "17") == 3
    bad = invoke("--bank", MINI, "stats", "--since", "yesterday")
    assert bad.exit_code == 2
    assert "YYYY-MM-DD" in bad.output
    swapped = invoke("--bank", MINI, "stats", "--since", "2026-12-01", "--until", "2026-11-01")
    assert swapped.exit_code == 2
    assert invoke("--bank", MINI, "stats", "--mode", "drill").exit_code == 2
    assert invoke("--bank", MINI, "stats", "--json", "--csv").exit_code == 2


def test_stats_of_other_histories_has_no_next_step(invoke: Invoke, tmp_path: Path) -> None:
    g = question("t-guar-1")
    a = write(tmp_path / "dept" / "a.jsonl", practice("a", [(g, True)], T0, user="zhang"))
    write(tmp_path / "dept" / "b.jsonl", practice("b", [(g, False)], T0, user="li"))
    result = invoke("--bank", MINI, "stats", "--history", str(tmp_path / "dept"))
    assert result.exit_code == 0, result.output
    assert "共答题 2 次" in result.output
    assert "下一步" not in result.output
    assert "来自 2 名学员" in result.output
    assert "stats --items --history" in result.output
    single = invoke("--bank", MINI, "stats", "--history", str(a), "--json")
    assert json.loads(single.stdout)["answered"] == 1
    missing = invoke("stats", "--history", str(tmp_path / "nope.jsonl"))
    assert missing.exit_code == 1
    assert "不存在" in missing.output


def department(folder: Path, trainees: int = 12) -> None:
    """Each trainee takes the same two-question exam; the better half gets both right."""
    guar, phone = MINI_QUESTIONS["t-guar-1"], MINI_QUESTIONS["t-etq-2"]
    for n in range(trainees):
        strong = n % 2 == 0
        given = ["B" if strong else "A", "F" if strong or n % 3 == 0 else "T"]
        records = exam(f"s{n}", [(guar, 1.0), (phone, 1.0)], given, T0 + timedelta(days=n))
        write(folder / f"trainee{n:02d}.jsonl", records)


def test_items_over_a_department(invoke: Invoke, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    folder = tmp_path / "dept"
    department(folder)
    result = invoke("--bank", MINI, "stats", "--items", "--history", str(folder))
    assert result.exit_code == 0, result.output
    out = result.output
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "12 份已交卷的考试" in out
    assert "t-guar-1" in out
    assert "区分度" in out
    assert "选项 C、D 没人选" in out
    assert "各学员" in out
    assert "trainee00" in out
    data = json.loads(
        invoke("--bank", MINI, "stats", "--items", "--json", "--history", str(folder)).stdout
    )
    entry = next(e for e in data["items"] if e["qid"] == "t-guar-1")
    assert {"qid", "n", "facility", "sd", "discrimination_index"} <= set(entry)
    assert entry["n"] == 12
    assert entry["facility"] == 0.5
    assert entry["options"] == {"A": 6, "B": 6, "C": 0, "D": 0}
    assert len(data["trainees"]) == 12
    table = csv_tables(
        invoke("--bank", MINI, "stats", "--items", "--csv", "--history", str(folder)).stdout
    )
    row = next(r for r in table["题目分析"] if r["qid"] == "t-guar-1")
    assert float(row["facility"]) == 0.5
    assert row["option_C"] == "0"
    few = invoke(
        "--bank", MINI, "stats", "--items", "--history", str(folder), "--min-answers", "20"
    )
    assert "答题人次不足 20" in few.output
    assert invoke("stats", "--items", "--mode", "exam").exit_code == 2


def test_items_without_exams_says_so(invoke: Invoke, home: Path) -> None:
    result = invoke("--bank", MINI, "stats", "--items")
    assert result.exit_code == 0, result.output
    assert "没有已交卷的考试" in result.output


def test_csv_cells_never_run_as_formulas(invoke: Invoke, home: Path, write_bank: Any) -> None:
    bank = write_bank(
        """
        bank: 危险的题库
        questions:
          - id: f1
            type: judge
            topic: "=HYPERLINK(\\"http://x\\")"
            stem: 题干
            answer: true
        """
    )
    q = load_library([bank]).by_id()["f1"]
    write(home / "history.jsonl", practice("p", [(q, True)], T0))
    result = invoke("--bank", str(bank), "stats", "--csv")
    assert result.exit_code == 0, result.output
    topics = csv_tables(result.stdout)["知识点"]
    assert topics[0]["topic"].startswith("'=HYPERLINK")
