"""Speed facts that say whether an activity whose file named no sport can have been a
run (``weekly.sport`` decides; the facts are computed here, once, when the activity is
analysed, so a report need not read the activity's stream again)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analyzer.settings import Settings

SUSTAINED_WINDOW_S = 120.0
WINDOW_COVER = 0.5  # share of a window's expected samples it must hold to be read

#: sports that say nothing about what was done: the data decide, as without a sport
UNSAID = frozenset({"generic", "all", "unknown", "none"})


def sport_key(value: Any) -> str | None:
    """The sport as a lower-case word, None where the file did not say what was done."""
    if not isinstance(value, str) or not value.strip():
        return None
    key = value.strip().lower()
    return None if key in UNSAID else key


def needs_data(value: Any) -> bool:
    """Whether the data (speeds, gait) must decide, the file's sport being silent."""
    return sport_key(value) is None


def speed_facts(stream: pd.DataFrame, settings: Settings) -> tuple[float | None, float | None]:
    """(median moving speed, highest 2-minute median speed) of a per-second frame, m/s;
    None where the frame has no speed. Moving: at least ``settings.stand_speed_mps``
    (DOMAIN.md: standing still below it). The 2-minute median ignores GPS spikes, also
    one alone in a window after a pause."""
    if stream.empty or "speed_mps" not in stream.columns:
        return None, None
    speed = pd.to_numeric(stream["speed_mps"], errors="coerce")
    moving = speed[speed >= settings.stand_speed_mps]
    median = float(moving.median()) if len(moving) else None
    if "elapsed_s" in stream.columns:
        seconds = pd.to_numeric(stream["elapsed_s"], errors="coerce").to_numpy(dtype=float)
    else:
        seconds = np.arange(len(stream), dtype=float)
    ok = np.isfinite(seconds) & speed.notna().to_numpy()
    if not ok.any():
        return median, None
    series = pd.Series(
        speed.to_numpy(dtype=float)[ok], index=pd.to_timedelta(seconds[ok], unit="s")
    ).sort_index()
    series = series[~series.index.duplicated()]
    window = pd.Timedelta(seconds=SUSTAINED_WINDOW_S)
    rolled = series.rolling(window).median()
    # only windows that span the full 2 minutes and hold at least half the samples the
    # recording's interval gives them: after a pause a window holds a sample or two, and
    # one GPS spike at the restart would be its "median"
    steps = np.diff(np.unique(seconds[ok]))
    interval = float(np.median(steps[steps > 0])) if (steps > 0).any() else 1.0
    enough = series.rolling(window).count() >= WINDOW_COVER * SUSTAINED_WINDOW_S / interval
    full = rolled[(rolled.index >= series.index[0] + window) & enough]
    sustained = float(full.max()) if len(full) and full.notna().any() else None
    return median, sustained
