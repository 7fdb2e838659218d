"""FIT activities through fitparse, the reference decoder.

Decoding yields a :class:`FitMessages` (record arrays plus the few other messages
needed); :func:`build_activities` turns that into activities. The fast decoder in
``fit_fast.py`` produces the same ``FitMessages``, so both paths share every rule below.
"""

from __future__ import annotations

import io
import os
import struct
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import fitparse
import numpy as np
import pandas as pd
from fitparse.utils import FitCRCError, FitEOFError, FitHeaderError, FitParseError

from analyzer import geo
from analyzer.errors import NotAnActivity, UnreadableFile
from analyzer.importers.damage import Damage
from analyzer.schema import (
    MAX_RECORD_GAP_S,
    Activity,
    Device,
    Lap,
    Pause,
    build_frame,
    clean_heart_rate,
    clean_position,
    one_recording,
    to_utc,
    validate,
)

SEMICIRCLE_DEG = 180.0 / 2**31
COUNTER_SLACK_M = 1.0  # a continued distance counter may restart this far before its end

#: record fields kept, in the order the fast decoder must also produce them
RECORD_FIELDS = (
    "timestamp",
    "position_lat",
    "position_long",
    "altitude",
    "enhanced_altitude",
    "distance",
    "speed",
    "enhanced_speed",
    "heart_rate",
    "cadence",
    "fractional_cadence",
    "power",
)

#: sports whose FIT cadence is not steps (pedal or stroke rate): no cadence_spm for them
NON_STEP_SPORTS = frozenset(
    {
        "cycling",
        "e_biking",
        "swimming",
        "rowing",
        "paddling",
        "stand_up_paddleboarding",
        "kayaking",
        "rafting",
        "sailing",
        "motorcycling",
        "driving",
        "flying",
    }
)

CRC_WARNING = "CRC does not match: the file may be damaged; kept what was read"
#: the damage of CRC_WARNING alone, where ``--damaged strict`` refuses the file
CRC_PROBLEM = "the CRC does not match"


def crc_damage() -> Damage:
    """CRC_WARNING, marked as damage (both decoders keep a file whose CRC fails)."""
    return Damage(CRC_WARNING, CRC_PROBLEM)


TIMER_STOPS = frozenset({"stop", "stop_all", "stop_disable", "stop_disable_all"})


@dataclass
class FitMessages:
    """What an activity needs from a FIT file, decoder-independent.

    ``records`` maps each of RECORD_FIELDS to a float array (NaN = invalid/absent),
    scaled to profile units; ``timestamp`` is seconds since the Unix epoch (UTC).
    Other messages are plain dicts of profile-named, scaled values.
    """

    records: dict[str, np.ndarray]
    file_id: dict[str, Any] | None = None
    sessions: list[dict[str, Any]] = field(default_factory=list)
    laps: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    device_infos: list[dict[str, Any]] = field(default_factory=list)
    activity: dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)


#: ``--decoder`` choices; "fast" falls back to fitparse on anything it does not handle
DECODERS = ("fast", "fitparse")
DECODER_ENV = "ANALYZER_FIT_DECODER"


def read(path: Path, decoder: str | None = None) -> list[Activity]:
    return read_bytes(Path(path).read_bytes(), str(path), decoder)


def read_bytes(data: bytes, name: str, decoder: str | None = None) -> list[Activity]:
    """``decoder``: "fast" or "fitparse"; default $ANALYZER_FIT_DECODER, else "fast"."""
    return build_activities(decode(data, name, decoder), name)


def decode(data: bytes, name: str, decoder: str | None = None) -> FitMessages:
    """The file's messages through the chosen decoder.

    The fast decoder declines damaged or unusual files; fitparse then reads them, so
    they keep its partial-read warnings. A normal fallback adds no warning:
    ``fit_fast.why_not`` says why it happened.
    """
    choice = decoder or os.environ.get(DECODER_ENV) or "fast"
    if choice not in DECODERS:
        raise ValueError(f"unknown FIT decoder {choice!r}; expected one of {DECODERS}")
    check_header(data, name)
    msgs = _decode_choice(data, name, choice)
    if any(MISALIGNED in w for w in msgs.warnings):
        from analyzer.importers.fit_repair import realign

        repaired = realign(data)
        if repaired is not None:
            msgs = _decode_choice(repaired.data, name, choice)
            # not Damage: the device writes every file so, and the whole file is read
            msgs.warnings.insert(
                0,
                f"{repaired.fields} field definition(s) declare a size that does not fit "
                "their type; those fields were read as raw bytes",
            )
    return msgs


SIGNATURE = b".FIT"  # bytes 8-11 of the 12- or 14-byte header of every FIT file
HEADER_MIN = 12


def check_header(data: bytes, name: str) -> None:
    """UnreadableFile where ``data`` is not a FIT file at all: its header does not say
    ``.FIT`` (bytes 8-11), so it is another kind of file under a .fit name; or it ends
    inside a header that starts like one (a FIT file cut short)."""
    if len(data) >= HEADER_MIN and data[0] >= HEADER_MIN and data[8:12] == SIGNATURE:
        return
    if len(data) < HEADER_MIN and data[:1] in (b"\x0c", b"\x0e") and SIGNATURE.startswith(data[8:]):
        raise UnreadableFile(name, "the file is truncated (it ends inside the FIT header)")
    problem = "not a FIT file: its header does not say FIT"
    if data.lstrip()[:1] == b"<":
        problem += " (it looks like XML: a GPX or TCX file named .fit?)"
    else:
        problem += " (a file of another kind named .fit?)"
    raise UnreadableFile(name, problem)


#: fitparse's words for a field whose size is not a multiple of its type's size
MISALIGNED = "Invalid field size"


def _decode_choice(data: bytes, name: str, choice: str) -> FitMessages:
    if choice == "fast":
        from analyzer.importers import fit_fast  # it imports this module

        msgs = fit_fast.decode(data)
        if msgs is not None:
            return msgs
    return decode_fitparse(data, name)


# --------------------------------------------------------------------------- decoding


def _epoch_s(value: Any) -> float:
    if isinstance(value, datetime):
        return to_utc(value).timestamp()
    return np.nan


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """Drop unknown and absent fields; keep the rest as fitparse scaled them."""
    return {k: v for k, v in values.items() if v is not None and not k.startswith("unknown_")}


def decode_fitparse(data: bytes, name: str) -> FitMessages:
    """Decode with fitparse, keeping every message read before any damage.

    A CRC mismatch is only known once the damaged part has been read, so the file is
    then read again without the check, and kept with a warning.
    """
    try:
        return _decode_once(data, name, check_crc=True)
    except FitCRCError:
        out = _decode_once(data, name, check_crc=False)
        out.warnings.insert(0, crc_damage())
        return out


def _decode_once(data: bytes, name: str, check_crc: bool) -> FitMessages:
    columns: dict[str, list[float]] = {f: [] for f in RECORD_FIELDS}
    out = FitMessages(records={})
    try:
        fit = fitparse.FitFile(io.BytesIO(data), check_crc=check_crc)
        for message in fit.get_messages():
            _collect(message, columns, out)
    except FitCRCError:
        raise
    except FitEOFError:
        _damaged(out, columns, name, "the file is truncated (unexpected end of file)")
    except FitHeaderError as exc:
        _damaged(out, columns, name, f"invalid FIT header ({exc})")
    except (FitParseError, ValueError, KeyError, IndexError, TypeError, struct.error) as exc:
        _damaged(out, columns, name, f"damaged FIT data ({exc})")
    out.records = {k: np.asarray(v, dtype="float64") for k, v in columns.items()}
    return out


def _damaged(out: FitMessages, columns: dict[str, list[float]], name: str, problem: str) -> None:
    """Nothing read yet: the file is unreadable. Otherwise keep what was read, and warn."""
    if not columns["timestamp"] and out.file_id is None:
        raise UnreadableFile(name, problem)
    count = len(columns["timestamp"])
    out.warnings.append(Damage(f"{problem}; kept the {count} records read before it", problem))


def _collect(message: Any, columns: dict[str, list[float]], out: FitMessages) -> None:
    kind = message.name
    if kind == "record":
        values = message.get_values()
        for f in RECORD_FIELDS:
            v = values.get(f)
            if f == "timestamp":
                columns[f].append(_epoch_s(v))
            else:
                columns[f].append(np.nan if v is None or isinstance(v, str | tuple) else float(v))
        return
    handlers = {
        "file_id": lambda v: setattr(out, "file_id", out.file_id or v),
        "session": out.sessions.append,
        "lap": out.laps.append,
        "event": out.events.append,
        "device_info": out.device_infos.append,
        "activity": lambda v: setattr(out, "activity", v),
    }
    handler = handlers.get(kind)
    if handler is not None:
        handler(_plain(message.get_values()))


# --------------------------------------------------------------------- building


def build_activities(msgs: FitMessages, name: str) -> list[Activity]:
    """One Activity per session, each with its own slice of the records."""
    file_type = (msgs.file_id or {}).get("type")
    if file_type is not None and file_type != "activity":
        raise NotAnActivity(name, str(file_type))
    times = msgs.records.get("timestamp", np.array([]))
    if times.size == 0 or not np.isfinite(times).any():
        if file_type is None:
            raise UnreadableFile(name, "no FIT file_id and no records: not an activity file")
        raise UnreadableFile(name, "the activity holds no records")

    sessions = sorted(msgs.sessions, key=lambda s: _epoch_s(s.get("start_time")))
    bounds = _session_bounds(sessions, times)
    device = _device(msgs)
    offset = _utc_offset(msgs.activity)
    pauses = _pauses(msgs.events)
    activities = []
    counter_end: float | None = None  # the distance counter where the last session ended
    for index, (lo, hi) in enumerate(bounds):
        session = sessions[index] if sessions else None
        sport = _text((session or {}).get("sport")) or _text(_first(msgs, "sport"))
        keep = (times >= lo) & (times < hi)
        stray = _stray_records(times, keep, session)
        frame = _frame(msgs.records, keep & ~stray, sport)
        if frame.empty:
            continue
        frame, counter_end = _own_distance(frame, counter_end)
        # last, after distance and speed were filled in and measured from the session's
        # start: the frame returned is the one checked (STYLE rule 5)
        frame = validate(frame)
        warnings = list(msgs.warnings)
        if stray.any():
            warnings.append(_stray_warning(name, index, times[stray]))
        if not sessions:
            warnings.append("no session message: the device summary is missing")
        activities.append(
            Activity(
                frame=frame,
                source_path=name,
                source_format="fit",
                session_index=index,
                sport=sport,
                sub_sport=_text((session or {}).get("sub_sport")),
                device=device,
                utc_offset_s=offset,
                altitude_source="none" if frame["altitude_m"].isna().all() else "unknown",
                pauses=[p for p in pauses if lo <= p.start.timestamp() < hi],
                laps=_laps(msgs.laps, lo, hi),
                device_summary=summary_dict(session) if session else None,
                warnings=warnings,
            )
        )
    if not activities:
        raise UnreadableFile(name, "no record falls inside any session")
    return activities


def _own_distance(
    frame: pd.DataFrame, counter_end: float | None
) -> tuple[pd.DataFrame, float | None]:
    """The session's distance from its own start, and where the device's counter ended.

    Some multisport files run one distance counter on across their sessions (a Garmin
    triathlon: the run's records start at 42.7 km, where the ride ended); others restart
    it at each session (the fenix 2). A session whose counter starts where the previous
    one ended, or later, is measured from that end, so it counts only its own metres.
    """
    d = frame["distance_m"].to_numpy()
    known = d[np.isfinite(d)]
    if known.size == 0:
        return frame, counter_end
    end = float(known[-1])
    if counter_end is not None and counter_end > 0 and known[0] >= counter_end - COUNTER_SLACK_M:
        frame = frame.assign(distance_m=np.clip(d - counter_end, 0.0, None))
    return frame, end


def _stray_records(
    times: np.ndarray, keep: np.ndarray, session: dict[str, Any] | None
) -> np.ndarray:
    """The records of a session (``keep``) that its clock cannot have written: those
    more than a day (or the session's own elapsed time, if longer) from the recording
    that holds the session's start. A damaged record decoded as 2085 is one."""
    stray = np.zeros(times.size, dtype=bool)
    rows = np.flatnonzero(keep)
    if rows.size < 2:
        return stray
    elapsed = (session or {}).get("total_elapsed_time")
    span = float(elapsed) if isinstance(elapsed, int | float) and np.isfinite(elapsed) else 0.0
    start = _epoch_s((session or {}).get("start_time"))
    stray[rows[~one_recording(times[rows], start, max(MAX_RECORD_GAP_S, span))]] = True
    return stray


def _stray_warning(name: str, index: int, times: np.ndarray) -> str:
    days = sorted({str(d.date()) for d in pd.to_datetime(times, unit="s", utc=True)})
    dated = days[0] if len(days) == 1 else f"{days[0]} to {days[-1]}"
    return (
        f"{name}: dropped {times.size} record(s) of session {index} dated {dated}, more "
        "than a day from the rest of its recording (a damaged or reset clock)"
    )


def _first(msgs: FitMessages, key: str) -> Any:
    for s in msgs.sessions:
        if s.get(key) is not None:
            return s[key]
    return None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _session_bounds(sessions: list[dict[str, Any]], times: np.ndarray) -> list[tuple[float, float]]:
    """[start, next start) per session; the first starts at -inf and the last ends at +inf."""
    if not sessions:
        return [(-np.inf, np.inf)]
    starts = [_epoch_s(s.get("start_time")) for s in sessions]
    starts = [s if np.isfinite(s) else -np.inf for s in starts]
    edges = [-np.inf, *starts[1:], np.inf]
    return list(zip(edges[:-1], edges[1:], strict=True))


def _frame(records: dict[str, np.ndarray], keep: np.ndarray, sport: str | None) -> pd.DataFrame:
    r = {k: v[keep] for k, v in records.items()}
    lat, lon = clean_position(
        r["position_lat"] * SEMICIRCLE_DEG, r["position_long"] * SEMICIRCLE_DEG
    )
    altitude = np.where(np.isfinite(r["enhanced_altitude"]), r["enhanced_altitude"], r["altitude"])
    speed = np.where(np.isfinite(r["enhanced_speed"]), r["enhanced_speed"], r["speed"])
    if sport in NON_STEP_SPORTS:
        cadence = np.full(len(speed), np.nan)
    else:
        cadence = 2.0 * (r["cadence"] + np.nan_to_num(r["fractional_cadence"]))
    times = pd.to_datetime(r["timestamp"], unit="s", utc=True)
    frame = build_frame(
        times,
        {
            "lat_deg": lat,
            "lon_deg": lon,
            "altitude_m": altitude,
            "distance_m": r["distance"],
            "speed_mps": speed,
            "heart_rate_bpm": clean_heart_rate(r["heart_rate"]),
            "cadence_spm": cadence,
            "power_w": r["power"],
        },
    )
    return geo.fill_distance_speed(frame)


def _device(msgs: FitMessages) -> Device:
    fid = msgs.file_id or {}
    creator = next((d for d in msgs.device_infos if d.get("device_index") in ("creator", 0)), {})
    manufacturer = manufacturer_label(fid.get("manufacturer") or creator.get("manufacturer"))
    product_name = fid.get("product_name") or creator.get("product_name")
    product = product_name or fid.get("garmin_product") or fid.get("product")
    serial = fid.get("serial_number") or creator.get("serial_number")
    software = creator.get("software_version")
    return Device(
        manufacturer=manufacturer,
        product=product_label(manufacturer, product),
        serial_number=_text(serial),
        software_version=_text(software),
    )


def manufacturer_label(value: Any) -> str | None:
    """Manufacturer ids newer than fitparse's profile (COROS is 294) named from Garmin's."""
    if isinstance(value, int):
        from garmin_fit_sdk import Profile

        return str(Profile["types"]["manufacturer"].get(value, value))
    return _text(value)


def product_label(manufacturer: str | None, product: Any) -> str | None:
    """Garmin product numbers become names from Garmin's own FIT SDK profile."""
    if product is None:
        return None
    if isinstance(product, int | float) and manufacturer in (
        "garmin",
        "dynastream",
        "dynastream_oem",
    ):
        from garmin_fit_sdk import Profile  # large profile table: load only when needed

        name = Profile["types"]["garmin_product"].get(int(product))
        if name:
            return str(name)
    return str(product)


def _utc_offset(activity: dict[str, Any] | None) -> int | None:
    if not activity:
        return None
    local, utc = activity.get("local_timestamp"), activity.get("timestamp")
    if not isinstance(local, datetime) or not isinstance(utc, datetime):
        return None
    seconds = (local.replace(tzinfo=None) - utc.replace(tzinfo=None)).total_seconds()
    if abs(seconds) > 14 * 3600:
        return None
    return int(round(seconds / 900.0) * 900)  # time zones are whole quarter hours


def _pauses(events: list[dict[str, Any]]) -> list[Pause]:
    pauses: list[Pause] = []
    stopped_at: pd.Timestamp | None = None
    for event in sorted(events, key=lambda e: _epoch_s(e.get("timestamp"))):
        if event.get("event") != "timer" or not isinstance(event.get("timestamp"), datetime):
            continue
        when = to_utc(event["timestamp"])
        kind = event.get("event_type")
        if kind in TIMER_STOPS and stopped_at is None:
            stopped_at = when
        elif kind == "start" and stopped_at is not None:
            if when > stopped_at:
                pauses.append(Pause(start=stopped_at, end=when))
            stopped_at = None
    return pauses


def _laps(laps: list[dict[str, Any]], lo: float, hi: float) -> list[Lap]:
    out = []
    for lap in laps:
        start = lap.get("start_time")
        if not isinstance(start, datetime) or not lo <= _epoch_s(start) < hi:
            continue
        elapsed = lap.get("total_elapsed_time")
        end = lap.get("timestamp")
        start_ts = to_utc(start)
        if isinstance(elapsed, int | float):
            end_ts = start_ts + pd.Timedelta(seconds=float(elapsed))
        elif isinstance(end, datetime):
            end_ts = to_utc(end)
        else:
            end_ts = start_ts
        out.append(Lap(start=start_ts, end=end_ts, device_summary=summary_dict(lap)))
    return out


SEMICIRCLE_KEYS = ("_lat", "_long")


def summary_dict(values: dict[str, Any]) -> dict[str, Any]:
    """A session or lap message as JSON-ready SI values (positions in degrees)."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, datetime):
            out[key] = to_utc(value).isoformat()
        elif isinstance(value, tuple):
            if any(v is not None for v in value):
                out[key] = list(value)
        elif key.endswith(SEMICIRCLE_KEYS) and isinstance(value, int):
            out[key] = value * SEMICIRCLE_DEG
        elif isinstance(value, int | float | str | bool):
            out[key] = value
    return out
