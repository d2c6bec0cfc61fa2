"""A question on screen, its prompt, the feedback after an answer, and the exam's answer sheet.

Options are shown in the item's order (shuffled papers show other letters than the bank's);
everything the trainee reads uses the letters on screen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.console import Console, RenderableType
from rich.panel import Panel
from rich.text import Text

from ..qtypes import QuestionType
from ..records import Mode
from ..scoring import format_points
from ..session import Item
from .common import clock, field, label, panel

_CITES_LETTERS = re.compile(r"(?<![A-Za-z])[A-H](?![A-Za-z])")


def describe_shown(item: Item, bank_keys: frozenset[str]) -> str:
    """An answer in the letters on screen: ``C``, ``AD`` or ``对``."""
    return item.question.describe(item.to_shown(bank_keys))


def question_panel(
    item: Item,
    total: int,
    console: Console,
    *,
    mode: Mode = Mode.PRACTICE,
    time_left_s: float | None = None,
    flagged: bool = False,
    current: frozenset[str] | None = None,
) -> Panel:
    question = item.question
    body = field(question.stem)
    if question.type is QuestionType.JUDGE:
        body.append("\n\n")
        body.append("请判断:对 / 错", style="dim")
    else:
        body.append("\n")
        for key, text in item.shown_options:
            body.append("\n")
            body.append(f"{key}. ", style="bold")
            body.append_text(field(text))
    if current is not None:
        body.append("\n\n")
        body.append(
            f"已答:{describe_shown(item, current)}(输入新答案可修改,直接回车保留)", style="dim"
        )
    title = Text.assemble(
        (f"第 {item.index + 1}/{total} 题", "bold"),
        " · ",
        (question.type.label, "cyan"),
    )
    if mode is Mode.EXAM:
        title.append(f" · {format_points(item.points)} 分")
    if time_left_s is not None:
        style = "bold red" if time_left_s < 300 else "bold"
        title.append(" · ")
        title.append(f"剩余 {clock(time_left_s)}", style=style)
    if flagged:
        title.append(" · ")
        title.append("⚑已标记", style="yellow")
    title.append(" · ")
    title.append_text(label(question.topic.label))  # last: a long name is what gets cut
    return panel(body, title, console)


def prompt_text(item: Item, mode: Mode) -> Text:
    question = item.question
    if question.type is QuestionType.JUDGE:
        hint = "对/错"
    elif question.type is QuestionType.MULTIPLE:
        hint = "可多选,如 ACD"
    else:
        letters = item.shown_letters
        hint = f"{letters[0]}–{letters[-1]}"
    if mode is Mode.EXAM:
        keys = "s 跳过 p 上一题 m 标记 * 收藏 k 答题卡 q 交卷"
    else:
        keys = "* 收藏 q 结束" if mode is Mode.REVIEW else "* 收藏 q 退出"
    return Text.assemble(("你的答案", "bold"), (f"({hint};{keys}):", "dim"))


def exam_help() -> Text:
    return Text.assemble(
        ("答题卡操作:", "bold"),
        "输入答案作答(可随时修改);s 跳过本题(交卷前会再回来);题号(如 12)跳到该题;",
        "p 上一题;回车 下一题;m 标记/取消标记;* 收藏/取消收藏(考完可用 cmquiz starred 查看);",
        "k 查看答题卡;q 交卷。",
        "考试中数字用于跳题,判断题请用 对/错(或 t/f、√/×)作答。",
    )


def letters_note(item: Item, text: str | None) -> Text | None:
    """When options are shown shuffled and an explanation names option letters, which shown
    letter each of the bank's letters is."""
    if item.order is None or not text or not _CITES_LETTERS.search(text):
        return None
    return Text(f"(解析中的选项字母是原题字母:{item.letter_map()})", style="dim")


def answer_lines(item: Item, bank_keys: frozenset[str] | None) -> Text:
    """``B. 专项储存,专户管理`` (on-screen letters) / ``对`` / ``未作答``."""
    if bank_keys is None:
        return Text("未作答", style="dim")
    question = item.question
    if question.type is QuestionType.JUDGE:
        return Text(question.describe(bank_keys))
    shown = item.to_shown(bank_keys)
    text = Text()
    for i, (key, option) in enumerate(o for o in item.shown_options if o[0] in shown):
        if i:
            text.append("\n")
        text.append(f"{key}. ", style="bold")
        text.append_text(field(option))
    return text


def append_explanation(body: Text, item: Item, *, source: bool = True) -> None:
    """解析 (with the letter note when options are shown shuffled) and 出处, on new lines."""
    question = item.question
    if question.explanation:
        body.append("\n解析:", style="bold")
        body.append_text(field(question.explanation))
        note = letters_note(item, question.explanation)
        if note is not None:
            body.append("\n")
            body.append_text(note)
    if source and question.source:
        body.append("\n出处:", style="dim")
        body.append_text(field(question.source, "dim"))


def feedback(item: Item, given: frozenset[str], correct: bool, console: Console) -> RenderableType:
    """What practice shows right after an answer: verdict, key, 解析, 出处."""
    question = item.question
    body = Text()
    if not correct:
        body.append("你的答案:", style="bold")
        body.append(describe_shown(item, given))
        body.append("   ")
    body.append("正确答案:", style="bold")
    body.append(describe_shown(item, question.answer), style="green")
    if question.type is not QuestionType.JUDGE and not correct:
        body.append("\n")
        body.append_text(answer_lines(item, question.answer))
    append_explanation(body, item)
    title = (
        Text("✓ 回答正确", style="bold green") if correct else Text("✗ 回答错误", style="bold red")
    )
    return panel(body, title, console, border_style="green" if correct else "red")


def answer_sheet(
    total: int,
    answered: Sequence[int] | set[int],
    flagged: set[int],
    console: Console,
    *,
    current: int | None = None,
    time_left_s: float | None = None,
) -> Panel:
    """答题卡: every position, answered (●) or not (○), flagged (⚑), the current one in []."""
    answered = set(answered)
    body = Text()
    per_line = max(1, (min(console.width, 88) - 4) // 8)
    for index in range(total):
        if index and index % per_line == 0:
            body.append("\n")
        mark, style = ("●", "green") if index in answered else ("○", "yellow")
        cell = Text(f"{index + 1:>3}")
        cell.append(mark, style=style)
        cell.append("⚑" if index in flagged else " ", style="yellow")
        edges = ("[", "]") if index == current else (" ", " ")
        cell = Text.assemble(edges[0], cell, edges[1])
        body.append_text(cell)
    missing = total - len(answered)
    body.append("\n\n")
    body.append(f"已答 {len(answered)} 题", style="green")
    body.append(",")
    body.append(f"未答 {missing} 题", style="yellow" if missing else "")
    body.append(f",标记 {len(flagged)} 题")
    if time_left_s is not None:
        body.append(f",剩余时间 {clock(time_left_s)}")
    body.append("\n● 已答  ○ 未答  ⚑ 标记;输入题号可跳到该题", style="dim")
    return panel(body, Text("答题卡", style="bold"), console)
