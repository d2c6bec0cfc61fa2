"""Running a command on a pseudo-terminal, to see what it shows a person at a terminal (the
progress bars are drawn only there). Used by ``bench_targets.py`` and ``tests/test_progress.py``."""

from __future__ import annotations

import os
import pty


def terminal_output(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """The exit code of ``args`` run with a pseudo-terminal as stdout and stderr, and what it
    wrote there."""
    pid, fd = pty.fork()
    if pid == 0:  # the child
        os.execve(args[0], args, env)
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), b"".join(chunks).decode("utf-8", "replace")
