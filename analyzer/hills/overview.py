"""Recurring hills and routes together: each hill placed on its route, each route with its
hills and flatter alternatives, and every crossing of a hill by a run (for compliance).

Pure: the caller hands in climb rows, tracks, the stored anchors and the next-morning
stiffness by date. Ids shown to the user are ``H<n>`` for hills and ``R<n>`` for routes.
"""

from __future__ import annotations

import difflib
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from analyzer.errors import AnalyzerError
from analyzer.hills.recurring import (
    ClimbRow,
    HillAnchor,
    RecurringHill,
    describe_hills,
    group_climbs,
    place,
    rank,
)
from analyzer.hills.routes import (
    Route,
    RouteAnchor,
    Track,
    describe_route,
    flatter_routes,
    group_tracks,
)
from analyzer.settings import Settings

MI_M = 1609.344
FT_M = 0.3048
ROUTE_HILL_SHARE = 0.5  # a hill belongs to a route when found on at least this share of its runs
SETTINGS_USED = (
    "walk_grade_pct",
    "walk_score",
    "walk_stiffness_points",
    "walk_stiffness_min_n",
    "recurring_hill_match_m",
    "route_match_m",
    "route_overlap_share",
    "route_similar_distance",
    "route_nearby_m",
)


def hill_key(hill_id: int) -> str:
    return f"H{hill_id}"


def route_key(route_id: int) -> str:
    return f"R{route_id}"


def parse_key(text: str) -> tuple[str, int]:
    """``("hill", 3)`` for ``H3`` (or ``h3``), ``("route", 2)`` for ``R2``."""
    t = text.strip().upper()
    kinds = {"H": "hill", "R": "route"}
    if len(t) >= 2 and t[0] in kinds and t[1:].isdigit():
        return kinds[t[0]], int(t[1:])
    raise AnalyzerError(
        f"{text!r} is not a hill or route id; use an id from `analyzer hills`, e.g. H2 or R1"
    )


def fmt_distance(metres: float, units: str) -> str:
    """A distance along a run: ``0.6 mi`` or ``0.9 km``."""
    per = MI_M if units == "mi" else 1000.0
    return f"{metres / per:.1f} {'mi' if units == 'mi' else 'km'}"


def fmt_length(metres: float | None, units: str) -> str:
    """A hill's length or height: feet with miles, metres with km; ``–`` if unknown.

    The one formatter of hill lengths and climbs, for unrounded metres: rounding metres
    first and converting after turned 384.4 ft into 385 in one place, 384 in another."""
    if metres is None or not math.isfinite(metres):
        return "–"
    return f"{metres / FT_M:.0f} ft" if units == "mi" else f"{metres:.0f} m"


FT_PER_MI = 5280


def fmt_hill_length(metres: float | None, units: str) -> str:
    """How long a hill is: miles from a tenth of a mile (``0.23 mi``), feet below it; km
    from 1 km, metres below it; ``–`` if unknown. Heights stay in feet or metres
    (:func:`fmt_length`). The hills list and the GPX waypoints say lengths alike."""
    if metres is None or not math.isfinite(metres):
        return "–"
    if units == "km":
        return f"{metres / 1000:.2f} km" if round(metres) >= 1000 else f"{metres:.0f} m"
    if round(metres / FT_M) >= FT_PER_MI / 10:
        return f"{metres / MI_M:.2f} mi"
    return f"{metres / FT_M:.0f} ft"


@dataclass(frozen=True)
class Crossing:
    """One run over one recurring hill: walked or not, and whether that was as flagged."""

    hill_id: int
    activity_id: str
    local_date: str
    walked: bool
    flagged: bool
    #: the walk rules that flagged it, in words, where judged as of the run (``hills.asof``)
    reasons: tuple[str, ...] = ()

    @property
    def compliant(self) -> bool:
        """Walked where the hill is flagged "walk"; any way where it is not."""
        return self.walked or not self.flagged


@dataclass(frozen=True, eq=False)
class HillsOverview:
    """Ranked recurring hills, routes, crossings, and the anchors added this time."""

    hills: list[RecurringHill]
    routes: list[Route]
    crossings: list[Crossing]
    new_hills: list[HillAnchor]
    new_routes: list[RouteAnchor]
    settings: Settings
    #: what the hills were made from, to see them as of a date (``hills.asof``): the climb
    #: rows of each hill, every hill's anchor, and the morning stiffness by date
    members: Mapping[int, Sequence[ClimbRow]] = field(default_factory=dict)
    anchors: Mapping[int, HillAnchor] = field(default_factory=dict)
    stiffness_by_date: Mapping[str, float] = field(default_factory=dict)

    def hill(self, hill_id: int) -> RecurringHill | None:
        return next((h for h in self.hills if h.hill_id == hill_id), None)

    def route(self, route_id: int) -> Route | None:
        return next((r for r in self.routes if r.route_id == route_id), None)

    def find_route(self, text: str) -> Route:
        """A route by id (``R2``), by name, or by a part of one name (``church`` for
        "Church hill loop"), case-insensitively. Where none matches, the error names the
        routes whose names come close, not every route."""
        wanted = " ".join(text.split()).casefold()
        for r in self.routes:
            if wanted == route_key(r.route_id).casefold():
                return r
        for found in (
            [r for r in self.routes if r.name.casefold() == wanted],
            [r for r in self.routes if wanted and wanted in r.name.casefold()],
        ):
            if len(found) == 1:
                return found[0]
            if found:
                raise AnalyzerError(
                    f"{len(found)} routes match {text!r}: {_routes_named(found)}; give the "
                    "id or more of the name"
                )
        close = _close_routes(wanted, self.routes)
        hint = f"; did you mean {_routes_named(close, 'or')}?" if close else ""
        raise AnalyzerError(
            f"no route {text!r}{hint} (analyzer hills lists the routes' ids and names)"
        )

    def for_route(self, route: Route) -> list[RecurringHill]:
        return [h for h in self.hills if h.hill_id in route.hill_ids]

    def week_crossings(self, activity_ids: Iterable[str]) -> list[Crossing]:
        ids = set(activity_ids)
        return [c for c in self.crossings if c.activity_id in ids]


def _routes_named(routes: Sequence[Route], word: str = "and") -> str:
    """``R1 (Church hill loop) and R4 (Church hill)``: ids and names, in words; the
    first ``NAMED_ROUTES`` of more, then how many others."""
    said = [f"{route_key(r.route_id)} ({r.name})" for r in routes[:NAMED_ROUTES]]
    if len(routes) > NAMED_ROUTES:
        said.append(f"{len(routes) - NAMED_ROUTES} more")
    return said[0] if len(said) == 1 else f"{', '.join(said[:-1])} {word} {said[-1]}"


NAMED_ROUTES = 5  # routes named in a message, at most
CLOSE_ROUTES = 3  # routes an unknown name offers instead
CLOSE_CUTOFF = 0.6  # difflib's similarity (0-1) a name needs to be offered


def _close_routes(wanted: str, routes: Sequence[Route]) -> list[Route]:
    """The routes whose names (or a word of them) are spelt most like ``wanted``."""
    by_name: dict[str, Route] = {}
    for r in routes:
        for name in (r.name.casefold(), *r.name.casefold().split()):
            by_name.setdefault(name, r)
    close = difflib.get_close_matches(wanted, list(by_name), n=len(by_name), cutoff=CLOSE_CUTOFF)
    out: dict[int, Route] = {}
    for name in close:
        out.setdefault(by_name[name].route_id, by_name[name])
    return list(out.values())[:CLOSE_ROUTES]


def _route_hills(
    route: Route, hills: Sequence[RecurringHill], members: Mapping[int, list[ClimbRow]]
) -> Route:
    ids = set(route.activity_ids)
    counts = {h.hill_id: sum(a in ids for a in h.activity_ids) for h in hills}
    counts = {k: v for k, v in counts.items() if v}
    need = max(1, math.ceil(ROUTE_HILL_SHARE * route.runs))
    on = [k for k, v in counts.items() if v >= need]
    along = {k: _start_on(members[k], ids) for k in on}
    ordered = tuple(sorted(on, key=lambda k: along[k]))
    flagged = sum(1 for h in hills if h.hill_id in ordered and h.flagged)
    return replace(route, hill_ids=ordered, flagged=flagged, hill_counts=counts)


def _start_on(rows: Sequence[ClimbRow], activity_ids: set[str]) -> float:
    """Median distance into the run (m) of the hill's foot, over the given runs."""
    on = [r.start_distance_m for r in rows if r.activity_id in activity_ids]
    return float(statistics.median(on or [r.start_distance_m for r in rows]))


def _place_hill(
    hill: RecurringHill,
    routes: Sequence[Route],
    members: Mapping[int, list[ClimbRow]],
    units: str,
) -> RecurringHill:
    """The hill on the route where it was found most, named from its distance into it."""
    home = max(
        routes,
        key=lambda r: (r.hill_counts.get(hill.hill_id, 0), -r.route_id),
        default=None,
    )
    if home is None or not home.hill_counts.get(hill.hill_id):
        return hill
    into = _start_on(members[hill.hill_id], set(home.activity_ids))
    where = f"{fmt_distance(into, units)} into {home.label}"
    return place(hill, home.route_id, home.runs, where)


def build_overview(
    climbs: Iterable[ClimbRow],
    tracks: Iterable[Track],
    hill_anchors: Sequence[HillAnchor],
    route_anchors: Sequence[RouteAnchor],
    stiffness_by_date: Mapping[str, float],
    settings: Settings,
) -> HillsOverview:
    """Group climbs into recurring hills and tracks into routes, and relate the two."""
    track_list = list(tracks)
    h_group = group_climbs(climbs, hill_anchors, settings)
    r_group = group_tracks(track_list, route_anchors, settings)
    hills = describe_hills(h_group, stiffness_by_date, settings)
    by_id = {t.activity_id: t for t in track_list}
    anchors = {a.route_id: a for a in r_group.anchors}
    routes = [
        _route_hills(describe_route(anchors[rid], ids, by_id), hills, h_group.members)
        for rid, ids in sorted(r_group.members.items())
    ]
    routes = [replace(r, flatter=flatter_routes(r, routes, settings)) for r in routes]
    hills = rank(_place_hill(h, routes, h_group.members, settings.units) for h in hills)
    flagged = {h.hill_id for h in hills if h.flagged}
    crossings = [
        Crossing(hid, r.activity_id, r.local_date, r.walked, hid in flagged)
        for hid, rows in h_group.members.items()
        for r in rows
    ]
    crossings.sort(key=lambda c: (c.local_date, c.activity_id, c.hill_id))
    return HillsOverview(
        hills,
        routes,
        crossings,
        h_group.new,
        r_group.new,
        settings,
        h_group.members,
        {a.hill_id: a for a in h_group.anchors},
        dict(stiffness_by_date),
    )


# --- plain data, for --json and the report ----------------------------------------------------


def _num(value: float | None, digits: int = 1) -> float | None:
    return None if value is None or not math.isfinite(value) else round(value, digits)


def hill_json(h: RecurringHill) -> dict[str, Any]:
    s = h.stiffness
    return {
        "id": hill_key(h.hill_id),
        "name": h.name,
        "user_name": h.user_name,
        "flagged": h.flagged,
        "flags": [{"rule": f.rule, "text": f.text} for f in h.flags],
        "route_id": None if h.route_id is None else route_key(h.route_id),
        # to the millimetre: the terminal and the page format these the same way
        "length_m": _num(h.length_m, 3),
        "gain_m": _num(h.gain_m, 3),
        "grade_avg_pct": _num(h.grade_avg_pct),
        "grade_max_pct": _num(h.grade_max_pct),
        "score": _num(h.score, 0),
        "times_run": h.times_run,
        "times_walked": h.times_walked,
        "heart_rate_run_bpm": _num(h.heart_rate_run_bpm, 0),
        "stiffness": {
            "after_run": _num(s.after_run, 2),
            "n_run": s.n_run,
            "after_walked": _num(s.after_walked, 2),
            "n_walked": s.n_walked,
            "difference": _num(s.difference, 2),
            "enough_data": s.enough,
            "text": s.text(),
        },
        "foot": {"lat": round(h.foot_lat, 6), "lon": round(h.foot_lon, 6)},
        "top": {"lat": round(h.top_lat, 6), "lon": round(h.top_lon, 6)},
        "start_distance_m": _num(h.start_distance_m, 0),
        "first_date": h.first_date,
        "last_date": h.last_date,
        "activity_ids": list(h.activity_ids),
    }


def route_json(r: Route) -> dict[str, Any]:
    return {
        "id": route_key(r.route_id),
        "name": r.name,
        "user_name": r.user_name,
        "runs": r.runs,
        # not to whole metres: rounded twice, a route read 16.10 km on the pages and 16.09
        # in the terminal (16095.3 m -> 16095 -> 16.09)
        "distance_m": _num(r.distance_m, 3),
        "ascent_m": _num(r.ascent_m, 3),  # formatted as the page does (see hill_json)
        "hills": [hill_key(k) for k in r.hill_ids],
        "flagged_hills": r.flagged,
        "flatter_routes": [route_key(k) for k in r.flatter],
        "first_date": r.first_date,
        "last_date": r.last_date,
        "activity_ids": list(r.activity_ids),
    }


def overview_json(o: HillsOverview, route: Route | None = None) -> dict[str, Any]:
    """``{"hills", "routes", "settings", "units"}``; with ``route``, that route only."""
    hills = o.for_route(route) if route else o.hills
    routes = [route] if route else o.routes
    return {
        "units": o.settings.units,
        "settings": {k: getattr(o.settings, k) for k in SETTINGS_USED},
        "hills": [hill_json(h) for h in hills],
        "routes": [route_json(r) for r in routes],
    }
