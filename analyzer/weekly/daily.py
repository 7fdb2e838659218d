"""Tidy daily, per-run and weekly frames: where dates and time zones meet.

A run's day is its LOCAL calendar date: from its UTC start and the activity's own UTC
offset (FIT), else the profile's time zone. The lagged question of DOMAIN.md pairs the
load of day d with the check-in of the morning of day d+1, by calendar date, so week
boundaries and daylight-saving changes need no special case.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analyzer.localtime import local_starts
from analyzer.settings import Settings

DAY = pd.Timedelta(days=1)
CHRONIC_DAYS = 28
ACUTE_DAYS = 7
LOAD_SUMS = [
    "distance_m",
    "moving_s",
    "ascent_m",
    "trimp",
    "uphill_run_s",
    "uphill_walk_s",
    "uphill_run_gain_m",
    "hills_run",
    "hills_walked",
    "easy_s",
]
SYMPTOMS = [
    "morning_stiffness",
    "morning_stiffness_minutes",
    "pain_during",
    "pain_after",
    "pinch_tenderness",
    "swelling",
    "note",
]


#: what a check-in must hold for the tendon to be judged by it (a side or a note alone
#: says nothing about how it felt)
SCORED = [c for c in SYMPTOMS if c not in ("note", "swelling")]


def judgeable(checkins: pd.DataFrame) -> pd.DataFrame:
    """The check-ins that hold at least one score, or swelling seen (the frame reads an
    unanswered swelling question as False, so "no swelling" alone cannot count)."""
    if checkins.empty:
        return checkins
    return checkins[checkins[SCORED].notna().any(axis=1) | checkins["swelling"].fillna(False)]


def iso_week(day: pd.Timestamp) -> str:
    """``2026-W43`` for a date."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(label: str) -> pd.Timestamp:
    """The Monday (naive midnight) of an ISO week label like ``2026-W43``."""
    return pd.Timestamp(pd.to_datetime(label + "-1", format="%G-W%V-%u"))


def runs_frame(
    activities: pd.DataFrame, checkins: pd.DataFrame, settings: Settings
) -> pd.DataFrame:
    """One row per run, in time order: the activity's numbers, its local start, date and
    ISO week, and the check-ins of the morning of the run and of the NEXT morning."""
    runs = activities.sort_values("start_time").reset_index(drop=True)
    runs["local_start"] = local_starts(runs["start_time"], runs["utc_offset_s"], settings.timezone)
    runs["local_date"] = runs["local_start"].dt.normalize()
    runs["week"] = runs["local_date"].map(iso_week) if len(runs) else pd.Series(dtype=object)
    runs["end_time"] = runs["start_time"] + pd.to_timedelta(runs["elapsed_s"].fillna(0), unit="s")
    runs["easy_s"] = runs["easy_share"] * runs["moving_s"]
    by_date = checkins.set_index("date")
    same = by_date.reindex(runs["local_date"])
    nxt = by_date.reindex(runs["local_date"] + DAY)
    runs["stiffness"] = same["morning_stiffness"].to_numpy()
    runs["pain_during"] = same["pain_during"].to_numpy()
    runs["pain_after"] = same["pain_after"].to_numpy()
    runs["next_stiffness"] = nxt["morning_stiffness"].to_numpy()
    runs["next_tenderness"] = nxt["pinch_tenderness"].to_numpy()
    runs["stiffness_change"] = runs["next_stiffness"] - runs["stiffness"]
    return runs


def calendar(first: pd.Timestamp, last: pd.Timestamp) -> pd.DatetimeIndex:
    """Every date from the Monday of ``first``'s week to the Sunday of ``last``'s."""
    start = first - pd.Timedelta(days=first.weekday())
    end = last + pd.Timedelta(days=6 - last.weekday())
    return pd.date_range(start, end, freq="D", name="date")


def data_dates(
    runs: pd.DataFrame,
    checkins: pd.DataFrame,
    drops: pd.DataFrame,
    visa_a: pd.DataFrame | None = None,
) -> pd.Series:
    """Every local date with data: a run, a check-in, a heel-drop session or a VISA-A."""
    parts = [runs["local_date"], checkins["date"], drops["local_date"]]
    if visa_a is not None:
        parts.append(visa_a["date"].dt.normalize())
    return pd.concat(parts, ignore_index=True).dropna()


def data_span(
    runs: pd.DataFrame,
    checkins: pd.DataFrame,
    drops: pd.DataFrame,
    visa_a: pd.DataFrame | None = None,
) -> pd.DatetimeIndex:
    dates = data_dates(runs, checkins, drops, visa_a)
    if dates.empty:
        today = pd.Timestamp.now().normalize()
        return calendar(today, today)
    return calendar(pd.Timestamp(dates.min()), pd.Timestamp(dates.max()))


def drops_per_day(drops: pd.DataFrame, runs: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Heel-drop sessions per local date, and how many began within the window after a
    run ended (``drops_after_run_window_s``, 2 h by default)."""
    if drops.empty:
        return pd.DataFrame(columns=["drops_sessions", "drops_after_run"], dtype="float64")
    window = pd.Timedelta(seconds=settings.drops_after_run_window_s)
    ends = np.sort(runs["end_time"].dropna().to_numpy(dtype="datetime64[ns]"))
    times = drops["time_utc"].dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
    # the last run that ended at or before each session
    pos = np.searchsorted(ends, times, side="right") - 1
    after = np.zeros(len(times), dtype=bool)
    if len(ends):
        last_end = ends[np.clip(pos, 0, None)]
        after = (pos >= 0) & (times - last_end <= window.to_timedelta64())
    per = pd.DataFrame({"date": drops["local_date"].to_numpy(), "after": after})
    grouped = per.groupby("date")
    return pd.DataFrame(
        {
            "drops_sessions": grouped.size().astype("float64"),
            "drops_after_run": grouped["after"].sum().astype("float64"),
        }
    )


def daily_frame(
    runs: pd.DataFrame,
    checkins: pd.DataFrame,
    drops: pd.DataFrame,
    settings: Settings,
    visa_a: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per local date over whole ISO weeks: summed load, rest and back-to-back
    days, that morning's check-in and the NEXT morning's, heel drops, acute:chronic ratios.
    ``checked_in``: a check-in with a score (or swelling seen) was logged that day."""
    index = data_span(runs, checkins, drops, visa_a)
    load = runs.groupby("local_date")[LOAD_SUMS].sum(min_count=1)
    daily = load.reindex(index)
    daily["runs"] = runs.groupby("local_date").size().reindex(index).fillna(0).astype(int)
    daily["easy_share"] = daily["easy_s"] / daily["moving_s"]
    daily["ran"] = daily["runs"] > 0
    daily["rest_day"] = ~daily["ran"]
    daily["back_to_back"] = daily["ran"] & daily["ran"].shift(1, fill_value=False)
    symptoms = checkins.set_index("date")[SYMPTOMS]
    daily["checked_in"] = index.isin(judgeable(checkins)["date"].dropna())
    daily = daily.join(symptoms.reindex(index))
    daily["swelling"] = daily["swelling"].astype("boolean").fillna(False).astype(bool)
    nxt = symptoms.reindex(index + DAY)
    daily["next_stiffness"] = nxt["morning_stiffness"].to_numpy()
    daily["stiffness_change"] = daily["next_stiffness"] - daily["morning_stiffness"]
    per_day = drops_per_day(drops, runs, settings).reindex(index)
    daily["drops_sessions"] = per_day["drops_sessions"].fillna(0.0)
    daily["drops_after_run"] = per_day["drops_after_run"].fillna(0.0)
    daily["drops_target"] = float(settings.drops_sessions_per_day)
    daily["week"] = [iso_week(d) for d in index]
    return add_acwr(daily, first_data=_first_load_day(runs, index))


def _first_load_day(runs: pd.DataFrame, index: pd.DatetimeIndex) -> pd.Timestamp:
    if runs.empty:
        return pd.Timestamp(index[-1]) + DAY
    return pd.Timestamp(runs["local_date"].min())


def add_acwr(daily: pd.DataFrame, first_data: pd.Timestamp) -> pd.DataFrame:
    """Acute (7-day sum) over chronic (28-day sum / 4) load by distance and by TRIMP.

    NaN until 28 days of history exist: a ratio over a short history means nothing.

    After a break (the three weeks before the acute week hold no load) the plain ratio is
    4.0 for any return, however short or long: the chronic sum then holds nothing but the
    acute week. There the acute week is compared with the usual load before the break
    (the 28 days that ended with the last run before it), so a return far above it is
    still flagged; a return below the usual load is not a drop and gives no ratio.
    """
    out = daily.copy()
    enough = out.index >= first_data + pd.Timedelta(days=CHRONIC_DAYS - 1)
    for col, name in (("distance_m", "distance"), ("trimp", "trimp")):
        values = out[col].fillna(0.0)
        acute = values.rolling(ACUTE_DAYS, min_periods=1).sum()
        total = values.rolling(CHRONIC_DAYS, min_periods=1).sum()
        chronic = total / (CHRONIC_DAYS / ACUTE_DAYS)
        before = total - acute  # the 21 days before the acute week
        steady = (chronic > 0) & (before > 1e-6)  # 1e-6: rolling sums leave float dust
        # the 28-day load ending with the last run at least a week before each day
        usual = total.where(values > 0).ffill().shift(ACUTE_DAYS) / (CHRONIC_DAYS / ACUTE_DAYS)
        after_break = (acute / usual).where(~steady & (usual > 0) & (acute >= usual))
        ratio = (acute / chronic).where(steady).fillna(after_break)
        out[f"acwr_{name}"] = ratio.where(enough)
    return out


def weekly_frame(daily: pd.DataFrame) -> pd.DataFrame:
    """One row per ISO week: totals, rest and back-to-back days, heel drops, mean morning
    stiffness, distance change on the week before and the ratios at the week's end."""
    grouped = daily.groupby("week", sort=True)
    weekly = grouped[LOAD_SUMS].sum(min_count=1).fillna(0.0)
    weekly["runs"] = grouped["runs"].sum()
    weekly["run_days"] = grouped["ran"].sum()
    weekly["rest_days"] = grouped["rest_day"].sum()
    weekly["back_to_back"] = grouped["back_to_back"].sum()
    weekly["easy_share"] = (weekly["easy_s"] / weekly["moving_s"]).where(weekly["moving_s"] > 0)
    weekly["stiffness_mean"] = grouped["morning_stiffness"].mean()
    weekly["stiffness_days"] = grouped["morning_stiffness"].count()
    weekly["pain_during_max"] = grouped["pain_during"].max()
    weekly["drops_sessions"] = grouped["drops_sessions"].sum()
    weekly["drops_after_run"] = grouped["drops_after_run"].sum()
    weekly["drops_target"] = grouped["drops_target"].sum()
    weekly["swelling_days"] = grouped["swelling"].sum()
    weekly["checkin_days"] = grouped["checked_in"].sum()
    previous = weekly["distance_m"].shift(1)
    weekly["distance_change"] = ((weekly["distance_m"] - previous) / previous).where(previous > 0)
    weekly["acwr_distance"] = grouped["acwr_distance"].last()
    weekly["acwr_trimp"] = grouped["acwr_trimp"].last()
    weekly["start"] = [week_start(w) for w in weekly.index]
    return weekly


def visa_a_until(visa_a: pd.DataFrame, end: pd.Timestamp) -> tuple[float | None, float | None]:
    """(previous, latest) VISA-A totals on or before ``end`` (a date: the whole day)."""
    previous, latest, _ = visa_a_latest(visa_a, end)
    return previous, latest


def visa_a_latest(
    visa_a: pd.DataFrame, end: pd.Timestamp
) -> tuple[float | None, float | None, pd.Timestamp | None]:
    """(previous, latest) VISA-A totals on or before the day ``end``, and the latest's date."""
    rows = visa_a[visa_a["date"] < end.normalize() + DAY].dropna(subset=["total"])
    rows = rows.sort_values("date", kind="stable")
    if rows.empty:
        return None, None, None
    latest = float(rows["total"].iloc[-1])
    previous = float(rows["total"].iloc[-2]) if len(rows) > 1 else None
    return previous, latest, pd.Timestamp(rows["date"].iloc[-1])


def visa_a_steps(
    visa_a: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp
) -> list[tuple[float, float]]:
    """(previous, total) of every VISA-A logged on the days ``first`` to ``last`` that has a
    result before it: each compared with the one just before, however long before."""
    rows = visa_a.dropna(subset=["total"]).sort_values("date", kind="stable")
    totals = [float(t) for t in rows["total"]]
    dates = [pd.Timestamp(d) for d in rows["date"]]
    begin, end = first.normalize(), last.normalize() + DAY
    return [(totals[i - 1], totals[i]) for i in range(1, len(totals)) if begin <= dates[i] < end]
