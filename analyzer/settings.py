"""Every threshold of DOMAIN.md, named, with its unit, in one frozen dataclass.

Metrics take a ``Settings``; nothing below ``cli.py`` reads thresholds from anywhere else.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any, Literal

Units = Literal["mi", "km"]
HrModel = Literal["percent_max", "reserve"]
Sex = Literal["male", "female"]


@dataclass(frozen=True)
class Settings:
    # --- the runner ---
    units: Units = "mi"
    age_years: int | None = None
    sex: Sex | None = None
    hr_max_bpm: float | None = None  # from the profile; else observed; else Tanaka
    hr_rest_bpm: float | None = None
    timezone: str = "UTC"
    affected_side: str | None = None

    # --- easy effort ---
    easy_fraction: float = 0.70  # of max (or of reserve with hr_model="reserve")
    hr_model: HrModel = "percent_max"
    hr_max_hold_s: float = 30.0  # observed max must be held this long
    hr_rest_default_bpm: float = 60.0  # used for TRIMP/reserve when the profile has none
    zone_edges: tuple[float, ...] = (0.5, 0.6, 0.7, 0.8, 0.9)  # fractions of max / reserve

    # --- time steps ---
    # a time step longer than this counts as a pause (s). Not 10 s: Garmin smart recording
    # writes a point only when something changes, and the corpus holds steady-running
    # steps of 13-28 s (vivoactive HR); capping them at 10 s dropped that time and put
    # the average heart rate 4 bpm off the device's. Timer stops are known from events.
    gap_limit_s: float = 30.0

    # --- gait ---
    walk_cadence_spm: float = 140.0  # below: walking
    # Without cadence, below this speed is walking (1.8 m/s = 9:16 /km, 14:54 /mi).
    # Checked against the corpus (moving rows, speed >= 0.5 m/s): the walks
    # (workoutizer hike_with_coordinates_muggenbrunn.fit, sport-activities-features
    # walking_activity_1.tcx) have median speed 1.13 and 1.01 m/s, 90th percentile 1.34
    # and 1.47. Slow runs (Stryd developer-types-sample.fit, GoldenCheetah HRV-Data.fit,
    # cadence ~150/min) have 10th percentile 1.68 and 1.55, median 1.98 and 2.0 m/s: the
    # 2.0 m/s walk-run transition of the literature would call half of them walking.
    # Over all cadence-labelled rows of the corpus runs, 1.8 m/s misreads 8% of running
    # rows and 18% of walking rows (2.0: 14% and 6%; 1.6: 5% and 45%).
    walk_speed_mps: float = 1.8
    stand_speed_mps: float = 0.5  # below: standing still

    # --- hills ---
    hill_min_grade_pct: float = 4.0
    hill_min_length_m: float = 100.0
    hill_min_gain_m: float = 5.0
    hill_max_dip_m: float = 30.0  # dips shorter than this do not split a hill
    hill_walked_share: float = 0.80  # a hill is walked when this share of its time is walking
    grade_window_m: float = 50.0  # distance window of the smoothed grade

    # --- elevation (method and its check against the devices: bench/ACCURACY.md) ---
    altitude_smooth_baro_s: float = 10.0  # centred moving average, s: baro noise is sub-second
    # ... and at least this many recorded samples: smart recording (1-28 s) stores single
    # readings, each with the full sensor noise, so the average must span samples, not s.
    # Fitted with ascent_hysteresis_baro_m; cross-validated in bench/accuracy.py --cv
    altitude_smooth_samples: int = 10
    altitude_smooth_gps_s: float = 30.0  # GPS altitude wanders over tens of seconds
    # a turn must reach this to count (m): barometric drift (wind, temperature) is ~1 m
    # over minutes; fitted, cross-validated in bench/accuracy.py --cv
    ascent_hysteresis_baro_m: float = 1.4
    ascent_hysteresis_gps_m: float = 5.0  # GPS vertical error is metres
    ascent_noise_factor: float = 3.0  # threshold is at least this many noise sigmas
    gps_altitude_noise_m: float = 1.0  # noise (m, about a 9 s mean) above this means GPS
    # a step faster than this (m/s, vertical) is a glitch, not movement: no runner or rider
    # climbs or drops 10 m in a second (a sensor start-up spike, a GPS altitude jump)
    altitude_max_vertical_mps: float = 10.0
    # altitude recorded in steps of at least this (m) was already dead-banded by the device
    # (the 910XT and COROS write whole metres): no smoothing, turns of two steps count
    altitude_coarse_step_m: float = 1.0

    # --- pain monitoring (Silbernagel et al. 2007), 0-10 scores ---
    pain_safe_max: float = 2.0  # pain during a run 0-2: safe
    pain_acceptable_max: float = 5.0  # up to 5 acceptable; above: too much (red flag)
    # a run has not settled when next-morning stiffness (or pain on getting up) is this
    # many points above the morning of the run: 1 point is within day-to-day noise of a
    # 0-10 self-report
    settle_rise_points: float = 2.0
    # a weekly mean morning score rising by this on the week before is amber; weekly mean
    # stiffness rising two weeks in a row, by this over the two, is a red flag
    weekly_stiffness_rise_points: float = 0.5
    # a week's mean morning score is compared with another's only where this many mornings
    # were logged: one stiff morning is not a week's trend
    weekly_min_mornings: int = 3
    visa_a_drop_points: float = 10.0  # VISA-A total falling by this (0-100 scale): red flag
    # ... from the one before it or from the best result of this many weeks before it (the
    # 12 weeks of the heel-drop programme), so a decline in steps under the drop is seen
    visa_a_window_weeks: int = 12

    # --- load and rest ---
    weekly_increase_limit: float = 0.10
    acwr_low: float = 0.8
    acwr_high: float = 1.3
    acwr_red: float = 1.5
    # A ratio compares this week with the usual load, which must rest on running in at
    # least this many of the 4 weeks of its 28-day window: over fewer, one or two weeks
    # make the "usual" load and an ordinary week reads as a spike (ratios of 2 to 20).
    acwr_min_weeks: int = 3
    # The usual load before a break is compared with for breaks of up to this many weeks
    # without running: after a longer one it no longer says what the tendon is used to,
    # and the weeks back get no ratio until the running is regular again.
    acwr_max_break_weeks: int = 6
    rest_day_required: bool = True
    drops_after_run_window_s: float = 2 * 3600.0
    drops_sessions_per_day: int = 2
    # heel-drop entries of one day this close in time are one session logged in parts
    # (straight-knee sets, then bent-knee); entries further apart are sessions of their own
    drops_session_gap_s: float = 3600.0
    # the programme's length (Alfredson 1998: 12 weeks), counted from the first session
    drops_programme_weeks: int = 12
    # a full session (Alfredson 1998): this many sets straight-knee and as many bent-knee,
    # of this many repetitions each; the user's own target where the physio set another
    drops_sets_target: int = 3
    drops_reps_target: int = 15

    # --- linking a run's load to the next morning's symptoms ---
    # below this many run/next-morning pairs there is not enough data yet (DOMAIN.md)
    link_min_pairs: int = 8
    # a rho where at least this share of the pairs share one load value or one score gets
    # a caution: its ranks then mostly tell the few other pairs apart
    link_lump_share: float = 0.7

    # --- hills to walk ---
    walk_grade_pct: float = 6.0
    walk_score: float = 1500.0  # length (m) x average grade (%)
    # "clearly stiffer" after running a hill: the mean next-morning stiffness after runs
    # where it was run exceeds that after runs where it was walked by this many points
    # (0-10 scale), with at least walk_stiffness_min_n mornings of each
    walk_stiffness_points: float = 1.5
    walk_stiffness_min_n: int = 3
    recurring_hill_match_m: float = 40.0  # starts and ends each this close: the same hill
    route_match_m: float = 30.0  # a track point this close to the other track overlaps it
    route_overlap_share: float = 0.80  # share of each track (both ways) that must overlap
    route_similar_distance: float = 0.20  # +-share of distance for "a route of similar length"
    route_nearby_m: float = 5000.0  # a flatter route starts this close to the other's start

    def with_changes(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> Settings:
        known = {f.name for f in fields(cls)}
        clean = {k: v for k, v in values.items() if k in known}
        if "zone_edges" in clean and clean["zone_edges"] is not None:
            clean["zone_edges"] = tuple(clean["zone_edges"])
        return cls(**clean)


#: value ranges (inclusive) of numeric settings; others must be finite and >= 0
RANGES: dict[str, tuple[float, float]] = {
    "age_years": (10, 100),  # the Tanaka estimate is an adult's (18-81 in its data)
    "hr_max_bpm": (100, 240),
    "hr_rest_bpm": (25, 120),
    "hr_rest_default_bpm": (25, 120),
    "easy_fraction": (0.3, 1.0),
    "hill_walked_share": (0.0, 1.0),
    "drops_sessions_per_day": (1, 10),  # a target of none would read as always met
    "weekly_min_mornings": (1, 7),
    "drops_sets_target": (1, 20),
    "drops_session_gap_s": (0, 6 * 3600),
    "drops_programme_weeks": (1, 104),
    "drops_reps_target": (1, 100),
    "acwr_min_weeks": (1, 4),  # weeks of the 4 of the 28-day window
    # what a run can be: a gap of under a second is every step; a cadence or a speed far
    # outside a person's makes everyone walk or run; a hill needs some length and rise
    "gap_limit_s": (1, 3600),
    "hr_max_hold_s": (1, 600),
    "walk_cadence_spm": (60, 250),
    "walk_speed_mps": (0.5, 4),
    "stand_speed_mps": (0.1, 2),
    "hill_min_grade_pct": (1, 30),
    "hill_min_length_m": (10, 5000),
    "grade_window_m": (5, 1000),
    "acwr_max_break_weeks": (1, 520),
    "visa_a_window_weeks": (1, 520),
    "route_overlap_share": (0.0, 1.0),
    # a rho of 2 pairs is always +-1; a "lump" is most of the pairs (1: only when all of
    # them, which leaves nothing to rank, so never)
    "link_min_pairs": (3, 1000),
    "link_lump_share": (0.5, 1.0),
}
