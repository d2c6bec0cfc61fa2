"""The next step ``cmquiz stats`` suggests: one thing to do, and the command that does it."""

from __future__ import annotations

from datetime import date, timedelta, tzinfo

from .activity import day_of
from .statsreport import NextStep, StatsReport, TopicRow

WEAK = 0.6  # below this a knowledge point is weak
GOOD = 0.8  # at or above this it is in hand
MIN_TRIED = 3  # answers before a knowledge point's accuracy is taken seriously
EXAM_DUE_DAYS = 7  # suggest an exam when the last one is older than this


def next_step(
    report: StatsReport, unfinished_exam: bool, today: date, tz: tzinfo | None = None
) -> NextStep:
    """The one thing to do next: finish an exam left open; else practise the weakest knowledge
    point (below ``WEAK`` after ``MIN_TRIED`` answers); else one never practised; else one not
    yet in hand (below ``GOOD``); else take an exam when none was taken in the last
    ``EXAM_DUE_DAYS`` days; else keep practising."""
    if unfinished_exam:
        return NextStep("有一场考试还没交卷,接着答完", ("exam", "--resume"))
    patterns = report.filter.topics
    scope: tuple[str, ...] = tuple(a for p in patterns for a in ("--topic", p))
    if report.answered == 0 and not report.unpractised:
        return NextStep("还没有答题记录,先按知识点练习", ("practice", *scope))
    tried = [row for row in report.by_topic if row.answered >= MIN_TRIED]
    weakest = tried[0] if tried else None
    if weakest is not None and weakest.accuracy < WEAK:
        return _practise(weakest, "最薄弱")
    if report.unpractised:
        first = report.unpractised[0]
        return NextStep(
            f"还有 {len(report.unpractised)} 个知识点没练过,从“{first.topic.label}”开始",
            ("practice", "--topic", first.topic.handle),
        )
    if weakest is not None and weakest.accuracy < GOOD:
        return _practise(weakest, "还没掌握")
    if report.by_topic and not tried:
        return NextStep("每个知识点都只答过一两题,多练几题", ("practice", *scope))
    finished = [e for e in report.exams if e.finished]
    recent = finished and day_of(finished[-1].ended, tz) > today - timedelta(EXAM_DUE_DAYS)
    if not recent:
        why = "各知识点正确率都在 80% 以上" if report.by_topic else "还没有考过试"
        return NextStep(f"{why},做一次模拟考试检验", ("exam", *scope))
    return NextStep("保持节奏:今天再练一组题", ("practice", *scope))


def _practise(row: TopicRow, how: str) -> NextStep:
    return NextStep(
        f"{how}的知识点是“{row.topic.label}”(正确率 {row.accuracy:.0%}),先练它",
        ("practice", "--topic", row.topic.handle),
    )
