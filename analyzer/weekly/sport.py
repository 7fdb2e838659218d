"""Which stored activities are runs: the report, the load and the hills count runs only.

A file's own sport decides where it names one: FIT ``running`` with any sub-sport (trail,
treadmill, track...) and every running word of GPX types (``TrailRun``, ``VirtualRun``,
``treadmill_running``...) is a run, and every other sport (cycling, transition, walking,
skiing, a TCX's ``Other``...) is not. A file without a sport (a GPX without ``<type>``),
or with FIT's ``generic`` (what a watch writes when it was not told: the fenix 2 records
runs so), counts as a run unless its data say it cannot be one:

- it was moving faster than any runner can: its median moving speed is above the
  10 000 m world-record pace (6.34 m/s), or over some 2 minutes its median speed is above
  the 800 m world-record pace (7.93 m/s); or
- not one second of it was running (the gait says walking throughout).

A run by its sport or its data that lasted under a minute, or went somewhere but less
than 100 m in under 10 minutes of moving, is a fragment, not a run (a damaged file's first
seconds, a watch started by mistake): it would count as a running day and break the
rest-day rule with no load to speak of.

Checked against the corpus (``/work/shared/corpus``): every file there with the sport
``running`` stays below 4.5 m/s over any 2 minutes and has a median moving speed under
4 m/s; the one ride without a sport (a GPX from Urban Biker) has a 2-minute median of 12
m/s. Nothing is deleted: what is left out is listed with the week it belongs to.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from analyzer.metrics.speed import sport_key

RUN = "run"
#: 10 000 m world record (26:11, 2020): no one runs faster than this for half an hour
RUN_MEDIAN_MAX_MPS = 6.34
#: 800 m world record (1:40.91, 2012): no one runs faster than this for 2 minutes
RUN_SUSTAINED_MAX_MPS = 7.93

#: FIT / GPX / TCX sport -> the word the page uses for what was left out (one, many)
KINDS: dict[str, tuple[str, str]] = {
    "cycling": ("ride", "rides"),
    "e_biking": ("ride", "rides"),
    "transition": ("transition", "transitions"),
    "walking": ("walk", "walks"),
    "hiking": ("hike", "hikes"),
    "swimming": ("swim", "swims"),
    "cross_country_skiing": ("ski session", "ski sessions"),
    "alpine_skiing": ("ski session", "ski sessions"),
    "backcountry_skiing": ("ski session", "ski sessions"),
    "roller_skiing": ("ski session", "ski sessions"),
}
#: a recording shorter than this (elapsed time; distance where it has one) is a fragment
FRAGMENT_MAX_S = 60.0
FRAGMENT_MAX_M = 100.0
FRAGMENT_NOWHERE_S = 600.0  # ... within this time: longer is a run that hardly moved
FRAGMENT = ("fragment too short for a run", "fragments too short for a run")
TOO_FAST = ("session too fast for running", "sessions too fast for running")
NO_RUNNING = ("session with no running", "sessions with no running")
OTHER = ("other", "other")


def _float(value: Any) -> float | None:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def kind_of(row: Mapping[str, Any]) -> str:
    """``run``, or the singular word for what the activity is instead (see KINDS).

    ``row`` holds ``sport`` and, for activities without one, the speed facts of
    ``metrics.speed.speed_facts`` (``speed_median_mps``, ``speed_sustained_mps``) and
    the gait times ``running_s`` and ``walking_s``; any of them may be missing.
    """
    key = sport_key(row.get("sport"))
    if key is not None and "run" not in key.replace("_", ""):  # not running, trail_run...
        return KINDS.get(key, OTHER)[0]
    elapsed, distance = _float(row.get("elapsed_s")), _float(row.get("distance_m"))
    short = elapsed is not None and elapsed < FRAGMENT_MAX_S
    # under 100 m in a few minutes of moving (or of the recording, where moving time is
    # unknown); 0: no distance recorded (a treadmill, HR only), and a long session that
    # drifted a few metres indoors is still a run, while a watch left running in a
    # pocket, hardly moving, is not
    nowhere = distance is not None and 0 < distance < FRAGMENT_MAX_M
    moving = _float(row.get("moving_s"))
    spent = moving if moving is not None else elapsed
    if short or (nowhere and (spent is None or spent < FRAGMENT_NOWHERE_S)):
        return FRAGMENT[0]
    if key is not None:  # running, trail_run, VirtualRun, treadmill_running
        return RUN
    median = _float(row.get("speed_median_mps"))
    sustained = _float(row.get("speed_sustained_mps"))
    if (median is not None and median > RUN_MEDIAN_MAX_MPS) or (
        sustained is not None and sustained > RUN_SUSTAINED_MAX_MPS
    ):
        return TOO_FAST[0]
    running, walking = _float(row.get("running_s")), _float(row.get("walking_s"))
    if running == 0 and walking is not None and walking > 0:
        return NO_RUNNING[0]
    return RUN


def plural(kind: str, count: int) -> str:
    """``1 ride``, ``3 transitions``, ``2 other``."""
    for one, many in (*KINDS.values(), FRAGMENT, TOO_FAST, NO_RUNNING, OTHER):
        if kind == one:
            return f"{count} {one if count == 1 else many}"
    return f"{count} {kind}"


def kinds(activities: pd.DataFrame) -> pd.Series:
    """:func:`kind_of` of every row (index kept)."""
    return pd.Series(
        [kind_of({str(k): v for k, v in r.items()}) for r in activities.to_dict("records")],
        index=activities.index,
        dtype=object,
    )
