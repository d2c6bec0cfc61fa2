"""``cmquiz report --html``: one self-contained file, checked as text and in a real browser."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from cmquiz.department import analyse
from cmquiz.history import HistoryLog
from cmquiz.htmlreport import department_page, trainee_page
from cmquiz.loader import load_library
from cmquiz.qtypes import QuestionType
from cmquiz.records import Mode
from cmquiz.stats import compute_stats
from cmquiz.topics import Topic
from drawing import MINI
from histmaker import T0, exam, practice, question, write

Invoke = Callable[..., Any]
NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
HOSTILE = Topic('<script>alert("x")</script>&', "9")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def trainee_records() -> list[Any]:
    g1, g2 = question("g1"), question("g2", QuestionType.JUDGE, answer="T")
    odd = question("h1", topic=HOSTILE)
    records = practice("p1", [(g1, True), (g2, False), (odd, True)], T0)
    records += practice("p2", [(g1, False), (g2, True)], T0 + timedelta(days=1), mode=Mode.REVIEW)
    records += exam("e1", [(g1, 1.0), (g2, 1.0)], ["A", "F"], T0 + timedelta(days=2), pass_mark=1.2)
    records += exam("e2", [(g1, 1.0), (g2, 1.0)], ["A", "T"], T0 + timedelta(days=5), pass_mark=1.2)
    return records


def trainee_report() -> Any:
    return compute_stats(HistoryLog(records=trainee_records()), today=date(2026, 11, 20), tz=UTC)


def assert_self_contained(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert "Content-Security-Policy" in page
    assert "default-src 'none'" in page
    for needle in ("http://", "https://", "<script", "<link", " src=", "@import", "url("):
        assert needle not in page, needle


def test_trainee_page_is_self_contained_and_escaped() -> None:
    report = trainee_report()
    page = trainee_page(
        report, who="张三", generated=NOW, next_command="cmquiz practice --topic 17"
    )
    assert_self_contained(page)
    assert "<title>张三 的学习报告</title>" in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in page
    assert "cmquiz practice --topic 17" in page
    assert page.count('class="score"') == 2  # one point per exam
    assert page.count('class="pass"') == 2  # each exam's own pass mark
    # answers: p1 3 (2 right), p2 2 (1 right), e1 2 (1 right), e2 2 (2 right): 6 of 9, 67%
    assert "<b>9</b><span>答题次数</span>" in page
    assert "<b>67%</b><span>正确率</span>" in page
    # e1 scored 1 of 2 (50%, under 60%), e2 2 of 2
    assert "测试卷:1/2(50%)不及格" in page
    assert "测试卷:2/2(100%)及格" in page


def test_department_page(tmp_path: Path) -> None:
    records = trainee_records()
    a = write(tmp_path / "a.jsonl", records)
    b = write(tmp_path / "b.jsonl", [r for r in records if r.session.startswith("e")])
    report = analyse([a, b], {}, min_answers=2, overview=True, today=date(2026, 11, 20), tz=UTC)
    page = department_page(report, generated=NOW, title="个金部 <月考>")
    assert_self_contained(page)
    assert "<h1>个金部 &lt;月考&gt;</h1>" in page
    assert page.count("<tr>") + page.count("<tr class=") >= 2 + 2  # trainees and items
    assert ">a</td>" in page
    assert ">b</td>" in page
    assert "题目分析" in page
    assert "g1" in page


def test_report_command_writes_the_file(invoke: Invoke, home: Path, tmp_path: Path) -> None:
    write(home / "history.jsonl", trainee_records())
    out = tmp_path / "me.html"
    result = invoke("--bank", MINI, "--user", "李四", "report", "--html", str(out))
    assert result.exit_code == 0, result.output
    assert f"已写入 {out}" in result.output
    page = out.read_text(encoding="utf-8")
    assert_self_contained(page)
    assert "李四 的学习报告" in page
    assert f"cmquiz --bank {MINI} practice" in page  # the next step, as a working command
    again = invoke("report", "--html", str(out))
    assert again.exit_code == 1
    assert "已存在" in again.output
    assert invoke("--bank", MINI, "report", "--html", str(out), "--force").exit_code == 0


def test_report_command_for_a_department(invoke: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "dept"
    g1 = load_library([MINI]).by_id()["t-guar-1"]
    for n in range(3):
        write(folder / f"t{n}.jsonl", exam(f"s{n}", [(g1, 1.0)], ["B" if n else "A"], T0))
    out = tmp_path / "dept.html"
    result = invoke("--bank", MINI, "report", "--html", str(out), "--history", str(folder))
    assert result.exit_code == 0, result.output
    assert "部门报告,3 名学员" in result.output
    page = out.read_text(encoding="utf-8")
    assert "培训部门学习报告" in page
    one = tmp_path / "one.html"
    single = invoke("report", "--html", str(one), "--history", str(folder / "t1.jsonl"))
    assert single.exit_code == 0, single.output
    assert "t1 的学习报告" in one.read_text(encoding="utf-8")


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        *args,
    ]
    env = {**os.environ, "HOME": str(profile)}
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, env=env, check=False
    )


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (Debian: apt-get install -y chromium; .ci/run installs it)",
)
def test_the_report_opens_in_a_real_browser(tmp_path: Path) -> None:
    report = trainee_report()
    page = tmp_path / "report.html"
    page.write_text(trainee_page(report, who="张三", generated=NOW), encoding="utf-8")
    dom = chromium("--dump-dom", page.as_uri(), profile=tmp_path / "profile")
    assert dom.returncode == 0, dom.stderr
    assert "张三 的学习报告" in dom.stdout
    assert len(re.findall(r"<svg\b", dom.stdout)) == 2  # the exam chart and the activity chart
    assert "&lt;script&gt;" in dom.stdout  # the hostile topic stayed text
    shot = tmp_path / "report.png"
    taken = chromium(
        "--hide-scrollbars", "--window-size=1000,1600", f"--screenshot={shot}", page.as_uri(),
        profile=tmp_path / "profile2",
    )  # fmt: skip
    assert taken.returncode == 0, taken.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000  # something was drawn
