"""Recurring hills: the same climb found in many runs, grouped, described and flagged.

Pure: it computes on climb rows and anchors handed to it and never touches the store.
Two climbs are one recurring hill when their starts and their ends each lie within
``Settings.recurring_hill_match_m`` (about 40 m); when one end does and they go the same
way up (the other end of a gentle climb is where its grade crossed the threshold, which
wanders round a bend); or when they run the same way along one line and share at least
half their span (:func:`chord_overlap`). Each recurring hill keeps the start and end of
the climb that first defined it (its *anchor*) under a stable integer id; later climbs
are matched against every climb of each hill so far, oldest hill first, so adding runs
never renumbers a hill. Matching on start and end means direction matters: the same
slope run the other way is another climb with its start where this one ends.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import numpy as np

from analyzer.geo import EARTH_RADIUS_M
from analyzer.settings import Settings

GRADE = "grade"
SCORE = "score"
STIFFNESS = "stiffness"
NOT_ENOUGH = "not enough data"
MIN_OVERLAP = 0.5  # climbs along one line sharing this much of their span are one hill
SAME_CLIMB_M = 10.0  # a climb this close at both ends to one a hill has adds nothing to it


@dataclass(frozen=True)
class ClimbRow:
    """One uphill segment of one run (positions in degrees, lengths in m, grades in %)."""

    activity_id: str
    idx: int  # the segment's index among the run's hills
    local_date: str  # YYYY-MM-DD where the run happened
    start_lat: float
    start_lon: float
    end_lat: float
    end_lon: float
    start_distance_m: float
    length_m: float
    gain_m: float
    grade_avg_pct: float
    grade_max_pct: float
    score: float
    walked: bool
    heart_rate_avg_bpm: float | None = None


@dataclass(frozen=True)
class HillAnchor:
    """A recurring hill's identity: the start and end (degrees) it was first seen with."""

    hill_id: int
    start_lat: float
    start_lon: float
    end_lat: float
    end_lon: float
    name: str | None = None  # given by the user; None: a generated name is shown


@dataclass(frozen=True)
class HillGrouping:
    """Climb rows per hill id; ``anchors`` holds every anchor, ``new`` the ones added."""

    members: dict[int, list[ClimbRow]]
    anchors: list[HillAnchor]
    new: list[HillAnchor]


def distance_m(lat1: float, lon1: float, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Haversine distance (m) from one point to many."""
    la1, lo1 = math.radians(lat1), math.radians(lon1)
    la2, lo2 = np.radians(lat2), np.radians(lon2)
    a = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


class _AnchorTable:
    """The climbs each hill has so far (its anchor first) as arrays, grown as rows are
    grouped: a new climb is matched against every climb of a hill, not its anchor alone,
    so a hill whose ends wander from run to run keeps its later runs."""

    def __init__(self, anchors: Sequence[HillAnchor]) -> None:
        self.anchors = sorted(anchors, key=lambda a: a.hill_id)  # oldest first
        self.coords = np.array(
            [[a.start_lat, a.start_lon, a.end_lat, a.end_lon] for a in self.anchors], dtype=float
        ).reshape(-1, 4)
        self.owner = np.arange(len(self.anchors))  # the anchor each row of coords belongs to

    def match(self, row: ClimbRow, limit_m: float) -> int | None:
        """Index of the oldest anchor one of whose climbs the row matches: start and end
        both within ``limit_m``; one of them within it and the same way up (the other end
        is where a gentle slope's grade crossed the threshold, which wanders, and a curving
        road defeats the chords); or enough overlap along one line (:func:`chord_overlap`).

        The oldest, not the closest: an anchor added later never takes a climb away from
        the hill it joined when it was first grouped, so membership does not depend on
        when the grouping ran.
        """
        if not len(self.anchors):
            return None
        c = self.coords
        d_start = distance_m(row.start_lat, row.start_lon, c[:, 0], c[:, 1])
        d_end = distance_m(row.end_lat, row.end_lon, c[:, 2], c[:, 3])
        close = (d_start <= limit_m) & (d_end <= limit_m)
        one_end = ((d_start <= limit_m) | (d_end <= limit_m)) & same_way(row, c)
        ok = close | one_end | (chord_overlap(row, c, limit_m) >= MIN_OVERLAP)
        hits = self.owner[ok]
        return int(hits.min()) if len(hits) else None

    def add(self, anchor: HillAnchor) -> None:
        self.anchors.append(anchor)
        self._grow(
            len(self.anchors) - 1,
            anchor.start_lat,
            anchor.start_lon,
            anchor.end_lat,
            anchor.end_lon,
        )

    def join(self, index: int, row: ClimbRow) -> None:
        """Keep ``row`` as one more climb of the anchor at ``index``, unless the hill has
        one already with both ends within ``SAME_CLIMB_M`` (it would match nothing new,
        and a history of the same few routes would make matching quadratic)."""
        mine = self.coords[self.owner == index]
        d_start = distance_m(row.start_lat, row.start_lon, mine[:, 0], mine[:, 1])
        d_end = distance_m(row.end_lat, row.end_lon, mine[:, 2], mine[:, 3])
        if not ((d_start <= SAME_CLIMB_M) & (d_end <= SAME_CLIMB_M)).any():
            self._grow(index, row.start_lat, row.start_lon, row.end_lat, row.end_lon)

    def _grow(self, index: int, *position: float) -> None:
        self.coords = np.vstack([self.coords, [list(position)]])
        self.owner = np.append(self.owner, index)


def same_way(row: ClimbRow, coords: np.ndarray) -> np.ndarray:
    """Whether the climb's chord (start to end) points within 45 degrees of each anchor's."""
    s = _local_m(coords[:, 0], coords[:, 1], row.start_lat, row.start_lon)
    e = _local_m(coords[:, 2], coords[:, 3], row.start_lat, row.start_lon)
    mine = _local_m(np.array([row.end_lat]), np.array([row.end_lon]), row.start_lat, row.start_lon)[
        0
    ]
    theirs = e - s
    dot = theirs @ mine
    norms = np.hypot(theirs[:, 0], theirs[:, 1]) * max(float(np.hypot(*mine)), 1e-9)
    return dot >= math.cos(math.radians(45.0)) * np.maximum(norms, 1e-9)


def _local_m(lat: np.ndarray, lon: np.ndarray, lat0: float, lon0: float) -> np.ndarray:
    """Equirectangular (east, north) metres from (lat0, lon0): exact enough over a hill."""
    k = math.radians(1.0) * EARTH_RADIUS_M
    return np.stack([(lon - lon0) * k * math.cos(math.radians(lat0)), (lat - lat0) * k], axis=-1)


def chord_overlap(row: ClimbRow, coords: np.ndarray, limit_m: float) -> np.ndarray:
    """Overlap (intersection over union, 0-1) of the climb with each anchor, along the
    anchor's chord (start to end); 0 where the climb runs another way (its chord more than
    45 degrees off) or it lies more than ``limit_m`` off the chord's line where they overlap.

    Why: the start and end of a gentle climb are where the smoothed grade crosses the hill
    threshold, and on a 4.5% climb that crossing wanders by 50-100 m from run to run
    (the sample Ridge loop's third climb), so start-and-end matching alone splits one hill
    into several. Two climbs along one line that share most of their length are one hill.
    """
    s = _local_m(coords[:, 0], coords[:, 1], row.start_lat, row.start_lon)
    e = _local_m(coords[:, 2], coords[:, 3], row.start_lat, row.start_lon)
    b_end = _local_m(
        np.array([row.end_lat]), np.array([row.end_lon]), row.start_lat, row.start_lon
    )[0]
    axis = e - s
    length = np.maximum(np.hypot(axis[:, 0], axis[:, 1]), 1e-9)
    unit = axis / length[:, None]
    rel_s, rel_e = -s, b_end[None, :] - s  # the climb's start is the origin
    t0 = (rel_s * unit).sum(axis=1)
    t1 = (rel_e * unit).sum(axis=1)
    off0 = rel_s[:, 0] * unit[:, 1] - rel_s[:, 1] * unit[:, 0]  # signed, off the line
    off1 = rel_e[:, 0] * unit[:, 1] - rel_e[:, 1] * unit[:, 0]
    b_len = max(float(np.hypot(*b_end)), 1e-9)
    aligned = (t1 - t0) / b_len >= math.cos(math.radians(45.0))
    lo, hi = np.maximum(t0, 0.0), np.minimum(t1, length)
    inter = np.clip(hi - lo, 0.0, None)
    union = np.maximum(t1, length) - np.minimum(t0, 0.0)
    iou = inter / np.maximum(union, 1e-9)
    # how far the climb's chord is off the anchor's line where the two overlap
    span = np.where(aligned, t1 - t0, 1.0)
    off_lo = off0 + (off1 - off0) * (lo - t0) / span
    off_hi = off0 + (off1 - off0) * (hi - t0) / span
    near = (np.abs(off_lo) <= limit_m) & (np.abs(off_hi) <= limit_m)
    return np.where(aligned & near, iou, 0.0)


def _has_position(row: ClimbRow) -> bool:
    return all(math.isfinite(v) for v in (row.start_lat, row.start_lon, row.end_lat, row.end_lon))


def group_climbs(
    rows: Iterable[ClimbRow], anchors: Sequence[HillAnchor], settings: Settings
) -> HillGrouping:
    """Assign each climb to a recurring hill, adding anchors for climbs that match none.

    Rows are taken oldest first, so on a fresh store the ids follow the order in which
    the hills were first run. Rows without positions (treadmill) are left out.
    """
    table = _AnchorTable(anchors)
    next_id = max((a.hill_id for a in anchors), default=0) + 1
    members: dict[int, list[ClimbRow]] = {}
    new: list[HillAnchor] = []
    ordered = sorted(
        (r for r in rows if _has_position(r)),
        key=lambda r: (r.local_date, r.activity_id, r.idx),
    )
    for row in ordered:
        found = table.match(row, settings.recurring_hill_match_m)
        if found is None:
            anchor = HillAnchor(next_id, row.start_lat, row.start_lon, row.end_lat, row.end_lon)
            next_id += 1
            table.add(anchor)
            new.append(anchor)
            hill_id = anchor.hill_id
        else:
            table.join(found, row)
            hill_id = table.anchors[found].hill_id
        members.setdefault(hill_id, []).append(row)
    return HillGrouping(members, table.anchors, new)


# --- next-morning stiffness ------------------------------------------------------------------


@dataclass(frozen=True)
class StiffnessComparison:
    """Mean next-morning stiffness (0-10) after runs where the hill was run vs walked."""

    after_run: float | None
    n_run: int
    after_walked: float | None
    n_walked: int
    enough: bool  # at least ``walk_stiffness_min_n`` mornings of each

    @property
    def difference(self) -> float | None:
        """Run minus walked, in points; None without enough data."""
        if not self.enough or self.after_run is None or self.after_walked is None:
            return None
        return self.after_run - self.after_walked

    def text(self) -> str:
        if not self.enough:
            return f"{NOT_ENOUGH} ({self.n_run} run, {self.n_walked} walked)"
        return (
            f"{self.after_run:.1f} after running it (n={self.n_run}), "
            f"{self.after_walked:.1f} after walking it (n={self.n_walked})"
        )


def next_morning(local_date: str) -> str:
    """The date (YYYY-MM-DD) of the morning after a run on ``local_date``."""
    return (date.fromisoformat(local_date) + timedelta(days=1)).isoformat()


def compare_stiffness(
    rows: Sequence[ClimbRow], stiffness_by_date: Mapping[str, float], settings: Settings
) -> StiffnessComparison:
    """Next-morning stiffness after the runs where this hill was run vs walked.

    One value per run: a run that crossed the hill twice counts as "run" if any crossing
    was run. Mornings without a check-in are left out.
    """
    ran: dict[str, bool] = {}
    day: dict[str, str] = {}
    for r in rows:
        ran[r.activity_id] = ran.get(r.activity_id, False) or not r.walked
        day[r.activity_id] = r.local_date
    run_vals: list[float] = []
    walk_vals: list[float] = []
    for aid, was_run in ran.items():
        value = stiffness_by_date.get(next_morning(day[aid]))
        if value is None or not math.isfinite(value):
            continue
        (run_vals if was_run else walk_vals).append(float(value))
    need = settings.walk_stiffness_min_n
    return StiffnessComparison(
        after_run=statistics.fmean(run_vals) if run_vals else None,
        n_run=len(run_vals),
        after_walked=statistics.fmean(walk_vals) if walk_vals else None,
        n_walked=len(walk_vals),
        enough=len(run_vals) >= need and len(walk_vals) >= need,
    )


# --- one recurring hill --------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """Why a hill is flagged "walk": ``rule`` is grade, score or stiffness."""

    rule: str
    text: str


@dataclass(frozen=True)
class RecurringHill:
    """A recurring hill across the history. Lengths in m, grades in %, rates in 1/min.

    The shape (length, gain, grades, score) is the median over the runs, so one noisy
    recording does not move it; the foot and top are the median start and end.
    """

    hill_id: int
    name: str
    user_name: str | None
    foot_lat: float
    foot_lon: float
    top_lat: float
    top_lon: float
    length_m: float
    gain_m: float
    grade_avg_pct: float
    grade_max_pct: float
    score: float
    times_run: int
    times_walked: int
    heart_rate_run_bpm: float | None  # mean of the runs where it was run
    stiffness: StiffnessComparison
    flags: tuple[Flag, ...]
    activity_ids: tuple[str, ...]
    first_date: str
    last_date: str
    start_distance_m: float  # median distance into the run where the foot lies
    route_id: int | None = None  # the route it is found on most
    runs_on_route: int = 0  # runs of that route
    activity_dates: dict[str, str] = field(default_factory=dict)  # id -> local date

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def label(self) -> str:
        """``Hill 3``, or the user's name."""
        return self.user_name or f"Hill {self.hill_id}"


def hill_flags(
    grade_pct: float, score: float, stiffness: StiffnessComparison, settings: Settings
) -> tuple[Flag, ...]:
    """The walk rules that apply, each with its reason in words."""
    flags = []
    if grade_pct >= settings.walk_grade_pct:
        flags.append(Flag(GRADE, f"average grade {grade_pct:.1f}% >= {settings.walk_grade_pct:g}%"))
    if score >= settings.walk_score:
        flags.append(Flag(SCORE, f"score {score:.0f} >= {settings.walk_score:g}"))
    diff = stiffness.difference
    if diff is not None and diff >= settings.walk_stiffness_points:
        flags.append(
            Flag(
                STIFFNESS,
                f"{stiffness.text()}: {diff:+.1f} points, at least "
                f"{settings.walk_stiffness_points:g} with >= {settings.walk_stiffness_min_n} "
                "of each",
            )
        )
    return tuple(flags)


def _median(values: Iterable[float]) -> float:
    return float(statistics.median(values))


def _run_hr(rows: Sequence[ClimbRow]) -> float | None:
    rates = [
        r.heart_rate_avg_bpm
        for r in rows
        if not r.walked and r.heart_rate_avg_bpm is not None and math.isfinite(r.heart_rate_avg_bpm)
    ]
    return statistics.fmean(rates) if rates else None


def describe_hill(
    anchor: HillAnchor,
    rows: Sequence[ClimbRow],
    stiffness_by_date: Mapping[str, float],
    settings: Settings,
) -> RecurringHill:
    """Median shape, counts, heart rate, stiffness and flags of one recurring hill."""
    grade = _median(r.grade_avg_pct for r in rows)
    score = _median(r.score for r in rows)
    stiffness = compare_stiffness(rows, stiffness_by_date, settings)
    dates = sorted(r.local_date for r in rows)
    return RecurringHill(
        hill_id=anchor.hill_id,
        name=anchor.name or f"Hill {anchor.hill_id}",
        user_name=anchor.name,
        foot_lat=_median(r.start_lat for r in rows),
        foot_lon=_median(r.start_lon for r in rows),
        top_lat=_median(r.end_lat for r in rows),
        top_lon=_median(r.end_lon for r in rows),
        length_m=_median(r.length_m for r in rows),
        gain_m=_median(r.gain_m for r in rows),
        grade_avg_pct=grade,
        grade_max_pct=_median(r.grade_max_pct for r in rows),
        score=score,
        times_run=sum(not r.walked for r in rows),
        times_walked=sum(r.walked for r in rows),
        heart_rate_run_bpm=_run_hr(rows),
        stiffness=stiffness,
        flags=hill_flags(grade, score, stiffness, settings),
        activity_ids=tuple(dict.fromkeys(r.activity_id for r in rows)),
        first_date=dates[0],
        last_date=dates[-1],
        start_distance_m=_median(r.start_distance_m for r in rows),
        activity_dates={r.activity_id: r.local_date for r in rows},
    )


def describe_hills(
    grouping: HillGrouping, stiffness_by_date: Mapping[str, float], settings: Settings
) -> list[RecurringHill]:
    """Every recurring hill with at least one climb, ranked (see :func:`rank`)."""
    by_id = {a.hill_id: a for a in grouping.anchors}
    hills = [
        describe_hill(by_id[hid], rows, stiffness_by_date, settings)
        for hid, rows in grouping.members.items()
    ]
    return rank(hills)


def rank(hills: Iterable[RecurringHill]) -> list[RecurringHill]:
    """Flagged first, then by score (highest first), then by id."""
    return sorted(hills, key=lambda h: (not h.flagged, -h.score, h.hill_id))


def place(
    hill: RecurringHill, route_id: int | None, runs_on_route: int, where: str | None
) -> RecurringHill:
    """The hill with its home route and, unless the user named it, a name saying where it
    lies (``where`` is e.g. ``"0.6 mi into Route 1"``)."""
    name = hill.user_name or (f"Hill {hill.hill_id} — {where}" if where else hill.name)
    return replace(hill, route_id=route_id, runs_on_route=runs_on_route, name=name)
