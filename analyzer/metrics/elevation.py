"""Elevation: where the altitude comes from, its smoothing, ascent and descent.

Raw altitude sums are inflated by noise (the fenix 2 corpus run: ~250 m summed against
the device's 64 m). The method here, checked against the devices in bench/accuracy.py:

1. Altitude changes while the timer is stopped are removed: pressure drifts while the
   runner waits, and no device counts that as climbing.
2. The series is smoothed with a centred moving average over a *time* window (so it
   means the same at 1 s and at smart-recording rates).
3. Rises and falls are counted with hysteresis: a climb is committed only once the
   altitude has turned back by at least the threshold, and then counts in full from
   trough to peak. The threshold is the larger of a per-source floor and a multiple of
   the measured noise, so a noisy recording needs a bigger turn to count.

Barometric altitude (a few decimetres of noise) gets a short window and a small floor;
GPS altitude (metres of noise, slow wander) a long window and a floor of several metres.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analyzer.metrics.steps import index_ns, timer_running
from analyzer.schema import Pause
from analyzer.settings import Settings

NOISE_WINDOW_S = 9.0  # short window whose residual measures sample-to-sample noise


@dataclass(frozen=True)
class Elevation:
    """Ascent and descent in m (None: no altitude); the source used; noise in m."""

    ascent_m: float | None
    descent_m: float | None
    source: str  # "barometric", "gps", "dem" or "none"
    noise_m: float | None
    hysteresis_m: float | None


def moving_average(t_s: np.ndarray, values: np.ndarray, window_s: float) -> np.ndarray:
    """Centred moving average over ``window_s`` seconds, on a 1 s grid, back at ``t_s``."""
    if window_s <= 1 or len(values) < 2:
        return values.astype("float64", copy=True)
    grid = np.arange(t_s[0], t_s[-1] + 1.0, 1.0)
    on_grid = np.interp(grid, t_s, values)
    k = 2 * int(round(window_s) // 2) + 1  # odd, so the window is centred exactly
    padded = np.pad(on_grid, (k // 2, k // 2), mode="edge")
    csum = np.concatenate([[0.0], np.cumsum(padded)])
    smooth = (csum[k:] - csum[:-k]) / k
    return np.interp(t_s, grid, smooth)


def altitude_noise_m(t_s: np.ndarray, alt_m: np.ndarray) -> float:
    """Standard deviation (m) of altitude about its own short moving average."""
    if len(alt_m) < 3:
        return 0.0
    return float(np.std(alt_m - moving_average(t_s, alt_m, NOISE_WINDOW_S)))


def classify_source(frame: pd.DataFrame, declared: str, settings: Settings) -> str:
    """The altitude source: the importer's where it knows, else judged from the noise.

    Barometers resolve decimetres and change smoothly; GPS altitude jumps by metres from
    one fix to the next. A noise above ``Settings.gps_altitude_noise_m`` means GPS.
    """
    alt = frame["altitude_m"].to_numpy()
    ok = np.isfinite(alt)
    if not ok.any():
        return "none"
    if declared in ("barometric", "gps", "dem"):
        return declared
    noise = altitude_noise_m(frame["elapsed_s"].to_numpy()[ok], alt[ok])
    return "gps" if noise > settings.gps_altitude_noise_m else "barometric"


def paused_altitude(frame: pd.DataFrame, pauses: Sequence[Pause] = ()) -> pd.Series:
    """Altitude (m) with every change made while the timer was stopped taken out.

    NaN rows are dropped; the index is the frame's. Without pauses it is the raw series.
    """
    alt = frame["altitude_m"]
    ok = alt.notna().to_numpy()
    z = alt.to_numpy()[ok]
    if not pauses or z.size < 2:
        return pd.Series(z, index=frame.index[ok])
    running = timer_running(frame.index[ok], pauses)
    dz = np.diff(z)
    # the step from row i to i+1 happened while paused when row i's step was paused
    drift = np.concatenate([[0.0], np.cumsum(np.where(running[:-1], 0.0, dz))])
    return pd.Series(z - drift, index=frame.index[ok])


def smoothing_window_s(source: str, settings: Settings) -> float:
    if source == "gps":
        return settings.altitude_smooth_gps_s
    return settings.altitude_smooth_baro_s


def hysteresis_floor_m(source: str, settings: Settings) -> float:
    if source == "gps":
        return settings.ascent_hysteresis_gps_m
    return settings.ascent_hysteresis_baro_m


def smoothed_altitude(
    frame: pd.DataFrame, settings: Settings, source: str, pauses: Sequence[Pause] = ()
) -> pd.Series:
    """Smoothed altitude (m) on the rows that have altitude, pauses taken out."""
    z = paused_altitude(frame, pauses)
    if z.empty:
        return z
    t = (index_ns(z.index) - index_ns(z.index)[0]) / 1e9
    window = smoothing_window_s(source, settings)
    return pd.Series(moving_average(t, z.to_numpy(), window), index=z.index)


def _first_turn(z: np.ndarray, threshold_m: float) -> tuple[int, float, float, int]:
    """Scan until the series has spanned the threshold: (row, anchor, extreme, direction).

    The anchor is the trough (or peak) seen so far, so a climb counts from its true
    start whichever way the record is read.
    """
    low = high = float(z[0])
    for i, value in enumerate(z):
        v = float(value)
        low, high = min(low, v), max(high, v)
        if v - low >= threshold_m:
            return i, low, v, 1
        if high - v >= threshold_m:
            return i, high, v, -1
    return len(z), low, high, 0


def hysteresis_gain(z: np.ndarray, threshold_m: float) -> tuple[float, float]:
    """(ascent, descent) in m: turns smaller than ``threshold_m`` are ignored.

    A climb (or descent) is committed, trough to peak in full, once the series turns
    back by at least the threshold; the last open one is committed at the end. Reading
    the series backwards swaps ascent and descent.
    """
    totals = [0.0, 0.0]  # ascent, descent
    start, anchor, extreme, direction = _first_turn(np.asarray(z), threshold_m)
    for value in z[start + 1 :]:
        v = float(value)
        if (v - extreme) * direction > 0:
            extreme = v
        elif (extreme - v) * direction >= threshold_m:
            totals[0 if direction == 1 else 1] += abs(extreme - anchor)
            anchor, extreme, direction = extreme, v, -direction
    if direction:
        totals[0 if direction == 1 else 1] += abs(extreme - anchor)
    return totals[0], totals[1]


def elevation(
    frame: pd.DataFrame,
    settings: Settings,
    declared_source: str = "unknown",
    pauses: Sequence[Pause] = (),
) -> Elevation:
    """Ascent and descent (m) of one activity, None for both when it has no altitude."""
    source = classify_source(frame, declared_source, settings)
    if source == "none":
        return Elevation(None, None, "none", None, None)
    raw = paused_altitude(frame, pauses)
    t = (index_ns(raw.index) - index_ns(raw.index)[0]) / 1e9
    noise = altitude_noise_m(t, raw.to_numpy())
    smooth = moving_average(t, raw.to_numpy(), smoothing_window_s(source, settings))
    threshold = max(hysteresis_floor_m(source, settings), settings.ascent_noise_factor * noise)
    ascent, descent = hysteresis_gain(smooth, threshold)
    return Elevation(ascent, descent, source, noise, threshold)


def grade_series(
    frame: pd.DataFrame,
    settings: Settings,
    source: str,
    pauses: Sequence[Pause] = (),
) -> np.ndarray:
    """Smoothed grade per row, as a fraction (0.06 = 6%); NaN without altitude or distance.

    The smoothed altitude is taken as a function of distance, and the grade at a row is
    its rise over ``Settings.grade_window_m`` centred on the row's distance (shortened
    at the ends). A distance window, not a time window, so a walker and a runner on the
    same slope see the same grade.
    """
    out = np.full(len(frame), np.nan)
    if source == "none":
        return out
    z = smoothed_altitude(frame, settings, source, pauses)
    dist = pd.Series(frame["distance_m"].to_numpy(), index=frame.index).reindex(z.index)
    ok = np.isfinite(dist.to_numpy())
    if ok.sum() < 2:
        return out
    d = np.maximum.accumulate(dist.to_numpy()[ok])
    zz = z.to_numpy()[ok]
    half = settings.grade_window_m / 2.0
    lo = np.clip(d - half, d[0], d[-1])
    hi = np.clip(d + half, d[0], d[-1])
    span = hi - lo
    rise = np.interp(hi, d, zz) - np.interp(lo, d, zz)
    grade = np.divide(rise, span, out=np.full(len(d), np.nan), where=span >= half)
    rows = np.flatnonzero(frame.index.isin(z.index[ok]))
    out[rows] = grade
    return out
