"""The command-line shell: Typer commands that call the domain and render its results."""

from __future__ import annotations

from . import quiz, report, transfer  # noqa: F401  (registers the commands)
from .app import app, main

__all__ = ["app", "main"]
