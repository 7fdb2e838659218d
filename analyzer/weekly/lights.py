"""Traffic lights of runs, days and weeks: the rules of symptoms.rules over the frames.

A run, day or week with no symptom check-ins to judge it by gets the neutral light
``none`` (shown grey, "Not judged", with the reason), never green: green says that pain
stayed low and the mornings settled, which only a check-in can tell. Where there IS
something to judge, the lights are those of ``symptoms.rules`` (DOMAIN.md); amber and red
from the load alone (distance, acute:chronic ratio, back-to-back days) stand without
check-ins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from analyzer.settings import Settings
from analyzer.symptoms import rules
from analyzer.symptoms.rules import HEADLINES, Finding, PainRules, RedFlag, Verdict
from analyzer.weekly.daily import DAY, span_words, visa_a_latest, visa_a_steps, week_start

NONE = "none"  # nothing to judge by: no check-ins
NONE_HEADLINE = "No check-ins: nothing to judge the tendon by"
#: amber or red from the load rules alone, in a week without a check-in: the words say it
#: is the load that moved, since nothing was logged about the tendon itself
LOAD_ONLY_HEADLINES = {
    "amber": "Amber: from the load rules alone (no check-ins to judge the tendon by)",
    "red": "Red: from the load rules alone (no check-ins to judge the tendon by)",
}


REST_WEEK_HEADLINE = "Green: no runs this week, and nothing of concern logged"


@dataclass(frozen=True)
class Judgement:
    """A light with its reasons: green, amber or red (the rules), or ``none``."""

    light: str
    reasons: tuple[str, ...]
    load_only: bool = False  # amber or red from the load rules, no check-in to judge by
    rest_week: bool = False  # a week without runs: green is not "tolerating the running"

    @property
    def words(self) -> str:
        if self.light == NONE:
            return NONE_HEADLINE
        if self.load_only and self.light in LOAD_ONLY_HEADLINES:
            return LOAD_ONLY_HEADLINES[self.light]
        if self.rest_week and self.light == "green":
            return REST_WEEK_HEADLINE
        return HEADLINES[self.light]

    @classmethod
    def of(cls, verdict: Verdict) -> Judgement:
        return cls(verdict.light, verdict.reasons)

    def as_verdict(self) -> Verdict:
        """For the rules (only for green, amber and red)."""
        assert self.light != NONE
        return Verdict(self.light, self.reasons)  # type: ignore[arg-type]


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def run_label(local_start: pd.Timestamp) -> str:
    """``Tue 20 Oct`` for a run's local start."""
    return local_start.strftime("%a %d %b").replace(" 0", " ")


def run_judgement(
    pain_during: float | None,
    stiffness: float | None,
    next_stiffness: float | None,
    pain: PainRules,
    morning_pain: tuple[float | None, float | None] = (None, None),
    pain_after: float | None = None,
) -> Judgement:
    """The rules' verdict of one run where a check-in judges it: pain during or after the
    run logged, or the mornings of the run and after it both logged; ``none`` otherwise.
    A green run names only what was logged."""
    v = Judgement.of(
        rules.run_verdict(pain_during, stiffness, next_stiffness, pain, morning_pain, pain_after)
    )
    has_pain = pain_during is not None or pain_after is not None
    has_mornings = (stiffness is not None and next_stiffness is not None) or (
        morning_pain[0] is not None and morning_pain[1] is not None
    )
    if v.light != "green" or (has_pain and has_mornings):
        return v
    if not (has_pain or has_mornings):
        if next_stiffness is None and morning_pain[1] is None:
            return Judgement(NONE, ("no check-in for the run or the next morning",))
        if stiffness is None and morning_pain[0] is None:
            return Judgement(
                NONE, ("pain not logged and no check-in the morning of the run to compare with",)
            )
        return Judgement(  # stiffness one morning, pain on getting up the other
            NONE,
            (
                "pain not logged, and the morning of the run and the next share no score "
                "to compare (stiffness, pain on getting up)",
            ),
        )
    if pain_during is not None:
        what = "pain during the run stayed low"
        if pain_after is not None:
            what += f" and pain after it within {pain.acceptable_max:g}"
        return Judgement("green", (f"{what}; no morning score on both mornings to compare",))
    if has_pain:  # pain after the run alone
        return Judgement(
            "green",
            (
                f"pain after the run stayed within {pain.acceptable_max:g}; pain during the "
                "run not logged, and no morning score on both mornings to compare",
            ),
        )
    return Judgement("green", ("the next morning was no worse; pain during the run not logged",))


#: the reason of a run not judged because its next morning has not come yet
NEXT_MORNING_TO_COME = "the next morning's check-in is still to come"


def add_run_lights(
    runs: pd.DataFrame, pain: PainRules, today: pd.Timestamp | None = None
) -> pd.DataFrame:
    """``runs`` with ``settled``, ``pain_settled``, ``light`` and ``reasons`` (a tuple of
    words) per run. ``settled``: neither the stiffness nor the pain on getting up rose by
    the next morning; ``pain_settled``: the pain on getting up did not (the red flag of
    two runs in a row is about pain)."""
    out = runs.copy()
    mornings = [
        (_num(r.morning_pain), _num(r.next_pain)) if "morning_pain" in out.columns else (None, None)
        for r in out.itertuples()
    ]
    # a list: a float column's map(_num) would turn the None of "not logged" back into NaN
    column = out["pain_after"] if "pain_after" in out.columns else [None] * len(out)
    after = [_num(a) for a in column]
    verdicts = [
        run_judgement(_num(r.pain_during), _num(r.stiffness), _num(r.next_stiffness), pain, m, a)
        for r, m, a in zip(out.itertuples(), mornings, after, strict=True)
    ]
    out["pain_settled"] = [rules.settled(*m, pain) for m in mornings]
    out["settled"] = [
        rules.settled(_num(r.stiffness), _num(r.next_stiffness), pain) and ok
        for r, ok in zip(out.itertuples(), out["pain_settled"], strict=True)
    ]
    if today is not None and "local_date" in out.columns:
        # a run of yesterday or today with nothing logged yet: its next morning is today or
        # later, so "no check-in" is not a gap in the log, only not yet
        waiting = (out["local_date"] + DAY >= today.normalize()).to_numpy()
        verdicts = [
            Judgement(NONE, (NEXT_MORNING_TO_COME,)) if w and v.light == NONE else v
            for v, w in zip(verdicts, waiting, strict=True)
        ]
    out["light"] = [v.light for v in verdicts]
    out["reasons"] = [v.reasons for v in verdicts]
    return out


def add_day_lights(daily: pd.DataFrame, runs: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """``daily`` with ``light`` and ``reasons`` per date (runs must carry their lights)."""
    out = daily.copy()
    by_day: dict[pd.Timestamp, list[Judgement]] = {}
    for day, light, why in zip(runs["local_date"], runs["light"], runs["reasons"], strict=True):
        by_day.setdefault(pd.Timestamp(day), []).append(Judgement(light, why))
    checked = out["checked_in"] if "checked_in" in out.columns else pd.Series(True, out.index)
    to_come = out["to_come"] if "to_come" in out.columns else pd.Series(False, out.index)
    pain = PainRules.from_settings(settings)
    nothing = pd.Series(None, out.index)
    during = out["pain_during"] if "pain_during" in out.columns else nothing
    after = out["pain_after"] if "pain_after" in out.columns else nothing
    lights, reasons = [], []
    for day, b2b, swelling, checked_in, later, score, score_after in zip(
        out.index,
        out["back_to_back"],
        out["swelling"],
        checked,
        to_come,
        during,
        after,
        strict=True,
    ):
        judged = by_day.get(day, [])
        if not judged:  # pain during or after a run that is not stored (not imported yet)
            found = [
                f
                for f in (
                    rules.pain_during(_num(score), pain),
                    rules.pain_after(_num(score_after), pain),
                )
                if f is not None
            ]
            judged = [Judgement(f.light, (f"{f.reason} (no run stored that day)",)) for f in found]
        v = day_judgement(judged, bool(b2b), bool(swelling), bool(checked_in), settings)
        if later and v.light == NONE:
            v = Judgement(NONE, ("a day still to come",))
        lights.append(v.light)
        reasons.append(v.reasons)
    out["light"] = lights
    out["reasons"] = reasons
    return out


def day_judgement(
    runs: list[Judgement], back_to_back: bool, swelling: bool, checked_in: bool, settings: Settings
) -> Judgement:
    """The rules' verdict of a day; ``none`` where it would be green with nothing judged:
    no check-in that day and no run judged."""
    judged = [r.as_verdict() for r in runs if r.light != NONE]
    v = Judgement.of(rules.day_verdict(judged, back_to_back, swelling, settings))
    if v.light != "green" or judged:
        return v
    if runs:
        return Judgement(NONE, (f"run not judged: {runs[0].reasons[0]}",))
    if not checked_in:
        return Judgement(NONE, ("rest day, no check-in logged",))
    return v


@dataclass(frozen=True)
class WeekAssessment:
    """The week's verdict, its red flags, and the VISA-A totals around it."""

    week: str
    verdict: Judgement
    red_flags: tuple[RedFlag, ...]
    visa_a_latest: float | None
    visa_a_previous: float | None


#: the acute:chronic ratios of the weekly frame: column suffix, the load in words
RATIOS = (("distance", "distance"), ("trimp", "heart-rate load"))


def _load_findings(row: pd.Series, settings: Settings, ended: bool) -> list[Finding | None]:
    """The load rules; a week that has not ended cannot show less load than usual yet,
    so the low side of its ratios is not judged (the high side is: the load so far is
    real); nor is a week without runs: a rest week (after a flare, say) is no warning sign
    of its own, and the return from it is judged by the ratio of the week back."""
    before = _num(row.get("runs_before"))
    runs = (int(row["runs"]), int(before)) if before is not None else None
    findings = [rules.distance_change(_num(row["distance_change"]), settings, runs)]
    low_side = ended and bool(row.get("runs", 0))  # over, and not a rest week
    for name, what in RATIOS:
        ratio = _num(row[f"acwr_{name}"])
        if not low_side and ratio is not None and ratio < settings.acwr_low:
            ratio = None
        findings.append(rules.acwr_finding(ratio, what, settings))
    findings.append(rules.back_to_back_finding(int(row["back_to_back"]), settings))
    return findings


def ratio_notes(row: pd.Series) -> tuple[str, ...]:
    """Why a week with runs has no acute:chronic ratio (``daily.acwr``), one line where both
    ratios have the same reason."""
    if not row.get("runs", 0):
        return ()
    notes = [row.get(f"acwr_{name}_note") for name, _ in RATIOS]
    notes = [n if isinstance(n, str) and n else None for n in notes]
    if notes[0] is not None and notes[0] == notes[1]:
        return (f"acute:chronic ratio not judged: {notes[0]}",)
    return tuple(
        f"acute:chronic {what} ratio not judged: {note}"
        for (_, what), note in zip(RATIOS, notes, strict=True)
        if note is not None
    )


def _flags(
    week: str, weekly: pd.DataFrame, daily: pd.DataFrame, runs: pd.DataFrame, pain: PainRules
) -> list[RedFlag]:
    # one entry per running day: the runs of a day share its check-ins, so two runs that
    # day are one pain score and one next morning (not "two runs in a row")
    order = runs.drop_duplicates("local_date", keep="first").reset_index(drop=True)
    this = order[order["week"] == week]
    labels = [run_label(t) for t in this["local_start"]]
    flags = rules.flag_pain_during(zip(labels, this["pain_during"].map(_num), strict=True), pain)
    # pain during a run logged on a day without a stored run (not imported yet) still counts
    logged = daily[(daily["week"] == week) & (daily["runs"] == 0)]["pain_during"].dropna()
    dates = pd.DatetimeIndex(logged.index)
    days_logged = ((run_label(d), _num(v)) for d, v in zip(dates, logged, strict=True))
    flags += rules.flag_pain_during(days_logged, pain, stored=False)
    # two running days in a row: each pair ending in this week, so a pair is flagged once
    for i in order.index[order["week"] == week]:
        if i > 0:
            pair = order.loc[[i - 1, i]]
            seq = [
                (run_label(t), bool(s))
                for t, s in zip(pair["local_start"], pair["pain_settled"], strict=True)
            ]
            flags += rules.flag_unsettled_in_a_row(seq)
    upto = judged_means(weekly, "stiffness_mean", "stiffness_days", pain).loc[:week].tolist()
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
    today: pd.Timestamp,
) -> WeekAssessment:
    """Verdict and red flags of ``week`` (runs carry their lights; frames span history);
    ``today``: the local date, to know whether the week has ended."""
    row = weekly.loc[week]
    assert isinstance(row, pd.Series)
    flags = _flags(week, weekly, daily, runs, pain)
    start = week_start(week)
    previous, latest, _ = visa_a_latest(visa_a, start + 6 * DAY)
    flags += _visa_a_flag(visa_a, start, pain)
    this = runs[runs["week"] == week]
    run_verdicts = [
        Verdict(light, tuple(f"{run_label(start)}: {x}" for x in reasons))
        for light, reasons, start in zip(
            this["light"], this["reasons"], this["local_start"], strict=True
        )
        if light != NONE
    ]
    pos = list(weekly.index).index(week)
    trends: list[Finding | None] = []
    notes: list[str] = []
    for mean, days, what in (
        ("stiffness_mean", "stiffness_days", "morning stiffness"),
        ("morning_pain_mean", "morning_pain_days", "morning pain"),
    ):
        means = judged_means(weekly, mean, days, pain)
        before = _num(means.iloc[pos - 1]) if pos > 0 else None
        trends.append(rules.morning_trend(_num(means.iloc[pos]), before, pain, what))
        n = int(row.get(days, 0) or 0)
        if 0 < n < pain.weekly_min_mornings:
            notes.append(
                f"{what} logged on {n} morning{'s' if n > 1 else ''} only: not compared with "
                f"other weeks (at least {pain.weekly_min_mornings})"
            )
    trends.append(rules.high_morning_pain(_num(row.get("morning_pain_max")), pain))
    trends += _pain_after_unstored(week, daily, pain)
    ended = today.normalize() > start + 6 * DAY
    load = _load_findings(row, settings, ended)
    off = _days_off(runs, start) if len(this) else None
    span = span_words(off) if off is not None else ""
    load.append(rules.return_after_break(None if off is None else off / 7, span, settings))
    v = Judgement.of(rules.week_verdict(run_verdicts, load, trends, flags))
    checkin_days = int(row.get("checkin_days", 1) or 0)
    v = _week_without_checkins(v, len(this), len(run_verdicts), checkin_days)
    load_only = (
        v.light in LOAD_ONLY_HEADLINES and not checkin_days and not run_verdicts and not flags
    )
    v = Judgement(
        v.light,
        v.reasons + ratio_notes(row) + tuple(notes),
        load_only=load_only,
        rest_week=not len(this),
    )
    return WeekAssessment(week, v, tuple(flags), latest, previous)


def _pain_after_unstored(week: str, daily: pd.DataFrame, pain: PainRules) -> list[Finding]:
    """Pain after a run above ``acceptable_max`` logged on a day of ``week`` without a
    stored run (not imported yet): amber, as it is for a stored run (``add_day_lights``)."""
    if "pain_after" not in daily.columns:
        return []
    logged = daily[(daily["week"] == week) & (daily["runs"] == 0)]["pain_after"].dropna()
    found = []
    for day, score in zip(pd.DatetimeIndex(logged.index), logged, strict=True):
        f = rules.pain_after(_num(score), pain)
        if f is not None:
            found.append(Finding(f.light, f"{run_label(day)}: {f.reason} (no run stored that day)"))
    return found


def judged_means(weekly: pd.DataFrame, mean: str, days: str, pain: PainRules) -> pd.Series:
    """The weekly means of a morning score where at least ``weekly_min_mornings`` mornings
    were logged (NaN elsewhere): what the week-to-week rules compare."""
    if days not in weekly.columns:
        return weekly[mean]
    return weekly[mean].where(weekly[days] >= pain.weekly_min_mornings)


def _days_off(runs: pd.DataFrame, start: pd.Timestamp) -> int | None:
    """Days without running between the last run before the week starting ``start`` and
    that week's Monday, as the acute:chronic ratio counts a break (``daily.acwr``), so the
    two never disagree about one break; None where there was no run before the week: the
    week of the first run, which the ratio's history counts whole from its Monday
    (``daily._first_load_day``), is the history's first week, not a return."""
    before = runs.loc[runs["local_start"] < start, "local_date"]
    if before.empty:
        return None
    return int((start - before.max().normalize()) / DAY) - 1


def _visa_a_flag(visa_a: pd.DataFrame, start: pd.Timestamp, pain: PainRules) -> list[RedFlag]:
    """The largest fall among the VISA-A results of the week starting ``start``
    (``daily.visa_a_steps``): a fall is flagged in the week the lower total was logged
    (not in every later week), and a later, better result that week does not undo it."""
    steps = visa_a_steps(visa_a, start, start + 6 * DAY, pain.visa_a_window_weeks)
    if not steps:
        return []
    step = max(steps, key=lambda s: s.fall)
    since = None if step.just_before else run_label(step.reference_date)
    return rules.flag_visa_a(step.reference, step.total, pain, since)


def _week_without_checkins(v: Judgement, runs: int, judged: int, checkin_days: int) -> Judgement:
    """A green week keeps green only if a check-in judged it; a week without runs says so."""
    if v.light != "green":
        return v
    if runs and not judged:
        why = (
            "no check-ins logged this week"
            if not checkin_days
            else ("no check-in on the day of a run or the morning after")
        )
        return Judgement(NONE, (f"{why}: the {_runs(runs)} could not be judged",))
    if not runs and not checkin_days:
        return Judgement(NONE, ("no runs and no check-ins logged this week",))
    if not runs:
        days = "1 check-in" if checkin_days == 1 else f"{checkin_days} check-ins"
        return Judgement("green", (f"no runs; the {days} logged showed nothing of concern",))
    return v


def _runs(count: int) -> str:
    return "run" if count == 1 else f"{count} runs"
