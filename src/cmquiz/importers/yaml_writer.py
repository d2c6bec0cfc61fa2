"""Bank -> YAML text in the bank format (design.md): block style, real Chinese characters,
fields in the documented order, multi-line text as ``|`` blocks.

PyYAML does the quoting (``"17"``, ``"yes"``, ``": "`` inside text), so whatever is written
reads back as the same strings; tests load every result with ``bankfile.parse_bank_text``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..model import Bank
from ..progress import report

_STR_TAG = "tag:yaml.org,2002:str"
_WIDTH = 1_000_000  # never fold long lines: a Chinese stem stays on one line


LARGE_BANK = 2000  # questions: writing this many reports its progress


def _dumper(fast: bool = False) -> Any:
    """The dumper: libyaml's C emitter when ``fast`` (about five times quicker on a large bank;
    it writes a list flush with its key, which ``bank_to_yaml`` indents), else PyYAML's own."""
    import yaml

    if fast:

        class FastDumper(yaml.CSafeDumper):
            """libyaml's emitter with cmquiz's scalar styles."""

        dumper: Any = FastDumper
    else:

        class BankDumper(yaml.SafeDumper):
            """Block style; multi-line strings as literal blocks; lists indented under their key."""

            def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
                return super().increase_indent(flow, False)

        dumper = BankDumper

    def represent_str(dumper: yaml.SafeDumper, value: str) -> Any:
        style = None
        if "\n" in value:
            style = "|"
        elif (
            dumper.resolve(  # type: ignore[no-untyped-call]
                yaml.ScalarNode, value, (True, False)
            )
            != _STR_TAG
        ):
            style = '"'  # "17", "true", "1.5": text that would otherwise read as a number
        return dumper.represent_scalar(_STR_TAG, value, style=style)

    dumper.add_representer(str, represent_str)
    return dumper


def bank_to_yaml(bank: Bank, comments: Sequence[str] = ()) -> str:
    """The bank file text; ``comments`` become ``#`` lines at the top (provenance)."""
    import yaml

    large = len(bank.questions) >= LARGE_BANK
    if large:
        report("写出题库", 0, None)  # one long step: a bar at once (see ``progress``)
    document: dict[str, Any] = {"bank": bank.title}
    if bank.description:
        document["description"] = bank.description
    document["questions"] = [question.to_dict() for question in bank.questions]
    fast = bool(getattr(yaml, "__with_libyaml__", False))
    body = yaml.dump(
        document,
        Dumper=_dumper(fast),
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=_WIDTH,
        indent=2,
    )
    if fast:
        body = _indent_questions(body)
    head = "".join(f"# {line}\n" for line in comments)
    if large:
        report("写出题库", 1, 1)
    return head + body


def _indent_questions(body: str) -> str:
    """libyaml writes ``questions:`` then ``- id: …`` flush with the key; indent the whole list
    (block scalars included, so every line keeps its place relative to the others)."""
    marker = "\nquestions:\n"
    at = body.find(marker)
    if at == -1:
        return body
    start = at + len(marker)
    lines = body[start:].split("\n")
    shifted = "\n".join(f"  {line}" if line else line for line in lines)
    return body[:start] + shifted
