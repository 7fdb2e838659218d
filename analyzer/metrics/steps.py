"""Time steps: the weight of every row in time-weighted sums.

A row's weight is the time to the next row, in seconds, less any time the timer was
stopped in between. What is left weighs 0 when it is longer than
``Settings.gap_limit_s``: a gap, not time spent at the row's speed or heart rate. The last
row weighs 0.
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


def raw_steps_s(frame: pd.DataFrame) -> np.ndarray:
    """Seconds from each row to the next; 0 for the last row."""
    ns = index_ns(frame.index)
    if len(ns) == 0:
        return np.zeros(0)
    return np.append(np.diff(ns) / 1e9, 0.0)


def step_seconds(
    frame: pd.DataFrame, settings: Settings, pauses: Sequence[Pause] = ()
) -> np.ndarray:
    """Weight of each row in seconds: its step to the next row less the time the timer
    was stopped inside it; 0 where what is left is longer than the gap limit.

    A step that spans a pause (a bike computer that writes nothing while auto-paused at a
    crossing) keeps only its running part, so moving time never exceeds timer time.
    """
    steps = raw_steps_s(frame)
    ns = index_ns(frame.index)
    if len(ns) > 1:
        starts, ends = ns, np.append(ns[1:], ns[-1])
        for pause in pauses:
            inside = np.minimum(ends, pause.end.value) - np.maximum(starts, pause.start.value)
            steps = steps - np.clip(inside, 0, None) / 1e9
    return np.where(steps <= settings.gap_limit_s, np.clip(steps, 0.0, None), 0.0)


def weighted_mean(values: np.ndarray, weights: np.ndarray) -> float | None:
    """Time-weighted mean of the finite values; None when no time carries a value."""
    ok = np.isfinite(values) & (weights > 0)
    total = float(weights[ok].sum())
    if total <= 0:
        return None
    return float((values[ok] * weights[ok]).sum() / total)
