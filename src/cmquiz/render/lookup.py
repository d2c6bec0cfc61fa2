"""Search results (the matching words highlighted) and one question shown whole (``show`` and
``browse``: stem, options with the right ones marked, answer, explanation, evidence, source)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from ..model import Question
from ..qtypes import QuestionType
from ..search import FieldMatch, Hit
from .common import display_path, panel, safe

HIGHLIGHT = "bold reverse"
CONTEXT = 24  # characters shown before the first match of a long field


def _highlighted(match: FieldMatch, width: int) -> Text:
    """The field's text with the matches highlighted; a long one starts a little before its
    first match (``…``) and is cut at the line's end."""
    text = safe(match.text.replace("\n", " "))
    for start, end in match.spans:
        text.stylize(HIGHLIGHT, start, end)
    first = match.spans[0][0] if match.spans else 0
    if first > CONTEXT and text.cell_len > width:
        text = Text("…") + text[first - CONTEXT // 2 :]
    text.truncate(width, overflow="ellipsis")
    return text


def search_results(hits: Sequence[Hit], width: int) -> RenderableType:
    parts: list[RenderableType] = []
    for hit in hits:
        q = hit.question
        head = Text.assemble((q.id, "bold"), " · ", safe(q.topic.label), " · ", q.type.label)
        lines = [head]
        for match in hit.matches:
            label = f"  {match.label}:"
            line = Text(label, style="dim")
            line.append_text(_highlighted(match, max(10, width - Text(label).cell_len - 1)))
            lines.append(line)
        parts.append(Text("\n").join(lines))
    return Group(*parts)


def question_card(
    question: Question, console: Console, *, status: str = "", position: str = ""
) -> Panel:
    """One question whole, answer included."""
    body = safe(question.stem)
    if question.type is not QuestionType.JUDGE:
        body.append("\n")
        for key, text in question.options:
            right = key in question.answer
            body.append(
                f"\n{'✓' if right else ' '} {key}. ", style="bold green" if right else "bold"
            )
            body.append_text(safe(text))
    body.append("\n\n正确答案:", style="bold")
    body.append(question.describe(question.answer), style="green")
    if question.explanation:
        body.append("\n解析:", style="bold")
        body.append_text(safe(question.explanation))
    if question.evidence:
        body.append("\n依据:", style="dim")
        body.append_text(safe(question.evidence, "dim"))
    if question.source:
        body.append("\n出处:", style="dim")
        body.append_text(safe(question.source, "dim"))
    facts = []
    if question.difficulty is not None:
        facts.append(f"难度 {question.difficulty}")
    if question.bank:
        facts.append(f"题库 {question.bank}")
    if question.author:
        facts.append(f"出题人 {question.author}")
    if facts:
        body.append("\n" + " · ".join(facts), style="dim")
    if status:
        body.append("\n")
        body.append(status, style="cyan")
    title = Text.assemble(
        (position + " · " if position else "", "bold"),
        (question.id, "bold"),
        " · ",
        (question.type.label, "cyan"),
        " · ",
        safe(question.topic.label),
    )
    return panel(body, title, console)


def where(question: Question, path: str | None) -> str:
    """``banks/02-credit.yaml:12`` for a question (file and line)."""
    shown = display_path(path)
    return f"{shown}:{question.line}" if shown and question.line else shown
