"""Heart rate: maximum and where it came from, zones, time under the easy limit, TRIMP.

Maximum heart rate, in the order of DOMAIN.md: the profile's; the highest rate held
for ``Settings.hr_max_hold_s`` (over the history when the caller passes it, else within
the activity); the Tanaka estimate 208 - 0.7 x age (Tanaka, Monahan & Seals 2001,
J Am Coll Cardiol 37:153). With none of these, the source is "none" and the
metrics that need a maximum are None: no maximum is invented.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analyzer.metrics.distance import moving_mask
from analyzer.metrics.steps import index_ns, step_seconds, weighted_mean
from analyzer.schema import Pause
from analyzer.settings import Settings

# Banister TRIMP weighting: 0.64 e^(1.92 HRr) for men, 0.86 e^(1.67 HRr) for women
# (Banister 1991; as in DOMAIN.md). Without a recorded sex the male form is used.
TRIMP_COEFFICIENTS = {"male": (0.64, 1.92), "female": (0.86, 1.67)}


@dataclass(frozen=True)
class HrMax:
    bpm: float | None
    source: str  # "profile", "observed", "estimate" or "none"


@dataclass(frozen=True)
class HeartRate:
    """Heart-rate summary. bpm, seconds and shares; None where it cannot be known."""

    avg_bpm: float | None
    max_bpm: float | None
    hr_max: HrMax
    rest_bpm: float
    easy_limit_bpm: float | None
    time_below_easy_s: float | None
    easy_share: float | None  # of moving time with heart rate
    zone_edges_bpm: tuple[float, ...]
    zones_s: tuple[float, ...]  # len(edges) + 1 bins, moving time with heart rate
    trimp: float | None


def observed_max_bpm(frame: pd.DataFrame, settings: Settings) -> float | None:
    """Highest heart rate held for at least ``hr_max_hold_s``: the max of rolling minima.

    A sample's rate lasts until the next sample (a step longer than
    ``Settings.gap_limit_s`` is a gap, and holds nothing). A window of the hold time,
    ending where a sample's step ends, counts where the steps cover all of it without a
    gap, and its minimum is that of every sample whose step reaches into it. So 30 samples
    at 1 Hz (and the one after them, which ends the last step) hold 30 s, a steady smart
    recording (one sample every 1-28 s) holds as its samples say, and neither a spike nor
    a lone sample after a dropout (a 10 s hold, a 25 s step, then 215 bpm) is ever the
    maximum. None when no window is covered.
    """
    hr = frame["heart_rate_bpm"].dropna()
    if len(hr) < 2:
        return None
    hr = hr.set_axis(pd.DatetimeIndex(hr.index).as_unit("ns")).sort_index()
    ns = index_ns(hr.index)
    hold = pd.Timedelta(seconds=settings.hr_max_hold_s).value
    # each sample's stretch: the samples since the last step longer than the gap limit
    stretch = np.concatenate([[0], np.cumsum(np.diff(ns) > settings.gap_limit_s * 1e9)])
    first_ns = ns[np.searchsorted(stretch, stretch, side="left")]
    ends = ns[1:]  # where each sample's step ends: the windows end there
    covered = (stretch[1:] == stretch[:-1]) & (first_ns[:-1] <= ends - hold)
    if not covered.any():
        return None
    # the samples whose step ends in (end - hold, end]: those reaching into the window
    at = pd.DatetimeIndex(np.asarray(ends, dtype="int64").view("datetime64[ns]"))
    by_end = pd.Series(hr.to_numpy(dtype="float64")[:-1], index=at)
    minima = by_end.rolling(pd.Timedelta(hold)).min().to_numpy()
    return float(minima[covered].max())


def resolve_hr_max(settings: Settings, observed_bpm: float | None) -> HrMax:
    if settings.hr_max_bpm:
        return HrMax(float(settings.hr_max_bpm), "profile")
    if observed_bpm:
        return HrMax(float(observed_bpm), "observed")
    if settings.age_years:
        return HrMax(208.0 - 0.7 * settings.age_years, "estimate")
    return HrMax(None, "none")


def rest_bpm(settings: Settings) -> float:
    return float(settings.hr_rest_bpm or settings.hr_rest_default_bpm)


def threshold_bpm(fraction: float, hr_max: float, rest: float, settings: Settings) -> float:
    """A fraction of max, or of the reserve (Karvonen) with ``hr_model="reserve"``."""
    if settings.hr_model == "reserve":
        return rest + fraction * (hr_max - rest)
    return fraction * hr_max


def banister_trimp(
    hr: np.ndarray, weights_s: np.ndarray, hr_max: float, rest: float, sex: str | None
) -> float | None:
    """Sum of minutes x HRr x a e^(b HRr), HRr = (HR - rest)/(max - rest) in [0, 1]."""
    if hr_max <= rest:
        return None
    a, b = TRIMP_COEFFICIENTS["female" if sex == "female" else "male"]
    ok = np.isfinite(hr) & (weights_s > 0)
    hrr = np.clip((hr[ok] - rest) / (hr_max - rest), 0.0, 1.0)
    return float(np.sum(weights_s[ok] / 60.0 * hrr * a * np.exp(b * hrr)))


def _zones(hr: np.ndarray, weights: np.ndarray, edges: Sequence[float]) -> tuple[float, ...]:
    ok = np.isfinite(hr) & (weights > 0)
    bins = np.searchsorted(np.asarray(edges), hr[ok], side="right")
    sums = np.bincount(bins, weights=weights[ok], minlength=len(edges) + 1)
    return tuple(float(x) for x in sums)


def _max_bpm(hr: np.ndarray) -> float | None:
    finite = hr[np.isfinite(hr)]
    return float(finite.max()) if finite.size else None


def heart_rate(
    frame: pd.DataFrame,
    settings: Settings,
    pauses: Sequence[Pause] = (),
    observed_max: float | None = None,
) -> HeartRate:
    """Heart-rate metrics. ``observed_max`` is the history-wide held maximum, if known;
    without it the activity's own held maximum is used."""
    hr = frame["heart_rate_bpm"].to_numpy()
    weights = step_seconds(frame, settings, pauses)
    observed = observed_max if observed_max is not None else observed_max_bpm(frame, settings)
    hr_max = resolve_hr_max(settings, observed)
    rest = rest_bpm(settings)
    avg = weighted_mean(hr, weights)
    out = HeartRate(
        avg_bpm=avg,
        max_bpm=_max_bpm(hr),
        hr_max=hr_max,
        rest_bpm=rest,
        easy_limit_bpm=None,
        time_below_easy_s=None,
        easy_share=None,
        zone_edges_bpm=(),
        zones_s=(),
        trimp=None,
    )
    if hr_max.bpm is None or avg is None:
        return out
    return _with_limits(
        out, hr, weights, np.where(moving_mask(frame, settings), weights, 0.0), settings
    )


def _with_limits(
    out: HeartRate,
    hr: np.ndarray,
    weights: np.ndarray,
    moving_w: np.ndarray,
    settings: Settings,
) -> HeartRate:
    """Fill the easy limit, zones and TRIMP, which all need a maximum."""
    hr_max = float(out.hr_max.bpm or 0.0)
    easy = threshold_bpm(settings.easy_fraction, hr_max, out.rest_bpm, settings)
    edges = tuple(threshold_bpm(f, hr_max, out.rest_bpm, settings) for f in settings.zone_edges)
    has_hr = np.isfinite(hr)
    below = float(moving_w[has_hr & (hr < easy)].sum())
    total = float(moving_w[has_hr].sum())
    return replace(
        out,
        easy_limit_bpm=easy,
        time_below_easy_s=below,
        easy_share=below / total if total > 0 else None,
        zone_edges_bpm=edges,
        zones_s=_zones(hr, moving_w, edges),
        trimp=banister_trimp(hr, weights, hr_max, out.rest_bpm, settings.sex),
    )
