"""``collector_paused``: the collector is off inside, on again after (when it was on), nothing
is left frozen, and a reference cycle made inside is still collected afterwards."""

from __future__ import annotations

import gc
import weakref

from cmquiz.collector import collector_paused


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def test_the_collector_is_paused_inside_and_restored_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


def test_what_was_built_moves_to_the_oldest_generation_and_nothing_stays_frozen() -> None:
    gc.collect()
    with collector_paused():
        kept = [[i] for i in range(10_000)]
    assert gc.get_freeze_count() == 0
    # in the oldest generation, where no young pass walks it again
    tracked = {id(x) for x in gc.get_objects(generation=2)}
    assert all(id(x) in tracked for x in kept[::1000])


def test_a_cycle_made_while_paused_is_still_collected() -> None:
    with collector_paused():
        a, b = Node(), Node()
        a.other, b.other = b, a
        probe = weakref.ref(a)
        del a, b
    assert probe() is not None  # only the collector can free a cycle
    gc.collect()
    assert probe() is None


def test_the_console_script_keeps_what_was_built_frozen() -> None:
    """Only in a process that calls ``freeze_for_the_process`` (the console script): imports
    and what ``collector_paused`` built stay in the permanent generation."""
    import subprocess
    import sys

    probe = """
import gc
from cmquiz.collector import collector_paused, freeze_for_the_process
freeze_for_the_process()
after_imports = gc.get_freeze_count()
with collector_paused():
    kept = [[i] for i in range(10_000)]
print(after_imports > 0, gc.get_freeze_count() >= after_imports + 10_000,
      not any(o is kept for o in gc.get_objects()))
"""
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["True", "True", "True"]


def test_what_a_host_froze_stays_frozen() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector_paused():
            kept = [[i] for i in range(1000)]
        assert gc.get_freeze_count() == frozen  # neither undone nor grown
        assert kept
    finally:
        gc.unfreeze()
