"""Per-second frames as Parquet: ``streams/<activity-id>.parquet``.

Every file has the same schema (``activity_id``, ``time``, then the canonical columns), so
DuckDB, Dask or Spark read ``streams/*.parquet`` as one dataset. The activity's metadata
(sport, device, UTC offset, pauses, laps, the device's summary) rides in the file's
key-value metadata, so an :class:`~analyzer.schema.Activity` can be rebuilt from the
stream alone and analysed again without the source file.
"""

from __future__ import annotations

import json
import os
import uuid
from contextlib import suppress
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analyzer.errors import DiskFull, StoreError, is_disk_full
from analyzer.jsonable import dumps
from analyzer.schema import COLUMNS, INDEX, Activity, Device, Lap, Pause, validate

META_KEY = b"analyzer.activity"
_MISSING = "stream {path} is missing; read its source file again with analyzer import --reread"
_DAMAGED = (
    "stream {path} is damaged ({exc}); read its source file again with analyzer import --reread"
)
FORMAT_VERSION = 1
TMP_SUFFIX = ".tmp"

SCHEMA = pa.schema(
    [
        pa.field("activity_id", pa.string(), nullable=False),
        pa.field(INDEX, pa.timestamp("ns", tz="UTC"), nullable=False),
        *[pa.field(name, pa.float64()) for name in COLUMNS],
    ]
)


def metadata_of(activity: Activity) -> dict[str, Any]:
    """Everything but the frame that ``analyse`` may need, as plain JSON values."""
    return {
        "format_version": FORMAT_VERSION,
        "activity_id": activity.activity_id,
        "source_path": activity.source_path,
        "source_format": activity.source_format,
        "session_index": activity.session_index,
        "source_hash": activity.source_hash,
        "sport": activity.sport,
        "sub_sport": activity.sub_sport,
        "name": activity.name,
        "device": {
            "manufacturer": activity.device.manufacturer,
            "product": activity.device.product,
            "serial_number": activity.device.serial_number,
            "software_version": activity.device.software_version,
        },
        "utc_offset_s": activity.utc_offset_s,
        "altitude_source": activity.altitude_source,
        "pauses": [[p.start, p.end] for p in activity.pauses],
        "laps": [
            {"start": lap.start, "end": lap.end, "device_summary": lap.device_summary}
            for lap in activity.laps
        ],
        "device_summary": activity.device_summary,
        "warnings": list(activity.warnings),
    }


def to_table(activity: Activity) -> pa.Table:
    frame = activity.frame
    arrays: list[pa.Array] = [
        pa.array([activity.activity_id] * len(frame), type=pa.string()),
        pa.array(pd.DatetimeIndex(frame.index).as_unit("ns"), type=pa.timestamp("ns", tz="UTC")),
    ]
    arrays += [pa.array(frame[name].to_numpy(), type=pa.float64()) for name in COLUMNS]
    table = pa.Table.from_arrays(arrays, schema=SCHEMA)
    return table.replace_schema_metadata({META_KEY: dumps(metadata_of(activity)).encode()})


#: zstd; dictionary encoding only for the repeated ``activity_id``: per-second floats
#: come out smaller and faster without it
WRITE_OPTIONS: dict[str, Any] = {"compression": "zstd", "use_dictionary": ["activity_id"]}


def encode_stream(activity: Activity) -> bytes:
    """The activity's stream file as bytes: a worker process encodes, the writer writes."""
    sink = pa.BufferOutputStream()
    pq.write_table(to_table(activity), sink, **WRITE_OPTIONS)
    return bytes(sink.getvalue())


def write_stream(
    path: Path, activity: Activity, durable: bool = True, encoded: bytes | None = None
) -> Path:
    """Write the activity's frame to ``path`` atomically: a temp file, then ``os.replace``.

    A reader never sees half a file; a crash leaves at most a ``*.tmp`` file behind.
    ``encoded``: the file's bytes from :func:`encode_stream`, where a worker made them.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.{uuid.uuid4().hex[:8]}{TMP_SUFFIX}")
    try:
        if encoded is None:
            pq.write_table(to_table(activity), tmp, **WRITE_OPTIONS)
        else:
            tmp.write_bytes(encoded)
        if durable:
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with suppress(OSError):  # a read-only disk refuses even this
            tmp.unlink(missing_ok=True)
        if is_disk_full(exc):
            raise DiskFull(f"stream {path}") from exc
        raise StoreError(f"cannot write stream {path} ({exc.strerror or exc})") from exc
    return path


def read_frame(path: Path) -> pd.DataFrame:
    """The canonical frame of one stream file (schema-validated)."""
    table = _read_table(path)
    df = table.drop(["activity_id"]).to_pandas()
    df = df.set_index(INDEX)
    df.index = pd.DatetimeIndex(df.index, name=INDEX).as_unit("ns")
    return validate(df[list(COLUMNS)])


def read_metadata(path: Path) -> dict[str, Any]:
    try:
        meta = pq.read_schema(path).metadata or {}
    except FileNotFoundError as exc:
        raise StoreError(_MISSING.format(path=path)) from exc
    except (OSError, pa.ArrowException) as exc:
        raise StoreError(_DAMAGED.format(path=path, exc=exc)) from exc
    raw = meta.get(META_KEY)
    if raw is None:
        raise StoreError(f"{path}: stream without activity metadata; re-import its file")
    value: dict[str, Any] = json.loads(raw)
    return value


def read_activity(path: Path) -> Activity:
    """Rebuild the :class:`Activity` that was stored, without its source file."""
    meta = read_metadata(path)
    frame = read_frame(path)
    device = Device(**{k: v for k, v in (meta.get("device") or {}).items() if v is not None})
    return Activity(
        frame=frame,
        source_path=meta["source_path"],
        source_format=meta["source_format"],
        session_index=int(meta.get("session_index") or 0),
        source_hash=meta.get("source_hash"),
        sport=meta.get("sport"),
        sub_sport=meta.get("sub_sport"),
        name=meta.get("name"),
        device=device,
        utc_offset_s=meta.get("utc_offset_s"),
        altitude_source=meta.get("altitude_source") or "unknown",
        pauses=[Pause(_ts(a), _ts(b)) for a, b in meta.get("pauses") or []],
        laps=[
            Lap(_ts(lap["start"]), _ts(lap["end"]), lap.get("device_summary") or {})
            for lap in meta.get("laps") or []
        ],
        device_summary=meta.get("device_summary"),
        warnings=list(meta.get("warnings") or []),
    )


def _ts(value: str) -> pd.Timestamp:
    ts = pd.Timestamp(value)
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def _read_table(path: Path) -> pa.Table:
    try:
        return pq.read_table(path)
    except FileNotFoundError as exc:
        raise StoreError(_MISSING.format(path=path)) from exc
    except (OSError, pa.ArrowException) as exc:
        raise StoreError(_DAMAGED.format(path=path, exc=exc)) from exc


def leftover_temp_files(directory: Path) -> list[Path]:
    """Temp files a killed writer left behind."""
    if not directory.is_dir():
        return []
    return sorted(directory.glob(f".*{TMP_SUFFIX}"))
