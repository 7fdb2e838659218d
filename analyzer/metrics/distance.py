"""Distance and time: total distance, elapsed, timer and moving time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analyzer.geo import SPEED_WINDOW_S
from analyzer.metrics.steps import index_ns, step_seconds
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


def distance_speed_mps(frame: pd.DataFrame, window_s: float = SPEED_WINDOW_S) -> np.ndarray:
    """Speed (m/s) of each row's step from the distance channel alone: the distance
    covered over a window centred on the step, as long as the step and at least
    ``window_s``, over the window's length (clipped at the ends of the recording); 0 for
    a step over which the distance did not advance.

    Over the whole step, so a smart-recording step of 20 m in 6 s reads 3.3 m/s; over
    at least ``window_s`` (the importers' derived speed uses the same 10 s), so one
    3 m jump of a standing watch's jitter-anchored GPS distance reads 0.3 m/s, not 3.
    A step must advance itself: the first seconds of a stop, whose window still holds
    the running before it, stay standing.
    """
    ns = index_ns(frame.index)
    if ns.size < 2:
        return np.zeros(ns.size)
    t = (ns - ns[0]) / 1e9
    steps = step_distance_m(frame)
    cum = np.concatenate([[0.0], np.cumsum(steps[:-1])])
    ends = np.append(t[1:], t[-1])
    mid, half = (t + ends) / 2, np.maximum((ends - t) / 2, window_s / 2)
    lo, hi = np.clip(mid - half, t[0], t[-1]), np.clip(mid + half, t[0], t[-1])
    span = hi - lo
    covered = np.interp(hi, t, cum) - np.interp(lo, t, cum)
    return np.divide(covered, span, out=np.zeros_like(span), where=(span > 0) & (steps > 0))


def step_speed_mps(frame: pd.DataFrame, settings: Settings) -> np.ndarray:
    """Speed (m/s) of each row's step: the device's where it reaches the standing speed
    (``Settings.stand_speed_mps``), else the distance channel's (``distance_speed_mps``).

    Devices write a speed of 0 (or none) while their distance advances: a Forerunner
    645 wrote 0.0 over 20 m in 6 s of running. The distance is what the pace is made
    of, so a step that covered ground at the standing speed or faster is not standing,
    whatever the instantaneous speed says. A device speed above it with a flat distance
    stays moving, as before (a treadmill's own speed).
    """
    speed = frame["speed_mps"].to_numpy()
    device_moving = np.isfinite(speed) & (speed >= settings.stand_speed_mps)
    return np.where(device_moving, speed, distance_speed_mps(frame))


def moving_mask(frame: pd.DataFrame, settings: Settings) -> np.ndarray:
    """True for rows whose step is at or above the standing speed (``step_speed_mps``
    against ``Settings.stand_speed_mps``): DOMAIN.md's standing is below it."""
    return step_speed_mps(frame, settings) >= settings.stand_speed_mps


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
    at or above the standing speed (``moving_mask``).
    """
    weights = step_seconds(frame, settings, pauses)
    moving = float(weights[moving_mask(frame, settings)].sum())
    return Times(
        elapsed_s=elapsed_seconds(frame),
        timer_s=timer_seconds(frame, pauses),
        moving_s=moving,
    )
