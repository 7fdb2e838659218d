"""How long one weekly report takes on a year-sized store.

Builds a synthetic store through the store API: 180 runs over a year (the sample FIT runs,
shifted to new dates, analysed and stored like an import), a check-in every day and two
heel-drop sessions a day. Then times ``build_from_store`` for one week, which reads
summaries from SQLite and per-second streams for that week's runs only.

    .venv/bin/python bench/report.py [--runs 180] [--repeat 5] [--keep DIR] [--no-sport]

``--no-sport`` stores the runs as files that name no sport (a GPX without ``<type>``),
whose speed facts decide whether they were runs, and times the week twice, side by side:
with the facts the analysis stored, and with them taken out of the summaries (as stored
by versions before 4), when the report reads every such run's stream to compute them.
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from analyzer.importers import read
from analyzer.localtime import local_date
from analyzer.pipeline import analyse_activity
from analyzer.report.build import build_from_store
from analyzer.schema import Activity
from analyzer.store import ActivityRecord, Store
from analyzer.symptoms.entries import CheckIn, HeelDropSession
from analyzer.weekly.daily import iso_week

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
FIRST_DAY = date(2025, 11, 24)  # a Monday: a year ending with the sample's last week
PROFILE = {"age_years": 44, "hr_max_bpm": 178.0, "hr_rest_bpm": 55.0, "timezone": "Europe/London"}


def templates() -> list[Activity]:
    return [a for p in sorted(SAMPLE.glob("*-run.fit")) for a in read(p)]


def shifted(template: Activity, day: date, n: int) -> Activity:
    """``template`` moved to ``day`` at the same UTC time of day, with its own id."""
    start = template.frame.index[0]
    target = pd.Timestamp(datetime.combine(day, start.time()), tz="UTC")
    frame = template.frame.copy()
    frame.index = (frame.index + (target - start)).rename("time")
    return dataclasses.replace(
        template,
        frame=frame,
        source_hash=f"bench{n:05d}",
        source_path=f"bench/{n}.fit",
        pauses=[],
        laps=[],
    )


def fill_store(store: Store, runs: int, no_sport: bool = False) -> list[str]:
    settings = store.update_profile(PROFILE)
    pool = templates()
    if no_sport:
        pool = [dataclasses.replace(a, sport=None, sub_sport=None) for a in pool]
    days = [FIRST_DAY + timedelta(days=round(i * 364 / runs)) for i in range(runs)]
    for n, day in enumerate(days):
        analysed = analyse_activity(shifted(pool[n % len(pool)], day, n), settings, 178.0)
        s = analysed.summary
        record = ActivityRecord(
            activity=analysed.activity,
            summary=s,
            local_date=local_date(s.start_time, s.utc_offset_s, settings.timezone),
            track_m=analysed.track_m,
            settings_key=analysed.settings_key,
            held_max_bpm=analysed.held_max_bpm,
        )
        store.store_file([record], f"bench/{n}.fit", f"bench{n:05d}")
    rng = np.random.default_rng(1)
    all_days = [FIRST_DAY + timedelta(days=i) for i in range(364)]
    store.put_checkins(
        [
            CheckIn(
                d,
                morning_stiffness=float(rng.integers(0, 6)),
                morning_pain=float(rng.integers(0, 4)),
                pinch_tenderness=float(rng.integers(0, 4)),
            )
            for d in all_days
        ]
    )
    tz = timezone_of(settings.timezone)
    store.put_heel_drops(
        [
            HeelDropSession(datetime.combine(d, datetime.min.time(), tz) + timedelta(hours=h))
            for d in all_days
            for h in (8, 19)
        ]
    )
    return sorted({iso_week(pd.Timestamp(d)) for d in days})


def timezone_of(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=180)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, default=None, help="build the store here")
    parser.add_argument("--no-sport", action="store_true", help="runs whose files name no sport")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-report-"))
    t0 = time.perf_counter()
    with Store.open(root / "data") as store:
        weeks = fill_store(store, args.runs, args.no_sport)
    print(
        f"store: {args.runs} runs over {len(weeks)} weeks, "
        f"built in {time.perf_counter() - t0:.1f} s"
    )
    week = weeks[-1]
    out = root / "reports"
    build_once(root, out, week)  # plotly.min.js is written once, on the first build
    times = [build_once(root, out, week) for _ in range(args.repeat)]
    page = out / f"{week}.html"
    print(
        f"one week ({week}) from the store: median {statistics.median(times):.2f} s, "
        f"max {max(times):.2f} s over {args.repeat} runs (target < 2 s)"
    )
    if args.no_sport:
        side_by_side(root, out, week, args.repeat)
    print(
        f"page {page.stat().st_size / 1024:.0f} kB; shared plotly.min.js "
        f"{(out / 'assets' / 'plotly.min.js').stat().st_size / 1e6:.1f} MB"
    )
    print(f"at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    if args.keep is None:
        shutil.rmtree(root)
    else:
        print(f"store and pages kept in {root}")


def side_by_side(root: Path, out: Path, week: str, repeat: int) -> None:
    """The week with the stored speed facts and without them, alternately, in one run."""
    catalog = root / "data" / "catalog.sqlite"
    with sqlite3.connect(catalog) as conn:
        saved = conn.execute("SELECT id, metrics_json FROM activities").fetchall()
    stripped = "json_remove(metrics_json, '$.speed_median_mps', '$.speed_sustained_mps')"
    stored, streams = [], []
    for _ in range(repeat):
        with sqlite3.connect(catalog) as conn:
            conn.executemany(
                "UPDATE activities SET metrics_json = ? WHERE id = ?", [(m, i) for i, m in saved]
            )
        stored.append(build_once(root, out, week))
        with sqlite3.connect(catalog) as conn:
            conn.execute(f"UPDATE activities SET metrics_json = {stripped}")
        streams.append(build_once(root, out, week))
    a, b = statistics.median(stored), statistics.median(streams)
    print(
        f"runs without a sport: median {a:.2f} s with the stored speed facts, {b:.2f} s "
        f"reading every run's stream for them: {b / a:.1f}x ({repeat} runs each, alternated)"
    )


def build_once(root: Path, out: Path, week: str) -> float:
    t = time.perf_counter()
    with Store.open(root / "data") as store:
        build_from_store(store, out, week=week)
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
