"""Computed totals against the devices' own session summaries, over the corpus.

Usage: .venv/bin/python bench/accuracy.py [--cv] [CORPUS_DIR]

Reads every FIT session of ``fit_sessions.tsv``, runs ``activity.analyse`` with default
settings, prints a per-file table and a summary, and checks the targets of issue 3.
Exit code 0 when every target holds, 1 otherwise. Devices whose own figure is plainly
wrong are listed as excluded with the reason, never dropped silently.

``--cv`` also cross-validates the two fitted ascent parameters (smoothing window in
samples, barometric hysteresis), leaving one session out: for each held-out session
the pair is chosen on the others only, and the held-out error is reported.
"""

from __future__ import annotations

import csv
import dataclasses
import statistics
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from analyzer.activity import ActivitySummary, analyse
from analyzer.importers import read
from analyzer.metrics.elevation import elevation, smoothed_altitude
from analyzer.schema import Activity
from analyzer.settings import Settings

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
Sessions = Callable[[str], list[tuple[Activity, ActivitySummary]]]
MIN_ASCENT_M = 20.0  # ascent targets apply to sessions whose device ascent is at least this
# A device ascent this much below one single climb of its own record contradicts it (device
# totals are whole metres, and the climb is measured on the method's smoothed series, so
# only a clear shortfall counts: half the 10% of the share target).
CONTRADICTION = 0.05

# file -> reason, for the ascent and descent only (the session's other figures still
# count). Each is a device figure that cannot describe the recorded data. More are found
# by ``contradicted``.
EXCLUDED: dict[str, str] = {}

# quantity -> (tsv column, summary getter, tolerance, relative?)
TARGETS = {
    "distance": ("total_distance", lambda s: s.distance_m, 0.005, True),
    "timer": ("total_timer_time", lambda s: s.timer_s, 0.01, True),
    "avg_hr": ("avg_heart_rate", lambda s: s.metrics["heart_rate_avg_bpm"], 1.0, False),
    "max_hr": ("max_heart_rate", lambda s: s.metrics["heart_rate_max_bpm"], 1.0, False),
}


@dataclass
class Row:
    file: str
    session: int
    device: dict[str, float | None]
    computed: dict[str, float | None]
    excluded: str | None = None
    notes: list[str] = field(default_factory=list)


def _num(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def sessions_of(
    corpus: Path, name: str, settings: Settings
) -> list[tuple[Activity, ActivitySummary]]:
    return [(a, analyse(a, settings)) for a in read(corpus / name)]


def largest_climb_m(activity: Activity, settings: Settings) -> float:
    """The largest rise, trough to a later peak, of the record's altitude as the method
    smooths it: every way of counting that record's ascent gives at least this."""
    z = smoothed_altitude(activity.frame, settings, activity.altitude_source, activity.pauses)
    if z.empty:
        return 0.0
    values = z.to_numpy()
    return float(np.max(values - np.minimum.accumulate(values)))


def contradicted(activity: Activity, device_ascent: float | None, settings: Settings) -> str | None:
    """Why the device's ascent cannot describe its own record, or None."""
    if not device_ascent:
        return None
    climb = largest_climb_m(activity, settings)
    # a device may ignore a climb smaller than its own dead band (Suunto documents 5 m in
    # 12 minutes), never one of 20 m
    if climb < MIN_ASCENT_M or climb <= device_ascent * (1 + CONTRADICTION):
        return None
    return (
        f"device ascent {device_ascent:.0f} m is less than one single climb of {climb:.1f} m "
        "in its own altitude record"
    )


def load_rows(corpus: Path, settings: Settings, sessions: Sessions | None = None) -> list[Row]:
    """One Row per session of fit_sessions.tsv, with device and computed values.

    ``sessions(name)`` gives (activity, summary) for each session of one corpus file; by
    default it reads and analyses the file (tests pass a cached one).
    """
    get = sessions or (lambda name: sessions_of(corpus, name, settings))
    cache: dict[str, list[tuple[Activity, ActivitySummary]]] = {}
    rows = []
    with (corpus / "fit_sessions.tsv").open() as fh:
        for rec in csv.DictReader(fh, delimiter="\t"):
            name = rec["file"]
            if name not in cache:
                cache[name] = get(name)
            activity, s = cache[name][int(rec["session_index"])]
            row = _row(rec, s)
            if row.excluded is None:
                row.excluded = contradicted(activity, row.device["ascent"], settings)
            rows.append(row)
    return rows


def _row(rec: dict[str, str], s: ActivitySummary) -> Row:
    device = {q: _num(rec[col]) for q, (col, _, _, _) in TARGETS.items()}
    device["ascent"] = _num(rec["total_ascent"])
    device["descent"] = _num(rec["total_descent"])
    computed = {q: get(s) for q, (_, get, _, _) in TARGETS.items()}
    computed["ascent"] = s.metrics["ascent_m"]
    computed["descent"] = s.metrics["descent_m"]
    return Row(rec["file"], int(rec["session_index"]), device, computed, EXCLUDED.get(rec["file"]))


def error(row: Row, q: str) -> float | None:
    """Relative error for distance, timer, ascent, descent; bpm for heart rates."""
    dev, comp = row.device.get(q), row.computed.get(q)
    if dev is None or comp is None:
        return None
    if q in ("avg_hr", "max_hr"):
        return comp - dev
    return (comp - dev) / dev if dev else None


def _fmt(value: float | None, q: str) -> str:
    if value is None:
        return "-"
    return f"{value:+.1f}" if q in ("avg_hr", "max_hr") else f"{value * 100:+.1f}%"


def table(rows: Iterable[Row]) -> str:
    qs = ["distance", "timer", "ascent", "descent", "avg_hr", "max_hr"]
    head = f"{'file':58} {'s':>1} {'asc dev':>7} {'asc us':>7} " + " ".join(f"{q:>8}" for q in qs)
    lines = [head, "-" * len(head)]
    for r in rows:
        asc_d, asc_c = r.device["ascent"], r.computed["ascent"]
        cells = " ".join(f"{_fmt(error(r, q), q):>8}" for q in qs)
        line = (
            f"{r.file[:58]:58} {r.session:>1} "
            f"{'-' if asc_d is None else f'{asc_d:.0f}':>7} "
            f"{'-' if asc_c is None else f'{asc_c:.0f}':>7} {cells}"
        )
        if r.excluded:
            line += f"  ASCENT EXCLUDED: {r.excluded}"
        lines.append(line)
    return "\n".join(lines)


@dataclass(frozen=True)
class Check:
    name: str
    value: str
    target: str
    ok: bool


def ascent_checks(rows: list[Row]) -> list[Check]:
    hilly = [
        r
        for r in rows
        if not r.excluded
        and (r.device["ascent"] or 0) >= MIN_ASCENT_M
        and r.computed["ascent"] is not None
    ]
    errs = [abs(error(r, "ascent") or 0.0) for r in hilly]
    if not errs:
        return []
    median = statistics.median(errs)
    within = sum(e <= 0.10 for e in errs) / len(errs)
    return [
        Check(f"ascent median |error| (n={len(errs)})", f"{median:.1%}", "<= 5%", median <= 0.05),
        Check("ascent share within 10%", f"{within:.0%}", ">= 80%", within >= 0.80),
    ]


def _tolerance(row: Row, q: str, tol: float) -> float:
    """Relative tolerance; for timer time never below 1 s, since records carry whole
    seconds while the device times to the millisecond (a 4.3 s transition is 4 s)."""
    if q == "timer" and row.device["timer"]:
        return max(tol, 1.0 / row.device["timer"])
    return tol


def tolerance_checks(rows: list[Row]) -> list[Check]:
    out = []
    for q, (_, _, tol, rel) in TARGETS.items():
        errs = [(r, error(r, q)) for r in rows]
        known = [(r, e) for r, e in errs if e is not None]
        bad = [r for r, e in known if abs(e) > _tolerance(r, q, tol) + 1e-9]
        shown = f"{tol:.1%}" if rel else f"{tol:g} bpm"
        shown += " or 1 s" if q == "timer" else ""
        worst = max((abs(e) for _, e in known), default=0.0)
        value = f"{len(known) - len(bad)}/{len(known)} within, worst {_fmt(worst, q)}"
        out.append(Check(f"{q} within {shown}", value, "all", not bad))
    return out


def summary(rows: list[Row]) -> list[Check]:
    return ascent_checks(rows) + tolerance_checks(rows)


def summary_text(rows: list[Row], checks: list[Check]) -> str:
    lines = [
        f"sessions: {len(rows)}, ascent excluded: {sum(bool(r.excluded) for r in rows)}",
    ]
    for c in checks:
        lines.append(f"{c.name:40} {c.value:32} target {c.target:7} {'OK' if c.ok else 'MISSED'}")
    return "\n".join(lines)


# --- cross-validation of the fitted ascent parameters (issue 3: hold on unseen files) ---
CV_SAMPLES = (6, 8, 10, 12, 15)  # smoothing window, samples (= s at 1 s recording)
CV_HYSTERESIS_M = tuple(round(0.8 + 0.2 * i, 1) for i in range(12))  # 0.8 .. 3.0 m
CV_CAP = 0.10  # selection loss: mean of min(|error|, 10%), the within-10% target smoothed


def cv_sessions(corpus: Path) -> list[tuple[str, Activity, float]]:
    """(label, activity, device ascent) for every session the ascent targets cover."""
    out: list[tuple[str, Activity, float]] = []
    cache: dict[str, list[Activity]] = {}
    with (corpus / "fit_sessions.tsv").open() as fh:
        for rec in csv.DictReader(fh, delimiter="\t"):
            device = _num(rec["total_ascent"])
            if rec["file"] in EXCLUDED or device is None or device < MIN_ASCENT_M:
                continue
            if rec["file"] not in cache:
                cache[rec["file"]] = read(corpus / rec["file"])
            activity = cache[rec["file"]][int(rec["session_index"])]
            if contradicted(activity, device, Settings()):
                continue
            out.append((f"{rec['file']}#{rec['session_index']}", activity, device))
    return out


def cv_settings(samples: int, hysteresis_m: float) -> Settings:
    # one window: samples, and the same number of seconds (equal at 1 s recording)
    return dataclasses.replace(
        Settings(),
        altitude_smooth_samples=samples,
        altitude_smooth_baro_s=float(samples),
        ascent_hysteresis_baro_m=hysteresis_m,
    )


def cv_errors(sessions: list[tuple[str, Activity, float]]) -> np.ndarray:
    """|relative ascent error|, indexed [session, window, hysteresis]."""
    grid = np.zeros((len(sessions), len(CV_SAMPLES), len(CV_HYSTERESIS_M)))
    for i, samples in enumerate(CV_SAMPLES):
        for j, hyst in enumerate(CV_HYSTERESIS_M):
            settings = cv_settings(samples, hyst)
            for k, (_, a, device) in enumerate(sessions):
                e = elevation(a.frame, settings, a.altitude_source, a.pauses)
                grid[k, i, j] = abs(((e.ascent_m or 0.0) - device) / device)
    return grid


def cv_pick(errors: np.ndarray) -> tuple[int, int]:
    loss = np.minimum(errors, CV_CAP).mean(axis=0)
    i, j = np.unravel_index(int(np.argmin(loss)), loss.shape)
    return int(i), int(j)


def cross_validate(corpus: Path) -> str:
    """In-sample and leave-one-session-out figures for the ascent targets, as text."""
    sessions = cv_sessions(corpus)
    errors = cv_errors(sessions)
    i, j = cv_pick(errors)
    lines = [f"in-sample choice: {CV_SAMPLES[i]} samples, {CV_HYSTERESIS_M[j]} m"]
    held = []
    for k, (label, _, _) in enumerate(sessions):
        keep = np.arange(len(sessions)) != k
        a, b = cv_pick(errors[keep])
        held.append(errors[k, a, b])
        lines.append(
            f"  held out {label[-60:]:60} chose {CV_SAMPLES[a]:>2} samples, "
            f"{CV_HYSTERESIS_M[b]} m: |error| {errors[k, a, b]:.1%}"
        )
    for name, errs in (("in-sample", errors[:, i, j]), ("cross-validated", np.array(held))):
        lines.append(
            f"ascent {name:16} (n={len(errs)}): median |error| {np.median(errs):.1%}, "
            f"within 10% {np.mean(errs <= 0.10):.0%}"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if a != "--cv"]
    corpus = Path(args[0]) if args else DEFAULT_CORPUS
    if not (corpus / "fit_sessions.tsv").exists():
        print(f"no corpus at {corpus}", file=sys.stderr)
        return 2
    rows = load_rows(corpus, Settings())
    checks = summary(rows)
    print(table(rows))
    print()
    print(summary_text(rows, checks))
    if "--cv" in argv:
        print()
        print(cross_validate(corpus))
    return 0 if all(c.ok for c in checks) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
