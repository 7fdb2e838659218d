"""How a run's load goes with the next morning's symptoms: Spearman's rho, the number of
pairs and a seeded bootstrap 95% interval. Words describe what goes together, never cause.

Every load of ``LOADS`` is paired with every symptom of ``SYMPTOMS`` (DOMAIN.md, "Linking
load to symptoms"): the load of a run on local day d with the check-in of the morning of
d+1 (the ``next_*`` columns of ``daily.runs_frame``).

rho is Pearson's r on average ranks (ties share their mean rank), so no scipy is needed.
The pairs needed and the share that makes a lump are settings (``link_min_pairs``,
``link_lump_share``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analyzer.settings import Settings

BOOTSTRAP = 2000
SEED = 20070101  # fixed: the same data gives the same interval every time


@dataclass(frozen=True)
class Lump:
    """One value that ``count`` of the pairs share (a load of 0 min uphill, a score of 2)."""

    value: float
    count: int


@dataclass(frozen=True)
class Association:
    """Spearman's rho of ``n`` pairs with a bootstrap 95% interval (None below ``needed``
    pairs, the ``link_min_pairs`` it was judged with, or where a variable does not vary).
    ``flat_x`` and ``flat_y``: the one value a variable takes in every pair, when there
    are enough pairs but it never varies. ``lump_x`` and ``lump_y``: with a rho, the one
    value that at least ``link_lump_share`` of the pairs share (most runs with no uphill
    running), which the words caution about."""

    n: int
    rho: float | None
    low: float | None
    high: float | None
    flat_x: float | None = None
    flat_y: float | None = None
    lump_x: Lump | None = None
    lump_y: Lump | None = None
    outside: int | None = None  # with a lump: the pairs outside at least one lump
    needed: int = Settings.link_min_pairs  # the pairs a rho needs (``link_min_pairs``)

    @property
    def enough(self) -> bool:
        return self.rho is not None

    @property
    def flat(self) -> bool:
        """Enough pairs, but the load or the symptom is the same in every one."""
        return self.flat_x is not None or self.flat_y is not None


def _pearson(a: np.ndarray, b: np.ndarray) -> float | None:
    a = a - a.mean()
    b = b - b.mean()
    denom = math.sqrt(float((a * a).sum() * (b * b).sum()))
    return float((a * b).sum() / denom) if denom > 0 else None


def spearman_rho(x: np.ndarray, y: np.ndarray) -> float | None:
    """Spearman's rho; None when either variable is constant."""
    rx = pd.Series(x).rank(method="average").to_numpy()
    ry = pd.Series(y).rank(method="average").to_numpy()
    return _pearson(rx, ry)


def _row_pearson(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a - a.mean(axis=1, keepdims=True)
    b = b - b.mean(axis=1, keepdims=True)
    denom = np.sqrt((a * a).sum(axis=1) * (b * b).sum(axis=1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denom > 0, (a * b).sum(axis=1) / denom, np.nan)


def bootstrap_interval(
    x: np.ndarray, y: np.ndarray, resamples: int = BOOTSTRAP, seed: int = SEED
) -> tuple[float, float]:
    """Percentile 95% interval of rho over ``resamples`` resamples of the pairs.

    Resamples where a variable is constant have no rho and are left out.
    """
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(x), size=(resamples, len(x)))
    rhos = _row_pearson(resampled_ranks(x, idx), resampled_ranks(y, idx))
    rhos = rhos[np.isfinite(rhos)]
    if rhos.size == 0:
        return (math.nan, math.nan)
    low, high = np.quantile(rhos, [0.025, 0.975])
    return float(low), float(high)


def resampled_ranks(values: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Average ranks (ties share their mean rank) of ``values[idx]`` within each row of
    ``idx``, as pandas' ``rank(axis=1, method="average")`` gives them, from counts: a value
    ranks after every smaller value drawn in its row, and halfway through its own ties.
    Linear in the draws, where ranking each row sorts it (15 pairings x 2000 resamples
    made the report's links 5 times slower)."""
    distinct, group = np.unique(values, return_inverse=True)
    rows, draws = idx.shape
    drawn = group[idx] + (np.arange(rows) * distinct.size)[:, None]  # (row, value) cells
    counts = np.bincount(drawn.ravel(), minlength=rows * distinct.size).reshape(rows, -1)
    below = np.cumsum(counts, axis=1) - counts
    return np.take_along_axis(below + (counts + 1.0) / 2.0, group[idx], axis=1)


def _only(values: np.ndarray) -> float | None:
    """The one value of ``values`` when they are all equal, else None."""
    return float(values[0]) if values.size and bool((values == values[0]).all()) else None


def lump(values: np.ndarray, share: float = Settings.link_lump_share) -> Lump | None:
    """The most common value of ``values`` where at least ``share`` of them take it
    (ties: the smallest such value), else None."""
    if not values.size:
        return None
    found, counts = np.unique(values, return_counts=True)
    top = int(np.argmax(counts))
    count = int(counts[top])
    return Lump(float(found[top]), count) if count >= share * values.size else None


def associate(
    x: pd.Series | np.ndarray,
    y: pd.Series | np.ndarray,
    min_pairs: int = Settings.link_min_pairs,
    lump_share: float = Settings.link_lump_share,
) -> Association:
    """Association of the complete pairs of ``x`` and ``y``: no rho below ``min_pairs``
    pairs; a lump where at least ``lump_share`` of them share one value."""
    xa = np.asarray(x, dtype="float64")
    ya = np.asarray(y, dtype="float64")
    ok = np.isfinite(xa) & np.isfinite(ya)
    xa, ya = xa[ok], ya[ok]
    n = int(ok.sum())
    if n < min_pairs:
        return Association(n, None, None, None, needed=min_pairs)
    rho = spearman_rho(xa, ya)
    if rho is None:  # a variable that never varies: ranks tell nothing
        return Association(n, None, None, None, _only(xa), _only(ya), needed=min_pairs)
    low, high = bootstrap_interval(xa, ya)
    lx, ly = lump(xa, lump_share), lump(ya, lump_share)
    out = np.zeros(n, dtype=bool)
    for values, lumped in ((xa, lx), (ya, ly)):
        if lumped is not None:
            out |= values != lumped.value
    outside = int(out.sum()) if lx is not None or ly is not None else None
    return Association(n, rho, low, high, lump_x=lx, lump_y=ly, outside=outside, needed=min_pairs)


def strength(rho: float) -> str:
    size = abs(rho)
    if size < 0.1:
        return "no clear"
    if size < 0.3:
        return "a weak"
    if size < 0.5:
        return "a moderate"
    return "a strong"


@dataclass(frozen=True)
class Load:
    """A load of a run: its column, what it is (``uphill running time``), more of it
    (``more uphill running``, for "went with" sentences) and what every value 0 means
    (``no uphill running``)."""

    column: str
    label: str
    more: str
    none: str


@dataclass(frozen=True)
class Symptom:
    """A next-morning score (0-10): its column, what it is (``next-morning stiffness``)
    and a button or column heading (``stiffness``)."""

    column: str
    label: str
    short: str


#: the loads of a run (DOMAIN.md): uphill running time, uphill gain, easy share, distance
#: and TRIMP
LOADS: tuple[Load, ...] = (
    Load("uphill_run_s", "uphill running time", "more uphill running", "no uphill running"),
    Load(
        "uphill_run_gain_m",
        "uphill gain while running",
        "more climbing while running",
        "no climbing while running",
    ),
    Load("easy_share", "easy share", "a higher share of easy running", "no easy running"),
    Load("distance_m", "distance", "a longer run", "no distance"),
    Load("trimp", "TRIMP", "a higher TRIMP (heart-rate load)", "no heart-rate load"),
)

#: the next morning's check-in scores (DOMAIN.md): stiffness, pain and tenderness. Pain is
#: the check-in's morning pain (``morning_pain``), never pain during or after a run. A
#: column the runs frame lacks counts as never logged: no pairs.
SYMPTOMS: tuple[Symptom, ...] = (
    Symptom("next_stiffness", "next-morning stiffness", "stiffness"),
    Symptom("next_pain", "next-morning pain", "pain"),
    Symptom("next_tenderness", "next-morning tenderness", "tenderness"),
)

#: said once beside the pairings, never left out
NOT_CAUSE = "This shows what goes together, not what causes what."


def _runs_had(load: Load, value: float) -> str:
    return load.none if value == 0 else f"the same {load.label}"


def flat_words(assoc: Association, load: Load, symptom: Symptom) -> str:
    """Short: what did not vary (``no uphill running``, ``stiffness 2/10 every time``)."""
    parts = []
    if assoc.flat_x is not None:
        parts.append(_runs_had(load, assoc.flat_x))
    if assoc.flat_y is not None:
        parts.append(f"{symptom.short} {assoc.flat_y:g}/10 every time")
    return " and ".join(parts)


def _flat_sentence(assoc: Association, load: Load, symptom: Symptom) -> str:
    """``All 12 runs had no uphill running: nothing to compare yet.``"""
    n, x, y = assoc.n, assoc.flat_x, assoc.flat_y
    morning = "" if y is None else f"the next morning's {symptom.short} was {y:g}/10"
    if x is not None and y is not None:
        said = f"All {n} runs had {_runs_had(load, x)}, and {morning} after each"
    elif x is not None:
        said = f"All {n} runs had {_runs_had(load, x)}"
    else:
        said = f"After all {n} runs, {morning}"
    return f"{said}: nothing to compare yet."


def lump_words(assoc: Association, load: Load, symptom: Symptom) -> str:
    """Short, for a table cell: ``8 of 10 runs: no uphill running``; "" with no lump."""
    parts = []
    if assoc.lump_x is not None:
        parts.append(
            f"{assoc.lump_x.count} of {assoc.n} runs: {_runs_had(load, assoc.lump_x.value)}"
        )
    if assoc.lump_y is not None:
        parts.append(
            f"{assoc.lump_y.count} of {assoc.n} mornings: {symptom.short} {assoc.lump_y.value:g}/10"
        )
    return "; ".join(parts)


def _lump_sentences(assoc: Association, load: Load, symptom: Symptom) -> str:
    """`` But 8 of 10 runs had no uphill running, so this rests on the other 2 runs.``: where
    most pairs share one load value or one score, rho mostly ranks the few others."""
    said = []
    lx, ly = assoc.lump_x, assoc.lump_y
    if lx is not None:
        said.append(f"{lx.count} of {assoc.n} runs had {_runs_had(load, lx.value)}")
    if ly is not None:
        said.append(
            f"after {ly.count} of {assoc.n} runs the next morning's {symptom.short} was "
            f"{ly.value:g}/10"
        )
    if not said:
        return ""
    rest = (
        assoc.outside
        if assoc.outside is not None
        else assoc.n - max(lp.count for lp in (lx, ly) if lp is not None)
    )
    other = "run" if rest == 1 else f"{rest} runs"
    head = " and ".join(said)
    return f" But {head}, so this rests on the other {other}."


def describe(assoc: Association, load: Load, symptom: Symptom) -> str:
    """One or two sentences on what goes with what, and how sure that is; never a
    cause (the page says :data:`NOT_CAUSE` once beside them)."""
    if assoc.flat:
        return _flat_sentence(assoc, load, symptom)
    if assoc.n == 0:
        return (
            f"No pairs yet: no run up to this week has both {load.label} and a "
            f"{symptom.label} score."
        )
    if not assoc.enough or assoc.rho is None:
        return (
            f"Not enough data yet: {assoc.n} pair{'' if assoc.n == 1 else 's'}, "
            f"at least {assoc.needed} are needed "
            "before saying anything."
        )
    direction = "higher" if assoc.rho > 0 else "lower"
    sure = ""
    if assoc.low is not None and assoc.high is not None and np.isfinite(assoc.low):
        crosses = assoc.low < 0 < assoc.high
        sure = (
            " The interval includes zero, so it could be chance."
            if crosses
            else " The interval excludes zero."
        )
    if strength(assoc.rho) == "no clear":
        head = f"No clear link between {load.label} and {symptom.label}."
    else:
        head = (
            f"{strength(assoc.rho).capitalize()} tendency: {load.more} went with "
            f"{direction} {symptom.label}."
        )
    return f"{head}{sure}{_lump_sentences(assoc, load, symptom)}"


@dataclass(frozen=True)
class Link:
    """One load against one of the next morning's symptoms."""

    load: Load
    symptom: Symptom
    association: Association
    text: str

    @property
    def status(self) -> str:
        """``rho``, ``few`` (pairs, none at all included) or ``flat`` (nothing varies)."""
        if self.association.flat:
            return "flat"
        return "rho" if self.association.enough else "few"


def never_logged(links: Sequence[Link]) -> list[Symptom]:
    """The symptoms that no run of ``links`` has a next-morning score for, under any load
    (none logged yet): said once, not in each pairing."""
    symptoms = list(dict.fromkeys(lk.symptom for lk in links))
    return [m for m in symptoms if all(lk.association.n == 0 for lk in links if lk.symptom == m)]


def never_words(symptom: Symptom) -> str:
    return (
        f"No run up to this week has a {symptom.label} score yet, so {symptom.short} "
        "cannot be compared with the loads."
    )


def no_pairs_words(load: Load) -> str:
    """A load no run can be paired on (no TRIMP without heart rate): said once for it."""
    return f"No pairs yet: no run up to this week has both {load.label} and a next-morning score."


def links(runs: pd.DataFrame, until: pd.Timestamp, settings: Settings) -> list[Link]:
    """Every load of LOADS against every symptom of SYMPTOMS, load by load, over the runs
    up to ``until``, with the pairs needed and the lump share of ``settings``."""
    upto = runs[runs["local_date"] <= until]
    unknown = pd.Series(np.nan, index=upto.index)
    out = []
    for load in LOADS:
        for symptom in SYMPTOMS:
            x, y = (upto.get(m.column, unknown) for m in (load, symptom))
            assoc = associate(x, y, settings.link_min_pairs, settings.link_lump_share)
            out.append(Link(load, symptom, assoc, describe(assoc, load, symptom)))
    return out
