"""Routes: runs grouped by where they went, and the flatter ones of similar distance.

Pure: it computes on tracks handed to it. Two tracks are one route when at least
``Settings.route_overlap_share`` (80%) of each lies within ``Settings.route_match_m``
(30 m) of the other, both ways. The test runs on grid cells, not point pairs: one track
is rasterised and dilated by the match distance into a sorted array of cell keys, and the
other's points are looked up in it with a binary search, so a comparison costs
O(n log m) and grouping thousands of runs takes seconds. Like recurring hills, each route
keeps the track that first defined it (its *anchor*, a polyline every ``STEP_M``) under a
stable integer id.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from analyzer.geo import EARTH_RADIUS_M, haversine_m, step_distances_m
from analyzer.settings import Settings

STEP_M = 10.0  # tracks are compared as points this far apart along the run (m)
CELLS_PER_MATCH = 4  # grid cell = match distance / 4: cell effects stay within ~1/3 of it
_ROW = 1 << 32  # cell key = row * _ROW + column (+ _ROW // 2 keeps columns positive)


@dataclass(frozen=True, eq=False)
class Track:
    """One run's path as points every ``STEP_M`` (degrees); distance and ascent in m."""

    activity_id: str
    local_date: str
    lat: np.ndarray
    lon: np.ndarray
    distance_m: float
    ascent_m: float | None = None


@dataclass(frozen=True, eq=False)
class RouteAnchor:
    """A route's identity: the path (degrees, every ``STEP_M``) of its first run."""

    route_id: int
    lat: np.ndarray
    lon: np.ndarray
    name: str | None = None  # given by the user


@dataclass(frozen=True)
class RouteGrouping:
    """Activity ids per route id; ``anchors`` holds every anchor, ``new`` the ones added."""

    members: dict[int, list[str]]
    anchors: list[RouteAnchor]
    new: list[RouteAnchor]


def resample(
    lat: np.ndarray, lon: np.ndarray, distance_m: np.ndarray | None = None, step_m: float = STEP_M
) -> tuple[np.ndarray, np.ndarray]:
    """Positions every ``step_m`` along the track, interpolated on cumulative distance.

    ``distance_m`` is the frame's own (device) distance where given; rows without a
    position are dropped first, and great-circle steps stand in where distance is missing.
    Standing still adds no points: the output is spaced by distance, not time.
    """
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    ok = np.isfinite(lat) & np.isfinite(lon)
    if distance_m is not None:
        ok &= np.isfinite(np.asarray(distance_m, dtype=float))
    lat, lon = lat[ok], lon[ok]
    if len(lat) < 2:
        return lat, lon
    if distance_m is None:
        dist = np.concatenate([[0.0], np.cumsum(step_distances_m(lat, lon))])
    else:
        dist = np.maximum.accumulate(np.asarray(distance_m, dtype=float)[ok])
    keep = np.concatenate([[True], np.diff(dist) > 0])  # np.interp needs increasing x
    dist, lat, lon = dist[keep], lat[keep], lon[keep]
    if len(dist) < 2:
        return lat, lon
    at = np.arange(dist[0], dist[-1] + 1e-9, step_m)
    return np.interp(at, dist, lat), np.interp(at, dist, lon)


class _Grid:
    """An equirectangular grid around ``lat0`` with cells of ``cell_m``."""

    def __init__(self, lat0: float, cell_m: float, match_m: float) -> None:
        self.cell_m = cell_m
        self.m_per_deg_lat = math.radians(1.0) * EARTH_RADIUS_M
        self.m_per_deg_lon = self.m_per_deg_lat * math.cos(math.radians(lat0))
        reach = int(math.ceil(match_m / cell_m))
        di, dj = np.mgrid[-reach : reach + 1, -reach : reach + 1]
        near = np.hypot(di, dj) * cell_m <= match_m  # cells whose centres are within reach
        self.offsets = (di[near] * _ROW + dj[near]).astype(np.int64)

    def keys(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        row = np.floor(lat * self.m_per_deg_lat / self.cell_m).astype(np.int64)
        col = np.floor(lon * self.m_per_deg_lon / self.cell_m).astype(np.int64)
        return np.asarray(row * _ROW + col + _ROW // 2)

    def dilated(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """Sorted unique keys of every cell within the match distance of the path."""
        base = np.unique(self.keys(lat, lon))
        return np.unique((base[:, None] + self.offsets[None, :]).ravel())


def covered_share(keys: np.ndarray, dilated: np.ndarray) -> float:
    """Share of ``keys`` found in the sorted array ``dilated``."""
    if not len(keys) or not len(dilated):
        return 0.0
    at = np.minimum(np.searchsorted(dilated, keys), len(dilated) - 1)
    return float(np.mean(dilated[at] == keys))


class _AnchorIndex:
    """Anchors with their grids, dilated cell sets and bounding boxes, built once each."""

    def __init__(self, anchors: Sequence[RouteAnchor], settings: Settings) -> None:
        self.settings = settings
        self.anchors: list[RouteAnchor] = []
        self.grids: list[_Grid] = []
        self.dilated: list[np.ndarray] = []
        self.boxes: list[tuple[float, float, float, float]] = []
        for a in sorted(anchors, key=lambda a: a.route_id):  # oldest first
            self.add(a)

    def add(self, anchor: RouteAnchor) -> None:
        lat0 = float(np.mean(anchor.lat)) if len(anchor.lat) else 0.0
        match = self.settings.route_match_m
        grid = _Grid(lat0, match / CELLS_PER_MATCH, match)
        self.anchors.append(anchor)
        self.grids.append(grid)
        self.dilated.append(grid.dilated(anchor.lat, anchor.lon))
        self.boxes.append(_box(anchor.lat, anchor.lon, match))

    def best(self, track: Track) -> int | None:
        """Index of the oldest anchor the track overlaps enough, both ways.

        The oldest, not the best: an anchor added later never takes a run away from the
        route it joined first, so membership does not depend on when the grouping ran.
        """
        share = self.settings.route_overlap_share
        box = _box(track.lat, track.lon, 0.0)
        for i, anchor in enumerate(self.anchors):
            if not _overlaps(box, self.boxes[i]):
                continue
            grid = self.grids[i]
            forward = covered_share(grid.keys(track.lat, track.lon), self.dilated[i])
            if forward < share:  # the cheap direction first: most pairs stop here
                continue
            dilated = grid.dilated(track.lat, track.lon)
            if covered_share(grid.keys(anchor.lat, anchor.lon), dilated) >= share:
                return i
        return None


def _box(lat: np.ndarray, lon: np.ndarray, margin_m: float) -> tuple[float, float, float, float]:
    if not len(lat):
        return (math.inf, math.inf, -math.inf, -math.inf)
    dlat = margin_m / (math.radians(1.0) * EARTH_RADIUS_M)
    dlon = dlat / max(math.cos(math.radians(float(np.mean(lat)))), 1e-6)
    return (
        float(lat.min()) - dlat,
        float(lon.min()) - dlon,
        float(lat.max()) + dlat,
        float(lon.max()) + dlon,
    )


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def group_tracks(
    tracks: Iterable[Track], anchors: Sequence[RouteAnchor], settings: Settings
) -> RouteGrouping:
    """Assign each track to a route, adding an anchor for a track that matches none.

    Tracks are taken oldest first; tracks with fewer than two points are left out.
    """
    index = _AnchorIndex(anchors, settings)
    next_id = max((a.route_id for a in anchors), default=0) + 1
    members: dict[int, list[str]] = {}
    new: list[RouteAnchor] = []
    for track in sorted(tracks, key=lambda t: (t.local_date, t.activity_id)):
        if len(track.lat) < 2:
            continue
        found = index.best(track)
        if found is None:
            anchor = RouteAnchor(next_id, track.lat, track.lon)
            next_id += 1
            index.add(anchor)
            new.append(anchor)
            route_id = anchor.route_id
        else:
            route_id = index.anchors[found].route_id
        members.setdefault(route_id, []).append(track.activity_id)
    return RouteGrouping(members, index.anchors, new)


# --- one route ---------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Route:
    """A route: its runs, typical (median) distance and ascent in m, and its hills.

    ``hill_ids`` are the recurring hills found on at least half of its runs, in order
    along the route; ``flatter`` the ids of the user's own routes of similar distance
    (within ``route_similar_distance``) with less ascent, flattest first.
    """

    route_id: int
    name: str
    user_name: str | None
    activity_ids: tuple[str, ...]
    distance_m: float
    ascent_m: float | None
    lat: np.ndarray
    lon: np.ndarray
    hill_ids: tuple[int, ...] = ()
    flagged: int = 0
    flatter: tuple[int, ...] = ()
    first_date: str = ""
    last_date: str = ""
    hill_counts: dict[int, int] = field(default_factory=dict)  # hill id -> runs it was found in

    @property
    def runs(self) -> int:
        return len(self.activity_ids)

    @property
    def label(self) -> str:
        return self.user_name or f"Route {self.route_id}"


def _median_or_none(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None and math.isfinite(v)]
    return float(statistics.median(known)) if known else None


def describe_route(
    anchor: RouteAnchor, activity_ids: Sequence[str], tracks: Mapping[str, Track]
) -> Route:
    """Median distance and ascent of a route's runs."""
    runs = [tracks[a] for a in activity_ids]
    dates = sorted(t.local_date for t in runs)
    return Route(
        route_id=anchor.route_id,
        name=anchor.name or f"Route {anchor.route_id}",
        user_name=anchor.name,
        activity_ids=tuple(activity_ids),
        distance_m=float(statistics.median(t.distance_m for t in runs)),
        ascent_m=_median_or_none(t.ascent_m for t in runs),
        lat=anchor.lat,
        lon=anchor.lon,
        first_date=dates[0],
        last_date=dates[-1],
    )


def flatter_routes(route: Route, others: Iterable[Route], settings: Settings) -> tuple[int, ...]:
    """Routes within ``route_similar_distance`` of this one's distance, starting within
    ``route_nearby_m`` of its start (a run from the same door, not one from a holiday),
    whose typical ascent is lower by more than ``hill_min_gain_m`` (less than that is
    altitude noise), flattest first, then the fewest flagged hills."""
    if route.ascent_m is None:
        return ()
    share = settings.route_similar_distance
    similar = [
        o
        for o in others
        if o.route_id != route.route_id
        and o.ascent_m is not None
        and abs(o.distance_m - route.distance_m) <= share * route.distance_m
        and o.ascent_m < route.ascent_m - settings.hill_min_gain_m
        and _starts_near(route, o, settings.route_nearby_m)
    ]
    similar.sort(key=lambda o: (o.ascent_m or 0.0, o.flagged, o.route_id))
    return tuple(o.route_id for o in similar)


def _starts_near(route: Route, other: Route, limit_m: float) -> bool:
    """Whether the first positions of the two routes are within ``limit_m``."""
    a, b = _start(route), _start(other)
    if a is None or b is None:
        return False
    gap = haversine_m(a[0], a[1], np.array([b[0]]), np.array([b[1]]))
    return bool(gap[0] <= limit_m)


def _start(route: Route) -> tuple[float, float] | None:
    ok = np.flatnonzero(np.isfinite(route.lat) & np.isfinite(route.lon))
    return (float(route.lat[ok[0]]), float(route.lon[ok[0]])) if ok.size else None
