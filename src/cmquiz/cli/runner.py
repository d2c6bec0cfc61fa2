"""The interactive loops: practice (ask, feedback, next) and the exam's answer sheet.

Every record goes to the history the moment it exists: the start record before the first
question, each answer and flag as it is given, the end record however the run ends (handed in,
time up, ``q``, end of input, Ctrl-C, SIGTERM, a closed pipe). A record that cannot be written
(a full disk) is kept in memory and the trainee is asked to retry or to save it elsewhere.
"""

from __future__ import annotations

import time
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..answers import AnswerFormatError, normalize_text, parse_typed
from ..errors import EXIT_INTERRUPTED
from ..history import HistoryStore, HistoryWriteError, encode
from ..qtypes import QuestionType
from ..records import Record, Status
from ..session import Item, Session
from . import prompting
from .prompting import (
    EXIT_TERMINATED,
    Clock,
    EndOfInput,
    ReadLine,
    Terminated,
    interrupts_deferred,
    line_editing,
    prompt_string,
    read_line,
    stdin_is_terminal,
    stop_signals_raise,
)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

QUIT_WORDS = frozenset({"q", "quit", "exit", "退出", "交卷"})
STAR_WORDS = frozenset({"*", "＊", "收藏"})
YES_WORDS = frozenset({"y", "yes", "是", "交卷", "确定", "好"})
NO_WORDS = frozenset({"n", "no", "否", "不", "取消", "返回"})


@dataclass
class Saver:
    """Writes records to the history; when a write fails the record stays here until it is
    written (retry) or saved to another file, and the trainee is told at once."""

    store: HistoryStore
    console: Console
    read: ReadLine
    pending: list[bytes] = field(default_factory=list)

    def save(self, record: Record) -> None:
        self.pending.append(encode(record))
        self.flush()

    def flush(self) -> None:
        while self.pending:
            try:
                with interrupts_deferred():
                    self.store.append_bytes(self.pending[0])
                    self.pending.pop(0)
            except HistoryWriteError as error:
                self._ask(error)

    def _ask(self, error: HistoryWriteError) -> None:
        from ..render.common import error_text, say

        say(self.console, error_text(error))
        say(
            self.console,
            f"还有 {len(self.pending)} 条答题记录没有保存,它们仍在内存中。"
            "输入 r 重试,或输入一个文件路径把它们另存到那里:",
        )
        try:
            answer = normalize_text(self.read("> "))
        except (EOFError, KeyboardInterrupt):
            answer = ""
        if answer.lower() in ("r", "retry", "重试"):
            return
        self.save_elsewhere(Path(answer).expanduser() if answer else None)

    def save_elsewhere(self, target: Path | None) -> None:
        """Append the pending records to ``target`` (or a file beside the history, else in the
        temporary folder) and say where they are."""
        import tempfile

        candidates = [target] if target else []
        candidates += [
            self.store.path.with_name(f"history-unsaved-{int(time.time())}.jsonl"),
            Path(tempfile.gettempdir()) / f"cmquiz-unsaved-{int(time.time())}.jsonl",
        ]
        for path in candidates:
            try:
                with open(path, "ab") as f:
                    f.write(b"".join(self.pending))
                    f.flush()
            except OSError:
                continue
            from ..render.common import say

            say(
                self.console,
                f"未保存的 {len(self.pending)} 条记录已另存到 {path};"
                f"空间恢复后可把它追加到 {self.store.path} 末尾",
            )
            self.pending.clear()
            return
        raise HistoryWriteError("答题记录无法保存到任何位置;请检查磁盘空间后重试")


def _read_stdin(prompt: str) -> str:
    return prompting.read_stdin_line(prompt)


def _now() -> datetime:
    return prompting.now()


@dataclass
class Loop:
    """What a loop needs from the shell: where to write, how to read, what time it is."""

    session: Session
    store: HistoryStore
    console: Console
    err: Console
    read: ReadLine = field(default_factory=lambda: _read_stdin)
    clock: Clock = field(default_factory=lambda: _now)
    stars: set[str] = field(default_factory=set)  # the starred question ids (``*`` toggles)
    saver: Saver = field(init=False)

    def __post_init__(self) -> None:
        self.saver = Saver(self.store, self.console, self.read)
        self.editing = line_editing()
        self.echo = not stdin_is_terminal()

    def ask(self, prompt: str, seconds: float | None = None) -> str:
        return read_line(self.console, self.read, prompt, echo=self.echo, seconds=seconds)

    def rendered(self, text: Text) -> str:
        return prompt_string(self.console, text, self.editing)

    def close(self, status: Status) -> None:
        with interrupts_deferred():
            end = self.session.finish(self.clock(), status)
        self.saver.save(end)

    def toggle_star(self, qid: str) -> None:
        """``*`` at a prompt: star the question on screen, or unstar it; a record either way."""
        toggle_star(self.saver, self.stars, qid, self.clock())
        self.console.print(
            f"已收藏 {qid}" if qid in self.stars else f"已取消收藏 {qid}", markup=False
        )


def toggle_star(saver: Saver, stars: set[str], qid: str, at: datetime) -> bool:
    """Write the star record that flips ``qid`` and update ``stars``; True when now starred."""
    from ..learning_records import StarRecord

    starred = qid not in stars
    with interrupts_deferred():
        saver.save(StarRecord(qid, starred, at))
    if starred:
        stars.add(qid)
    else:
        stars.discard(qid)
    return starred


def typed_answer(item: Item, line: str) -> frozenset[str]:
    """What was typed, in the bank's letters; AnswerFormatError says why it is not an answer."""
    shown = parse_typed(item.question.type, item.shown_letters, line)
    return item.to_bank(shown)


# --- practice ---------------------------------------------------------------------------------


def run_practice(loop: Loop, *, confirm_single: bool = True) -> tuple[int, str]:
    """Ask every question in order, feedback after each. Returns (exit code, how it ended)."""
    from ..render.quiz import feedback, prompt_text, question_panel

    session = loop.session
    console = loop.console
    exit_code, ending = 0, ""
    status = Status.INTERRUPTED
    try:
        with stop_signals_raise():
            for item in session.items:
                console.print(question_panel(item, len(session.items), console, mode=session.mode))
                prompt = loop.rendered(prompt_text(item, session.mode))
                started = time.monotonic()
                given = _practice_answer(loop, item, prompt, confirm_single)
                elapsed = int((time.monotonic() - started) * 1000)
                with interrupts_deferred():
                    record = session.answer(item.index, given, loop.clock(), elapsed)
                loop.saver.save(record)
                console.print(feedback(item, given, record.correct, console))
            status = Status.COMPLETED
    except _Quit:
        ending = "已退出"
    except EndOfInput:
        ending = "输入已结束"
    except KeyboardInterrupt:
        console.print()
        ending, exit_code = "已中断", EXIT_INTERRUPTED
    except Terminated:
        ending, exit_code = "已终止", EXIT_TERMINATED
    except BaseException:
        with suppress(Exception):
            loop.close(Status.INTERRUPTED)
        raise
    loop.close(status)
    return exit_code, ending


class _Quit(Exception):
    """The trainee typed q."""


def _practice_answer(loop: Loop, item: Item, prompt: str, confirm_single: bool) -> frozenset[str]:
    while True:
        line = loop.ask(prompt)
        if normalize_text(line).lower() in QUIT_WORDS:
            raise _Quit
        if normalize_text(line) in STAR_WORDS:
            loop.toggle_star(item.question.id)
            continue
        try:
            given = typed_answer(item, line)
        except AnswerFormatError as problem:
            loop.console.print(f"[yellow]{problem}[/yellow]")
            continue
        if confirm_single and item.question.type is QuestionType.MULTIPLE and len(given) == 1:
            shown = next(iter(item.to_shown(given)))
            reply = loop.ask(
                loop.rendered(confirm_text(f"多选题至少选两个,确定只选 {shown}?(y/N):"))
            )
            if normalize_text(reply).lower() not in YES_WORDS:
                continue
        return given


def confirm_text(text: str) -> Text:
    from rich.text import Text

    return Text(text, style="bold")
