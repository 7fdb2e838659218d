"""All metrics of one activity, computed once each, and their JSON-ready form."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from analyzer.hills.segments import (
    HillExposure,
    HillInputs,
    HillSegment,
    hill_exposure,
    hill_segments,
)
from analyzer.metrics.distance import Times, times, total_distance_m
from analyzer.metrics.elevation import Elevation, elevation, grade_series, smoothed_altitude
from analyzer.metrics.gait import Gait, gait, gait_states
from analyzer.metrics.heart import HeartRate, heart_rate
from analyzer.metrics.pace import LapPace, Pace, lap_paces, pace
from analyzer.metrics.steps import step_seconds
from analyzer.schema import Lap, Pause
from analyzer.settings import Settings


@dataclass(frozen=True)
class ActivityMetrics:
    distance_m: float
    times: Times
    elevation: Elevation
    pace: Pace
    gait: Gait
    heart: HeartRate
    hills: tuple[HillSegment, ...]
    exposure: HillExposure
    laps: tuple[LapPace, ...]


def row_altitude(frame: pd.DataFrame, smooth: pd.Series) -> np.ndarray:
    """Smoothed altitude (m) on every row of the frame, interpolated in time over gaps."""
    if smooth.empty:
        return np.full(len(frame), np.nan)
    s = smooth.reindex(frame.index)
    return s.interpolate(method="time", limit_area="inside").to_numpy()


def compute(
    frame: pd.DataFrame,
    settings: Settings,
    *,
    altitude_source: str = "unknown",
    pauses: Sequence[Pause] = (),
    laps: Sequence[Lap] = (),
    observed_max_bpm: float | None = None,
) -> ActivityMetrics:
    """Every metric of one activity from its frame and metadata. Pure: reads no file."""
    elev = elevation(frame, settings, altitude_source, pauses)
    grade = grade_series(frame, settings, elev.source, pauses)
    smooth = smoothed_altitude(frame, settings, elev.source, pauses)
    heart = heart_rate(frame, settings, pauses, observed_max_bpm)
    inputs = HillInputs(
        frame=frame,
        grade=grade,
        altitude_m=row_altitude(frame, smooth),
        weights_s=step_seconds(frame, settings, pauses),
        gait=gait_states(frame, settings),
        easy_limit_bpm=heart.easy_limit_bpm,
    )
    hills = hill_segments(inputs, settings)
    return ActivityMetrics(
        distance_m=total_distance_m(frame),
        times=times(frame, settings, pauses),
        elevation=elev,
        pace=pace(frame, settings, None if elev.source == "none" else grade, pauses),
        gait=gait(frame, settings, pauses),
        heart=heart,
        hills=tuple(hills),
        exposure=hill_exposure(inputs, hills, settings),
        laps=tuple(lap_paces(frame, settings, laps, pauses)),
    )


def clean(value: Any) -> Any:
    """JSON-ready: NaN and infinities become None, numpy scalars plain Python."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _zones(heart: HeartRate, settings: Settings) -> list[dict[str, Any]]:
    edges = (None, *heart.zone_edges_bpm, None)
    fractions = (None, *settings.zone_edges, None)
    return [
        {
            "zone": n,
            "from_bpm": edges[n],
            "to_bpm": edges[n + 1],
            "from_fraction": fractions[n],
            "to_fraction": fractions[n + 1],
            "seconds": seconds,
        }
        for n, seconds in enumerate(heart.zones_s)
    ]


def to_json(m: ActivityMetrics, settings: Settings) -> dict[str, Any]:
    """The ``metrics`` keys of ``inspect --json`` (SI units; None where unknown)."""
    h = m.heart
    return clean(
        {
            "moving_s": m.times.moving_s,
            "ascent_m": m.elevation.ascent_m,
            "descent_m": m.elevation.descent_m,
            "altitude_source": m.elevation.source,
            "pace_s_per_km": m.pace.pace_s_per_km,
            "gap_s_per_km": m.pace.gap_s_per_km,
            "heart_rate_avg_bpm": h.avg_bpm,
            "heart_rate_max_bpm": h.max_bpm,
            "hr_max_used_bpm": h.hr_max.bpm,
            "hr_max_source": h.hr_max.source,
            "easy_limit_bpm": h.easy_limit_bpm,
            "time_below_easy_s": h.time_below_easy_s,
            "easy_share": h.easy_share,
            "trimp": h.trimp,
            "walking_s": m.gait.walking_s,
            "running_s": m.gait.running_s,
            "standing_s": m.gait.standing_s,
            "gait_source": m.gait.source,
            "hr_zones": _zones(h, settings),
            "hill_exposure": asdict(m.exposure),
            "hills": [asdict(hill) for hill in m.hills],
            "laps": [asdict(lap) for lap in m.laps],
        }
    )
