"""How a run's load goes with the next morning's symptoms: Spearman's rho, the number of
pairs and a seeded bootstrap 95% interval. Words describe what goes together, never cause.

rho is Pearson's r on average ranks (ties share their mean rank), so no scipy is needed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_PAIRS = 8
BOOTSTRAP = 2000
SEED = 20070101  # fixed: the same data gives the same interval every time


@dataclass(frozen=True)
class Association:
    """Spearman's rho of ``n`` pairs with a bootstrap 95% interval (None below MIN_PAIRS)."""

    n: int
    rho: float | None
    low: float | None
    high: float | None

    @property
    def enough(self) -> bool:
        return self.rho is not None


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
    rx = pd.DataFrame(x[idx]).rank(axis=1, method="average").to_numpy()
    ry = pd.DataFrame(y[idx]).rank(axis=1, method="average").to_numpy()
    rhos = _row_pearson(rx, ry)
    rhos = rhos[np.isfinite(rhos)]
    if rhos.size == 0:
        return (math.nan, math.nan)
    low, high = np.quantile(rhos, [0.025, 0.975])
    return float(low), float(high)


def associate(x: pd.Series | np.ndarray, y: pd.Series | np.ndarray) -> Association:
    """Association of the complete pairs of ``x`` and ``y``."""
    xa = np.asarray(x, dtype="float64")
    ya = np.asarray(y, dtype="float64")
    ok = np.isfinite(xa) & np.isfinite(ya)
    xa, ya = xa[ok], ya[ok]
    n = int(ok.sum())
    rho = spearman_rho(xa, ya) if n >= MIN_PAIRS else None
    if rho is None:
        return Association(n, None, None, None)
    low, high = bootstrap_interval(xa, ya)
    return Association(n, rho, low, high)


def strength(rho: float) -> str:
    size = abs(rho)
    if size < 0.1:
        return "no clear"
    if size < 0.3:
        return "a weak"
    if size < 0.5:
        return "a moderate"
    return "a strong"


def describe(assoc: Association, load: str, more: str, symptom: str) -> str:
    """One sentence on what goes with what, and how sure that is. Never a cause."""
    if not assoc.enough or assoc.rho is None:
        return (
            f"Not enough data yet: {assoc.n} pair{'' if assoc.n == 1 else 's'}, "
            f"at least {MIN_PAIRS} are needed "
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
        head = f"No clear link between {load} and {symptom}."
    else:
        head = (
            f"{strength(assoc.rho).capitalize()} tendency: {more} went with {direction} {symptom}."
        )
    return f"{head}{sure} This shows what goes together, not what causes what."


@dataclass(frozen=True)
class Link:
    """One load measure against the next morning's stiffness."""

    column: str
    label: str
    more: str
    association: Association
    text: str


#: (column, what it is, how "more of it" reads)
LINKS: tuple[tuple[str, str, str], ...] = (
    ("uphill_run_s", "uphill running time", "more uphill running"),
    ("easy_share", "easy share", "a higher share of easy running"),
    ("distance_m", "distance", "a longer run"),
)


def links(runs: pd.DataFrame, until: pd.Timestamp) -> list[Link]:
    """Each load of LINKS against next-morning stiffness, over runs up to ``until``."""
    upto = runs[runs["local_date"] <= until]
    out = []
    for column, label, more in LINKS:
        assoc = associate(upto[column], upto["next_stiffness"])
        text = describe(assoc, label, more, "next-morning stiffness")
        out.append(Link(column, label, more, assoc, text))
    return out
