"""Reading a line at a prompt, and the signals around it.

- ``read_stdin_line`` passes the prompt to ``input()``, so line editing never erases it;
- Ctrl-C and SIGTERM are held while a record is written (``interrupts_deferred``), so a record is
  either in the history whole or was never given;
- SIGTERM and SIGHUP (a closed terminal) end a run like Ctrl-C (``stop_signals_raise``);
- an exam's deadline interrupts a prompt that is waiting (``deadline``, SIGALRM where the
  platform has it; elsewhere the time is checked when the answer comes in).
"""

from __future__ import annotations

import re
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

EXIT_TERMINATED = 128 + signal.SIGTERM
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)
ReadLine = Callable[[str], str]
Clock = Callable[[], datetime]


class EndOfInput(Exception):
    """Standard input ran out (or was closed)."""


class Terminated(Exception):
    """SIGTERM or SIGHUP arrived (the process was asked to stop, the terminal was closed)."""


class DeadlinePassed(Exception):
    """The exam's time ran out while the prompt was waiting."""


def now() -> datetime:
    return datetime.now(UTC)


def read_stdin_line(prompt: str) -> str:
    """``input()`` with the prompt given to it, so line editing never erases the prompt."""
    if sys.stdin is None or sys.stdin.closed:
        raise EOFError
    return input(prompt)


def read_line_prompt_on_stderr(prompt: str) -> str:
    """For ``--json`` runs: the prompt goes to stderr, so stdout holds nothing but the JSON."""
    if sys.stdin is None or sys.stdin.closed:
        raise EOFError
    sys.stderr.write(prompt)
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\n")


def stdin_is_terminal() -> bool:
    return sys.stdin is not None and not sys.stdin.closed and sys.stdin.isatty()


def line_editing() -> bool:
    """Arrow keys, history and backspace over Chinese characters at an interactive prompt."""
    if not stdin_is_terminal():
        return False
    try:
        import readline  # noqa: F401
    except ImportError:  # Windows has no readline
        return False
    return True


def prompt_string(console: Console, text: Text, editing: bool) -> str:
    """The prompt as the terminal should receive it; colour codes are marked invisible for
    readline (\\001 ... \\002) so it measures the prompt's width right."""
    with console.capture() as capture:
        console.print(text, end="")
    rendered = capture.get()
    if editing:
        rendered = re.sub(r"(\x1b\[[0-9;]*m)", "\x01\\1\x02", rendered)
    return rendered


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextmanager
def stop_signals_raise() -> Iterator[None]:
    """SIGTERM and SIGHUP raise Terminated while the block runs (main thread only)."""
    if not _main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        raise Terminated

    previous = {sig: signal.signal(sig, handler) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old if old is not None else signal.SIG_DFL)


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while a record is written, then act on them."""
    if not _main_thread():
        yield
        return
    caught: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    previous = {sig: signal.signal(sig, hold) for sig in (signal.SIGINT, *STOP_SIGNALS)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            fallback = signal.default_int_handler if sig == signal.SIGINT else signal.SIG_DFL
            signal.signal(sig, handler if handler is not None else fallback)
    if signal.SIGINT in caught:
        raise KeyboardInterrupt
    if any(sig in caught for sig in STOP_SIGNALS):
        raise Terminated


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise DeadlinePassed in the block once ``seconds`` have passed (SIGALRM; main thread)."""
    if seconds is None or not hasattr(signal, "setitimer") or not _main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        raise DeadlinePassed

    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)


def read_line(
    console: Console, read: ReadLine, prompt: str, *, echo: bool, seconds: float | None = None
) -> str:
    """One line from the user; EndOfInput at the end of input, DeadlinePassed at the deadline.
    With piped input the line is echoed so the transcript reads like a session."""
    try:
        with deadline(seconds):
            line = read(prompt)
    except EOFError:
        console.print()
        raise EndOfInput from None
    if echo:
        console.print(line, markup=False, highlight=False)
    return line
