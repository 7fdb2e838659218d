"""Tidy daily, per-run and weekly frames: where dates and time zones meet.

A run's day is its LOCAL calendar date: from its UTC start and the activity's own UTC
offset (FIT), else the profile's time zone. The lagged question of DOMAIN.md pairs the
load of day d with the check-in of the morning of day d+1, by calendar date, so week
boundaries and daylight-saving changes need no special case.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    "hr_moving_s",
]
#: sums that only runs with heart rate have: a week whose runs all lack it has none of
#: them (not 0: "easy share 0%" would read as no easy running at all)
HR_SUMS = ["trimp", "easy_s", "hr_moving_s"]
SYMPTOMS = [
    "morning_stiffness",
    "morning_stiffness_minutes",
    "morning_pain",
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
    # the moving time the easy share is of: a run without heart rate is not "not easy"
    runs["hr_moving_s"] = runs["moving_s"].where(runs["easy_share"].notna())
    by_date = checkins.set_index("date")
    same = by_date.reindex(runs["local_date"])
    nxt = by_date.reindex(runs["local_date"] + DAY)
    runs["stiffness"] = same["morning_stiffness"].to_numpy()
    runs["pain_during"] = same["pain_during"].to_numpy()
    runs["pain_after"] = same["pain_after"].to_numpy()
    runs["next_stiffness"] = nxt["morning_stiffness"].to_numpy()
    runs["next_tenderness"] = nxt["pinch_tenderness"].to_numpy()
    runs["morning_pain"] = same["morning_pain"].to_numpy()
    runs["next_pain"] = nxt["morning_pain"].to_numpy()
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
    """Heel-drop sessions per local date (:func:`_day_sessions`): ``drops_logged``, the
    sessions logged; ``drops_sessions``, the sessions done, where one session's sets
    logged in two parts count once; ``drops_after_run``, those begun within the window
    after a run ended (``drops_after_run_window_s``, 2 h by default); ``drops_full``, the
    full sessions of the programme (``drops_sets_target`` sets straight-knee and
    bent-knee of ``drops_reps_target`` each: Alfredson's 3 x 15 + 3 x 15); and the most
    load added (kg)."""
    columns = [
        "drops_logged",
        "drops_sessions",
        "drops_after_run",
        "drops_full",
        "drops_load_max_kg",
    ]
    if drops.empty:
        return pd.DataFrame(columns=columns, dtype="float64")
    window = pd.Timedelta(seconds=settings.drops_after_run_window_s)
    # sessions are kept to the minute (symptoms.entries): a session logged in the minute
    # the run ended came after it, so the ends are taken to their minute too
    ends = np.sort(runs["end_time"].dropna().dt.floor("min").to_numpy(dtype="datetime64[ns]"))
    times = drops["time_utc"].dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
    # the last run that ended at or before each session
    pos = np.searchsorted(ends, times, side="right") - 1
    after = np.zeros(len(times), dtype=bool)
    if len(ends):
        last_end = ends[np.clip(pos, 0, None)]
        after = (pos >= 0) & (times - last_end <= window.to_timedelta64())
    # sets of the programme's repetitions (or more): those that make a full session
    whole = drops["reps"].to_numpy(dtype="float64") >= settings.drops_reps_target
    straight = drops["straight_knee_sets"].to_numpy(dtype="float64")
    bent = drops["bent_knee_sets"].to_numpy(dtype="float64")
    per = pd.DataFrame(
        {
            "date": drops["local_date"].to_numpy(),
            "time": times,
            "after": after,
            "straight": straight,
            "bent": bent,
            "straight_whole": np.where(whole, straight, 0.0),
            "bent_whole": np.where(whole, bent, 0.0),
            "load": drops["added_load_kg"].to_numpy(dtype="float64"),
        }
    )
    sets = settings.drops_sets_target
    gap_s = settings.drops_session_gap_s
    day = _day_sessions(per, sets, gap_s)
    day_after = _day_sessions(per[per["after"]], sets, gap_s).reindex(day.index, fill_value=0.0)
    return pd.DataFrame(
        {
            "drops_logged": day["logged"],
            "drops_sessions": day["sessions"],
            "drops_after_run": day_after["sessions"],
            "drops_full": day["full"],
            "drops_load_max_kg": per.groupby("date")["load"].max(),
        }
    )


def _day_sessions(per: pd.DataFrame, sets: int, gap_s: float) -> pd.DataFrame:
    """Per date of the logged sessions ``per`` (time, sets straight-knee and bent-knee,
    and those of the full repetitions): ``logged``, the entries logged; ``sessions``, the
    sessions done; ``full``, the full sessions. Entries of one date less than ``gap_s``
    apart are one bout, a session logged in parts (3 straight-knee sets at 07:40 and 3
    bent-knee at 07:50 are one session, not two); entries further apart are bouts of their
    own (1 + 1 sets at 07:00 and again at 19:00 are two sessions). A bout counts as many
    sessions as its more numerous kind of set makes up (``sets`` to a session, a part one
    counting as one), never more than its entries; it is full as many times as its sets
    of full repetitions make up ``sets`` of each kind, never more than its sessions."""
    columns = ["logged", "sessions", "full"]
    if per.empty:
        return pd.DataFrame(columns=columns, dtype="float64")
    per = per.sort_values(["date", "time"], kind="stable")
    gap = per.groupby("date")["time"].diff() > pd.Timedelta(seconds=gap_s)
    new_day = per["date"].ne(per["date"].shift())
    per = per.assign(bout=(new_day | gap).cumsum())
    grouped = per.groupby("bout")
    totals = grouped[["straight", "bent", "straight_whole", "bent_whole"]].sum()
    entries = grouped.size().astype("float64")
    sessions = np.minimum(entries, np.ceil(totals[["straight", "bent"]].max(axis=1) / sets))
    full = np.floor(totals[["straight_whole", "bent_whole"]].min(axis=1) / sets)
    bouts = pd.DataFrame(
        {
            "date": grouped["date"].first(),
            "logged": entries,
            "sessions": sessions,
            "full": np.minimum(full, sessions),
        }
    )
    return bouts.groupby("date")[columns].sum()


def daily_frame(
    runs: pd.DataFrame,
    checkins: pd.DataFrame,
    drops: pd.DataFrame,
    settings: Settings,
    visa_a: pd.DataFrame | None = None,
    today: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """One row per local date over whole ISO weeks: summed load, rest and back-to-back
    days, that morning's check-in and the NEXT morning's, heel drops, acute:chronic ratios.
    ``checked_in``: a check-in with a score (or swelling seen) was logged that day.
    ``to_come``: the date is after ``today`` (the local date; None: no date is): it is no
    rest day and has no heel-drop target, since it has not happened yet."""
    index = data_span(runs, checkins, drops, visa_a)
    to_come = (
        index > pd.Timestamp(today).normalize()
        if today is not None
        else np.zeros(len(index), dtype=bool)
    )
    load = runs.groupby("local_date")[LOAD_SUMS].sum(min_count=1)
    daily = load.reindex(index)
    daily["runs"] = runs.groupby("local_date").size().reindex(index).fillna(0).astype(int)
    for col, name, _ in ACWR_MEASURES:  # runs that lack a load (no heart rate: no TRIMP)
        lacking = runs[col].isna().groupby(runs["local_date"]).sum()
        daily[f"runs_without_{name}"] = lacking.reindex(index).fillna(0).astype(int)
    daily["easy_share"] = daily["easy_s"] / daily["hr_moving_s"]
    daily["ran"] = daily["runs"] > 0
    daily["to_come"] = to_come
    daily["rest_day"] = ~daily["ran"] & ~daily["to_come"]
    daily["back_to_back"] = daily["ran"] & daily["ran"].shift(1, fill_value=False)
    # the morning after a run with a hill run (a Monday after the Sunday before included)
    daily["after_hill_run"] = (daily["hills_run"].fillna(0) > 0).shift(1, fill_value=False)
    symptoms = checkins.set_index("date")[SYMPTOMS]
    daily["checked_in"] = index.isin(judgeable(checkins)["date"].dropna())
    daily = daily.join(symptoms.reindex(index))
    daily["swelling"] = daily["swelling"].astype("boolean").fillna(False).astype(bool)
    nxt = symptoms.reindex(index + DAY)
    daily["next_stiffness"] = nxt["morning_stiffness"].to_numpy()
    daily["stiffness_change"] = daily["next_stiffness"] - daily["morning_stiffness"]
    per_day = drops_per_day(drops, runs, settings).reindex(index)
    for col in ("drops_logged", "drops_sessions", "drops_after_run", "drops_full"):
        daily[col] = per_day[col].fillna(0.0)
    daily["drops_load_max_kg"] = per_day["drops_load_max_kg"]
    daily["drops_target"] = np.where(to_come, 0.0, float(settings.drops_sessions_per_day))
    # against the week's target a day counts up to its own target: extra sessions one day
    # do not make up for a day missed (DOMAIN: twice a day, every day)
    daily["drops_counted"] = np.minimum(daily["drops_sessions"], daily["drops_target"])
    # short: a day that is over (today's evening session may still come) with fewer
    # sessions than its target
    over = index < pd.Timestamp(today).normalize() if today is not None else ~daily["to_come"]
    daily["drops_short"] = over & (daily["drops_sessions"] < daily["drops_target"])
    # the programme has begun: a session was logged on this day or before
    daily["drops_started"] = daily["drops_logged"].cumsum() > 0
    # the programme's week (1 from the first session ever logged; 0 before it)
    started = daily["drops_started"].to_numpy()
    daily["drops_programme_week"] = 0
    if started.any():
        first = index[started].min()
        daily["drops_programme_week"] = np.where(started, (index - first).days // 7 + 1, 0)
    daily["week"] = [iso_week(d) for d in index]
    return add_acwr(daily, _first_load_day(runs, index), settings)


def _first_load_day(runs: pd.DataFrame, index: pd.DatetimeIndex) -> pd.Timestamp:
    """The Monday of the first run's ISO week: the running history counts in whole weeks,
    as the weeks with runs do (:func:`_weeks_with`), so a first run on a Tuesday covers
    its week and the 4th week of running has its 28 days of history."""
    if runs.empty:
        return pd.Timestamp(index[-1]) + DAY
    first = pd.Timestamp(runs["local_date"].min())
    return first - first.weekday() * DAY


#: the loads of the acute:chronic ratio: daily column, column suffix, what a run may lack
ACWR_MEASURES = (("distance_m", "distance", "distance"), ("trimp", "trimp", "heart rate"))


def add_acwr(daily: pd.DataFrame, first_data: pd.Timestamp, settings: Settings) -> pd.DataFrame:
    """Acute (7-day sum) over chronic (28-day sum / 4) load by distance and by TRIMP, in
    ``acwr_distance`` and ``acwr_trimp``; where a day has no ratio, ``acwr_*_note`` says
    why (:func:`acwr`). ``daily`` holds every date (a contiguous index) and ``ran``;
    ``first_data``: the day the running history begins (the Monday of the first run's
    week, :func:`_first_load_day`): a day's 28 days must begin on or after it."""
    out = daily.copy()
    history = pd.Series(out.index >= first_data + (CHRONIC_DAYS - 1) * DAY, index=out.index)
    for col, name, lacking in ACWR_MEASURES:
        partial = out.get(f"runs_without_{name}", pd.Series(0, index=out.index)) > 0
        ratio, note = acwr(out[col], out["ran"], history, lacking, settings, partial)
        out[f"acwr_{name}"] = ratio
        out[f"acwr_{name}_note"] = note
    return out


def _weeks_with(ran: pd.Series) -> pd.Series:
    """How many of the 4 weeks of the 28 days up to each day hold a run."""
    week = ran.astype(int).rolling(ACUTE_DAYS, min_periods=1).max().astype(bool)
    shifted = [week.shift(k * ACUTE_DAYS, fill_value=False) for k in range(1, 4)]
    return week.astype(int) + sum(s.astype(int) for s in shifted)


def _days_since(pos: pd.Series, when: pd.Series) -> pd.Series:
    """Days between the last day where ``when`` holds, at least a week before each day,
    and that day's acute week (NaN where there is none)."""
    last = pos.where(when).ffill().shift(ACUTE_DAYS)
    return pos - (ACUTE_DAYS - 1) - last - 1


def acwr(
    load: pd.Series,
    ran: pd.Series,
    history: pd.Series,
    lacking: str,
    settings: Settings,
    partial: pd.Series | None = None,
) -> tuple[pd.Series, pd.Series]:
    """(ratio, why there is none) per day of one load (daily sums, NaN where not recorded,
    on a contiguous daily index). ``ran``: a run that day; ``history``: the 28 days up to
    the day begin on or after the Monday of the first run's week (whole weeks: on a
    Sunday, its 4 ISO weeks are all running history); ``lacking``: what a run without this load
    lacks ("heart rate"), for the words; ``partial``: a run that day lacked it. Where a
    run of the 28 days lacks the load, their sums undercount it (read as 0), so no ratio
    is given.

    The ratio compares the acute week with the usual load: the chronic load, where runs
    fall in at least ``acwr_min_weeks`` of the 4 weeks of its window and the 3 weeks
    before the acute week hold load. Where they do not (a break, or a history just
    begun), the plain ratio compares the acute week mostly with itself (4.0 for any
    return after 3 weeks off), and the acute week is compared with the usual load before
    the break instead: the chronic load at the last run, at least a week before, where it
    was one, if no more than ``acwr_max_break_weeks`` lie between (after a longer break,
    only a return above ``acwr_high`` times it, a spike whatever the break). A week at or
    below that is neither a spike nor a drop and gives no ratio; with no usual load
    before it, no ratio either.
    """
    values = load.fillna(0.0)
    acute = values.rolling(ACUTE_DAYS, min_periods=1).sum()
    total = values.rolling(CHRONIC_DAYS, min_periods=1).sum()
    chronic = total / (CHRONIC_DAYS / ACUTE_DAYS)
    weeks = _weeks_with(ran)
    loaded_before = total - acute > 1e-6  # the 3 weeks before the acute week; float dust
    usual = history & (weeks >= settings.acwr_min_weeks) & loaded_before
    pos = pd.Series(np.arange(len(values), dtype=float), index=values.index)
    gap = _days_since(pos, ran & usual)  # since the last usual load
    at = (pos - (ACUTE_DAYS - 1) - gap - 1).fillna(0).astype(int).to_numpy()
    before = pd.Series(np.where(gap.notna(), chronic.to_numpy()[at], np.nan), index=pos.index)
    recent = gap <= ACUTE_DAYS * settings.acwr_max_break_weeks
    ran_now = ran.astype(int).rolling(ACUTE_DAYS, min_periods=1).max().astype(bool)
    unrecorded = ran_now & (acute <= 0)
    gaps = pd.Series(False, index=values.index) if partial is None else partial.astype(bool)
    short = gaps.astype(int).rolling(CHRONIC_DAYS, min_periods=1).max().astype(bool)
    # the usual load before a break is read from another 28 days: undercounted there too?
    short_before = pd.Series(np.where(gap.notna(), short.to_numpy()[at], False), index=pos.index)
    undercounted = short | (~usual & short_before)
    ratio = (acute / chronic).where(usual)
    # after a longer break the load before it no longer says what the tendon is used to,
    # but a return well above it (a spike, > acwr_high) is still one: judged on that side
    vs_before = acute / before
    compared = recent | (gap.notna() & (vs_before > settings.acwr_high))
    ratio = ratio.fillna(vs_before.where(~usual & compared & (acute >= before)))
    ratio = ratio.where(~unrecorded & ~undercounted)
    pause = _days_since(pos, ran)  # since the last run before the acute week
    why = np.select(
        [
            ratio.notna(),
            ~history,
            unrecorded,
            undercounted,
            recent,
            pause >= CHRONIC_DAYS - ACUTE_DAYS,  # a break: no run in the 3 weeks before
            weeks >= settings.acwr_min_weeks,
        ],
        ["", "history", "unrecorded", "partial", "below", "break", "missing"],
        default="thin",
    )
    notes: list[str | None] = [None] * len(why)
    n_weeks, days = weeks.to_numpy(dtype=int), pause.to_numpy(dtype=float)
    for day in np.flatnonzero(why != ""):
        notes[day] = _acwr_note(str(why[day]), n_weeks[day], days[day], lacking, settings)
    return ratio, pd.Series(notes, index=pos.index, dtype=object)


def _acwr_note(why: str, weeks: int, pause: float, lacking: str, settings: Settings) -> str:
    """Why a day has no ratio, in words (``why`` is a code of :func:`acwr`)."""
    words = {
        "history": "less than 4 weeks of running history to compare with",
        "unrecorded": f"no {lacking} recorded on this week's runs",
        "partial": f"a run of the last 4 weeks has no {lacking}, so the load would read low",
        "below": "back after a break, below the usual load before it (no spike)",
        "missing": f"no {lacking} recorded in the 3 weeks before this week to compare with",
        "thin": "not enough running to compare with (runs in "
        f"{weeks} of the 4 weeks up to this one, this one included; at least "
        f"{settings.acwr_min_weeks} needed)",
    }
    if why != "break":
        return words[why]
    span = span_words(int(pause))
    if pause > ACUTE_DAYS * settings.acwr_max_break_weeks:
        return f"no usual load to compare with after {span} without running"
    return (
        f"no usual load to compare with: before these {span} without running, runs fell "
        f"in fewer than {settings.acwr_min_weeks} of 4 weeks"
    )


def span_words(days: int) -> str:
    """``10 days``, ``5 weeks``, ``7 months``, ``3 years``."""
    if days < 2 * ACUTE_DAYS:
        return f"{days} days"
    if days < 9 * ACUTE_DAYS:
        return f"{days // ACUTE_DAYS} weeks"
    if days < 730:
        return f"{days // 30} months"
    return f"{days // 365} years"


def weekly_frame(daily: pd.DataFrame) -> pd.DataFrame:
    """One row per ISO week: totals, rest and back-to-back days, heel drops, mean morning
    stiffness, distance change on the week before and the ratios at the week's end.
    ``days_to_come``: the days of the week still to come (rest days and the heel-drop
    target count the days so far only). Heel drops: ``drops_sessions`` are those counted
    against ``drops_target``, each day up to its own target (three sessions one day do
    not make up for a day missed); ``drops_full`` and ``drops_after_run`` are within
    them; ``drops_logged``, every session logged; ``drops_extra``, those done beyond a
    day's target; ``drops_short_days``, the days so far short of it
    (:func:`drops_short_days` names them)."""
    grouped = daily.groupby("week", sort=True)
    sums = grouped[LOAD_SUMS].sum(min_count=1)
    weekly = sums.fillna(0.0)
    weekly["runs"] = grouped["runs"].sum()
    for col in HR_SUMS:  # no runs: 0; runs, none with heart rate: unknown
        weekly[col] = sums[col].where(weekly["runs"] > 0, 0.0)
    weekly["run_days"] = grouped["ran"].sum()
    weekly["rest_days"] = grouped["rest_day"].sum()
    weekly["days_to_come"] = grouped["to_come"].sum().astype(int)
    weekly["back_to_back"] = grouped["back_to_back"].sum()
    weekly["easy_share"] = (weekly["easy_s"] / weekly["hr_moving_s"]).where(
        weekly["hr_moving_s"] > 0
    )
    weekly["stiffness_mean"] = grouped["morning_stiffness"].mean()
    weekly["morning_pain_mean"] = grouped["morning_pain"].mean()
    weekly["morning_pain_days"] = grouped["morning_pain"].count()
    weekly["morning_pain_max"] = grouped["morning_pain"].max()
    weekly["stiffness_days"] = grouped["morning_stiffness"].count()
    weekly["pain_during_max"] = grouped["pain_during"].max()
    # heel drops against the week's target: each day counts up to its own target, the
    # full sessions and those after a run within the sessions counted
    weekly["drops_sessions"] = grouped["drops_counted"].sum()
    weekly["drops_logged"] = grouped["drops_logged"].sum()
    weekly["drops_extra"] = grouped["drops_sessions"].sum() - weekly["drops_sessions"]
    weekly["drops_after_run"] = _capped(daily, "drops_after_run").groupby(daily["week"]).sum()
    weekly["drops_full"] = _capped(daily, "drops_full").groupby(daily["week"]).sum()
    weekly["drops_short_days"] = grouped["drops_short"].sum().astype(int)
    weekly["drops_load_max_kg"] = grouped["drops_load_max_kg"].max()
    weekly["drops_target"] = grouped["drops_target"].sum()
    weekly["swelling_days"] = grouped["swelling"].sum()
    weekly["checkin_days"] = grouped["checked_in"].sum()
    previous = weekly["distance_m"].shift(1)
    weekly["distance_change"] = ((weekly["distance_m"] - previous) / previous).where(previous > 0)
    weekly["runs_before"] = weekly["runs"].shift(1)
    # the ratios of the week's last day (Sunday), NaN there included
    sundays = daily[pd.DatetimeIndex(daily.index).day_of_week == 6].set_index("week")
    for name in ("distance", "trimp"):
        weekly[f"acwr_{name}"] = sundays[f"acwr_{name}"].reindex(weekly.index)
        weekly[f"acwr_{name}_note"] = sundays[f"acwr_{name}_note"].reindex(weekly.index)
    weekly["start"] = [week_start(w) for w in weekly.index]
    return weekly


def _capped(daily: pd.DataFrame, col: str) -> pd.Series:
    """A day's heel-drop sessions of a kind (``col``) within the sessions counted."""
    return daily[col].clip(upper=daily["drops_counted"])


def drops_short_days(daily: pd.DataFrame, week: str) -> pd.DataFrame:
    """The days of ``week`` that have happened with fewer heel-drop sessions done than
    the day's target (``drops_sessions_per_day``), in date order: ``drops_sessions`` done
    and ``drops_target``, for words like "Tue 1 of 2, Thu 0 of 2"."""
    days = daily[(daily["week"] == week) & daily["drops_short"]]
    return days[["drops_sessions", "drops_target"]]


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


@dataclass(frozen=True)
class VisaStep:
    """One VISA-A result and the total a fall is measured from."""

    date: pd.Timestamp
    total: float
    reference: float
    reference_date: pd.Timestamp
    just_before: bool  # the reference is the result just before this one

    @property
    def fall(self) -> float:
        return self.reference - self.total


def visa_a_steps(
    visa_a: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp, window_weeks: int
) -> list[VisaStep]:
    """Every VISA-A logged on the days ``first`` to ``last`` that has a result before it,
    measured from the higher of the result just before it (however long before) and the
    best result of the ``window_weeks`` weeks before it that it is a new low since: 70,
    61, 52 is a fall of 18, not two of 9 (DOMAIN: "a total falling by 10 or more"), while
    70, 55, 58 is one fall (to 55) and then a rise, not a second fall from 70. Ties go to
    the later result."""
    rows = visa_a.dropna(subset=["total"]).sort_values("date", kind="stable")
    totals = [float(t) for t in rows["total"]]
    dates = [pd.Timestamp(d).normalize() for d in rows["date"]]
    begin, end = first.normalize(), last.normalize() + DAY
    window = ACUTE_DAYS * window_weeks * DAY
    steps = []
    for i in range(1, len(totals)):
        if not begin <= dates[i] < end:
            continue
        best, low = i - 1, totals[i - 1]  # low: the lowest result after j, up to i - 1
        for j in range(i - 2, -1, -1):
            if dates[j] < dates[i] - window or totals[i] >= low:
                break  # out of the window, or no new low since any earlier result
            if totals[j] > totals[best]:
                best = j
            low = min(low, totals[j])
        steps.append(VisaStep(dates[i], totals[i], totals[best], dates[best], best == i - 1))
    return steps
