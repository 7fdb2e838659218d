"""A week page's recurring hills are those of the runs up to the end of that week: its
counts, its stiffness comparison and its walk flags do not use later runs (a reviewer found
a W43 page judging a hill "stiffer after running it" on runs of November)."""

from __future__ import annotations

from analyzer.hills.asof import HillsHistory
from analyzer.hills.overview import build_overview
from analyzer.settings import Settings
from tests.hills.test_recurring import FOOT, TOP, climb, shifted

#: a gentle hill (4.5%, score 900): only the stiffness rule can flag it
GENTLE = {"grade_avg_pct": 4.5, "score": 900.0, "length_m": 200.0}
OTHER_FOOT = shifted(FOOT, 0.0, 3000.0)
OTHER_TOP = shifted(OTHER_FOOT, 200.0, 0.0)


def history() -> HillsHistory:
    """October: the hill walked 3 times and run 3 times, the mornings after alike (2);
    November: run 3 more times with stiffness 6 the next mornings, which flags it; and a
    second hill first climbed on 20 Nov."""
    s = Settings()
    rows, stiffness = [], {}
    october = ["2026-10-05", "2026-10-07", "2026-10-09", "2026-10-12", "2026-10-14", "2026-10-16"]
    for i, day in enumerate(october):
        rows.append(climb(f"oct{i}", day, FOOT, TOP, walked=i < 3, **GENTLE))
        stiffness[f"2026-10-{int(day[-2:]) + 1:02d}"] = 2.0
    for i, day in enumerate(["2026-11-02", "2026-11-04", "2026-11-06"]):
        rows.append(climb(f"nov{i}", day, FOOT, TOP, **GENTLE))
        stiffness[f"2026-11-{int(day[-2:]) + 1:02d}"] = 6.0
    rows.append(climb("late", "2026-11-20", OTHER_FOOT, OTHER_TOP, **GENTLE))
    return HillsHistory(build_overview(rows, [], [], [], stiffness, s))


def test_the_whole_history_flags_the_hill() -> None:
    h = history()
    hill = h.overview.hill(1)
    assert hill is not None
    # run 6 times (mornings 2, 2, 2, 6, 6, 6: mean 4) against walked 3 times (2): +2.0,
    # above walk_stiffness_points (1.5) with 3 or more of each
    assert (hill.times_run, hill.times_walked) == (6, 3)
    assert hill.flagged
    assert h.overview.hill(2) is not None


def test_an_october_week_sees_october_only() -> None:
    h = history()
    then = h.as_of("2026-10-18")  # Sunday of 2026-W42
    hill = then.hill(1)
    assert hill is not None
    assert (hill.times_run, hill.times_walked) == (3, 3)
    assert hill.stiffness.after_run == 2.0  # the November mornings are not known yet
    assert not hill.flagged
    assert then.hill(2) is None  # first climbed on 20 Nov
    assert {c.activity_id for c in then.crossings} == {f"oct{i}" for i in range(6)}
    assert not any(c.flagged for c in then.crossings)
    assert hill.name == h.overview.hill(1).name  # type: ignore[union-attr]


def test_the_next_morning_after_the_last_day_counts() -> None:
    """A run on the week's Sunday is judged by Monday's stiffness, its next morning."""
    h = history()
    hill = h.as_of("2026-11-02").hill(1)  # the run of Mon 2 Nov; its morning is 3 Nov
    assert hill is not None
    assert hill.stiffness.n_run == 4
    assert hill.stiffness.after_run == (2.0 * 3 + 6.0) / 4


def test_a_week_page_sees_the_hills_as_of_its_sunday() -> None:
    from analyzer.report.build import _week_hills

    h = history()
    week = _week_hills(h, "2026-W42")  # Mon 12 - Sun 18 Oct
    assert week is h.as_of("2026-10-18")  # the same cached view
    assert _week_hills(h.overview, "2026-W42") is h.overview  # a plain overview as it is
    assert _week_hills(None, "2026-W42") is None


def test_a_route_distance_is_rounded_once_in_the_terminal() -> None:
    """16095.3 m is 16.10 km on the pages; rounded to 16095 first it read 16.09 in
    `analyzer hills` (a user test)."""
    import numpy as np

    from analyzer.hills.overview import route_json
    from analyzer.hills.routes import Route
    from analyzer.textout import distance

    route = Route(1, "Route 1", None, ("a",), 16095.3, 40.0, np.zeros(2), np.zeros(2))
    assert distance(route_json(route)["distance_m"], "km") == "16.10 km"
    assert distance(16095.3, "km") == "16.10 km"  # as the pages format it


def test_each_crossing_is_judged_by_the_flag_known_before_it() -> None:
    """The November runs raise the stiffness flag one by one (run mornings 2, 2, 2, then
    6 after each November run; walked mornings 2; the rule: +1.5 or more with 3 of each):
    before 2 Nov the difference is 0, before 4 Nov +1.0 (2, 2, 2, 6), before 6 Nov +1.6
    (2, 2, 2, 6, 6). Only the third November run was run against a flag it could know."""
    h = history()
    week = h.as_of("2026-11-08")
    flagged = {c.activity_id: c.flagged for c in week.crossings if c.activity_id.startswith("nov")}
    assert flagged == {"nov0": False, "nov1": False, "nov2": True}
    # the hills page (whole history) judges every crossing by the hill's flag today
    assert all(c.flagged for c in h.overview.crossings if c.hill_id == 1)


def test_a_crossing_gives_the_reasons_it_was_flagged_by_then() -> None:
    """The reasons of a flagged crossing are those before its run; a hill no longer
    flagged by the week's end says so (review: the reason was empty)."""
    from dataclasses import replace

    from analyzer.report.hills_page import week_crossings

    week = history().as_of("2026-11-08")
    crossing = next(c for c in week.crossings if c.activity_id == "nov2")
    assert crossing.reasons[0].startswith("3.6 after running it (n=5), 2.0 after walking it")
    unflagged = replace(week, hills=[replace(h, flags=()) for h in week.hills])
    rows = week_crossings(unflagged, ["nov2"], {})["rows"]
    assert rows[0]["flag"].startswith("3.6 after running it")
    assert rows[0]["flag"].endswith("(no longer flagged by the week's end)")
    assert rows[0]["compliance"] == "run, flagged walk"
