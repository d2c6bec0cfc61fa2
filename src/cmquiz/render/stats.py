"""The stats screens: the trainee's figures (``cmquiz stats``), the item analysis and the
per-trainee summary (``cmquiz stats --items``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..department import DepartmentReport, TraineeRow
from ..itemstats import (
    DISCRIMINATION_LOW,
    EFFICIENCY_LOW,
    FACILITY_HIGH,
    FACILITY_LOW,
    ItemStats,
)
from ..qtypes import QuestionType
from ..records import Mode
from ..stats import StatsReport, TopicRow, type_label
from .charts import activity_line, score_chart
from .columns import Column, listing
from .common import bar, duration, hint_text, panel, percent, safe

RECENT_EXAMS = 5


def stats_view(report: StatsReport, console: Console, command: str | None) -> RenderableType:
    """``cmquiz stats``: totals, knowledge points, exams, activity, missed questions, next step."""
    width = console.width
    parts: list[RenderableType] = [panel(_head(report), "学习统计", console)]
    if report.by_topic:
        parts.append(_topics_table(report.by_topic, width))
    if report.unpractised:
        names = "、".join(f"{r.topic.label}({r.in_bank} 题)" for r in report.unpractised)
        parts.append(
            Text.assemble((f"没练过的知识点({len(report.unpractised)} 个):", "bold"), safe(names))
        )
    if report.by_type:
        parts.append(_types_table(report))
    if report.exams:
        parts.append(_exams_part(report, width))
    if report.activity.days:
        parts.append(_activity_part(report, width))
    if report.missed:
        parts.append(_missed_table(report, width))
    if report.next_step is not None and command is not None:
        parts.append(hint_text(f"下一步:{report.next_step.reason}", command))
    return Group(*parts)


def _head(report: StatsReport) -> Text:
    sessions = "、".join(f"{Mode(m).label} {n} 次" for m, n in report.sessions.items()) or "无"
    flt = report.filter
    scope = []
    if flt.topics:
        scope.append("知识点:" + "、".join(flt.topics))
    if flt.modes:
        scope.append("方式:" + "、".join(m.label for m in flt.modes))
    if flt.since or flt.until:
        scope.append(f"日期:{flt.since or '最早'} 至 {flt.until or '今天'}")
    head = Text.assemble(
        (f"共答题 {report.answered} 次", "bold"),
        f",答对 {report.correct} 次,正确率 {percent(report.accuracy)};",
        f"做过 {report.questions_seen} 道不同的题;{sessions}",
    )
    if report.first and report.last:
        first, last = report.first.astimezone(), report.last.astimezone()
        head.append(f"\n时间:{first:%Y-%m-%d} 至 {last:%Y-%m-%d}")
    if scope:
        head.append("\n范围:")
        head.append(safe(";".join(scope)))
    return head


def _trend(row: TopicRow) -> Text:
    dots = Text()
    for right in row.recent:
        dots.append("●" if right else "○", style="green" if right else "red")
    if row.trend is not None and abs(row.trend) >= 0.005:
        arrow = "↑" if row.trend > 0 else "↓"
        dots.append(
            f" {arrow}{abs(row.trend) * 100:.0f}%", style="green" if row.trend > 0 else "red"
        )
    return dots


def _topics_table(rows: Sequence[TopicRow], width: int) -> Text:
    """One line per knowledge point (a fixed-width listing: a Rich table measured every cell
    of forty rows, most of the time ``stats`` took to draw)."""
    columns = [
        Column("知识点", flexible=True),
        Column("答题", right=True),
        Column("正确率", right=True),
        *([Column("", width=10)] if width >= 110 else []),
        Column("覆盖", right=True),
        Column("最近", optional=True),
        Column("走势", cap=20, optional=True),
    ]
    lines: list[list[Text | str]] = [
        [
            safe(row.topic.label),
            str(row.answered),
            percent(row.accuracy),
            *([bar(row.accuracy, 10)] if width >= 110 else []),
            row.coverage,
            _day(row.last),
            _trend(row),
        ]
        for row in rows
    ]
    return listing(
        columns, lines, width, "各知识点(由弱到强;走势为最近 10 题,● 对 ○ 错,箭头与之前相比)"
    )


def _day(moment: datetime | None) -> str:
    return f"{moment.astimezone():%m-%d}" if moment else ""


def _types_table(report: StatsReport) -> Table:
    types = Table(title="各题型", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    types.add_column("题型")
    types.add_column("答题", justify="right")
    types.add_column("正确率", justify="right")
    types.add_column("", no_wrap=True)
    for row in report.by_type:
        types.add_row(row.label, str(row.answered), percent(row.accuracy), bar(row.accuracy))
    return types


def _exams_part(report: StatsReport, width: int) -> RenderableType:
    filtered = bool(report.filter.topics)
    title = (
        "考试中所选知识点的正确率" if filtered else "考试成绩(占满分的百分比)"
    ) + ":● 及格 ○ 不及格 ─ 及格线"
    chart = score_chart(report.exams, min(width, 80))
    table = Table(title="最近的考试", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("时间", no_wrap=True)
    table.add_column("试卷", overflow="fold", ratio=1)
    table.add_column("得分", justify="right", no_wrap=True)
    table.add_column("百分比", justify="right", no_wrap=True)
    table.add_column("结果", no_wrap=True)
    for exam in reversed(report.exams[-RECENT_EXAMS:]):
        if not exam.finished:
            verdict = Text("未完成", style="yellow")
        elif exam.passed is None:
            verdict = Text("")
        else:
            verdict = Text("及格", style="green") if exam.passed else Text("不及格", style="red")
        score = f"{exam.score:g}%" if filtered else f"{exam.score:g}/{exam.max_score:g}"
        table.add_row(
            f"{exam.ended.astimezone():%Y-%m-%d %H:%M}",
            safe(exam.paper),
            score,
            percent(exam.fraction),
            verdict,
        )
    return Group(Text(title, style="bold"), chart, table)


def _activity_part(report: StatsReport, width: int) -> RenderableType:
    act = report.activity
    window = act.window()[-max(1, min(width, 80) - 2) :]
    active = sum(1 for d in window if d.answers)
    facts = (
        f"连续 {act.current_streak} 天(最长 {act.longest_streak} 天)· "
        f"这 {len(window)} 天中 {active} 天有练习 · 共 {sum(d.answers for d in window)} 题 · "
        f"用时 {_hours(sum(d.seconds for d in window))}"
    )
    first, last = window[0].day, window[-1].day
    return Group(
        Text(f"每天答题数({first:%m-%d} 至 {last:%m-%d},· 为没有答题)", style="bold"),
        activity_line(act, len(window) + 2),
        Text(facts),
    )


def _hours(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes < 60:
        return duration(seconds)
    hours, rest = divmod(minutes, 60)
    return f"{hours} 小时 {rest} 分" if rest else f"{hours} 小时"


def _missed_table(report: StatsReport, width: int) -> Table:
    missed = Table(title="错得最多的题", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    id_width = min(16, max(len(miss.qid) for miss in report.missed))
    stem_width = max(16, width - id_width - 22)
    missed.add_column("题目", no_wrap=True, overflow="ellipsis", max_width=stem_width)
    missed.add_column("编号", no_wrap=True, overflow="ellipsis", style="dim", width=id_width)
    missed.add_column("错/答", justify="right", no_wrap=True)
    missed.add_column("最近", no_wrap=True)
    for miss in report.missed:
        stem = safe(miss.stem) if miss.stem else Text("(题库中已没有这道题)", style="dim")
        recent = Text("对", style="green") if miss.last_correct else Text("错", style="red")
        missed.add_row(stem, safe(miss.qid), f"{miss.wrong}/{miss.answered}", recent)
    return missed


def no_history_hint(start: str, exam: str, topics: str) -> Text:
    """No answers yet: how to start (``start``: the next step's command)."""
    return Text.assemble(
        ("还没有答题记录。", "bold"),
        "\n开始练习:",
        (start, "cyan"),
        "\n模拟考试:",
        (exam, "cyan"),
        "\n查看知识点:",
        (topics, "cyan"),
    )


# --- item analysis -------------------------------------------------------------------------------

FLAG_TEXT = {
    "too_easy": f"易度高于 {FACILITY_HIGH:.0%}(几乎都答对)",
    "too_hard": f"易度低于 {FACILITY_LOW:.0%}(几乎都答错)",
    "low_discrimination": f"区分度低于 {DISCRIMINATION_LOW:g}%",
    "low_efficiency": f"区分效率低于 {EFFICIENCY_LOW:g}%",
    "unchosen_option": "有选项没人选",
}


def _pct(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def _pp(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def option_line(row: ItemStats) -> Text:
    """``A 28 · B 131(答案) · C 24 · D 0 · 未答 2``."""
    text = Text("选项 " if row.type != QuestionType.JUDGE.value else "作答 ")
    for n, (letter, times) in enumerate(row.options.items()):
        if n:
            text.append(" · ")
        shown = {"T": "对", "F": "错"}.get(letter, letter) if row.type == "judge" else letter
        style = "bold" if letter in row.key else ("red" if times == 0 else "")
        text.append(f"{shown} {times}", style=style)
        if letter in row.key:
            text.append("(答案)", style="dim")
    if row.no_response:
        text.append(f" · 未答 {row.no_response}")
    return text


def item_block(row: ItemStats, min_answers: int, width: int = 80) -> Text:
    head = Text.assemble(
        ("⚠ " if row.flags else "  ", "yellow"),
        safe(row.qid, "bold"),
        f"  {type_label(row.type)} · ",
        safe(row.topic.label),
        f" · {row.n} 人次",
    )
    lines = [head]
    if row.stem:
        lines.append(Text.assemble("  ", safe(_short(row.stem, width - 3), "dim")))
    if row.enough:
        f = row.figures
        lines.append(
            Text(
                f"  易度 {_pct(f.facility)} · 标准差 {_pct(f.sd)} · "
                f"猜中 {_pct(row.random_guess_score)} · 区分度 {_pp(f.discrimination_index)}"
                f" · 区分效率 {_pp(f.discriminative_efficiency)}"
            )
        )
    else:
        lines.append(
            Text(f"  答题人次不足 {min_answers},暂不计算指标(易度 {_pct(row.figures.facility)})")
        )
    lines.append(Text.assemble("  ", option_line(row)))
    if row.flags:
        reasons = "、".join(FLAG_TEXT[f] for f in row.flags)
        if row.unchosen:
            reasons = reasons.replace("有选项没人选", f"选项 {'、'.join(row.unchosen)} 没人选")
        lines.append(Text(f"  需要检查:{reasons}", style="yellow"))
    return Text("\n").join(lines)


def _short(text: str, width: int) -> str:
    """``text`` on one line of at most ``width`` terminal columns."""
    from rich.cells import cell_len, set_cell_size

    flat = " ".join(text.split())
    return flat if cell_len(flat) <= width else set_cell_size(flat, width - 1) + "…"


def items_view(report: DepartmentReport, console: Console) -> RenderableType:
    flagged = len(report.flagged)
    few = sum(1 for row in report.items if not row.enough)
    head = Text.assemble(
        (f"{report.attempts} 份已交卷的考试", "bold"),
        f"(来自 {len(report.files)} 个答题记录文件、{len(report.trainees)} 名学员),",
        f"{len(report.items)} 道题;{flagged} 道需要检查",
        f",{few} 道答题人次不足 {report.min_answers}" if few else "",
        "。\n按 Moodle 测验统计的算法:易度 = 平均得分率,区分度 = 本题得分与其余各题得分的"
        "相关系数 x 100,区分效率 = 区分度相对它能达到的最大值;猜中 = 随便猜的期望得分率。",
    )
    parts: list[RenderableType] = [panel(head, "题目分析", console)]
    if not report.items:
        parts.append(Text("这些答题记录里没有已交卷的考试,无法做题目分析。"))
    for row in report.items:
        parts.append(item_block(row, report.min_answers, min(console.width, 100)))
    if report.trainees:
        parts.append(trainees_table(report.trainees))
    return Group(*parts)


def trainees_table(rows: Sequence[TraineeRow]) -> Table:
    table = Table(
        title="各学员(考试成绩为占满分的百分比)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("学员", overflow="fold", ratio=1)
    for name in ("考试", "及格", "平均", "最好", "最近", "答题", "正确率"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("最近活动", no_wrap=True)
    for row in rows:
        table.add_row(
            safe(row.name),
            str(row.exams),
            str(row.passed) if row.graded else "—",
            _pct(row.mean, 0),
            _pct(row.best, 0),
            _pct(row.last, 0),
            str(row.answered),
            percent(row.accuracy) if row.answered else "—",
            _day(row.last_active),
        )
    return table
