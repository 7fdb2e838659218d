"""Distance and time: total distance, elapsed, timer and moving time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analyzer.metrics.steps import raw_steps_s, step_seconds
from analyzer.schema import Pause
from analyzer.settings import Settings


@dataclass(frozen=True)
class Times:
    """Seconds: first to last record; less timer pauses; less standing and gaps."""

    elapsed_s: float
    timer_s: float
    moving_s: float


def total_distance_m(frame: pd.DataFrame) -> float:
    """Last cumulative distance in m (the device's own, else the importer's geodesic).

    The importers fill ``distance_m``; 0.0 when nothing is known (no GPS, no sensor).
    """
    d = frame["distance_m"].to_numpy()
    finite = d[np.isfinite(d)]
    return float(finite[-1]) if finite.size else 0.0


def forward_filled(values: np.ndarray) -> np.ndarray:
    """NaN replaced by the last value before it, leading NaN by 0 (a Series' ffill and
    fillna(0), without building one)."""
    known = ~np.isnan(values)
    last = np.maximum.accumulate(np.where(known, np.arange(values.size), 0))
    out = values[last] if values.size else values.copy()
    return np.where(np.isnan(out), 0.0, out)


def step_distance_m(frame: pd.DataFrame) -> np.ndarray:
    """Metres from each row to the next (0 for the last row and where unknown)."""
    d = forward_filled(frame["distance_m"].to_numpy())
    if d.size == 0:
        return d
    return np.clip(np.append(np.diff(d), 0.0), 0.0, None)


def moving_mask(frame: pd.DataFrame, settings: Settings) -> np.ndarray:
    """True for rows at or above the standing speed (``Settings.stand_speed_mps``).

    Speed comes from the device; where it is missing it is the distance step over the
    time step, so a GPS-only file still knows when the runner stood still.
    """
    speed = frame["speed_mps"].to_numpy()
    steps = raw_steps_s(frame)
    derived = np.divide(step_distance_m(frame), steps, out=np.zeros_like(steps), where=steps > 0)
    v = np.where(np.isfinite(speed), speed, derived)
    return v >= settings.stand_speed_mps


def elapsed_seconds(frame: pd.DataFrame) -> float:
    if len(frame) < 2:
        return 0.0
    return float((frame.index[-1] - frame.index[0]).total_seconds())


def timer_seconds(frame: pd.DataFrame, pauses: Sequence[Pause] = ()) -> float:
    """Elapsed time less the timer pauses that fall inside the recording (s)."""
    if len(frame) < 2:
        return 0.0
    first, last = frame.index[0], frame.index[-1]
    paused = 0.0
    for pause in pauses:
        start, end = max(pause.start, first), min(pause.end, last)
        if end > start:
            paused += (end - start).total_seconds()
    return elapsed_seconds(frame) - paused


def times(frame: pd.DataFrame, settings: Settings, pauses: Sequence[Pause] = ()) -> Times:
    """Elapsed, timer and moving time in seconds.

    Moving time sums the time steps (capped by the gap limit, timer running) of rows
    at or above the standing speed.
    """
    weights = step_seconds(frame, settings, pauses)
    moving = float(weights[moving_mask(frame, settings)].sum())
    return Times(
        elapsed_s=elapsed_seconds(frame),
        timer_s=timer_seconds(frame, pauses),
        moving_s=moving,
    )
