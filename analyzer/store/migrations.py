"""The catalog's schema, version by version. ``PRAGMA user_version`` holds the version.

Append a new list of statements to :data:`MIGRATIONS` to change the schema; never edit
an old one. Summaries and metrics live in JSON columns, so most metric growth needs no
migration at all.
"""

from __future__ import annotations

import sqlite3

from analyzer.errors import StoreError
from analyzer.store.hills_store import V2 as HILLS_V2  # recurring hills and routes

V1 = [
    """CREATE TABLE activities (
        id TEXT PRIMARY KEY,
        start_time TEXT NOT NULL,            -- ISO 8601, UTC
        start_epoch_s REAL NOT NULL,         -- the same instant, s since 1970 (duplicate window)
        local_date TEXT NOT NULL,            -- YYYY-MM-DD where the run happened
        utc_offset_s INTEGER,
        sport TEXT,
        sub_sport TEXT,
        name TEXT,
        device TEXT,
        distance_m REAL NOT NULL,
        track_m REAL,                        -- length of the GPS track, for duplicate checks
        elapsed_s REAL,
        timer_s REAL,
        moving_s REAL,
        ascent_m REAL,
        descent_m REAL,
        pace_s_per_km REAL,
        gap_s_per_km REAL,
        heart_rate_avg_bpm REAL,
        hr_max_used_bpm REAL,                -- the maximum the easy limit was based on
        hr_max_source TEXT,                  -- profile, observed, estimate or none
        hr_held_max_bpm REAL,                -- this run's highest rate held long enough
        easy_share REAL,
        trimp REAL,
        walking_s REAL,
        running_s REAL,
        uphill_run_s REAL,
        uphill_walk_s REAL,
        uphill_run_gain_m REAL,
        hills_run INTEGER,
        hills_walked INTEGER,
        source_path TEXT NOT NULL,
        source_hash TEXT,
        source_format TEXT NOT NULL,
        session_index INTEGER NOT NULL,
        channels TEXT NOT NULL,              -- JSON list
        n_channels INTEGER NOT NULL,
        points INTEGER NOT NULL,
        summary_json TEXT NOT NULL,          -- ActivitySummary without metrics
        metrics_json TEXT NOT NULL,          -- ActivitySummary.metrics
        settings_key TEXT NOT NULL,          -- fingerprint of the settings analysed with
        imported_at TEXT NOT NULL,
        analysed_at TEXT NOT NULL
    )""",
    "CREATE INDEX activities_start ON activities(start_epoch_s)",
    "CREATE INDEX activities_local_date ON activities(local_date)",
    """CREATE TABLE hills (
        activity_id TEXT NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        kind TEXT,
        start_time TEXT,
        start_distance_m REAL,
        length_m REAL,
        gain_m REAL,
        grade_avg_pct REAL,
        grade_max_pct REAL,
        score REAL,
        duration_s REAL,
        walking_share REAL,
        walked INTEGER,
        heart_rate_avg_bpm REAL,
        hr_max_used_bpm REAL,                -- the maximum the easy limit was based on
        hr_max_source TEXT,                  -- profile, observed, estimate or none
        hr_held_max_bpm REAL,                -- this run's highest rate held long enough
        easy_share REAL,
        start_lat_deg REAL,
        start_lon_deg REAL,
        end_lat_deg REAL,
        end_lon_deg REAL,
        data_json TEXT NOT NULL,             -- the whole hill dict
        PRIMARY KEY (activity_id, idx)
    )""",
    """CREATE TABLE checkins (
        date TEXT PRIMARY KEY,               -- local date of the morning
        morning_stiffness REAL,
        morning_stiffness_minutes REAL,
        pain_during REAL,
        pain_after REAL,
        pinch_tenderness REAL,
        swelling INTEGER,
        side TEXT,
        note TEXT,
        recorded_at TEXT NOT NULL
    )""",
    """CREATE TABLE heel_drops (
        time_utc TEXT PRIMARY KEY,           -- ISO 8601, UTC
        time_local TEXT NOT NULL,            -- ISO 8601 with the local offset, as logged
        local_date TEXT NOT NULL,
        straight_knee_sets INTEGER NOT NULL,
        bent_knee_sets INTEGER NOT NULL,
        reps INTEGER NOT NULL,
        added_load_kg REAL NOT NULL,
        note TEXT,
        recorded_at TEXT NOT NULL
    )""",
    "CREATE INDEX heel_drops_local_date ON heel_drops(local_date)",
    """CREATE TABLE visa_a (
        date TEXT PRIMARY KEY,
        q1 INTEGER NOT NULL, q2 INTEGER NOT NULL, q3 INTEGER NOT NULL, q4 INTEGER NOT NULL,
        q5 INTEGER NOT NULL, q6 INTEGER NOT NULL, q7 INTEGER NOT NULL, q8 INTEGER NOT NULL,
        q8_branch TEXT,
        total INTEGER NOT NULL CHECK (total BETWEEN 0 AND 100),
        recorded_at TEXT NOT NULL
    )""",
    """CREATE TABLE imports (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        file TEXT NOT NULL,
        hash TEXT,
        session_index INTEGER,
        activity_id TEXT,
        outcome TEXT NOT NULL
            CHECK (outcome IN ('imported', 'present', 'duplicate', 'replaced', 'failed')),
        other_id TEXT,
        message TEXT,
        at TEXT NOT NULL
    )""",
    "CREATE INDEX imports_hash ON imports(hash)",
    """CREATE TABLE profile (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL                  -- JSON
    )""",
]

# v3: the import log also records "reread" (``import --reread`` rewrote a stored session).
# SQLite cannot change a CHECK constraint, so the table is rebuilt with its rows.
IMPORTS_V3 = [
    """CREATE TABLE imports_v3 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        file TEXT NOT NULL,
        hash TEXT,
        session_index INTEGER,
        activity_id TEXT,
        outcome TEXT NOT NULL CHECK (
            outcome IN ('imported', 'reread', 'present', 'duplicate', 'replaced', 'failed')
        ),
        other_id TEXT,
        message TEXT,
        at TEXT NOT NULL
    )""",
    "INSERT INTO imports_v3 SELECT * FROM imports",
    "DROP TABLE imports",
    "ALTER TABLE imports_v3 RENAME TO imports",
    "CREATE INDEX imports_hash ON imports(hash)",
]

# v4: heel-drop sessions are kept to the minute (07:45:30 was a second session beside
# 07:45). Sessions stored with seconds are moved to their minute; of two that meet there,
# the one recorded last stays, as a --replace of the same session would have left it.
DROPS_MINUTE_V4 = [
    """DELETE FROM heel_drops WHERE rowid NOT IN (
        SELECT rowid FROM (
            SELECT rowid, ROW_NUMBER() OVER (
                PARTITION BY substr(time_utc, 1, 16) ORDER BY recorded_at DESC, rowid DESC
            ) AS n FROM heel_drops
        ) WHERE n = 1
    )""",
    """UPDATE heel_drops SET
        time_utc = substr(time_utc, 1, 16) || ':00' || substr(time_utc, -6),
        time_local = substr(time_local, 1, 16) || ':00' || substr(time_local, -6)""",
]

# v5: pain in the morning, on getting up (DOMAIN: morning pain and stiffness must not rise
# from one week to the next; pain is one of the next-morning symptoms the report links)
MORNING_PAIN_V5 = ["ALTER TABLE checkins ADD COLUMN morning_pain REAL"]

MIGRATIONS: list[list[str]] = [V1, HILLS_V2, IMPORTS_V3, DROPS_MINUTE_V4, MORNING_PAIN_V5]
SCHEMA_VERSION = len(MIGRATIONS)


def version_of(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def check_not_newer(version: int, where: str) -> None:
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{where} was written by a newer version of analyzer (catalog schema {version}, "
            f"this version knows up to {SCHEMA_VERSION}); upgrade analyzer, "
            "or choose another data folder with --data-dir"
        )


def migrate(conn: sqlite3.Connection, where: str) -> int:
    """Bring the catalog up to :data:`SCHEMA_VERSION` in one transaction; return it."""
    version = version_of(conn)
    check_not_newer(version, where)
    if version == SCHEMA_VERSION:
        return version
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = version_of(conn)  # another process may have migrated meanwhile
        check_not_newer(version, where)
        for statements in MIGRATIONS[version:]:
            for sql in statements:
                conn.execute(sql)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return SCHEMA_VERSION
