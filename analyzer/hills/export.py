"""GPX 1.1 for the watch: a waypoint at the foot of each flagged hill, and a route's path
as a track, so the watch can load it as a course with alerts.

Written with ElementTree (every name escaped), in the element order the GPX 1.1 schema
requires (``metadata``, ``wpt``..., ``trk``; inside ``wpt``: ``name``, ``desc``, ``sym``,
``type``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from xml.etree import ElementTree as ET

from analyzer.hills.overview import fmt_hill_length, hill_key
from analyzer.hills.recurring import RecurringHill
from analyzer.hills.routes import Route

GPX_NS = "http://www.topografix.com/GPX/1/1"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{GPX_NS} http://www.topografix.com/GPX/1/1/gpx.xsd"
CREATOR = "analyzer"


def whole_percent(grade_pct: float) -> str:
    """``5%`` for a 4.5% grade: the grade as the hills page shows it (one decimal), then
    rounded half up. Python's own rounding goes half to even (4.5 -> 4), and rounding the
    raw value can differ from the decimal shown (4.46 -> 4 beside "4.5%")."""
    if not math.isfinite(grade_pct):
        return "–"
    shown = Decimal(f"{grade_pct:.1f}")
    return f"{shown.quantize(Decimal(1), rounding=ROUND_HALF_UP)}%"


def waypoint_name(hill: RecurringHill, units: str) -> str:
    """``Walk: Hill 2 (8%, for 0.13 mi)``: walk the hill, of that average grade, for its
    length from the waypoint at its foot, in the units of the hills list (feet below a
    tenth of a mile). "for" because on a watch a bare ``649 ft`` beside a waypoint reads
    as an altitude or as the distance to it."""
    length = fmt_hill_length(hill.length_m, units)
    return f"Walk: {hill.label} ({whole_percent(hill.grade_avg_pct)}, for {length})"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{GPX_NS}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def _coord(value: float) -> str:
    return f"{value:.6f}"


def gpx_document(
    hills: Sequence[RecurringHill],
    units: str,
    route: Route | None = None,
    now: datetime | None = None,
) -> str:
    """The GPX text: one waypoint per flagged hill in ``hills``; ``route`` as a track."""
    ET.register_namespace("", GPX_NS)
    ET.register_namespace("xsi", XSI_NS)
    root = ET.Element(
        f"{{{GPX_NS}}}gpx",
        {"version": "1.1", "creator": CREATOR, f"{{{XSI_NS}}}schemaLocation": SCHEMA_LOCATION},
    )
    meta = _sub(root, "metadata")
    _sub(meta, "name", f"Hills to walk{f' on {route.label}' if route else ''}")
    _sub(meta, "desc", "Waypoints at the foot of hills flagged 'walk'. Not medical advice.")
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    _sub(meta, "time", stamp.isoformat().replace("+00:00", "Z"))
    for hill in hills:
        if not hill.flagged:
            continue
        wpt = _sub(root, "wpt", lat=_coord(hill.foot_lat), lon=_coord(hill.foot_lon))
        _sub(wpt, "name", waypoint_name(hill, units))
        rules = "; ".join(f.text for f in hill.flags)
        _sub(wpt, "desc", f"{hill_key(hill.hill_id)} {hill.name}: walk it ({rules})")
        _sub(wpt, "sym", "Flag, Red")
        _sub(wpt, "type", "walk")
    if route is not None and len(route.lat):
        trk = _sub(root, "trk")
        _sub(trk, "name", route.label)
        seg = _sub(trk, "trkseg")
        for lat, lon in zip(route.lat, route.lon, strict=True):
            _sub(seg, "trkpt", lat=_coord(float(lat)), lon=_coord(float(lon)))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
