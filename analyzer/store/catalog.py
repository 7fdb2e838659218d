"""The catalog: one SQLite file in WAL mode, every change one transaction.

Writers take the write lock first (``BEGIN IMMEDIATE``) and wait up to
:data:`BUSY_TIMEOUT_S` for it, so concurrent ``analyzer`` processes queue up instead of
failing. A stream file is written (atomically) before the catalog row that points at it is
committed: a crash leaves at most a stream without a row, which the next import overwrites
or prunes.
"""

from __future__ import annotations

import math
import os
import shutil
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from analyzer.activity import ActivitySummary
from analyzer.errors import AnalyzerError, DiskFull, StoreError
from analyzer.jsonable import dumps, loads
from analyzer.schema import Activity
from analyzer.settings import Settings
from analyzer.store import paths, streams
from analyzer.store.migrations import migrate
from analyzer.symptoms.entries import CheckIn, HeelDropSession
from analyzer.symptoms.visa_a import VisaAResult

BUSY_TIMEOUT_S = 120.0
DUPLICATE_WINDOW_S = 60.0  # two recordings starting this close may be one run
DUPLICATE_DISTANCE_SHARE = 0.02  # copies of one run: distances within this share
#: a recording with at most this share of the other's elapsed time covers clearly less of
#: the run (an interrupted sync): the fuller one is kept where it is as rich. Time, not
#: distance: two whole recordings of one run can disagree on distance (smart recording
#: cuts corners, a phone's GPS wanders), and then the richer copy is kept as ever
PARTIAL_SHARE = 0.9
FORMAT_RANK = {"fit": 3, "tcx": 2, "gpx": 1}  # richer first, after the number of channels
#: test hook: seconds to sleep between writing a stream and committing its row
PAUSE_ENV = "ANALYZER_DEBUG_PAUSE_BEFORE_COMMIT_S"

Outcome = Literal["imported", "reread", "present", "duplicate", "replaced", "failed"]
_IDS_IN = "SELECT id FROM activities WHERE id IN (SELECT value FROM json_each(?))"
PRESENT = "already in the store"
REREAD = "read again: stream and summary rewritten"
STALE_KEY = "reread-pending"  # a settings key no settings have: the summary is recomputed


class AlreadyLogged(AnalyzerError):
    """Entries for these dates (or times) exist already and differ; nothing was written."""

    def __init__(self, what: str, keys: Sequence[str]) -> None:
        self.keys = list(keys)
        shown = ", ".join(self.keys[:5]) + (" ..." if len(self.keys) > 5 else "")
        super().__init__(
            f"{what} already logged for {shown}; nothing was written. "
            "Use --replace to overwrite them, or --keep-logged to import only the others"
        )


@dataclass(frozen=True)
class ActivityRecord:
    """What the importer hands the store for one activity."""

    activity: Activity
    summary: ActivitySummary
    local_date: str  # YYYY-MM-DD, local to the run
    track_m: float | None  # GPS track length (m), compared when distances disagree
    settings_key: str  # fingerprint of the settings the summary was computed with
    held_max_bpm: float | None = None  # highest heart rate held long enough in this run
    stream: bytes | None = None  # the stream file, encoded by a worker (streams.encode_stream)


@dataclass(frozen=True)
class StoreOutcome:
    """What happened to one activity of one file."""

    activity_id: str
    session_index: int
    outcome: Outcome
    other_id: str | None = None  # the activity it duplicates, or the one it replaced
    other_source: str | None = None
    message: str = ""


@dataclass(frozen=True)
class StoredActivity:
    """An activity as the catalog holds it. ``summary`` is ``ActivitySummary.to_json()``."""

    activity_id: str
    start_time: str
    local_date: str
    sport: str | None
    name: str | None
    source_path: str
    source_format: str
    distance_m: float
    channels: tuple[str, ...]
    columns: dict[str, Any]  # every key column of the activities table
    summary: dict[str, Any]


@dataclass(frozen=True)
class PutResult:
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    kept: int = 0  # differing entries left as logged (``keep``)


#: key columns of the activities table (besides those filled from the summary itself)
_METRIC_COLUMNS = {
    "moving_s": ("moving_s",),
    "ascent_m": ("ascent_m",),
    "descent_m": ("descent_m",),
    "pace_s_per_km": ("pace_s_per_km",),
    "gap_s_per_km": ("gap_s_per_km",),
    "heart_rate_avg_bpm": ("heart_rate_avg_bpm",),
    "hr_max_used_bpm": ("hr_max_used_bpm",),
    "easy_share": ("easy_share",),
    "trimp": ("trimp",),
    "walking_s": ("walking_s",),
    "running_s": ("running_s",),
}
_EXPOSURE_COLUMNS = {
    "uphill_run_s": ("uphill_run_s", "uphill_running_s", "run_s"),
    "uphill_walk_s": ("uphill_walk_s", "uphill_walking_s", "walk_s"),
    "uphill_run_gain_m": ("uphill_running_gain_m", "uphill_run_gain_m"),
    "hills_run": ("hills_run", "n_hills_run"),
    "hills_walked": ("hills_walked", "n_hills_walked"),
}
_HILL_COLUMNS = {
    "kind": ("direction", "kind"),
    "start_time": ("start_time",),
    "start_distance_m": ("start_distance_m",),
    "length_m": ("length_m",),
    "gain_m": ("gain_m",),
    "grade_avg_pct": ("grade_avg_pct",),
    "grade_max_pct": ("grade_max_pct",),
    "score": ("score",),
    "duration_s": ("duration_s", "time_s"),
    "walking_share": ("walking_share", "walk_share", "walked_share"),
    "walked": ("walked",),
    "heart_rate_avg_bpm": ("heart_rate_avg_bpm", "hr_avg_bpm"),
    "easy_share": ("easy_share",),
    "start_lat_deg": ("start_lat", "start_lat_deg"),
    "start_lon_deg": ("start_lon", "start_lon_deg"),
    "end_lat_deg": ("end_lat", "end_lat_deg"),
    "end_lon_deg": ("end_lon", "end_lon_deg"),
}
_TEXT_HILL_COLUMNS = ("kind", "start_time")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _unwritable(where: Path, exc: BaseException) -> StoreError:
    why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return StoreError(
        f"cannot write to the data folder {where} ({why}); it may be on a read-only disk. "
        "Choose a writable folder with --data-dir or $ANALYZER_DATA"
    )


class Store:
    """The data folder: ``catalog.sqlite`` plus ``streams/``. Open with :meth:`open`."""

    def __init__(self, data_dir: Path, conn: sqlite3.Connection) -> None:
        self.data_dir = data_dir
        self.conn = conn
        self.catalog_path = paths.catalog_path(data_dir)
        self.streams_dir = paths.streams_dir(data_dir)

    # --- opening ------------------------------------------------------------------------

    @classmethod
    def open(cls, data_dir: str | Path | None = None) -> Store:
        """Open (creating or migrating) the store in ``data_dir`` (see ``resolve_data_dir``)."""
        root = paths.resolve_data_dir(data_dir)
        _prepare_folder(root)
        catalog = paths.catalog_path(root)
        try:
            conn = sqlite3.connect(str(catalog), timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise _unwritable(root, exc) from exc
        try:
            _configure(conn, catalog)
            migrate(conn, str(catalog))
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise _database_error(catalog, exc) from exc
        except BaseException:
            conn.close()
            raise
        return cls(root, conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; the write lock is taken at the start (BEGIN IMMEDIATE)."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _database_error(self.catalog_path, exc) from exc
        try:
            yield self.conn
        except BaseException as exc:
            # SQLite may have rolled back already (a full disk does): then this one fails
            with suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error) and _is_full(exc):
                raise DiskFull(self.catalog_path) from exc
            raise
        try:
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            with suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            raise _database_error(self.catalog_path, exc) from exc

    def integrity_check(self) -> str:
        """SQLite's own check: ``"ok"`` when the catalog is sound."""
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])

    # --- activities: writing ------------------------------------------------------------

    def store_file(
        self,
        records: Sequence[ActivityRecord],
        file: str,
        file_hash: str | None,
        reread: bool = False,
    ) -> list[StoreOutcome]:
        """Store the activities of one file in one transaction.

        Each is ``present`` (same id stored), a ``duplicate`` of a richer twin, ``replaced``
        (it is the richer twin of a stored one, which it replaces) or ``imported``.
        With ``reread``, a stored activity of the same id is ``reread``: its stream and
        summary are rewritten from this reading (ids, import dates and logs are kept).
        Its stream is replaced before the catalog commits, so the row is first marked
        stale in a transaction of its own: after a crash in between, the next summary
        refresh recomputes it from whichever stream is on disk.
        """
        outcomes: list[StoreOutcome] = []
        dropped: list[str] = []
        if reread:
            self._mark_stale([rec.summary.activity_id for rec in records])
        with self.transaction() as conn:
            ids = [rec.summary.activity_id for rec in records]
            before = {r[0] for r in conn.execute(_IDS_IN, (dumps(ids),))}
            try:
                for rec in records:
                    outcome = self._store_one(conn, rec, reread)
                    if outcome.outcome == "replaced" and outcome.other_id:
                        dropped.append(outcome.other_id)
                    outcomes.append(outcome)
                    self._log_import(conn, file, file_hash, outcome)
            except BaseException:
                # still under the lock: the streams this transaction wrote go with it
                for activity_id in set(ids) - before:
                    self.stream_path(activity_id).unlink(missing_ok=True)
                raise
            pause = os.environ.get(PAUSE_ENV)
            if pause:
                time.sleep(float(pause))
        for activity_id in dropped:  # after the commit: a crash here leaves an orphan only
            self.stream_path(activity_id).unlink(missing_ok=True)
        return outcomes

    def log_known_file(self, file: str, file_hash: str) -> list[StoredActivity] | None:
        """Where every activity an earlier import took from content ``file_hash`` is still
        stored, log them ``present`` for ``file`` (one transaction) and return them, so
        the file need not be parsed again. Else None, and nothing is logged.
        """
        if not self._known_ids(file_hash):  # a plain read first: no write lock for new files
            return None
        with self.transaction() as conn:
            ids = self._known_ids(file_hash)
            marks = ", ".join("?" * len(ids))
            found = self._select_activities(f"WHERE id IN ({marks})", ids) if ids else []
            if not ids or len(found) != len(ids):
                return None
            found.sort(key=lambda a: int(a.columns["session_index"]))
            for a in found:
                index = int(a.columns["session_index"])
                present = StoreOutcome(a.activity_id, index, "present", message=PRESENT)
                self._log_import(conn, file, file_hash, present)
        return found

    def _known_ids(self, file_hash: str) -> list[str]:
        """Ids of the activities earlier imports of this content gave (stored or not)."""
        rows = self.conn.execute(
            "SELECT DISTINCT session_index FROM imports WHERE hash = ?"
            " AND outcome != 'failed' AND session_index IS NOT NULL ORDER BY session_index",
            (file_hash,),
        ).fetchall()
        return [f"{file_hash}-{r[0]}" for r in rows]

    def record_failure(self, file: str, file_hash: str | None, message: str) -> None:
        """Log a file that could not be imported."""
        failed = StoreOutcome("", -1, "failed", message=message)
        with self.transaction() as conn:
            self._log_import(conn, file, file_hash, failed)

    def _mark_stale(self, ids: Sequence[str]) -> None:
        with self.transaction() as conn:
            conn.execute(
                "UPDATE activities SET settings_key = ?"
                " WHERE id IN (SELECT value FROM json_each(?))",
                (STALE_KEY, dumps(list(ids))),
            )

    def _store_one(
        self, conn: sqlite3.Connection, rec: ActivityRecord, reread: bool = False
    ) -> StoreOutcome:
        aid = rec.summary.activity_id
        index = rec.summary.session_index
        if conn.execute("SELECT 1 FROM activities WHERE id = ?", (aid,)).fetchone():
            if not reread:
                return StoreOutcome(aid, index, "present", message=PRESENT)
            streams.write_stream(self.stream_path(aid), rec.activity, encoded=rec.stream)
            self._update_activity(conn, rec)
            return StoreOutcome(aid, index, "reread", message=REREAD)
        twin, partial = self._find_twin(conn, rec)
        if twin is not None and _stored_is_richer(twin, rec, partial):
            copy = "a shorter recording" if partial else "duplicate"
            return StoreOutcome(
                aid,
                index,
                "duplicate",
                twin["id"],
                twin["source_path"],
                f"{copy} of {twin['local_date']} {twin['source_path']}",
            )
        streams.write_stream(self.stream_path(aid), rec.activity, encoded=rec.stream)
        if twin is not None:
            conn.execute("DELETE FROM activities WHERE id = ?", (twin["id"],))
        self._insert_activity(conn, rec)
        if twin is None:
            return StoreOutcome(aid, index, "imported")
        return StoreOutcome(
            aid,
            index,
            "replaced",
            twin["id"],
            twin["source_path"],
            f"replaced the {'shorter recording' if partial else 'poorer copy'} "
            + str(twin["source_path"]),
        )

    def _find_twin(
        self, conn: sqlite3.Connection, rec: ActivityRecord
    ) -> tuple[sqlite3.Row | None, bool]:
        """The stored recording of the same run, if any, and whether one of the two
        covers clearly less of its time (``PARTIAL_SHARE``: an interrupted sync).

        Recordings starting within ``DUPLICATE_WINDOW_S`` of each other are one run, one
        runner's store having no two runs begun in the same minute (a watch and a phone
        recording the same run included); the sessions of one file (a multisport's legs)
        are never twins of each other. One whose distance is within
        ``DUPLICATE_DISTANCE_SHARE`` is preferred.
        """
        start = _epoch(rec.summary.start_time)
        conn.row_factory = sqlite3.Row
        try:
            rows = conn.execute(
                "SELECT id, start_epoch_s, elapsed_s, distance_m, track_m, n_channels, channels,"
                " source_format, source_path, local_date FROM activities"
                " WHERE start_epoch_s BETWEEN ? AND ? AND id != ? ORDER BY abs(start_epoch_s - ?)",
                (
                    start - DUPLICATE_WINDOW_S,
                    start + DUPLICATE_WINDOW_S,
                    rec.summary.activity_id,
                    start,
                ),
            ).fetchall()
        finally:
            conn.row_factory = None
        file_of = rec.summary.activity_id.rsplit("-", 1)[0]
        others = [row for row in rows if str(row["id"]).rsplit("-", 1)[0] != file_of]
        for row in others:
            if _close(row["distance_m"], rec.summary.distance_m) or _close(
                row["track_m"], rec.track_m
            ):
                return row, False
        if not others:
            return None, False
        row = others[0]
        stored, new = _num(row["elapsed_s"]) or 0.0, rec.summary.elapsed_s or 0.0
        return row, _covers_less(new, stored) or _covers_less(stored, new)

    def _insert_activity(self, conn: sqlite3.Connection, rec: ActivityRecord) -> None:
        row = _activity_row(rec)
        row["imported_at"] = row["analysed_at"]
        names = ", ".join(row)
        marks = ", ".join(f":{k}" for k in row)
        conn.execute(f"INSERT INTO activities ({names}) VALUES ({marks})", row)
        _insert_hills(conn, rec.summary)

    def update_analysis(self, records: Iterable[ActivityRecord]) -> int:
        """Replace the summaries (and hills) of stored activities, in one transaction.

        The streams stay as they are; ``record.activity`` is not written.
        """
        n = 0
        with self.transaction() as conn:
            for rec in records:
                n += self._update_activity(conn, rec)
        return n

    def _update_activity(self, conn: sqlite3.Connection, rec: ActivityRecord) -> int:
        """Rewrite a stored activity's row and hills from ``rec``; 1 if it was stored."""
        row = _activity_row(rec)
        sets = ", ".join(f"{k} = :{k}" for k in row if k != "id")
        cur = conn.execute(f"UPDATE activities SET {sets} WHERE id = :id", row)
        if not cur.rowcount:
            return 0
        conn.execute("DELETE FROM hills WHERE activity_id = ?", (row["id"],))
        _insert_hills(conn, rec.summary)
        return 1

    def _log_import(
        self, conn: sqlite3.Connection, file: str, file_hash: str | None, o: StoreOutcome
    ) -> None:
        conn.execute(
            "INSERT INTO imports (file, hash, session_index, activity_id, outcome, other_id,"
            " message, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                file,
                file_hash,
                None if o.session_index < 0 else o.session_index,
                o.activity_id or None,
                o.outcome,
                o.other_id,
                o.message,
                _now(),
            ),
        )

    def prune_streams(self) -> int:
        """Delete stream files without a catalog row, and writers' leftover temp files.

        Runs under the write lock: no other writer is between a stream write and its commit.
        """
        removed = 0
        with self.transaction() as conn:
            known = {r[0] for r in conn.execute("SELECT id FROM activities")}
            for path in streams.leftover_temp_files(self.streams_dir):
                path.unlink(missing_ok=True)
                removed += 1
            for path in self.streams_dir.glob("*.parquet"):
                if path.stem not in known:
                    path.unlink(missing_ok=True)
                    removed += 1
        return removed

    # --- activities: reading ------------------------------------------------------------

    def stream_path(self, activity_id: str) -> Path:
        return paths.stream_path(self.data_dir, activity_id)

    def load_activity(self, activity_id: str) -> Activity:
        """The stored :class:`Activity` (frame and metadata), rebuilt from its stream."""
        return streams.read_activity(self.stream_path(activity_id))

    def stream_frame(self, activity_id: str) -> pd.DataFrame:
        """The canonical per-second frame of one activity."""
        return streams.read_frame(self.stream_path(activity_id))

    def activity_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM activities ORDER BY start_epoch_s")]

    def observed_max_bpm(self) -> float | None:
        """The highest heart rate held long enough across the whole history (1/min)."""
        value = self.conn.execute("SELECT max(hr_held_max_bpm) FROM activities").fetchone()[0]
        return None if value is None else float(value)

    def stale_activity_ids(self, settings_key: str) -> list[str]:
        """Activities analysed with other settings than those of ``settings_key``."""
        rows = self.conn.execute(
            "SELECT id FROM activities WHERE settings_key != ? ORDER BY start_epoch_s",
            (settings_key,),
        )
        return [r[0] for r in rows]

    def activity(self, activity_id: str) -> StoredActivity | None:
        found = self._select_activities("WHERE id = ?", (activity_id,))
        return found[0] if found else None

    def activities(
        self, since: date | str | None = None, until: date | str | None = None
    ) -> list[StoredActivity]:
        """Activities whose local date lies in [since, until] (both inclusive), oldest first."""
        where, params = _date_range("local_date", since, until)
        return self._select_activities(where, params)

    def activities_frame(
        self, since: date | str | None = None, until: date | str | None = None
    ) -> pd.DataFrame:
        """The key columns of the activities in [since, until], one row per activity.

        ``start_time`` is a UTC timestamp; metric columns are NaN where not computed.
        """
        where, params = _date_range("local_date", since, until)
        # the speed facts of activities without a sport (JSON null: computed, no speed);
        # speed_facts_stored: whether they were computed (not by versions before 4)
        facts = ", ".join(
            f"json_extract(metrics_json, '$.{key}') AS {key}"
            for key in ("speed_median_mps", "speed_sustained_mps")
        )
        known = "json_type(metrics_json, '$.speed_median_mps') IS NOT NULL AS speed_facts_stored"
        sql = f"SELECT *, {facts}, {known} FROM activities {where} ORDER BY start_epoch_s"
        df = pd.read_sql_query(sql, self.conn, params=params)
        df = df.drop(columns=["summary_json", "metrics_json"])
        df["start_time"] = pd.to_datetime(df["start_time"], utc=True, format="ISO8601")
        return df.rename(columns={"id": "activity_id"})

    def _select_activities(self, where: str, params: Sequence[Any]) -> list[StoredActivity]:
        self.conn.row_factory = sqlite3.Row
        try:
            rows = self.conn.execute(
                f"SELECT * FROM activities {where} ORDER BY start_epoch_s", params
            ).fetchall()
        finally:
            self.conn.row_factory = None
        return [_stored_activity(r) for r in rows]

    def hills(self, activity_id: str) -> list[dict[str, Any]]:
        """The hill dicts of one activity, as the metrics gave them."""
        rows = self.conn.execute(
            "SELECT data_json FROM hills WHERE activity_id = ? ORDER BY idx", (activity_id,)
        )
        return [loads(r[0]) for r in rows]

    def hills_frame(
        self, since: date | str | None = None, until: date | str | None = None
    ) -> pd.DataFrame:
        """Hill key columns of the activities in [since, until], with ``local_date``."""
        where, params = _date_range("a.local_date", since, until)
        sql = (
            "SELECT h.*, a.local_date FROM hills h JOIN activities a ON a.id = h.activity_id "
            f"{where} ORDER BY a.start_epoch_s, h.idx"
        )
        return pd.read_sql_query(sql, self.conn, params=params).drop(columns=["data_json"])

    def imports(self, limit: int = 100) -> list[dict[str, Any]]:
        """The latest import log rows, newest first."""
        self.conn.row_factory = sqlite3.Row
        try:
            rows = self.conn.execute(
                "SELECT * FROM imports ORDER BY id DESC LIMIT ?", (limit,)
            ).fetchall()
        finally:
            self.conn.row_factory = None
        return [dict(r) for r in rows]

    # --- symptom check-ins --------------------------------------------------------------

    def put_checkins(
        self, entries: Sequence[CheckIn], replace: bool = False, keep: bool = False
    ) -> PutResult:
        """Store check-ins (one per date) in one transaction.

        An identical entry is left alone; a different one for a stored date raises
        :class:`AlreadyLogged` (nothing written) unless ``replace`` (it replaces the
        stored one) or ``keep`` (the stored one stays, and the new one is dropped).
        """
        rows = [_checkin_row(e) for e in entries]
        return self._put("checkins", "date", rows, replace, "check-ins", keep)

    def checkin(self, day: date | str) -> CheckIn | None:
        found = self.checkins(day, day)
        return found[0] if found else None

    def checkins(
        self, since: date | str | None = None, until: date | str | None = None
    ) -> list[CheckIn]:
        """Check-ins dated in [since, until], oldest first."""
        where, params = _date_range("date", since, until)
        rows = self._rows(f"SELECT * FROM checkins {where} ORDER BY date", params)
        return [_checkin(r) for r in rows]

    def delete_checkin(self, day: date | str) -> bool:
        with self.transaction() as conn:
            cur = conn.execute("DELETE FROM checkins WHERE date = ?", (_day_text(day),))
        return cur.rowcount > 0

    def heel_drops_at(self, minute: datetime) -> list[HeelDropSession]:
        """The sessions logged within the minute of ``minute`` (aware; any offset)."""
        rows = self._rows(f"SELECT * FROM heel_drops WHERE {_IN_MINUTE}", _minute_of(minute))
        return [_drops(r) for r in rows]

    def delete_heel_drops(self, minute: datetime) -> int:
        """Delete the sessions logged within the minute of ``minute`` (aware); how many."""
        with self.transaction() as conn:
            cur = conn.execute(f"DELETE FROM heel_drops WHERE {_IN_MINUTE}", _minute_of(minute))
        return cur.rowcount

    def delete_visa_a(self, day: date | str) -> bool:
        with self.transaction() as conn:
            cur = conn.execute("DELETE FROM visa_a WHERE date = ?", (_day_text(day),))
        return cur.rowcount > 0

    # --- heel drops ---------------------------------------------------------------------

    def put_heel_drops(
        self, entries: Sequence[HeelDropSession], replace: bool = False, keep: bool = False
    ) -> PutResult:
        """Store heel-drop sessions (one per time) in one transaction, like check-ins."""
        rows = [_drops_row(e) for e in entries]
        return self._put("heel_drops", "time_utc", rows, replace, "heel-drop sessions", keep)

    def heel_drops(
        self, since: date | str | None = None, until: date | str | None = None
    ) -> list[HeelDropSession]:
        """Sessions whose local date lies in [since, until], oldest first."""
        where, params = _date_range("local_date", since, until)
        rows = self._rows(f"SELECT * FROM heel_drops {where} ORDER BY time_utc", params)
        return [_drops(r) for r in rows]

    # --- VISA-A -------------------------------------------------------------------------

    def put_visa_a(self, result: VisaAResult, replace: bool = False) -> PutResult:
        """Store one VISA-A result (one per date)."""
        row: dict[str, Any] = {"date": result.date.isoformat()}
        row.update({f"q{n}": v for n, v in enumerate(result.items, start=1)})
        row.update(q8_branch=result.q8_branch, total=result.total)
        return self._put("visa_a", "date", [row], replace, "a VISA-A result")

    def visa_a(
        self, since: date | str | None = None, until: date | str | None = None
    ) -> list[VisaAResult]:
        """VISA-A results dated in [since, until], oldest first."""
        where, params = _date_range("date", since, until)
        rows = self._rows(f"SELECT * FROM visa_a {where} ORDER BY date", params)
        return [
            VisaAResult(
                date.fromisoformat(r["date"]),
                tuple(int(r[f"q{n}"]) for n in range(1, 9)),
                r["q8_branch"],
            )
            for r in rows
        ]

    # --- profile ------------------------------------------------------------------------

    def profile(self) -> dict[str, Any]:
        """The values the user set; everything else is the Settings default."""
        return {k: loads(v) for k, v in self.conn.execute("SELECT key, value FROM profile")}

    def settings(self) -> Settings:
        """:class:`Settings` from the profile over the defaults."""
        return Settings.from_dict(self.profile())

    def update_profile(self, changes: Mapping[str, Any], unset: Iterable[str] = ()) -> Settings:
        """Set (and unset) profile values in one transaction; return the new settings."""
        known = {f.name for f in fields(Settings)}
        bad = [k for k in [*changes, *unset] if k not in known]
        if bad:
            raise StoreError(f"unknown profile setting(s): {', '.join(bad)}")
        Settings.from_dict({**self.profile(), **changes})  # refuse what Settings refuses
        with self.transaction() as conn:
            for key in unset:
                conn.execute("DELETE FROM profile WHERE key = ?", (key,))
            for key, value in changes.items():
                conn.execute(
                    "INSERT INTO profile (key, value) VALUES (?, ?)"
                    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, dumps(value)),
                )
        return self.settings()

    # --- helpers ------------------------------------------------------------------------

    def _rows(self, sql: str, params: Sequence[Any]) -> list[sqlite3.Row]:
        self.conn.row_factory = sqlite3.Row
        try:
            return self.conn.execute(sql, params).fetchall()
        finally:
            self.conn.row_factory = None

    def _put(
        self,
        table: str,
        key: str,
        rows: Sequence[dict[str, Any]],
        replace: bool,
        what: str,
        keep: bool = False,
    ) -> PutResult:
        added = replaced = unchanged = kept = 0
        with self.transaction() as conn:
            conn.row_factory = sqlite3.Row
            try:
                existing = {
                    r[key]: dict(r)
                    for r in conn.execute(
                        f"SELECT * FROM {table} WHERE {key} IN (SELECT value FROM json_each(?))",
                        (dumps([r[key] for r in rows]),),
                    )
                }
            finally:
                conn.row_factory = None
            conflicts = [
                r[key] for r in rows if r[key] in existing and not _same(existing[r[key]], r)
            ]
            if conflicts and not replace and not keep:
                raise AlreadyLogged(what, conflicts)
            for row in rows:
                if row[key] in existing and _same(existing[row[key]], row):
                    unchanged += 1
                    continue
                if row[key] in existing and keep:
                    kept += 1
                    continue
                full = {**row, "recorded_at": _now()}
                names = ", ".join(full)
                marks = ", ".join(f":{k}" for k in full)
                conn.execute(f"INSERT OR REPLACE INTO {table} ({names}) VALUES ({marks})", full)
                if row[key] in existing:
                    replaced += 1
                else:
                    added += 1
        return PutResult(added, replaced, unchanged, kept)


# --- opening helpers -----------------------------------------------------------------------


def _prepare_folder(root: Path) -> None:
    """Create the data folder and prove it is writable (a read-only disk fails here)."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        paths.streams_dir(root).mkdir(exist_ok=True)
        probe = root / f".write-probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise _unwritable(root, exc) from exc


def _configure(conn: sqlite3.Connection, catalog: Path) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    mode = _journal_mode_wal(conn)
    if str(mode).lower() != "wal":
        raise StoreError(f"{catalog}: cannot switch to WAL mode (got {mode})")
    conn.execute("PRAGMA synchronous = NORMAL")


def _journal_mode_wal(conn: sqlite3.Connection) -> str:
    """Switch to WAL, waiting out a process that is creating the same catalog.

    Two processes opening a brand-new catalog at once race for the switch, and SQLite
    answers "database is locked" at once there instead of calling the busy handler; the
    mode is persistent, so the loser only has to wait for the winner.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    delay = 0.01
    while True:
        try:
            return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def _is_full(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code == sqlite3.SQLITE_FULL or "disk is full" in str(exc)


def _no_space_left(folder: Path) -> bool:
    """Opening a WAL catalog on a full disk fails as "disk I/O error" (its -shm file
    cannot be made): with almost no space left, that is the disk, not damage."""
    try:
        return shutil.disk_usage(folder).free < 1024 * 1024
    except OSError:
        return False


def _database_error(catalog: Path, exc: sqlite3.Error) -> StoreError:
    text = str(exc)
    if _is_full(exc) or (
        isinstance(exc, sqlite3.OperationalError) and _no_space_left(catalog.parent)
    ):
        return DiskFull(catalog)
    if "readonly" in text or "read-only" in text:
        return _unwritable(catalog.parent, exc)
    if "locked" in text or "busy" in text:
        return StoreError(
            f"{catalog} stayed locked by another analyzer process for {BUSY_TIMEOUT_S:.0f} s; "
            "wait for it to finish and try again"
        )
    return StoreError(
        f"{catalog} is damaged or not an analyzer catalog ({text}); move it aside "
        "and import your files again"
    )


# --- row conversion ------------------------------------------------------------------------


def _rank(n_channels: int, source_format: str) -> tuple[int, int]:
    return (n_channels, FORMAT_RANK.get(source_format, 0))


def _stored_is_richer(twin: sqlite3.Row, rec: ActivityRecord, partial: bool) -> bool:
    """Whether the stored twin stays: of a partial copy and a fuller one, the fuller one
    where it has every body sensor of the other (heart rate, cadence, power: an
    interrupted sync, a FIT's GPX export); else the one with more channels (a watch's
    heart rate over a phone's GPS, even one left running longer), then the richer format."""
    if partial:
        new_less = _covers_less(rec.summary.elapsed_s or 0.0, _num(twin["elapsed_s"]) or 0.0)
        stored_body = _body(loads(twin["channels"]) or ())
        new_body = _body(rec.summary.channels)
        fuller, shorter = (stored_body, new_body) if new_less else (new_body, stored_body)
        if fuller >= shorter:  # a phone left running after the watch has no heart rate
            return new_less
    stored_rank = _rank(twin["n_channels"], twin["source_format"])
    return stored_rank >= _rank(len(rec.summary.channels), rec.summary.source_format)


#: what only the body's sensors give (GPS, distance and speed a phone records too)
BODY_CHANNELS = frozenset({"heart_rate", "cadence", "power"})


def _body(channels: Iterable[str]) -> frozenset[str]:
    return BODY_CHANNELS & frozenset(channels)


_IN_MINUTE = "time_utc >= ? AND time_utc < ?"


def _minute_of(when: datetime) -> tuple[str, str]:
    """The UTC minute holding ``when``, as the bounds of ``_IN_MINUTE``."""
    start = when.astimezone(UTC).replace(second=0, microsecond=0)
    return start.isoformat(), (start + timedelta(minutes=1)).isoformat()


def _day_text(day: date | str) -> str:
    """``YYYY-MM-DD`` of a date (a datetime too: its date, not its time)."""
    if isinstance(day, str):
        return day
    return (day.date() if isinstance(day, datetime) else day).isoformat()


def _covers_less(a_s: float, b_s: float) -> bool:
    """Whether a recording of ``a_s`` elapsed seconds covers clearly less than one of
    ``b_s`` (``PARTIAL_SHARE``)."""
    return b_s > 0 and a_s <= PARTIAL_SHARE * b_s


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return False
    top = max(abs(a), abs(b))
    return top == 0 or abs(a - b) <= DUPLICATE_DISTANCE_SHARE * top


def _epoch(iso: str) -> float:
    return pd.Timestamp(iso).timestamp()


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _first(source: Mapping[str, Any], keys: Sequence[str]) -> Any:
    for key in keys:
        if key in source and source[key] is not None:
            return source[key]
    return None


def _count(value: Any) -> int | None:
    n = _num(value)
    return None if n is None else int(n)


def _exposure(metrics: Mapping[str, Any]) -> dict[str, Any]:
    """Hill-exposure columns from ``metrics["hill_exposure"]``, counted from the hill list
    where the exposure does not give the counts."""
    raw = metrics.get("hill_exposure")
    exposure: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    out: dict[str, Any] = {k: _num(_first(exposure, keys)) for k, keys in _EXPOSURE_COLUMNS.items()}
    out["hills_run"] = _count(out["hills_run"])
    out["hills_walked"] = _count(out["hills_walked"])
    hills = metrics.get("hills")
    if isinstance(hills, list) and hills:
        climbs = [h for h in hills if isinstance(h, Mapping) and _is_climb(h)]
        if out["hills_walked"] is None:
            out["hills_walked"] = sum(1 for h in climbs if h.get("walked") is True)
        if out["hills_run"] is None:
            out["hills_run"] = sum(1 for h in climbs if h.get("walked") is False)
    return out


def _is_climb(hill: Mapping[str, Any]) -> bool:
    kind = str(_first(hill, _HILL_COLUMNS["kind"]) or "up").lower()
    return kind not in ("down", "descent", "downhill")


def _activity_row(rec: ActivityRecord) -> dict[str, Any]:
    s = rec.summary
    metrics: Mapping[str, Any] = s.metrics or {}
    head = {f.name: getattr(s, f.name) for f in fields(s) if f.name != "metrics"}
    row: dict[str, Any] = {
        "id": s.activity_id,
        "start_time": s.start_time,
        "start_epoch_s": _epoch(s.start_time),
        "local_date": rec.local_date,
        "utc_offset_s": s.utc_offset_s,
        "sport": s.sport,
        "sub_sport": s.sub_sport,
        "name": s.name,
        "device": s.device,
        "distance_m": float(s.distance_m),
        "track_m": _num(rec.track_m),
        "elapsed_s": _num(s.elapsed_s),
        "timer_s": _num(s.timer_s),
    }
    row.update({k: _num(_first(metrics, keys)) for k, keys in _METRIC_COLUMNS.items()})
    row.update(_exposure(metrics))
    source = metrics.get("hr_max_source")
    row.update(hr_max_source=None if source is None else str(source))
    row.update(hr_held_max_bpm=_num(rec.held_max_bpm))
    row.update(
        source_path=s.source_path,
        source_hash=rec.activity.source_hash,
        source_format=s.source_format,
        session_index=s.session_index,
        channels=dumps(list(s.channels)),
        n_channels=len(s.channels),
        points=s.points,
        summary_json=dumps(head),
        metrics_json=dumps(metrics),
        settings_key=rec.settings_key,
        analysed_at=_now(),
    )
    return row


def _insert_hills(conn: sqlite3.Connection, summary: ActivitySummary) -> None:
    hills = (summary.metrics or {}).get("hills")
    if not isinstance(hills, list):
        return
    for idx, hill in enumerate(h for h in hills if isinstance(h, Mapping)):
        row: dict[str, Any] = {"activity_id": summary.activity_id, "idx": idx}
        for col, keys in _HILL_COLUMNS.items():
            value = _first(hill, keys)
            if col in _TEXT_HILL_COLUMNS:
                row[col] = None if value is None else str(loads(dumps(value)))
            elif col == "walked":
                row[col] = None if value is None else int(bool(value))
            else:
                row[col] = _num(value)
        row["data_json"] = dumps(hill)
        names = ", ".join(row)
        marks = ", ".join(f":{k}" for k in row)
        conn.execute(f"INSERT INTO hills ({names}) VALUES ({marks})", row)


def _stored_activity(r: sqlite3.Row) -> StoredActivity:
    summary = loads(r["summary_json"]) or {}
    summary.update(loads(r["metrics_json"]) or {})
    summary["local_date"] = r["local_date"]
    columns = {k: r[k] for k in r.keys() if k not in ("summary_json", "metrics_json")}  # noqa: SIM118
    columns["channels"] = loads(r["channels"])
    return StoredActivity(
        activity_id=r["id"],
        start_time=r["start_time"],
        local_date=r["local_date"],
        sport=r["sport"],
        name=r["name"],
        source_path=r["source_path"],
        source_format=r["source_format"],
        distance_m=float(r["distance_m"]),
        channels=tuple(loads(r["channels"]) or ()),
        columns=columns,
        summary=summary,
    )


def _date_range(
    column: str, since: date | str | None, until: date | str | None
) -> tuple[str, list[str]]:
    clauses, params = [], []
    if since is not None:
        clauses.append(f"{column} >= ?")
        params.append(str(since))
    if until is not None:
        clauses.append(f"{column} <= ?")
        params.append(str(until))
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


def _same(stored: Mapping[str, Any], row: Mapping[str, Any]) -> bool:
    return all(stored.get(k) == v for k, v in row.items())


def _checkin_row(e: CheckIn) -> dict[str, Any]:
    return {
        "date": e.date.isoformat(),
        "morning_stiffness": e.morning_stiffness,
        "morning_stiffness_minutes": e.morning_stiffness_minutes,
        "morning_pain": e.morning_pain,
        "pain_during": e.pain_during,
        "pain_after": e.pain_after,
        "pinch_tenderness": e.pinch_tenderness,
        "swelling": None if e.swelling is None else int(e.swelling),
        "side": e.side,
        "note": e.note,
    }


def _checkin(r: sqlite3.Row) -> CheckIn:
    return CheckIn(
        date=date.fromisoformat(r["date"]),
        morning_stiffness=r["morning_stiffness"],
        morning_stiffness_minutes=r["morning_stiffness_minutes"],
        morning_pain=r["morning_pain"],
        pain_during=r["pain_during"],
        pain_after=r["pain_after"],
        pinch_tenderness=r["pinch_tenderness"],
        swelling=None if r["swelling"] is None else bool(r["swelling"]),
        side=r["side"],
        note=r["note"],
    )


def _drops_row(e: HeelDropSession) -> dict[str, Any]:
    return {
        "time_utc": e.time.astimezone(UTC).isoformat(),
        "time_local": e.time.isoformat(),
        "local_date": e.time.date().isoformat(),
        "straight_knee_sets": e.straight_knee_sets,
        "bent_knee_sets": e.bent_knee_sets,
        "reps": e.reps,
        "added_load_kg": float(e.added_load_kg),
        "note": e.note,
    }


def _drops(r: sqlite3.Row) -> HeelDropSession:
    return HeelDropSession(
        time=datetime.fromisoformat(r["time_local"]),
        straight_knee_sets=int(r["straight_knee_sets"]),
        bent_knee_sets=int(r["bent_knee_sets"]),
        reps=int(r["reps"]),
        added_load_kg=float(r["added_load_kg"]),
        note=r["note"],
    )
