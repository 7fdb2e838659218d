"""``analyse(activity, settings)``: THE per-file function.

Plain data in, plain data out, so a process pool (or a Dask cluster) can run it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analyzer.schema import Activity
from analyzer.settings import Settings


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
    """Elapsed time less the timer pauses that fall inside the recording."""
    frame = activity.frame
    if len(frame) < 2:
        return 0.0
    first, last = frame.index[0], frame.index[-1]
    paused = 0.0
    for pause in activity.pauses:
        start = max(pause.start, first)
        end = min(pause.end, last)
        if end > start:
            paused += (end - start).total_seconds()
    return float((last - first).total_seconds() - paused)


def analyse(activity: Activity, settings: Settings) -> ActivitySummary:
    frame = activity.frame
    distance = frame["distance_m"].to_numpy()
    finite = distance[np.isfinite(distance)]
    start = frame.index[0] if len(frame) else pd.Timestamp(0, tz="UTC")
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
        elapsed_s=float(frame["elapsed_s"].iloc[-1]) if len(frame) else 0.0,
        timer_s=timer_seconds(activity),
        distance_m=float(finite[-1]) if finite.size else 0.0,
        points=len(frame),
        channels=tuple(activity.channels()),
        altitude_source=activity.altitude_source,
        device_summary=activity.device_summary,
        warnings=tuple(activity.warnings),
    )
