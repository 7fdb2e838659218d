"""Geodesy shared by importers and metrics: great-circle steps and filling the frame's
distance and speed where the device did not record them."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)


def step_distances_m(lat_deg: np.ndarray, lon_deg: np.ndarray) -> np.ndarray:
    """Haversine distance from each point to the next (length n-1); NaN where a point is NaN."""
    lat = np.radians(np.asarray(lat_deg, dtype="float64"))
    lon = np.radians(np.asarray(lon_deg, dtype="float64"))
    dlat = np.diff(lat)
    dlon = np.diff(lon)
    a = np.sin(dlat / 2) ** 2 + np.cos(lat[:-1]) * np.cos(lat[1:]) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


#: GPS jitter handling. A standing watch's fix wanders by a metre or two from second to
#: second; summing those steps gives a standing runner distance. Positions are first
#: averaged over a short centred time window (3 s: white jitter shrinks by sqrt(3) while
#: a runner's 3-9 m of travel is kept on a straight line), then a step is only taken once
#: the track has left the last counted point by ``GPS_JITTER_M``: wander inside that
#: radius adds nothing, and on a straight line the chords sum to the same distance.
GPS_SMOOTH_S = 3.0
GPS_JITTER_M = 3.0


def haversine_m(lat1: float, lon1: float, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distance (m) from one point to each of others."""
    la1, lo1, la2, lo2 = np.radians(lat1), np.radians(lon1), np.radians(lat2), np.radians(lon2)
    a = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _local_xy_m(lat: np.ndarray, lon: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Equirectangular metres about the track's mean latitude: within a run's extent the
    error against the great circle is far below the 3 m jitter radius."""
    lat0 = np.radians(np.nanmean(lat))
    x = np.radians(lon - lon[0]) * np.cos(lat0) * EARTH_RADIUS_M
    y = np.radians(lat - lat[0]) * EARTH_RADIUS_M
    return x, y


def _anchored_steps(lat: np.ndarray, lon: np.ndarray, radius_m: float) -> np.ndarray:
    """Cumulative distance (m) where a point counts only once it is ``radius_m`` from the
    last counted point; points in between carry the last counted total.

    Sequential by nature (each anchor depends on the last), so the loop runs on plain
    floats in local metres rather than on numpy scalars: about 20 times faster.
    """
    x, y = _local_xy_m(lat, lon)
    xs, ys = x.tolist(), y.tolist()
    out = [0.0] * len(xs)
    ax, ay, total, r2 = xs[0], ys[0], 0.0, radius_m * radius_m
    for i in range(1, len(xs)):
        dx, dy = xs[i] - ax, ys[i] - ay
        d2 = dx * dx + dy * dy
        if d2 >= r2:
            total += math.sqrt(d2)
            ax, ay = xs[i], ys[i]
        out[i] = total
    return np.asarray(out, dtype="float64")


def geodesic_distance_m(
    lat_deg: np.ndarray, lon_deg: np.ndarray, jitter_m: float = GPS_JITTER_M
) -> np.ndarray:
    """Cumulative great-circle distance (m) over the valid points; gaps add nothing.

    A step is measured between consecutive *valid* fixes, so a GPS dropout neither
    loses the distance covered during it nor adds a jump. Movement within ``jitter_m``
    of the last counted point is ignored (0 sums every step).
    """
    lat = np.asarray(lat_deg, dtype="float64")
    lon = np.asarray(lon_deg, dtype="float64")
    out = np.full(lat.shape, np.nan)
    valid = np.isfinite(lat) & np.isfinite(lon)
    if valid.sum() == 0:
        return out
    if jitter_m > 0:
        out[valid] = _anchored_steps(lat[valid], lon[valid], jitter_m)
    else:
        out[valid] = np.concatenate([[0.0], np.cumsum(step_distances_m(lat[valid], lon[valid]))])
    return _fill_cumulative(out)


def smoothed_positions(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude averaged over a centred ``GPS_SMOOTH_S`` time window."""
    pos = frame[["lat_deg", "lon_deg"]]
    if len(pos) < 3:
        return pos["lat_deg"].to_numpy(), pos["lon_deg"].to_numpy()
    window = pd.Timedelta(seconds=GPS_SMOOTH_S)
    smooth = pos.rolling(window, center=True, min_periods=1).mean()
    smooth[pos.isna()] = np.nan
    return smooth["lat_deg"].to_numpy(), smooth["lon_deg"].to_numpy()


def _fill_cumulative(values: np.ndarray) -> np.ndarray:
    """Forward-fill a cumulative series; leading gaps become 0 once anything is known."""
    s = pd.Series(values).ffill().fillna(0.0)
    return s.to_numpy(dtype="float64")


def fill_distance_speed(frame: pd.DataFrame) -> pd.DataFrame:
    """Device distance and speed where present, else geodesic distance and derived speed."""
    out = frame.copy()
    dist = out["distance_m"].to_numpy()
    if np.isfinite(dist).any():
        out["distance_m"] = _fill_cumulative(dist)
    elif out["lat_deg"].notna().any():
        out["distance_m"] = geodesic_distance_m(*smoothed_positions(out))
    if out["speed_mps"].isna().all() and out["distance_m"].notna().any() and len(out) > 1:
        out["speed_mps"] = derived_speed_mps(
            out["elapsed_s"].to_numpy(), out["distance_m"].to_numpy()
        )
    return out


#: derived speed is the distance change over a centred window of this many seconds: the
#: jitter-anchored distance grows in 3 m steps, so a 1 s difference would flicker
#: between 0 and several m/s and make a steady runner look stopped half the time.
SPEED_WINDOW_S = 10.0


def derived_speed_mps(
    t_s: np.ndarray, d_m: np.ndarray, window_s: float = SPEED_WINDOW_S
) -> np.ndarray:
    """Speed (m/s) from cumulative distance over a centred time window (clipped at the ends)."""
    half = window_s / 2.0
    lo = np.clip(t_s - half, t_s[0], t_s[-1])
    hi = np.clip(t_s + half, t_s[0], t_s[-1])
    span = hi - lo
    dist = np.interp(hi, t_s, d_m) - np.interp(lo, t_s, d_m)
    return np.divide(dist, span, out=np.zeros_like(span), where=span > 0)
