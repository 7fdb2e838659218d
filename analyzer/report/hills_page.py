"""Recurring hills in the reports: the week's crossings with compliance, map marks for
flagged hills, and ``hills.html`` listing every recurring hill and route.

Reads a ``HillsOverview`` (built from the store by ``analyzer.weekly.hills``) only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import jinja2
from markupsafe import Markup, escape

from analyzer.hills.export import waypoint_name
from analyzer.hills.overview import (
    HillsOverview,
    fmt_hill_length,
    fmt_length,
    hill_key,
    route_key,
)
from analyzer.hills.recurring import GRADE, SCORE, STIFFNESS, RecurringHill, StiffnessComparison
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
        if c.flagged:  # the rules as they stood before the run (hills.asof), if known
            flag = "; ".join(c.reasons or tuple(f.text for f in hill.flags))
            if not hill.flagged:
                flag += " (no longer flagged by the week's end)"
        elif hill.flagged:  # flagged by this run or a later one of the week
            since = "; ".join(f.text for f in hill.flags)
            flag = f"not yet flagged when run (since then: {since})"
        else:
            flag = ""
        rows.append(
            {
                "run": labels.get(c.activity_id, c.local_date),
                "id": hill_key(hill.hill_id),
                "name": hill.name,
                "flag": flag,
                "how": how,
                "compliance": compliance,
                "ok": c.compliant,
                "flagged": c.flagged,
            }
        )
    flagged = [r for r in rows if r["flagged"]]
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
        {"lat": h.foot_lat, "lon": h.foot_lon, "text": waypoint_name(h, units)}
        for h in overview.hills
        if h.flagged and h.hill_id in crossed
    ]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def flag_words(h: RecurringHill) -> list[str]:
    """Each walk rule of the hill in a few words (the page's method section has the
    rules in full, and the stiffness column the numbers behind the stiffness rule)."""
    s = h.stiffness
    words = {
        GRADE: f"grade {h.grade_avg_pct:.1f}%",
        SCORE: f"score {h.score:.0f}",
        STIFFNESS: f"stiffer after running it ({s.difference or 0:+.1f})",
    }
    return [words.get(f.rule, f.text) for f in h.flags]


def stiffness_words(s: StiffnessComparison, need: int) -> str:
    """The stiffness comparison, counting mornings with a check-in: a run or walk of the
    hill with no check-in the next morning is in the times run/walked but not here."""
    if s.enough:
        return s.text()
    return (
        f"not enough check-ins: {_plural(s.n_run, 'morning')} after running it, "
        f"{s.n_walked} after walking it ({need} of each needed)"
    )


def seen_words(h: RecurringHill) -> str:
    """``2026-10-13 to 2026-11-21, 11 runs`` or ``2026-11-19, 1 run``."""
    runs = _plural(len(h.activity_ids), "run")
    if h.first_date == h.last_date:
        return f"{h.first_date}, {runs}"
    return f"{h.first_date} to {h.last_date}, {runs}"


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def dates_whole(text: str) -> Markup:
    """``text`` escaped, each ISO date in a no-wrap span: a narrow column wraps between
    words, never inside a date at its hyphens ("2015-08-" over "29")."""
    html = ISO_DATE.sub(lambda m: f'<span class="nw">{m.group()}</span>', str(escape(text)))
    return Markup(html)  # noqa: S704 - escaped above; the spans hold digits and hyphens only


def hills_intro(hills: list[RecurringHill]) -> str:
    """How many hills, and how many of them were found on more than one run."""
    again = sum(len(h.activity_ids) > 1 for h in hills)
    return (
        f"{_plural(len(hills), 'hill')} found on your runs with GPS, "
        f"{again} of them on more than one run. Flagged “walk” first, then by score."
    )


def _hill_row(
    h: RecurringHill, units: Units, names: Mapping[int, str], need: int
) -> dict[str, Any]:
    return {
        "id": hill_key(h.hill_id),
        "name": h.name,
        "route": names.get(h.route_id, "–") if h.route_id is not None else "–",
        "flags": flag_words(h),
        "length": fmt_hill_length(h.length_m, units.system),  # as `hills` and the GPX say
        "gain": fmt_length(h.gain_m, units.system),
        "grade": f"{h.grade_avg_pct:.1f}%\u00a0/ {h.grade_max_pct:.1f}%",  # wraps after the slash
        "score": f"{h.score:.0f}",
        "run": h.times_run,
        "walked": h.times_walked,
        "hr": "–" if h.heart_rate_run_bpm is None else f"{h.heart_rate_run_bpm:.0f} bpm",
        "stiffness": stiffness_words(h.stiffness, need),
        "seen": dates_whole(seen_words(h)),
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
            "ascent": fmt_length(r.ascent_m, units.system),
            "hills": [f"{hill_key(k)}" for k in r.hill_ids],
            "flagged": r.flagged,
            "flatter": [names[k] for k in r.flatter],
        }
        for r in overview.routes
    ]
    return {
        "hills": [
            _hill_row(h, units, names, overview.settings.walk_stiffness_min_n)
            for h in overview.hills
        ],
        "hills_intro": hills_intro(overview.hills),
        "routes": routes,
        "settings": overview.settings,
    }


def render_hills(overview: HillsOverview, env: jinja2.Environment) -> str:
    return env.get_template(PAGE).render(
        title="Hills and routes", figures=[], **hills_context(overview)
    )
