"""Terminal rendering: units, durations and small tables. No computing here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

M_PER_MI = 1609.344
M_PER_FT = 0.3048


def distance(meters: float | None, units: str) -> str:
    if meters is None:
        return "-"
    if units == "km":
        return f"{meters / 1000:.2f} km"
    return f"{meters / M_PER_MI:.2f} mi"


def elevation(meters: float | None, units: str) -> str:
    if meters is None:
        return "no altitude"
    if units == "km":
        return f"{meters:.0f} m"
    return f"{meters / M_PER_FT:.0f} ft"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    s = int(round(seconds))
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def pace(seconds_per_km: float | None, units: str) -> str:
    if seconds_per_km is None:
        return "-"
    if units == "km":
        return f"{duration(seconds_per_km)} /km"
    return f"{duration(seconds_per_km * M_PER_MI / 1000)} /mi"


def local_time(iso_utc: str, offset_s: int | None) -> str:
    t = datetime.fromisoformat(iso_utc)
    if offset_s is None:
        return t.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    tz = timezone(timedelta(seconds=offset_s))
    return t.astimezone(tz).strftime("%Y-%m-%d %H:%M (UTC%z)")


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[str(h) for h in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def activity_block(a: dict[str, Any], units: str) -> str:
    """The human view of one activity of ``inspect``."""
    rows = [
        ("Sport", " / ".join(x for x in (a.get("sport"), a.get("sub_sport")) if x) or "unknown"),
        ("Device", a.get("device") or "unknown"),
        ("Start", local_time(a["start_time"], a.get("utc_offset_s"))),
        ("Elapsed", duration(a.get("elapsed_s"))),
        ("Timer", duration(a.get("timer_s"))),
        ("Distance", distance(a.get("distance_m"), units)),
        ("Points", str(a.get("points"))),
        ("Channels", ", ".join(a.get("channels", [])) or "none"),
    ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)


def inspect_report(report: dict[str, Any], units: str) -> str:
    parts = [report["file"]]
    many = len(report["activities"]) > 1
    for n, a in enumerate(report["activities"]):
        if many:
            parts.append(f"\nSession {n + 1} of {len(report['activities'])}")
        parts.append(activity_block(a, units))
    if report["warnings"]:
        parts.append("\nWarnings:")
        parts.extend(f"  - {w}" for w in report["warnings"])
    return "\n".join(parts)
