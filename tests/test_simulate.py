"""scripts/simulate_history.py (the seeded trainee history used to try review and plan) runs,
and the plan it sets covers the bundled banks."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cmquiz.history import HistoryStore
from cmquiz.learning import fold
from cmquiz.loader import load_library
from cmquiz.paths import bundled_banks_dir
from cmquiz.review import agenda

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "simulate_history.py"


def test_the_simulated_history_plans_thirty_days(tmp_path: Path) -> None:
    args = [sys.executable, str(SCRIPT), str(tmp_path), "--today", "2026-12-04", "--days", "6"]
    subprocess.run(args, check=True, capture_output=True)
    log = HistoryStore(tmp_path / "history.jsonl").read()
    assert not log.warnings
    state = fold(log.records)
    assert state.plan is not None
    assert str(state.plan.exam_date) == "2027-01-03"
    bank = load_library([bundled_banks_dir()]).questions
    now = datetime(2026, 12, 4, 1, tzinfo=UTC)
    today = agenda(bank, state, now, UTC)
    assert today.plan is not None
    assert len(today.plan.days) == 30
    assert today.plan.days[0].day == now.date()
    assert today.plan.days[-1].day == now.date() + timedelta(days=29)
    assert today.plan.covers
