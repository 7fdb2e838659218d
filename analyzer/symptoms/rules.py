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
    settle_rise_points: float = 2.0  # next-morning stiffness this much above the run's morning
    weekly_stiffness_rise_points: float = 0.5  # weekly mean morning stiffness rising by this
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
        f"next morning's stiffness was {stiffness_next:g}/10, up from {stiffness_before:g}/10: "
        "not settled by the next morning",
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
        f"next morning's pain on getting up was {pain_next:g}/10, up from {pain_before:g}/10: "
        "the pain after the run had not settled by the next morning",
    )


def run_verdict(
    pain: float | None,
    stiffness_before: float | None,
    stiffness_next: float | None,
    rules: PainRules,
    morning_pain: tuple[float | None, float | None] = (None, None),
) -> Verdict:
    """Green, amber or red for one run from pain during it and the next morning: its
    stiffness and (``morning_pain``: the run's morning, the next) its pain on getting up."""
    return verdict(
        [
            pain_during(pain, rules),
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
    findings: list[Finding | None] = [Finding(r.light, r.reasons[0]) for r in runs]
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
            more = f": {runs[0]} runs against {runs[1]}, each {per_run:.0%} longer on average"
    return Finding(
        "amber", f"weekly distance up {change:.0%} on the week before (limit +{limit:.0%}){more}"
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
    """Acute:chronic ratio (7-day over 28-day load): < low or > high amber, > red red."""
    if not _known(ratio) or ratio is None:
        return None
    low, high, red = settings.acwr_low, settings.acwr_high, settings.acwr_red
    if ratio > red:
        return Finding("red", f"acute:chronic {what} ratio {ratio:.2f}, above {red:g}")
    if ratio > high:
        return Finding("amber", f"acute:chronic {what} ratio {ratio:.2f}, above {high:g}")
    if ratio < low:
        return Finding(
            "amber", f"acute:chronic {what} ratio {ratio:.2f}, below {low:g} (a sudden drop)"
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
    amber."""
    if not (_known(mean) and _known(previous)):
        return None
    assert mean is not None
    assert previous is not None
    if mean - previous < rules.weekly_stiffness_rise_points:
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
    labels_and_scores: Iterable[tuple[str, float | None]], rules: PainRules
) -> list[RedFlag]:
    return [
        RedFlag(
            "pain_during",
            f"pain during the run of {label} was {score:g}/10, above {rules.acceptable_max:g}",
        )
        for label, score in labels_and_scores
        if _known(score) and score is not None and score > rules.acceptable_max
    ]


def flag_unsettled_in_a_row(runs: Sequence[tuple[str, bool]]) -> list[RedFlag]:
    """``runs``: (label, settled) of consecutive runs in time order; two unsettled in a row."""
    flags = []
    for (first, ok_first), (second, ok_second) in zip(runs, runs[1:], strict=False):
        if not ok_first and not ok_second:
            flags.append(
                RedFlag(
                    "unsettled",
                    "pain or stiffness had not settled by the next morning after two runs in "
                    f"a row ({first} and {second})",
                )
            )
    return flags


def flag_stiffness_rising(means: Sequence[float | None], rules: PainRules) -> list[RedFlag]:
    """``means``: weekly mean morning stiffness of the two weeks before and this week."""
    if len(means) < 3 or not all(_known(m) for m in means[-3:]):
        return []
    a, b, c = (float(m) for m in means[-3:])  # type: ignore[arg-type]
    rise = rules.weekly_stiffness_rise_points
    if b - a >= rise and c - b >= rise:
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
