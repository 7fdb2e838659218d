"""Recurring hills in the reports: the week's crossings with compliance, map marks for
flagged hills, and ``hills.html`` listing every recurring hill and route.

Reads a ``HillsOverview`` (built from the store by ``analyzer.weekly.hills``) only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import jinja2

from analyzer.hills.overview import HillsOverview, fmt_length, hill_key, route_key
from analyzer.hills.recurring import RecurringHill
from analyzer.report.units import Units

PAGE = "hills.html"


def _how(walked: bool, flagged: bool) -> tuple[str, str]:
    """(how, compliance) words of one crossing."""
    if flagged:
        return ("walked", "walked as flagged") if walked else ("run", "run, flagged walk")
    return ("walked" if walked else "run"), "not flagged"


def week_crossings(
    overview: HillsOverview, activity_ids: Iterable[str], labels: Mapping[str, str]
) -> dict[str, Any]:
    """Rows of the recurring hills the week's runs crossed, and the compliance count."""
    rows = []
    for c in overview.week_crossings(activity_ids):
        hill = overview.hill(c.hill_id)
        if hill is None:
            continue
        how, compliance = _how(c.walked, c.flagged)
        rows.append(
            {
                "run": labels.get(c.activity_id, c.local_date),
                "id": hill_key(hill.hill_id),
                "name": hill.name,
                "flag": "; ".join(f.text for f in hill.flags) if hill.flagged else "",
                "how": how,
                "compliance": compliance,
                "ok": c.compliant,
            }
        )
    flagged = [r for r in rows if r["flag"]]
    return {
        "rows": rows,
        "flagged": len(flagged),
        "walked": sum(r["ok"] for r in flagged),
        "page": PAGE,
    }


def flagged_marks(overview: HillsOverview, activity_ids: Iterable[str]) -> list[dict[str, Any]]:
    """Foot positions of the flagged hills the week's runs crossed, for the map."""
    crossed = {c.hill_id for c in overview.week_crossings(activity_ids)}
    units = overview.settings.units
    return [
        {"lat": h.foot_lat, "lon": h.foot_lon, "text": _mark_text(h, units)}
        for h in overview.hills
        if h.flagged and h.hill_id in crossed
    ]


def _mark_text(h: RecurringHill, units: str) -> str:
    return f"Walk: {h.label} ({h.grade_avg_pct:.0f}%, {fmt_length(h.length_m, units)})"


def _hill_row(h: RecurringHill, units: Units, names: Mapping[int, str]) -> dict[str, Any]:
    s = h.stiffness
    return {
        "id": hill_key(h.hill_id),
        "name": h.name,
        "route": names.get(h.route_id, "–") if h.route_id is not None else "–",
        "flags": [f.text for f in h.flags],
        "length": units.fmt_high(h.length_m),
        "gain": units.fmt_high(h.gain_m),
        "grade": f"{h.grade_avg_pct:.1f}% / {h.grade_max_pct:.1f}%",
        "score": f"{h.score:.0f}",
        "run": h.times_run,
        "walked": h.times_walked,
        "hr": "–" if h.heart_rate_run_bpm is None else f"{h.heart_rate_run_bpm:.0f} bpm",
        "stiffness": s.text(),
        "seen": f"{h.first_date} to {h.last_date}",
    }


def hills_context(overview: HillsOverview) -> dict[str, Any]:
    """What ``hills.html`` shows: every recurring hill and route, and the rules used."""
    units = Units(overview.settings.units)
    names = {r.route_id: f"{route_key(r.route_id)} {r.name}" for r in overview.routes}
    routes = [
        {
            "id": route_key(r.route_id),
            "name": r.name,
            "runs": r.runs,
            "distance": units.fmt_dist(r.distance_m),
            "ascent": units.fmt_high(r.ascent_m),
            "hills": [f"{hill_key(k)}" for k in r.hill_ids],
            "flagged": r.flagged,
            "flatter": [names[k] for k in r.flatter],
        }
        for r in overview.routes
    ]
    return {
        "hills": [_hill_row(h, units, names) for h in overview.hills],
        "routes": routes,
        "settings": overview.settings,
    }


def render_hills(overview: HillsOverview, env: jinja2.Environment) -> str:
    return env.get_template(PAGE).render(
        title="Hills and routes", figures=[], **hills_context(overview)
    )
