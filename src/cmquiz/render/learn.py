"""The screens of the learning commands: the notebook, the stars, what falls due next and the
exam plan's day-by-day chart (plain blocks: readable at 80 columns and without colour)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, tzinfo

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..model import Question
from ..notebook import NotebookEntry
from ..plan import DayPlan, Forecast
from ..qtypes import QuestionType
from ..review import KIND_LABELS, Agenda
from .columns import Column, listing
from .common import panel, safe

WEEKDAYS = "一二三四五六日"


def weekday(day: date) -> str:
    return "周" + WEEKDAYS[day.weekday()]


def in_days(day: date, today: date) -> str:
    """``明天``, ``后天``, ``3 天后`` (``今天`` for today)."""
    delta = (day - today).days
    return {0: "今天", 1: "明天", 2: "后天"}.get(delta, f"{delta} 天后")


def due_summary(later: Sequence[tuple[date, int]], today: date, limit: int = 3) -> str:
    """``接下来:明天 12 题,3 天后 30 题`` (the next few days with something due)."""
    if not later:
        return "接下来没有到期的题。"
    parts = [f"{in_days(day, today)} {count} 题" for day, count in later[:limit]]
    rest = sum(count for _, count in later[limit:])
    text = "接下来:" + ",".join(parts)
    if rest:
        text += f",之后共 {rest} 题"
    return text + "。"


def _stem(question: Question | None, qid: str) -> Text:
    if question is None:
        return Text(f"(题目 {qid} 已不在题库中)", style="dim")
    return safe(question.stem.replace("\n", " "))


def notebook_table(
    entries: Sequence[NotebookEntry],
    by_id: Mapping[str, Question],
    streak: int,
    tz: tzinfo,
    width: int,
) -> Text:
    columns = [
        Column("编号"),
        Column("知识点", cap=14),
        Column("答错", right=True),
        Column("最近答错", width=11),
        Column("连对", right=True),
        Column("题目", flexible=True),
    ]
    rows: list[list[Text | str]] = [
        [
            safe(e.qid),
            safe(e.topic.label),
            f"{e.times_wrong} 次",
            e.last_wrong.astimezone(tz).strftime("%m-%d %H:%M"),
            f"{e.streak}/{streak}",
            _stem(by_id.get(e.qid), e.qid),
        ]
        for e in entries
    ]
    return listing(columns, rows, width, "错题本(答错多的在前)")


def starred_table(
    qids: Sequence[str],
    stars: Mapping[str, datetime],
    by_id: Mapping[str, Question],
    tz: tzinfo,
    width: int,
) -> Text:
    columns = [
        Column("编号"),
        Column("知识点", cap=14),
        Column("题型"),
        Column("收藏于", width=11),
        Column("题目", flexible=True),
    ]
    rows: list[list[Text | str]] = []
    for qid in qids:
        question = by_id.get(qid)
        rows.append(
            [
                safe(qid),
                safe(question.topic.label) if question else "—",
                question.type.label if question else "",
                stars[qid].astimezone(tz).strftime("%m-%d %H:%M"),
                _stem(question, qid),
            ]
        )
    return listing(columns, rows, width, "收藏的题(最近收藏的在前)")


def agenda_heading(agenda: Agenda, asked: int) -> str:
    counts = agenda.counts()
    parts = [f"{KIND_LABELS[k]} {n}" for k, n in counts.items() if n]
    head = f"复习 · 今天 {len(agenda.questions)} 题"
    if len(parts) > 1 or (parts and agenda.plan is not None):
        head += "(" + "、".join(parts) + ")"
    if asked < len(agenda.questions):
        head += f",本次 {asked} 题"
    if agenda.plan is not None:
        left = (agenda.plan.exam - agenda.today).days
        head += f" · 距考试 {left} 天"
    return head


# --- the plan ---------------------------------------------------------------------------------

BAR = 24


def plan_view(plan: Forecast, console: Console) -> RenderableType:
    """The day-by-day forecast up to the exam: a bar per day, the window marked, the verdict."""
    head = Text()
    left = (plan.exam - plan.today).days
    head.append(f"考试日期 {plan.exam.isoformat()}({weekday(plan.exam)}),还有 {left} 天", "bold")
    head.append(f"\n题库 {plan.bank} 题,没做过的 {plan.unseen} 题")
    head.append(f";每天上限 {plan.per_day} 题" if plan.per_day else ";未设每日上限(--per-day)")
    head.append(
        f"\n最后冲刺:{plan.window_start.strftime('%m-%d')} 起 {plan.window_days} 天"
        "(到考试的最后约 20%),每道题在这几天里至少再答对一次"
    )
    scale = max(plan.peak, plan.per_day or 0, 1)
    table = Table(box=None, pad_edge=False, show_header=True, padding=(0, 1))
    table.add_column("日期", no_wrap=True)
    table.add_column("题数", justify="right", no_wrap=True)
    table.add_column("", no_wrap=True, width=BAR)
    table.add_column("其中", no_wrap=True, overflow="ellipsis")
    for day in plan.days:
        mark = "▸" if day.day >= plan.window_start else " "
        label = Text(f"{day.day.strftime('%m-%d')} {weekday(day.day)}{mark}")
        if day.day == plan.today:
            label.stylize("bold")
        table.add_row(label, str(day.due), _bar(day.due, scale, plan.per_day), _parts(day))
    verdict = _verdict(plan)
    legend = Text("▸ 最后冲刺的日子;按每题都答对估算,答错的题第二天会再出现。", style="dim")
    return Group(panel(head, Text("复习计划", style="bold"), console), table, verdict, legend)


def _bar(count: int, scale: int, budget: int | None) -> Text:
    filled = round(count / scale * BAR) if count else 0
    text = Text("█" * filled, style="cyan")
    if budget is not None:
        mark = min(BAR - 1, max(0, round(budget / scale * BAR) - 1))
        if mark >= filled:
            text.append(" " * (mark - filled))
            text.append("┆", style="dim")
    return text


def _parts(day: DayPlan) -> str:
    parts = [
        f"{label} {n}"
        for label, n in (
            ("到期", len(day.reviews)),
            ("提前", len(day.early)),
            ("冲刺", len(day.final)),
            ("新题", len(day.new)),
        )
        if n
    ]
    if day.deferred:
        parts.append(f"顺延 {day.deferred}")
    return " ".join(parts)


def _verdict(plan: Forecast) -> Text:
    window = f"最后 {plan.window_days} 天"
    if plan.per_day is None:
        return Text.assemble(
            ("✓ ", "green"),
            f"按计划复习,考试前每道题都会在{window}里答对一次;最多的一天 {plan.peak} 题。",
        )
    if plan.covers:
        text = Text.assemble(
            ("✓ ", "green"),
            f"每天 {plan.per_day} 题够用:考试前每道题都会在{window}里答对一次。",
        )
    else:
        text = Text.assemble(
            ("✗ ", "red"),
            f"每天 {plan.per_day} 题不够:有 {len(plan.uncovered)} 题来不及在{window}里再答一次",
        )
        if plan.needed_per_day is not None:
            text.append(f";每天至少 {plan.needed_per_day} 题才够")
        text.append("。")
    if plan.late:
        text.append(f"\n有 {plan.late} 次复习因每日上限推迟了(已逾期的积压会在几天内补上)。")
    return text


def upcoming_view(later: Sequence[tuple[date, int]], today: date, due_today: int) -> Table:
    """Without an exam date: what FSRS brings back on each of the next days."""
    table = Table(title="接下来两周的复习", title_justify="left", box=None, pad_edge=False)
    table.add_column("日期", no_wrap=True)
    table.add_column("题数", justify="right", no_wrap=True)
    table.add_column("", no_wrap=True, width=BAR)
    counts = dict(later)
    counts[today] = due_today
    scale = max([*counts.values(), 1])
    for offset in range(14):
        day = date.fromordinal(today.toordinal() + offset)
        n = counts.get(day, 0)
        table.add_row(f"{day.strftime('%m-%d')} {weekday(day)}", str(n), _bar(n, scale, None))
    return table


def answer_text(question: Question) -> str:
    """The right answer with the options' text: ``B. 专项储存,专户管理`` / ``对``."""
    if question.type is QuestionType.JUDGE:
        return question.describe(question.answer)
    return ";".join(f"{k}. {question.option_text(k)}" for k in sorted(question.answer))
