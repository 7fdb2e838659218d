"""Pace, grade-adjusted pace and laps.

Grade-adjusted pace follows Minetti AE, Moia C, Roi GS, Susta D, Ferretti G (2002),
"Energy cost of walking and running at extreme uphill and downhill slopes",
J Appl Physiol 93:1039-1046, eq. for running:
    C(i) = 155.4 i^5 - 30.4 i^4 - 43.3 i^3 + 46.3 i^2 + 19.5 i + 3.6   [J/kg/m]
with the grade i as a fraction, clipped to the measured range +-0.45. C(0) = 3.6, so a
speed v on grade i costs what v * C(i) / 3.6 costs on the flat.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analyzer.metrics.distance import moving_mask, step_distance_m
from analyzer.metrics.steps import index_ns, step_seconds
from analyzer.schema import Lap, Pause
from analyzer.settings import Settings

MINETTI_COEFFICIENTS = (155.4, -30.4, -43.3, 46.3, 19.5, 3.6)  # i^5 .. i^0, J/kg/m
MINETTI_FLAT_J_PER_KG_M = 3.6
MINETTI_MAX_GRADE = 0.45


@dataclass(frozen=True)
class Pace:
    """s/km: the distance covered while moving over the moving time; None when no
    distance was covered while moving.

    ``moving_distance_m`` is that distance. It is the activity's distance less what the
    device counted on steps that are not moving time: standing (a speed below
    ``Settings.stand_speed_mps``, where a watch's distance drifts), gaps and timer pauses.
    Time and distance are left out together, so a step misread as standing slows or
    speeds the pace only by how its speed differs, never by adding distance without time.
    """

    pace_s_per_km: float | None
    gap_s_per_km: float | None
    moving_distance_m: float


@dataclass(frozen=True)
class LapPace:
    index: int
    start: str  # ISO 8601, UTC
    duration_s: float  # timer time inside the lap
    distance_m: float
    pace_s_per_km: float | None


def minetti_cost(grade: np.ndarray) -> np.ndarray:
    """Energy cost of running in J/kg/m at grade (fraction), clipped to +-0.45."""
    i = np.clip(np.asarray(grade, dtype="float64"), -MINETTI_MAX_GRADE, MINETTI_MAX_GRADE)
    return np.polyval(MINETTI_COEFFICIENTS, i)


def _per_km(seconds: float, meters: float) -> float | None:
    return seconds / meters * 1000.0 if meters > 0 and seconds > 0 else None


def pace(
    frame: pd.DataFrame,
    settings: Settings,
    grade: np.ndarray | None,
    pauses: Sequence[Pause] = (),
) -> Pace:
    """Average and grade-adjusted pace (s/km) over moving time: the distance of the moving
    steps (``distance.moving_mask``) over their time.

    ``grade`` is the smoothed grade per row (fraction); without it (no altitude) the
    grade-adjusted pace is None. Rows without a grade count as flat.
    """
    weights = np.where(moving_mask(frame, settings), step_seconds(frame, settings, pauses), 0.0)
    meters = np.where(weights > 0, step_distance_m(frame), 0.0)
    seconds, dist = float(weights.sum()), float(meters.sum())
    gap = None
    if grade is not None and np.isfinite(grade).any():
        cost = minetti_cost(np.nan_to_num(grade, nan=0.0))
        gap = _per_km(seconds, float((meters * cost / MINETTI_FLAT_J_PER_KG_M).sum()))
    return Pace(pace_s_per_km=_per_km(seconds, dist), gap_s_per_km=gap, moving_distance_m=dist)


def lap_paces(
    frame: pd.DataFrame, settings: Settings, laps: Sequence[Lap], pauses: Sequence[Pause] = ()
) -> list[LapPace]:
    """Distance, timer time and pace (s/km) of each lap, from the frame's own rows."""
    weights = step_seconds(frame, settings, pauses)
    meters = step_distance_m(frame)
    ns = index_ns(frame.index)
    out = []
    for n, lap in enumerate(laps):
        inside = (ns >= lap.start.value) & (ns < lap.end.value)
        seconds, dist = float(weights[inside].sum()), float(meters[inside].sum())
        out.append(
            LapPace(
                index=n + 1,
                start=lap.start.isoformat(),
                duration_s=seconds,
                distance_m=dist,
                pace_s_per_km=_per_km(seconds, dist),
            )
        )
    return out
