"""textclean: what it removes, and that it takes time linear in its input."""

from __future__ import annotations

import time
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmquiz.textclean import clean_text, strip_controls

BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def by_category(text: str) -> str:
    """The rule spelled out character by character (how it was first written)."""
    kept = [
        ch for ch in text if ch in "\n\t" or (unicodedata.category(ch) != "Cc" and ch not in BIDI)
    ]
    return "".join(kept).replace("\t", " ")


@given(st.text(alphabet=st.sampled_from(list("ab 中\t\n\r\x1b\x07\x85\u202e\u3000\x0b\u2028"))))
def test_strip_controls_is_the_category_rule(text: str) -> None:
    assert strip_controls(text) == by_category(text)
    assert (
        clean_text(text)
        == "\n".join(line.rstrip() for line in by_category(text).split("\n")).strip()
    )


SHAPES = {
    "spaces then a letter": lambda n: "a" + " " * n + "b\nc",
    "spaces before each newline": lambda n: (" " * 50 + "\n") * (n // 50),
    "controls": lambda n: "\x1b[31m" * (n // 5) + "\n",
}


@pytest.mark.parametrize("shape", SHAPES)
def test_cleaning_time_grows_linearly(shape: str) -> None:
    """Four times the input may take at most eight times as long (quadratic would be 16)."""

    def best(n: int) -> float:
        text = SHAPES[shape](n)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            clean_text(text)
            times.append(time.perf_counter() - started)
        return min(times)

    best(20_000)
    small, large = best(20_000), best(80_000)
    assert large <= 8 * small + 0.002, (small, large)
