"""Geodesy shared by importers and metrics: great-circle steps and filling the frame's
distance and speed where the device did not record them."""

from __future__ import annotations

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


def geodesic_distance_m(lat_deg: np.ndarray, lon_deg: np.ndarray) -> np.ndarray:
    """Cumulative great-circle distance over the valid points; gaps add nothing.

    A step is measured between consecutive *valid* fixes, so a GPS dropout neither
    loses the distance covered during it nor adds a jump.
    """
    lat = np.asarray(lat_deg, dtype="float64")
    lon = np.asarray(lon_deg, dtype="float64")
    out = np.full(lat.shape, np.nan)
    valid = np.isfinite(lat) & np.isfinite(lon)
    if valid.sum() == 0:
        return out
    steps = step_distances_m(lat[valid], lon[valid])
    out[valid] = np.concatenate([[0.0], np.cumsum(steps)])
    return _fill_cumulative(out)


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
        out["distance_m"] = geodesic_distance_m(
            out["lat_deg"].to_numpy(), out["lon_deg"].to_numpy()
        )
    if out["speed_mps"].isna().all() and out["distance_m"].notna().any() and len(out) > 1:
        t = out["elapsed_s"].to_numpy()
        d = out["distance_m"].to_numpy()
        dt = np.diff(t)
        v = np.divide(np.diff(d), dt, out=np.zeros_like(dt), where=dt > 0)
        out["speed_mps"] = np.concatenate([[v[0]], v])
    return out
