"""Charts as inline SVG for the HTML report: exam scores against the pass mark, answers per day.

Pure functions from figures to markup (no I/O); every text is escaped. The charts are drawn in
a fixed coordinate space (``viewBox``) and scale with the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape

WIDTH = 760
HEIGHT = 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 14, 30
PASS_COLOUR = "#2e7d32"
FAIL_COLOUR = "#c62828"
NEUTRAL_COLOUR = "#1565c0"
GRID_COLOUR = "#e0e0e0"
MARK_COLOUR = "#6d6d6d"


@dataclass(frozen=True)
class ScorePoint:
    """One exam (or one day's exams) on the score chart: percents of the paper's maximum."""

    when: datetime | date
    percent: float
    pass_percent: float | None
    passed: bool | None
    label: str  # the tooltip
    low: float | None = None  # a day's lowest and highest score, drawn as a bar
    high: float | None = None


def _y(percent: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - max(0.0, min(100.0, percent)) / 100)


def _grid() -> list[str]:
    parts = []
    for p in range(0, 101, 20):
        y = _y(p)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="axis">{p}%</text>'
        )
    return parts


def _colour(passed: bool | None) -> str:
    if passed is None:
        return NEUTRAL_COLOUR
    return PASS_COLOUR if passed else FAIL_COLOUR


def score_chart(points: Sequence[ScorePoint], title: str) -> str:
    """Scores left to right in time order, joined by a line; each point's pass mark as a dashed
    tick at its own height (papers differ); a point's colour says passed, failed or no mark."""
    inner = WIDTH - LEFT - RIGHT
    step = inner / max(1, len(points))
    xs = [LEFT + step * (i + 0.5) for i in range(len(points))]
    parts = [_open(title), *_grid()]
    half = min(14.0, step * 0.4)
    for x, point in zip(xs, points, strict=True):
        if point.pass_percent is not None:
            y = _y(point.pass_percent)
            parts.append(
                f'<line x1="{x - half:.1f}" y1="{y:.1f}" x2="{x + half:.1f}" y2="{y:.1f}" '
                f'stroke="{MARK_COLOUR}" stroke-width="2" stroke-dasharray="4 2" class="pass"/>'
            )
        if point.low is not None and point.high is not None:
            parts.append(
                f'<line x1="{x:.1f}" y1="{_y(point.low):.1f}" x2="{x:.1f}" '
                f'y2="{_y(point.high):.1f}" stroke="{_colour(point.passed)}" '
                'stroke-opacity="0.35" stroke-width="3"/>'
            )
    if len(points) > 1:
        line = " ".join(f"{x:.1f},{_y(p.percent):.1f}" for x, p in zip(xs, points, strict=True))
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="{NEUTRAL_COLOUR}" '
            'stroke-opacity="0.5" stroke-width="1.5"/>'
        )
    radius = 4.5 if len(points) <= 60 else 3
    for x, point in zip(xs, points, strict=True):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{_y(point.percent):.1f}" r="{radius}" '
            f'fill="{_colour(point.passed)}" class="score"><title>{escape(point.label)}</title>'
            "</circle>"
        )
    parts += _date_labels([p.when for p in points], xs)
    parts.append("</svg>")
    return "".join(parts)


def _open(title: str) -> str:
    return (
        f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
        f'class="chart"><title>{escape(title)}</title>'
    )


def _date_labels(whens: Sequence[datetime | date], xs: Sequence[float]) -> list[str]:
    if not whens:
        return []
    every = max(1, len(whens) // 8)
    parts = []
    for i in range(0, len(whens), every):
        when = whens[i]
        day = when.astimezone().date() if isinstance(when, datetime) else when
        parts.append(
            f'<text x="{xs[i]:.1f}" y="{HEIGHT - 10}" text-anchor="middle" class="axis">'
            f"{day:%m-%d}</text>"
        )
    return parts


def activity_chart(days: Sequence[tuple[date, int]], title: str) -> str:
    """Answers per day as bars, one a day (empty days stay empty)."""
    inner = WIDTH - LEFT - RIGHT
    step = inner / max(1, len(days))
    peak = max((n for _, n in days), default=0) or 1
    parts = [_open(title)]
    base = HEIGHT - BOTTOM
    for tick in (0.5, 1.0) if peak >= 2 else (1.0,):
        y = base - (base - TOP) * tick
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{GRID_COLOUR}"/><text x="{LEFT - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end" class="axis">{round(peak * tick)}</text>'
        )
    parts.append(
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="{MARK_COLOUR}"/>'
    )
    xs = []
    for i, (day, n) in enumerate(days):
        x = LEFT + step * i
        xs.append(x + step / 2)
        if n:
            h = (base - TOP) * n / peak
            parts.append(
                f'<rect x="{x + step * 0.15:.1f}" y="{base - h:.1f}" width="{step * 0.7:.1f}" '
                f'height="{h:.1f}" fill="{PASS_COLOUR}" class="day"><title>{day:%Y-%m-%d}:'
                f"{n} 题</title></rect>"
            )
    parts += _date_labels([d for d, _ in days], xs)
    parts.append("</svg>")
    return "".join(parts)


def bar(fraction: float | None, colour: str | None = None) -> str:
    """A horizontal percentage bar (a CSS box, not SVG: it flows inside a table cell)."""
    if fraction is None:
        return ""
    value = max(0.0, min(1.0, fraction))
    fill = colour or (PASS_COLOUR if value >= 0.8 else "#f9a825" if value >= 0.6 else FAIL_COLOUR)
    return (
        f'<span class="bar"><span style="width:{value * 100:.1f}%;background:{fill}"></span></span>'
    )
