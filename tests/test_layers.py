"""The domain is pure: importing it loads neither typer nor rich (the shell's libraries)."""

from __future__ import annotations

import subprocess
import sys

DOMAIN = [
    "cmquiz.answers",
    "cmquiz.qtypes",
    "cmquiz.fields",
    "cmquiz.rules",
    "cmquiz.topics",
    "cmquiz.scoring",
    "cmquiz.model",
    "cmquiz.textfile",
    "cmquiz.yamlnodes",
    "cmquiz.bankfile",
    "cmquiz.loader",
    "cmquiz.bankcache",
    "cmquiz.papers",
    "cmquiz.paperfile",
    "cmquiz.frozen",
    "cmquiz.collector",
    "cmquiz.cachefiles",
    "cmquiz.progress",
    "cmquiz.sampling",
    "cmquiz.session",
    "cmquiz.records",
    "cmquiz.history",
    "cmquiz.replay",
    "cmquiz.digest",
    "cmquiz.exams",
    "cmquiz.stats",
    "cmquiz.statsreport",
    "cmquiz.statscsv",
    "cmquiz.nextstep",
    "cmquiz.activity",
    "cmquiz.histories",
    "cmquiz.itemstats",
    "cmquiz.department",
    "cmquiz.lint",
    "cmquiz.lintrules",
    "cmquiz.lintbanks",
    "cmquiz.htmlreport",
    "cmquiz.svgcharts",
    "cmquiz.importers",
    "cmquiz.recordfields",
    "cmquiz.learning_records",
    "cmquiz.notebook",
    "cmquiz.scheduling",
    "cmquiz.learning",
    "cmquiz.plan",
    "cmquiz.review",
    "cmquiz.search",
    "cmquiz.spreadsheet",
]

PROBE = """
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("typer", "rich", "click"))
print("LOADED:" + ",".join(loaded))
"""


def test_the_domain_imports_neither_typer_nor_rich() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *DOMAIN], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "LOADED:", out


def test_the_probe_would_see_them() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, "cmquiz.render.common"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "rich" in out
