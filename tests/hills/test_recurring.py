"""Recurring hills: on the sample runner's store, and on climbs and loops built in code."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analyzer.activity import compute
from analyzer.hills.overview import HillsOverview
from analyzer.hills.recurring import (
    GRADE,
    STIFFNESS,
    ClimbRow,
    HillAnchor,
    compare_stiffness,
    group_climbs,
    hill_flags,
)
from analyzer.schema import build_frame
from analyzer.settings import Settings
from analyzer.store import Store
from analyzer.store import hills_store as hs
from analyzer.weekly.hills import load_overview
from tests.sample_store import build_sample_store

M_PER_DEG = 111_195.0


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    data = build_sample_store(tmp_path_factory.mktemp("sample"))
    with Store.open(data) as store:
        yield store


@pytest.fixture(scope="module")
def overview(sample_store: Store) -> HillsOverview:
    return load_overview(sample_store)


def church(overview: HillsOverview) -> tuple:
    """The sample's short steep hill (~8%, ~200 m, foot ~0.95 km in) and its route."""
    steep = [h for h in overview.hills if h.grade_avg_pct >= 7.0]
    assert len(steep) == 1, [(h.name, h.grade_avg_pct) for h in overview.hills]
    hill = steep[0]
    route = overview.route(hill.route_id) if hill.route_id is not None else None
    assert route is not None
    return hill, route


# --- the sample runner -----------------------------------------------------------------------


def test_church_hill_is_one_recurring_hill_in_every_run_of_its_route(
    overview: HillsOverview,
) -> None:
    hill, route = church(overview)
    assert set(hill.activity_ids) == set(route.activity_ids)
    assert route.runs == 11  # sample_data/README.md: 11 runs of the Church hill loop
    assert hill.length_m == pytest.approx(200, abs=30)
    assert hill.start_distance_m == pytest.approx(950, abs=40)
    assert hill.times_run + hill.times_walked == 11


def test_the_ridge_loop_has_its_three_climbs(overview: HillsOverview) -> None:
    # sample_data/README.md: the Ridge loop has three climbs, and it was run 4 times. Its
    # 4.4% climb once ended 90 m early on 19 Nov (a noise dip below 4% on the smoothed
    # grade) and was found as a hill of its own; with dips measured on the ground it is
    # 420-490 m long on every run
    ridge = max(overview.routes, key=lambda r: r.ascent_m or 0.0)
    assert ridge.runs == 4
    assert len(ridge.hill_ids) == 3
    gentle = [h for h in overview.hills if h.hill_id in ridge.hill_ids and h.grade_avg_pct < 4.8]
    assert [len(h.activity_ids) for h in gentle] == [4]


def test_church_hill_is_flagged_by_grade_and_stiffness(overview: HillsOverview) -> None:
    hill, route = church(overview)
    assert hill.flagged
    rules = {f.rule for f in hill.flags}
    assert GRADE in rules
    # README: stiffness about two points higher after the hill was run than walked
    assert STIFFNESS in rules
    assert hill.stiffness.n_run >= 3
    assert hill.stiffness.n_walked >= 3
    assert hill.hill_id in route.hill_ids
    assert route.flagged == 1
    assert hill.name.startswith(f"Hill {hill.hill_id} — 0.6 mi into ")


def test_flat_loop_has_no_flagged_hill(overview: HillsOverview) -> None:
    flat = [r for r in overview.routes if (r.ascent_m or 0.0) < 5.0]
    assert len(flat) == 1
    route = flat[0]
    assert route.flagged == 0
    assert not route.hill_ids
    crossed = {h.hill_id for h in overview.hills if set(h.activity_ids) & set(route.activity_ids)}
    assert not crossed


def test_ranked_flagged_first_then_by_score(overview: HillsOverview) -> None:
    keys = [(not h.flagged, -h.score) for h in overview.hills]
    assert keys == sorted(keys)


def test_ids_are_stable_across_calls_and_stored(
    sample_store: Store, overview: HillsOverview
) -> None:
    again = load_overview(sample_store)
    assert [(h.hill_id, h.activity_ids) for h in again.hills] == [
        (h.hill_id, h.activity_ids) for h in overview.hills
    ]
    assert not again.new_hills
    assert not again.new_routes
    stored = {a.hill_id for a in hs.hill_anchors(sample_store)}
    assert {h.hill_id for h in overview.hills} <= stored


def test_compliance_crossings(overview: HillsOverview) -> None:
    hill, _ = church(overview)
    mine = [c for c in overview.crossings if c.hill_id == hill.hill_id]
    assert len(mine) == 11
    assert sum(c.compliant for c in mine) == hill.times_walked


# --- climbs built in code ------------------------------------------------------------------


def climb(
    aid: str, day: str, start: tuple[float, float], end: tuple[float, float], **kw
) -> ClimbRow:
    values = {
        "start_distance_m": 500.0,
        "length_m": 200.0,
        "gain_m": 16.0,
        "grade_avg_pct": 8.0,
        "grade_max_pct": 9.0,
        "score": 1600.0,
        "walked": False,
        "heart_rate_avg_bpm": 140.0,
    }
    values.update(kw)
    return ClimbRow(aid, 0, day, start[0], start[1], end[0], end[1], **values)


def shifted(point: tuple[float, float], north_m: float, east_m: float) -> tuple[float, float]:
    lat, lon = point
    return lat + north_m / M_PER_DEG, lon + east_m / (M_PER_DEG * math.cos(math.radians(lat)))


FOOT = (51.45, -2.59)
TOP = shifted(FOOT, 200.0, 0.0)


def test_climbs_within_40_m_group_and_ids_survive_new_runs() -> None:
    s = Settings()
    first = [climb("a", "2026-01-01", FOOT, TOP)]
    g1 = group_climbs(first, [], s)
    assert [a.hill_id for a in g1.new] == [1]
    later = [
        climb("b", "2026-01-03", shifted(FOOT, 20, 15), shifted(TOP, -25, 10)),
        climb("c", "2026-01-05", shifted(FOOT, 500, 0), shifted(TOP, 700, 0)),
    ]
    g2 = group_climbs(first + later, g1.anchors, s)
    assert {r.activity_id for r in g2.members[1]} == {"a", "b"}
    assert [a.hill_id for a in g2.new] == [2]  # the far climb is new; hill 1 kept its id


def test_a_gentle_climb_whose_top_wanders_round_a_bend_is_one_hill() -> None:
    # the foot is the same (within 40 m) each time; the top is where the grade fell below
    # the threshold, 90-130 m apart round a bend, so no chord lies along the other's line
    first = climb("a", "2026-01-01", FOOT, shifted(FOOT, 360.0, 90.0))
    second = climb("b", "2026-01-08", shifted(FOOT, -30.0, 0.0), shifted(FOOT, 330.0, 100.0))
    third = climb("c", "2026-01-15", shifted(FOOT, -45.0, 0.0), shifted(FOOT, 240.0, 130.0))
    g = group_climbs([first, second, third], [], Settings())
    assert {r.activity_id for r in g.members[1]} == {"a", "b", "c"}
    # the third's foot is 45 m from the first's but 15 m from the second's: it joins the
    # hill through the climb it shares a foot with


def test_same_street_the_other_way_is_another_hill() -> None:
    g = group_climbs(
        [climb("a", "2026-01-01", FOOT, TOP), climb("b", "2026-01-02", TOP, FOOT)], [], Settings()
    )
    assert len(g.members) == 2


def loop_frame(reverse: bool) -> pd.DataFrame:
    """A 1.26 km circular loop at 2.5 m/s: flat, 200 m up at 8%, 300 m down at 5.3%, flat."""
    speed, radius = 2.5, 200.0
    n = int(2 * math.pi * radius / speed)
    dist = np.arange(n) * speed
    along = dist[::-1].copy() if reverse else dist  # where on the loop, forward metres
    knots_d = [0.0, 300.0, 500.0, 800.0, 2 * math.pi * radius]
    knots_h = [100.0, 100.0, 116.0, 100.0, 100.0]
    angle = along / radius
    cols = {
        "distance_m": dist,
        "speed_mps": np.full(n, speed),
        "altitude_m": np.interp(along, knots_d, knots_h),
        "lat_deg": 51.45 + radius * np.sin(angle) / M_PER_DEG,
        "lon_deg": -2.59
        + radius * (1 - np.cos(angle)) / (M_PER_DEG * math.cos(math.radians(51.45))),
        "heart_rate_bpm": np.full(n, 140.0),
        "cadence_spm": np.full(n, 170.0),
    }
    t0 = pd.Timestamp("2026-01-01T07:00:00Z")
    return build_frame(t0 + pd.to_timedelta(np.arange(n), unit="s"), cols)


def climbs_of(frame: pd.DataFrame, aid: str, day: str) -> list[ClimbRow]:
    hills = compute(frame, Settings(hr_max_bpm=180)).hills
    return [
        ClimbRow(
            aid,
            i,
            day,
            h.start_lat,
            h.start_lon,
            h.end_lat,
            h.end_lon,
            h.start_distance_m,
            h.length_m,
            h.gain_m,
            h.grade_avg_pct,
            h.grade_max_pct,
            h.score,
            h.walked,
            h.heart_rate_avg_bpm,
        )
        for i, h in enumerate(hills)
        if h.direction == "up"
    ]


def test_the_same_loop_run_in_reverse_gives_different_recurring_hills() -> None:
    forward = climbs_of(loop_frame(False), "fwd", "2026-01-01")
    forward2 = climbs_of(loop_frame(False), "fwd2", "2026-01-03")
    reverse = climbs_of(loop_frame(True), "rev", "2026-01-02")
    assert len(forward) == 1
    assert len(reverse) == 1
    g = group_climbs(forward + forward2 + reverse, [], Settings())
    by_run = {r.activity_id: hid for hid, rows in g.members.items() for r in rows}
    assert by_run["fwd"] == by_run["fwd2"]
    assert by_run["rev"] != by_run["fwd"]


def test_treadmill_climbs_without_position_are_left_out() -> None:
    row = climb("t", "2026-01-01", (math.nan, math.nan), (math.nan, math.nan))
    assert group_climbs([row], [HillAnchor(4, *FOOT, *TOP)], Settings()).members == {}


# --- stiffness and flags ------------------------------------------------------------------------


def test_stiffness_below_three_of_either_is_not_enough_data() -> None:
    s = Settings()
    rows = [climb(f"r{i}", f"2026-01-0{i + 1}", FOOT, TOP, walked=i >= 3) for i in range(5)]
    by_date = {f"2026-01-0{i + 2}": 5.0 if i < 3 else 1.0 for i in range(5)}
    cmp = compare_stiffness(rows, by_date, s)
    assert (cmp.n_run, cmp.n_walked) == (3, 2)
    assert not cmp.enough
    assert cmp.difference is None
    assert "not enough data" in cmp.text()
    flags = hill_flags(4.5, 100.0, cmp, s)
    assert flags == ()


def test_stiffness_rule_needs_the_stated_difference() -> None:
    s = Settings()
    rows = [climb(f"r{i}", f"2026-01-{i + 1:02d}", FOOT, TOP, walked=i >= 3) for i in range(6)]
    clear = {f"2026-01-{i + 2:02d}": 4.0 if i < 3 else 2.4 for i in range(6)}
    close = {f"2026-01-{i + 2:02d}": 4.0 if i < 3 else 2.6 for i in range(6)}
    assert [f.rule for f in hill_flags(4.5, 100.0, compare_stiffness(rows, clear, s), s)] == [
        STIFFNESS
    ]
    assert hill_flags(4.5, 100.0, compare_stiffness(rows, close, s), s) == ()


def test_each_flag_names_its_rule_and_threshold() -> None:
    s = Settings(walk_grade_pct=6.0, walk_score=1500.0)
    cmp = compare_stiffness([], {}, s)
    flags = hill_flags(6.0, 1500.0, cmp, s)
    assert [f.rule for f in flags] == ["grade", "score"]
    assert "6%" in flags[0].text
    assert "1500" in flags[1].text


def test_hill_store_rename_and_unknown_id(tmp_path: Path) -> None:
    with Store.open(tmp_path / "d") as store:
        assert hs.save_anchors(store, [HillAnchor(1, *FOOT, *TOP)], [], (0, 0))
        assert not hs.save_anchors(store, [HillAnchor(2, *FOOT, *TOP)], [], (0, 0))
        hs.rename(store, "hill", 1, "Church hill")
        assert hs.hill_anchors(store)[0].name == "Church hill"
        hs.rename(store, "hill", 1, "  ")
        assert hs.hill_anchors(store)[0].name is None
        with pytest.raises(Exception, match="no hill with id H9"):
            hs.rename(store, "hill", 9, "x")


def test_grouping_in_steps_equals_grouping_at_once(sample_store: Store) -> None:
    s = Settings()
    rows = hs.climb_rows(sample_store)
    at_once = group_climbs(rows, [], s)
    half = group_climbs(rows[: len(rows) // 2], [], s)
    stepped = group_climbs(rows, half.anchors, s)

    def members(g) -> dict[int, set[str]]:
        return {k: {r.activity_id for r in v} for k, v in g.members.items()}

    assert members(stepped) == members(at_once)
