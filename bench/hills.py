"""Grouping speed: 1,000 synthetic runs over a handful of routes, with GPS noise.

Prints the time to group the runs into routes and their climbs into recurring hills
(pure functions, no store), and checks the grouping found what was generated.

    .venv/bin/python bench/hills.py [--runs 1000] [--routes 6] [--seed 1]
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

from analyzer.hills.overview import build_overview
from analyzer.hills.recurring import ClimbRow, group_climbs
from analyzer.hills.routes import Track, group_tracks, resample
from analyzer.settings import Settings

M_PER_DEG = 111_195.0
LAT0, LON0 = 51.45, -2.59


def route_path(k: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A closed wiggly loop from home, 3-6 km, heading out in its own direction (degrees)."""
    length = rng.uniform(3000, 6000)
    s = np.arange(0.0, length, 2.0)
    heading = 2 * math.pi * k / 7
    radius = length / (2 * math.pi)
    angle = s / radius
    x = radius * (1 - np.cos(angle)) + 40 * np.sin(5 * angle)
    y = radius * np.sin(angle)
    east = x * math.cos(heading) - y * math.sin(heading)
    north = x * math.sin(heading) + y * math.cos(heading)
    return LAT0 + north / M_PER_DEG, LON0 + east / (M_PER_DEG * math.cos(math.radians(LAT0)))


def noisy(lat: np.ndarray, lon: np.ndarray, rng: np.random.Generator) -> tuple:
    """Correlated GPS error: an offset up to 10 m plus a 3 m random walk, smoothed."""
    n = len(lat)
    walk = np.cumsum(rng.normal(0, 0.3, (n, 2)), axis=0)
    walk -= walk.mean(axis=0)
    err = rng.normal(0, 5, 2) + np.clip(walk, -3, 3)
    k = M_PER_DEG
    return lat + err[:, 1] / k, lon + err[:, 0] / (k * math.cos(math.radians(LAT0)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--routes", type=int, default=6)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    paths = [route_path(k, rng) for k in range(args.routes)]
    tracks, climbs = [], []
    t0 = time.perf_counter()
    for i in range(args.runs):
        k = int(rng.integers(args.routes))
        lat, lon = noisy(*paths[k], rng)
        dist = np.arange(len(lat)) * 2.0
        rlat, rlon = resample(lat, lon, dist)
        day = f"{2020 + i // 365:04d}-{(i % 365) // 31 + 1:02d}-{(i % 31) % 28 + 1:02d}"
        aid = f"run{i:05d}"
        tracks.append(Track(aid, day, rlat, rlon, float(dist[-1]), 10.0 * k))
        for h in range(3):  # three climbs per route, at fixed places along it
            a = len(lat) // 4 * (h + 1)
            b = a + 100 + 25 * h  # 200-250 m long at 2 m per point
            jitter = rng.integers(-4, 5, 2)  # the detected ends wander by +-8 m
            sa = min(max(a + int(jitter[0]), 0), len(lat) - 1)
            eb = min(max(b + int(jitter[1]), 0), len(lat) - 1)
            climbs.append(
                ClimbRow(
                    aid,
                    h,
                    day,
                    lat[sa],
                    lon[sa],
                    lat[eb],
                    lon[eb],
                    2.0 * sa,
                    2.0 * (eb - sa),
                    12.0,
                    5.0 + h,
                    6.0 + h,
                    2.0 * (eb - sa) * (5.0 + h),
                    bool(rng.random() < 0.3),
                    140.0,
                )  # fmt: skip
            )
    made = time.perf_counter() - t0
    s = Settings()
    t1 = time.perf_counter()
    routes = group_tracks(tracks, [], s)
    t2 = time.perf_counter()
    hills = group_climbs(climbs, [], s)
    t3 = time.perf_counter()
    stiffness = {
        f"2020-{m:02d}-{d:02d}": float(rng.integers(0, 6))
        for m in range(1, 13)
        for d in range(1, 29)
    }
    overview = build_overview(climbs, tracks, [], [], stiffness, s)
    t4 = time.perf_counter()
    print(
        f"{args.runs} runs over {args.routes} routes, {len(climbs)} climbs (made in {made:.2f} s)"
    )
    print(
        f"routes:          {t2 - t1:6.2f} s  -> {len(routes.members)} routes "
        f"(expected {args.routes})"
    )
    print(
        f"recurring hills: {t3 - t2:6.3f} s  -> {len(hills.members)} hills "
        f"(expected {3 * args.routes})"
    )
    print(f"whole overview:  {t4 - t3:6.2f} s  (routes, hills, stats, flags, names)")
    print(f"flagged hills:   {sum(h.flagged for h in overview.hills)}")


if __name__ == "__main__":
    main()
