"""Pausing Python's cyclic garbage collector while large, garbage-free structures are built."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector while a bank's node tree or a history's records are built:
    they hold no reference cycles, and the collector's repeated passes over the growing heap
    were a large part of the time (a third of reading a long history, most of parsing a large
    bank). Reference counting still frees everything; the collector runs again afterwards.

    What was built is then moved into the oldest generation (``gc.freeze`` and ``gc.unfreeze``
    splice the lists; nothing is scanned): otherwise the collector's next young pass would walk
    every object made during the pause at once, which cost about a tenth of a long read."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()
