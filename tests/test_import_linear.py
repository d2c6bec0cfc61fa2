"""Every reader, and format detection, takes time linear in its input (issue 13).

Each shape is read at 10k, 20k and 40k lines (or characters, for one long line); the time for
40k is compared with the time for 10k measured in the same run, never with an absolute number.
Linear growth gives a ratio near 4, quadratic growth near 16: the test fails above 8. A run that
takes less than 50 ms at 40k is linear whatever its ratio (a quadratic reader needs seconds).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

import pytest

from cmquiz.errors import CmquizError
from cmquiz.importers import import_text

SIZES = (10_000, 20_000, 40_000)
FLOOR = 0.05  # seconds: below this at the largest size, nothing quadratic is going on
MAX_RATIO = 8.0


def _questions(n: int) -> str:
    return "".join(
        f"{i}. 题干第{i}题（ ）\nA. 甲{i}\nB. 乙\nC. 丙\nD. 丁\n答案：B\n解析：因为{i}\n"
        for i in range(1, n // 7 + 1)
    )


def _gift_questions(n: int) -> str:
    return "".join(
        f"// 知识点: 点{i % 7}\n::q{i}::题干{i}\\: 其一 {{=甲{i} ~乙 ~丙}}\n\n"
        for i in range(n // 3)
    )


def _csv_rows(n: int) -> str:
    return "题型,题干,A,B,C,答案,解析\n" + "".join(
        f'单选,"题干{i}, 带逗号",甲{i},乙,丙,B,解析{i}\n' for i in range(n)
    )


SHAPES: dict[str, tuple[str, Callable[[int], str]]] = {
    # the shapes an attack found (issue 13), and their neighbours
    "blank lines": ("auto", lambda n: "\n" * n),
    "space-only lines": ("auto", lambda n: " \n" * n),
    "full-width spaces": ("auto", lambda n: "\u3000\n" * n),
    "one run of spaces": ("auto", lambda n: " " * n * 10),
    "open parentheses": ("auto", lambda n: "(\n" * n),
    "a run of open parentheses": ("auto", lambda n: "(" * n * 10),
    "a run of one letter": ("auto", lambda n: "a" * n * 10),
    "a run of braces and equals": ("auto", lambda n: "{" + "= " * n * 5),
    "a run of less-than in html GIFT": ("gift", lambda n: "[html]" + "<" * n * 10 + "{=c ~d}"),
    "spaces after a section heading": (
        "text",
        lambda n: "1. 题（ ）\nA. a\nB. b\n答案:A\n" + "一" + " " * n * 10 + "x\n" + "一、 \n" * n,
    ),
    "spaces before a trailing mark": ("text", lambda n: "1. x" + " " * n * 10 + "y\n"),
    "many stray option markers": ("text", lambda n: "1. x" + " a." * n * 3 + "\n答案:A\n"),
    "explanation with a numbered list": (
        "text",
        lambda n: (
            "1. 题（ ）\nA. a\nB. b\n答案:A\n解析:x\n" + "".join(f"{i}、y\n" for i in range(n))
        ),
    ),
    "a long stem": ("text", lambda n: "1. x\n" + "stem line\n" * n),
    "key lines": ("text", lambda n: _questions(n // 2) + "参考答案\n" + "1-5 BCDAB\n" * (n // 2)),
    "spaces in GIFT comments": ("gift", lambda n: "// a" + " " * n * 10 + "b\n::a::b{=c ~d}\n"),
    "escapes in GIFT": ("gift", lambda n: "::t::" + "\\{ " * n * 3 + "{=c ~d}\n"),
    "a CSV header of parentheses": ("csv", lambda n: "题干," + "(" * n * 10 + "\n甲,乙\n"),
    "a header of parentheses, detected": ("auto", lambda n: "(" * n * 10 + ",题干\n"),
    "seed labels": ("seed", lambda n: "题目类型:单选\n" + "备选项:\n" * n),
    "seed wrapped option": (
        "seed",
        lambda n: "题目类型:单选\n题干:x\n备选项:A、a\n" + "续行\n" * n,
    ),
    "seed fragments": (
        "seed",
        lambda n: (
            "题目类型:单选\n题干:x\n备选项:A、a\n" * (n // 6) + "B、b\n准确答案:B\n" * (n // 6)
        ),
    ),
    "aiken stem lines": ("aiken", lambda n: "x\n" * n + "A. a\nB. b\nANSWER: A\n"),
    # real-looking banks
    "numbered questions": ("text", _questions),
    "numbered questions, detected": ("auto", _questions),
    "GIFT questions": ("auto", _gift_questions),
    "CSV rows": ("auto", lambda n: _csv_rows(n // 4)),
}


def _seconds(fmt: str, text: str, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        with contextlib.suppress(CmquizError):
            import_text(text, "x.txt", fmt=fmt)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("name", list(SHAPES))
def test_reading_time_grows_linearly(name: str) -> None:
    fmt, make = SHAPES[name]
    texts = [make(n) for n in SIZES]
    first = _seconds(fmt, texts[0], 1)
    repeats = 3 if first < 0.05 else 2 if first < 0.2 else 1
    times = [_seconds(fmt, text, repeats) for text in texts]
    if times[-1] < FLOOR:
        return
    ratio = times[-1] / max(times[0], 1e-4)
    shown = " / ".join(f"{t * 1000:.1f} ms" for t in times)
    assert ratio < MAX_RATIO, f"{name}: {shown} for {SIZES} lines (x{ratio:.1f} for x4 input)"
