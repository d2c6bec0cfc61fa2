"""Progress of long work, reported to whoever listens (the CLI draws a bar on a terminal).

The domain does not know about screens: a loop over many items reports through ``tracked`` (or
``report`` for byte counts), which does nothing unless a listener was installed with
``reporting``. The listener is kept in a context variable, so the deep call chains of an import
or a bank load need no extra argument, and nothing is reported where nobody listens (tests,
pipes, ``--json``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")
Listener = Callable[[str, int, "int | None"], None]  # what is being done, how far, out of
STEPS = 200  # reports per stage at most

_LISTENER: ContextVar[Listener | None] = ContextVar("cmquiz_progress", default=None)


@contextmanager
def reporting(listener: Listener) -> Iterator[None]:
    """Send the progress of the work done inside to ``listener``."""
    token = _LISTENER.set(listener)
    try:
        yield
    finally:
        _LISTENER.reset(token)


def report(stage: str, done: int, total: int | None) -> None:
    """How far ``stage`` has got (``total`` None: not known)."""
    listener = _LISTENER.get()
    if listener is not None:
        listener(stage, done, total)


def tracked(items: Iterable[T], stage: str, total: int | None = None) -> Iterator[T]:
    """``items``, reporting every ``1/STEPS`` of ``total`` (every item when it is unknown
    would be too often: then every 1,000)."""
    listener = _LISTENER.get()
    if listener is None:
        yield from items
        return
    every = max(1, total // STEPS) if total else 1000
    listener(stage, 0, total)
    done = 0
    for item in items:
        yield item
        done += 1
        if done % every == 0:
            listener(stage, done, total)
    listener(stage, done, total if total is not None else done)
