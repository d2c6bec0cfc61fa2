"""Charts drawn with characters: exam scores against the pass mark, and daily activity.

Both read the same without colour (NO_COLOR): a passed exam is ``●``, a failed one ``○``, the
pass mark ``─``; a day without answers is ``·``. Widths are in terminal columns.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from ..activity import Activity
from ..stats import ExamRow

CHART_ROWS = 10  # 10 percentage points a row
SPARKS = "▁▂▃▄▅▆▇█"
AXIS = 6  # "100% ┤"


def score_chart(exams: Sequence[ExamRow], width: int) -> Text:
    """Exam scores (percent of each paper's maximum) over time, oldest left, with each exam's
    pass mark; as many of the latest exams as fit in ``width``."""
    column = 3
    fits = max(1, (width - AXIS - 1) // column)
    shown = list(exams)[-fits:]
    lines: list[Text] = []
    for row in range(CHART_ROWS, -1, -1):
        line = Text(f"{row * 10:>3}% ", style="dim")
        line.append("┤" if row % 5 == 0 else "│", style="dim")
        for exam in shown:
            score_row = round(exam.fraction * CHART_ROWS)
            pass_row = (
                None if exam.pass_fraction is None else round(exam.pass_fraction * CHART_ROWS)
            )
            fill = "─" if pass_row == row else " "
            if score_row == row:
                mark, style = _mark(exam)
                line.append(fill)
                line.append(mark, style=style)
                line.append(fill)
            else:
                line.append(fill * column, style="dim")
        lines.append(line)
    axis = Text(" " * (AXIS - 1) + "└" + "─" * (column * len(shown)), style="dim")
    lines.append(axis)
    if shown:
        first = f"{shown[0].ended.astimezone():%m-%d}"
        last = f"{shown[-1].ended.astimezone():%m-%d}"
        span = column * len(shown)
        labels = (
            first
            if len(shown) == 1 or span < len(first) + len(last) + 1
            else (first + " " * (span - len(first) - len(last)) + last)
        )
        lines.append(Text(" " * AXIS + labels, style="dim"))
    return Text("\n").join(lines)


def _mark(exam: ExamRow) -> tuple[str, str]:
    if exam.passed is None:
        return "◆", "cyan"
    return ("●", "green") if exam.passed else ("○", "red")


def activity_line(activity: Activity, width: int) -> Text:
    """One character a day, answers per day as a bar height (``·`` for none), the first and
    last day under it; as many of the window's last days as fit."""
    days = activity.window()[-max(1, width - 2) :]
    peak = max((d.answers for d in days), default=0)
    line = Text()
    for day in days:
        if day.answers == 0:
            line.append("·", style="dim")
        else:
            level = min(len(SPARKS) - 1, (day.answers * len(SPARKS) - 1) // max(peak, 1))
            line.append(SPARKS[level], style="green")
    text = Text.assemble(line)
    if days:
        first, last = f"{days[0].day:%m-%d}", f"{days[-1].day:%m-%d}"
        gap = len(days) - len(first) - len(last)
        under = first + " " * gap + last if gap >= 1 else first
        text.append("\n" + under, style="dim")
    return text
