"""``analyse(activity, settings)``: THE per-file function.

Plain data in, plain data out, so a process pool (or a Dask cluster) can run it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, get_args

import pandas as pd

from analyzer.metrics import distance, summary
from analyzer.schema import Activity, AltitudeSource, Device, Lap, Pause
from analyzer.settings import Settings

#: The version of the analysis. Bump it when a metric's method changes: stored summaries
#: carry it (through the store's settings fingerprint) and are recomputed from their
#: streams on the next import or profile change.
ANALYSIS_VERSION = 2

ALTITUDE_SOURCES = get_args(AltitudeSource)


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
    m = summary.compute(
        frame,
        settings,
        altitude_source=activity.altitude_source,
        pauses=activity.pauses,
        laps=activity.laps,
        observed_max_bpm=observed_max_bpm,
    )
    metrics = summary.to_json(m, settings)
    metrics["pauses"] = pauses_json(activity.pauses)
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
