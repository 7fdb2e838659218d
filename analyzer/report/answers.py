"""The week's answers in words to the questions DOMAIN.md says the runner asks each week.

- Is the running making the tendon worse, or is it settling? (:func:`settling`)
- Did I keep my rest days, walk the hills and stay easy? (:func:`kept`)
- Do runs that were not really easy show up in next morning's stiffness?
  (:func:`easy_mornings`, beside the hill lines of ``build.hill_mornings``)

Observations only, never a diagnosis: each line says what was logged or recorded and how
it compares, and the rules' lights stay the judgement.
"""

from __future__ import annotations

import pandas as pd

from analyzer.report.units import Units, fmt_minutes
from analyzer.symptoms.rules import percent
from analyzer.weekly.daily import drops_short_days
from analyzer.weekly.lights import _num, judged_means, run_label
from analyzer.weekly.view import WeekView

#: DOMAIN's "keep most running easy": a run is mostly easy when more than half of its
#: moving time (with heart rate) was under the easy limit; "most" means more than half
MOSTLY = 0.5
#: how far back the settling line looks for a week to compare with (and no further)
LOOK_BACK_WEEKS = 4
#: MORNING_SCORES: the weekly columns of a morning score, its days column, and its words
MORNING_SCORES = (
    ("stiffness_mean", "stiffness_days", "Morning stiffness"),
    ("morning_pain_mean", "morning_pain_days", "Pain on getting up"),
)


NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


def _weeks_words(n: int) -> str:
    """``last week``, ``four weeks before``."""
    return "last week" if n == 1 else f"{NUMBER_WORDS.get(n, str(n))} weeks before"


def _direction(now: float, then: float) -> str:
    """``lower than``, ``higher than`` or ``the same as``, compared at the one decimal
    shown."""
    diff = round(now, 1) - round(then, 1)
    if abs(diff) < 0.05:
        return "the same as"
    return "lower than" if diff < 0 else "higher than"


def settling(view: WeekView) -> list[str]:
    """Is it settling? The week's mean morning stiffness and pain on getting up against
    the earliest week up to ``LOOK_BACK_WEEKS`` before (else last week), each over at
    least ``weekly_min_mornings`` mornings (the means the rules compare); and the VISA-A
    against the result before. One line per score logged."""
    pos = list(view.trends.index).index(view.week)  # the trend weeks end with this one
    lines = []
    for mean, days, what in MORNING_SCORES:
        if mean in view.trends.columns:
            line = _morning_line(view, mean, days, what, pos)
            if line:
                lines.append(line)
    visa = view.visa_a.dropna(subset=["total"]) if len(view.visa_a) else view.visa_a
    if len(visa) >= 2:
        latest, before = visa.iloc[-1], visa.iloc[-2]
        lines.append(
            f"VISA-A {latest['total']:g}/100 on {run_label(pd.Timestamp(latest['date']))}, "
            f"against {before['total']:g} on {run_label(pd.Timestamp(before['date']))} "
            "(higher is better)."
        )
    return lines


def _morning_line(view: WeekView, mean: str, days: str, what: str, pos: int) -> str | None:
    """One morning score's line of :func:`settling` (None where none was logged)."""
    pain = view.pain
    means = judged_means(view.trends, mean, days, pain)
    now = _num(means.iloc[pos])
    if now is None:
        n = int(_num(view.trends[days].iloc[pos]) or 0) if days in view.trends.columns else 0
        if not n:
            return None
        return (
            f"{what}: logged on {n} morning{'s' if n > 1 else ''} this week, too few to "
            f"compare (at least {pain.weekly_min_mornings})."
        )
    last = _num(means.iloc[pos - 1]) if pos >= 1 else None
    compared = [(1, last)] if last is not None else []
    for back in range(LOOK_BACK_WEEKS, 1, -1):  # the earliest week with enough mornings
        then = _num(means.iloc[pos - back]) if pos - back >= 0 else None
        if then is not None:
            compared.append((back, then))
            break
    head = f"{what} averaged {now:.1f}/10 this week"
    if not compared:
        return (
            f"{head}; no week of the {LOOK_BACK_WEEKS} before has enough mornings logged to "
            "compare with."
        )
    n, then = compared[-1]
    line = f"{head}: {_direction(now, then)} {_weeks_words(n)} ({then:.1f})"
    if n > 1 and last is not None:
        line += f"; last week {last:.1f}"
    return line + "."


def _day_list(days: list[pd.Timestamp]) -> str:
    words = [run_label(d) for d in days]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def kept(view: WeekView, units: Units, easy_limit_bpm: float | None) -> list[str]:
    """Did I keep my rest days, walk the hills, stay easy and do the heel drops? One line
    each, naming the days that did not (the first three only in a week with runs)."""
    drops = drops_line(view)
    runs = view.runs
    if runs.empty:
        return [drops] if drops else []
    t = view.totals
    lines = []
    # rest days: the days after which a running day followed another
    b2b = view.days.index[view.days["back_to_back"].fillna(False).astype(bool)]
    rest = int(t["rest_days"])
    if len(b2b):
        pairs = ", ".join(f"{run_label(d - pd.Timedelta(days=1))} and {run_label(d)}" for d in b2b)
        lines.append(f"Rest days: {rest}; ran on consecutive days: {pairs}.")
    else:
        lines.append(f"Rest days: {rest}, with a rest day between every two runs.")
    # hills: the runs where a hill was run, not walked
    ran = runs[runs["hills_run"].fillna(0) > 0]
    walked, run_up = int(t["hills_walked"]), int(t["hills_run"])
    if not walked and not run_up:
        lines.append("Hills: no hill on this week's runs.")
    elif ran.empty:
        lines.append(f"Hills: all {walked} walked.")
    else:
        which = _day_list([pd.Timestamp(d) for d in ran["local_start"]])
        lines.append(f"Hills: {walked} walked, {run_up} run ({which}).")
    # easy: the share of the week, and the runs that were not mostly easy
    share = _num(t.get("easy_share"))
    with_hr = runs[runs["easy_share"].notna()]
    limit = f" (under {easy_limit_bpm:.0f} bpm)" if easy_limit_bpm is not None else ""
    if share is None or with_hr.empty:
        lines.append("Easy effort: no heart rate recorded on this week's runs.")
    else:
        hard = with_hr[with_hr["easy_share"] <= MOSTLY]
        head = f"Easy effort: {share:.0%} of the running time{limit}"
        no_hr = len(runs) - len(with_hr)
        tail = f"; {no_hr} run{'s' if no_hr > 1 else ''} without heart rate" if no_hr else ""
        if hard.empty:
            lines.append(f"{head}; every run mostly easy{tail}.")
        else:
            named = ", ".join(
                f"{run_label(pd.Timestamp(d))} ({percent(s, MOSTLY)} easy, "
                f"{fmt_minutes(_num(m) or 0.0)} moving)"
                for d, s, m in zip(
                    hard["local_start"], hard["easy_share"], hard["moving_s"], strict=True
                )
            )
            lines.append(f"{head}; not mostly easy: {named}{tail}.")
    return [*lines, drops] if drops else lines


def _programme_week(view: WeekView) -> str:
    """`` (programme week 3 of 12)`` at the week's last day, counted from the first session
    ever logged (Alfredson's 12 weeks, ``drops_programme_weeks``); past them, says so."""
    if "drops_programme_week" not in view.days.columns:
        return ""
    days = view.days
    if "to_come" in days.columns:  # the days that have happened, up to today
        days = days[~days["to_come"].fillna(False).astype(bool)]
    weeks = days["drops_programme_week"][days["drops_programme_week"] > 0]
    if weeks.empty:
        return ""
    first, last = int(weeks.min()), int(weeks.max())
    length = view.settings.drops_programme_weeks
    shown = f"week {last}" if first == last else f"weeks {first}–{last}"
    if first > length:
        return f" (programme {shown}: past the {length} weeks of the programme)"
    if last > length:
        return f" (programme {shown}: the {length} weeks of the programme end in this one)"
    return f" (programme {shown} of {length})"


def drops_line(view: WeekView) -> str | None:
    """Heel drops against the programme's sessions a day: done of the target (each day
    counted up to its own), the days short of it so far, extra sessions not counted and
    those straight after a run; None where no day of the week has happened yet."""
    t = view.totals
    target = int(_num(t.get("drops_target")) or 0)
    started = "drops_started" not in view.days.columns or bool(view.days["drops_started"].any())
    if not target or not started:  # no day yet, or before the first session ever logged
        return None
    done = int(_num(t.get("drops_sessions")) or 0)
    line = f"Heel drops{_programme_week(view)}: {done} of {target} sessions"
    short = drops_short_days(view.days, view.week)
    if len(short):
        days = ", ".join(
            f"{run_label(pd.Timestamp(d))} ({done_day:.0f} of {target_day:.0f})"
            for d, done_day, target_day in zip(
                short.index, short["drops_sessions"], short["drops_target"], strict=True
            )
        )
        line += f"; short on {days}"
    extra = int(_num(t.get("drops_extra")) or 0)
    if extra:
        line += f"; {extra} extra beyond a day's target, not counted"
    after = int(_num(t.get("drops_after_run")) or 0)
    if len(view.runs):
        line += f"; {after} straight after a run"
    return line + "."


def easy_mornings(runs: pd.DataFrame) -> list[str]:
    """Next-morning stiffness after the runs that were not mostly easy, against the runs
    that were (the hill lines' counterpart; only where the week had both kinds)."""
    known = runs[runs["stiffness_change"].notna() & runs["easy_share"].notna()]
    easy = known["easy_share"] > MOSTLY
    if easy.all() or not easy.any():
        return []
    lines = []
    for rows, what in ((~easy, "not mostly easy"), (easy, "mostly easy")):
        changes = known.loc[rows, "stiffness_change"]
        line = after_runs(changes, f"that was {what}", f"that were {what}")
        if line:
            lines.append(line)
    return lines


def after_runs(changes: pd.Series, one: str, many: str) -> str | None:
    """How morning stiffness changed the day after a group of runs (``changes``, points):
    ``After the one run {one}, ... changed by +3.0 points.`` or ``After the 2 runs {many},
    ... on average.``; None for no run."""
    if changes.empty:
        return None
    if len(changes) == 1:
        return (
            f"After the one run {one}, morning stiffness the next day changed by "
            f"{float(changes.iloc[0]):+.1f} points."
        )
    return (
        f"After the {len(changes)} runs {many}, morning stiffness the next day changed by "
        f"{float(changes.mean()):+.1f} points on average."
    )
