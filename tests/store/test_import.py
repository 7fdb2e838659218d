"""The import pipeline: idempotent, one bad file never stops the rest, twins stored once."""

from __future__ import annotations

import gzip
import io
import shutil
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import pytest

from analyzer.errors import StoreError
from analyzer.pipeline import (
    FileJob,
    analyse_file,
    import_paths,
    update_profile,
)
from analyzer.schema import Activity
from analyzer.settings import Settings
from analyzer.store import Store
from analyzer.store.catalog import STALE_KEY
from analyzer.store.migrations import SCHEMA_VERSION
from analyzer.store.streams import read_frame
from tests.conftest import REPO, corpus_or_skip
from tests.store.conftest import NOT_AN_ACTIVITY, SMALL

#: the twin sets of ../shared/corpus/README.md: each is one recording in several formats
TWIN_SETS = [
    [
        "sweatpy/4801048867.fit",
        "sweatpy/activity_4801048867.gpx",
        "sweatpy/activity_4801048867.tcx",
        "sweatpy/4801048867_strava.gpx",
    ],
    ["sweatpy/4078723797.fit", "sweatpy/4078723797_strava.gpx"],
    ["sports-lib/6782987395.fit", "sports-lib/6782987395.gpx", "sports-lib/6782987395.tcx"],
    ["sports-lib/3939576645.fit", "sports-lib/3939576645.gpx"],
    ["sports-lib/2067489619.fit", "sports-lib/2067489619.gpx"],
]


def counts(store: Store) -> tuple[int, int, int]:
    """Activities, hills and stream files."""
    n_act = store.conn.execute("SELECT count(*) FROM activities").fetchone()[0]
    n_hills = store.conn.execute("SELECT count(*) FROM hills").fetchone()[0]
    return n_act, n_hills, len(list(store.streams_dir.glob("*.parquet")))


def test_import_then_reimport_adds_nothing(store: Store) -> None:
    first = import_paths(SMALL, store)
    assert first.counts()["imported"] == 3
    assert not first.failed
    before = counts(store)
    assert before[0] == before[2] == 3
    again = import_paths(SMALL, store)
    assert again.counts() == {
        "imported": 0,
        "reread": 0,
        "present": 3,
        "duplicate": 0,
        "replaced": 0,
        "failed": 0,
    }
    assert counts(store) == before
    assert store.integrity_check() == "ok"


def test_one_bad_file_never_stops_the_rest(store: Store, tmp_path: Path) -> None:
    empty = tmp_path / "empty.fit"
    empty.write_bytes(b"")
    report = import_paths([empty, SMALL[0], NOT_AN_ACTIVITY, tmp_path / "gone.gpx"], store)
    assert report.counts()["imported"] == 1
    assert [o.file for o in report.failed] == [
        str(empty),
        str(NOT_AN_ACTIVITY),
        str(tmp_path / "gone.gpx"),
    ]
    assert "not an activity" in report.failed[1].message
    logged = [r["outcome"] for r in store.imports()]
    assert logged.count("failed") == 3
    assert logged.count("imported") == 1


def test_zip_and_gz_exports_are_read(store: Store, tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.write(SMALL[1], "nested/run.fit")
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("inner.zip", inner.getvalue())
        z.write(SMALL[2], "activities/run.tcx")
    gz = tmp_path / "run.fit.gz"
    gz.write_bytes(gzip.compress(SMALL[0].read_bytes()))
    report = import_paths([archive, gz], store)
    assert report.counts()["imported"] == 3
    # the same files unpacked are the same activities
    assert import_paths(SMALL, store).counts()["present"] == 3


def test_per_file_work_runs_in_a_process_pool(tmp_path: Path) -> None:
    with Store.open(tmp_path / "one") as one, Store.open(tmp_path / "two") as two:
        a = import_paths(SMALL, one, jobs=1)
        b = import_paths(SMALL, two, jobs=2)
        assert [(o.file, o.outcome, o.activity_id) for o in a.outcomes] == [
            (o.file, o.outcome, o.activity_id) for o in b.outcomes
        ]
        assert one.activities_frame()["trimp"].tolist() == pytest.approx(
            two.activities_frame()["trimp"].tolist(), nan_ok=True
        )


def test_analyse_file_returns_plain_data() -> None:
    ok = analyse_file(FileJob(str(SMALL[0]), path=str(SMALL[0])), Settings())
    assert ok.error is None
    assert ok.file_hash
    assert len(ok.analysed) == 1
    bad = analyse_file(FileJob("x.fit", data=b"not a fit file at all"), Settings())
    assert bad.error
    assert not bad.analysed


def test_profile_change_recomputes_from_the_streams_alone(store: Store, tmp_path: Path) -> None:
    copies = []
    for source in SMALL:
        copies.append(tmp_path / source.name)
        shutil.copy(source, copies[-1])
    import_paths(copies, store)
    for path in copies:
        path.unlink()  # no source files from here on
    settings, report = update_profile(store, {"hr_max_bpm": 200.0})
    assert report is not None
    assert report.recomputed == 3
    assert not report.failed
    rows = store.activities()
    assert {a.summary["hr_max_used_bpm"] for a in rows} == {200.0}
    assert {a.summary["hr_max_source"] for a in rows} == {"profile"}
    _, nothing = update_profile(store, {"units": "km"})
    assert nothing is None, "units do not change the summaries"


def test_the_sample_twin_is_stored_once(store: Store) -> None:
    fit = REPO / "sample_data" / "2026-10-27-0705-run.fit"
    gpx = REPO / "sample_data" / "2026-10-27-0705-strava.gpx"
    if not fit.exists() or not gpx.exists():
        pytest.skip("sample_data/ has not been generated")
    report = import_paths([gpx, fit], store)
    assert [o.outcome for o in report.outcomes] == ["imported", "replaced"]
    assert len(store.activity_ids()) == 1


@pytest.mark.corpus
def test_each_corpus_twin_set_gives_one_activity(tmp_path: Path) -> None:
    corpus = corpus_or_skip()
    with Store.open(tmp_path / "all") as store:
        for n, names in enumerate(TWIN_SETS, start=1):
            # the poorest copy first, so that replacing is exercised too
            report = import_paths([corpus / name for name in reversed(names)], store)
            assert not report.failed, report.failed
            assert len(store.activity_ids()) == n, names
        assert {a.source_format for a in store.activities()} == {"fit"}
        assert store.integrity_check() == "ok"


# --- import --reread: rewrite what an older reader stored -----------------------------------


def _first_half(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the importer an 'older version' that keeps only the first half of each session."""
    from analyzer import pipeline

    whole = pipeline._sessions

    def half(*args: object, **kwargs: object) -> list[Activity]:
        out = whole(*args, **kwargs)  # type: ignore[arg-type]
        for a in out:
            a.frame = a.frame.iloc[: len(a.frame) // 2]
        return out

    monkeypatch.setattr(pipeline, "_sessions", half)


def _state(store: Store) -> dict[str, tuple[int, float, int]]:
    """Per activity: stream rows, stored distance and hill count."""
    out = {}
    for a in store.activities():
        rows = len(read_frame(store.stream_path(a.activity_id)))
        hills = store.conn.execute(
            "SELECT count(*) FROM hills WHERE activity_id = ?", (a.activity_id,)
        ).fetchone()[0]
        out[a.activity_id] = (rows, round(a.distance_m, 3), hills)
    return out


def test_reread_rewrites_streams_and_summaries_an_older_reader_stored(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = Store.open(tmp_path / "fresh")
    import_paths(SMALL, fresh)
    expected = _state(fresh)
    fresh.close()

    with monkeypatch.context() as m:
        _first_half(m)
        import_paths(SMALL, store)
    old = _state(store)
    assert old.keys() == expected.keys()
    assert all(old[k][0] < expected[k][0] for k in old), "the 'older reader' kept less"
    imported_at = {a.activity_id: a.columns["imported_at"] for a in store.activities()}

    assert import_paths(SMALL, store).counts()["present"] == 3, "plain import reads nothing"
    assert _state(store) == old

    again = import_paths(SMALL, store, reread=True)
    assert again.counts()["reread"] == 3
    assert not again.failed
    assert _state(store) == expected  # equal to an import into an empty store
    assert {a.activity_id: a.columns["imported_at"] for a in store.activities()} == imported_at
    logged = store.conn.execute("SELECT count(*) FROM imports WHERE outcome = 'reread'")
    assert logged.fetchone()[0] == 3
    assert store.stale_activity_ids(store.activities()[0].columns["settings_key"]) == []
    assert store.integrity_check() == "ok"


def test_a_reread_that_fails_after_the_stream_is_written_is_recomputed_later(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = Store.open(tmp_path / "fresh")
    import_paths(SMALL[:1], fresh)
    expected = _state(fresh)
    fresh.close()
    with monkeypatch.context() as m:
        _first_half(m)
        import_paths(SMALL[:1], store)

    from analyzer.store import catalog

    real_write = catalog.streams.write_stream

    def write_then_fail(*args: Any, **kwargs: Any) -> Path:
        real_write(*args, **kwargs)
        raise StoreError("simulated crash between the stream and the catalog")

    with monkeypatch.context() as m:
        m.setattr(catalog.streams, "write_stream", write_then_fail)
        report = import_paths(SMALL[:1], store, reread=True)
    assert report.counts()["failed"] == 1
    # the row was marked stale before the stream was replaced, so the refresh that ends
    # every import recomputed it from the new stream: summary and stream agree again
    assert report.recomputed == 1
    assert _state(store) == expected
    (activity,) = store.activities()
    assert activity.columns["settings_key"] != STALE_KEY


def old_catalog(root: Path, version: int) -> sqlite3.Connection:
    """A catalog in ``root`` made by the migrations up to ``version`` (an older analyzer's);
    the caller fills it, sets nothing else, and closes it."""
    from analyzer.store.migrations import MIGRATIONS

    root.mkdir()
    conn = sqlite3.connect(root / "catalog.sqlite")
    for sql in [s for step in MIGRATIONS[:version] for s in step]:
        conn.execute(sql)
    conn.execute(f"PRAGMA user_version = {version}")
    return conn


def test_a_version_2_catalog_migrates_and_keeps_its_import_log(tmp_path: Path) -> None:
    with old_catalog(tmp_path / "data", 2) as conn:
        conn.execute(
            "INSERT INTO imports (file, hash, session_index, activity_id, outcome, at)"
            " VALUES ('a.fit', 'abc', 0, 'abc-0', 'imported', '2026-11-01T00:00:00+00:00')"
        )
    conn.close()
    with Store.open(tmp_path / "data") as migrated:
        assert migrated.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        rows = migrated.conn.execute("SELECT file, outcome FROM imports").fetchall()
        assert [tuple(r) for r in rows] == [("a.fit", "imported")]
        assert migrated.integrity_check() == "ok"
        import_paths(SMALL[:1], migrated)
        assert import_paths(SMALL[:1], migrated, reread=True).counts()["reread"] == 1


def test_version_4_keeps_heel_drop_sessions_to_the_minute(tmp_path: Path) -> None:
    with old_catalog(tmp_path / "data", 3) as conn:
        rows = [  # 07:45:30 and 07:45:00 of one morning; 19:02:10 alone
            ("2026-11-24T07:45:30+00:00", "2026-11-24T07:45:30+00:00", 12, "2026-11-24T08:00"),
            ("2026-11-24T07:45:00+00:00", "2026-11-24T07:45:00+00:00", 15, "2026-11-24T07:50"),
            ("2026-11-24T19:02:10+00:00", "2026-11-24T20:02:10+01:00", 15, "2026-11-24T19:05"),
        ]
        conn.executemany(
            "INSERT INTO heel_drops VALUES (?, ?, '2026-11-24', 3, 3, ?, 0.0, NULL, ?)", rows
        )
    conn.close()
    with Store.open(tmp_path / "data") as migrated:
        got = migrated.conn.execute(
            "SELECT time_utc, time_local, reps FROM heel_drops ORDER BY time_utc"
        ).fetchall()
    assert [tuple(r) for r in got] == [
        ("2026-11-24T07:45:00+00:00", "2026-11-24T07:45:00+00:00", 12),  # the later record
        ("2026-11-24T19:02:00+00:00", "2026-11-24T20:02:00+01:00", 15),
    ]


def test_version_5_adds_morning_pain_and_keeps_every_check_in(tmp_path: Path) -> None:
    with old_catalog(tmp_path / "data", 4) as conn:
        conn.execute(
            "INSERT INTO checkins (date, morning_stiffness, pain_during, side, note, recorded_at)"
            " VALUES ('2026-11-20', 3, 2, 'left', 'before v5', '2026-11-20T08:00')"
        )
    conn.close()
    with Store.open(tmp_path / "data") as migrated:
        (entry,) = migrated.checkins()
        assert (entry.morning_stiffness, entry.pain_during, entry.note) == (3, 2, "before v5")
        assert entry.morning_pain is None  # not asked before v5: unknown, not 0
        assert migrated.integrity_check() == "ok"
