"""The progress bar of long work (``cmquiz.progress``): on stderr, only when it is a terminal,
never with ``--json``; it appears when a stage has run for a moment (a short job never flashes
one), or at once for a large step whose length is unknown, and it leaves the screen when done."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

DELAY_S = 0.4  # a stage running longer than this shows a bar


class TerminalProgress:
    """A ``progress.Listener`` that draws one Rich progress bar on ``console``."""

    def __init__(self, console: Console | None = None, delay: float = DELAY_S) -> None:
        self.console = console
        self.delay = delay
        self.stage: str | None = None
        self.since = time.monotonic()
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if stage != self.stage:
            self.stage, self.since = stage, now
        finished = total is not None and done >= total
        if self.bar is None:
            if finished or (total is not None and now - self.since < self.delay):
                return
            self._open()
        self.bar.update(self.task, description=stage, completed=done, total=total)
        if finished:
            self.close()

    def _open(self) -> None:
        from rich.progress import (
            BarColumn,
            Progress,
            SpinnerColumn,
            TaskProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )

        from ..render.common import make_console

        console = self.console or make_console(stderr=True)
        self.bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self.bar.start()
        self.task = self.bar.add_task(self.stage or "", total=None)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


@contextmanager
def progress_shown(as_json: bool) -> Iterator[None]:
    """Long work inside shows a bar on stderr when it is a terminal (and not ``--json``)."""
    if as_json or not sys.stderr.isatty():
        yield
        return
    from ..progress import reporting

    listener = TerminalProgress()
    try:
        with reporting(listener):
            yield
    finally:
        listener.close()
