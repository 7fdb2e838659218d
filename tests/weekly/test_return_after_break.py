"""The first week of running after a long break is amber: no ratio can judge it."""

from __future__ import annotations

import pandas as pd

from analyzer.weekly.view import history
from tests.weekly.helpers import daily_checkins, make_inputs, run

#: 5 km every other day through Sun 6 Sep 2026 (2026-W36), then nothing
BEFORE = [
    run(f"{d.date()}T07:00Z", 5000.0) for d in pd.date_range("2026-08-03", "2026-09-06", freq="2D")
]
CHECKINS = daily_checkins("2026-08-03", "2026-11-29")
TODAY = pd.Timestamp("2026-12-07")
BACK = "back to running after"


def _reasons(runs: list[dict], week: str) -> tuple[str, ...]:
    hist = history(make_inputs(runs, CHECKINS, today=TODAY))
    verdict = hist.assessments[week].verdict
    return (verdict.light, *verdict.reasons)


def test_a_return_after_eight_weeks_off_is_amber() -> None:
    # last run Sun 6 Sep; Mon 2 Nov (2026-W45) is 8 weeks and 1 day later (> 6 weeks)
    back = [run("2026-11-03T07:00Z", 5000.0), run("2026-11-05T07:00Z", 5000.0)]
    light, *reasons = _reasons(BEFORE + back, "2026-W45")
    assert light == "amber"
    assert any(r.startswith(f"{BACK} 8 weeks without") for r in reasons)  # 57 days


def test_the_second_week_back_is_not_flagged_again() -> None:
    back = [run(f"2026-11-{d:02d}T07:00Z", 5000.0) for d in (3, 5, 10, 12)]
    _, *reasons = _reasons(BEFORE + back, "2026-W46")
    assert not any(r.startswith(BACK) for r in reasons)


def test_a_break_within_the_limit_is_left_to_the_ratio() -> None:
    # 4 weeks off (Sun 6 Sep to Mon 5 Oct): the usual load before the break still judges
    back = [run("2026-10-06T07:00Z", 5000.0)]
    _, *reasons = _reasons(BEFORE + back, "2026-W41")
    assert not any(r.startswith(BACK) for r in reasons)


def test_the_first_week_of_a_history_is_not_a_return() -> None:
    _, *reasons = _reasons(BEFORE, "2026-W32")
    assert not any(r.startswith(BACK) for r in reasons)
