"""Issue 15.4 and 13.3: aliases that multiply a bank, nesting, and characters YAML refuses are
clear problems, found before anything is expanded."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cmquiz import yamlnodes
from cmquiz.bankfile import parse_bank_text
from cmquiz.errors import BankError
from cmquiz.loader import load_bank
from cmquiz.yamlnodes import ALIAS_FLOOR, MAX_DEPTH, alias_budget

HEAD = "bank: 别名题库\nquestions:\n"


def amplified(aliases: int, stem_chars: int) -> str:
    """The bank of issue 15.4: one long stem, and many questions whose stem is an alias of it."""
    text = HEAD + (
        f"  - id: q0\n    type: judge\n    topic: t\n    stem: &s {'题' * stem_chars}\n"
        "    answer: 对\n"
    )
    return text + "".join(
        f"  - {{id: q{i}, type: judge, topic: t, stem: *s, answer: 对}}\n"
        for i in range(1, aliases + 1)
    )


def problem_of(text: str) -> Any:
    with pytest.raises(BankError) as info:
        parse_bank_text(text, "f.yaml")
    (problem,) = info.value.problems
    return problem


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How many parser events were read, and whether any node was composed."""
    work = {"events": 0, "composed": 0}
    real_parse, real_compose = yaml.parse, yaml.compose

    def parse(*args: Any, **kwargs: Any) -> Iterator[Any]:
        for event in real_parse(*args, **kwargs):
            work["events"] += 1
            yield event

    def compose(*args: Any, **kwargs: Any) -> Any:
        work["composed"] += 1
        return real_compose(*args, **kwargs)

    monkeypatch.setattr(yaml, "parse", parse)
    monkeypatch.setattr(yaml, "compose", compose)
    return work


def test_the_issue_bank_is_refused_at_the_alias_that_crosses_the_budget(
    tmp_path: Path, counted: dict[str, int]
) -> None:
    """A 3 MB bank, 1,000 aliases of a 1M-character stem: 213 s and a 3 GB cache before."""
    text = amplified(1000, 1_000_000)
    path = tmp_path / "amplified.yaml"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size > 3_000_000
    with pytest.raises(BankError) as info:
        load_bank(path)
    (problem,) = info.value.problems
    budget = alias_budget(text)
    assert budget == 4 * len(text)
    crossing = budget // 1_000_001 + 1  # the alias whose stem no longer fits
    assert problem.line == 7 + crossing
    assert problem.message.startswith(f"到别名 *s 为止,别名重复的内容已超过 {budget:,} 个字符")
    assert counted["composed"] == 0
    assert counted["events"] < 20 * (crossing + 1)


@pytest.mark.parametrize(("levels", "width"), [(3, 10), (5, 10), (9, 10), (20, 2), (40, 3)])
def test_billion_laughs_of_several_sizes(levels: int, width: int, counted: dict[str, int]) -> None:
    lines = ["lol0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    for k in range(1, levels + 1):
        lines.append(f"lol{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * width) + "]")
    text = "\n".join(lines) + f"\nbank: x\ndescription: *a{levels}\nquestions: []\n"
    expanded = sum(width**k for k in range(1, levels + 2)) * 4
    with pytest.raises(BankError) as info:
        parse_bank_text(text, "f.yaml")
    messages = [p.message for p in info.value.problems]
    if expanded > ALIAS_FLOOR:
        assert len(messages) == 1
        assert "别名重复的内容已超过" in messages[0]
        assert counted["composed"] == 0
    else:
        assert counted["composed"] == 1  # small enough to read; the schema refuses it
        assert "description: 应为文本" in "\n".join(str(p) for p in info.value.problems)
    assert counted["events"] <= 2 * width * (levels + 2) + 20  # never more than the text holds


def test_aliases_within_the_budget_are_fine() -> None:
    explanation = "依据《个人贷款管理暂行办法》第十五条。" * 20
    text = HEAD + "".join(
        f"  - id: q{i}\n    type: judge\n    topic: t\n    stem: 题干{i}\n    answer: 对\n"
        + (f"    explanation: &e {explanation}\n" if i == 0 else "    explanation: *e\n")
        for i in range(30)
    )
    bank = parse_bank_text(text, "f.yaml")
    assert {q.explanation for q in bank.questions} == {explanation}


def test_a_small_file_may_still_use_aliases_up_to_the_floor() -> None:
    text = amplified(11, 100_000)
    assert len(text) * 4 < ALIAS_FLOOR < 11 * 100_001
    problem = problem_of(text)
    assert problem.line == 7 + ALIAS_FLOOR // 100_001 + 1
    assert len(parse_bank_text(amplified(5, 100_000), "f.yaml").questions) == 6


@pytest.mark.parametrize("text", ["a: &x [1, *x]\n", "a: &x {k: [*x]}\n"])
def test_an_alias_inside_its_own_anchor_is_refused(text: str) -> None:
    problem = problem_of(text + "bank: x\nquestions: []\n")
    assert problem.message == "别名 *x 引用了包含它自己的节点(循环引用)"
    assert problem.line == 1


def test_an_undefined_alias_is_still_a_syntax_error() -> None:
    problem = problem_of("bank: &b x\ndescription: *nope\nquestions: []\n")
    assert "引用了未定义的锚点" in problem.message


# --- nesting -----------------------------------------------------------------------------


def nested(depth: int, flow: bool) -> str:
    if flow:
        return "bank: x\nquestions: " + "[" * depth + "]" * depth + "\n"
    return (
        "bank: x\nquestions:\n"
        + "".join("  " * k + "-\n" for k in range(depth))
        + "  " * depth
        + "- x\n"
    )


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 999, 1000, 100_000])
@pytest.mark.parametrize("flow", [True, False])
@pytest.mark.parametrize("anchor", [False, True])
def test_deep_nesting_is_a_clear_message(depth: int, flow: bool, anchor: bool) -> None:
    if not flow and depth > 1000:
        depth = 1000
    text = nested(depth, flow)
    if anchor:
        text = "description: &d x\n" + text
    problem = problem_of(text)
    assert "嵌套太深" in problem.message
    assert problem.line is not None


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 400, 5000])
def test_deep_nesting_with_the_pure_python_loader(
    depth: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without libyaml PyYAML composes recursively: a RecursionError, not a message, before."""
    monkeypatch.setattr(yamlnodes, "loader_class", lambda: yaml.SafeLoader)
    assert "嵌套太深" in problem_of(nested(depth, True)).message


def test_nesting_a_bank_needs_is_fine() -> None:
    text = HEAD + "  - {id: q, type: single, topic: t, stem: s, options: [a, b], answer: [A]}\n"
    assert parse_bank_text(text, "f").questions[0].answer == frozenset("A")


# --- characters --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "shown"),
    [
        ("\x1b", "U+001B(ESC)"),
        ("\x00", "U+0000(NUL)"),
        ("\x07", "U+0007(BEL)"),
        ("\x7f", "U+007F(DEL)"),
        ("\x9b", "U+009B"),  # C1 CSI
        ("\ud800", "U+D800"),  # only reachable through the API: files are decoded strictly
        ("\ufffe", "U+FFFE"),
    ],
)
def test_characters_yaml_refuses_are_named_with_their_place(char: str, shown: str) -> None:
    problem = problem_of(
        HEAD + f"  - {{id: q, type: judge, topic: 题目, stem: 红{char}字, answer: 对}}\n"
    )
    assert problem.line == 3
    assert problem.column == 44
    assert shown in problem.message


def test_escapes_written_as_yaml_escapes_are_removed_and_markup_kept() -> None:
    text = HEAD + (  # ESC, OSC 8 (a hyperlink), BEL and a right-to-left override
        '  - {id: q, type: single, topic: t, stem: "\\e[31m红\\e[0m\\e]8;;http://x\\a链接\\u202e字",'
        ' options: ["[bold red]x[/]", "[link=http://evil]点我[/link]"], answer: A}\n'
    )
    question = parse_bank_text(text, "f").questions[0]
    assert question.stem == "[31m红[0m]8;;http://x链接字"
    assert question.options == (("A", "[bold red]x[/]"), ("B", "[link=http://evil]点我[/link]"))


def test_utf16_without_a_bom_is_named(write_bank: Callable[..., Path]) -> None:
    path = write_bank(HEAD.encode("utf-16-le"))
    with pytest.raises(BankError) as info:
        load_bank(path)
    assert "没有 BOM 的 UTF-16" in info.value.problems[0].message


SCALARS = (
    "", "~", "null", "Null", "NULL", "true", "False", "yes", "No", "on", "OFF", "y",
    "12", "-3", "+7", "0x1F", "0o17", "1_000", "3.5", ".5", "-.inf", ".NaN", "1e3",
    "2026-12-04", "2026-12-04 08:00:00", "<<", "=", "1:20", "题干", "A", "T",
)  # fmt: skip


@given(
    st.one_of(st.text(max_size=8), st.sampled_from(SCALARS)),
    st.booleans(),
    st.booleans(),
)
@settings(max_examples=500, deadline=None)
def test_the_quick_resolver_tags_every_scalar_as_pyyaml_does(
    value: str, plain: bool, quoted_plain: bool
) -> None:
    """``yamlnodes.loader_class`` resolves tags with a table grouped by first character;
    whatever the scalar, its tag is the one PyYAML's own safe loader gives."""
    import yaml
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    from cmquiz.yamlnodes import loader_class

    ours = loader_class()("")
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)("")
    implicit = (plain, quoted_plain)
    assert ours.resolve(ScalarNode, value, implicit) == base.resolve(ScalarNode, value, implicit)
    for kind in (SequenceNode, MappingNode):
        assert ours.resolve(kind, None, (True, True)) == base.resolve(kind, None, (True, True))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.sampled_from(" -x"), st.text(" -a", max_size=60))))
def test_the_deep_indent_scan_agrees_with_measuring_every_line(
    lines: list[tuple[int, str, str]],
) -> None:
    text = "\n".join(" " * n + first + rest for n, first, rest in lines)
    deepest = max((len(m) for m in re.findall(r"^[ \-]+", text, re.M)), default=0)
    assert (yamlnodes._DEEP_INDENT.search(text) is not None) == (
        deepest >= yamlnodes.MAX_DEPTH // 2
    )
