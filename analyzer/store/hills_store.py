"""What must stay stable about recurring hills and routes: their ids, anchors and names.

Schema version 2 (:data:`V2`) adds two tables. ``recurring_hills`` keeps each hill's id
with the start and end of the climb that first defined it; ``routes`` keeps each route's
id with the path of its first run. Names the user gives are kept beside them. The grouping
itself is computed in ``analyzer.hills`` on the rows read here; nothing here computes.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow.parquet as pq

from analyzer.errors import AnalyzerError
from analyzer.hills.recurring import ClimbRow, HillAnchor
from analyzer.hills.routes import RouteAnchor

if TYPE_CHECKING:
    from analyzer.store.catalog import Store

V2 = [
    """CREATE TABLE recurring_hills (
        id INTEGER PRIMARY KEY,              -- stable: shown as H<id>
        direction TEXT NOT NULL DEFAULT 'up',
        start_lat_deg REAL NOT NULL,         -- the first climb's start and end (anchor)
        start_lon_deg REAL NOT NULL,
        end_lat_deg REAL NOT NULL,
        end_lon_deg REAL NOT NULL,
        name TEXT,                           -- given by the user; NULL: a generated name
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE routes (
        id INTEGER PRIMARY KEY,              -- stable: shown as R<id>
        path_json TEXT NOT NULL,             -- [[lat, lon], ...] of the first run, every ~10 m
        name TEXT,                           -- given by the user
        created_at TEXT NOT NULL
    )""",
]

_TRACK_COLUMNS = ["lat_deg", "lon_deg", "distance_m"]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def hill_anchors(store: Store) -> list[HillAnchor]:
    rows = store.conn.execute(
        "SELECT id, start_lat_deg, start_lon_deg, end_lat_deg, end_lon_deg, name"
        " FROM recurring_hills ORDER BY id"
    )
    return [HillAnchor(int(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in rows]


def route_anchors(store: Store) -> list[RouteAnchor]:
    rows = store.conn.execute("SELECT id, path_json, name FROM routes ORDER BY id")
    out = []
    for rid, path, name in rows:
        points = np.asarray(json.loads(path), dtype=float).reshape(-1, 2)
        out.append(RouteAnchor(int(rid), points[:, 0], points[:, 1], name))
    return out


def max_ids(store: Store) -> tuple[int, int]:
    """The highest hill and route ids stored (0 when none)."""
    h = store.conn.execute("SELECT coalesce(max(id), 0) FROM recurring_hills").fetchone()[0]
    r = store.conn.execute("SELECT coalesce(max(id), 0) FROM routes").fetchone()[0]
    return int(h), int(r)


def save_anchors(
    store: Store,
    hills: list[HillAnchor],
    routes: list[RouteAnchor],
    expected: tuple[int, int],
) -> bool:
    """Add new anchors in one transaction, if no other process added any since the
    caller read ``expected`` (:func:`max_ids`); False (nothing written) otherwise."""
    if not hills and not routes:
        return True
    with store.transaction() as conn:
        if max_ids(store) != expected:
            return False
        now = _now()
        conn.executemany(
            "INSERT INTO recurring_hills (id, start_lat_deg, start_lon_deg, end_lat_deg,"
            " end_lon_deg, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [(a.hill_id, a.start_lat, a.start_lon, a.end_lat, a.end_lon, now) for a in hills],
        )
        conn.executemany(
            "INSERT INTO routes (id, path_json, created_at) VALUES (?, ?, ?)",
            [(a.route_id, _path_json(a), now) for a in routes],
        )
    return True


def _path_json(anchor: RouteAnchor) -> str:
    points = [
        [round(float(a), 6), round(float(b), 6)]
        for a, b in zip(anchor.lat, anchor.lon, strict=True)
    ]
    return json.dumps(points, separators=(",", ":"))


def rename(store: Store, kind: str, ident: int, name: str | None) -> None:
    """Give hill or route ``ident`` a name (None or blank: back to the generated one)."""
    table = {"hill": "recurring_hills", "route": "routes"}[kind]
    clean = (name or "").strip() or None
    with store.transaction() as conn:
        cur = conn.execute(f"UPDATE {table} SET name = ? WHERE id = ?", (clean, ident))
    if not cur.rowcount:
        raise AnalyzerError(
            f"no {kind} with id {'H' if kind == 'hill' else 'R'}{ident}; "
            "`analyzer hills` lists the ids"
        )


def climb_rows(store: Store) -> list[ClimbRow]:
    """Every stored uphill segment with a position, with its run's local date."""
    sql = (
        "SELECT h.activity_id, h.idx, a.local_date, h.start_lat_deg, h.start_lon_deg,"
        " h.end_lat_deg, h.end_lon_deg, h.start_distance_m, h.length_m, h.gain_m,"
        " h.grade_avg_pct, h.grade_max_pct, h.score, h.walked, h.heart_rate_avg_bpm"
        " FROM hills h JOIN activities a ON a.id = h.activity_id"
        " WHERE coalesce(h.kind, 'up') = 'up' AND h.start_lat_deg IS NOT NULL"
        " AND h.end_lat_deg IS NOT NULL ORDER BY a.start_epoch_s, h.idx"
    )
    return [_climb(r) for r in store.conn.execute(sql)]


def _climb(r: sqlite3.Row | tuple[Any, ...]) -> ClimbRow:
    return ClimbRow(
        activity_id=r[0],
        idx=int(r[1]),
        local_date=r[2],
        start_lat=r[3],
        start_lon=r[4],
        end_lat=r[5],
        end_lon=r[6],
        start_distance_m=r[7] or 0.0,
        length_m=r[8] or 0.0,
        gain_m=r[9] or 0.0,
        grade_avg_pct=r[10] or 0.0,
        grade_max_pct=r[11] or 0.0,
        score=r[12] or 0.0,
        walked=bool(r[13]),
        heart_rate_avg_bpm=r[14],
    )


def run_rows(store: Store) -> list[tuple[str, str, float, float | None]]:
    """(activity id, local date, distance m, ascent m) of every stored activity, oldest first
    (whatever its sport: the caller picks the runs)."""
    rows = store.conn.execute(
        "SELECT id, local_date, distance_m, ascent_m FROM activities ORDER BY start_epoch_s"
    )
    return [(r[0], r[1], float(r[2]), r[3]) for r in rows]


def track_points(store: Store, activity_id: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Latitude, longitude (degrees) and distance (m) of one stored stream, as recorded."""
    path = store.stream_path(activity_id)
    try:
        table = pq.read_table(path, columns=_TRACK_COLUMNS)
    except (OSError, ValueError) as exc:
        raise AnalyzerError(
            f"{path}: cannot read the stream ({exc}); read its source file again with "
            "analyzer import --reread (analyzer doctor names it)"
        ) from exc
    lat, lon, dist = (
        np.asarray(table.column(c).to_numpy(zero_copy_only=False), dtype=float)
        for c in _TRACK_COLUMNS
    )
    return lat, lon, dist
