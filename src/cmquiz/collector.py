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
    # A host that froze objects itself keeps them frozen: unfreezing would undo its freeze.
    move = _keep_frozen or gc.get_freeze_count() == 0
    gc.disable()
    try:
        yield
    finally:
        if move:
            gc.freeze()
            if not _keep_frozen:
                gc.unfreeze()
        if enabled:
            gc.enable()


_keep_frozen = False


def freeze_for_the_process() -> None:
    """For a process that ends with its one command (the console script): freeze what exists
    now (the imported modules) and, from now on, what ``collector_paused`` built, so that no
    collection walks them again; a full collection over a loaded bank cost a start-up up to
    fifty milliseconds, at unpredictable moments. Cycles among frozen objects are never freed,
    which a process this short does not notice; a long-lived one (the tests) never calls this."""
    global _keep_frozen
    _keep_frozen = True
    gc.freeze()
