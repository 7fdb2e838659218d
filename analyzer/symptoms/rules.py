"""Pain-monitoring and load rules (DOMAIN.md; Silbernagel et al. 2007): pure functions.

Each run, day and week gets green, amber or red with the reasons in words. Red flags
carry "talk to your physio". Inputs are plain numbers; scores are 0-10 (10 = worst).
Nothing here knows about dates, time zones or the store: weekly/ hands the values in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from analyzer.settings import Settings

Light = Literal["green", "amber", "red"]
RANK: dict[str, int] = {"green": 0, "amber": 1, "red": 2}
PHYSIO = "talk to your physio"


@dataclass(frozen=True)
class PainRules:
    """Thresholds of the pain-monitoring model, 0-10 scores unless stated."""

    safe_max: float = 2.0  # pain during 0-2: safe
    acceptable_max: float = 5.0  # up to 5: acceptable; above: too much
    settle_rise_points: float = 2.0  # next morning's score this much above the run's morning
    weekly_stiffness_rise_points: float = 0.5  # weekly mean morning score rising by this
    weekly_min_mornings: int = 3  # mornings a weekly mean needs to be compared
    visa_a_drop_points: float = 10.0  # VISA-A total falling by this (0-100 scale)
    visa_a_window_weeks: int = 12  # ... from the best result of this many weeks before

    @classmethod
    def from_settings(cls, settings: Settings) -> PainRules:
        """The profile's thresholds (every threshold of DOMAIN.md is a setting)."""
        return cls(
            safe_max=settings.pain_safe_max,
            acceptable_max=settings.pain_acceptable_max,
            settle_rise_points=settings.settle_rise_points,
            weekly_stiffness_rise_points=settings.weekly_stiffness_rise_points,
            weekly_min_mornings=settings.weekly_min_mornings,
            visa_a_drop_points=settings.visa_a_drop_points,
            visa_a_window_weeks=settings.visa_a_window_weeks,
        )


@dataclass(frozen=True)
class Finding:
    """One rule that fired, with its light and the reason in words."""

    light: Light
    reason: str


@dataclass(frozen=True)
class Verdict:
    """The worst light of the findings, and every reason that is not green."""

    light: Light
    reasons: tuple[str, ...]

    @property
    def words(self) -> str:
        """The light as a runner reads it."""
        return HEADLINES[self.light]


@dataclass(frozen=True)
class RedFlag:
    """A warning sign from DOMAIN.md's list; its text always ends with the advice."""

    rule: str
    detail: str

    @property
    def text(self) -> str:
        return f"{self.detail}: {PHYSIO}."


HEADLINES: dict[str, str] = {
    "green": "Green: the tendon is tolerating the running",
    "amber": "Amber: keep going, but with care",
    "red": "Red: too much for the tendon this week",
}


def _known(value: float | None) -> bool:
    return value is not None and not math.isnan(value)


def beside(value: float, limits: Sequence[float], decimals: int, near: float = 0.0) -> str:
    """``value`` with ``decimals`` decimals, or more where it would read as one of
    ``limits`` shown the same way (10.4% is not "10%" beside a limit of 10%; a ratio of
    0.797 is not "0.80" beside 0.8): up to 3 more decimals, none where it IS the limit
    (float noise aside). ``near``: within this of a limit (not on it), one more decimal
    in any case (1 point of a percentage: 10.6%, not 11%)."""
    off = [abs(value - limit) for limit in limits if abs(value - limit) > 1e-9]
    if len(off) < len(limits):  # on a limit: as it is
        return f"{value:.{decimals}f}"
    places = decimals + (1 if any(d < near for d in off) else 0)
    while places < decimals + 3 and any(
        f"{value:.{places}f}" == f"{limit:.{places}f}" for limit in limits
    ):
        places += 1
    return f"{value:.{places}f}"


def percent(change: float, limit: float) -> str:
    """A fraction as a whole percentage, with decimals near ``limit`` (:func:`beside`)."""
    return beside(100 * change, [100 * limit], 0, near=1.0) + "%"


def verdict(findings: Iterable[Finding | None], good_news: str) -> Verdict:
    """Worst light of ``findings`` (None = rule did not fire); green says ``good_news``."""
    fired = [f for f in findings if f is not None]
    if not fired:
        return Verdict("green", (good_news,))
    worst = max(fired, key=lambda f: RANK[f.light]).light
    reasons = tuple(f.reason for f in sorted(fired, key=lambda f: -RANK[f.light]))
    return Verdict(worst, reasons)


# --- one run ----------------------------------------------------------------------------


def pain_during(score: float | None, rules: PainRules) -> Finding | None:
    """0-2 safe, up to 5 acceptable (amber), above 5 too much (red)."""
    if not _known(score):
        return None
    assert score is not None
    if score > rules.acceptable_max:
        return Finding(
            "red", f"pain during the run was {score:g}/10, above {rules.acceptable_max:g}: too much"
        )
    if score > rules.safe_max:
        return Finding("amber", f"pain during the run was {score:g}/10: acceptable, not safe")
    return None


def pain_after(score: float | None, rules: PainRules) -> Finding | None:
    """Pain after the run may reach ``acceptable_max`` (Silbernagel et al. 2007, as
    summarised by Silbernagel & Crossley 2015): above it is amber for that run (unlike
    pain during, DOMAIN lists no red flag for it)."""
    if not _known(score) or score is None or score <= rules.acceptable_max:
        return None
    return Finding("amber", f"pain after the run was {score:g}/10, above {rules.acceptable_max:g}")


def settled(stiffness_before: float | None, stiffness_next: float | None, rules: PainRules) -> bool:
    """Whether the run's effect settled by the next morning: the next morning's stiffness
    is less than ``settle_rise_points`` above the morning of the run. Unknown counts as
    settled, since nothing says otherwise."""
    if not (_known(stiffness_before) and _known(stiffness_next)):
        return True
    assert stiffness_before is not None
    assert stiffness_next is not None
    return stiffness_next - stiffness_before < rules.settle_rise_points


def settle_finding(
    stiffness_before: float | None, stiffness_next: float | None, rules: PainRules
) -> Finding | None:
    if settled(stiffness_before, stiffness_next, rules):
        return None
    return Finding(
        "amber",
        f"next morning's stiffness was {stiffness_next:g}/10, up from {stiffness_before:g}/10 "
        "the morning of the run: not settled by the next morning",
    )


def pain_settle_finding(
    pain_before: float | None, pain_next: float | None, rules: PainRules
) -> Finding | None:
    """Pain after a run must have settled by the next morning (DOMAIN): the next morning's
    pain on getting up ``settle_rise_points`` or more above the morning of the run has not."""
    if settled(pain_before, pain_next, rules):
        return None
    return Finding(
        "amber",
        f"next morning's pain on getting up was {pain_next:g}/10, up from {pain_before:g}/10 "
        "the morning of the run: not settled by the next morning",
    )


def run_verdict(
    pain: float | None,
    stiffness_before: float | None,
    stiffness_next: float | None,
    rules: PainRules,
    morning_pain: tuple[float | None, float | None] = (None, None),
    pain_after_run: float | None = None,
) -> Verdict:
    """Green, amber or red for one run from pain during it, pain after it
    (``pain_after_run``) and the next morning: its stiffness and (``morning_pain``: the
    run's morning, the next) its pain on getting up."""
    return verdict(
        [
            pain_during(pain, rules),
            pain_after(pain_after_run, rules),
            settle_finding(stiffness_before, stiffness_next, rules),
            pain_settle_finding(*morning_pain, rules),
        ],
        "pain stayed low and the next morning was no worse",
    )


# --- one day ----------------------------------------------------------------------------


def day_verdict(
    runs: Sequence[Verdict], back_to_back: bool, swelling: bool, settings: Settings
) -> Verdict:
    """The worst of the day's runs, a second running day in a row (where the rule asks
    for rest days) and swelling."""
    findings: list[Finding | None] = [
        Finding(r.light, reason) for r in runs for reason in r.reasons
    ]
    if back_to_back and settings.rest_day_required:
        findings.append(Finding("amber", "second running day in a row, no rest day between"))
    if swelling:
        findings.append(Finding("red", "swelling logged"))
    return verdict(findings, "rest day" if not runs else "the run went well")


# --- load ------------------------------------------------------------------------------


def distance_change(
    change: float | None, settings: Settings, runs: tuple[int, int] | None = None
) -> Finding | None:
    """Weekly distance change as a fraction (0.1 = +10%); more than the limit is amber.
    ``runs``: the runs of the week and of the week before; where the week had more and
    its runs were no longer on average (within the limit), the reason says so: an
    every-other-day runner's 4-run week after a 3-run week is +33%, not longer runs."""
    # more than the limit, not float noise on it (2.2 mi / 2.0 mi - 1 is 0.10000000000000006)
    if not _known(change) or change is None or change <= settings.weekly_increase_limit + 1e-9:
        return None
    limit = settings.weekly_increase_limit
    more = ""
    if runs is not None and runs[0] > runs[1] > 0:
        per_run = (1 + change) * runs[1] / runs[0] - 1  # the change of the mean run
        if per_run <= 1e-9:
            more = f": {runs[0]} runs against {runs[1]}, each no longer on average"
        elif per_run <= limit + 1e-9:
            longer = percent(per_run, limit)
            more = f": {runs[0]} runs against {runs[1]}, each {longer} longer on average"
    return Finding(
        "amber",
        f"weekly distance up {percent(change, limit)} on the week before "
        f"(limit +{limit:.0%}){more}",
    )


def return_after_break(weeks_off: float | None, span: str, settings: Settings) -> Finding | None:
    """The first week of running after more than ``acwr_max_break_weeks`` without any
    (``span``: that time in words): amber. No ratio can judge it (the load before the
    break no longer says what the tendon is used to), and a return is when load outruns
    capacity most easily."""
    if weeks_off is None or weeks_off <= settings.acwr_max_break_weeks:
        return None
    return Finding(
        "amber",
        f"back to running after {span} without: no usual load to compare with, so build "
        "up gently from short, easy runs",
    )


def acwr_finding(ratio: float | None, what: str, settings: Settings) -> Finding | None:
    """Acute:chronic ratio (7-day over 28-day load): < low or > high amber, > red red.
    The ratio shows 2 decimals, more where that would read as a limit (1.503 is not
    "1.50, above 1.5"). The low side is a week of less load than usual: amber as DOMAIN
    asks, in words that do not alarm a runner in rehab who simply ran more easily."""
    if not _known(ratio) or ratio is None:
        return None
    low, high, red = settings.acwr_low, settings.acwr_high, settings.acwr_red
    # judged to 3 decimals, as it can be shown: rolling float sums give 0.7999999999999999
    # for a ratio of 0.8, which must neither fire nor read "0.80, below 0.8"
    ratio = round(ratio, 3)
    shown = beside(ratio, [low, high, red], 2)
    if ratio > red:
        return Finding("red", f"acute:chronic {what} ratio {shown}, above {red:g}")
    if ratio > high:
        return Finding("amber", f"acute:chronic {what} ratio {shown}, above {high:g}")
    if ratio < low:
        return Finding(
            "amber", f"acute:chronic {what} ratio {shown}, below {low:g} (less load than usual)"
        )
    return None


def back_to_back_finding(days: int, settings: Settings) -> Finding | None:
    if days <= 0 or not settings.rest_day_required:
        return None
    plural = "pair" if days == 1 else "pairs"
    return Finding("amber", f"{days} {plural} of running days in a row, without a rest day")


def morning_trend(
    mean: float | None, previous: float | None, rules: PainRules, what: str = "morning stiffness"
) -> Finding | None:
    """A weekly mean morning score, ``what`` (stiffness, pain on getting up), must not rise
    from one week to the next: a rise of ``weekly_stiffness_rise_points`` or more is
    amber. The means are compared at the one decimal shown (as the red flag of
    :func:`flag_stiffness_rising` does), so "2.5, up from 2.0" always fires."""
    if not (_known(mean) and _known(previous)):
        return None
    assert mean is not None
    assert previous is not None
    mean, previous = round(mean, 1), round(previous, 1)
    if mean - previous < rules.weekly_stiffness_rise_points - 1e-9:
        return None
    return Finding("amber", f"{what} averaged {mean:.1f}/10, up from {previous:.1f}/10 last week")


def high_morning_pain(highest: float | None, rules: PainRules) -> Finding | None:
    """Pain on getting up above ``acceptable_max`` on a morning of the week: amber
    whatever the weeks before (the week-to-week rule needs a week before to compare)."""
    if not _known(highest) or highest is None or highest <= rules.acceptable_max:
        return None
    return Finding(
        "amber",
        f"pain on getting up reached {highest:g}/10 this week, above {rules.acceptable_max:g}",
    )


# --- red flags -------------------------------------------------------------------------


def flag_pain_during(
    labels_and_scores: Iterable[tuple[str, float | None]],
    rules: PainRules,
    stored: bool | None = True,
) -> list[RedFlag]:
    """Pain during a run above ``acceptable_max``; ``stored``: whether the runs are stored
    (pain during logged on a day without a stored run is "a run logged for" that day;
    None, not known: the check-in's own words, "the run logged for")."""
    what = {
        True: "the run of {label}",
        False: "a run logged for {label} (no run stored)",
        None: "the run logged for {label}",
    }[stored]
    return [
        RedFlag(
            "pain_during",
            f"pain during {what.format(label=label)} was {score:g}/10, "
            f"above {rules.acceptable_max:g}",
        )
        for label, score in labels_and_scores
        if _known(score) and score is not None and score > rules.acceptable_max
    ]


def flag_unsettled_in_a_row(runs: Sequence[tuple[str, bool]]) -> list[RedFlag]:
    """``runs``: (label, pain settled) of consecutive runs in time order; two whose pain
    on getting up had not settled by the next morning (:func:`pain_settle_finding`), in a
    row. DOMAIN's red flag names pain: a stiffness rise stays amber for its run, and
    stiffness has a red flag of its own (:func:`flag_stiffness_rising`)."""
    flags = []
    for (first, ok_first), (second, ok_second) in zip(runs, runs[1:], strict=False):
        if not ok_first and not ok_second:
            flags.append(
                RedFlag(
                    "unsettled",
                    "pain on getting up had not settled by the next morning after two runs "
                    f"in a row ({first} and {second})",
                )
            )
    return flags


def flag_stiffness_rising(means: Sequence[float | None], rules: PainRules) -> list[RedFlag]:
    """``means``: weekly mean morning stiffness of the two weeks before and this week
    (each over enough mornings to compare, else None). DOMAIN: "morning stiffness rising
    two weeks in a row": it rose in each of the two weeks (any rise, at the one decimal
    shown: 2.0, 2.0, 2.9 is not two rises) and by at least
    ``weekly_stiffness_rise_points`` over the two together, so a creep of 0.4 a week
    (2.0, 2.4, 2.8) is flagged while 2.0, 2.1, 2.2 (within day-to-day noise) is not."""
    if len(means) < 3 or not all(_known(m) for m in means[-3:]):
        return []
    a, b, c = (round(float(m), 1) for m in means[-3:])  # type: ignore[arg-type]
    # float dust: 2.8 - 2.3 is 0.4999999999999998, which is the 0.5 shown
    if b > a and c > b and c - a >= rules.weekly_stiffness_rise_points - 1e-9:
        return [
            RedFlag(
                "stiffness_rising",
                f"morning stiffness rose two weeks in a row ({a:.1f}, {b:.1f}, {c:.1f} of 10)",
            )
        ]
    return []


def flag_swelling(days: Iterable[str]) -> list[RedFlag]:
    return [RedFlag("swelling", f"swelling logged on {day}") for day in days]


def flag_visa_a(
    previous: float | None, latest: float | None, rules: PainRules, since: str | None = None
) -> list[RedFlag]:
    """A VISA-A total (0-100, 100 = no symptoms) falling by ``visa_a_drop_points`` or more
    from ``previous``; ``since`` names the day of ``previous`` where it was not the result
    just before (a fall from the best of the weeks before)."""
    if not (_known(previous) and _known(latest)):
        return []
    assert previous is not None
    assert latest is not None
    if previous - latest < rules.visa_a_drop_points:
        return []
    start = f"{previous:g} ({since})" if since else f"{previous:g}"
    return [RedFlag("visa_a", f"VISA-A fell from {start} to {latest:g}")]


# --- one week --------------------------------------------------------------------------


def week_verdict(
    runs: Sequence[Verdict],
    load: Sequence[Finding | None],
    trends: Sequence[Finding | None],
    flags: Sequence[RedFlag],
) -> Verdict:
    """The worst of the week's runs, load rules, morning trends (stiffness, pain) and red
    flags."""
    findings: list[Finding | None] = [Finding("red", f.detail) for f in flags]
    worst_runs = [r for r in runs if r.light != "green"]
    findings += [Finding(r.light, reason) for r in worst_runs for reason in r.reasons]
    findings += [*load, *trends]
    # "no load rule broken", not "the load built gently": a ratio may not have been judged
    # (too little running before), and the week's notes then say so
    good = "pain stayed low, mornings settled and no load rule was broken" if runs else "no runs"
    return verdict(findings, good)
