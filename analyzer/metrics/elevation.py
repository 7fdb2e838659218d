"""Elevation: where the altitude comes from, its smoothing, ascent and descent.

Raw altitude sums are inflated by noise (the fenix 2 corpus run: ~250 m summed against
the device's 64 m). The method here, checked against the devices in bench/accuracy.py
(which also cross-validates its two fitted parameters, leave one session out):

1. Altitude changes that cannot be climbing are removed: every step that overlaps a
   timer pause (pressure drifts while the runner waits; devices that stop recording
   leave one step across the whole pause), and every step faster than
   ``Settings.altitude_max_vertical_mps`` (a sensor start-up spike, a GPS jump).
2. The series is smoothed with a centred moving average over a window of at least
   ``altitude_smooth_baro_s`` seconds and at least ``altitude_smooth_samples`` samples,
   so a smart recording (one reading every 1-28 s) is averaged over as many readings as
   a 1 s one. Altitude the device wrote in whole metres (``altitude_coarse_step_m``)
   is not smoothed: the device has dead-banded it already.
3. Rises and falls are counted with hysteresis: a climb is committed only once the
   altitude has turned back by at least the threshold, and then counts in full from
   trough to peak. The threshold is the largest of a per-source floor, a multiple of
   the measured noise, and one and a half recording steps (so a one-step flicker of the
   last digit never counts, a two-step turn does).

Barometric altitude (a few decimetres of noise) gets a short window and a small floor;
GPS altitude (metres of noise, slow wander) a long window and a floor of several metres.
The source is judged from the noise of the cleaned series where the importer does not
know it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analyzer.metrics.steps import index_ns
from analyzer.schema import Pause
from analyzer.settings import Settings

NOISE_WINDOW_S = 9.0  # short window whose residual measures sample-to-sample noise
STEP_FLICKER = 1.5  # coarse steps: a turn of one step is the last digit flickering
MIN_STEP_M = 1e-3  # changes below a millimetre are float rounding, not recorded steps
#: grid seconds per sample beyond which a moving average is made in stretches: far
#: above any real recording (one sample every 1-28 s), far below a clock jump
GRID_PER_SAMPLE = 16


@dataclass(frozen=True)
class Elevation:
    """Ascent and descent in m (None: no altitude); the source used; noise in m."""

    ascent_m: float | None
    descent_m: float | None
    source: str  # "barometric", "gps", "dem" or "none"
    noise_m: float | None
    hysteresis_m: float | None


def moving_average(t_s: np.ndarray, values: np.ndarray, window_s: float) -> np.ndarray:
    """Centred moving average over ``window_s`` seconds, on a 1 s grid, back at ``t_s``.

    The grid runs from ``t_s[0]`` in whole seconds, values interpolated onto it and the
    ends padded with the end values. A record holding fewer than one sample per
    ``GRID_PER_SAMPLE`` grid seconds (a clock that jumps by years, a watch left paused
    for days) is not put on one grid: gaps longer than the window split it into
    stretches, each computed on just the part of the same grid that its samples read,
    so memory grows with the samples, not the span. In a gap the grid is the straight
    line between the samples either side, and a stretch reads it as far as its window
    reaches; the values are the full grid's but for the rounding of the running sums.
    """
    if window_s <= 1 or len(values) < 2:
        return values.astype("float64", copy=True)
    t = np.asarray(t_s, dtype="float64")
    v = np.asarray(values, dtype="float64")
    half = int(round(window_s) // 2)  # the window is 2 * half + 1 grid seconds, centred
    size = int(np.ceil(t[-1] + 1.0 - t[0]))  # the full grid's length, as np.arange's
    step = (t[0] + 1.0) - t[0]  # np.arange's own step, so the grid points are its own
    if size <= GRID_PER_SAMPLE * len(t):  # every corpus recording: one grid, as ever
        cuts = np.zeros(0, dtype=np.int64)
    else:
        cuts = np.flatnonzero(np.diff(t) > 2 * half + 4) + 1
    out = np.empty(len(t))
    for lo, hi in zip([0, *cuts], [*cuts, len(t)], strict=True):
        out[lo:hi] = _stretch_average(t, v, lo, hi, half, size, step)
    return out


def _stretch_average(
    t: np.ndarray, v: np.ndarray, lo: int, hi: int, half: int, size: int, step: float
) -> np.ndarray:
    """``moving_average`` at samples ``lo:hi``, from grid seconds within reach of them."""
    first = max(int(np.floor((t[lo] - t[0]) / step)) - half - 1, 0)
    last = min(int(np.ceil((t[hi - 1] - t[0]) / step)) + half + 1, size - 1)
    grid = t[0] + np.arange(first, last + 1) * step
    on_grid = np.interp(grid, t, v)
    left = half if first == 0 else 0  # pad only at the ends of the whole grid
    right = half if last == size - 1 else 0
    padded = np.pad(on_grid, (left, right), mode="edge")
    k = 2 * half + 1
    csum = np.concatenate([[0.0], np.cumsum(padded)])
    smooth = (csum[k:] - csum[:-k]) / k
    return np.interp(t[lo:hi], grid[half - left : len(grid) - (half - right)], smooth)


def altitude_noise_m(t_s: np.ndarray, alt_m: np.ndarray) -> float:
    """Standard deviation (m) of altitude about its own short moving average."""
    if len(alt_m) < 3:
        return 0.0
    return float(np.std(alt_m - moving_average(t_s, alt_m, NOISE_WINDOW_S)))


def sample_interval_s(t_s: np.ndarray) -> float:
    """The typical time (s) between recorded samples: the median positive step."""
    steps = np.diff(t_s)
    steps = steps[steps > 0]
    return float(np.median(steps)) if steps.size else 1.0


def resolution_m(alt_m: np.ndarray) -> float:
    """The recording's altitude step (m): its smallest change, to the centimetre."""
    steps = np.abs(np.diff(alt_m))
    steps = steps[steps > MIN_STEP_M]
    return float(np.round(steps.min(), 2)) if steps.size else 0.0


def _paused_steps(ns: np.ndarray, pauses: Sequence[Pause]) -> np.ndarray:
    """True for each step (row i to i+1) whose span overlaps a timer pause."""
    paused = np.zeros(max(len(ns) - 1, 0), dtype=bool)
    for pause in pauses:
        paused |= (ns[1:] > pause.start.value) & (ns[:-1] < pause.end.value)
    return paused


def clean_altitude(
    frame: pd.DataFrame, settings: Settings, pauses: Sequence[Pause] = ()
) -> pd.Series:
    """Altitude (m) less every change made while paused or faster than a body can climb.

    NaN rows are dropped; the index is the frame's. A step is taken out by shifting
    everything after it, so the rest of the record keeps its shape.
    """
    alt = frame["altitude_m"]
    ok = alt.notna().to_numpy()
    z = alt.to_numpy()[ok].astype("float64")
    index = frame.index[ok]
    if z.size < 2:
        return pd.Series(z, index=index)
    ns = index_ns(index)
    dz = np.diff(z)
    dt = np.diff(ns) / 1e9
    drop = _paused_steps(ns, pauses) | (np.abs(dz) > settings.altitude_max_vertical_mps * dt)
    drift = np.concatenate([[0.0], np.cumsum(np.where(drop, dz, 0.0))])
    return pd.Series(z - drift, index=index)


def _elapsed_s(series: pd.Series) -> np.ndarray:
    ns = index_ns(series.index)
    return (ns - ns[0]) / 1e9 if len(ns) else np.zeros(0)


def source_from_noise(noise_m: float, declared: str, settings: Settings) -> str:
    """The importer's source where it knows; else GPS when the noise is above
    ``Settings.gps_altitude_noise_m`` (GPS altitude jumps by metres from fix to fix,
    a barometer resolves decimetres)."""
    if declared in ("barometric", "gps", "dem"):
        return declared
    return "gps" if noise_m > settings.gps_altitude_noise_m else "barometric"


def classify_source(
    frame: pd.DataFrame, declared: str, settings: Settings, pauses: Sequence[Pause] = ()
) -> str:
    """The altitude source: "none" without altitude, else see ``source_from_noise``."""
    z = clean_altitude(frame, settings, pauses)
    if z.empty:
        return "none"
    return source_from_noise(altitude_noise_m(_elapsed_s(z), z.to_numpy()), declared, settings)


def smoothing_window_s(source: str, settings: Settings, interval_s: float = 1.0) -> float:
    """The moving-average window (s): the source's seconds, and at least the set number
    of samples at the recording's interval."""
    seconds = settings.altitude_smooth_gps_s if source == "gps" else settings.altitude_smooth_baro_s
    return max(seconds, settings.altitude_smooth_samples * interval_s)


def hysteresis_floor_m(source: str, settings: Settings) -> float:
    if source == "gps":
        return settings.ascent_hysteresis_gps_m
    return settings.ascent_hysteresis_baro_m


def smoothed_altitude(
    frame: pd.DataFrame, settings: Settings, source: str, pauses: Sequence[Pause] = ()
) -> pd.Series:
    """Smoothed altitude (m) on the rows that have altitude, pauses and glitches out."""
    z = clean_altitude(frame, settings, pauses)
    if z.empty:
        return z
    t = _elapsed_s(z)
    window = smoothing_window_s(source, settings, sample_interval_s(t))
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
    clean = clean_altitude(frame, settings, pauses)
    if clean.empty:
        return Elevation(None, None, "none", None, None)
    t, z = _elapsed_s(clean), clean.to_numpy()
    noise = altitude_noise_m(t, z)
    source = source_from_noise(noise, declared_source, settings)
    step = resolution_m(z)
    coarse = source != "gps" and step >= settings.altitude_coarse_step_m
    if not coarse:
        z = moving_average(t, z, smoothing_window_s(source, settings, sample_interval_s(t)))
    threshold = max(
        hysteresis_floor_m(source, settings),
        settings.ascent_noise_factor * noise,
        STEP_FLICKER * step,
    )
    ascent, descent = hysteresis_gain(z, threshold)
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
