"""``analyse(activity, settings)``: THE per-file function.

Plain data in, plain data out, so a process pool (or a Dask cluster) can run it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, get_args

import numpy as np
import pandas as pd

from analyzer.hills.segments import (
    HillExposure,
    HillInputs,
    HillSegment,
    hill_exposure,
    hill_segments,
)
from analyzer.jsonable import jsonable
from analyzer.metrics import distance
from analyzer.metrics.distance import Times, times, total_distance_m
from analyzer.metrics.elevation import Elevation, elevation, grade_series, smoothed_altitude
from analyzer.metrics.gait import Gait, gait, gait_states
from analyzer.metrics.heart import HeartRate, heart_rate
from analyzer.metrics.pace import LapPace, Pace, lap_paces, pace
from analyzer.metrics.speed import needs_data, speed_facts
from analyzer.metrics.steps import step_seconds
from analyzer.schema import Activity, AltitudeSource, Device, Lap, Pause
from analyzer.settings import Settings

#: The version of the analysis. Bump it when a metric's method changes: stored summaries
#: carry it (through the store's settings fingerprint) and are recomputed from their
#: streams on the next import or profile change.
#: 3: steps across a timer pause keep only their running part; 4: speed facts stored for
#: activities whose file names no sport; 5: a 2-minute speed window must be half covered;
#: 6: the held maximum heart rate never reaches across a gap, hill dips and ends are
#: measured on the ground, and a hill's time is that of its rows up to its end;
#: 7: a step whose distance advanced at the standing speed is moving, whatever the
#: device's speed said (moving time, pace, gait, zones); 8: a sample's heart rate lasts
#: until the next sample, so a lone sample after a step longer than the hold is not held
ANALYSIS_VERSION = 8

ALTITUDE_SOURCES = get_args(AltitudeSource)


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


def metrics_json(m: ActivityMetrics, settings: Settings) -> dict[str, Any]:
    """The ``metrics`` keys of ``inspect --json`` (SI units; None where unknown)."""
    h = m.heart
    return jsonable(
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


@dataclass(frozen=True)
class ActivitySummary:
    """The per-activity numbers the store keeps and the report reads. SI units."""

    activity_id: str
    source_path: str
    source_format: str
    session_index: int
    sport: str | None
    sub_sport: str | None
    name: str | None
    device: str
    start_time: str  # ISO 8601, UTC
    utc_offset_s: int | None
    elapsed_s: float
    timer_s: float
    distance_m: float
    points: int
    channels: tuple[str, ...]
    altitude_source: str
    device_summary: dict[str, Any] | None
    warnings: tuple[str, ...]
    metrics: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["channels"] = list(self.channels)
        out["warnings"] = list(self.warnings)
        metrics = out.pop("metrics")
        out.update(metrics)
        return out


def timer_seconds(activity: Activity) -> float:
    """Elapsed time less the timer pauses that fall inside the recording (s)."""
    return distance.timer_seconds(activity.frame, activity.pauses)


def pauses_json(pauses: Sequence[Pause]) -> list[dict[str, str]]:
    return [{"start": p.start.isoformat(), "end": p.end.isoformat()} for p in pauses]


def laps_json(laps: Sequence[Lap]) -> list[dict[str, Any]]:
    return [
        {
            "start": lap.start.isoformat(),
            "end": lap.end.isoformat(),
            "device_summary": lap.device_summary,
        }
        for lap in laps
    ]


def analyse(
    activity: Activity, settings: Settings, observed_max_bpm: float | None = None
) -> ActivitySummary:
    """Summary and metrics of one activity. Reads nothing but ``activity``: it can be
    rebuilt from a stored frame (``activity_from_stored``) and analysed again.

    ``observed_max_bpm`` is the history-wide held maximum heart rate, where the store
    knows it; without it the activity's own is used.
    """
    frame = activity.frame
    start = frame.index[0] if len(frame) else pd.Timestamp(0, tz="UTC")
    m = compute(
        frame,
        settings,
        altitude_source=activity.altitude_source,
        pauses=activity.pauses,
        laps=activity.laps,
        observed_max_bpm=observed_max_bpm,
    )
    metrics = metrics_json(m, settings)
    metrics["pauses"] = pauses_json(activity.pauses)
    if needs_data(activity.sport):  # whether it was a run is for the data to say
        metrics["speed_median_mps"], metrics["speed_sustained_mps"] = speed_facts(frame, settings)
    return ActivitySummary(
        activity_id=activity.activity_id,
        source_path=activity.source_path,
        source_format=activity.source_format,
        session_index=activity.session_index,
        sport=activity.sport,
        sub_sport=activity.sub_sport,
        name=activity.name,
        device=str(activity.device),
        start_time=start.isoformat(),
        utc_offset_s=activity.utc_offset_s,
        elapsed_s=m.times.elapsed_s,
        timer_s=m.times.timer_s,
        distance_m=m.distance_m,
        points=len(frame),
        channels=tuple(activity.channels()),
        altitude_source=m.elevation.source,
        device_summary=activity.device_summary,
        warnings=tuple(activity.warnings),
        metrics=metrics,
    )


def activity_from_stored(
    frame: pd.DataFrame, stored: ActivitySummary, laps: Sequence[Lap] = ()
) -> Activity:
    """Rebuild the Activity that ``analyse`` needs from a stored frame and summary, so a
    profile change can be recomputed without the source file. Pauses come from the
    summary's ``metrics["pauses"]``; laps, where the store keeps them, are passed in.
    """
    pauses = [
        Pause(start=pd.Timestamp(p["start"]), end=pd.Timestamp(p["end"]))
        for p in stored.metrics.get("pauses", [])
    ]
    source = stored.altitude_source
    return Activity(
        frame=frame,
        source_path=stored.source_path,
        source_format=stored.source_format,
        session_index=stored.session_index,
        source_hash=stored.activity_id.rsplit("-", 1)[0],
        sport=stored.sport,
        sub_sport=stored.sub_sport,
        name=stored.name,
        device=Device(product=stored.device),
        utc_offset_s=stored.utc_offset_s,
        altitude_source=source if source in ALTITUDE_SOURCES else "unknown",  # type: ignore[arg-type]
        pauses=pauses,
        laps=list(laps),
        device_summary=stored.device_summary,
        warnings=list(stored.warnings),
    )
