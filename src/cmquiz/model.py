"""The domain model: questions, banks and the library of loaded banks.

Pure Python: no I/O, no typer, no rich. Answers are sets of option keys; a judge question's keys
are ``"T"`` (对) and ``"F"`` (错), so every question type is graded the same way. What a valid
question is lives in ``rules``; how answers are read in ``answers``; how they score in ``scoring``.
"""

from __future__ import annotations

import hashlib
import json
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from typing import TYPE_CHECKING, Any, cast, overload

from .answers import JUDGE_FALSE, JUDGE_TRUE, describe_answer
from .fields import FREE_TEXT_FIELDS
from .qtypes import QuestionType
from .topics import Topic

ID_PATTERN = re.compile(r"[A-Za-z0-9._-]+")
# What a bank cache may leave to be read on first use (``Question.__getattr__``).
DEFERRED_FIELDS = frozenset({"stem", "options", *FREE_TEXT_FIELDS})


@dataclass(frozen=True)
class Question:
    """One exam question. ``answer`` holds option keys (``T``/``F`` for judge questions).

    Built only from checked values (``rules.check_question``, or a trusted cache); the
    constructor still refuses the impossible (no id, no stem, a key outside the options).
    """

    id: str
    type: QuestionType
    topic: Topic
    stem: str
    answer: frozenset[str]
    options: tuple[tuple[str, str], ...] = ()
    difficulty: int | None = None
    explanation: str | None = None
    evidence: str | None = None
    source: str | None = None
    author: str | None = None
    bank: str = field(default="", compare=False)
    line: int | None = field(default=None, compare=False)  # where it starts in its bank file

    def __post_init__(self) -> None:
        if not self.id or not self.stem or not self.answer or not self.answer <= set(self.keys):
            raise ValueError(f"not a whole question: {self.id!r}")

    if not TYPE_CHECKING:  # (so that a misspelt attribute is still a type error)

        def __getattr__(self, name: str) -> Any:
            """The text fields a cache defers (``DEFERRED_FIELDS``, see ``bankcache``) are
            read on first use: a warm start builds only the questions it shows in full."""
            deferred = self.__dict__.get("_deferred")  # (read, begin, end)
            if deferred is None or name not in DEFERRED_FIELDS:
                raise AttributeError(f"'Question' object has no attribute {name!r}")
            read, begin, end = deferred
            self.__dict__.update(read(begin, end))
            del self.__dict__["_deferred"]
            return self.__dict__[name]

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys a user may choose from."""
        if self.type is QuestionType.JUDGE:
            return (JUDGE_TRUE, JUDGE_FALSE)
        return tuple(key for key, _ in self.options)

    @property
    def letters(self) -> str:
        """The option letters as one string (``ABCD``); empty for a judge question."""
        return "".join(key for key, _ in self.options)

    def option_text(self, key: str) -> str:
        for k, text in self.options:
            if k == key:
                return text
        raise KeyError(key)

    def describe(self, keys: frozenset[str] | set[str] | tuple[str, ...]) -> str:
        """An answer in words: ``B``, ``ACD`` or ``对``."""
        return describe_answer(self.type, keys)

    @cached_property
    def rev(self) -> str:
        """The content revision: a hash of stem, options and answer. A question edited after
        it was answered has another revision, so the history can tell the two apart."""
        content = json.dumps(
            [self.type.value, self.stem, [list(o) for o in self.options], sorted(self.answer)],
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return hashlib.sha256(content.encode("utf-8")).hexdigest()[:12]

    def to_dict(self) -> dict[str, Any]:
        """The bank-file form of the question (what ``from_dict`` reads back)."""
        data: dict[str, Any] = {"id": self.id, "type": self.type.value, "topic": self.topic.name}
        if self.topic.code is not None:
            data["topic_code"] = self.topic.code
        if self.difficulty is not None:
            data["difficulty"] = self.difficulty
        data["stem"] = self.stem
        if self.type is not QuestionType.JUDGE:
            data["options"] = dict(self.options)
            data["answer"] = "".join(sorted(self.answer))
        else:
            data["answer"] = JUDGE_TRUE in self.answer
        for name in FREE_TEXT_FIELDS:
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any], bank: str = "", line: int | None = None) -> Question:
        """Build from the dict ``to_dict`` wrote (trusted input: a validated cache)."""
        qtype = QuestionType(data["type"])
        raw_answer = data["answer"]
        if qtype is QuestionType.JUDGE:
            answer = frozenset({JUDGE_TRUE if raw_answer else JUDGE_FALSE})
        else:
            answer = frozenset(raw_answer)
        return cls(
            id=data["id"],
            type=qtype,
            topic=Topic(data["topic"], data.get("topic_code")),
            difficulty=data.get("difficulty"),
            stem=data["stem"],
            options=tuple((k, v) for k, v in (data.get("options") or {}).items()),
            answer=answer,
            bank=bank,
            line=line,
            **{name: data.get(name) for name in FREE_TEXT_FIELDS},
        )


# A deferred field must not be found on the class, or ``__getattr__`` never runs for it: drop the
# class attributes dataclass left for the defaults (the generated ``__init__`` keeps its own).
for _name in DEFERRED_FIELDS:
    if _name in Question.__dict__:
        delattr(Question, _name)


class Catalog(Sequence[Question]):
    """Questions column by column: the id, type, knowledge point and bank of each, which is all
    that choosing among them looks at (``sampling``); a question itself is built when it is
    first taken (``catalog[i]``), then kept. So a warm start on a large cached bank builds in
    full only the questions it draws. Compares and hashes like the tuple of its questions."""

    __slots__ = ("_build", "_built", "banks", "ids", "topics", "types")

    def __init__(
        self,
        ids: list[str],
        types: list[QuestionType],
        topics: list[Topic],
        banks: list[str],
        build: Callable[[int], Question],
        built: list[Question | None] | None = None,
    ) -> None:
        if not len(ids) == len(types) == len(topics) == len(banks):
            raise ValueError("the columns of a catalog differ in length")
        self.ids, self.types, self.topics, self.banks = ids, types, topics, banks
        self._build = build
        self._built: list[Question | None] = [None] * len(ids) if built is None else built

    @classmethod
    def of(cls, questions: Iterable[Question]) -> Catalog:
        """``questions`` as a catalog: itself when it is one, else its columns read off it."""
        if isinstance(questions, Catalog):
            return questions
        built: list[Question | None] = list(questions)
        every = cast("list[Question]", built)
        return cls(
            [q.id for q in every],
            [q.type for q in every],
            [q.topic for q in every],
            [q.bank for q in every],
            every.__getitem__,
            built,
        )

    @classmethod
    def join(cls, parts: Sequence[Catalog]) -> Catalog:
        """The catalogs one after another (a library's banks)."""
        if len(parts) == 1:
            return parts[0]
        starts = list(accumulate((len(part) for part in parts[:-1]), initial=0))

        def build(i: int) -> Question:
            k = bisect_right(starts, i) - 1
            return parts[k][i - starts[k]]

        return cls(
            [qid for part in parts for qid in part.ids],
            [kind for part in parts for kind in part.types],
            [topic for part in parts for topic in part.topics],
            [bank for part in parts for bank in part.banks],
            build,
        )

    def subset(self, positions: Iterable[int]) -> Catalog:
        """The questions at ``positions`` (in that order), as a catalog."""
        chosen = list(positions)
        return Catalog(
            [self.ids[i] for i in chosen],
            [self.types[i] for i in chosen],
            [self.topics[i] for i in chosen],
            [self.banks[i] for i in chosen],
            lambda j: self[chosen[j]],
        )

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Question: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Question, ...]: ...

    def __getitem__(self, index: int | slice) -> Question | tuple[Question, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        question = self._built[index]  # IndexError past either end
        if question is None:
            position = index % len(self)
            question = self._built[position] = self._build(position)
        return question

    def __iter__(self) -> Iterator[Question]:
        built, build = self._built, self._build
        for i, question in enumerate(built):
            if question is None:
                question = built[i] = build(i)
            yield question

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, tuple | Catalog):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Catalog({list(self)!r})"


@dataclass(frozen=True)
class Bank:
    """One bank file: a title and its questions, in file order (a ``Catalog`` when the bank
    comes from its cache, a tuple otherwise)."""

    title: str
    questions: Sequence[Question]
    description: str | None = None
    path: str | None = None
    retired: tuple[str, ...] = ()


@dataclass(frozen=True)
class Library:
    """Every loaded bank; question ids are unique across all of them (the loader checks)."""

    banks: tuple[Bank, ...]
    parsed: tuple[str, ...] = field(default=(), compare=False)  # read from YAML, not a cache

    @cached_property
    def questions(self) -> Catalog:
        """Every question of every bank, in order; built one by one as they are taken."""
        return Catalog.join([Catalog.of(bank.questions) for bank in self.banks])

    def by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}
