"""The exam's answer sheet: answer, skip, go back, jump, flag, star, show the sheet, and hand
in after a confirmation; the time limit ends the exam even while the prompt waits.

Records are written through the run's ``Loop`` (``runner``) the moment they exist.
"""

from __future__ import annotations

import time
from contextlib import suppress
from dataclasses import dataclass

from ..answers import AnswerFormatError, normalize_text
from ..errors import EXIT_INTERRUPTED
from ..records import Mode, Status
from ..session import Session, TimeUpError
from .prompting import (
    EXIT_TERMINATED,
    DeadlinePassed,
    EndOfInput,
    Terminated,
    interrupts_deferred,
    stop_signals_raise,
)
from .runner import NO_WORDS, QUIT_WORDS, YES_WORDS, Loop, confirm_text, typed_answer


@dataclass(frozen=True)
class _Command:
    kind: str  # answer | skip | prev | next | jump | flag | star | sheet | quit | help
    text: str = ""
    number: int = 0


_COMMANDS = {
    "s": "skip",
    "跳过": "skip",
    "p": "prev",
    "上一题": "prev",
    "m": "flag",
    "标记": "flag",
    "*": "star",
    "＊": "star",
    "收藏": "star",
    "k": "sheet",
    "答题卡": "sheet",
    "?": "help",
    "h": "help",
    "帮助": "help",
}


def parse_exam_input(line: str) -> _Command:
    word = normalize_text(line).lower()
    if not word:
        return _Command("next")
    if word in QUIT_WORDS:
        return _Command("quit")
    if word in _COMMANDS:
        return _Command(_COMMANDS[word])
    if word.isdigit():
        return _Command("jump", number=int(word) if len(word) < 7 else 0)
    return _Command("answer", text=line)


def run_exam(loop: Loop) -> tuple[int, str]:
    """The answer sheet: answer, skip, go back, jump, flag; hand in with confirmation; the time
    limit ends the exam even while the prompt waits. Returns (exit code, how it ended)."""
    exit_code, ending = 0, ""
    try:
        with stop_signals_raise():
            status = _exam_loop(loop)
    except _LeftWithoutHandingIn:
        loop.console.print()
        ending, exit_code, status = "已中断", EXIT_INTERRUPTED, Status.INTERRUPTED
    except Terminated:
        ending, exit_code, status = "已终止", EXIT_TERMINATED, Status.INTERRUPTED
    except BaseException:
        with suppress(Exception):
            loop.close(Status.INTERRUPTED)
        raise
    if status is Status.TIMED_OUT:
        loop.console.print("[bold red]时间到,已自动交卷。[/bold red]")
    loop.close(status)
    return exit_code, ending


class _LeftWithoutHandingIn(Exception):
    """Ctrl-C at the hand-in question: leave, the exam stays resumable."""


@dataclass
class _Cursor:
    """Where the exam is: the item on screen, and whether to draw its panel again."""

    index: int
    show: bool = True


def _exam_loop(loop: Loop) -> Status:
    session = loop.session
    cursor = _Cursor(session.cursor)
    while True:
        try:
            ended = _exam_step(loop, cursor)
        except (EndOfInput, KeyboardInterrupt) as stop:
            if isinstance(stop, KeyboardInterrupt):
                loop.console.print()
            ended = _go_to(
                session, cursor, _hand_in(loop, cursor.index, isinstance(stop, EndOfInput))
            )
        if ended is not None:
            return ended


def _go_to(session: Session, cursor: _Cursor, decided: Status | int | None) -> Status | None:
    """Act on the answer to the hand-in question."""
    if isinstance(decided, Status):
        return decided
    cursor.index = _first_open(session, cursor.index) if decided is None else decided
    cursor.show = True
    return None


def _exam_step(loop: Loop, cursor: _Cursor) -> Status | None:
    """Show the item (unless only a message was printed), read one line, act on it."""
    from ..render.quiz import exam_help, prompt_text, question_panel

    session = loop.session
    console = loop.console
    total = len(session.items)
    index = cursor.index
    moment = loop.clock()
    if session.expired(moment):
        return Status.TIMED_OUT
    item = session.items[index]
    left = session.time_left_s(moment)
    if cursor.show:
        console.print(
            question_panel(
                item,
                total,
                console,
                mode=Mode.EXAM,
                time_left_s=left,
                flagged=index in session.flags,
                current=session.given.get(index),
            )
        )
    cursor.show = False  # a message keeps the panel above it; moving on shows the next one
    started = time.monotonic()
    try:
        line = loop.ask(loop.rendered(prompt_text(item, Mode.EXAM)), left)
    except DeadlinePassed:
        console.print()
        return Status.TIMED_OUT
    if session.expired(loop.clock()):
        console.print("[yellow]时间已到,这一题的答案没有记录。[/yellow]")
        return Status.TIMED_OUT
    command = parse_exam_input(line)
    if command.kind == "answer":
        try:
            given = typed_answer(item, command.text)
        except AnswerFormatError as problem:
            console.print(f"[yellow]{problem}[/yellow]")
            return None
        elapsed = int((time.monotonic() - started) * 1000)
        try:
            with interrupts_deferred():
                record = session.answer(index, given, loop.clock(), elapsed)
        except TimeUpError:
            console.print("[yellow]时间已到,这一题的答案没有记录。[/yellow]")
            return Status.TIMED_OUT
        loop.saver.save(record)
        following = session.next_unanswered(index)
        if following is None:
            return _go_to(session, cursor, _hand_in(loop, index, False))
        cursor.index, cursor.show = following, True
    elif command.kind == "next":
        if index not in session.given:
            console.print("[yellow]请输入答案;s 跳过本题,? 查看操作说明[/yellow]")
            return None
        cursor.index, cursor.show = (index + 1) % total, True
    elif command.kind == "skip":
        following = session.next_unanswered(index)
        if following is None or following == index:
            console.print("[yellow]这是最后一道未答的题;输入 q 交卷[/yellow]")
            return None
        cursor.index, cursor.show = following, True
    elif command.kind == "prev":
        if index == 0:
            console.print("[yellow]已经是第 1 题[/yellow]")
            return None
        cursor.index, cursor.show = index - 1, True
    elif command.kind == "jump":
        if not 1 <= command.number <= total:
            console.print(f"[yellow]没有这道题;题号为 1–{total}[/yellow]")
            return None
        cursor.index, cursor.show = command.number - 1, True
    elif command.kind == "flag":
        with interrupts_deferred():
            flag = session.toggle_flag(index, loop.clock())
        loop.saver.save(flag)
        console.print(f"第 {index + 1} 题{'已标记' if flag.flagged else '已取消标记'}")
    elif command.kind == "star":
        loop.toggle_star(item.question.id)
    elif command.kind == "sheet":
        _show_sheet(loop, index)
    elif command.kind == "help":
        console.print(exam_help())
    elif command.kind == "quit":
        return _go_to(session, cursor, _hand_in(loop, index, False))
    return None


def _show_sheet(loop: Loop, index: int) -> None:
    from ..render.quiz import answer_sheet

    session = loop.session
    loop.console.print(
        answer_sheet(
            len(session.items),
            set(session.given),
            session.flags,
            loop.console,
            current=index,
            time_left_s=session.time_left_s(loop.clock()),
        )
    )


def _first_open(session: Session, index: int) -> int:
    following = session.next_unanswered(index - 1)
    return index if following is None else following


def _hand_in(loop: Loop, index: int, end_of_input: bool) -> Status | int | None:
    """Show the sheet and ask to hand in. Returns the status to end with, an item to go to (a
    number was typed), or None to go back to the first open item. End of input hands in;
    Ctrl-C leaves without handing in (the exam can be resumed)."""

    session = loop.session
    console = loop.console
    total = len(session.items)
    moment = loop.clock()
    _show_sheet(loop, index)
    missing = len(session.unanswered())
    flagged = f",另有 {len(session.flags)} 题已标记" if session.flags else ""
    if end_of_input:
        console.print(f"输入已结束:交卷(未答 {missing} 题按 0 分计)。", markup=False)
        return Status.COMPLETED
    if missing:
        question = f"还有 {missing} 题未答{flagged},确定交卷? (y/N,输入题号可返回该题):"
        default_yes = False
    else:
        question = f"已全部作答{flagged},确定交卷? (Y/n,输入题号可返回检查):"
        default_yes = True
    try:
        reply = loop.ask(loop.rendered(confirm_text(question)), session.time_left_s(moment))
    except EndOfInput:
        return Status.COMPLETED
    except DeadlinePassed:
        console.print()
        return Status.TIMED_OUT
    except KeyboardInterrupt:
        raise _LeftWithoutHandingIn from None
    word = normalize_text(reply).lower()
    if word.isdigit() and len(word) < 7 and 1 <= int(word) <= total:
        return int(word) - 1
    if word in YES_WORDS or (default_yes and word not in NO_WORDS):
        return Status.COMPLETED
    return None
