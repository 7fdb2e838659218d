"""Local time of an activity: one rule for every place that shows or groups by it.

An activity's local time is its UTC start plus the file's own UTC offset where the file
recorded one (FIT's activity message has ``local_timestamp``); otherwise the UTC start
converted in the profile's IANA time zone, so summer time is the zone's rule, not a
guess. GPX and TCX carry no offset. The local date decides which morning's check-in
follows a run and which ISO week a run falls in.

``local_start`` is the rule for one start; ``local_starts`` is the same rule over a
pandas column, for the weekly tables (``tests/test_localtime.py`` holds them equal).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from analyzer.errors import InvalidEntry


def zone(tz: str) -> ZoneInfo:
    """The IANA time zone ``tz``; InvalidEntry if unknown."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: "Europe", a folder
        meant = _zones_named(tz)
        hint = f": {' or '.join(meant)}?" if meant else " like Europe/London"
        raise InvalidEntry("timezone", f"unknown time zone {tz!r}; use an IANA name{hint}") from exc


def _zones_named(city: str) -> list[str]:
    """The IANA zones whose last part is ``city`` (``Berlin``: Europe/Berlin), any case;
    at most three."""
    from zoneinfo import available_timezones

    want = city.strip().replace(" ", "_").lower()
    if not want or "/" in want:
        return []
    found = sorted(z for z in available_timezones() if z.rsplit("/", 1)[-1].lower() == want)
    return found[:3]


def _zone_of(utc_offset_s: int | None, tz: str | None) -> tzinfo:
    if utc_offset_s is not None:
        return timezone(timedelta(seconds=utc_offset_s))
    return zone(tz) if tz else UTC


def local_start(start_time: str | datetime, utc_offset_s: int | None, tz: str | None) -> datetime:
    """The aware local start: the file's offset, else the zone ``tz``, else UTC."""
    start = datetime.fromisoformat(start_time) if isinstance(start_time, str) else start_time
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    return start.astimezone(_zone_of(utc_offset_s, tz))


def local_date(start_time: str | datetime, utc_offset_s: int | None, tz: str) -> str:
    """``YYYY-MM-DD`` of the local start."""
    return local_start(start_time, utc_offset_s, tz).date().isoformat()


def offset_s_in(start: pd.Timestamp, tz: str) -> int | None:
    """The UTC offset (s) of the zone ``tz`` at the instant ``start``."""
    offset = start.tz_convert(zone(tz)).utcoffset()
    return int(offset.total_seconds()) if offset is not None else None


def local_starts(start_utc: pd.Series, offsets_s: pd.Series, tz: str) -> pd.Series:
    """Naive local start times of a column of UTC starts, by ``local_start``'s rule."""
    utc = pd.to_datetime(start_utc, utc=True)
    by_zone = utc.dt.tz_convert(zone(tz)).dt.tz_localize(None)
    by_offset = utc.dt.tz_localize(None) + pd.to_timedelta(offsets_s.fillna(0), unit="s")
    return by_offset.where(offsets_s.notna(), by_zone).astype("datetime64[ns]")
