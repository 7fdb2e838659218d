"""``doctor`` (the catalog checked against the streams, and repaired) and ``backup`` (a
consistent copy taken while other commands run).

Both take the catalog's write lock for the moment that matters: a writer writes its stream
and commits its row under that lock, and a replaced twin's stream is deleted only after
its commit, so under the lock the catalog and ``streams/`` agree. Symptom check-ins,
heel-drop sessions and VISA-A results are never deleted by a repair.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sqlite3
import uuid
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
import pyarrow.parquet as pq

from analyzer.errors import DiskFull, StoreError, is_disk_full
from analyzer.importers.containers import outer_file
from analyzer.store import streams
from analyzer.store.catalog import BUSY_TIMEOUT_S, Store
from analyzer.store.migrations import SCHEMA_VERSION

Kind = Literal[
    "integrity",
    "foreign_key",
    "schema",
    "missing_stream",
    "unreadable_stream",
    "orphan_stream",
    "temp_file",
]
BACKUP_PREFIX = ".backup-"
PROBE_PREFIX = ".write-probe-"
#: tables a repair may delete rows from (never the symptom, heel-drop or VISA-A logs)
REPAIRABLE_TABLES = ("hills",)


@dataclass
class Finding:
    """One problem: what kind, what it is about, what to do, and whether it was repaired."""

    kind: Kind
    subject: str
    message: str
    repairable: bool
    repaired: bool = False


@dataclass
class DoctorReport:
    activities: int = 0
    streams: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def remaining(self) -> list[Finding]:
        return [f for f in self.findings if not f.repaired]

    def to_json(self) -> dict[str, Any]:
        return {
            "activities": self.activities,
            "streams": self.streams,
            "findings": [asdict(f) for f in self.findings],
            "ok": not self.remaining,
        }


# --- doctor ---------------------------------------------------------------------------------


def doctor(store: Store, repair: bool = False) -> DoctorReport:
    """Check the catalog against the streams; with ``repair``, fix what can be fixed.

    Repairs: delete orphan streams and crash leftovers; remove activities whose stream is
    missing or unreadable (their source file must be imported again); delete hill rows
    whose activity is gone. A damaged catalog (integrity check) is reported, not repaired.
    """
    report = DoctorReport()
    with store.transaction() as conn:  # the write lock: no writer is half-way
        _check_catalog(conn, report)
        _check_streams(store, conn, report)
        if repair:
            for finding in report.findings:
                if finding.repairable:
                    _repair(store, conn, finding)
    return report


def _check_catalog(conn: sqlite3.Connection, report: DoctorReport) -> None:
    problems = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        report.findings.append(
            Finding(
                "integrity",
                "catalog.sqlite",
                "SQLite's integrity check failed: " + "; ".join(problems[:5]) + ". Restore a "
                "backup, or move the catalog aside and import your files and logs again",
                repairable=False,
            )
        )
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
        report.findings.append(
            Finding(
                "foreign_key",
                f"{table}:{rowid}",
                f"row {rowid} of {table} points at a missing {parent} row",
                repairable=table in REPAIRABLE_TABLES,
            )
        )
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version != SCHEMA_VERSION:
        report.findings.append(
            Finding(
                "schema",
                "catalog.sqlite",
                f"schema version {version}, expected {SCHEMA_VERSION}",
                repairable=False,
            )
        )


def _check_streams(store: Store, conn: sqlite3.Connection, report: DoctorReport) -> None:
    rows = conn.execute("SELECT id, source_path FROM activities ORDER BY start_epoch_s")
    known: set[str] = set()
    for activity_id, source in rows:
        known.add(activity_id)
        report.activities += 1
        problem = stream_problem(store.stream_path(activity_id))
        if problem is None:
            continue
        kind: Kind = "missing_stream" if problem == "missing" else "unreadable_stream"
        # the activity is still in the catalog: only --reread reads its stored file again
        report.findings.append(
            Finding(
                kind,
                activity_id,
                f"activity {activity_id}: its stream is {problem}; get it back with: "
                f"analyzer import --reread {shlex.quote(outer_file(source))}",
                repairable=True,
            )
        )
    for path in sorted(store.streams_dir.glob("*.parquet")):
        report.streams += 1
        if path.stem not in known:
            report.findings.append(
                Finding("orphan_stream", str(path), f"{path}: no activity refers to it", True)
            )
    for path in leftovers(store):
        report.findings.append(Finding("temp_file", str(path), f"{path}: left by a crash", True))


def stream_problem(path: Path) -> str | None:
    """None for a stream whose Parquet footer and activity metadata read; else why not."""
    try:
        meta = pq.read_schema(path).metadata or {}
    except FileNotFoundError:
        return "missing"
    except (OSError, pa.ArrowException) as exc:
        return f"unreadable ({type(exc).__name__})"
    return None if streams.META_KEY in meta else "unreadable (no activity metadata)"


def leftovers(store: Store) -> list[Path]:
    """Temp files of killed writers, write probes, and staging folders of dead backups."""
    found = list(streams.leftover_temp_files(store.streams_dir))
    found += sorted(store.data_dir.glob(f"{PROBE_PREFIX}*"))
    found += [p for p in sorted(store.data_dir.glob(f"{BACKUP_PREFIX}*")) if not _alive(p)]
    return found


def _alive(staging: Path) -> bool:
    """Whether the backup that made ``staging`` (``.backup-<pid>-<hex>.tmp``) still runs."""
    try:
        pid = int(staging.name[len(BACKUP_PREFIX) :].split("-", 1)[0])
        os.kill(pid, 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def _repair(store: Store, conn: sqlite3.Connection, finding: Finding) -> None:
    if finding.kind in ("missing_stream", "unreadable_stream"):
        source, day = conn.execute(
            "SELECT source_path, local_date FROM activities WHERE id = ?", (finding.subject,)
        ).fetchone()
        # hills go with it (ON DELETE CASCADE); the logs do not refer to activities
        conn.execute("DELETE FROM activities WHERE id = ?", (finding.subject,))
        store.stream_path(finding.subject).unlink(missing_ok=True)
        # gone from the catalog, the file is new again to a plain import
        problem = "missing" if finding.kind == "missing_stream" else "unreadable"
        finding.message = (
            f"activity {finding.subject}: its stream was {problem}, so this activity of "
            f"{day} was removed from the history; import its file again to bring it back: "
            f"analyzer import {shlex.quote(outer_file(source))}"
        )
    elif finding.kind == "foreign_key":
        table, rowid = finding.subject.split(":")
        if table in REPAIRABLE_TABLES:
            conn.execute(f"DELETE FROM {table} WHERE rowid = ?", (int(rowid),))
    elif finding.kind in ("orphan_stream", "temp_file"):
        path = Path(finding.subject)
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    finding.repaired = True


# --- backup ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupReport:
    path: Path
    activities: int
    streams: int
    checkins: int
    bytes: int
    missing: tuple[str, ...] = ()  # activities whose stream was already gone (see doctor)
    heel_drops: int = 0
    visa_a: int = 0


def backup(store: Store, target: Path, overwrite: bool = False) -> BackupReport:
    """Write ``target`` (a zip): ``catalog.sqlite``, a snapshot, and ``streams/`` with the
    stream of every activity in it, plus ``MANIFEST.json``. Unzip into an empty folder to
    restore. Other commands may run meanwhile; they wait only while streams are linked."""
    if target.exists() and not overwrite:
        raise StoreError(f"{target} exists already; choose another name or add --force")
    staging = store.data_dir / f"{BACKUP_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp"
    try:
        (staging / "streams").mkdir(parents=True)
        ids, missing = _snapshot(store, staging)
        manifest = _finish_catalog(staging / "catalog.sqlite", len(ids))
        size = _write_zip(staging, ids, manifest, target)
    except OSError as exc:
        if is_disk_full(exc):
            raise DiskFull(f"backup {target}") from exc
        raise StoreError(f"cannot write the backup {target} ({exc.strerror or exc})") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    stored = [i for i in ids if i not in missing]
    return BackupReport(
        target,
        len(ids),
        len(stored),
        manifest["checkins"],
        size,
        missing,
        manifest["heel_drops"],
        manifest["visa_a"],
    )


def _snapshot(store: Store, staging: Path) -> tuple[list[str], tuple[str, ...]]:
    """Under the write lock: the catalog copied page by page (SQLite's backup API) and each
    referenced stream hard-linked (copied where links are impossible). Instant for links."""
    missing: list[str] = []
    with store.transaction() as conn:
        # a second connection reads the last commit, which the lock keeps still (the
        # backup API cannot read through the connection that holds the lock)
        reader = sqlite3.connect(store.catalog_path, timeout=BUSY_TIMEOUT_S)
        target = sqlite3.connect(staging / "catalog.sqlite")
        try:
            reader.backup(target)
        finally:
            target.close()
            reader.close()
        ids = [r[0] for r in conn.execute("SELECT id FROM activities ORDER BY id")]
        for activity_id in ids:
            source = store.stream_path(activity_id)
            copy = staging / "streams" / source.name
            try:
                _link_or_copy(source, copy)
            except FileNotFoundError:
                missing.append(activity_id)
    return ids, tuple(missing)


def _link_or_copy(source: Path, copy: Path) -> None:
    try:
        os.link(source, copy)
    except FileNotFoundError:
        raise
    except OSError:  # another file system, or links not allowed
        shutil.copy2(source, copy)


def _finish_catalog(path: Path, activities: int) -> dict[str, Any]:
    """Check the snapshot and make it one self-contained file (rollback journal mode)."""
    conn = sqlite3.connect(path)
    try:
        check = str(conn.execute("PRAGMA integrity_check").fetchone()[0])
        if check != "ok":
            raise StoreError(f"the catalog snapshot failed its integrity check ({check})")
        conn.execute("PRAGMA journal_mode = DELETE")
        counts = {
            table: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in ("checkins", "heel_drops", "visa_a")
        }
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()
    return {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "schema_version": version,
        "activities": activities,
        **counts,
        "restore": "unzip into an empty folder and pass it as --data-dir",
    }


def _write_zip(staging: Path, ids: list[str], manifest: dict[str, Any], target: Path) -> int:
    """Written beside ``target`` and renamed over it: never half a backup under its name."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("MANIFEST.json", json.dumps(manifest, indent=2))
            zf.write(staging / "catalog.sqlite", "catalog.sqlite")
            for activity_id in ids:
                stream = staging / "streams" / f"{activity_id}.parquet"
                if stream.exists():  # Parquet is compressed already: stored as it is
                    zf.write(stream, f"streams/{stream.name}", zipfile.ZIP_STORED)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target.stat().st_size
