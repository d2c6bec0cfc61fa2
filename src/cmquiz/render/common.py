"""Consoles, panels, CJK-aware wrapping, bars and the message lines every screen shares."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.segment import Segment
from rich.text import Text

from ..cjkwrap import break_offsets
from ..errors import CmquizError
from ..paths import bundled_banks_dir
from ..textclean import clip, shorten, strip_controls

PANEL_MAX_WIDTH = 88
BAR_WIDTH = 16


_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class SafeConsole(Console):
    """A console that removes terminal control characters from every piece of text it writes:
    the last edge before the terminal, whatever the text came from (a bank, a history line, a
    file name). The colour codes Rich adds for styles are produced after this and kept."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        cleaned = [
            Segment(_CONTROLS.sub("", s.text), s.style, s.control)
            if not s.control and _CONTROLS.search(s.text)
            else s
            for s in buffer
        ]
        return super()._render_buffer(cleaned)


def make_console(stderr: bool = False) -> Console:
    """A console bound to the current stdout/stderr (looked up at print time)."""
    return SafeConsole(stderr=stderr, highlight=False, soft_wrap=False, emoji=False)


def width_of(console: Console) -> int:
    return min(console.width, PANEL_MAX_WIDTH)


def safe(text: str | None, style: str = "") -> Text:
    """Text from a bank, a history or a file name, as literal text without control characters."""
    return Text(strip_controls(text or ""), style=style)


def field(text: str | None, style: str = "") -> Text:
    """A field shown in a panel (stem, option, explanation): ``safe``, and capped so a
    million-character field cannot flood the screen (``textclean.clip``)."""
    return safe(clip(text or ""), style)


def label(text: str | None, style: str = "", limit: int = 40) -> Text:
    """A name shown in a title or a table cell (a knowledge point, a bank title, a path),
    ``safe`` and shortened."""
    return safe(shorten(text or "", limit), style)


def wrap_text(text: Text, width: int) -> Text:
    """Break Chinese text between characters, not only at spaces (see ``cjkwrap``)."""
    lines: list[Text] = []
    for paragraph in text.split("\n", allow_blank=True):
        offsets = break_offsets(paragraph.plain, max(width, 2))
        pieces = paragraph.divide(offsets) if offsets else [paragraph]
        for piece in pieces:
            piece.rstrip()
            lines.append(piece)
    return Text("\n").join(lines)


def panel(body: Text, title: Text | str, console: Console, border_style: str = "none") -> Panel:
    """A question-width panel whose body is wrapped for Chinese."""
    width = width_of(console)
    return Panel(
        wrap_text(body, width - 4),
        title=title,
        title_align="left",
        box=box.ROUNDED,
        width=width,
        padding=(0, 1),
        border_style=border_style,
    )


def percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def bar(fraction: float, width: int = BAR_WIDTH) -> Text:
    """A plain block bar that reads the same with or without colour."""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    style = "green" if fraction >= 0.8 else "yellow" if fraction >= 0.6 else "red"
    return Text.assemble(("█" * filled, style), ("░" * (width - filled), "dim"))


def clock(seconds: float) -> str:
    """``5400`` -> ``90:00``; ``3725`` -> ``1:02:05``."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def duration(seconds: float) -> str:
    """``5400`` -> ``90 分钟``; ``75`` -> ``1 分 15 秒``."""
    whole = max(0, round(seconds))
    minutes, secs = divmod(whole, 60)
    if minutes and not secs:
        return f"{minutes} 分钟"
    return f"{minutes} 分 {secs} 秒" if minutes else f"{secs} 秒"


def display_path(path: str | None) -> str:
    """A bank path as users read it: relative to here, or the bare name of a bundled bank."""
    if not path:
        return ""
    resolved = Path(path).resolve()
    if resolved.parent == bundled_banks_dir().resolve():
        return resolved.name
    here = Path.cwd()
    if here != Path(here.anchor) and resolved.is_relative_to(here):
        return str(resolved.relative_to(here))
    return path


def error_text(error: CmquizError) -> Text:
    text = Text.assemble(("错误:", "bold red"), strip_controls(error.message))
    for line in error.details():
        text.append("\n" + strip_controls(line))
    return text


def warning_text(message: str) -> Text:
    return Text.assemble(("警告:", "yellow"), strip_controls(message))


def hint_text(label: str, command: str) -> Text:
    """``label`` then a command on its own line, ready to copy."""
    return Text.assemble(label, "\n  ", (command, "cyan"))


def say(console: Console, message: str | Text) -> None:
    """A message line, never broken by cmquiz (the terminal wraps it), so a command in it
    copies whole; control characters in it are removed."""
    text = message if isinstance(message, Text) else Text(strip_controls(message))
    console.print(text, soft_wrap=True)
