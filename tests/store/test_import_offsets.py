"""A GPX or TCX run keeps the local time it was imported with.

Neither format carries a UTC offset; the import stores the offset of the profile's
zone at the run's start, so a later change of zone does not move past runs.
"""

from __future__ import annotations

from datetime import datetime

from analyzer.localtime import local_start
from analyzer.pipeline import import_paths, update_profile
from analyzer.store import Store
from tests.conftest import DATA

GPX = DATA / "runpandas" / "strava_export.gpx"  # starts 2021-01-10 08:54:28 UTC
TCX = DATA / "runpandas" / "run_garmin.tcx"  # starts 2018-11-25 07:20:49 UTC


def _local_starts(store: Store, tz: str) -> dict[str, tuple[datetime, str, int | None]]:
    return {
        a.source_format: (
            local_start(a.start_time, a.columns["utc_offset_s"], tz).replace(tzinfo=None),
            a.local_date,
            a.columns["utc_offset_s"],
        )
        for a in store.activities()
    }


def test_a_zone_change_does_not_move_stored_gpx_and_tcx_runs(store: Store) -> None:
    update_profile(store, {"timezone": "Europe/London"})
    import_paths([GPX, TCX], store)
    london = {
        "gpx": (datetime(2021, 1, 10, 8, 54, 28), "2021-01-10", 0),  # GMT in winter
        "tcx": (datetime(2018, 11, 25, 7, 20, 49), "2018-11-25", 0),
    }
    assert _local_starts(store, "Europe/London") == london
    settings, _ = update_profile(store, {"timezone": "America/Los_Angeles"})
    assert settings.timezone == "America/Los_Angeles"
    # in Los Angeles these would be 00:54 and 23:20 the evening before
    assert _local_starts(store, settings.timezone) == london
    # the stream keeps the offset too, so a recompute from it keeps the local date
    for a in store.activities():
        assert store.load_activity(a.activity_id).utc_offset_s == 0


def test_the_offset_follows_summer_time_at_the_run_start(store: Store) -> None:
    update_profile(store, {"timezone": "Europe/Berlin"})
    import_paths([GPX], store)  # January: CET, +1 h
    (run,) = store.activities()
    assert run.columns["utc_offset_s"] == 3600
    assert run.local_date == "2021-01-10"


def test_runs_imported_before_any_zone_was_chosen_follow_the_first_one(store: Store) -> None:
    # the runner imports first and sets their zone afterwards: the default UTC was never
    # their choice, so those runs take the zone they set (not stuck on UTC dates)
    import_paths([TCX], store)
    (run,) = store.activities()
    assert run.columns["utc_offset_s"] is None
    assert run.local_date == "2018-11-25"
    update_profile(store, {"timezone": "America/Los_Angeles"})
    (run,) = store.activities()
    # 07:20 UTC on 25 Nov is 23:20 on the 24th in Los Angeles (PST, -8 h)
    start = local_start(run.start_time, run.columns["utc_offset_s"], "America/Los_Angeles")
    assert start.replace(tzinfo=None) == datetime(2018, 11, 24, 23, 20, 49)
    assert run.local_date == "2018-11-24"
    # and from then on new imports keep the chosen zone's offset
    import_paths([GPX], store)
    gpx = next(a for a in store.activities() if a.source_format == "gpx")
    assert gpx.columns["utc_offset_s"] == -8 * 3600
