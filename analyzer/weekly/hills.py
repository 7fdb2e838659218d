"""Recurring hills and routes over the whole store, with next-morning stiffness joined.

Only runs count (``weekly.sport``): the climbs and tracks of rides, walks and the like are
left out. Reads the store (climb rows, run tracks, check-ins, stored anchors), hands them to the
pure ``analyzer.hills.overview``, and with ``persist`` stores the anchors of hills and
routes seen for the first time, so their ids (H<n>, R<n>) stay the same on every later
call however many runs are added.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from analyzer.errors import AnalyzerError
from analyzer.hills.asof import HillsHistory
from analyzer.hills.overview import HillsOverview, build_overview
from analyzer.hills.routes import Track, resample
from analyzer.settings import Settings
from analyzer.store import Store
from analyzer.store import hills_store as hs
from analyzer.weekly.source import running_ids

RETRIES = 3  # another process adding anchors meanwhile makes us recompute


def stiffness_by_date(checkins: Iterable[Any]) -> dict[str, float]:
    """Morning stiffness (0-10) by local date (YYYY-MM-DD) of the check-ins that have it."""
    out = {}
    for c in checkins:
        value = getattr(c, "morning_stiffness", None)
        if value is not None and math.isfinite(value):
            out[str(c.date)] = float(value)
    return out


def tracks(store: Store, runs: set[str] | None = None) -> list[Track]:
    """Every stored run with GPS (of ``runs``, where given), as points every ~10 m."""
    out = []
    for activity_id, local_date, distance_m, ascent_m in hs.run_rows(store):
        if runs is not None and activity_id not in runs:
            continue
        try:
            lat, lon, dist = hs.track_points(store, activity_id)
        except AnalyzerError:
            continue  # a damaged stream: `analyzer doctor` names it; the other runs count
        rlat, rlon = resample(lat, lon, dist)
        if len(rlat) >= 2:
            out.append(Track(activity_id, local_date, rlat, rlon, distance_m, ascent_m))
    return out


def load_overview(
    store: Store, settings: Settings | None = None, persist: bool = True
) -> HillsOverview:
    """Recurring hills and routes of everything stored; see the module docstring."""
    settings = settings or store.settings()
    runs = running_ids(store)
    climbs = [c for c in hs.climb_rows(store) if c.activity_id in runs]
    paths = tracks(store, runs)
    stiffness = stiffness_by_date(store.checkins())
    for _ in range(RETRIES):
        expected = hs.max_ids(store)
        result = build_overview(
            climbs, paths, hs.hill_anchors(store), hs.route_anchors(store), stiffness, settings
        )
        if not persist or hs.save_anchors(store, result.new_hills, result.new_routes, expected):
            return result
    return result


def load_history(store: Store, settings: Settings | None = None) -> HillsHistory:
    """:func:`load_overview` (anchors persisted), seen by each week page as of its end
    (``HillsHistory.as_of``)."""
    return HillsHistory(load_overview(store, settings))
