"""Time steps: the weight of every row in time-weighted sums.

A row's weight is the time to the next row, in seconds. Steps longer than
``Settings.gap_limit_s`` and steps while the timer was stopped weigh 0: they are pauses,
not time spent at the row's speed or heart rate. The last row weighs 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from analyzer.schema import Pause
from analyzer.settings import Settings


def index_ns(index: pd.Index) -> np.ndarray:
    """A time index as int64 nanoseconds since the epoch (UTC)."""
    if isinstance(index, pd.DatetimeIndex):  # the canonical frame's: no copy, no checks
        return index.asi8
    return np.asarray(pd.DatetimeIndex(index).asi8)


def timer_running(index: pd.Index, pauses: Sequence[Pause] = ()) -> np.ndarray:
    """True for rows whose step to the next row starts while the timer runs."""
    running = np.ones(len(index), dtype=bool)
    ns = index_ns(index)
    for pause in pauses:
        running &= ~((ns >= pause.start.value) & (ns < pause.end.value))
    return running


def raw_steps_s(frame: pd.DataFrame) -> np.ndarray:
    """Seconds from each row to the next; 0 for the last row."""
    ns = index_ns(frame.index)
    if len(ns) == 0:
        return np.zeros(0)
    return np.append(np.diff(ns) / 1e9, 0.0)


def step_seconds(
    frame: pd.DataFrame, settings: Settings, pauses: Sequence[Pause] = ()
) -> np.ndarray:
    """Weight of each row in seconds: its step to the next row, 0 when paused or a gap."""
    steps = raw_steps_s(frame)
    keep = (steps <= settings.gap_limit_s) & timer_running(frame.index, pauses)
    return np.where(keep, steps, 0.0)


def weighted_mean(values: np.ndarray, weights: np.ndarray) -> float | None:
    """Time-weighted mean of the finite values; None when no time carries a value."""
    ok = np.isfinite(values) & (weights > 0)
    total = float(weights[ok].sum())
    if total <= 0:
        return None
    return float((values[ok] * weights[ok]).sum() / total)
