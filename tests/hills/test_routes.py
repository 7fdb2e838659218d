"""Routes: on the sample runner's store, and on tracks built in code."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pytest

from analyzer.hills.overview import HillsOverview
from analyzer.hills.routes import (
    Route,
    Track,
    covered_share,
    flatter_routes,
    group_tracks,
    resample,
)
from analyzer.settings import Settings
from analyzer.store import Store
from analyzer.weekly.hills import load_overview
from tests.sample_store import build_sample_store

M_PER_DEG = 111_195.0
LAT0, LON0 = 51.45, -2.59
KM_PER_LON = M_PER_DEG * math.cos(math.radians(LAT0))


@pytest.fixture(scope="module")
def overview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HillsOverview]:
    data = build_sample_store(tmp_path_factory.mktemp("sample"))
    with Store.open(data) as store:
        yield load_overview(store)


def test_the_three_sample_routes_are_found(overview: HillsOverview) -> None:
    runs = sorted(r.runs for r in overview.routes)
    assert runs == [4, 7, 11]  # Ridge, Riverside, Church hill (README; one duplicate dropped)
    by_runs = {r.runs: r for r in overview.routes}
    assert by_runs[11].distance_m == pytest.approx(3780, rel=0.1)
    assert by_runs[4].ascent_m is not None
    assert by_runs[4].ascent_m > 40


def test_flatter_routes_of_similar_distance_are_suggested(overview: HillsOverview) -> None:
    by_runs = {r.runs: r for r in overview.routes}
    church, flat, ridge = by_runs[11], by_runs[7], by_runs[4]
    assert church.flatter == (flat.route_id,)
    assert ridge.flatter[0] == flat.route_id
    assert flat.flatter == ()


# --- tracks built in code ---------------------------------------------------------------------


def loop(radius_m: float = 300.0, east_m: float = 0.0, north_m: float = 0.0) -> tuple:
    """A circle of points every 2 m (degrees), shifted by east/north metres."""
    angle = np.arange(0, 2 * math.pi * radius_m, 2.0) / radius_m
    lat = LAT0 + (radius_m * np.sin(angle) + north_m) / M_PER_DEG
    lon = LON0 + (radius_m * (1 - np.cos(angle)) + east_m) / KM_PER_LON
    return lat, lon


def track(aid: str, day: str, lat: np.ndarray, lon: np.ndarray) -> Track:
    rlat, rlon = resample(lat, lon)
    return Track(aid, day, rlat, rlon, distance_m=1885.0, ascent_m=0.0)


def test_a_track_shifted_by_15_m_gps_noise_still_matches_its_route() -> None:
    rng = np.random.default_rng(7)
    lat, lon = loop()
    n = len(lat)
    noisy_lat = lat + (15.0 + rng.normal(0, 3, n)) / M_PER_DEG
    noisy_lon = lon + (rng.normal(0, 3, n)) / KM_PER_LON
    g = group_tracks(
        [track("a", "2026-01-01", lat, lon), track("b", "2026-01-02", noisy_lat, noisy_lon)],
        [],
        Settings(),
    )
    assert g.members == {1: ["a", "b"]}


def test_a_parallel_loop_60_m_away_is_another_route() -> None:
    g = group_tracks(
        [track("a", "2026-01-01", *loop()), track("b", "2026-01-02", *loop(east_m=60.0))],
        [],
        Settings(),
    )
    assert len(g.members) == 2


def test_half_the_loop_is_not_the_route_both_ways_are_needed() -> None:
    lat, lon = loop()
    half = len(lat) // 2
    g = group_tracks(
        [track("a", "2026-01-01", lat, lon), track("b", "2026-01-02", lat[:half], lon[:half])],
        [],
        Settings(),
    )
    assert len(g.members) == 2  # all of b lies on a, but half of a is off b


def test_the_loop_run_in_reverse_is_the_same_route() -> None:
    lat, lon = loop()
    g = group_tracks(
        [track("a", "2026-01-01", lat, lon), track("b", "2026-01-02", lat[::-1], lon[::-1])],
        [],
        Settings(),
    )
    assert g.members == {1: ["a", "b"]}


def test_route_ids_survive_new_runs() -> None:
    s = Settings()
    first = group_tracks([track("a", "2026-01-01", *loop())], [], s)
    later = group_tracks(
        [track("b", "2026-01-02", *loop(east_m=2000.0)), track("c", "2026-01-03", *loop())],
        first.anchors,
        s,
    )
    assert later.members == {1: ["c"], 2: ["b"]}
    assert [a.route_id for a in later.new] == [2]


def test_resample_spaces_points_by_distance_not_time() -> None:
    lat = LAT0 + np.concatenate([np.zeros(50), np.arange(100) * 2.0]) / M_PER_DEG
    lon = np.full(len(lat), LON0)
    rlat, _ = resample(lat, lon)
    assert len(rlat) == 20  # 198 m every 10 m, standing still adds nothing
    steps = np.diff(rlat) * M_PER_DEG
    assert np.allclose(steps, 10.0, atol=0.05)


def test_covered_share_edges() -> None:
    assert covered_share(np.array([], dtype=np.int64), np.array([1, 2])) == 0.0
    assert covered_share(np.array([1, 3]), np.array([1, 2])) == 0.5


def route(route_id: int, ascent_m: float, east_m: float) -> Route:
    lat, lon = loop(east_m=east_m)
    return Route(route_id, f"Route {route_id}", None, ("a",), 1885.0, ascent_m, lat, lon)


def test_a_flatter_route_far_from_home_is_not_suggested() -> None:
    hilly = route(1, ascent_m=60.0, east_m=0.0)
    near = route(2, ascent_m=5.0, east_m=3000.0)  # starts 3 km away: from the same door
    abroad = route(3, ascent_m=0.0, east_m=400_000.0)  # a holiday loop, 400 km away
    settings = Settings()
    assert settings.route_nearby_m == 5000.0
    assert flatter_routes(hilly, [hilly, near, abroad], settings) == (2,)
    assert flatter_routes(hilly, [abroad], settings.with_changes(route_nearby_m=500_000)) == (3,)
