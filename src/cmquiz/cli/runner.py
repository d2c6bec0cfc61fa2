"""The interactive loop of a practice or exam run: ask, read, grade, record, repeat.

Every answer is appended to the history the moment it is given. However the run ends (all
answered, ``q``, end of input, Ctrl-C, SIGTERM, a closed pipe) the session record is written,
and Ctrl-C or SIGTERM arriving while an answer is being saved waits until it is saved whole.
"""

from __future__ import annotations

import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from types import FrameType
from typing import TYPE_CHECKING

from ..answers import AnswerFormatError, normalize_text, parse_typed
from ..errors import EXIT_INTERRUPTED
from ..history import HistoryStore, Mode, SessionStatus
from ..model import Question
from ..session import Session

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

QUIT_WORDS = frozenset({"q", "quit", "exit", "退出"})
EXIT_TERMINATED = 128 + signal.SIGTERM
# Signals that end a run like Ctrl-C does: SIGTERM, and SIGHUP when the terminal goes away.
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)
ReadLine = Callable[[str], str]


class EndOfInput(Exception):
    """Standard input ran out (or was closed) before the run was finished."""


class QuitRequested(Exception):
    """The user typed q."""


class Terminated(Exception):
    """SIGTERM or SIGHUP arrived (the process was asked to stop, the terminal was closed)."""


def read_stdin_line(prompt: str) -> str:
    """``input()`` with the prompt given to it, so line editing never erases the prompt."""
    if sys.stdin is None or sys.stdin.closed:
        raise EOFError
    return input(prompt)


def now() -> datetime:
    return datetime.now(UTC)


def _stdin_is_terminal() -> bool:
    return sys.stdin is not None and not sys.stdin.closed and sys.stdin.isatty()


def _line_editing() -> bool:
    """Arrow keys, history and backspace over Chinese characters at an interactive prompt."""
    if not _stdin_is_terminal():
        return False
    try:
        import readline  # noqa: F401
    except ImportError:  # Windows has no readline
        return False
    return True


def prompt_string(console: Console, text: Text, line_editing: bool) -> str:
    """The prompt as the terminal should receive it; colour codes are marked invisible for
    readline (\\001 ... \\002) so it measures the prompt's width right."""
    with console.capture() as capture:
        console.print(text, end="")
    rendered = capture.get()
    if line_editing:
        rendered = re.sub(r"(\x1b\[[0-9;]*m)", "\x01\\1\x02", rendered)
    return rendered


@contextmanager
def _signals_raise(handlers: dict[signal.Signals, Callable[[], BaseException]]) -> Iterator[None]:
    """Install handlers (main thread only) that raise the given exception; restore after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}

    def make(factory: Callable[[], BaseException]) -> Callable[[int, FrameType | None], None]:
        def handler(signum: int, frame: FrameType | None) -> None:
            raise factory()

        return handler

    for signum, factory in handlers.items():
        previous[signum] = signal.signal(signum, make(factory))
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while an answer is graded and written, then act on them: a
    record is either in the history whole or was never given."""
    if threading.current_thread() is not threading.main_thread():
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


def read_answer(
    console: Console, question: Question, read_line: ReadLine, line_editing: bool
) -> frozenset[str]:
    """Prompt until the input is a valid answer to this question; q quits; EOF ends the run."""
    from ..render import prompt_text

    prompt = prompt_string(console, prompt_text(question), line_editing)
    while True:
        try:
            line = read_line(prompt)
        except EOFError:
            console.print()
            raise EndOfInput from None
        if not _stdin_is_terminal():
            console.print(line, markup=False, highlight=False)  # a readable transcript
        if normalize_text(line).lower() in QUIT_WORDS:
            raise QuitRequested
        try:
            return parse_typed(question.type, question.letters, line)
        except AnswerFormatError as problem:
            console.print(f"[yellow]{problem}[/yellow]")


def run_session(
    session: Session,
    store: HistoryStore,
    console: Console,
    err: Console,
    *,
    show_feedback: bool,
    read_line: ReadLine | None = None,
) -> int:
    """Ask every question, append each answer to the history as it is given.

    Returns the exit code: 0 when the run ended normally (including ``q`` or end of input),
    130 after Ctrl-C, 143 after SIGTERM. The session record is written in every case.
    """
    from ..render import feedback, question_panel, run_report

    read = read_line or read_stdin_line
    line_editing = _line_editing()
    exit_code = 0
    ending = ""
    try:
        with _signals_raise(dict.fromkeys(STOP_SIGNALS, Terminated)):
            while (question := session.current) is not None:
                number = session.position + 1
                console.print(question_panel(question, number, len(session.questions), console))
                started = time.monotonic()
                given = read_answer(console, question, read, line_editing)
                elapsed = int((time.monotonic() - started) * 1000)
                with interrupts_deferred():
                    record = session.answer(given, now(), elapsed)
                    store.append(record)
                if show_feedback:
                    console.print(feedback(question, given, record.correct, console))
                else:
                    console.print()
    except QuitRequested:
        ending = "已退出"
    except EndOfInput:
        ending = "输入已结束"
    except KeyboardInterrupt:
        console.print()
        ending, exit_code = "已中断", EXIT_INTERRUPTED
    except Terminated:
        ending, exit_code = "已终止", EXIT_TERMINATED
    except BaseException:
        # Output went away (a closed pipe) or something unexpected: still close the session.
        with suppress(Exception), interrupts_deferred():
            store.append(session.finish(now()))
        raise
    with interrupts_deferred():
        final = session.finish(now())
        store.append(final)
    if final.status is SessionStatus.INTERRUPTED:
        err.print(
            f"{ending}:已答 {final.answered}/{final.questions} 题,答题记录已保存到 {store.path}",
            markup=False,
        )
    if final.answered or session.mode is Mode.EXAM:
        console.print(run_report(session.result(), session.seed, console))
    return exit_code
