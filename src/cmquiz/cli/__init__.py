"""The command-line shell: Typer commands that call the domain and render its results.

Every command is registered here, explicitly, by name; ``app`` turns any domain error into a
message and an exit code in one place (``CmquizGroup``).
"""

from __future__ import annotations

from . import exams, learn, lookup, practice, quiz, report, transfer
from .app import app, main, register

register(
    [
        ("practice", practice.practice),
        ("exam", quiz.exam),
        ("exams", exams.exams),
        ("papers", exams.papers),
        ("stats", report.stats),
        ("topics", report.topics),
        ("check", report.check),
        ("lint", report.lint),
        ("report", report.report),
        ("import", transfer.import_bank),
        ("export", transfer.export_bank),
        ("wrong", learn.wrong),
        ("review", learn.review),
        ("plan", learn.plan),
        ("star", lookup.star),
        ("unstar", lookup.unstar),
        ("starred", lookup.starred),
        ("search", lookup.search),
        ("show", lookup.show),
        ("browse", lookup.browse),
    ]
)

__all__ = ["app", "main"]
