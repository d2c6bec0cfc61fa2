"""Hypothesis strategies shared by the tests: questions the loader would accept."""

from __future__ import annotations

from hypothesis import strategies as st

from cmquiz.model import Question
from cmquiz.qtypes import QuestionType
from cmquiz.textclean import clean_text
from cmquiz.topics import Topic

# Text that stresses every format: GIFT's specials and escape, CSV's quote and separators,
# Aiken's option markers, full-width punctuation, and any printable character.
SPECIAL = list("~=#{}:\\%[]/->|\"',;.()（）【】：；，。、“”…—ABCDTF对错√× 　贷款担保私人银行")


def texts(newlines: bool) -> st.SearchStrategy[str]:
    alphabet = st.one_of(
        st.sampled_from(SPECIAL + (["\n"] if newlines else [])),
        st.characters(categories=["L", "N", "P", "S"]),
    )
    return st.text(alphabet, min_size=1, max_size=24).filter(lambda t: clean_text(t) == t)


@st.composite
def questions(
    draw: st.DrawFn,
    types: tuple[QuestionType, ...] = tuple(QuestionType),
    newlines: bool = True,
) -> Question:
    """Questions the loader accepts, with text that stresses every export format."""
    qtype = draw(st.sampled_from(types))
    text = texts(newlines)
    if qtype is QuestionType.JUDGE:
        options: tuple[tuple[str, str], ...] = ()
        answer = frozenset({draw(st.sampled_from("TF"))})
    else:
        count = draw(st.integers(2, 8))
        keys = "ABCDEFGH"[:count]
        options = tuple(
            zip(
                keys, draw(st.lists(text, min_size=count, max_size=count, unique=True)), strict=True
            )
        )
        size = 1 if qtype is QuestionType.SINGLE else draw(st.integers(2, count))
        answer = frozenset(draw(st.permutations(keys))[:size])
    return Question(
        id=draw(st.from_regex(r"[A-Za-z][A-Za-z0-9._-]{0,11}", fullmatch=True)),
        type=qtype,
        topic=Topic(
            draw(texts(False)), draw(st.none() | st.from_regex(r"[0-9]{1,3}", fullmatch=True))
        ),
        stem=draw(text),
        options=options,
        answer=answer,
        difficulty=draw(st.none() | st.integers(1, 5)),
        explanation=draw(st.none() | text),
        evidence=draw(st.none() | text),
        source=draw(st.none() | text),
        author=draw(st.none() | text),
    )
