"""Inputs built in code: runs, check-ins and heel drops on chosen dates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from analyzer.settings import Settings
from analyzer.weekly.inputs import Inputs

LONDON = Settings(timezone="Europe/London")


def run(start_utc: str, distance_m: float = 4000.0, **extra: Any) -> dict[str, Any]:
    """One run starting at ``start_utc`` (ISO, UTC) lasting 25 min."""
    row: dict[str, Any] = {
        "id": f"run-{start_utc}",
        "start_time": pd.Timestamp(start_utc, tz="UTC"),
        "utc_offset_s": None,
        "elapsed_s": 1500.0,
        "distance_m": distance_m,
        "moving_s": 1500.0,
        "easy_share": 1.0,
        "trimp": 20.0,
        "uphill_run_s": 0.0,
        "uphill_walk_s": 0.0,
        "hills_run": 0,
        "hills_walked": 0,
    }
    row.update(extra)
    return row


def checkin(day: str, stiffness: float | None = 2.0, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"date": pd.Timestamp(day), "morning_stiffness": stiffness}
    row.update(extra)
    return row


def drops(local_iso: str) -> dict[str, Any]:
    t = pd.Timestamp(local_iso)
    return {
        "time_utc": t.tz_convert("UTC"),
        "local_date": t.tz_localize(None).normalize(),
        "straight_knee_sets": 3,
        "bent_knee_sets": 3,
        "reps": 15,
        "added_load_kg": 0,
    }


def make_inputs(
    runs: Sequence[dict[str, Any]],
    checkins: Sequence[dict[str, Any]] = (),
    drop_sessions: Sequence[dict[str, Any]] = (),
    visa: Sequence[tuple[str, float]] = (),
    settings: Settings = LONDON,
    today: pd.Timestamp | None = None,
) -> Inputs:
    """``today``: the local date the report is made on (None: the real today)."""
    return Inputs(
        settings=settings,
        activities=pd.DataFrame(list(runs)),
        checkins=pd.DataFrame(list(checkins)),
        drops=pd.DataFrame(list(drop_sessions)),
        visa_a=pd.DataFrame([{"date": pd.Timestamp(d), "total": t} for d, t in visa]),
        today=today,
    )


def daily_checkins(first: str, last: str, stiffness: float = 2.0) -> list[dict[str, Any]]:
    return [checkin(str(d.date()), stiffness) for d in pd.date_range(first, last)]
