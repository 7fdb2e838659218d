"""The frames one report page is built from: history once, then one week's view of it."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analyzer.errors import AnalyzerError
from analyzer.settings import Settings
from analyzer.symptoms.rules import PainRules
from analyzer.weekly.associations import Link, links
from analyzer.weekly.daily import (
    DAY,
    daily_frame,
    data_dates,
    iso_week,
    runs_frame,
    week_start,
    weekly_frame,
)
from analyzer.weekly.inputs import Inputs
from analyzer.weekly.lights import WeekAssessment, add_day_lights, add_run_lights, assess_week
from analyzer.weekly.sport import RUN, kinds, plural

TREND_WEEKS = 12


@dataclass(frozen=True)
class History:
    """Every run, day and week of the store, with lights; weekly is indexed by ISO week."""

    settings: Settings
    pain: PainRules
    runs: pd.DataFrame
    daily: pd.DataFrame
    weekly: pd.DataFrame
    visa_a: pd.DataFrame
    assessments: dict[str, WeekAssessment] = field(default_factory=dict)
    #: activities that are not runs (weekly.sport), with ``kind``, ``local_date``, ``week``
    others: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: weeks with a run, a check-in, a heel-drop session or a VISA-A, oldest first
    data_weeks: list[str] = field(default_factory=list)
    #: the local date the history was judged on (``Inputs.today``)
    today: pd.Timestamp | None = None

    @property
    def weeks(self) -> list[str]:
        """Every calendar week of the history (for ratios and trends), empty ones included."""
        return list(self.weekly.index)


def history(inputs: Inputs, pain: PainRules | None = None) -> History:
    """Runs, days and weeks over the whole store, each week assessed."""
    settings = inputs.settings
    pain = pain or PainRules.from_settings(settings)
    acts = inputs.activities.assign(kind=kinds(inputs.activities))
    is_run = acts["kind"] == RUN
    runs = runs_frame(acts[is_run], inputs.checkins, settings)
    today = inputs.local_today()
    runs = add_run_lights(runs, pain, today)
    others = runs_frame(acts[~is_run], inputs.checkins, settings)
    daily = daily_frame(runs, inputs.checkins, inputs.drops, settings, inputs.visa_a, today)
    daily = add_day_lights(daily, runs, settings)
    weekly = weekly_frame(daily)
    assessments = {
        w: assess_week(w, weekly, daily, runs, inputs.visa_a, settings, pain, today)
        for w in weekly.index
    }
    weekly["light"] = [assessments[w].verdict.light for w in weekly.index]
    dates = data_dates(runs, inputs.checkins, inputs.drops, inputs.visa_a)
    have = {iso_week(pd.Timestamp(d)) for d in dates}
    data_weeks = [w for w in weekly.index if w in have]
    return History(
        settings, pain, runs, daily, weekly, inputs.visa_a, assessments, others, data_weeks, today
    )


def left_out(others: pd.DataFrame) -> list[tuple[str, float]]:
    """The activities not counted as running, by kind: (``1 ride``, distance m), the
    longest total distance first."""
    if others.empty:
        return []
    groups = others.groupby("kind")["distance_m"].agg(["size", "sum"])
    groups = groups.sort_values(["sum", "size"], ascending=False, kind="stable")
    return [
        (plural(str(kind), int(count)), float(dist)) for kind, (count, dist) in groups.iterrows()
    ]


@dataclass(frozen=True)
class WeekView:
    """One ISO week: its days, runs, hills and streams, the verdict, links and trends."""

    week: str
    start: pd.Timestamp
    totals: pd.Series
    days: pd.DataFrame
    runs: pd.DataFrame
    hills: pd.DataFrame
    streams: dict[str, pd.DataFrame]  # the runs whose stream could be read
    assessment: WeekAssessment
    links: list[Link]
    others: pd.DataFrame  # this week's activities that are not runs (weekly.sport)
    history_runs: pd.DataFrame  # every run up to the end of the week (the link plots)
    trends: pd.DataFrame  # the last TREND_WEEKS weeks, this one included
    visa_a: pd.DataFrame  # every VISA-A up to the end of the week
    settings: Settings
    pain: PainRules
    unreadable: tuple[str, ...] = ()  # why a run's stream could not be read


def week_view(inputs: Inputs, hist: History, week: str) -> WeekView:
    """The view of ``week``; per-second streams are read for this week's runs only."""
    start = week_start(week)
    end = start + 6 * DAY
    runs = hist.runs[hist.runs["week"] == week].reset_index(drop=True)
    ids = [str(i) for i in runs["id"]]
    streams: dict[str, pd.DataFrame] = {}
    unreadable = []
    for i in ids:  # a damaged stream costs its run's profile, not the week's page
        try:
            streams[i] = inputs.streams(i)
        except AnalyzerError as exc:
            unreadable.append(str(exc))
    pos = hist.weeks.index(week)
    return WeekView(
        week=week,
        start=start,
        totals=hist.weekly.iloc[pos],
        days=hist.daily.loc[start:end],
        runs=runs,
        hills=inputs.hills_of(ids),
        streams=streams,
        assessment=hist.assessments[week],
        others=hist.others[hist.others["week"] == week].reset_index(drop=True),
        links=links(hist.runs, end, hist.settings),
        history_runs=hist.runs[hist.runs["local_date"] <= end],
        trends=open_week_trends(hist.weekly.reindex(trend_weeks(week)), hist),
        visa_a=hist.visa_a[hist.visa_a["date"] <= end],
        settings=hist.settings,
        pain=hist.pain,
        unreadable=tuple(unreadable),
    )


def open_week_trends(trends: pd.DataFrame, hist: History) -> pd.DataFrame:
    """``trends`` where the week of ``hist.today`` has not ended: its ratios below the
    amber limit and its fall in distance are left out, as the lights leave them (a week
    with its runs still to come shows no drop yet); a high ratio or a rise still shows."""
    if hist.today is None or iso_week(hist.today) not in trends.index:
        return trends
    label = iso_week(hist.today)
    out = trends.copy()
    low = {"acwr_distance": hist.settings.acwr_low, "acwr_trimp": hist.settings.acwr_low}
    for column, limit in {**low, "distance_change": 0.0}.items():
        if column in out.columns and float(out[column].get(label, float("nan"))) < limit:
            out.loc[label, column] = float("nan")
    return out


def trend_weeks(week: str, count: int = TREND_WEEKS) -> list[str]:
    """The ``count`` ISO week labels ending with ``week`` (weeks without data included)."""
    start = week_start(week)
    return [iso_week(start - pd.Timedelta(weeks=k)) for k in range(count - 1, -1, -1)]


def current_week(hist: History, today: pd.Timestamp | None = None) -> str:
    """The ISO week of ``today`` (local; by default the history's) if it has data, else the
    last week with data."""
    today = today if today is not None else hist.today
    today = (today or pd.Timestamp.now(tz=hist.settings.timezone)).tz_localize(None).normalize()
    label = iso_week(today)
    weeks = hist.data_weeks or hist.weeks
    return label if label in weeks else weeks[-1]
