"""Traffic lights of runs, days and weeks: the rules of symptoms.rules over the frames."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from analyzer.settings import Settings
from analyzer.symptoms import rules
from analyzer.symptoms.rules import Finding, PainRules, RedFlag, Verdict
from analyzer.weekly.daily import DAY, visa_a_until, week_start


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def run_label(local_start: pd.Timestamp) -> str:
    """``Tue 20 Oct`` for a run's local start."""
    return local_start.strftime("%a %d %b").replace(" 0", " ")


def add_run_lights(runs: pd.DataFrame, pain: PainRules) -> pd.DataFrame:
    """``runs`` with ``settled``, ``light`` and ``reasons`` (a tuple of words) per run."""
    out = runs.copy()
    verdicts = [
        rules.run_verdict(_num(r.pain_during), _num(r.stiffness), _num(r.next_stiffness), pain)
        for r in out.itertuples()
    ]
    out["settled"] = [
        rules.settled(_num(r.stiffness), _num(r.next_stiffness), pain) for r in out.itertuples()
    ]
    out["light"] = [v.light for v in verdicts]
    out["reasons"] = [v.reasons for v in verdicts]
    return out


def add_day_lights(daily: pd.DataFrame, runs: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """``daily`` with ``light`` and ``reasons`` per date (runs must carry their lights)."""
    out = daily.copy()
    by_day: dict[pd.Timestamp, list[Verdict]] = {}
    for day, light, why in zip(runs["local_date"], runs["light"], runs["reasons"], strict=True):
        by_day.setdefault(pd.Timestamp(day), []).append(Verdict(light, why))
    lights, reasons = [], []
    for day, b2b, swelling in zip(out.index, out["back_to_back"], out["swelling"], strict=True):
        v = rules.day_verdict(by_day.get(day, []), bool(b2b), bool(swelling), settings)
        lights.append(v.light)
        reasons.append(v.reasons)
    out["light"] = lights
    out["reasons"] = reasons
    return out


@dataclass(frozen=True)
class WeekAssessment:
    """The week's verdict, its red flags, and the VISA-A totals around it."""

    week: str
    verdict: Verdict
    red_flags: tuple[RedFlag, ...]
    visa_a_latest: float | None
    visa_a_previous: float | None


def _load_findings(row: pd.Series, settings: Settings) -> list[Finding | None]:
    return [
        rules.distance_change(_num(row["distance_change"]), settings),
        rules.acwr_finding(_num(row["acwr_distance"]), "distance", settings),
        rules.acwr_finding(_num(row["acwr_trimp"]), "heart-rate load", settings),
        rules.back_to_back_finding(int(row["back_to_back"]), settings),
    ]


def _flags(
    week: str, weekly: pd.DataFrame, daily: pd.DataFrame, runs: pd.DataFrame, pain: PainRules
) -> list[RedFlag]:
    this = runs[runs["week"] == week]
    labels = [run_label(t) for t in this["local_start"]]
    flags = rules.flag_pain_during(zip(labels, this["pain_during"].map(_num), strict=True), pain)
    # two runs in a row: each pair ending in this week, so a pair is flagged once
    order = runs.reset_index(drop=True)
    for i in order.index[order["week"] == week]:
        if i > 0:
            pair = order.loc[[i - 1, i]]
            seq = [
                (run_label(t), bool(s))
                for t, s in zip(pair["local_start"], pair["settled"], strict=True)
            ]
            flags += rules.flag_unsettled_in_a_row(seq)
    upto = weekly.loc[:week, "stiffness_mean"].tolist()
    flags += rules.flag_stiffness_rising([_num(m) for m in upto[-3:]], pain)
    days = daily[(daily["week"] == week) & daily["swelling"]].index
    flags += rules.flag_swelling(d.strftime("%a %d %b") for d in days)
    return flags


def assess_week(
    week: str,
    weekly: pd.DataFrame,
    daily: pd.DataFrame,
    runs: pd.DataFrame,
    visa_a: pd.DataFrame,
    settings: Settings,
    pain: PainRules,
) -> WeekAssessment:
    """Verdict and red flags of ``week`` (runs carry their lights; frames span history)."""
    row = weekly.loc[week]
    assert isinstance(row, pd.Series)
    flags = _flags(week, weekly, daily, runs, pain)
    end = week_start(week) + 6 * DAY
    previous, latest = visa_a_until(visa_a, end)
    flags += rules.flag_visa_a(previous, latest, pain)
    this = runs[runs["week"] == week]
    run_verdicts = [
        Verdict(light, tuple(f"{run_label(start)}: {x}" for x in reasons))
        for light, reasons, start in zip(
            this["light"], this["reasons"], this["local_start"], strict=True
        )
    ]
    weeks = list(weekly.index)
    pos = weeks.index(week)
    prev_mean = _num(weekly["stiffness_mean"].iloc[pos - 1]) if pos > 0 else None
    trend = rules.stiffness_trend(_num(row["stiffness_mean"]), prev_mean, pain)
    v = rules.week_verdict(run_verdicts, _load_findings(row, settings), trend, flags)
    return WeekAssessment(week, v, tuple(flags), latest, previous)
