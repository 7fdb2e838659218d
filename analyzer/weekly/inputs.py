"""What weekly/ is handed: plain frames of the store's rows, with fixed column names.

``Inputs`` is the boundary between the store and the date logic. ``source.py`` fills it
from the store; tests and benches build it in code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analyzer.settings import Settings

#: one row per activity; SI units; ``start_time`` tz-aware UTC
ACTIVITY_COLUMNS: dict[str, str] = {
    "id": "object",
    "start_time": "datetime64[ns, UTC]",
    "utc_offset_s": "float64",
    "name": "object",
    "device": "object",
    "elapsed_s": "float64",
    "distance_m": "float64",
    "moving_s": "float64",
    "ascent_m": "float64",
    "pace_s_per_km": "float64",
    "gap_s_per_km": "float64",
    "heart_rate_avg_bpm": "float64",
    "easy_share": "float64",
    "trimp": "float64",
    "uphill_run_s": "float64",
    "uphill_walk_s": "float64",
    "uphill_run_gain_m": "float64",
    "hills_run": "float64",
    "hills_walked": "float64",
    "hr_max_used_bpm": "float64",
    "hr_max_source": "object",
    "altitude_source": "object",
    "sport": "object",  # the file's own sport (FIT running, cycling...); None: not given
    "sub_sport": "object",
    "running_s": "float64",  # gait: time running and walking
    "walking_s": "float64",
    "speed_median_mps": "float64",  # for activities without a sport (weekly.sport)
    "speed_sustained_mps": "float64",
}

#: one row per uphill segment of the week's runs
HILL_COLUMNS: dict[str, str] = {
    "activity_id": "object",
    "start_distance_m": "float64",
    "end_distance_m": "float64",
    "length_m": "float64",
    "gain_m": "float64",
    "grade_avg_pct": "float64",
    "walked": "bool",
    "start_lat": "float64",
    "start_lon": "float64",
    "end_lat": "float64",
    "end_lon": "float64",
}

#: one row per morning check-in; ``date`` naive midnight; scores 0-10
CHECKIN_COLUMNS: dict[str, str] = {
    "date": "datetime64[ns]",
    "morning_stiffness": "float64",
    "morning_stiffness_minutes": "float64",
    "morning_pain": "float64",
    "pain_during": "float64",
    "pain_after": "float64",
    "pinch_tenderness": "float64",
    "swelling": "bool",
    "note": "object",
}

#: one row per heel-drop session; ``time_utc`` tz-aware UTC, ``local_date`` naive midnight
DROPS_COLUMNS: dict[str, str] = {
    "time_utc": "datetime64[ns, UTC]",
    "local_date": "datetime64[ns]",
    "straight_knee_sets": "float64",
    "bent_knee_sets": "float64",
    "reps": "float64",
    "added_load_kg": "float64",
}

#: one row per VISA-A questionnaire; total 0-100
VISA_COLUMNS: dict[str, str] = {"date": "datetime64[ns]", "total": "float64"}

StreamLoader = Callable[[str], pd.DataFrame]


def conform(frame: pd.DataFrame | None, columns: dict[str, str]) -> pd.DataFrame:
    """``frame`` with exactly ``columns`` in order and dtype; missing ones become NaN."""
    frame = pd.DataFrame() if frame is None else frame
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    for name, dtype in columns.items():
        values: Any
        if name in frame.columns:
            values = frame[name].to_numpy()
        elif dtype == "bool":
            values = [False] * len(frame)
        else:
            values = [None] * len(frame)
        out[name] = _as(pd.Series(values, index=out.index), dtype)
    return out


def _as(series: pd.Series, dtype: str) -> pd.Series:
    if dtype.startswith("datetime64[ns, UTC]"):
        return pd.to_datetime(series, utc=True).astype("datetime64[ns, UTC]")
    if dtype.startswith("datetime64"):
        return pd.to_datetime(series).astype("datetime64[ns]")
    if dtype == "float64":
        return pd.to_numeric(series, errors="coerce").astype("float64")
    if dtype == "bool":
        return series.fillna(False).astype(bool)
    return series.astype(object).where(series.notna(), None)


def _no_streams(activity_id: str) -> pd.DataFrame:
    return pd.DataFrame()


@dataclass
class Inputs:
    """Everything a report needs, as frames (see the column tables above).

    ``streams(activity_id)`` returns the canonical per-second frame of one run; it is
    called only for the runs of the week shown. ``today`` is the local date the report is
    made on (a week has ended once it is past); None: today in the profile's time zone.
    """

    settings: Settings
    activities: pd.DataFrame
    checkins: pd.DataFrame
    drops: pd.DataFrame
    visa_a: pd.DataFrame
    hills: pd.DataFrame = field(default_factory=lambda: conform(None, HILL_COLUMNS))
    streams: StreamLoader = _no_streams
    hills_for: Callable[[list[str]], pd.DataFrame] | None = None
    today: pd.Timestamp | None = None

    def __post_init__(self) -> None:
        self.activities = conform(self.activities, ACTIVITY_COLUMNS)
        self.checkins = conform(self.checkins, CHECKIN_COLUMNS)
        self.drops = conform(self.drops, DROPS_COLUMNS)
        self.visa_a = conform(self.visa_a, VISA_COLUMNS)
        self.hills = conform(self.hills, HILL_COLUMNS)

    def local_today(self) -> pd.Timestamp:
        """``today`` as a naive local date (midnight): an aware ``today`` (or now) is taken
        in the profile's time zone, a naive one as a local date already."""
        now = pd.Timestamp.now(tz="UTC") if self.today is None else pd.Timestamp(self.today)
        if now.tzinfo is not None:
            now = now.tz_convert(self.settings.timezone).tz_localize(None)
        return now.normalize()

    def hills_of(self, activity_ids: list[str]) -> pd.DataFrame:
        """Uphill segments of the given runs, from the loader if there is one."""
        if self.hills_for is not None:
            return conform(self.hills_for(activity_ids), HILL_COLUMNS)
        return self.hills[self.hills["activity_id"].isin(activity_ids)].reset_index(drop=True)
