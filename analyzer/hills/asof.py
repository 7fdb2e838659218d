"""Recurring hills as they stood at the end of a week, for that week's page.

The hills page reads the whole history. A week's page must not: its "walk this hill"
flags, times run and walked and the next-morning stiffness behind them come from the runs
up to the end of that week only, so an old page says what the runner could have known
then, and regenerating it later does not change what it said. The grouping into hills
(which climb is which hill) and the hills' names and routes are the whole history's: ids
stay stable across pages. Each crossing of the week is judged against the flag the hill had
before that run (a hill first seen, or first flagged, by a run is not "run, flagged walk"
on that run).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from analyzer.hills.overview import HillsOverview
from analyzer.hills.recurring import describe_hill, rank


@dataclass(frozen=True, eq=False)
class HillsHistory:
    """The whole history's overview, seen as of a date from what it was made of (its
    climb rows per hill, the hills' anchors and the morning stiffness by date)."""

    overview: HillsOverview
    _cache: dict[str, HillsOverview] = field(default_factory=dict)

    def as_of(self, last: str) -> HillsOverview:
        """The overview from the climbs on or before ``last`` (YYYY-MM-DD): hills first
        climbed later are left out, and each hill's counts, stiffness comparison and walk
        flags are those of its climbs up to then (the stiffness of the morning after
        ``last`` included: it is that run's next morning)."""
        if last not in self._cache:
            self._cache[last] = _as_of(self, last)
        return self._cache[last]


def _next_day(day: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def _as_of(h: HillsHistory, last: str) -> HillsOverview:
    o = h.overview
    morning = _next_day(last)
    stiffness = {d: v for d, v in o.stiffness_by_date.items() if d <= morning}
    hills = []
    for hill in o.hills:
        rows = [r for r in o.members.get(hill.hill_id, ()) if r.local_date <= last]
        anchor = o.anchors.get(hill.hill_id)
        if not rows or anchor is None:
            continue
        then = describe_hill(anchor, rows, stiffness, o.settings)
        hills.append(
            replace(
                then,
                name=hill.name,  # placed on the whole history's routes, as on the hills page
                route_id=hill.route_id,
                runs_on_route=hill.runs_on_route,
            )
        )
    kept = {x.hill_id for x in hills}
    crossings = []
    for c in o.crossings:
        if c.local_date <= last and c.hill_id in kept:
            reasons = _flags_before(o, c.hill_id, c.local_date)
            crossings.append(replace(c, flagged=bool(reasons), reasons=reasons))
    return replace(o, hills=rank(hills), crossings=crossings)


def _flags_before(o: HillsOverview, hill_id: int, day: str) -> tuple[str, ...]:
    """The walk rules that flagged the hill on the runs before ``day`` (and the morning
    check-ins up to that day's), in words; empty where it was not flagged: a crossing is
    judged by the flag the runner could have known when running it, not by one a later
    run of that week raised (or dropped)."""
    rows = [r for r in o.members.get(hill_id, ()) if r.local_date < day]
    anchor = o.anchors.get(hill_id)
    if not rows or anchor is None:
        return ()
    stiffness = {d: v for d, v in o.stiffness_by_date.items() if d <= day}
    return tuple(f.text for f in describe_hill(anchor, rows, stiffness, o.settings).flags)
