"""Generate the synthetic six-week sample data set in ``sample_data/``.

Usage::

    .venv/bin/python tools/make_sample_data.py            # writes sample_data/
    .venv/bin/python tools/make_sample_data.py --out DIR  # writes DIR/

The output is byte-identical on every run: a fixed seed, fixed local dates and times
(Europe/London, converted to UTC with zoneinfo) and no use of the wall clock.
Everything in it is invented; no real person, run or device is described.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from garmin_fit_sdk import Encoder, Profile

Array = npt.NDArray[np.float64]

TZ = ZoneInfo("Europe/London")
SEED = 20261012
FIRST_DAY = date(2026, 10, 12)  # Monday of ISO week 2026-W42
N_DAYS = 42  # six ISO weeks, 2026-W42 .. 2026-W47
HOME_LAT = 51.4512  # degrees; an invented home point on the edge of a town
HOME_LON = -2.6003
MAX_HR = 178  # bpm
REST_HR = 55  # bpm
AGE = 44

FIT_EPOCH_S = 631065600  # 1989-12-31T00:00:00Z in Unix seconds
SEMICIRCLES_PER_DEGREE = 2**31 / 180.0
M_PER_DEG_LAT = 111_320.0
MILE_M = 1609.344
PAUSE_S = 118  # timer stopped on the one paused run, s
HR_TAU_S = 30.0  # heart-rate response time constant, s
GARMIN_PRODUCT_FR945 = 3113
SERIAL_NUMBER = 3391472285

SYMPTOM_HEADER = [
    "date",
    "morning_stiffness",
    "morning_stiffness_minutes",
    "morning_pain",
    "pain_during",
    "pain_after",
    "pinch_tenderness",
    "swelling",
    "side",
    "note",
]
HEEL_DROP_HEADER = ["time", "straight_knee_sets", "bent_knee_sets", "reps", "added_load_kg", "note"]


# --------------------------------------------------------------------------- routes


@dataclass(frozen=True)
class RouteSpec:
    """A closed loop: shape parameters, elevation knots (m along loop, m) and its climbs (m)."""

    key: str
    name: str
    length_m: int
    centre_bearing_deg: float  # direction of the loop's centre from home, math angle
    aspect: float  # east-west stretch of the loop before rotation
    wobble: tuple[float, float, float, float]  # harmonic amplitudes and phases
    knots: tuple[tuple[float, float], ...]
    climbs: tuple[tuple[float, float], ...] = ()
    crossing_m: float = 0.0  # where the road crossing is, m along the loop


@dataclass(frozen=True)
class Route:
    """A loop resampled to 1 m: index i is the point i metres along the loop."""

    spec: RouteSpec
    east_m: Array
    north_m: Array
    ele_m: Array
    grade: Array  # rise over run, smoothed over about 10 m


ROUTE_SPECS = (
    RouteSpec(
        key="riverside",
        name="Riverside loop",
        length_m=3300,
        centre_bearing_deg=205.0,
        aspect=2.4,
        wobble=(0.10, 0.06, 0.4, 1.1),
        knots=((0, 11.0), (600, 11.6), (1300, 10.8), (2000, 11.8), (2700, 11.2), (3300, 11.0)),
        crossing_m=2100.0,
    ),
    RouteSpec(
        key="church",
        name="Church hill loop",
        length_m=3500,
        centre_bearing_deg=75.0,
        aspect=1.3,
        wobble=(0.14, 0.07, 1.9, 0.3),
        knots=(
            (0, 14.0),
            (450, 15.0),
            (950, 14.5),
            (1150, 30.5),
            (1250, 31.0),
            (1950, 16.0),
            (2600, 15.5),
            (3500, 14.0),
        ),
        climbs=((950.0, 1150.0),),
        crossing_m=2600.0,
    ),
    RouteSpec(
        key="ridge",
        name="Ridge loop",
        length_m=4300,
        centre_bearing_deg=-40.0,
        aspect=1.6,
        wobble=(0.12, 0.10, 2.6, 2.0),
        knots=(
            (0, 20.0),
            (300, 21.0),
            (700, 41.0),
            (850, 41.5),
            (1150, 32.0),
            (1400, 48.0),
            (1600, 48.5),
            (1900, 40.0),
            (2400, 62.0),
            (2600, 62.5),
            (4300, 20.0),
        ),
        climbs=((300.0, 700.0), (1150.0, 1400.0), (1900.0, 2400.0)),
        crossing_m=3200.0,
    ),
)


def _chaikin_closed(x: Array, y: Array, rounds: int) -> tuple[Array, Array]:
    """Round the corners of a closed polygon by Chaikin corner cutting."""
    for _ in range(rounds):
        x1, y1 = np.roll(x, -1), np.roll(y, -1)
        x = np.column_stack([0.75 * x + 0.25 * x1, 0.25 * x + 0.75 * x1]).ravel()
        y = np.column_stack([0.75 * y + 0.25 * y1, 0.25 * y + 0.75 * y1]).ravel()
    return x, y


def _loop_vertices(spec: RouteSpec, n: int = 36) -> tuple[Array, Array]:
    """Vertices (m east, m north of home) of the loop, first vertex at home, length unscaled."""
    a2, a3, p2, p3 = spec.wobble
    theta = np.linspace(0.0, 2.0 * math.pi, n, endpoint=False)
    r = 1.0 + a2 * np.sin(2.0 * theta + p2) + a3 * np.cos(3.0 * theta + p3)
    x, y = _chaikin_closed(spec.aspect * r * np.cos(theta), r * np.sin(theta), rounds=2)
    x, y = x - x[0], y - y[0]
    # The centre now lies due west (180 degrees); turn it to the wanted bearing.
    turn = math.radians(spec.centre_bearing_deg - 180.0)
    cos_t, sin_t = math.cos(turn), math.sin(turn)
    return x * cos_t - y * sin_t, x * sin_t + y * cos_t


def _resample_loop(x: Array, y: Array, length_m: int) -> tuple[Array, Array]:
    """Scale a closed polygon to length_m and resample it every metre."""
    xc, yc = np.append(x, x[0]), np.append(y, y[0])
    cum = np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(xc), np.diff(yc)))])
    scale = length_m / cum[-1]
    s = np.arange(length_m, dtype=np.float64)
    return np.interp(s, cum * scale, xc * scale), np.interp(s, cum * scale, yc * scale)


def _smooth_circular(values: Array, sigma: float) -> Array:
    """Gaussian smoothing of a periodic series sampled every metre; sigma in m."""
    half = int(4 * sigma)
    k = np.exp(-0.5 * (np.arange(-half, half + 1) / sigma) ** 2)
    k /= k.sum()
    padded = np.concatenate([values[-half:], values, values[:half]])
    return np.convolve(padded, k, mode="valid")


def build_route(spec: RouteSpec) -> Route:
    """Geometry and elevation profile of one loop at 1 m spacing."""
    east, north = _resample_loop(*_loop_vertices(spec), spec.length_m)
    d, e = zip(*spec.knots, strict=True)
    s = np.arange(spec.length_m, dtype=np.float64)
    ele = _smooth_circular(np.interp(s, np.array(d), np.array(e)), sigma=8.0)
    grade = (np.roll(ele, -5) - np.roll(ele, 5)) / 10.0
    return Route(spec=spec, east_m=east, north_m=north, ele_m=ele, grade=grade)


ROUTES = {spec.key: build_route(spec) for spec in ROUTE_SPECS}


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class RunPlan:
    """One planned run: local date and start time, route, which climbs get walked, effort."""

    day: date
    start: tuple[int, int, int]  # local hour, minute, second
    route: str
    walked: tuple[int, ...] = ()  # indices into the route's climbs that are walked
    steady: bool = False  # a run that was not really easy (HR about 130-150)
    fmt: str = "fit"  # "fit", "gpx" or "both"
    stop: bool = False  # stands 20-40 s at the road crossing
    pause: bool = False  # stops the timer for about two minutes

    @property
    def climbs_run(self) -> int:
        """Number of climbs on the loop run rather than walked."""
        return len(ROUTES[self.route].spec.climbs) - len(self.walked)


def _d(month: int, day: int) -> date:
    return date(2026, month, day)


PLAN = (
    RunPlan(_d(10, 13), (7, 12, 4), "church"),
    RunPlan(_d(10, 15), (7, 8, 31), "riverside", stop=True),
    RunPlan(_d(10, 17), (7, 24, 10), "church", steady=True),
    RunPlan(_d(10, 18), (8, 41, 52), "riverside", fmt="gpx"),
    RunPlan(_d(10, 20), (7, 5, 17), "church"),
    RunPlan(_d(10, 22), (7, 15, 40), "ridge", steady=True),
    RunPlan(_d(10, 24), (7, 21, 3), "church", walked=(0,), stop=True),
    RunPlan(_d(10, 25), (7, 30, 26), "riverside"),
    RunPlan(_d(10, 27), (7, 5, 48), "church", fmt="both"),
    RunPlan(_d(10, 29), (7, 11, 9), "riverside", fmt="gpx"),
    RunPlan(_d(10, 31), (7, 26, 35), "ridge", walked=(1,), pause=True),
    RunPlan(_d(11, 2), (7, 3, 12), "church", walked=(0,)),
    RunPlan(_d(11, 4), (7, 14, 58), "riverside"),
    RunPlan(_d(11, 6), (7, 9, 21), "church", steady=True),
    RunPlan(_d(11, 7), (8, 12, 44), "riverside"),
    RunPlan(_d(11, 9), (7, 6, 2), "church", walked=(0,)),
    RunPlan(_d(11, 11), (7, 18, 27), "ridge", walked=(0, 1), stop=True),
    RunPlan(_d(11, 13), (7, 2, 49), "church", walked=(0,), fmt="gpx"),
    RunPlan(_d(11, 17), (7, 13, 15), "church", walked=(0,)),
    RunPlan(_d(11, 19), (7, 20, 38), "ridge", walked=(1,), steady=True),
    RunPlan(_d(11, 21), (7, 28, 11), "church", walked=(0,)),
    RunPlan(_d(11, 22), (8, 55, 30), "riverside", fmt="gpx"),
)

# Distance built up gradually, one target per ISO week, m; never shorter than the loop.
WEEKLY_TARGET_M = (3300.0, 3450.0, 3600.0, 3800.0, 4000.0, 4200.0)


# --------------------------------------------------------------------------- simulation


@dataclass(frozen=True)
class Track:
    """A simulated run, one row per record (1 Hz while the timer runs)."""

    plan: RunPlan
    start_utc: datetime
    utc_offset_s: int  # local time minus UTC at the start, s
    t_s: npt.NDArray[np.int64]  # seconds since start (elapsed, pause included)
    lat_semi: npt.NDArray[np.int64]
    lon_semi: npt.NDArray[np.int64]
    ele_m: Array  # barometric altitude, 0.2 m steps
    dist_m: Array  # cumulative distance, 0.01 m steps
    speed_mps: Array  # 0.001 m/s steps
    hr_bpm: npt.NDArray[np.int64]
    cadence_q: npt.NDArray[np.int64]  # strides/min in 1/128 steps
    pause: tuple[int, int] | None  # (stop, restart) seconds since start
    ascent_m: float  # true totals along the path
    descent_m: float

    @property
    def start_local(self) -> datetime:
        """Start as an aware local datetime."""
        return self.start_utc.astimezone(TZ)

    @property
    def end_local(self) -> datetime:
        """End of the last record as an aware local datetime."""
        return (self.start_utc + timedelta(seconds=int(self.t_s[-1]))).astimezone(TZ)


@dataclass
class _State:
    s: float = 0.0  # path distance, m
    v: float = 0.0  # speed, m/s
    hr: float = 85.0  # bpm
    spm: float = 0.0  # steps/min
    t: int = 0  # elapsed s
    stand_left: int = 0
    stopped: bool = False
    pause: tuple[int, int] | None = None  # (stop, restart) s since start
    v_noise: float = 0.0
    spm_noise: float = 0.0
    rows: list[tuple[int, float, float, float, float]] = field(default_factory=list)


@dataclass(frozen=True)
class _Params:
    v_base: float  # running speed on the flat, m/s
    hr_gain: float  # bpm per m/s of flat-equivalent speed
    s0: float  # start offset along the loop, m
    target_m: float
    stand_s: int


def minetti_cost(grade: float) -> float:
    """Energy cost of running, J/kg/m, at grade (rise/run), Minetti et al. 2002."""
    i = min(max(grade, -0.45), 0.45)
    return 155.4 * i**5 - 30.4 * i**4 - 43.3 * i**3 + 46.3 * i**2 + 19.5 * i + 3.6


def _in_walked_climb(plan: RunPlan, pos_m: float) -> bool:
    climbs = ROUTES[plan.route].spec.climbs
    return any(climbs[k][0] <= pos_m < climbs[k][1] for k in plan.walked)


def _mode(plan: RunPlan, params: _Params, st: _State, pos_m: float) -> str:
    """'stand', 'walk' or 'run' for the next second."""
    crossing = ROUTES[plan.route].spec.crossing_m
    if plan.stop and not st.stopped and st.s + params.s0 >= crossing:
        st.stopped, st.stand_left = True, params.stand_s
    if st.stand_left > 0:
        st.stand_left -= 1
        return "stand"
    return "walk" if _in_walked_climb(plan, pos_m) else "run"


def _targets(mode: str, grade: float, params: _Params, st: _State) -> tuple[float, float, float]:
    """Target speed (m/s), steady-state heart rate (bpm) and cadence (steps/min)."""
    drift = 0.06 * st.t / 60.0
    if mode == "stand":
        return 0.0, REST_HR + 32.0 + drift, 0.0
    if mode == "walk":
        v = 1.42 * (1.0 - 0.8 * max(grade, 0.0)) * (1.0 + 0.5 * st.v_noise)
        hr = REST_HR + params.hr_gain * v * minetti_cost(grade) / 3.6 + drift
        return v, hr, 110.0 + 8.0 * (v - 1.4) + st.spm_noise
    factor = 1.0 - 2.0 * grade if grade > 0 else min(1.0 - 1.0 * grade, 1.05)
    v = params.v_base * factor * (1.0 + st.v_noise)
    hr = REST_HR + params.hr_gain * v * minetti_cost(grade) / 3.6 + drift
    return v, hr, 164.0 + 10.0 * (v - 2.6) + st.spm_noise


def _step(plan: RunPlan, params: _Params, st: _State, rng: np.random.Generator) -> None:
    """Advance the state by one second."""
    route = ROUTES[plan.route]
    pos = (st.s + params.s0) % route.spec.length_m
    grade = float(route.grade[int(pos)])
    st.v_noise = 0.97 * st.v_noise + rng.normal(0.0, 0.008)
    st.spm_noise = 0.9 * st.spm_noise + rng.normal(0.0, 0.6)
    mode = _mode(plan, params, st, pos)
    v_t, hr_t, spm_t = _targets(mode, grade, params, st)
    st.v += (v_t - st.v) * (0.6 if mode == "stand" else 0.35)
    st.v = 0.0 if st.v < 0.05 else st.v
    st.spm = spm_t if st.v > 0.5 else 0.0
    st.hr += (hr_t - st.hr) / HR_TAU_S + rng.normal(0.0, 0.3)
    st.s += st.v
    st.t += 1


def _pause(st: _State) -> None:
    """Timer stopped for PAUSE_S: no records, heart rate falls towards standing."""
    st.pause = (st.t, st.t + PAUSE_S)
    st.t += PAUSE_S
    st.hr = REST_HR + 30.0 + (st.hr - REST_HR - 30.0) * math.exp(-PAUSE_S / HR_TAU_S)
    st.v, st.spm = 0.0, 0.0


def _params(plan: RunPlan, rng: np.random.Generator) -> _Params:
    week = (plan.day - FIRST_DAY).days // 7
    length = ROUTES[plan.route].spec.length_m
    target = max(float(length), WEEKLY_TARGET_M[week] + rng.uniform(-60.0, 60.0))
    v_base = float(rng.uniform(2.45, 2.75))
    flat_hr = rng.uniform(133.0, 138.0) if plan.steady else rng.uniform(114.0, 119.0)
    return _Params(
        v_base=v_base,
        hr_gain=(flat_hr - REST_HR) / v_base,
        s0=float(rng.uniform(0.0, 12.0)),
        target_m=target + rng.uniform(0.0, 40.0),
        stand_s=int(rng.integers(20, 41)),
    )


def _simulate_rows(plan: RunPlan, params: _Params, rng: np.random.Generator) -> _State:
    st = _State(hr=float(rng.uniform(80.0, 90.0)))
    pause_at = 1900.0 - params.s0  # m of path; the pause is 1.9 km along the loop
    while True:
        st.rows.append((st.t, st.s, st.v, st.hr, st.spm))
        if st.s >= params.target_m:
            return st
        if plan.pause and st.pause is None and st.s >= pause_at:
            _pause(st)
            continue
        _step(plan, params, st, rng)


def _ar_noise(rng: np.random.Generator, n: int, sd: float, phi: float) -> Array:
    """Stationary AR(1) series (a correlated random walk held near zero), sd in input units."""
    eps = rng.normal(0.0, sd * math.sqrt(1.0 - phi * phi), n)
    out = np.empty(n)
    acc = rng.normal(0.0, sd)
    for i in range(n):
        acc = phi * acc + eps[i]
        out[i] = acc
    return out


def _positions(route: Route, pos_m: Array, rng: np.random.Generator) -> tuple[Array, Array]:
    """Noisy lat/lon in semicircles for loop positions pos_m (m)."""
    n = len(pos_m)
    xs = np.arange(route.spec.length_m + 1, dtype=np.float64)
    east = np.interp(pos_m, xs, np.append(route.east_m, route.east_m[0]))
    north = np.interp(pos_m, xs, np.append(route.north_m, route.north_m[0]))
    east = east + rng.normal(0.0, 1.5) + _ar_noise(rng, n, 2.5, 0.985)
    north = north + rng.normal(0.0, 1.5) + _ar_noise(rng, n, 2.5, 0.985)
    lat = HOME_LAT + north / M_PER_DEG_LAT
    lon = HOME_LON + east / (M_PER_DEG_LAT * math.cos(math.radians(HOME_LAT)))
    return lat * SEMICIRCLES_PER_DEGREE, lon * SEMICIRCLES_PER_DEGREE


def _baro_altitude(true_ele: Array, t_s: Array, rng: np.random.Generator) -> Array:
    """Barometric-style altitude: calibration offset, slow drift, small noise, 0.2 m steps."""
    offset = rng.normal(0.0, 2.0)
    drift = rng.normal(0.0, 1.2) * t_s / 3600.0
    noisy = true_ele + offset + drift + _ar_noise(rng, len(true_ele), 0.12, 0.9)
    return np.round(noisy * 5.0) / 5.0


def _true_climbing(route: Route, s0: float, dist_m: float) -> tuple[float, float]:
    """Ascent and descent (m) of the loop profile along the path, sampled every metre."""
    idx = (np.arange(int(s0), int(s0 + dist_m) + 1)) % route.spec.length_m
    d = np.diff(route.ele_m[idx])
    return float(d[d > 0].sum()), float(-d[d < 0].sum())


def simulate(plan: RunPlan, index: int) -> Track:
    """Simulate one run at 1 Hz, deterministically from SEED and the run's index."""
    rng = np.random.default_rng([SEED, index])
    route = ROUTES[plan.route]
    params = _params(plan, rng)
    st = _simulate_rows(plan, params, rng)
    t, s, v, hr, spm = (np.array(c, dtype=np.float64) for c in zip(*st.rows, strict=True))
    pos = (s + params.s0) % route.spec.length_m
    lat, lon = _positions(route, pos, rng)
    true_ele = np.interp(pos, np.arange(route.spec.length_m, dtype=np.float64), route.ele_m)
    ascent, descent = _true_climbing(route, params.s0, float(s[-1]))
    local = datetime(plan.day.year, plan.day.month, plan.day.day, *plan.start, tzinfo=TZ)
    offset = local.utcoffset()
    return Track(
        plan=plan,
        start_utc=local.astimezone(UTC),
        utc_offset_s=int(offset.total_seconds()) if offset is not None else 0,
        t_s=t.astype(np.int64),
        lat_semi=np.round(lat).astype(np.int64),
        lon_semi=np.round(lon).astype(np.int64),
        ele_m=_baro_altitude(true_ele, t, rng),
        dist_m=np.round(s, 2),
        speed_mps=np.round(v, 3),
        hr_bpm=np.round(hr).astype(np.int64),
        cadence_q=np.round(spm / 2.0 * 128.0).astype(np.int64),
        pause=st.pause,
        ascent_m=ascent,
        descent_m=descent,
    )


# --------------------------------------------------------------------------- FIT


def _fit_ts(track: Track, i: int) -> int:
    """FIT timestamp (s since 1989-12-31 UTC) of record i."""
    return int(track.start_utc.timestamp()) - FIT_EPOCH_S + int(track.t_s[i])


def _mesg_num(name: str) -> int:
    return int(Profile["mesg_num"][name.upper()])


def _timer_time(track: Track, i0: int, i1: int) -> float:
    """Timer time (s) between records i0 and i1, the pause excluded."""
    elapsed = float(track.t_s[i1] - track.t_s[i0])
    if track.pause and track.t_s[i0] <= track.pause[0] < track.t_s[i1]:
        elapsed -= track.pause[1] - track.pause[0]
    return elapsed


def _summary(track: Track, i0: int, i1: int) -> dict[str, object]:
    """Fields shared by lap and session messages for records i0..i1 inclusive."""
    sl = slice(i0, i1 + 1)
    timer = _timer_time(track, i0, i1)
    dist = float(track.dist_m[i1] - track.dist_m[i0])
    moving_cad = track.cadence_q[sl][track.cadence_q[sl] > 0] // 128
    return {
        "timestamp": _fit_ts(track, i1),
        "start_time": _fit_ts(track, i0),
        "start_position_lat": int(track.lat_semi[i0]),
        "start_position_long": int(track.lon_semi[i0]),
        "total_elapsed_time": float(track.t_s[i1] - track.t_s[i0]),
        "total_timer_time": timer,
        "total_distance": dist,
        "avg_speed": dist / timer if timer > 0 else 0.0,
        "max_speed": float(track.speed_mps[sl].max()),
        "avg_heart_rate": round(float(track.hr_bpm[sl].mean())),
        "max_heart_rate": int(track.hr_bpm[sl].max()),
        "avg_cadence": round(float(moving_cad.mean())) if len(moving_cad) else 0,
        "max_cadence": int(moving_cad.max()) if len(moving_cad) else 0,
        "total_calories": round(dist / 1000.0 * 72.0),
        "sport": "running",
        "sub_sport": "generic",
    }


def _lap_mesg(track: Track, i0: int, i1: int, index: int, last: bool) -> dict[str, object]:
    lap = _summary(track, i0, i1)
    lap.update(
        mesg_num=_mesg_num("lap"),
        message_index=index,
        event="lap",
        event_type="stop",
        lap_trigger="session_end" if last else "distance",
        end_position_lat=int(track.lat_semi[i1]),
        end_position_long=int(track.lon_semi[i1]),
    )
    return lap


def _lap_ends(track: Track) -> list[int]:
    """Record indices where laps end: each full mile, then the last record."""
    ends = []
    for k in range(1, int(track.dist_m[-1] // MILE_M) + 1):
        i = int(np.searchsorted(track.dist_m, k * MILE_M))
        if i < len(track.dist_m) - 1:
            ends.append(i)
    return [*ends, len(track.dist_m) - 1]


def _record_mesg(track: Track, i: int) -> dict[str, object]:
    q = int(track.cadence_q[i])
    return {
        "mesg_num": _mesg_num("record"),
        "timestamp": _fit_ts(track, i),
        "position_lat": int(track.lat_semi[i]),
        "position_long": int(track.lon_semi[i]),
        "distance": float(track.dist_m[i]),
        "enhanced_speed": float(track.speed_mps[i]),
        "enhanced_altitude": float(track.ele_m[i]),
        "heart_rate": int(track.hr_bpm[i]),
        "cadence": q // 128,
        "fractional_cadence": (q % 128) / 128.0,
    }


def _event(ts: int, event_type: str) -> dict[str, object]:
    return {
        "mesg_num": _mesg_num("event"),
        "timestamp": ts,
        "event": "timer",
        "event_type": event_type,
        "event_group": 0,
    }


def _header_mesgs(track: Track) -> list[dict[str, object]]:
    t0 = _fit_ts(track, 0)
    return [
        {
            "mesg_num": _mesg_num("file_id"),
            "type": "activity",
            "manufacturer": "garmin",
            "product": GARMIN_PRODUCT_FR945,
            "serial_number": SERIAL_NUMBER,
            "time_created": t0,
        },
        {
            "mesg_num": _mesg_num("device_info"),
            "timestamp": t0,
            "device_index": "creator",
            "manufacturer": "garmin",
            "product": GARMIN_PRODUCT_FR945,
            "serial_number": SERIAL_NUMBER,
            "software_version": 23.26,
            "source_type": "local",
        },
        _event(t0, "start"),
    ]


def _footer_mesgs(track: Track, n_laps: int) -> list[dict[str, object]]:
    last = len(track.t_s) - 1
    session = _summary(track, 0, last)
    timer = _timer_time(track, 0, last)
    session.update(
        mesg_num=_mesg_num("session"),
        message_index=0,
        event="session",
        event_type="stop",
        trigger="activity_end",
        first_lap_index=0,
        num_laps=n_laps,
        total_ascent=round(track.ascent_m),
        total_descent=round(track.descent_m),
    )
    t_end = _fit_ts(track, last)
    activity = {
        "mesg_num": _mesg_num("activity"),
        "timestamp": t_end,
        "total_timer_time": timer,
        "num_sessions": 1,
        "type": "manual",
        "event": "activity",
        "event_type": "stop",
        "local_timestamp": t_end + track.utc_offset_s,
    }
    return [_event(t_end, "stop_all"), session, activity]


def fit_bytes(track: Track) -> bytes:
    """Encode a track as a FIT activity file with garmin_fit_sdk."""
    encoder = Encoder()
    for mesg in _header_mesgs(track):
        encoder.write_mesg(mesg)
    ends = _lap_ends(track)
    lap_start, lap_no = 0, 0
    for i in range(len(track.t_s)):
        encoder.write_mesg(_record_mesg(track, i))
        if track.pause and track.t_s[i] == track.pause[0]:
            encoder.write_mesg(_event(_fit_ts(track, i), "stop_all"))
            encoder.write_mesg(_event(_fit_ts(track, i) + PAUSE_S, "start"))
        if i == ends[lap_no] and lap_no < len(ends) - 1:
            encoder.write_mesg(_lap_mesg(track, lap_start, i, lap_no, last=False))
            lap_start, lap_no = i, lap_no + 1
    stop_all, session, activity = _footer_mesgs(track, len(ends))
    encoder.write_mesg(stop_all)
    encoder.write_mesg(_lap_mesg(track, lap_start, len(track.t_s) - 1, lap_no, last=True))
    for mesg in (session, activity):
        encoder.write_mesg(mesg)
    return bytes(encoder.close())


# --------------------------------------------------------------------------- GPX

_GPX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gpx creator="StravaGPX" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://www.topografix.com/GPX/1/1 '
    "http://www.topografix.com/GPX/1/1/gpx.xsd "
    "http://www.garmin.com/xmlschemas/GpxExtensions/v3 "
    "http://www.garmin.com/xmlschemas/GpxExtensionsv3.xsd "
    "http://www.garmin.com/xmlschemas/TrackPointExtension/v1 "
    'http://www.garmin.com/xmlschemas/TrackPointExtensionv1.xsd" version="1.1" '
    'xmlns="http://www.topografix.com/GPX/1/1" '
    'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1" '
    'xmlns:gpxx="http://www.garmin.com/xmlschemas/GpxExtensions/v3">\n'
)


def _utc_text(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _trkpt(track: Track, i: int) -> str:
    lat = track.lat_semi[i] / SEMICIRCLES_PER_DEGREE
    lon = track.lon_semi[i] / SEMICIRCLES_PER_DEGREE
    when = track.start_utc + timedelta(seconds=int(track.t_s[i]))
    cad = round(track.cadence_q[i] / 128.0)
    return (
        f'   <trkpt lat="{lat:.7f}" lon="{lon:.7f}">\n'
        f"    <ele>{track.ele_m[i]:.1f}</ele>\n"
        f"    <time>{_utc_text(when)}</time>\n"
        "    <extensions>\n"
        "     <gpxtpx:TrackPointExtension>\n"
        f"      <gpxtpx:hr>{track.hr_bpm[i]}</gpxtpx:hr>\n"
        f"      <gpxtpx:cad>{cad}</gpxtpx:cad>\n"
        "     </gpxtpx:TrackPointExtension>\n"
        "    </extensions>\n"
        "   </trkpt>\n"
    )


def gpx_text(track: Track) -> str:
    """A track as Strava's GPX export writes it (cad in strides/min, times in UTC)."""
    hour = track.start_local.hour
    name = "Morning Run" if hour < 12 else "Afternoon Run"
    parts = [
        _GPX_HEAD,
        f" <metadata>\n  <time>{_utc_text(track.start_utc)}</time>\n </metadata>\n",
        f" <trk>\n  <name>{name}</name>\n  <type>9</type>\n  <trkseg>\n",
    ]
    parts.extend(_trkpt(track, i) for i in range(len(track.t_s)))
    parts.append("  </trkseg>\n </trk>\n</gpx>\n")
    return "".join(parts)


# --------------------------------------------------------------------------- logs


def _hill_load(plan: RunPlan) -> float:
    """Symptom weight of the climbs run: the steep church hill counts most."""
    if plan.route == "church":
        return 2.0 * plan.climbs_run
    return 0.7 * plan.climbs_run


def _symptom_notes() -> dict[date, str]:
    return {
        _d(10, 12): "Week 5 of the heel-drop programme",
        _d(10, 14): "Stiff first thing, eased after the heel drops",
        _d(10, 18): 'Physio: "walk the hill, keep HR under 125", and rest days between runs',
        _d(10, 25): "Clocks went back",
        _d(10, 28): "Tight on the stairs this morning",
        _d(11, 3): "Walked the church hill yesterday, felt fine",
        _d(11, 7): "Ran the hill again yesterday, regretted it",
        _d(11, 10): "<script>alert(1)</script>",
        _d(11, 16): "Best week so far",
        _d(11, 22): "Six weeks of logging done",
    }


def _clip_int(x: float, lo: int = 0, hi: int = 10) -> int:
    return int(min(max(round(x), lo), hi))


def symptom_rows(runs: dict[date, RunPlan]) -> list[list[str]]:
    """One row per day: morning scores follow the previous day's run, pain the day's own run."""
    rng = np.random.default_rng([SEED, 1000])
    # morning pain has its own stream, so the other columns are those of the data set
    # before it had morning pain
    pain_rng = np.random.default_rng([SEED, 1001])
    notes = _symptom_notes()
    rows = []
    for k in range(N_DAYS):
        day = FIRST_DAY + timedelta(days=k)
        prev, today = runs.get(day - timedelta(days=1)), runs.get(day)
        load = 0.0
        if prev is not None:
            load = 0.3 + _hill_load(prev) + (1.0 if prev.steady else 0.0)
        stiff = _clip_int(2.4 - 1.3 * k / (N_DAYS - 1) + load + rng.normal(0.0, 0.4))
        minutes = max(0, round(5.0 * stiff + rng.normal(0.0, 2.0))) if stiff else 0
        pinch = _clip_int(0.8 + 0.5 * stiff + rng.normal(0.0, 0.4))
        hill = _hill_load(prev) if prev is not None else 0.0
        morning_pain = _clip_int(0.4 * stiff + 0.25 * hill + pain_rng.normal(0.0, 0.4))
        during = after = ""
        if today is not None:
            extra = 0.6 * _hill_load(today) + (0.5 if today.steady else 0.0)
            during = str(_clip_int(0.8 + extra + rng.normal(0.0, 0.4), hi=4))
            after = str(_clip_int(0.6 + extra + rng.normal(0.0, 0.4), hi=4))
        rows.append(
            [day.isoformat(), str(stiff), str(minutes), str(morning_pain), during, after]
            + [str(pinch)]
            + ["false", "left", notes.get(day, "")]
        )
    return rows


def _load_kg(day: date) -> float:
    week = (day - FIRST_DAY).days // 7
    return 0.0 if week < 3 else (2.5 if week < 5 else 5.0)


_HEEL_NOTES = {
    _d(11, 2): "First week with 2.5 kg in a backpack",
    _d(11, 16): "Up to 5 kg",
    _d(11, 5): "Last bent-knee set felt heavy",
}
_LATE_DROPS = (_d(10, 20), _d(11, 4), _d(11, 19))  # run days with heel drops hours later


def _first_session(day: date, run_end: datetime | None, rng: np.random.Generator) -> datetime:
    if run_end is None:
        start = datetime(day.year, day.month, day.day, 7, 40, tzinfo=TZ)
        return start + timedelta(minutes=int(rng.integers(0, 80)))
    late = day in _LATE_DROPS
    delay = int(rng.integers(180, 300)) if late else int(rng.integers(30, 61))
    return run_end + timedelta(minutes=delay)


def heel_drop_rows(ends: dict[date, datetime]) -> list[list[str]]:
    """Heel-drop sessions: 3x15 straight- and bent-knee, one or two a day, local ISO times."""
    rng = np.random.default_rng([SEED, 2000])
    rows = []
    for k in range(N_DAYS):
        day = FIRST_DAY + timedelta(days=k)
        times = [_first_session(day, ends.get(day), rng)]
        evening = datetime(day.year, day.month, day.day, 18, 30, tzinfo=TZ)
        second = evening + timedelta(minutes=int(rng.integers(0, 150)))
        if rng.uniform() > 0.15:
            times.append(second)
        load = _load_kg(day)
        for j, when in enumerate(times):
            note = _HEEL_NOTES.get(day, "") if j == 0 else ""
            stamp = when.replace(second=0, microsecond=0).astimezone(TZ).isoformat()
            rows.append([stamp, "3", "3", "15", f"{load:g}", note])
    return rows


def csv_text(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """CSV with \\n line endings and minimal quoting."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


# --------------------------------------------------------------------------- output


def file_names(track: Track) -> list[str]:
    """Output file names for a run, from its local start time."""
    stem = track.start_local.strftime("%Y-%m-%d-%H%M")
    fmt = track.plan.fmt
    names = [f"{stem}-run.fit"] if fmt in ("fit", "both") else []
    return names + ([f"{stem}-strava.gpx"] if fmt in ("gpx", "both") else [])


def _hill_words(plan: RunPlan) -> str:
    climbs = len(ROUTES[plan.route].spec.climbs)
    if climbs == 0:
        return "flat"
    if plan.route == "church":
        return "hill walked" if plan.walked else "hill run"
    if not plan.walked:
        return f"all {climbs} climbs run"
    numbers = " and ".join(str(k + 1) for k in plan.walked)
    return f"walked climb{'s' if len(plan.walked) > 1 else ''} {numbers} of {climbs}"


def _run_table(tracks: Sequence[Track]) -> str:
    lines = [
        "| Date | Local start | Route | Hill | Effort | km | Extras | Files |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for tr in tracks:
        p = tr.plan
        extras = ", ".join(
            w for w, on in (("stop at crossing", p.stop), ("timer paused", p.pause)) if on
        )
        lines.append(
            f"| {p.day.isoformat()} | {tr.start_local.strftime('%H:%M')} "
            f"| {ROUTES[p.route].spec.name} | {_hill_words(p)} "
            f"| {'steady' if p.steady else 'easy'} | {tr.dist_m[-1] / 1000.0:.2f} "
            f"| {extras or '-'} | {', '.join('`' + n + '`' for n in file_names(tr))} |"
        )
    return "\n".join(lines) + "\n"


_README_HEAD = """\
# Sample data (synthetic)

**Everything in this folder is invented.** It was generated by `tools/make_sample_data.py`
(`.venv/bin/python tools/make_sample_data.py`, or `--out DIR` to write elsewhere). The script
uses a fixed seed and fixed dates, so running it again gives byte-identical files;
`tests/test_sample_data.py` checks that. Do not edit these files by hand: change the script
and regenerate.

## The runner

A runner in their 40s (age 44, maximum heart rate 178 bpm, resting 55 bpm; 70% of maximum is
about 125 bpm) with mid-portion Achilles tendinopathy on the left side, a few weeks into a
12-week eccentric heel-drop programme. They run 2-3 miles slowly (about 10-11 min/mile,
2.4-2.8 m/s, cadence 160-170 steps/min), mostly every other day, usually starting between
07:00 and 07:30 local time. They live in an invented town near 51.45 N, 2.60 W, time zone
Europe/London.

## The weeks

Six ISO weeks, Monday 2026-10-12 to Sunday 2026-11-22 (2026-W42 .. 2026-W47). The clocks go
back on Sunday 2026-10-25 (BST, UTC+1, to GMT, UTC+0): times inside the files are UTC, the logs
carry the local offset. Weekly distance builds slowly, and there are four pairs of back-to-back
running days (10-17/18, 10-24/25, 11-06/07, 11-21/22).

## The routes

All three are closed loops from the same home point.

- **Riverside loop**, 3.3 km: flat, total ascent about 2 m.
- **Church hill loop**, 3.5 km: flat except one short steep hill whose foot is about 0.95 km in:
  200 m at 8% (16 m of climbing), then a gentler, longer descent (about 15 m over 700 m).
- **Ridge loop**, 4.3 km: hilly, three climbs: 400 m at 5%, 250 m at 6.4%, 500 m at 4.4%.

Runs longer than a loop carry on round the start of the loop again (never as far as a hill).
Positions carry 2-3 m of correlated GPS noise; altitude is barometric-style (smooth, 0.2 m
steps, a calibration offset and slow drift).

## The runs

On the Church hill loop the runner runs the hill in the early weeks and walks it more and more
later (walking about 1.4 m/s, about 110 steps/min). On the Ridge loop they sometimes walk a
climb. "Steady" runs were not really easy: heart rate mostly 130-150 bpm. Heart rate follows
grade and pace with a lag (first-order, time constant 30 s).

"""

_README_TAIL = """
The run on **2026-10-27** was exported twice: `2026-10-27-0705-run.fit` and its Strava twin
`2026-10-27-0705-strava.gpx` hold the same points, so duplicate detection has something to find.
The run on 2026-10-31 has the timer stopped for about two minutes (no records, FIT timer
`stop_all` and `start` events); three runs include 20-40 s standing at a road crossing.

## The symptom pattern

`symptoms.csv` has one row per day. Morning stiffness (and pinch tenderness with it) is about
two points higher on the morning after the church hill was **run** rather than walked, about
one point higher after a steady run, a little higher after any run, and the baseline settles
slowly over the six weeks. Morning pain (on getting up) follows the stiffness at about 0.4 of
it, and is higher again after a hill was run (half a point a church-hill climb). Pain during
and after a run is higher on the days the hill was run.
Swelling is never logged. One note is `<script>alert(1)</script>` (to test HTML escaping in
reports) and one contains a comma and double quotes (to test CSV quoting).

## File formats

- `*-run.fit`: FIT activity files as a Garmin Forerunner 945 (product 3113) would write them:
  file_id, device_info, timer events, 1 Hz records (position, enhanced_altitude, distance,
  enhanced_speed, heart_rate, cadence in strides/min plus fractional_cadence), one lap per
  mile, a session with the true totals and an activity message whose local_timestamp gives the
  UTC offset.
- `*-strava.gpx`: GPX 1.1 as Strava exports it (`creator="StravaGPX"`, track type 9, heart rate
  and cadence in `gpxtpx:TrackPointExtension`; cadence in strides/min).
- `symptoms.csv`: `date,morning_stiffness,morning_stiffness_minutes,morning_pain,pain_during,`
  `pain_after,pinch_tenderness,swelling,side,note`. Scores are 0-10; minutes are whole
  minutes; `swelling` is `true`/`false`; `pain_during` and `pain_after` are empty on days
  without a run; `morning_pain` is pain on getting up.
- `heel_drops.csv`: `time,straight_knee_sets,bent_knee_sets,reps,added_load_kg,note`. `time` is
  local ISO 8601 with its UTC offset. Each session is 3x15 straight-knee and 3x15 bent-knee;
  the added load is 0 kg for three weeks, then 2.5 kg, then 5 kg in the last week.
"""


def readme_text(tracks: Sequence[Track]) -> str:
    """The README describing the data set, with the generated run table."""
    return _README_HEAD + _run_table(tracks) + _README_TAIL


def generate() -> dict[str, bytes]:
    """All output files, name -> content."""
    tracks = [simulate(plan, i) for i, plan in enumerate(PLAN)]
    files: dict[str, bytes] = {}
    for tr in tracks:
        for name in file_names(tr):
            data = fit_bytes(tr) if name.endswith(".fit") else gpx_text(tr).encode("utf-8")
            files[name] = data
    runs = {tr.plan.day: tr.plan for tr in tracks}
    ends = {tr.plan.day: tr.end_local for tr in tracks}
    files["symptoms.csv"] = csv_text(SYMPTOM_HEADER, symptom_rows(runs)).encode("utf-8")
    files["heel_drops.csv"] = csv_text(HEEL_DROP_HEADER, heel_drop_rows(ends)).encode("utf-8")
    files["README.md"] = readme_text(tracks).encode("utf-8")
    return files


def main(argv: Sequence[str] | None = None) -> int:
    """Write the sample data set; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    default = Path(__file__).resolve().parent.parent / "sample_data"
    parser.add_argument("--out", type=Path, default=default, help="output folder")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for name, data in sorted(generate().items()):
        (out / name).write_bytes(data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
