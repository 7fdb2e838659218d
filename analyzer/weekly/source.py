"""Rows handed over by the store (or built in code) turned into ``Inputs`` frames."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

import numpy as np
import pandas as pd

from analyzer.errors import AnalyzerError
from analyzer.metrics.speed import needs_data, speed_facts
from analyzer.settings import Settings
from analyzer.weekly.inputs import (
    ACTIVITY_COLUMNS,
    CHECKIN_COLUMNS,
    DROPS_COLUMNS,
    HILL_COLUMNS,
    VISA_COLUMNS,
    Inputs,
    conform,
)
from analyzer.weekly.sport import RUN, kinds

#: hill_exposure keys of the metrics -> flat activity columns
EXPOSURE = {
    "uphill_running_s": "uphill_run_s",
    "uphill_walking_s": "uphill_walk_s",
    "uphill_running_gain_m": "uphill_run_gain_m",
    "hills_run": "hills_run",
    "hills_walked": "hills_walked",
}


def activity_row(summary: Mapping[str, Any]) -> dict[str, Any]:
    """One activity row from an ``ActivitySummary.to_json()``-shaped dict (or a row that is
    already flat): metrics flattened, ``activity_id`` as ``id``."""
    row = dict(summary)
    row.setdefault("id", row.get("activity_id"))
    metrics = row.get("metrics")
    if isinstance(metrics, Mapping):
        row = {**metrics, **row}
    exposure = row.get("hill_exposure")
    if isinstance(exposure, Mapping):
        for key, column in EXPOSURE.items():
            row.setdefault(column, exposure.get(key))
    return {k: row.get(k) for k in ACTIVITY_COLUMNS}


def activities_frame(summaries: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    return conform(pd.DataFrame([activity_row(s) for s in summaries]), ACTIVITY_COLUMNS)


def hill_rows(activity_id: str, hills: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The uphill segments of one activity's ``hills`` list (metrics' dicts)."""
    rows = []
    for hill in hills:
        if hill.get("direction", hill.get("kind", "up")) != "up":
            continue
        row = {k: hill.get(k) for k in HILL_COLUMNS}
        row["activity_id"] = activity_id
        row["start_lat"] = hill.get("start_lat", hill.get("start_lat_deg"))
        row["start_lon"] = hill.get("start_lon", hill.get("start_lon_deg"))
        row["end_lat"] = hill.get("end_lat", hill.get("end_lat_deg"))
        row["end_lon"] = hill.get("end_lon", hill.get("end_lon_deg"))
        if row.get("end_distance_m") is None and hill.get("start_distance_m") is not None:
            row["end_distance_m"] = float(hill["start_distance_m"]) + float(
                hill.get("length_m") or 0.0
            )
        row["walked"] = bool(hill.get("walked"))
        rows.append(row)
    return rows


def hills_frame(summaries: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for s in summaries:
        aid = str(s.get("id") or s.get("activity_id"))
        hills = s.get("hills")
        if hills is None and isinstance(s.get("metrics"), Mapping):
            hills = s["metrics"].get("hills")
        rows += hill_rows(aid, hills or [])
    return conform(pd.DataFrame(rows), HILL_COLUMNS)


# --- the store ---------------------------------------------------------------------------


class StoreLike(Protocol):
    """The queries of ``analyzer.store.Store`` that weekly/ uses."""

    def settings(self) -> Settings: ...
    def activities_frame(self, since: Any = None, until: Any = None) -> pd.DataFrame: ...
    def hills_frame(self, since: Any = None, until: Any = None) -> pd.DataFrame: ...
    def checkins(self, since: Any = None, until: Any = None) -> list[Any]: ...
    def heel_drops(self, since: Any = None, until: Any = None) -> list[Any]: ...
    def visa_a(self, since: Any = None, until: Any = None) -> list[Any]: ...
    def stream_frame(self, activity_id: str) -> pd.DataFrame: ...
    def activities(self, since: Any = None, until: Any = None) -> list[Any]: ...


def checkins_frame(entries: Iterable[Any]) -> pd.DataFrame:
    """Check-in entries (``symptoms.entries.CheckIn``) as the check-in frame."""
    rows = [{k: getattr(e, k, None) for k in CHECKIN_COLUMNS} for e in entries]
    return conform(pd.DataFrame(rows), CHECKIN_COLUMNS)


def drops_frame(entries: Iterable[Any], timezone: str) -> pd.DataFrame:
    """Heel-drop sessions; the local date is the date in the offset the session was logged
    with (the runner's clock), else in the profile time zone."""
    rows = []
    for e in entries:
        t = pd.Timestamp(e.time)
        local = t.tz_localize(timezone) if t.tzinfo is None else t
        rows.append(
            {
                "time_utc": local.tz_convert("UTC"),
                "local_date": local.tz_localize(None).normalize(),
                "straight_knee_sets": e.straight_knee_sets,
                "bent_knee_sets": e.bent_knee_sets,
                "reps": e.reps,
                "added_load_kg": e.added_load_kg,
            }
        )
    return conform(pd.DataFrame(rows), DROPS_COLUMNS)


def visa_frame(results: Iterable[Any]) -> pd.DataFrame:
    rows = [{"date": r.date, "total": r.total} for r in results]
    return conform(pd.DataFrame(rows), VISA_COLUMNS)


def _store_hills(store: StoreLike) -> Callable[[list[str]], pd.DataFrame]:
    def load(ids: list[str]) -> pd.DataFrame:
        if not ids:
            return conform(None, HILL_COLUMNS)
        frame = store.hills_frame()
        frame = frame[frame["activity_id"].isin(ids) & (frame["kind"] != "down")]
        frame = frame.rename(
            columns=lambda c: c.replace("_lat_deg", "_lat").replace("_lon_deg", "_lon")
        )
        frame["end_distance_m"] = frame["start_distance_m"] + frame["length_m"]
        frame["walked"] = frame["walked"].fillna(0).astype(bool)
        return frame

    return load


def with_speed_facts(
    acts: pd.DataFrame, streams: Callable[[str], pd.DataFrame], settings: Settings
) -> pd.DataFrame:
    """``acts`` with the speed facts of ``weekly.sport`` for the activities whose file gave
    no sport, or ``generic``: those the analysis stored (``speed_facts_stored``), else
    computed from the stream with ``settings`` (summaries from before they were stored).
    The file's sport decides for the others, whose facts are NaN."""
    out = acts.copy()
    median = _column(out, "speed_median_mps")
    sustained = _column(out, "speed_sustained_mps")
    stored = (
        out["speed_facts_stored"].fillna(0).astype(bool).to_numpy()
        if "speed_facts_stored" in out.columns
        else None
    )
    sport = out["sport"] if "sport" in out.columns else pd.Series(None, index=out.index)
    silent = sport.map(needs_data).to_numpy(dtype=bool)
    median[~silent] = np.nan
    sustained[~silent] = np.nan
    for pos in np.flatnonzero(silent if stored is None else silent & ~stored):
        try:
            frame = streams(str(out["id"].iloc[pos]))
        except AnalyzerError:
            continue  # an unreadable stream: the activity counts as a run, as before
        m, s = speed_facts(frame, settings)
        median[pos] = np.nan if m is None else m
        sustained[pos] = np.nan if s is None else s
    out["speed_median_mps"] = median
    out["speed_sustained_mps"] = sustained
    return out.drop(columns=["speed_facts_stored"], errors="ignore")


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A float copy of ``frame[name]``, NaN throughout where the frame has no such column."""
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float, copy=True)


def running_ids(store: StoreLike) -> set[str]:
    """Ids of the stored activities that are runs (``weekly.sport``)."""
    acts = store.activities_frame().rename(columns={"activity_id": "id"})
    acts = with_speed_facts(acts, store.stream_frame, store.settings())
    return {str(i) for i, k in zip(acts["id"], kinds(acts), strict=True) if k == RUN}


def from_store(store: StoreLike) -> Inputs:
    """Inputs over the whole store: summaries and logs from SQLite; per-second streams
    and hills are read later, for the runs of the week shown only."""
    settings = store.settings()
    acts = store.activities_frame().rename(columns={"activity_id": "id"})
    if "altitude_source" not in acts.columns:
        # kept in the summary JSON only: read it from the stored summaries
        sources = {a.activity_id: a.summary.get("altitude_source") for a in store.activities()}
        acts["altitude_source"] = acts["id"].map(sources)
    acts = with_speed_facts(acts, store.stream_frame, settings)
    return Inputs(
        settings=settings,
        activities=acts,
        checkins=checkins_frame(store.checkins()),
        drops=drops_frame(store.heel_drops(), settings.timezone),
        visa_a=visa_frame(store.visa_a()),
        streams=store.stream_frame,
        hills_for=_store_hills(store),
    )
