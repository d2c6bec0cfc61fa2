"""The interactive loop's terminal handling, tested without a terminal."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from cmquiz.cli.prompting import prompt_string


def test_prompt_colour_codes_are_hidden_from_readline() -> None:
    console = Console(force_terminal=True, color_system="standard", width=80)
    text = Text.assemble(("你的答案", "bold"), ("(A–D):", "dim"))
    plain = prompt_string(console, text, editing=False)
    marked = prompt_string(console, text, editing=True)
    assert "\x1b[" in plain
    assert "\x01" not in plain
    assert marked.count("\x01") == marked.count("\x02") == plain.count("\x1b[")
    assert marked.replace("\x01", "").replace("\x02", "") == plain


def test_prompt_without_colour_is_plain_text() -> None:
    console = Console(force_terminal=False, width=80)
    assert prompt_string(console, Text("你的答案:"), editing=True) == "你的答案:"
