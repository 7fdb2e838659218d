"""The week map keeps positions to about 0.1 m: at 4 decimals (11 m) a track was drawn as
a staircase (user test, 2020-W50)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analyzer.report import figures


def test_a_track_keeps_six_decimals_of_latitude_and_longitude() -> None:
    n = 300  # 300 m due north-east in 1 m steps: every step moves ~0.000006 degrees
    lat = 47.0 + np.arange(n) * 9e-6
    lon = 8.0 + np.arange(n) * 6e-6
    stream = pd.DataFrame({"lat_deg": lat, "lon_deg": lon, "distance_m": np.arange(n, dtype=float)})
    fig = figures.week_map({"a": stream}, pd.DataFrame(), {"a": "Tue 17 Nov"})
    go.Figure(fig)
    track = next(t for t in fig["data"] if len(t.get("x", [])) > 10)
    ys = np.asarray(track["y"], dtype=float)
    # every point north of the one before: at 4 decimals 11 of every 12 repeated it
    assert np.all(np.diff(ys) > 0)
