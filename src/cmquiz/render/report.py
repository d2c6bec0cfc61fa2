"""The end of a run: the questions missed, then the tables, then the summary last, so that the
score, the verdict and the time used are what is on screen when the run ends."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..qtypes import QuestionType
from ..records import Mode, Status
from ..scoring import MultiRule, format_points
from ..session import Miss, Row, RunReport
from .columns import Column, listing
from .common import duration, field, label, panel, percent, safe
from .quiz import answer_lines, append_explanation, describe_shown


def _table(title: str, rows: Sequence[Row], exam: bool) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column(title.removeprefix("按"), overflow="fold")
    table.add_column("题数", justify="right")
    table.add_column("答对", justify="right")
    if exam:
        table.add_column("得分", justify="right")
    table.add_column("正确率", justify="right")
    for row in rows:
        cells: list[Text | str] = [label(row.label), str(row.total), str(row.correct)]
        if exam:
            cells.append(f"{format_points(row.points)}/{format_points(row.max_points)}")
        accuracy = row.correct / (row.total if exam else max(row.answered, 1))
        cells.append(percent(accuracy))
        table.add_row(*cells)
    return table


def miss_panel(miss: Miss, console: Console, *, show_source: bool = True) -> Panel:
    item = miss.item
    question = item.question
    body = field(question.stem)
    body.append("\n")
    if item.note:
        body.append(f"\n({item.note})", style="yellow")
    if question.type is not QuestionType.JUDGE:
        shown_answer = item.to_shown(question.answer)
        for key, text in item.shown_options:
            right = key in shown_answer
            body.append(
                f"\n{'✓' if right else ' '} {key}. ", style="bold green" if right else "bold"
            )
            body.append_text(safe(text))
        body.append("\n")
    body.append("\n你的答案:", style="bold")
    if miss.given is None:
        body.append("未作答", style="dim")
    else:
        body.append(describe_shown(item, miss.given))
        if question.type is not QuestionType.JUDGE:
            body.append("\n")
            body.append_text(answer_lines(item, miss.given))
    body.append("\n正确答案:", style="bold")
    body.append(describe_shown(item, question.answer), style="green")
    if miss.points:
        body.append(f"(部分得分 {format_points(miss.points)} 分)", style="yellow")
    append_explanation(body, item, source=show_source)
    title = Text.assemble(
        f"第 {item.index + 1} 题 · ", question.type.label, " · ", label(question.topic.label)
    )
    return panel(body, title, console)


def _verdict(report: RunReport) -> Text:
    if report.status is Status.INTERRUPTED:
        return Text("未交卷", style="bold yellow")
    if report.passed:
        return Text("及格", style="bold green")
    return Text("不及格", style="bold red")


def exam_summary(report: RunReport, console: Console) -> Panel:
    score = report.score
    head = Text.assemble(
        ("得分 ", "bold"),
        (format_points(score.score), "bold"),
        f" / {format_points(score.max_score)}  ",
        _verdict(report),
    )
    if score.pass_mark is not None:
        head.append(f"(及格线 {format_points(score.pass_mark)} 分)")
    head.append(f"\n答对 {report.correct}/{report.total} 题,已答 {report.answered} 题")
    used = duration(report.time_used_s)
    limit = f" / 限时 {duration(report.time_limit_s)}" if report.time_limit_s else ""
    head.append(f"\n用时 {used}{limit}")
    if report.status is Status.TIMED_OUT:
        head.append("  时间到,已自动交卷", style="yellow")
    if report.answered < report.total:
        head.append(f"\n未答 {report.total - report.answered} 题,按 0 分计", style="yellow")
    if report.rule is not MultiRule.ALL_OR_NOTHING:
        head.append(f"\n计分:{report.rule.label}", style="dim")
    title = f"考试成绩 · {report.title}" if report.title else "考试成绩"
    return panel(head, safe(title), console)


def run_report(report: RunReport, console: Console) -> RenderableType:
    """The end-of-run screen: the misses first, the tables, then the summary."""
    exam = report.mode is Mode.EXAM
    parts: list[RenderableType] = []
    if exam:
        unfinished = report.status is Status.INTERRUPTED
        wrong = [m for m in report.misses if m.given is not None]
        unanswered = len(report.misses) - len(wrong)
        shown = wrong if unfinished else list(report.misses)
        if shown:
            parts.append(Text("错题与正确答案", style="bold"))
        parts.extend(miss_panel(miss, console) for miss in shown)
        if unfinished and unanswered:
            parts.append(Text(f"另有 {unanswered} 道题未作答,未列出。", style="dim"))
        parts.append(_table("按题型", report.by_type, exam))
        parts.append(_table("按知识点", report.by_topic, exam))
        parts.append(exam_summary(report, console))
        return Group(*parts)
    if report.misses:
        parts.append(missed_list(report.misses, console.width))
    if report.answered:
        parts.append(_table("按题型", report.by_type, exam))
        if len(report.by_topic) > 1:
            parts.append(_table("按知识点", report.by_topic, exam))
    accuracy = report.correct / report.answered if report.answered else 0.0
    kind = "复习" if report.mode is Mode.REVIEW else "练习"
    head = Text.assemble(
        (f"{kind}结束 ", "bold"), f"答对 {report.correct}/{report.answered}({percent(accuracy)})"
    )
    if report.answered < report.total:
        head.append(f"  计划 {report.total} 题,已答 {report.answered} 题", style="dim")
    parts.append(panel(head, f"{kind}小结", console))
    return Group(*parts)


def missed_list(misses: Sequence[Miss], width: int = 100) -> Text:
    """The questions missed in a practice run, one line each, fitted to ``width`` columns (the
    stem is cut, never the answers or the id)."""
    columns = [
        Column("题", right=True),
        Column("题目", flexible=True),
        Column("你的答案", cap=12),
        Column("正确答案", cap=12),
        Column("编号"),
    ]
    rows: list[list[Text | str]] = []
    for miss in misses:
        item = miss.item
        given = describe_shown(item, miss.given) if miss.given is not None else "未答"
        rows.append(
            [
                str(item.index + 1),
                label(item.question.stem.replace("\n", " "), limit=200),
                given,
                Text(describe_shown(item, item.question.answer), style="green"),
                safe(item.question.id, "dim"),
            ]
        )
    return listing(columns, rows, width, "本次答错的题")
