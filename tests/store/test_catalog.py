"""The catalog: opening, versions, bad folders, and a round trip of every table."""

from __future__ import annotations

import errno
import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analyzer.errors import StoreError
from analyzer.importers import read
from analyzer.localtime import local_date
from analyzer.pipeline import Analysed, analyse_activity
from analyzer.schema import Activity
from analyzer.settings import Settings
from analyzer.store import ActivityRecord, AlreadyLogged, Store
from analyzer.store.migrations import SCHEMA_VERSION
from analyzer.symptoms.entries import CheckIn, HeelDropSession
from analyzer.symptoms.visa_a import VisaAResult
from tests.store.conftest import SMALL


def record_of(a: Analysed) -> ActivityRecord:
    s = a.summary
    return ActivityRecord(
        a.activity,
        s,
        local_date(s.start_time, s.utc_offset_s, "UTC"),
        a.track_m,
        a.settings_key,
        a.held_max_bpm,
    )


def analysed(activity: Activity) -> Analysed:
    return analyse_activity(activity, Settings(), None)


def test_a_new_store_is_wal_with_foreign_keys_and_the_current_version(store: Store) -> None:
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.integrity_check() == "ok"


def test_a_catalog_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    Store.open(tmp_path).close()
    with sqlite3.connect(tmp_path / "catalog.sqlite") as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer version of analyzer"):
        Store.open(tmp_path)


def test_a_file_that_is_not_a_catalog_is_refused(tmp_path: Path) -> None:
    (tmp_path / "catalog.sqlite").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="damaged or not an analyzer catalog"):
        Store.open(tmp_path)


def test_a_read_only_data_folder_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(Path, "mkdir", read_only)
    with pytest.raises(StoreError, match="read-only disk"):
        Store.open(tmp_path / "data")
    assert not (tmp_path / "data").exists()


def test_checkins_round_trip_and_refuse_silent_overwrites(store: Store) -> None:
    a = CheckIn(
        date(2026, 10, 12),
        morning_stiffness=2,
        morning_stiffness_minutes=11,
        pinch_tenderness=2,
        swelling=False,
        side="left",
        note='say "hi", ok',
    )
    b = CheckIn(
        date(2026, 10, 13),
        morning_stiffness=2.5,
        morning_stiffness_minutes=10,
        morning_pain=1.5,
        pain_during=2,
        pain_after=2,
        pinch_tenderness=2,
    )
    assert store.put_checkins([a, b]).added == 2
    assert store.checkins() == [a, b]
    assert store.checkin("2026-10-13") == b
    assert store.put_checkins([a]).unchanged == 1
    changed = CheckIn(date(2026, 10, 13), 4)
    new = CheckIn(date(2026, 10, 14), 1)
    with pytest.raises(AlreadyLogged):
        store.put_checkins([new, changed])
    assert store.checkins() == [a, b], "a refused batch writes nothing"
    assert store.put_checkins([new, changed], replace=True).replaced == 1
    assert store.checkins(since=date(2026, 10, 13)) == [changed, new]


def test_heel_drops_round_trip_with_their_offsets(store: Store) -> None:
    bst = timezone(timedelta(hours=1))
    a = HeelDropSession(datetime(2026, 10, 12, 7, 49, tzinfo=bst), 3, 3, 15, 0.0, None)
    b = HeelDropSession(datetime(2026, 10, 26, 18, 5, tzinfo=UTC), 3, 2, 12, 2.5, "x")
    store.put_heel_drops([a, b])
    assert store.heel_drops() == [a, b]
    assert store.heel_drops(since="2026-10-20") == [b]


def test_visa_a_round_trips(store: Store) -> None:
    result = VisaAResult(date(2026, 11, 1), (7, 8, 6, 5, 9, 10, 7, 14), "B")
    store.put_visa_a(result)
    assert store.visa_a() == [result]
    assert store.visa_a()[0].total == 66
    with pytest.raises(AlreadyLogged):
        store.put_visa_a(VisaAResult(date(2026, 11, 1), (0,) * 8))


def test_profile_round_trips_to_settings(store: Store) -> None:
    assert store.settings() == Settings()
    settings = store.update_profile({"hr_max_bpm": 181.0, "units": "km", "zone_edges": (0.5, 0.7)})
    assert settings == Settings(hr_max_bpm=181.0, units="km", zone_edges=(0.5, 0.7))
    assert store.settings() == settings
    assert store.update_profile({}, unset=["units"]).units == "mi"
    with pytest.raises(StoreError, match="unknown profile setting"):
        store.update_profile({"colour": "red"})


def test_an_activity_round_trips_with_its_hills(store: Store) -> None:
    a = analysed(read(SMALL[0])[0])
    rec = record_of(a)
    [outcome] = store.store_file([rec], "run.fit", "h")
    assert outcome.outcome == "imported"
    stored = store.activity(a.summary.activity_id)
    assert stored is not None
    expected = a.summary.to_json()
    for key, value in expected.items():
        if key not in ("device_summary", "hills", "laps", "hr_zones", "pauses"):
            assert (
                stored.summary[key] == pytest.approx(value)
                if isinstance(value, float)
                else stored.summary[key] == value
            ), key
    assert stored.local_date == rec.local_date
    assert store.hills(a.summary.activity_id) == [
        {k: v for k, v in h.items()} for h in stored.summary["hills"]
    ]
    n_hills = len(a.summary.metrics.get("hills", []))
    assert len(store.hills_frame()) == n_hills
    frame = store.activities_frame()
    assert list(frame["activity_id"]) == [a.summary.activity_id]
    assert frame["moving_s"].iloc[0] == pytest.approx(a.summary.metrics["moving_s"])
    assert store.stream_frame(a.summary.activity_id).equals(a.activity.frame)
    [again] = store.store_file([rec], "run.fit", "h")
    assert again.outcome == "present"
    assert len(store.activity_ids()) == 1


def test_missing_metric_keys_give_null_columns(store: Store) -> None:
    a = analysed(read(SMALL[2])[0])
    bare = Analysed(
        a.activity,
        type(a.summary)(**{**a.summary.__dict__, "metrics": {}}),
        a.track_m,
        None,
        a.settings_key,
    )
    store.store_file([record_of(bare)], "bare.tcx", None)
    row = store.activities_frame().iloc[0]
    assert row["distance_m"] == pytest.approx(a.summary.distance_m)
    for column in ("moving_s", "ascent_m", "easy_share", "trimp", "uphill_run_s", "hills_run"):
        assert row[column] is None or row[column] != row[column], column  # NULL -> None/NaN


def twin(activity: Activity, fmt: str, digest: str, share: float = 1.0) -> Activity:
    """The same recording as another export (another format and hash), or its first
    ``share`` as an interrupted sync leaves it (``partial.<fmt>``)."""
    rows = max(int(len(activity.frame) * share), 2)
    return Activity(
        frame=activity.frame.iloc[:rows],
        source_path=f"{'twin' if share == 1.0 else 'partial'}.{fmt}",
        source_format=fmt,
        source_hash=digest,
        sport=activity.sport,
    )


def test_a_poorer_twin_is_a_duplicate(store: Store) -> None:
    fit = read(SMALL[0])[0]
    gpx = twin(fit, "gpx", "gpxhash")
    store.store_file([record_of(analysed(fit))], "run.fit", None)
    [o] = store.store_file([record_of(analysed(gpx))], "twin.gpx", None)
    assert (o.outcome, o.other_id) == ("duplicate", fit.activity_id)
    assert store.activity_ids() == [fit.activity_id]
    assert not store.stream_path(gpx.activity_id).exists()


def test_a_richer_twin_replaces_the_stored_one_and_its_hills(store: Store) -> None:
    fit = read(SMALL[0])[0]
    gpx = twin(fit, "gpx", "gpxhash")
    store.store_file([record_of(analysed(gpx))], "twin.gpx", None)
    [o] = store.store_file([record_of(analysed(fit))], "run.fit", None)
    assert (o.outcome, o.other_id) == ("replaced", gpx.activity_id)
    assert store.activity_ids() == [fit.activity_id]
    assert not store.stream_path(gpx.activity_id).exists()
    ids = set(store.hills_frame()["activity_id"])
    assert ids <= {fit.activity_id}
    [again] = store.store_file([record_of(analysed(gpx))], "twin.gpx", None)
    assert again.outcome == "duplicate"


def test_a_partial_copy_of_a_stored_run_is_a_duplicate(store: Store) -> None:
    fit = read(SMALL[0])[0]
    cut = twin(fit, "fit", "cuthash", share=0.1)  # same format, same channels, a tenth of it
    store.store_file([record_of(analysed(fit))], "run.fit", None)
    [o] = store.store_file([record_of(analysed(cut))], "partial.fit", None)
    assert (o.outcome, o.other_id) == ("duplicate", fit.activity_id)
    assert o.message.startswith("a shorter recording of ")
    assert store.activity_ids() == [fit.activity_id]


def test_the_full_run_replaces_a_partial_copy_whatever_its_format(store: Store) -> None:
    fit = read(SMALL[0])[0]
    cut = twin(fit, "fit", "cuthash", share=0.1)
    full_gpx = twin(fit, "gpx", "gpxhash")  # a poorer format, but the whole run
    store.store_file([record_of(analysed(cut))], "partial.fit", None)
    [o] = store.store_file([record_of(analysed(full_gpx))], "twin.gpx", None)
    assert (o.outcome, o.other_id) == ("replaced", cut.activity_id)
    assert o.message == "replaced the shorter recording partial.fit"
    assert store.activity_ids() == [full_gpx.activity_id]


def test_a_phone_recording_of_the_same_run_does_not_replace_the_watch(store: Store) -> None:
    # a phone app started with the watch: 5% more GPS distance, no heart rate or cadence
    fit = read(SMALL[0])[0]
    frame = fit.frame.assign(
        distance_m=fit.frame["distance_m"] * 1.05, heart_rate_bpm=np.nan, cadence_spm=np.nan
    )
    phone = Activity(
        frame=frame, source_path="phone.gpx", source_format="gpx", source_hash="phonehash"
    )
    store.store_file([record_of(analysed(fit))], "run.fit", None)
    [o] = store.store_file([record_of(analysed(phone))], "phone.gpx", None)
    assert (o.outcome, o.other_id) == ("duplicate", fit.activity_id)  # kept: the richer
    assert store.activity_ids() == [fit.activity_id]


def test_a_phone_left_running_after_the_watch_does_not_replace_it(store: Store) -> None:
    # the phone kept recording the walk home: 25% longer, but no heart rate or cadence
    fit = read(SMALL[0])[0]
    frame = fit.frame.assign(heart_rate_bpm=np.nan, cadence_spm=np.nan)
    later = frame.iloc[-1:].copy()
    later.index = later.index + (frame.index[-1] - frame.index[0]) * 0.25
    phone = Activity(
        frame=pd.concat([frame, later]),
        source_path="phone.gpx",
        source_format="gpx",
        source_hash="phonehash",
    )
    store.store_file([record_of(analysed(fit))], "run.fit", None)
    [o] = store.store_file([record_of(analysed(phone))], "phone.gpx", None)
    assert (o.outcome, o.other_id) == ("duplicate", fit.activity_id)
    assert store.activity_ids() == [fit.activity_id]


def test_sessions_of_one_file_are_never_twins(store: Store) -> None:
    fit = read(SMALL[0])[0]
    later = fit.frame.copy()
    later.index = later.index + timedelta(seconds=40)  # a second leg 40 s on, as long
    legs = [
        Activity(
            frame=frame,
            source_path="multi.fit",
            source_format="fit",
            source_hash="multihash",
            session_index=i,
            sport=fit.sport,
        )
        for i, frame in enumerate((fit.frame, later))
    ]
    outcomes = store.store_file([record_of(analysed(a)) for a in legs], "multi.fit", None)
    assert [o.outcome for o in outcomes] == ["imported", "imported"]


def test_prune_removes_orphan_streams_and_temp_files(store: Store) -> None:
    fit = read(SMALL[0])[0]
    store.store_file([record_of(analysed(fit))], "run.fit", None)
    (store.streams_dir / "orphan.parquet").write_bytes(b"x")
    (store.streams_dir / ".half.123.abc.tmp").write_bytes(b"x")
    assert store.prune_streams() == 2
    assert sorted(p.name for p in store.streams_dir.iterdir()) == [f"{fit.activity_id}.parquet"]
